"""How Snowflake's catalog shows a temporary table: TABLE_TYPE 'TEMPORARY TABLE' in
INFORMATION_SCHEMA.TABLES (the TABLES view's documented values), kind TEMPORARY in SHOW TABLES
and SHOW OBJECTS; permanent and transient tables unchanged."""

from __future__ import annotations

from engine_helpers import rows, run

from cloneshell.engine import Rows, Session


def _column(s: Session, sql: str, name: str) -> dict[str, object]:
    (result,) = s.execute(sql)
    assert isinstance(result, Rows)
    names = [c.name for c in result.columns]
    return {str(r[names.index("name")]): r[names.index(name)] for r in result.rows}


def test_temporary_table_in_the_catalog(sf: Session) -> None:
    run(
        sf,
        "CREATE DATABASE d; CREATE TABLE perm (a INT); CREATE TRANSIENT TABLE tran (a INT);"
        "CREATE TEMPORARY TABLE tmp (a INT); CREATE VIEW v AS SELECT 1 AS x;",
    )
    got = rows(
        sf,
        "SELECT table_name, table_type, is_transient FROM information_schema.tables "
        "WHERE table_schema = 'PUBLIC' ORDER BY table_name",
    )
    assert got == [
        ("PERM", "BASE TABLE", "NO"),
        ("TMP", "TEMPORARY TABLE", "NO"),
        ("TRAN", "BASE TABLE", "YES"),
        ("V", "VIEW", None),
    ]
    assert _column(sf, "SHOW TABLES", "kind") == {
        "PERM": "TABLE",
        "TMP": "TEMPORARY",
        "TRAN": "TRANSIENT",
    }
    assert _column(sf, "SHOW OBJECTS", "kind") == {
        "PERM": "TABLE",
        "TMP": "TEMPORARY",
        "TRAN": "TABLE",
        "V": "VIEW",
    }
    assert _column(sf, "SHOW TERSE OBJECTS", "kind")["TMP"] == "TEMPORARY"
