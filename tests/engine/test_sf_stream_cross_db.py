"""Consuming a stream of another database (issue 13, defect 5): exactly once — the offset
moves, a rerun adds nothing — also when the statement dies between the target's commit and
the stream database's (engine/snowflake/consumption.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_helpers import START, rows, run

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock
from cloneshell.engine.snowflake import consumption

SETUP = """CREATE DATABASE db1; CREATE TABLE t (a INT); CREATE STREAM s ON TABLE t;
INSERT INTO t VALUES (1), (2); CREATE DATABASE db2; CREATE TABLE t2 (a INT)"""
CONSUME = "INSERT INTO DB2.PUBLIC.T2 SELECT a FROM DB1.PUBLIC.S"


def _open(root: Path) -> Session:
    return Session.open(root, dialect="snowflake", clock=FixedClock(START))


def _sink(s: Session) -> list[tuple[object, ...]]:
    return rows(s, "SELECT a FROM db2.public.t2 ORDER BY a")


def test_consuming_from_another_database_moves_the_offset(tmp_path: Path) -> None:
    """Failed before the fix: the rows committed, the statement failed with DuckDB's
    read-only-attach error, the offset stayed and a rerun duplicated the rows."""
    s = _open(tmp_path)
    run(s, SETUP)
    s.close()
    s = _open(tmp_path)  # a fresh shell: db1 is attached read-only until written
    try:
        run(s, CONSUME)
        assert _sink(s) == [(1,), (2,)]
        assert rows(s, "SELECT count(*) FROM db1.public.s") == [(0,)]
        run(s, CONSUME)
        assert _sink(s) == [(1,), (2,)]
        run(s, "INSERT INTO db1.public.t VALUES (3)")
        run(s, CONSUME)
        assert _sink(s) == [(1,), (2,), (3,)]
        assert consumption.markers(tmp_path) == []
    finally:
        s.close()


def _die_between_commits(s: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run CONSUME and stop it right after the target's commit, as kill -9 would."""

    def killed(*_: object) -> None:
        raise KeyboardInterrupt  # stands for the kill: nothing after this point runs

    with monkeypatch.context() as m:
        m.setattr(consumption, "apply", killed)
        with pytest.raises(BaseException):  # noqa: B017 - whatever the session makes of it
            s.execute(CONSUME)


def test_a_kill_between_the_two_commits_is_settled_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = _open(tmp_path)
    run(s, SETUP)
    s.warehouse.detach_all()  # idle, as between a shell's statements when another waits
    reader = _open(tmp_path)  # a shell already open when the writer dies
    reader.warehouse.detach_all()
    try:
        _die_between_commits(s, monkeypatch)
        s.warehouse.con.close()  # the dead process's files go without a checkpoint
        assert len(consumption.markers(tmp_path)) == 1
        # The rows are in DB2; the open shell counts the marker as the offset.
        assert _sink(reader) == [(1,), (2,)]
        assert rows(reader, "SELECT count(*) FROM db1.public.s") == [(0,)]
        run(reader, CONSUME)
        assert _sink(reader) == [(1,), (2,)]
    finally:
        reader.close()
    s = _open(tmp_path)  # recovery settles the marker
    try:
        assert consumption.markers(tmp_path) == []
        assert rows(s, "SELECT count(*) FROM db1.public.s") == [(0,)]
        run(s, CONSUME)
        assert _sink(s) == [(1,), (2,)]
    finally:
        s.close()


def test_a_marker_whose_target_never_committed_is_forgotten(tmp_path: Path) -> None:
    s = _open(tmp_path)
    run(s, SETUP)
    db1, db2 = s.warehouse.get_database("DB1"), s.warehouse.get_database("DB2")
    assert db1 is not None and db2 is not None
    s.close()
    marker = consumption.Marker(db1.file, db2.file, "never-committed", ((1, 99),), START, "X", "")
    consumption.write(tmp_path, marker)
    s = _open(tmp_path)
    try:
        assert consumption.markers(tmp_path) == []
        assert rows(s, "SELECT a FROM db1.public.s ORDER BY a") == [(1,), (2,)]
    finally:
        s.close()
