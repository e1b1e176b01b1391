"""Snowflake temporary tables and views: session-scoped, invisible to other sessions, gone at
session end, shadowing a permanent object of the same name, and the clone rules between
permanent, transient and temporary tables ("Working with Temporary and Transient Tables", CREATE
… CLONE)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_helpers import START
from engine_helpers import rows as _rows
from engine_helpers import turn_fails as fails
from engine_helpers import turn_rows as rows
from engine_helpers import turn_run as run
from engine_helpers import turn_status as status

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock

# Two sessions of one process take turns (engine_helpers.turn_*).


MISSING = (
    "002003 (42S02): SQL compilation error:\nObject 'D.PUBLIC.{}' does not exist or not authorized."
)


@pytest.fixture
def other(warehouse_dir: Path, sf: Session) -> Iterator[Session]:
    """A second session of the same user, in database D."""
    run(sf, "CREATE DATABASE d")
    s = Session.open(warehouse_dir, dialect="snowflake", clock=FixedClock(START), project="d")
    yield s
    s.close()


def test_temporary_table_is_the_sessions_own(sf: Session, other: Session) -> None:
    assert status(sf, "CREATE TEMPORARY TABLE tmp (id INT)") == "Table TMP successfully created."
    run(sf, "INSERT INTO tmp VALUES (1), (2)")
    assert rows(sf, "SELECT count(*) FROM tmp") == [(2,)]
    assert fails(other, "SELECT * FROM tmp").text == MISSING.format("TMP")
    # The other session may make its own of the same name; each sees its own rows.
    run(other, "CREATE TEMP TABLE tmp (id INT); INSERT INTO tmp VALUES (7)")
    assert rows(other, "SELECT id FROM tmp") == [(7,)]
    assert rows(sf, "SELECT id FROM tmp ORDER BY id") == [(1,), (2,)]
    shown = rows(sf, "SHOW TABLES")
    assert [(r[1], r[4]) for r in shown] == [("TMP", "TEMPORARY")]
    assert [r[1] for r in rows(other, "SHOW TABLES")] == ["TMP"]


@pytest.mark.parametrize("spelling", ["TEMP", "LOCAL TEMPORARY", "GLOBAL TEMP", "VOLATILE"])
def test_spellings(sf: Session, other: Session, spelling: str) -> None:
    run(sf, f"CREATE {spelling} TABLE t1 (a INT)")
    assert [(r[1], r[4]) for r in rows(sf, "SHOW TABLES")] == [("T1", "TEMPORARY")]
    assert rows(other, "SHOW TABLES") == []


def test_gone_at_session_end(warehouse_dir: Path, sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE keep (a INT)")
    first = Session.open(warehouse_dir, dialect="snowflake", clock=FixedClock(START), project="d")
    run(first, "CREATE TEMPORARY TABLE tmp (a INT); INSERT INTO tmp VALUES (1)")
    run(first, "CREATE TEMPORARY VIEW tv AS SELECT 1 AS x")
    first.close()
    assert [r[1] for r in rows(sf, "SHOW TABLES HISTORY")] == ["KEEP"]
    assert fails(sf, "UNDROP TABLE tmp").code == "002003"
    _rows(sf, "SELECT * FROM keep")  # D attached: its storage is visible to DuckDB
    physical = sf.warehouse.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name NOT IN ('__cs', 'sf_meta') "
        "AND database_name NOT IN ('memory', 'temp', 'system', 'cs_warehouse') "
        "AND database_name LIKE 'p%'"
    ).fetchone()
    assert physical == (1,)  # only KEEP's storage is left


def test_shadows_a_permanent_table(sf: Session, other: Session) -> None:
    run(sf, "CREATE TABLE t (a INT); INSERT INTO t VALUES (1)")
    run(sf, "CREATE TEMPORARY TABLE t (a INT, b STRING); INSERT INTO t VALUES (2, 'tmp')")
    assert rows(sf, "SELECT * FROM t") == [(2, "tmp")]
    assert rows(other, "SELECT * FROM t") == [(1,)]
    assert sorted((r[1], r[4]) for r in rows(sf, "SHOW TABLES")) == [
        ("T", "TABLE"),
        ("T", "TEMPORARY"),
    ]
    # Dropping the temporary table uncovers the permanent one again.
    run(sf, "DROP TABLE t")
    assert rows(sf, "SELECT * FROM t") == [(1,)]


def test_create_or_replace_temporary_table_and_view(sf: Session, other: Session) -> None:
    run(sf, "CREATE TABLE src (a INT); INSERT INTO src VALUES (1), (2)")
    run(sf, "CREATE OR REPLACE TEMPORARY TABLE x AS SELECT a FROM src")
    run(sf, "CREATE OR REPLACE TEMPORARY TABLE x AS SELECT a * 10 AS a FROM src")
    assert rows(sf, "SELECT a FROM x ORDER BY a") == [(10,), (20,)]
    assert status(sf, "CREATE OR REPLACE TEMPORARY VIEW v AS SELECT max(a) AS m FROM src") == (
        "View V successfully created."
    )
    run(sf, "CREATE OR REPLACE TEMPORARY VIEW v AS SELECT min(a) AS m FROM src")
    assert rows(sf, "SELECT m FROM v") == [(1,)]
    assert fails(other, "SELECT m FROM v").text == MISSING.format("V")
    assert "already exists" in fails(sf, "CREATE TEMPORARY TABLE x (a INT)").text


def test_temporary_retention_is_at_most_one_day(sf: Session, other: Session) -> None:
    err = fails(sf, "CREATE TEMPORARY TABLE t (a INT) DATA_RETENTION_TIME_IN_DAYS = 2")
    assert "DATA_RETENTION_TIME_IN_DAYS" in err.text
    run(sf, "ALTER DATABASE d SET DATA_RETENTION_TIME_IN_DAYS = 10")
    run(sf, "CREATE TEMPORARY TABLE t (a INT)")
    assert rows(sf, "SHOW TABLES")[0][10] == "1"


def test_clone_rules(sf: Session, other: Session) -> None:
    run(sf, "CREATE TEMPORARY TABLE tmp (a INT); INSERT INTO tmp VALUES (1)")
    run(sf, "CREATE TRANSIENT TABLE tr (a INT); CREATE TABLE perm (a INT)")
    err = fails(sf, "CREATE TABLE c1 CLONE tmp")
    assert err.text == (
        "002000 (42000): SQL compilation error:\n"
        "Temp table can not be cloned to a permanent table; clone to a transient table instead."
    )
    assert "Transient table can not be cloned to a permanent table" in (
        fails(sf, "CREATE TABLE c2 CLONE tr").text
    )
    run(sf, "CREATE TRANSIENT TABLE c3 CLONE tmp")
    run(sf, "CREATE TEMPORARY TABLE c4 CLONE tmp")
    run(sf, "CREATE TEMPORARY TABLE c5 CLONE perm")
    run(sf, "CREATE TEMPORARY TABLE c6 CLONE tr")
    kinds = {r[1]: r[4] for r in rows(sf, "SHOW TABLES")}
    assert kinds == {
        "C3": "TRANSIENT",
        "C4": "TEMPORARY",
        "C5": "TEMPORARY",
        "C6": "TEMPORARY",
        "PERM": "TABLE",
        "TMP": "TEMPORARY",
        "TR": "TRANSIENT",
    }
    assert rows(sf, "SELECT a FROM c4") == [(1,)]
    # A schema clone leaves the temporary tables out.
    run(sf, "CREATE SCHEMA s2 CLONE public")
    assert sorted(r[1] for r in rows(sf, "SHOW TABLES IN SCHEMA s2")) == ["C3", "PERM", "TR"]
