"""Private scratch folders under `<warehouse>/tmp/`, each held by the live process using it, and
the clean-up of those whose process died.

A folder `tmp/<kind>_<hex>/` exists only while `tmp/<kind>_<hex>.held` is flock-ed by the
process that made it: the lock is taken before the folder is made and the folder deleted
before the lock file, so a folder whose lock file can be locked belongs to no living process
(the lock goes with the process, kill -9 included). `sweep`, run whenever the warehouse is
opened (Warehouse.recover), deletes those. Staleness comes from the holder's liveness only,
never from time. Everything else in tmp/ (DuckDB's spill files) is left alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

_HELD = re.compile(r"[a-z]+_[0-9a-f]{16}\.held")


@contextlib.contextmanager
def folder(root: Path, kind: str) -> Iterator[Path]:
    """A new, empty folder `<root>/tmp/<kind>_<hex>/` for this process alone, deleted
    afterwards (by `sweep` on the next open if the process dies first)."""
    assert re.fullmatch(r"[a-z]+", kind), kind
    tmp = root / "tmp"
    while True:
        name = f"{kind}_{secrets.token_hex(8)}"
        held = tmp / f"{name}.held"
        try:
            fd = os.open(held, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        # A sweep may have locked and removed it between its creation and our lock.
        if try_lock(fd) and same_file(held, fd):
            break
        os.close(fd)
    path = tmp / name
    try:
        path.mkdir()
        yield path
    finally:
        try:
            shutil.rmtree(path, ignore_errors=True)
            held.unlink(missing_ok=True)
        finally:
            os.close(fd)


def sweep(root: Path) -> None:
    """Delete the scratch folders of processes that died (their lock file is free)."""
    tmp = root / "tmp"
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(tmp):
            if not _HELD.fullmatch(entry.name):
                continue
            try:
                fd = os.open(entry.path, os.O_RDWR)
            except FileNotFoundError:
                continue  # its holder finished meanwhile
            try:
                if try_lock(fd) and same_file(Path(entry.path), fd):
                    shutil.rmtree(tmp / entry.name[: -len(".held")], ignore_errors=True)
                    os.unlink(entry.path)
            finally:
                os.close(fd)


def try_lock(fd: int) -> bool:
    """Take an exclusive flock on `fd` without waiting; released when the process ends."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def same_file(path: Path, fd: int) -> bool:
    """True if `path` still names the file open as `fd` (not removed and made again)."""
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False
