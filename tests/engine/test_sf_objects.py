"""Snowflake databases, schemas and tables: names, replies, errors, DROP/UNDROP/RENAME, SHOW and
DESC, DML replies, session state (reference/snowflake.md §1.6, §3, §4, §5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from engine_helpers import START, fails, rows, run, snapshot, status

from cloneshell.engine import Rows, Session
from cloneshell.engine.core.errors import EngineError


def test_fresh_session_has_no_database(sf: Session) -> None:
    assert sf.prompt() == "CLONESHELL#(no warehouse)@(no database).(no schema)>"
    assert sf.role == "ACCOUNTADMIN"
    err = fails(sf, "CREATE TABLE t (a INT)")
    assert err.text == (
        "090105 (22000): Cannot perform CREATE TABLE. This session does not have a current "
        "database. Call 'USE DATABASE', or use a qualified name."
    )
    err = fails(sf, "SELECT * FROM t")
    assert err.text.startswith("090105 (22000): Cannot perform SELECT.")


def test_create_database_switches_and_replies(sf: Session) -> None:
    assert status(sf, "CREATE DATABASE sales") == "Database SALES successfully created."
    assert sf.prompt() == "CLONESHELL#(no warehouse)@SALES.PUBLIC>"
    assert status(sf, "CREATE SCHEMA private") == "Schema PRIVATE successfully created."
    assert sf.prompt() == "CLONESHELL#(no warehouse)@SALES.PRIVATE>"
    assert status(sf, "CREATE TABLE t_sales (numeric INTEGER)") == (
        "Table T_SALES successfully created."
    )
    assert status(sf, "CREATE TABLE IF NOT EXISTS t_sales (x INT)") == (
        "T_SALES already exists, statement succeeded."
    )
    assert status(sf, "USE DATABASE sales") == "Statement executed successfully."
    assert sf.schema == "PUBLIC"


def test_database_files_are_generated_not_named_by_user(sf: Session) -> None:
    run(sf, 'CREATE DATABASE "../../etc"; CREATE DATABASE "Weird Name.x"')
    sf.idle()
    files = sorted(p.name for p in (sf.warehouse.root / "projects").glob("*.duckdb"))
    assert len(files) == 2
    assert all(f.startswith("db_") and f.endswith(".duckdb") for f in files)
    assert rows(sf, "SELECT CURRENT_DATABASE()") == [("Weird Name.x",)]


def test_quoted_identifiers_keep_case(sf: Session) -> None:
    run(sf, 'CREATE DATABASE d; CREATE TABLE "t" (a INT); CREATE TABLE t (a INT)')
    names = [r[1] for r in rows(sf, "SHOW TABLES")]
    assert names == ["T", "t"]
    # Unquoted names fold to upper case, so "T" is T (snowflake.md §5).
    err = fails(sf, 'CREATE TABLE "T" (a INT)')
    assert err.text == "002002 (42710): SQL compilation error:\nObject 'T' already exists."


def test_name_conflicts_give_002002_and_change_nothing(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE sales;
        CREATE TABLE t_sales (numeric INTEGER);
        CREATE TABLE t_sales_20170522 (numeric INTEGER);""",
    )
    expected = "002002 (42710): SQL compilation error:\nObject 'T_SALES' already exists."
    before = snapshot(sf)
    assert fails(sf, "CREATE TABLE t_sales (x INT)").text == expected
    assert (
        fails(sf, "ALTER TABLE sales.public.t_sales_20170522 RENAME TO sales.public.t_sales").text
        == expected
    )
    assert snapshot(sf) == before
    # The seed's sequence: drop, then rename another table onto the dropped name, then UNDROP.
    run(sf, "DROP TABLE sales.public.t_sales")
    run(sf, "ALTER TABLE sales.public.t_sales_20170522 RENAME TO sales.public.t_sales")
    before = snapshot(sf)
    assert fails(sf, "UNDROP TABLE t_sales").text == expected
    assert snapshot(sf) == before
    run(sf, "CREATE SCHEMA s2; USE SCHEMA PUBLIC")
    assert fails(sf, "CREATE SCHEMA s2").text.endswith("Object 'S2' already exists.")
    assert fails(sf, "CREATE DATABASE sales").text.endswith("Object 'SALES' already exists.")


def test_missing_objects(sf: Session) -> None:
    run(sf, "CREATE DATABASE sales")
    assert fails(sf, "SELECT * FROM nosuch").text == (
        "002003 (42S02): SQL compilation error:\n"
        "Object 'SALES.PUBLIC.NOSUCH' does not exist or not authorized."
    )
    assert fails(sf, "SELECT * FROM nope.t").text == (
        "002003 (02000): SQL compilation error:\nSchema 'SALES.NOPE' does not exist or not "
        "authorized."
    )
    assert fails(sf, "USE DATABASE nope").text == (
        "002003 (02000): SQL compilation error:\nDatabase 'NOPE' does not exist or not authorized."
    )
    assert status(sf, "DROP TABLE IF EXISTS nosuch") == (
        "Drop statement executed successfully (NOSUCH already dropped)."
    )


def test_dml_replies(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (id INT, v VARCHAR); CREATE TABLE s (id INT)")
    (ins,) = sf.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    assert isinstance(ins, Rows)
    assert [c.name for c in ins.columns] == ["number of rows inserted"]
    assert ins.rows == [(3,)]
    run(sf, "INSERT INTO s VALUES (1), (1), (2)")
    (upd,) = sf.execute("UPDATE t SET v = 'z' FROM s WHERE t.id = s.id")
    assert isinstance(upd, Rows)
    assert [c.name for c in upd.columns] == [
        "number of rows updated",
        "number of multi-joined rows updated",
    ]
    assert upd.rows == [(2, 1)]
    (dele,) = sf.execute("DELETE FROM t WHERE id = 3")
    assert isinstance(dele, Rows) and dele.rows == [(1,)]
    assert [c.name for c in dele.columns] == ["number of rows deleted"]
    assert rows(sf, "SELECT id, v FROM t ORDER BY id") == [
        (Decimal(1), "z"),
        (Decimal(2), "z"),
    ]
    assert status(sf, "TRUNCATE TABLE t") == "Statement executed successfully."
    assert rows(sf, "SELECT count(*) FROM t") == [(0,)]


def test_insert_columns_defaults_and_not_null(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (a INT NOT NULL, b VARCHAR DEFAULT 'dflt', c INT)")
    run(sf, "INSERT INTO t (a) VALUES (1)")
    assert rows(sf, "SELECT * FROM t") == [(Decimal(1), "dflt", None)]
    before = snapshot(sf)
    err = fails(sf, "INSERT INTO t (b) VALUES ('x')")
    assert err.text == "100072 (22000): NULL result in a non-nullable column"
    err = fails(sf, "INSERT INTO t (a, b) VALUES (1)")
    assert err.text == (
        "002020 (21S01): SQL compilation error:\n"
        "Insert value list does not match column list expecting 2 but got 1"
    )
    assert snapshot(sf) == before


def test_desc_table_columns(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t (a NUMBER(10,2) NOT NULL COMMENT 'amount', b VARCHAR, c STRING,
            d TIMESTAMP_NTZ, e VARIANT, f INT, g FLOAT, h BOOLEAN, i DATE, j VARCHAR(20))""",
    )
    (desc,) = sf.execute("DESC TABLE t")
    assert isinstance(desc, Rows)
    assert [c.name for c in desc.columns] == [
        "name",
        "type",
        "kind",
        "null?",
        "default",
        "primary key",
        "unique key",
        "check",
        "expression",
        "comment",
        "policy name",
        "privacy domain",
    ]
    assert [(r[0], r[1], r[3]) for r in desc.rows] == [
        ("A", "NUMBER(10,2)", "N"),
        ("B", "VARCHAR(16777216)", "Y"),
        ("C", "VARCHAR(16777216)", "Y"),
        ("D", "TIMESTAMP_NTZ(9)", "Y"),
        ("E", "VARIANT", "Y"),
        ("F", "NUMBER(38,0)", "Y"),
        ("G", "FLOAT", "Y"),
        ("H", "BOOLEAN", "Y"),
        ("I", "DATE", "Y"),
        ("J", "VARCHAR(20)", "Y"),
    ]
    assert desc.rows[0][2] == "COLUMN" and desc.rows[0][9] == "amount"


def test_show_tables_columns_and_values(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE sales;
        CREATE TABLE t_sales (numeric INTEGER) DATA_RETENTION_TIME_IN_DAYS = 3 COMMENT = 'c';
        CREATE TRANSIENT TABLE tt (a INT) CLUSTER BY (a);
        INSERT INTO t_sales VALUES (1), (2);""",
    )
    (res,) = sf.execute("SHOW TABLES")
    assert isinstance(res, Rows)
    names = [c.name for c in res.columns]
    assert names[:11] == [
        "created_on",
        "name",
        "database_name",
        "schema_name",
        "kind",
        "comment",
        "cluster_by",
        "rows",
        "bytes",
        "owner",
        "retention_time",
    ]
    assert names[11:] == [
        "automatic_clustering",
        "change_tracking",
        "search_optimization",
        "search_optimization_progress",
        "search_optimization_bytes",
        "is_external",
        "enable_schema_evolution",
        "owner_role_type",
        "is_event",
        "budget",
        "is_hybrid",
        "is_iceberg",
        "is_dynamic",
        "is_immutable",
    ]
    tt, t_sales = res.rows  # by name: TT sorts before T_SALES
    assert t_sales[:11] == (
        START.replace(tzinfo=UTC),
        "T_SALES",
        "SALES",
        "PUBLIC",
        "TABLE",
        "c",
        "",
        2,
        32,
        "ACCOUNTADMIN",
        "3",
    )
    assert tt[4] == "TRANSIENT" and tt[6] == "LINEAR(A)" and tt[11] == "ON"
    assert rows(sf, "SHOW TABLES LIKE 't_s%'")[0][1] == "T_SALES"
    (hist,) = sf.execute("SHOW TABLES HISTORY")
    assert isinstance(hist, Rows)
    assert [c.name for c in hist.columns][11] == "dropped_on"


def test_show_schemas_and_databases(sf: Session) -> None:
    run(sf, "CREATE DATABASE a DATA_RETENTION_TIME_IN_DAYS = 5 COMMENT = 'first'")
    run(sf, "CREATE TRANSIENT DATABASE b; CREATE SCHEMA x; USE SCHEMA PUBLIC")
    (dbs,) = sf.execute("SHOW DATABASES")
    assert isinstance(dbs, Rows)
    assert [c.name for c in dbs.columns] == [
        "created_on",
        "name",
        "is_default",
        "is_current",
        "origin",
        "owner",
        "comment",
        "options",
        "retention_time",
        "kind",
        "budget",
        "owner_role_type",
    ]
    assert [(r[1], r[3], r[5], r[6], r[7], r[8]) for r in dbs.rows] == [
        ("A", "N", "ACCOUNTADMIN", "first", "", "5"),
        ("B", "Y", "ACCOUNTADMIN", "", "TRANSIENT", "1"),
    ]
    (schemas,) = sf.execute("SHOW SCHEMAS")
    assert isinstance(schemas, Rows)
    assert [c.name for c in schemas.columns][:9] == [
        "created_on",
        "name",
        "is_default",
        "is_current",
        "database_name",
        "owner",
        "comment",
        "options",
        "retention_time",
    ]
    assert [(r[1], r[3], r[4], r[7]) for r in schemas.rows] == [
        ("PUBLIC", "Y", "B", "TRANSIENT"),
        ("X", "N", "B", "TRANSIENT"),
    ]


def test_drop_and_undrop_table_schema_database(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (a INT); INSERT INTO t VALUES (1)")
    assert status(sf, "DROP TABLE t") == "T successfully dropped."
    assert fails(sf, "SELECT * FROM t").text.endswith("does not exist or not authorized.")
    assert status(sf, "UNDROP TABLE t") == "Table T successfully restored."
    assert rows(sf, "SELECT a FROM t") == [(Decimal(1),)]
    assert fails(sf, "UNDROP TABLE t").text.endswith("Object 'T' already exists.")
    assert fails(sf, "UNDROP TABLE never").text == (
        "002003 (02000): SQL compilation error:\nTable 'NEVER' did not exist or was purged."
    )
    run(sf, "CREATE SCHEMA s; CREATE TABLE s.x (a INT); INSERT INTO s.x VALUES (7)")
    assert status(sf, "DROP SCHEMA s") == "S successfully dropped."
    assert sf.schema is None
    assert fails(sf, "SELECT * FROM d.s.x").text.startswith("002003 (02000)")
    assert status(sf, "UNDROP SCHEMA s") == "Schema S successfully restored."
    assert rows(sf, "SELECT a FROM d.s.x") == [(Decimal(7),)]
    assert status(sf, "DROP DATABASE d") == "D successfully dropped."
    assert sf.project is None
    assert fails(sf, "USE DATABASE d").text.startswith("002003 (02000)")
    assert status(sf, "UNDROP DATABASE d") == "Database D successfully restored."
    assert rows(sf, "SELECT a FROM d.s.x") == [(Decimal(7),)]


def test_undrop_restores_most_recent_then_older(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v INT); INSERT INTO t VALUES (1); DROP TABLE t")
    run(sf, "CREATE TABLE t (v INT); INSERT INTO t VALUES (2); DROP TABLE t")
    (hist,) = sf.execute("SHOW TABLES HISTORY")
    assert isinstance(hist, Rows) and [r[1] for r in hist.rows] == ["T", "T"]
    run(sf, "UNDROP TABLE t")
    assert rows(sf, "SELECT v FROM t") == [(Decimal(2),)]
    run(sf, "ALTER TABLE t RENAME TO t_new; UNDROP TABLE t")
    assert rows(sf, "SELECT v FROM t") == [(Decimal(1),)]


def test_create_or_replace_keeps_the_old_table_undroppable(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v INT); INSERT INTO t VALUES (1)")
    run(sf, "CREATE OR REPLACE TABLE t (v INT)")
    assert rows(sf, "SELECT count(*) FROM t") == [(0,)]
    run(sf, "ALTER TABLE t RENAME TO t2; UNDROP TABLE t")
    assert rows(sf, "SELECT v FROM t") == [(Decimal(1),)]


def test_rename_schema_and_database_follow_the_session(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE SCHEMA s; CREATE TABLE t (a INT)")
    run(sf, "ALTER SCHEMA s RENAME TO s2")
    assert sf.schema == "S2"
    run(sf, "ALTER DATABASE d RENAME TO d2")
    assert sf.prompt() == "CLONESHELL#(no warehouse)@D2.S2>"
    assert rows(sf, "SELECT count(*) FROM d2.s2.t") == [(0,)]
    run(sf, "CREATE DATABASE d3")
    assert fails(sf, "ALTER DATABASE d3 RENAME TO d2").text.endswith("Object 'D2' already exists.")


def test_alter_set_retention_and_comment(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (a INT)")
    run(sf, "ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 7 COMMENT = 'hello'")
    row = rows(sf, "SHOW TABLES")[0]
    assert (row[5], row[10]) == ("hello", "7")
    run(sf, "ALTER TABLE t UNSET DATA_RETENTION_TIME_IN_DAYS")
    run(sf, "ALTER SCHEMA public SET DATA_RETENTION_TIME_IN_DAYS = 4")
    assert rows(sf, "SHOW TABLES")[0][10] == "4"
    run(sf, "ALTER DATABASE d SET DATA_RETENTION_TIME_IN_DAYS = 2")
    run(sf, "ALTER SCHEMA public UNSET DATA_RETENTION_TIME_IN_DAYS")
    assert rows(sf, "SHOW TABLES")[0][10] == "2"
    err = fails(sf, "ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 91")
    assert err.code == "002000"
    run(sf, "CREATE TRANSIENT TABLE tr (a INT)")
    assert fails(sf, "ALTER TABLE tr SET DATA_RETENTION_TIME_IN_DAYS = 2").code == "002000"


def test_select_names_and_functions(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (numeric INT); INSERT INTO t VALUES (1)")
    (res,) = sf.execute("SELECT numeric, numeric + 1, count(*) AS n FROM t GROUP BY numeric")
    assert isinstance(res, Rows)
    assert [c.name for c in res.columns] == ["NUMERIC", "NUMERIC + 1", "N"]
    assert [c.type for c in res.columns] == ["NUMBER", "NUMBER", "NUMBER"]
    assert rows(sf, "SELECT DATEADD(minute, -30, CURRENT_TIMESTAMP())") == [
        (START - timedelta(minutes=30),)
    ]
    assert rows(sf, "SELECT IFF(1 < 2, 'y', 'n'), NVL(NULL, 3), CURRENT_TIMESTAMP") == [
        ("y", 3, START)
    ]
    assert rows(sf, "SELECT CURRENT_ROLE(), CURRENT_USER()") == [("ACCOUNTADMIN", "CLONESHELL")]


def test_last_query_id(sf: Session) -> None:
    run(sf, "CREATE DATABASE d")
    first = sf.query_ids[-1]
    run(sf, "SELECT 1")
    second = sf.query_ids[-1]
    assert len(first) == 36 and first.count("-") == 4
    assert rows(sf, "SELECT LAST_QUERY_ID(), LAST_QUERY_ID(-2), LAST_QUERY_ID(1)") == [
        (second, first, first)
    ]
    assert rows(sf, "SELECT LAST_QUERY_ID(99)") == [(None,)]


def test_dialect_switch_keeps_each_side(sf: Session) -> None:
    run(sf, "CREATE DATABASE d")
    run(sf, "ALTER SESSION SET DIALECT = maxcompute")
    assert sf.dialect_name == "maxcompute"
    assert sf.prompt().startswith("odps@ ")
    assert fails(sf, "CREATE DATABASE x").text.startswith("ODPS-")
    run(sf, "ALTER SESSION SET DIALECT = snowflake")
    assert sf.prompt() == "CLONESHELL#(no warehouse)@D.PUBLIC>"
    # MaxCompute statements are refused in Snowflake with a pointer to the switch.
    err = fails(sf, "SHOW PROJECTS")
    assert "maxcompute" in err.text.lower() or err.code.startswith("00")


def test_maxcompute_session_refuses_snowflake_statements(
    open_session: object,
) -> None:
    assert callable(open_session)
    s = open_session()
    err = fails(s, "CREATE DATABASE sales")
    assert err.text.startswith("ODPS-")
    assert "ALTER SESSION SET DIALECT = snowflake" in err.text


def test_clock_moves(sf: Session) -> None:
    assert sf.move_clock(timedelta(minutes=30)) == START + timedelta(minutes=30)
    assert sf.set_clock(datetime(2024, 2, 1)) == datetime(2024, 2, 1)
    assert rows(sf, "SELECT CURRENT_TIMESTAMP()") == [(datetime(2024, 2, 1),)]


def test_real_clock_cannot_move(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    s = Session.open(tmp_path / "wh", dialect="snowflake")
    try:
        with pytest.raises(EngineError) as info:
            s.move_clock(timedelta(minutes=1))
        assert "--clock" in info.value.text
    finally:
        s.close()


def test_login_as_another_user_starts_in_public(sf_factory: object) -> None:
    assert callable(sf_factory)
    admin = sf_factory()
    run(admin, "CREATE DATABASE d")
    admin.login("alice")
    assert admin.principal == "ALICE" and admin.role == "PUBLIC"
    assert fails(admin, "USE DATABASE d").text.startswith("002003 (02000)")
    admin.login("cloneshell")
    assert admin.role == "ACCOUNTADMIN"


def test_insert_overwrite_may_read_its_own_table(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (id INT); INSERT INTO t VALUES (1), (2), (3)")
    (res,) = sf.execute("INSERT OVERWRITE INTO t SELECT id FROM t WHERE id <> 2")
    assert isinstance(res, Rows) and res.rows == [(2,)]
    assert rows(sf, "SELECT id FROM t ORDER BY id") == [(Decimal(1),), (Decimal(3),)]
    # The overwritten rows are in Time Travel.
    assert rows(sf, "SELECT count(*) FROM t BEFORE(STATEMENT => LAST_QUERY_ID(-2))") == [(3,)]
