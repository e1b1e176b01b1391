"""Crash atomicity (docs/trust.md): `cloneshell` killed with SIGKILL inside a statement leaves
the warehouse exactly as before or exactly as after the statement, and it opens with no
manual step. The short version of scripts/crash: small data, two kills per statement kind,
fixed seed (so the kill offsets are the same each run). The file-level recovery step
(Warehouse.hold_intent / recover) is tested directly below."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import duckdb
import pytest
from crash_helpers import load_crash

from cloneshell.engine import Session
from cloneshell.engine.core.warehouse import Warehouse

OWNER = "ALIYUN$owner@aliyun.com"


def test_kill_anywhere_leaves_before_or_after(tmp_path: Path) -> None:
    crash = load_crash()
    lines: list[str] = []
    kills = crash.run_all(
        kills=2, rows=4096, seed=20240115, work=tmp_path, say=lines.append, calibration_runs=1
    )
    print("\n".join(lines))
    assert len(kills) >= 20
    assert {k.scenario for k in kills} == {s.name for s in crash.SCENARIOS}
    failed = [(k.scenario, k.index, k.offset, k.state, k.problems) for k in kills if k.problems]
    assert not failed
    assert all(k.state in ("before", "after") for k in kills)
    # The kill instants come from the measured statement window: most land inside it.
    during = sum(k.landed == "during" for k in kills)
    assert during >= len(kills) // 2, lines


def _registry_file(root: Path, sql: str) -> None:
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    try:
        con.execute(sql)
    finally:
        con.close()


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    root = tmp_path / "wh"
    Session.open(root, principal=OWNER).close()
    return root


def test_a_file_the_registry_does_not_list_is_deleted_on_open(warehouse: Path) -> None:
    # A CREATE PROJECT killed after making its file, before registering it.
    projects = warehouse / "projects"
    duckdb.connect(str(projects / "half_made.duckdb")).close()
    (projects / "half_made.intent").touch()
    Warehouse.open(warehouse).close()
    assert not (projects / "half_made.duckdb").exists()
    assert not (projects / "half_made.intent").exists()
    assert (projects / "my_project.duckdb").exists()


def test_a_registered_file_stays_and_its_intent_goes(warehouse: Path) -> None:
    # A CREATE PROJECT killed after registering, before removing its intent.
    projects = warehouse / "projects"
    (projects / "my_project.intent").touch()
    wh = Warehouse.open(warehouse)
    try:
        assert [p.name for p in wh.list_projects()] == ["my_project"]
    finally:
        wh.close()
    assert (projects / "my_project.duckdb").exists()
    assert not (projects / "my_project.intent").exists()


def test_the_intent_of_a_live_process_is_left_alone(warehouse: Path) -> None:
    # Another shell is making this file right now: its intent is locked.
    projects = warehouse / "projects"
    duckdb.connect(str(projects / "in_progress.duckdb")).close()
    fd = os.open(projects / "in_progress.intent", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        Warehouse.open(warehouse).close()
        assert (projects / "in_progress.duckdb").exists()
    finally:
        os.close(fd)
    Warehouse.open(warehouse).close()
    assert not (projects / "in_progress.duckdb").exists()


def test_a_dropped_project_killed_before_its_file_went(warehouse: Path) -> None:
    # DROP PROJECT unregisters, then deletes the file: killed in between.
    s = Session.open(warehouse, principal=OWNER)
    s.execute("CREATE PROJECT doomed")
    s.close()
    _registry_file(warehouse, "DELETE FROM projects WHERE name = 'doomed'")
    (warehouse / "projects" / "doomed.intent").touch()
    Warehouse.open(warehouse).close()
    assert not (warehouse / "projects" / "doomed.duckdb").exists()


def test_duckdb_writes_one_attached_file_per_transaction(tmp_path: Path) -> None:
    """What the atomicity rests on (DESIGN.md): DuckDB refuses a transaction that writes two
    attached files, so each statement commits in one file; statements that change a file and
    the registry use the intents above."""
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{tmp_path / 'a.duckdb'}' AS a")
    con.execute(f"ATTACH '{tmp_path / 'b.duckdb'}' AS b")
    con.execute("CREATE TABLE a.t (x INT)")
    con.execute("CREATE TABLE b.t (x INT)")
    con.execute("BEGIN TRANSACTION")
    con.execute("INSERT INTO a.t VALUES (1)")
    with pytest.raises(duckdb.TransactionException, match="single attached database"):
        con.execute("INSERT INTO b.t VALUES (1)")
    con.close()
