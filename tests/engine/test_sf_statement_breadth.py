"""Snowflake statement and DDL breadth (issue 14): dollar-quoted constants, out-of-line
constraints in ALTER TABLE, table/column options, tags, SQL UDFs; each with the behaviour
Snowflake's pages document."""

from __future__ import annotations

from engine_helpers import fails, rows, run

from cloneshell.engine import Session


def test_dollar_quoted_constants_keep_their_text(sf: Session) -> None:
    # "String & binary data types", dollar-quoted string constants: no escapes inside.
    got = rows(sf, "SELECT 'row1', $$a\n ' \\ \\t\n \\x21 z $ $$")
    assert got == [("row1", "a\n ' \\ \\t\n \\x21 z $ ")]
    assert rows(sf, "SELECT $$a;b$$, $$$$, $$it's$$ = 'it''s'") == [("a;b", "", True)]


def test_dollar_quoted_comment_and_unterminated_constant(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE foo (id INT COMMENT $$some comment$$)")
    assert [r[9] for r in rows(sf, "DESC TABLE foo")] == ["some comment"]
    err = fails(sf, "SELECT $$abc")
    assert err.code == "001003"


def _keys(s: Session, kind: str, table: str) -> list[tuple[object, ...]]:
    return [(r[3], r[4], r[6]) for r in rows(s, f"SHOW {kind} KEYS IN TABLE {table}")]


def test_alter_table_add_and_drop_out_of_line_constraints(sf: Session) -> None:
    # "CREATE | ALTER TABLE … CONSTRAINT": an out-of-line constraint added by ALTER TABLE.
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE authors (id INT, email VARCHAR);
        ALTER TABLE authors ADD CONSTRAINT c1 UNIQUE (id, email);
        ALTER TABLE authors ADD PRIMARY KEY (id);
        CREATE TABLE books (id INT, author INT);
        ALTER TABLE books ADD CONSTRAINT fk_a FOREIGN KEY (author) REFERENCES authors (id)""",
    )
    assert _keys(sf, "UNIQUE", "authors") == [("AUTHORS", "ID", "C1"), ("AUTHORS", "EMAIL", "C1")]
    (pk,) = _keys(sf, "PRIMARY", "authors")
    assert pk[:2] == ("AUTHORS", "ID") and str(pk[2]).startswith("SYS_CONSTRAINT_")
    assert [r[3] for r in rows(sf, "DESC TABLE authors")] == ["N", "Y"]  # the key is NOT NULL
    assert [r[12] for r in rows(sf, "SHOW IMPORTED KEYS IN books")] == ["FK_A"]
    err = fails(sf, "ALTER TABLE authors ADD PRIMARY KEY (email)")
    assert "more than one primary key" in err.text
    # "Dropping Constraints": RESTRICT refuses a key a foreign key refers to; CASCADE (the
    # default) drops the referring foreign keys with it.
    err = fails(sf, "ALTER TABLE authors DROP PRIMARY KEY RESTRICT")
    assert "referenced by a foreign key" in err.text
    run(sf, "ALTER TABLE authors DROP PRIMARY KEY")
    assert _keys(sf, "PRIMARY", "authors") == []
    assert rows(sf, "SHOW IMPORTED KEYS IN books") == []
    run(sf, "ALTER TABLE authors DROP UNIQUE (id, email)")
    assert _keys(sf, "UNIQUE", "authors") == []
    err = fails(sf, "ALTER TABLE authors DROP CONSTRAINT c1")
    assert err.text.startswith("002003 (42S02)")


def test_rename_and_modify_constraints(sf: Session) -> None:
    # "Modifying Constraints": RENAME CONSTRAINT, and RELY/NORELY as the one property to change.
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t (a INT, CONSTRAINT pk PRIMARY KEY (a));
        ALTER TABLE t RENAME CONSTRAINT pk TO pk_t;
        ALTER TABLE t MODIFY CONSTRAINT pk_t RELY""",
    )
    got = rows(sf, "SHOW PRIMARY KEYS IN TABLE t")
    assert [(r[6], r[7]) for r in got] == [("PK_T", "true")]
    run(sf, "ALTER TABLE t ALTER PRIMARY KEY NORELY")
    assert [r[7] for r in rows(sf, "SHOW PRIMARY KEYS IN TABLE t")] == ["false"]
    err = fails(sf, "ALTER TABLE t MODIFY PRIMARY KEY ENFORCED")
    assert err.text == "000002 (0A000): Unsupported feature 'constraint property ENFORCED'."


def test_constraints_stay_unenforced_after_alter(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE t (a INT, b INT);
        INSERT INTO t VALUES (1, 1), (NULL, 2)""",
    )
    err = fails(sf, "ALTER TABLE t ADD PRIMARY KEY (a)")  # a NULL in a key column
    assert "non-nullable" in err.text
    run(sf, "ALTER TABLE t ADD UNIQUE (b); INSERT INTO t VALUES (3, 1)")  # not enforced
    assert rows(sf, "SELECT count(*) FROM t WHERE b = 1") == [(2,)]


def test_table_properties_are_checked_and_kept(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t CHANGE_TRACKING = TRUE DATA_RETENTION_TIME_IN_DAYS = 1 (id INT);
        CREATE TABLE u (id INT) MAX_DATA_EXTENSION_TIME_IN_DAYS = 7 ENABLE_SCHEMA_EVOLUTION = FALSE
            DEFAULT_DDL_COLLATION = '' COPY GRANTS COMMENT = $$a 'comment'$$""",
    )
    shown = {r[1]: (r[5], r[10], r[12]) for r in rows(sf, "SHOW TABLES")}
    assert shown == {"T": ("", "1", "ON"), "U": ("a 'comment'", "1", "OFF")}
    run(sf, "ALTER TABLE t SET CHANGE_TRACKING = FALSE; ALTER TABLE u SET CHANGE_TRACKING = TRUE")
    shown = {r[1]: r[12] for r in rows(sf, "SHOW TABLES")}
    assert shown == {"T": "OFF", "U": "ON"}
    run(sf, "ALTER TABLE u UNSET CHANGE_TRACKING")
    assert {r[1]: r[12] for r in rows(sf, "SHOW TABLES")}["U"] == "OFF"
    err = fails(sf, "CREATE TABLE v (id INT) FOO = 1")
    assert err.code == "001003"  # not a table property
    err = fails(sf, "CREATE TABLE v (id INT) STAGE_FILE_FORMAT = (TYPE = CSV)")
    assert err.text == "000002 (0A000): Unsupported feature 'table property STAGE_FILE_FORMAT'."
    err = fails(sf, "ALTER SCHEMA public SET CHANGE_TRACKING = TRUE")
    assert err.text.endswith("invalid property 'CHANGE_TRACKING' for 'SCHEMA'")
    err = fails(sf, "ALTER TABLE t SET CHANGE_TRACKING = 3")
    assert "invalid value" in err.text


def test_policies_and_collations_are_refused_by_name(sf: Session) -> None:
    run(sf, "CREATE DATABASE d")
    cases = {
        "CREATE TABLE t (c INT) WITH ROW ACCESS POLICY p ON (c)": "ROW ACCESS POLICY",
        "CREATE TABLE t (id INT MASKING POLICY p USING (id, c2))": "MASKING POLICY",
        "CREATE TABLE t (id INT WITH PROJECTION POLICY p)": "PROJECTION POLICY",
        "CREATE TABLE t (a VARCHAR COLLATE 'en-ci')": "collation 'en-ci'",
        "CREATE TABLE t (a VARCHAR) DEFAULT_DDL_COLLATION = 'de'": "collation 'de'",
        "CREATE TABLE t (a INT) ENABLE_SCHEMA_EVOLUTION = TRUE": "ENABLE_SCHEMA_EVOLUTION = TRUE",
    }
    for sql, feature in cases.items():
        err = fails(sf, sql)
        assert err.text == f"000002 (0A000): Unsupported feature '{feature}'.", sql
    assert rows(sf, "SHOW TABLES") == []
    run(sf, "CREATE TABLE t (a VARCHAR COLLATE 'utf8')")  # Snowflake's default comparison


def test_tags_are_objects_and_tables_keep_them(sf: Session) -> None:
    # "CREATE TAG", "Introduction to object tagging": a tag must exist to be set; ALLOWED_VALUES
    # restricts its values.
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TAG cost_center ALLOWED_VALUES 'finance', 'engineering' COMMENT = 'cc';
        CREATE OR REPLACE TAG owner_tag;
        CREATE TABLE t (id INT TAG (owner_tag = 'ann'), v VARCHAR)
            WITH TAG (cost_center = 'finance')""",
    )
    got = rows(sf, "SHOW TAGS")
    assert [(r[1], r[2], r[3], r[5], r[6]) for r in got] == [
        ("COST_CENTER", "D", "PUBLIC", "cc", '["finance","engineering"]'),
        ("OWNER_TAG", "D", "PUBLIC", "", None),
    ]
    err = fails(sf, "ALTER TABLE t SET TAG cost_center = 'sales'")
    assert "allowed values" in err.text
    err = fails(sf, "ALTER TABLE t SET TAG no_such_tag = 'x'")
    assert err.text.startswith("002003 (42S02)") and "D.PUBLIC.NO_SUCH_TAG" in err.text
    run(
        sf,
        """ALTER TABLE t SET TAG cost_center = 'engineering', owner_tag = 'bob';
        ALTER TABLE t ALTER COLUMN v SET TAG owner_tag = 'cy';
        ALTER TABLE t MODIFY COLUMN id UNSET TAG owner_tag;
        ALTER TABLE t UNSET TAG owner_tag""",
    )
    got = rows(
        sf,
        "SELECT SYSTEM$GET_TAG('cost_center', 't', 'table'), SYSTEM$GET_TAG('owner_tag', 't', "
        "'TABLE'), SYSTEM$GET_TAG('owner_tag', 't.v', 'column'), "
        "SYSTEM$GET_TAG('owner_tag', 'd.public.t.id', 'column')",
    )
    assert got == [("engineering", None, "cy", None)]
    run(sf, "CREATE TABLE t2 CLONE t")  # a clone keeps the tags
    got = rows(sf, "SELECT SYSTEM$GET_TAG('cost_center', 't2', 'table')")
    assert got == [("engineering",)]
    run(sf, "DROP TAG owner_tag; DROP TAG IF EXISTS owner_tag")
    assert [r[1] for r in rows(sf, "SHOW TAGS LIKE 'COST%'")] == ["COST_CENTER"]
    err = fails(sf, "ALTER TABLE t ALTER COLUMN v SET MASKING POLICY p")
    assert err.text == "000002 (0A000): Unsupported feature 'MASKING POLICY'."


def test_ctas_with_declared_columns_casts_to_them(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (a INT, b VARCHAR(3)) AS SELECT '1', 2")
    assert [(r[0], r[1]) for r in rows(sf, "DESC TABLE t")] == [
        ("A", "NUMBER(38,0)"),
        ("B", "VARCHAR(3)"),
    ]
    assert rows(sf, "SELECT a + 1, b FROM t") == [(2, "2")]
    err = fails(sf, "CREATE TABLE u (a INT) AS SELECT 1, 2")
    assert "column definition list" in err.text


def test_type_spellings_and_identity_options(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t (a CHAR VARYING(5), b CHARACTER VARYING, c NCHAR VARYING(2),
            d NATIONAL CHARACTER VARYING(4), e NATIONAL CHAR, f TIMESTAMP WITH LOCAL TIME ZONE,
            g TIMESTAMP WITHOUT TIME ZONE, h TIMESTAMP WITH TIME ZONE,
            i INT AUTOINCREMENT START 10, j INT IDENTITY INCREMENT 5 START 2)""",
    )
    assert [r[1] for r in rows(sf, "DESC TABLE t")] == [
        "VARCHAR(5)",
        "VARCHAR(16777216)",
        "VARCHAR(2)",
        "VARCHAR(4)",
        "VARCHAR(1)",
        "TIMESTAMP_LTZ(9)",
        "TIMESTAMP_NTZ(9)",
        "TIMESTAMP_TZ(9)",
        "NUMBER(38,0)",
        "NUMBER(38,0)",
    ]
    run(sf, "INSERT INTO t (a) VALUES ('x'), ('y')")
    assert rows(sf, "SELECT i, j FROM t ORDER BY i") == [(10, 2), (11, 7)]
    assert rows(sf, "SELECT CAST(12 AS CHARACTER VARYING), 'x'::NCHAR VARYING") == [("12", "x")]
    run(sf, "CREATE SEQUENCE s WITH START = 5, INCREMENT = 3 ORDER")
    assert rows(sf, "SELECT s.NEXTVAL") == [(5,)]


def test_sql_udfs_from_the_create_function_page(sf: Session) -> None:
    # "CREATE FUNCTION" and "Introduction to SQL UDFs": scalar SQL UDFs, run inline.
    run(
        sf,
        """CREATE DATABASE d;
        CREATE FUNCTION pi_udf()
          RETURNS FLOAT
          AS '3.141592654::FLOAT';
        CREATE FUNCTION area_of_circle(radius FLOAT)
          RETURNS FLOAT
          AS
          $$
            pi() * radius * radius
          $$;
        CREATE TABLE purchases (number_sold INTEGER, wholesale_price NUMBER(7,2),
          retail_price NUMBER(7,2));
        INSERT INTO purchases VALUES (3, 10.00, 20.00), (5, 100.00, 200.00);
        CREATE OR REPLACE FUNCTION profit()
          RETURNS NUMERIC(11, 2)
          AS
          $$
            SELECT SUM((retail_price - wholesale_price) * number_sold)
                FROM purchases
          $$""",
    )
    assert rows(sf, "SELECT pi_udf()") == [(3.141592654,)]
    assert rows(sf, "SELECT ROUND(area_of_circle(1.0), 9)") == [(3.141592654,)]
    assert [str(r[0]) for r in rows(sf, "SELECT profit()")] == ["530.00"]
    # Qualified names, overloads by argument count, use in WHERE and on columns.
    run(
        sf,
        """CREATE FUNCTION d.public.add1(x NUMBER) RETURNS NUMBER AS 'x + 1';
        CREATE FUNCTION add1(x NUMBER, y NUMBER) RETURNS NUMBER AS 'x + y + 1'""",
    )
    got = rows(
        sf,
        "SELECT add1(number_sold), public.add1(number_sold, 10) FROM purchases "
        "WHERE add1(number_sold) > 4",
    )
    assert got == [(6, 16)]
    err = fails(sf, "SELECT add1(1, 2, 3)")
    assert err.text.startswith("001044 (42P13)")
    err = fails(sf, "SELECT no_such_udf(1)")
    assert err.text.startswith("002140 (42601)")


def test_udf_objects_show_desc_drop(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE SECURE FUNCTION add5(n NUMBER) RETURNS NUMBER COMMENT = 'adds five'
          AS 'n + 5'""",
    )
    (row,) = rows(sf, "SHOW USER FUNCTIONS")
    assert (row[1], row[2], row[8], row[9], row[13], row[15]) == (
        "ADD5", "PUBLIC", "ADD5(NUMBER) RETURN NUMBER", "adds five", "Y", "SQL",
    )  # fmt: skip
    assert [r[1] for r in rows(sf, "SHOW FUNCTIONS LIKE 'ADD%'")] == ["ADD5"]
    assert rows(sf, "DESC FUNCTION add5(NUMBER)") == [
        ("signature", "(N NUMBER)"),
        ("returns", "NUMBER(38,0)"),
        ("language", "SQL"),
        ("body", "n + 5"),
    ]
    err = fails(sf, "CREATE FUNCTION add5(n INT) RETURNS NUMBER AS 'n'")
    assert err.text.startswith("002002 (42710)")  # the same signature: NUMBER
    run(sf, "CREATE FUNCTION IF NOT EXISTS add5(n INT) RETURNS NUMBER AS 'n'")
    assert rows(sf, "SELECT add5(1)") == [(6,)]
    run(sf, "DROP FUNCTION add5(NUMBER); DROP FUNCTION IF EXISTS add5(NUMBER)")
    assert rows(sf, "SHOW USER FUNCTIONS") == []
    err = fails(sf, "SELECT add5(1)")
    assert err.text.startswith("002140 (42601)")


def test_udf_refusals_name_what_is_missing(sf: Session) -> None:
    run(sf, "CREATE DATABASE d")
    cases = {
        "CREATE FUNCTION a(x DATE) RETURNS ARRAY LANGUAGE JAVASCRIPT AS $$ return 1 $$":
            "LANGUAGE JAVASCRIPT functions",
        "CREATE OR REPLACE FUNCTION f() RETURNS INT LANGUAGE PYTHON HANDLER = 'fn' "
        "RUNTIME_VERSION = '3.11' PACKAGES = () AS 'def fn(): return 1'":
            "LANGUAGE PYTHON functions",
        "CREATE PROCEDURE p(x INT) RETURNS INT EXECUTE AS CALLER AS 'BEGIN RETURN 1; END;'":
            "CREATE PROCEDURE",
        "CALL a.b.c(1, 2)": "CALL (stored procedures)",
    }  # fmt: skip
    for sql, feature in cases.items():
        err = fails(sf, sql)
        assert err.text == f"000002 (0A000): Unsupported feature '{feature}'.", sql
    err = fails(sf, "CREATE FUNCTION bad(x INT) RETURNS INT AS 'x +'")
    assert err.text.startswith("002000 (42000)") and "invalid SQL function body" in err.text
    err = fails(sf, "CREATE FUNCTION bad(x INT) RETURNS INT AS 'no_such_column + x'")
    assert err.code is not None
    assert rows(sf, "SHOW USER FUNCTIONS") == []


def test_statements_not_emulated_fail_naming_them(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE warehouse (a INT)")
    cases = {
        "CREATE WAREHOUSE x": "CREATE WAREHOUSE",
        "CREATE OR REPLACE TEMPORARY FILE FORMAT ff TYPE = PARQUET": "CREATE FILE FORMAT",
        "CREATE ICEBERG TABLE t (a INT) CATALOG = 'SNOWFLAKE'": "CREATE ICEBERG TABLE",
        "CREATE DYNAMIC TABLE dt TARGET_LAG = '1 minute' WAREHOUSE = w AS SELECT 1":
            "CREATE DYNAMIC TABLE",
        "SHOW TERSE ICEBERG TABLES IN SCHEMA d.public": "SHOW ICEBERG TABLES",
        "DROP ICEBERG TABLE IF EXISTS t": "DROP ICEBERG TABLE",
        "SHOW WAREHOUSES": "SHOW WAREHOUSES",
        "USE SECONDARY ROLES ALL": "USE SECONDARY ROLES",
        "GET @s1/test 'file:///tmp/'": "GET",
        "UNDROP DYNAMIC TABLE t": "UNDROP DYNAMIC TABLE",
    }  # fmt: skip
    for sql, feature in cases.items():
        err = fails(sf, sql)
        assert err.text == f"000002 (0A000): Unsupported feature '{feature}'.", sql
    assert [r[0] for r in rows(sf, "DESC warehouse")] == ["A"]  # still a table's name


def test_materialized_view_reads_its_query(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE tbl (a INT, b INT); INSERT INTO tbl VALUES (1, 2);
        CREATE OR REPLACE MATERIALIZED VIEW foo COPY GRANTS (x, y) COMMENT = 'mv'
            AS SELECT a, b FROM tbl;
        CREATE VIEW v (c) CHANGE_TRACKING = TRUE AS SELECT 1 AS c""",
    )
    assert rows(sf, "SELECT x, y FROM foo") == [(1, 2)]
    shown = {r[1]: (r[6], r[9], r[11]) for r in rows(sf, "SHOW VIEWS")}
    assert shown == {"FOO": ("mv", "true", "OFF"), "V": ("", "false", "ON")}
    err = fails(sf, "CREATE VIEW w WITH ROW ACCESS POLICY p ON (c) AS SELECT 1 AS c")
    assert err.text == "000002 (0A000): Unsupported feature 'ROW ACCESS POLICY'."
    run(sf, "DROP MATERIALIZED VIEW foo")
    assert [r[1] for r in rows(sf, "SHOW VIEWS")] == ["V"]


def test_null_treatment_and_nth_value_from_first(sf: Session) -> None:
    # "LAG", "FIRST_VALUE", "NTH_VALUE": IGNORE NULLS skips NULL values; RESPECT NULLS and
    # FROM FIRST are the defaults.
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE t (i INT, x INT);
        INSERT INTO t VALUES (1, NULL), (2, 5), (3, NULL), (4, 7)""",
    )
    whole = "ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
    got = rows(
        sf,
        "SELECT i, LAG(x) IGNORE NULLS OVER (ORDER BY i), LAG(x) RESPECT NULLS OVER (ORDER BY i),"
        f" FIRST_VALUE(x IGNORE NULLS) OVER ({whole}), FIRST_VALUE(x) OVER ({whole}),"
        f" NTH_VALUE(x, 2) FROM FIRST IGNORE NULLS OVER ({whole}) FROM t ORDER BY i",
    )
    assert got == [
        (1, None, None, 5, None, 7),
        (2, None, None, 5, None, 7),
        (3, 5, 5, 5, None, 7),
        (4, 5, None, 5, None, 7),
    ]
    err = fails(sf, f"SELECT NTH_VALUE(x, 2) FROM LAST OVER ({whole}) FROM t")
    assert err.text == "000002 (0A000): Unsupported feature 'NTH_VALUE FROM LAST'."


def test_interval_constants_with_parts_inside_the_string(sf: Session) -> None:
    # "Interval constants": INTERVAL '<n> [part] [, <n> [part] …]', abbreviations allowed.
    got = rows(
        sf,
        "SELECT TO_TIMESTAMP('2018-04-15 08:00:00') + INTERVAL '4 years, 5 months, 3 hours',"
        " TO_TIMESTAMP('2018-04-15 04:15:29') + INTERVAL '3 hours, 18 minutes',"
        " TO_TIMESTAMP('2018-04-15 08:00:00') - INTERVAL '1 y, 2 w, 10 s' AS x",
    )
    assert [str(v) for v in got[0]] == [
        "2022-09-15 11:00:00",
        "2018-04-15 07:33:29",
        "2017-04-01 07:59:50",
    ]
    err = fails(sf, "SELECT INTERVAL '3 fortnights'")
    assert err.code == "001003"


def test_like_escape(sf: Session) -> None:
    # "[ NOT ] LIKE": ESCAPE names the character that makes % and _ literal.
    got = rows(
        sf,
        "SELECT 'he%lo' LIKE 'he#%lo' ESCAPE '#', 'hello' LIKE 'he#%lo' ESCAPE '#',"
        " 'A_b' ILIKE 'a!_B' ESCAPE '!', 'axb' NOT LIKE 'a!_b' ESCAPE '!'",
    )
    assert got == [(True, False, True, True)]
    assert fails(sf, "SELECT 'a' RLIKE 'a' ESCAPE '!'").code == "002000"
