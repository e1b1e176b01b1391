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
