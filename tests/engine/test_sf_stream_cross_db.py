"""Consuming a stream of another database (issue 13, defect 5): exactly once — the offset
moves, a rerun adds nothing — also when the statement dies between the target's commit and
the stream database's (engine/snowflake/consumption.py)."""

from __future__ import annotations

import subprocess
import sys
import time
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


# The consumer, killed (os._exit) right after its target's commit, before the stream's
# database's: a process of its own, so the reader below can hold the files meanwhile.
_KILLED_CONSUMER = """
import os, sys
from pathlib import Path
from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock
from cloneshell.engine.snowflake import consumption
from datetime import datetime
clock = FixedClock(datetime(2024, 1, 15, 10))
s = Session.open(Path(sys.argv[1]), dialect="snowflake", clock=clock)
consumption.apply = lambda *a: os._exit(9)
s.execute(sys.argv[2])
os._exit(3)  # not reached: the kill comes first
"""


def test_a_reader_open_before_the_kill_never_sees_the_rows_twice_or_not_at_all(
    tmp_path: Path,
) -> None:
    """The race the two-file step must not have: a shell that opened (and ran recovery)
    before the consumer died, and holds both databases attached between its statements.
    It reads the stream and the target in one statement, over and over, while the consumer
    commits the target and dies before the stream's database: every read counts the two rows
    exactly once (in the stream before, in the target after), never in both or neither. It
    cannot see the step half-done because the consumer holds both files read-write (DuckDB's
    exclusive file lock) from before its marker exists until it dies; from then on the
    marker, checked against the target's commit log at each statement, is the offset."""
    s = _open(tmp_path)
    run(s, SETUP)
    s.close()
    reader = _open(tmp_path)
    both = "SELECT (SELECT count(*) FROM db1.public.s) + (SELECT count(*) FROM db2.public.t2)"
    try:
        assert rows(reader, both) == [(2,)]  # both files attached, kept between statements
        consumer = subprocess.Popen(
            [sys.executable, "-c", _KILLED_CONSUMER, str(tmp_path), CONSUME],
            stderr=subprocess.PIPE,
        )
        seen: list[object] = []
        deadline = time.monotonic() + 120
        while consumer.poll() is None and time.monotonic() < deadline:
            seen.extend(r[0] for r in rows(reader, both))
        _, err = consumer.communicate(timeout=60)
        assert consumer.returncode == 9, err.decode()
        for _ in range(3):
            seen.extend(r[0] for r in rows(reader, both))
        assert set(seen) == {2}, seen
        assert len(consumption.markers(tmp_path)) == 1  # the kill left the debt
        assert _sink(reader) == [(1,), (2,)]
        run(reader, CONSUME)  # nothing left to consume: no duplicates
        assert _sink(reader) == [(1,), (2,)]
    finally:
        reader.close()
    s = _open(tmp_path)
    try:
        assert consumption.markers(tmp_path) == []
        assert rows(s, both) == [(2,)]
    finally:
        s.close()
