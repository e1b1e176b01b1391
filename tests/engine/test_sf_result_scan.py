"""Snowflake RESULT_SCAN: an earlier statement's rows read as a table (by LAST_QUERY_ID() or by
query id), with its column names and types, as dbt reads SHOW output."""

from __future__ import annotations

from decimal import Decimal

import pytest
from engine_helpers import fails, rows, run

from cloneshell.engine import Rows, Session


@pytest.fixture
def db(sf: Session) -> Session:
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE t (a INT, b STRING, c NUMBER(10,2));
        INSERT INTO t VALUES (1, 'x', 1.5), (2, NULL, NULL)""",
    )
    return sf


def test_last_query_and_types(db: Session) -> None:
    run(db, "SELECT * FROM t ORDER BY a")
    got = rows(db, "SELECT a + 1, b, c FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) ORDER BY 1")
    assert got == [(2, "x", Decimal("1.50")), (3, None, None)]


def test_show_output_as_dbt_reads_it(db: Session) -> None:
    run(db, "SHOW OBJECTS IN d.public")
    got = rows(
        db,
        """SELECT "database_name", "schema_name", "name", "kind", "is_dynamic"
        FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))""",
    )
    assert got == [("D", "PUBLIC", "T", "TABLE", "N")]


def test_by_id_and_unknown(db: Session) -> None:
    (first,) = db.execute("SELECT b FROM t WHERE a = 1")
    assert isinstance(first, Rows)
    run(db, "SELECT 1")
    assert rows(db, f"SELECT * FROM TABLE(RESULT_SCAN('{first.statement_id}'))") == [("x",)]
    assert rows(db, "SELECT count(*) FROM TABLE(RESULT_SCAN(LAST_QUERY_ID(-2)))") == [(1,)]
    err = fails(db, "SELECT * FROM TABLE(RESULT_SCAN('01b2c3d4-0000-0000-0000-000000000000'))")
    assert err.text == "000709 (02000): Statement 01b2c3d4-0000-0000-0000-000000000000 not found"
