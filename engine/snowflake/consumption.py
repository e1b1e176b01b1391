"""Consuming a stream of another database exactly once: the two-file step and its recovery.

DuckDB commits one file per transaction, so `INSERT INTO DB2.S.T SELECT … FROM DB1.S.STREAM`
commits twice: DB2 (the rows, its commit log naming the statement) then DB1 (the stream's new
offset, one version of its own). The statement holds both files read-write from before the
first commit to after the second (`Warehouse.writable_together`), and between them a marker
file `<warehouse>/streams/<DB1 file>.<statement id>.json` says what DB1 owes: the streams and
the versions read. The marker is written before DB2 commits and removed after DB1 did, so
after a kill -9 anywhere:
- no marker: nothing of the step happened, or all of it;
- a marker whose statement is not in DB2's commit log: DB2 never committed; the marker goes;
- a marker whose statement DB2 committed: DB1 owes the offsets; `settle` moves them in the
  same commit the live statement would have made (idempotent: a stream already past the
  version is left, a DB1 that already has the statement's commit is done).
`recover` settles every marker when a Snowflake session opens the warehouse; until then (a
shell that was already open) a stream's reader counts a settled-to-be marker as the offset
(`offset`), so a stream never shows rows twice.

Why a reader that opened before the kill (so its recovery ran too early) cannot see the step
half done: to read the stream it must attach DB1, which the consumer holds read-write (DuckDB's
exclusive file lock) from before the marker exists until DB1's commit and the marker's removal,
or until it dies and the OS drops the lock; it holds DB2 the same way until DB2 has committed.
A reader holding either file between its statements lets go of it at its next statement
(`Warehouse.begin_statement`: the consumer waits as any writer does), so no read overlaps the
step. After a kill the state is final (marker, DB2 committed or not), and `offset` checks each
marker against DB2's commit log in every statement, attaching DB2 afresh. Tested:
test_a_reader_open_before_the_kill_never_sees_the_rows_twice_or_not_at_all.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.warehouse import NeedsWrite, ProjectInfo, Warehouse
from cloneshell.engine.snowflake import objects
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.session import Session
    from cloneshell.engine.snowflake.objects import PipelineObject

FOLDER = "streams"
KIND = "CONSUME STREAM"


@record(frozen=True, slots=True)
class Marker:
    """What a statement that consumed streams of database file `source` owes it."""

    source: str  # the streams' database file
    target: str  # the database file the statement wrote
    statement_id: str
    offsets: tuple[tuple[int, int], ...]  # (stream object id, version read)
    at: datetime
    principal: str
    text: str

    def path(self, root: Path) -> Path:
        """The marker's file."""
        return root / FOLDER / f"{self.source}.{self.statement_id}.json"


def write(root: Path, marker: Marker) -> Path:
    """Put the marker on disk, whole (written aside, synced, renamed), before the target's
    commit."""
    folder = root / FOLDER
    folder.mkdir(exist_ok=True)
    path = marker.path(root)
    aside = path.with_name(path.name + ".part")
    data = {
        "source": marker.source,
        "target": marker.target,
        "statement_id": marker.statement_id,
        "offsets": [list(o) for o in marker.offsets],
        "at": marker.at.isoformat(),
        "principal": marker.principal,
        "text": marker.text,
    }
    with aside.open("w", encoding="utf-8") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(aside, path)
    _sync_dir(folder)
    return path


def remove(path: Path) -> None:
    """Forget a marker (its debt is paid, or was never owed)."""
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        _sync_dir(path.parent)


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def markers(root: Path, source: str | None = None) -> list[tuple[Path, Marker]]:
    """The markers on disk (of one database file), oldest statement first. A half-written
    `.part` or an unreadable file is no marker (its target never committed: the marker is
    complete before the target's commit begins)."""
    folder = root / FOLDER
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    found: list[tuple[Path, Marker]] = []
    for name in names:
        if not name.endswith(".json") or (source is not None and not name.startswith(source)):
            continue
        path = folder / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            marker = Marker(
                source=str(data["source"]),
                target=str(data["target"]),
                statement_id=str(data["statement_id"]),
                offsets=tuple((int(o[0]), int(o[1])) for o in data["offsets"]),
                at=datetime.fromisoformat(str(data["at"])),
                principal=str(data["principal"]),
                text=str(data["text"]),
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            continue
        if source is None or marker.source == source:
            found.append((path, marker))
    return found


def owed(marker: Marker, target: ProjectCatalog | None) -> bool:
    """True when the marker's statement committed in its target (`target`: the target's
    catalog, None when that database is gone, so nothing of it can be seen)."""
    return target is not None and target.commit_of(marker.statement_id) is not None


def apply(source: ProjectCatalog, marker: Marker) -> None:
    """Move the marker's streams to the versions read, in one commit of the source (inside
    the caller's transaction on it); nothing when the source has that commit already or no
    stream is behind."""
    if source.commit_of(marker.statement_id) is not None:
        return
    moved = False
    for object_id, version in marker.offsets:
        fresh = objects.by_id(source, object_id)
        if fresh is not None and int(fresh.prop("offset")) < version:
            objects.save(source, fresh.with_props(offset=version, offset_at=marker.at.isoformat()))
            moved = True
    if not moved:
        return
    last = source.last_commit()
    version = last[0] + 1 if last is not None else 1
    ts = max(marker.at, last[1]) if last is not None else marker.at
    source.record_commit(version, marker.statement_id, ts, marker.principal, KIND, marker.text)


def offset(
    root: Path,
    source: str,
    obj: PipelineObject,
    target_of: Callable[[Marker], ProjectCatalog | None],
) -> int:
    """A stream's offset as its reader must count it: its own, or the version a marker owed
    to it says was consumed (a statement killed between its two commits)."""
    current = int(obj.prop("offset"))
    for _, marker in markers(root, source):
        for object_id, version in marker.offsets:
            if object_id == obj.object_id and version > current and owed(marker, target_of(marker)):
                current = version
    return current


def info_by_file(wh: Warehouse, file: str) -> ProjectInfo | None:
    """A database (live or dropped) by its file."""
    for info in wh.list_databases(history=True):
        if info.file == file:
            return info
    return None


def recover(session: Session) -> None:
    """Settle every marker left by a statement killed between its two commits: pay what its
    target committed, forget the rest (and a marker killed while being written). Runs when a
    session opens the warehouse as Snowflake's, each under its source file's write lock (a
    live statement holds that lock from before its marker exists until after it is gone)."""
    wh = session.warehouse
    try:
        names = sorted(os.listdir(wh.root / FOLDER))
    except FileNotFoundError:
        return
    for name in names:
        path = wh.root / FOLDER / name
        deadline = time.monotonic() + wh.lock_timeout
        started = time.time()
        while True:
            wh.begin_statement(set(), started)
            try:
                _settle_one(wh, path, name.split(".", 1)[0])
                break
            except NeedsWrite:
                wh.restart(None)
                if time.monotonic() >= deadline:
                    break  # left for the next open; its stream's readers count it meanwhile
            finally:
                wh.end_statement()


def _settle_one(wh: Warehouse, path: Path, file: str) -> None:
    source = info_by_file(wh, file)
    if source is None:
        remove(path)  # its database was purged: nothing is owed
        return
    alias = wh.attach_project(source, write=True)
    found = [m for p, m in markers(wh.root, file) if p == path]
    if not found:
        remove(path)  # half-written (the kill came before the target's commit) or gone
        return
    marker = found[0]
    target = info_by_file(wh, marker.target)
    target_cat = None
    if target is not None:
        target_cat = ProjectCatalog(wh.con, wh.attach_project(target), target.name)
    if owed(marker, target_cat):
        cat = ProjectCatalog(wh.con, alias, source.name)
        wh.writable(alias)
        wh.con.execute("BEGIN TRANSACTION")
        try:
            apply(cat, marker)
            wh.con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                wh.con.execute("ROLLBACK")
            raise
    remove(path)


def streams_of(consumed: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """(object id, version read) pairs, one per stream (its latest read)."""
    latest: dict[int, int] = {}
    for object_id, version in consumed:
        latest[object_id] = version
    return tuple(sorted(latest.items()))
