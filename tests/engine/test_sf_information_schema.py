"""Snowflake INFORMATION_SCHEMA: every database's read-only schema of views (TABLES, COLUMNS,
SCHEMATA, VIEWS, TABLE_PRIVILEGES, DATABASES) with Snowflake's columns, queried with any SELECT,
filtered by the role's privileges; writes into it refused."""

from __future__ import annotations

import pytest
from engine_helpers import fails, rows, run, snapshot

from cloneshell.engine import Rows, Session


@pytest.fixture
def db(sf: Session) -> Session:
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE t (id INT NOT NULL, name VARCHAR(10) COMMENT 'who');
        INSERT INTO t VALUES (1, 'a'), (2, 'b');
        CREATE TRANSIENT TABLE tr (x FLOAT, at TIMESTAMP_NTZ);
        CREATE VIEW v COMMENT = 'ids' AS SELECT id FROM t;
        CREATE SCHEMA s2; CREATE TABLE s2.other (n NUMBER(10,2) DEFAULT 0);
        USE SCHEMA public""",
    )
    return sf


def names(s: Session, sql: str) -> list[str]:
    (r,) = s.execute(sql)
    assert isinstance(r, Rows)
    return [c.name for c in r.columns]


def test_tables_view(db: Session) -> None:
    cols = names(db, "SELECT * FROM information_schema.tables")
    assert cols[:10] == [
        "TABLE_CATALOG",
        "TABLE_SCHEMA",
        "TABLE_NAME",
        "TABLE_OWNER",
        "TABLE_TYPE",
        "IS_TRANSIENT",
        "CLUSTERING_KEY",
        "ROW_COUNT",
        "BYTES",
        "RETENTION_TIME",
    ]
    assert "CREATED" in cols and "LAST_ALTERED" in cols and len(cols) == 28
    got = rows(
        db,
        """SELECT table_schema, table_name, table_type, is_transient, row_count, retention_time
        FROM information_schema.tables WHERE table_schema <> 'INFORMATION_SCHEMA'
        ORDER BY table_schema, table_name""",
    )
    assert got == [
        ("PUBLIC", "T", "BASE TABLE", "NO", 2, 1),
        ("PUBLIC", "TR", "BASE TABLE", "YES", 0, 1),
        ("PUBLIC", "V", "VIEW", None, None, None),
        ("S2", "OTHER", "BASE TABLE", "NO", 0, 1),
    ]
    # The schema's own views are listed too, as in Snowflake.
    assert ("COLUMNS",) in rows(
        db,
        "SELECT table_name FROM d.information_schema.tables"
        " WHERE table_schema = 'INFORMATION_SCHEMA'",
    )


def test_columns_view_types(db: Session) -> None:
    got = rows(
        db,
        """SELECT table_name, column_name, ordinal_position, is_nullable, data_type,
        character_maximum_length, character_octet_length, numeric_precision, numeric_scale,
        column_default, comment
        FROM information_schema.columns ORDER BY table_schema, table_name, ordinal_position""",
    )
    assert got == [
        ("T", "ID", 1, "NO", "NUMBER", None, None, 38, 0, None, None),
        ("T", "NAME", 2, "YES", "TEXT", 10, 40, None, None, None, "who"),
        ("TR", "X", 1, "YES", "FLOAT", None, None, None, None, None, None),
        ("TR", "AT", 2, "YES", "TIMESTAMP_NTZ", None, None, None, None, None, None),
        ("V", "ID", 1, "YES", "NUMBER", None, None, 38, 0, None, None),
        ("OTHER", "N", 1, "YES", "NUMBER", None, None, 10, 2, "0", None),
    ]
    assert len(names(db, "SELECT * FROM information_schema.columns")) == 45


def test_schemata_views_databases(db: Session) -> None:
    assert rows(db, "SELECT schema_name, is_transient FROM information_schema.schemata") == [
        ("INFORMATION_SCHEMA", "NO"),
        ("PUBLIC", "NO"),
        ("S2", "NO"),
    ]
    assert rows(
        db, "SELECT table_name, view_definition, is_secure, comment FROM information_schema.views"
    ) == [("V", "CREATE VIEW v COMMENT = 'ids' AS SELECT id FROM t", "NO", "ids")]
    assert rows(db, "SELECT database_name, type FROM information_schema.databases") == [
        ("D", "STANDARD")
    ]


def test_joins_qualified_names_and_use_schema(db: Session) -> None:
    joined = rows(
        db,
        """SELECT t.table_name, count(c.column_name) AS n
        FROM d.information_schema.tables t
        JOIN d.information_schema.columns c
          ON c.table_schema = t.table_schema AND c.table_name = t.table_name
        WHERE t.table_type = 'BASE TABLE' GROUP BY t.table_name ORDER BY n DESC, 1""",
    )
    assert joined == [("T", 2), ("TR", 2), ("OTHER", 1)]
    run(db, "USE SCHEMA d.information_schema")
    assert rows(db, "SELECT count(*) FROM schemata") == [(3,)]
    assert rows(db, "SELECT CURRENT_SCHEMA()") == [("INFORMATION_SCHEMA",)]


def test_table_privileges_and_visibility(db: Session) -> None:
    run(
        db,
        """GRANT USAGE ON DATABASE d TO ROLE PUBLIC; GRANT USAGE ON SCHEMA d.public TO ROLE PUBLIC;
        GRANT SELECT ON TABLE d.public.t TO ROLE PUBLIC; CREATE USER eve""",
    )
    assert rows(
        db,
        """SELECT grantee, table_name, privilege_type, is_grantable
        FROM information_schema.table_privileges WHERE table_name = 'T' ORDER BY 3""",
    ) == [("ACCOUNTADMIN", "T", "OWNERSHIP", "YES"), ("PUBLIC", "T", "SELECT", "NO")]
    db.login("eve")
    run(db, "USE DATABASE d")
    mine = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'"
    assert rows(db, mine) == [("T",)]
    assert rows(db, "SELECT DISTINCT table_name FROM information_schema.columns") == [("T",)]
    assert rows(db, "SELECT schema_name FROM information_schema.schemata") == [
        ("INFORMATION_SCHEMA",),
        ("PUBLIC",),
    ]
    assert rows(db, "SELECT count(*) FROM information_schema.views") == [(0,)]


def test_read_only_and_unknown(db: Session) -> None:
    before = snapshot(db)
    denied = (
        "003001 (42501): SQL access control error:\n"
        "Insufficient privileges to operate on schema 'INFORMATION_SCHEMA'"
    )
    for sql in (
        "CREATE TABLE information_schema.x (a INT)",
        "INSERT INTO information_schema.tables VALUES (1)",
        "DELETE FROM d.information_schema.tables",
        "DROP TABLE information_schema.tables",
    ):
        assert fails(db, sql).text == denied, sql
    assert snapshot(db) == before
    err = fails(db, "SELECT * FROM information_schema.nope")
    assert err.text == (
        "002003 (42S02): SQL compilation error:\n"
        "Object 'D.INFORMATION_SCHEMA.NOPE' does not exist or not authorized."
    )
    err = fails(db, "SELECT * FROM snowflake.account_usage.tables")
    assert err.code == "000002" and "SNOWFLAKE.ACCOUNT_USAGE" in err.text


def test_duckdb_internals_never_shown(db: Session) -> None:
    schemas = rows(db, "SELECT DISTINCT table_schema FROM information_schema.tables ORDER BY 1")
    assert schemas == [("INFORMATION_SCHEMA",), ("PUBLIC",), ("S2",)]
    assert rows(
        db, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 't%'"
    ) == [(0,)]
