"""Defect 24 (issue 13): a full disk. The closing checkpoint printed `internal error:
IOException … Checkpoint failed`, a Snowflake clone `internal error: OSError [Errno 28]` with
internal paths, and the shell exited 1 although the statement had committed. Now: a coded
"disk full" error naming the project (database), no paths, and the exit status says whether
the statement committed (3: it did, its changes are kept; 1: it changed nothing).

The full disk is injected at the storage boundary, in-process: DuckDB's connection raises
the errors duckdb 2.0.1 raises on a full file system (their texts were taken from a full
tmpfs: a failed CHECKPOINT keeps the WAL whole, a failed COMMIT rolls back), and
`shutil.copyfile` raises OSError(ENOSPC)."""

from __future__ import annotations

import errno
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cloneshell.engine import Session
from cloneshell.engine.core.duck import duckdb as native
from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.main import main

OWNER = "ALIYUN$alice@aliyun.com"


class _FullDisk:
    """A DuckDB connection whose `execute` fails as on a full disk while `full(sql)` says so."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def execute(self, sql: str, *args: Any) -> Any:
        if _FULL["on"] is not None and _FULL["on"](sql):
            raise _FULL["error"](sql)
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


_FULL: dict[str, Any] = {"on": None, "error": None}


def _checkpoint_fails(sql: str) -> duckdb.Error:
    alias = sql.split()[1].strip('"')
    return duckdb.IOException(
        f'IO Error: Checkpoint failed for database "{alias}". The database has been '
        'invalidated. Original error: Could not write file "/srv/wh/projects/x.duckdb": '
        "No space left on device"
    )


def _commit_fails(sql: str) -> duckdb.Error:
    return duckdb.TransactionException(
        'TransactionContext Error: Failed to commit: Could not write file "/srv/wh/projects/'
        'x.duckdb.wal": No space left on device'
    )


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """`full_disk(on, error)` makes every later statement matching `on` fail; `full_disk()`
    frees the disk again."""
    real = native.connect
    monkeypatch.setattr(native, "connect", lambda *a, **k: _FullDisk(real(*a, **k)))

    def arm(
        on: Callable[[str], bool] | None = None,
        error: Callable[[str], duckdb.Error] | None = None,
    ) -> None:
        _FULL["on"], _FULL["error"] = on, error

    yield arm
    arm()


def _is_checkpoint(sql: str) -> bool:
    return sql.startswith("CHECKPOINT") and "prj_" in sql


def _rows(s: Session, sql: str) -> list[tuple[object, ...]]:
    (result,) = s.execute(sql)
    return list(result.rows)  # type: ignore[attr-defined]


def _no_path(text: str) -> None:
    assert "/" not in text and "duckdb" not in text.lower() and "Errno" not in text, text


def test_a_full_disk_at_the_closing_checkpoint_is_coded_and_keeps_the_commit(
    tmp_path: Path, full_disk: Callable[..., None]
) -> None:
    """The statement committed (its WAL); only merging it into the file failed: a coded error
    naming the project, `committed`, and the row is there when the disk has space again."""
    root = tmp_path / "wh"
    s = Session.open(root, principal=OWNER)
    try:
        s.execute("CREATE PROJECT sales;")
        s.execute("USE sales;")
        s.execute("CREATE TABLE t (v BIGINT);")
        s.idle()
        s.execute("INSERT INTO t VALUES (1);")
        full_disk(_is_checkpoint, _checkpoint_fails)
        with pytest.raises(CloneshellError) as err:
            s.idle()
        assert err.value.text == (
            "ODPS-0010000: Disk full: no space left to write project sales; the statement "
            "committed: its changes are kept, and are written into the file when there is space"
        )
        assert err.value.committed
        _no_path(err.value.text)
        full_disk()
        assert _rows(s, "SELECT v FROM t;") == [(1,)]
    finally:
        s.close()
    s = Session.open(root, principal=OWNER)
    try:
        assert _rows(s, "SELECT v FROM sales.t;") == [(1,)]
    finally:
        s.close()


def test_a_full_disk_at_commit_changes_nothing(
    tmp_path: Path, full_disk: Callable[..., None]
) -> None:
    s = Session.open(tmp_path / "wh", dialect="snowflake")
    try:
        s.execute("CREATE DATABASE D")
        s.execute("CREATE TABLE T (X INT)")
        full_disk(lambda sql: sql == "COMMIT", _commit_fails)
        with pytest.raises(CloneshellError) as err:
            s.execute("INSERT INTO T VALUES (1)")
        assert err.value.text == (
            "000603 (53100): Disk full: no space left to write database 'D'; the statement "
            "changed nothing"
        )
        assert not err.value.committed
        full_disk()
        assert _rows(s, "SELECT count(*) FROM T") == [(0,)]
    finally:
        s.close()


def test_a_clone_on_a_full_disk_is_coded_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database clone copies the source's file: ENOSPC there said `internal error: OSError
    [Errno 28]` with both paths. Now: the clone's name, nothing created, no partial copy."""
    root = tmp_path / "wh"
    s = Session.open(root, dialect="snowflake")
    try:
        s.execute("CREATE DATABASE SRC")
        s.execute("CREATE TABLE T (X INT)")
        s.execute("INSERT INTO T VALUES (1)")
        s.idle()
        before = sorted(p.name for p in (root / "projects").iterdir())
        real = shutil.copyfile

        def copy_half(src: str, dst: str, **kw: Any) -> str:
            real(src, dst, **kw)
            with open(dst, "r+b") as f:
                f.truncate(4096)
            raise OSError(errno.ENOSPC, "No space left on device", str(src), None, str(dst))

        monkeypatch.setattr(shutil, "copyfile", copy_half)
        with pytest.raises(CloneshellError) as err:
            s.execute("CREATE DATABASE CLN CLONE SRC")
        assert err.value.text == (
            "000603 (53100): Disk full: no space left to write database 'CLN'; the statement "
            "changed nothing"
        )
        _no_path(err.value.text)
        monkeypatch.setattr(shutil, "copyfile", real)
        assert [r[1] for r in _rows(s, "SHOW DATABASES")] == ["SRC"]
        s.idle()
        assert sorted(p.name for p in (root / "projects").iterdir()) == before
    finally:
        s.close()


def test_the_exit_status_says_whether_the_statement_committed(
    tmp_path: Path, full_disk: Callable[..., None], capsys: pytest.CaptureFixture[str]
) -> None:
    """3: the disk was full after the statements committed (kept); 1: a statement failed and
    changed nothing. Before: 1 for both, and the closing checkpoint's `internal error`."""
    root = tmp_path / "wh"
    assert main(["-w", str(root), "-u", OWNER, "-e", "CREATE PROJECT sales;"]) == 0
    capsys.readouterr()
    full_disk(_is_checkpoint, _checkpoint_fails)
    status = main(
        [
            "-w",
            str(root),
            "-u",
            OWNER,
            "-p",
            "sales",
            "-e",
            "CREATE TABLE t (v BIGINT); INSERT INTO t VALUES (1);",
        ]
    )
    err = capsys.readouterr().err
    assert status == 3, err
    assert "Disk full: no space left to write project sales; the statement committed" in err
    assert "internal error" not in err and not re.search(r"/\S+duckdb", err), err
    full_disk(lambda sql: sql == "COMMIT", _commit_fails)
    status = main(["-w", str(root), "-u", OWNER, "-p", "sales", "-e", "INSERT INTO t VALUES (2);"])
    err = capsys.readouterr().err
    assert status == 1, err
    assert "the statement changed nothing" in err, err
    full_disk()
    assert main(["-w", str(root), "-u", OWNER, "-p", "sales", "-e", "SELECT v FROM t;"]) == 0
    shown = capsys.readouterr().out.split()
    assert "1" in shown and "2" not in shown, shown  # the kept row, not the refused one
