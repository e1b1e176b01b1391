"""Opening a warehouse always works or fails clearly: what processes that died leave never
blocks or breaks the next ones (lock markers count only while their process lives, entries of
projects/ the engine did not make are reported and left alone, a killed compaction's copy is
deleted on the next open), and a path DuckDB cannot name is refused before anything is made
(engine/core/warehouse.py: Warehouse.open, recover, `_waiters`)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from engine_helpers import OWNER_A, START, rows, run

from cloneshell.engine import Session
from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.main import main


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A warehouse with my_project holding t (1 row), every shell closed."""
    wh = tmp_path / "wh"
    s = Session.open(wh, principal=OWNER_A, clock=START)
    run(s, "CREATE TABLE t (v BIGINT); INSERT INTO t VALUES (1);")
    s.close()
    return wh


def dead_pid() -> int:
    """The PID of a process that has exited."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


# ---------------------------------------------------------------------------- 13: lock markers


@pytest.mark.parametrize("holder", ["dead", "live"])
def test_a_marker_with_a_future_mtime_never_makes_a_file_busy(root: Path, holder: str) -> None:
    """Defect 13: `locks/<file>.<pid>` of a dead process, with an mtime in the future, counted
    as a fresh waiter for ever: every statement on the file waited and failed. A live PID with
    a future mtime (a recycled PID, a hand-made marker) is no waiter either: a waiter renews
    its marker to now."""
    sleeper = None
    if holder == "dead":
        pid = dead_pid()
    else:
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        pid = sleeper.pid
    try:
        marker = root / "locks" / f"my_project.duckdb.{pid}"
        marker.write_text("0.0")  # the oldest statement there could be
        future = time.time() + 86_400
        os.utime(marker, (future, future))
        s = Session.open(root, principal=OWNER_A, clock=START, lock_timeout=1.0)
        try:
            started = time.monotonic()
            run(s, "INSERT INTO t VALUES (2)")
            assert rows(s, "SELECT count(*) FROM t") == [(2,)]
            assert time.monotonic() - started < 1.0
        finally:
            s.close()
        # A day ahead is no renewal of a minute-old marker: deleted, whoever made it.
        assert not marker.exists()
    finally:
        if sleeper is not None:
            sleeper.kill()
            sleeper.wait()


def test_a_marker_of_a_dead_process_is_deleted_at_once(root: Path) -> None:
    """A fresh marker whose process is gone is no waiter: deleted the first time it is seen,
    not after a minute."""
    marker = root / "locks" / f"my_project.duckdb.{dead_pid()}"
    marker.write_text("0.0")
    s = Session.open(root, principal=OWNER_A, clock=START, lock_timeout=1.0)
    try:
        run(s, "INSERT INTO t VALUES (2)")
    finally:
        s.close()
    assert not marker.exists()


# ---------------------------------------------------------------------------- 14: stray files


def test_a_stray_intent_is_reported_and_left_alone(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 14: `projects/my_project copy.intent` (a file manager's copy) made every open of
    the warehouse exit 2 (its name is no project name). Recovery skips it and says so."""
    stray = root / "projects" / "my_project copy.intent"
    stray.write_text("")
    other = root / "projects" / "notes.txt"
    other.write_text("mine")
    status = main(["-w", str(root), "-u", OWNER_A, "-e", "SELECT count(*) FROM t;"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert captured.err.splitlines() == [
        "cloneshell: warning: projects/my_project copy.intent: not a file cloneshell made; "
        "left alone",
        "cloneshell: warning: projects/notes.txt: not a file cloneshell made; left alone",
    ]
    assert stray.exists() and other.read_text() == "mine"
    s = Session.open(root, principal=OWNER_A, clock=START)
    try:
        assert s.notices == (
            "projects/my_project copy.intent: not a file cloneshell made; left alone",
            "projects/notes.txt: not a file cloneshell made; left alone",
        )
    finally:
        s.close()


# ---------------------------------------------------------------------------- 17: compaction


# A table of 2**16 rows of 64 hex digits, written to the file (detach checkpoints), then
# dropped: about half the file's blocks are then free.
FILL = [
    "CREATE TABLE big (v BIGINT, s STRING)",
    "INSERT INTO big VALUES (1, 'x')",
    *[
        "INSERT INTO big SELECT v + (SELECT max(v) FROM big), "
        "concat(md5(CAST(v AS STRING)), md5(s)) FROM big"
    ]
    * 16,
]


def _compacted_copies(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "projects").iterdir() if ".compacting" in p.name)


def test_a_compaction_killed_before_its_rename_leaves_nothing_after_reopen(root: Path) -> None:
    """Defect 17: kill -9 during idle compaction left `<file>.compacting` and
    `<file>.compacting.wal`, which survived every reopen. Here the process kills itself at the
    instant the finished copy would replace the file."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from cloneshell.engine import Session
        s = Session.open({str(root)!r}, principal={OWNER_A!r})
        wh = s.warehouse
        for sql in {FILL!r}:
            s.execute(sql)
        wh.detach_all()
        s.execute("DROP TABLE big")
        os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
        wh.compact(wh.require_project("my_project"), min_bytes=0)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()
    assert _compacted_copies(root) == ["my_project.compacting"]
    s = Session.open(root, principal=OWNER_A, clock=START)
    try:
        assert _compacted_copies(root) == []
        assert not (root / "projects" / "my_project.intent").exists()
        assert rows(s, "SELECT v FROM t") == [(1,)]
    finally:
        s.close()


def test_the_copy_of_a_live_compaction_is_left_alone(root: Path) -> None:
    """Another process compacting right now holds the file's intent: its copy is not deleted
    under it; once it is gone, the next open deletes what it left."""
    projects = root / "projects"
    duckdb.connect(str(projects / "my_project.compacting")).close()
    fd = os.open(projects / "my_project.intent", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        Session.open(root, principal=OWNER_A, clock=START).close()
        assert _compacted_copies(root) == ["my_project.compacting"]
    finally:
        os.close(fd)
    Session.open(root, principal=OWNER_A, clock=START).close()
    assert _compacted_copies(root) == []
    assert not (projects / "my_project.intent").exists()


def test_compaction_still_shrinks_a_mostly_free_file(root: Path) -> None:
    s = Session.open(root, principal=OWNER_A, clock=START)
    try:
        wh = s.warehouse
        for sql in FILL:
            run(s, sql)
        wh.detach_all()
        run(s, "DROP TABLE big")
        path = root / "projects" / "my_project.duckdb"
        before = path.stat().st_size
        assert wh.compact(wh.require_project("my_project"), min_bytes=0)
        assert path.stat().st_size < before
        assert _compacted_copies(root) == []
        assert not (root / "projects" / "my_project.intent").exists()
        assert rows(s, "SELECT v FROM t") == [(1,)]
    finally:
        s.close()


# ---------------------------------------------------------------------------- 23: odd paths


@pytest.mark.parametrize("name", ["a?b", "a\\b"])
def test_a_warehouse_path_duckdb_cannot_name_is_refused_up_front(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 23: a path with `?` failed with `internal error: PermissionException …` and a
    logged traceback (DuckDB read `?` as options); one with `\\` was silently changed into
    subdirectories. Both are refused before anything is created: exit 2, a clear message."""
    root = tmp_path / name
    status = main(["-w", str(root), "-u", OWNER_A, "-e", "SELECT 1;"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        f"cloneshell: error: warehouse {root}: its path contains ? or \\, which DuckDB cannot "
        "use in a file name; choose another directory\n"
    )
    with pytest.raises(CloneshellError) as info:
        Session.open(root, principal=OWNER_A)
    text = info.value.text
    assert text.startswith("ODPS-0420061: Invalid parameter - warehouse path /"), text
    assert text.endswith(
        f" contains '{name[1]}', which DuckDB cannot use in a file name: choose a directory "
        "whose path has no ? or \\"
    ), text
    assert list(tmp_path.iterdir()) == []


def test_other_punctuation_in_a_warehouse_path_works(tmp_path: Path) -> None:
    root = tmp_path / "my wh*[1]{x}%#'=,"
    s = Session.open(root, principal=OWNER_A, clock=START)
    try:
        run(s, "CREATE TABLE t (v BIGINT); INSERT INTO t VALUES (1);")
        assert rows(s, "SELECT v FROM t") == [(1,)]
    finally:
        s.close()
    assert (root / "projects" / "my_project.duckdb").is_file()
