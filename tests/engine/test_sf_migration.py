"""Files written before the Snowflake dialect (registry format 1, project files without format 2
metadata) are migrated additively on first use, and keep working in both dialects."""

from __future__ import annotations

from pathlib import Path

import duckdb
from engine_helpers import OWNER_A, START, lines, rows, run

from cloneshell.engine import Session


def _downgrade(root: Path) -> None:
    """Make a current warehouse look like one written by the MaxCompute-only version."""
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    for t in ("databases", "sf_users", "sf_roles", "sf_role_grants", "sf_account_grants"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    con.execute("UPDATE settings SET value = '1' WHERE key = 'format_version'")
    con.close()
    for path in (root / "projects").glob("*.duckdb"):
        con = duckdb.connect(str(path))
        for col in ("schema_id", "retention_explicit", "transient", "history_from", "dropped_at"):
            con.execute(f"ALTER TABLE __cs.tables DROP COLUMN {col}")
        con.execute("DROP TABLE __cs.schemas")
        con.execute("DROP TABLE __cs.sf_grants")
        con.execute("DELETE FROM __cs.project WHERE key = 'format'")
        con.close()


def test_old_files_are_migrated(warehouse_dir: Path) -> None:
    s = Session.open(warehouse_dir, principal=OWNER_A, clock=START)
    run(s, "CREATE TABLE t (id BIGINT); INSERT INTO t VALUES (1)")
    s.close()
    _downgrade(warehouse_dir)
    s = Session.open(warehouse_dir, principal=OWNER_A, clock=START)
    try:
        assert rows(s, "SELECT * FROM t") == [(1,)]
        run(s, "CREATE TABLE u (id BIGINT); INSERT INTO u SELECT * FROM t")
        assert lines(s, "SHOW TABLES") == (f"{OWNER_A}:t", f"{OWNER_A}:u")
        run(s, "ALTER SESSION SET DIALECT = snowflake")
        run(s, "CREATE DATABASE d; CREATE TABLE x (v INT)")
        assert rows(s, "SELECT count(*) FROM x") == [(0,)]
    finally:
        s.close()
    # The registry now has the current format: opening it again writes nothing.
    before = (warehouse_dir / "warehouse.duckdb").read_bytes()
    Session.open(warehouse_dir, principal=OWNER_A, clock=START).close()
    assert (warehouse_dir / "warehouse.duckdb").read_bytes() == before
