"""The warehouse directory: the one DuckDB connection, sealing, project files, and the registry.

Layout (DESIGN.md "The warehouse on disk"):
  <root>/warehouse.duckdb         principals, the project registry, settings
  <root>/projects/<name>.duckdb   one project each (`<name>.intent`: one being made, deleted or
                                  compacted; `<name>.compacting`: its compacted copy)
  <root>/locks/<file>.<pid>       a process waiting for a file (docs/trust.md)
Project files are attached on demand under the alias `prj_<name>`: read-only to read, read-write
to write, and let go of after a statement when another process waits for them, or when the shell
goes idle. DuckDB never waits for a file lock, so `attach` retries (oldest statement first) until
`lock_timeout` and then fails naming the project.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import re
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from cloneshell.engine.core import macros, memory, scratch
from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import DiskFullError, EngineError, LockError, is_disk_full
from cloneshell.engine.core.lookups import Lookups
from cloneshell.engine.core.quoting import quote_ident, quote_literal
from cloneshell.engine.core.registry import WAREHOUSE_ALIAS as WAREHOUSE_ALIAS
from cloneshell.engine.core.registry import ProjectInfo as ProjectInfo
from cloneshell.engine.core.registry import Registry
from cloneshell.engine.core.sharedfiles import SharedFiles
from cloneshell.grammar.errors import Span

# 1: MaxCompute registry; 2: + Snowflake databases, users, roles and account grants;
# 3: + the index of started tasks' next runs.
# 4: + Snowflake users' password verifiers (a server login with one must give the password).
FORMAT_VERSION = "4"

# MaxCompute project names: letters, digits, underscore; start with a letter; 3-28 characters.
_PROJECT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{2,27}")
# The names the engine gives entries of projects/ (file names are lower case); recovery
# leaves anything else alone and reports it.
# What projects/ may hold for one file name (`Warehouse.file_taken`).
_FILE_SUFFIXES = (".duckdb", ".duckdb.wal", ".intent", ".compacting", ".compacting.wal")
_PROJECT_ENTRY = re.compile(
    r"(?P<file>[a-z][a-z0-9_]{2,27})(?P<kind>\.duckdb|\.duckdb\.wal|\.intent|\.compacting"
    r"|\.compacting\.wal)"
)

_WAREHOUSE_DDL = [
    "CREATE TABLE IF NOT EXISTS {wh}.settings (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS {wh}.projects (
        name VARCHAR PRIMARY KEY, file VARCHAR NOT NULL, owner VARCHAR NOT NULL,
        region VARCHAR NOT NULL, comment VARCHAR, created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {wh}.principals (
        name VARCHAR PRIMARY KEY, first_seen TIMESTAMP NOT NULL)""",
]

# Snowflake account objects (format 2). Databases are keyed by their file: a name may belong to
# one live database and any number of dropped ones still in Time Travel (UNDROP restores the
# most recent). Names keep their case (`SALES`, or `"sales"` as quoted).
_SNOWFLAKE_DDL = [
    """CREATE TABLE IF NOT EXISTS {wh}.databases (
        file VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, owner VARCHAR NOT NULL,
        comment VARCHAR, created_at TIMESTAMP NOT NULL, retention_days INTEGER,
        transient BOOLEAN NOT NULL, dropped_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS {wh}.sf_users (
        name VARCHAR PRIMARY KEY, default_role VARCHAR, comment VARCHAR,
        created_at TIMESTAMP NOT NULL, owner VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {wh}.sf_roles (
        name VARCHAR PRIMARY KEY, owner VARCHAR NOT NULL, comment VARCHAR,
        created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {wh}.sf_role_grants (
        role VARCHAR NOT NULL, grantee_kind VARCHAR NOT NULL, grantee VARCHAR NOT NULL,
        granted_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (role, grantee_kind, grantee))""",
    """CREATE TABLE IF NOT EXISTS {wh}.sf_account_grants (
        privilege VARCHAR NOT NULL, role VARCHAR NOT NULL, grant_option BOOLEAN NOT NULL,
        granted_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (privilege, role))""",
    # When each started root task runs next, so a shell finds due tasks without opening
    # every database (engine/snowflake/tasks.py). The task in its database file is the truth; a
    # stale row is corrected when it comes due.
    """CREATE TABLE IF NOT EXISTS {wh}.sf_task_due (
        file VARCHAR NOT NULL, task_id BIGINT NOT NULL, next_due TIMESTAMP NOT NULL,
        PRIMARY KEY (file, task_id))""",
    # A user created with PASSWORD = '…': PBKDF2-SHA256 of it (engine/snowflake/security.py).
    """CREATE TABLE IF NOT EXISTS {wh}.sf_user_passwords (
        name VARCHAR PRIMARY KEY, salt VARCHAR NOT NULL, digest VARCHAR NOT NULL)""",
]

DEFAULT_REGION = "cn-hangzhou"
# How long a statement waits for a file another process holds (seconds), unless configured.
DEFAULT_LOCK_TIMEOUT = 10.0
_LOCK_HINT = "wait and run it again, or wait longer with --lock-timeout SECONDS"
# Each Warehouse of a process waits for files under a marker of its own (`_marker`): several in
# one process (the server's sessions, each with its own DuckDB database) wait for each other as
# separate processes do. The first keeps the plain `<pid>` suffix.
_INSTANCES = itertools.count()


class _Releases:
    """Every file a Warehouse of this process lets go of (`Warehouse._detach`), and every wait
    of one that ends, is counted and announced: a Warehouse of the same process waiting for a
    file (the server's sessions), or behind an older waiter, tries again the moment that
    changes, instead of at its next poll. Waits for other processes' files still poll (their
    releases are not announced here)."""

    def __init__(self) -> None:
        self._count = 0
        self._changed = threading.Condition()

    def seen(self) -> int:
        """How many releases there have been so far (to wait for the next one)."""
        with self._changed:
            return self._count

    def announce(self) -> None:
        """A file was let go of."""
        with self._changed:
            self._count += 1
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> None:
        """Return once there has been a release since `seen`, or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._count != seen, timeout)


_RELEASES = _Releases()


def validate_project_name(name: str, span: Span | None = None) -> str:
    """Return the canonical (lower-case) project name or raise (pointing at `span`, the name in
    the statement); runs before a name is a path."""
    if not _PROJECT_NAME.fullmatch(name):
        raise EngineError(
            "invalid",
            span,
            message=f"invalid project name '{_printable(name)}': use 3-28 letters, digits or "
            "underscores, starting with a letter",
        )
    return name.lower()


def check_warehouse_path(root: Path) -> None:
    """Refuse a warehouse directory whose absolute path DuckDB cannot name: it reads a `?` in
    a file path as the start of options (`a?b/warehouse.duckdb` becomes `a.wal?b/…`) and a
    `\\` as a separator (duckdb 2.0.1). Checked before anything is created."""
    bad = sorted({ch for ch in str(root) if ch in "?\\"})
    if bad:
        shown = " and ".join(f"'{ch}'" for ch in bad)
        raise EngineError(
            "invalid",
            message=f"warehouse path {_printable(str(root))} contains {shown}, which DuckDB "
            "cannot use in a file name: choose a directory whose path has no ? or \\",
        )


def _printable(text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return shown.encode("unicode_escape").decode("ascii")


class NeedsWrite(Exception):  # noqa: N818 - a signal to Session.run, not an error
    """The running statement must start again: it is about to write `alias`, which it holds
    read-only, or (alias None) it waits for `label`'s file while holding a file another
    process waits for. Raised only before the statement wrote anything, so starting again
    changes nothing."""

    def __init__(self, alias: str | None, label: str = "") -> None:
        super().__init__(alias or label)
        self.alias = alias
        self.label = label


# How errors name the warehouse registry (warehouse.duckdb), which has no project name.
REGISTRY_LABEL = "the warehouse registry"


class Warehouse(Registry):
    """The warehouse on disk and the single DuckDB connection every project goes through.

    Files are shared between processes the way DuckDB allows (DESIGN.md "The warehouse on
    disk"): any number of processes may hold a file read-only, or one process read-write. A
    statement attaches what it reads read-only and what it writes read-write; a process waiting
    for a file leaves a marker (`locks/<file>`), and a holder releases marked files after each
    statement (`end_statement`), so shells interleave statement by statement.
    """

    def __init__(
        self,
        root: Path,
        con: duckdb.DuckDBPyConnection,
        lock_timeout: float,
        shared: SharedFiles | None = None,
    ) -> None:
        self.root = root
        self.con = con
        self.lock_timeout = lock_timeout
        # The process's shared database (a server's sessions), or None: a database of its own.
        self._shared = shared
        # alias -> (path, label, writable), for every attached file, the registry included.
        self._attached: dict[str, tuple[Path, str, bool]] = {}
        # alias -> the generation of the file it holds (`_generation`), read when attached.
        self._generations: dict[str, tuple[int, int]] = {}
        # Files the running statement writes: attached read-write from its start.
        self._write_set: set[str] = set()
        self._in_statement = False
        self._wrote = False
        # Files the running statement has asked for (the others were kept from earlier ones).
        self._used: set[str] = set()
        self._age = 0.0  # when the running statement first started (time.time())
        # Project files this process is creating or deleting: file -> locked intent fd.
        self._intents: dict[str, int] = {}
        # Aliases whose next detach leaves their WAL unmerged (`leave_in_wal`).
        self._wal_kept: set[str] = set()
        self._registry_txn = False
        self._writes_first = False  # begin_statement's `writes_rows`, in a shared database
        # Whether the last `_attach` attached its file (not: held already, or attached for
        # another session of the shared database): its checks (length, format) run then.
        self._attached_now = False
        # What the last `recover` found and left alone (for the shell to report).
        self.notes: list[str] = []
        # alias -> the mark of its current attachment (engine/core/lookups.py).
        self._marks: dict[str, int] = {}
        self._next_mark = itertools.count(1)
        self.lookups = Lookups(con, self._read_only_mark)
        serial = next(_INSTANCES)
        self._serial = serial
        self._owner = str(os.getpid()) if serial == 0 else f"{os.getpid()}-{serial}"

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        root: Path | str,
        lock_timeout: float | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
        shared: SharedFiles | None = None,
    ) -> Warehouse:
        """Open the warehouse at `root`, creating the directory and registry on first use, and
        finish what processes killed while creating or deleting a project file left.
        `con`: a new in-memory DuckDB connection to use (one is made when None).
        `shared`: work through a connection of this process's shared database instead
        (`share_files`; `con` is then not used)."""
        root = Path(root).expanduser().resolve()
        check_warehouse_path(root)
        try:
            for sub in ("projects", "tmp", "locks"):
                (root / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EngineError("invalid", message=f"cannot create warehouse {root}: {exc}") from exc
        if not os.access(root, os.W_OK):
            raise EngineError("invalid", message=f"warehouse {root} is not writable")
        if lock_timeout is None:
            lock_timeout = default_lock_timeout()
        if shared is not None:
            if shared.root != root:
                raise EngineError("invalid", message=f"{root} is not the shared warehouse")
            con = shared.connection()
        else:
            if con is None:
                con = duckdb.connect(":memory:")
            _seal(con, root)
        macros.install(con)
        wh = cls(root, con, lock_timeout, shared)
        try:
            wh.attach_warehouse()
            # Start-up cost matters (`cloneshell -e` is a CLI): an existing registry of the
            # current format is only read. Older formats are migrated additively, once.
            found = wh._registry_format()
            if found != FORMAT_VERSION:
                wh.attach_warehouse(write=True)
                ddls = (_WAREHOUSE_DDL if found is None else []) + _SNOWFLAKE_DDL
                for ddl in ddls:
                    con.execute(ddl.format(wh=WAREHOUSE_ALIAS))
                con.execute(
                    f"INSERT OR REPLACE INTO {WAREHOUSE_ALIAS}.settings "
                    "VALUES ('format_version', ?)",
                    [FORMAT_VERSION],
                )
            wh.recover()
        except BaseException:
            con.close()
            raise
        return wh

    def _registry_format(self) -> str | None:
        try:
            row = self.con.execute(
                f"SELECT value FROM {WAREHOUSE_ALIAS}.settings WHERE key = 'format_version'"
            ).fetchone()
        except duckdb.CatalogException:
            return None
        return None if row is None else str(row[0])

    def close(self) -> None:
        """Detach everything and close the connection."""
        try:
            self.settle_intents()
            self.detach_all()
        finally:
            self.con.close()

    # ------------------------------------------------------------------ statements

    def begin_statement(
        self, write_set: set[str], started: float, writes_rows: bool = False
    ) -> None:
        """A statement (attempt) starts: it attaches `write_set` read-write, everything else
        read-only until it needs to write (then `NeedsWrite` starts it again). `started`, when
        its first attempt started (time.time()), is its age: among processes waiting for the
        same files, the oldest statement goes first and never has to start again.
        `writes_rows`: the statement changes a table's rows (INSERT, UPDATE …); in a shared
        database it holds each project file it uses to write from the start, so it never
        reads one shared only to find, when it writes, that another statement wrote it
        meanwhile and start again (which many sessions writing one table made the rule)."""
        self._writes_first = writes_rows and self._shared is not None
        self._in_statement = True
        self._wrote = False
        self._write_set = set(write_set)
        self._age = started
        self._used = set()
        self._forget_retired()
        self._release_wanted()

    def _forget_retired(self) -> None:
        """Let go of every held file that is no longer the one its path names (deleted, or
        replaced by a compaction or a new project of the same name), so this statement attaches
        the current file, or finds its project gone: it sees every commit that ended before it
        started. The file lifecycle (`retire_file`, `compact`) takes a file's write lock, so
        normally no other process still holds a file being retired; this check is what a
        reader relies on whatever happened while it was not looking."""
        for alias, (path, _, _) in list(self._attached.items()):
            if self._generations.get(alias) != _generation(path):
                if self._shared is not None:
                    # Let go of; the shared database attaches the current file at the next
                    # hold (SharedFiles.take), unmerged.
                    self._attached.pop(alias, None)
                    self._generations.pop(alias, None)
                    self._shared.release(self._serial, alias)
                    continue
                # Nothing of this statement is in it; the old file needs no checkpoint (and
                # must get none: its WAL's path is the new file's).
                with contextlib.suppress(duckdb.Error):
                    self.con.execute(f"DETACH {quote_ident(alias)}")
                self._attached.pop(alias, None)
                self._generations.pop(alias, None)
                self._wal_kept.discard(alias)

    def restart(self, alias: str | None) -> set[str]:
        """Undo a statement attempt that raised `NeedsWrite` (it wrote nothing) and return the
        write set of the next attempt: with `alias`, that file is let go, to be attached
        read-write; without (a wait for a file while holding one an older statement waits
        for), every file is let go, for a random moment."""
        with contextlib.suppress(duckdb.Error):
            self.con.execute("ROLLBACK")
        if alias is not None:
            held = self._attached.get(alias)
            if held is not None and not held[2]:
                self._detach(alias)
            self._write_set.add(alias)
        else:
            self.detach_all()
            time.sleep(random.uniform(0.005, 0.05))
        return set(self._write_set)

    def end_statement(self) -> None:
        """A statement ended: settle the project files it created or deleted, and release the
        files other processes are waiting for."""
        self._in_statement = False
        self._writes_first = False
        self._write_set = set()
        self.settle_intents()
        if self._shared is None:
            self._release_wanted()
            return
        # A session of a shared database holds its files for one statement only: the next
        # statement, of whichever session, finds them attached; another process waiting for
        # one gets it as soon as no statement holds it.
        self._detach_each(sorted(self._attached))
        for alias, path, label in self._shared.unheld():
            if self._waiters(path, other_processes=True):
                self._shared.detach_unheld(alias, self._checkpointer(alias, label))

    def _release_wanted(self, keep: set[str] | None = None) -> None:
        """Let go of the files other processes wait for (except `keep`)."""
        if not self._attached or not self._others_waiting():
            return
        self._detach_each(
            [
                alias
                for alias, (path, _, _) in list(self._attached.items())
                if (keep is None or alias not in keep) and self._waiters(path)
            ]
        )

    @property
    def _priority(self) -> float:
        """This process's place among waiters: its statement's age, or first (0) when it
        cannot start again (it wrote already, or it is not running a statement)."""
        return self._age if self._in_statement and not self._wrote else 0.0

    # ------------------------------------------------------------------ attach / detach

    def attach_warehouse(self, write: bool = False) -> None:
        """Attach warehouse.duckdb (the registry): read-only unless `write` (or this statement
        writes it, or it does not exist yet)."""
        self._attach(self.root / "warehouse.duckdb", WAREHOUSE_ALIAS, "", write)

    def project_path(self, info: ProjectInfo) -> Path:
        """The file of a registered project (its name was validated before it was stored)."""
        return self.root / "projects" / f"{validate_project_name(info.file)}.duckdb"

    @staticmethod
    def alias(file: str) -> str:
        """The DuckDB catalog alias of the project (database) stored in `file`.

        Derived from the generated, validated file name, never from a Snowflake name: DuckDB
        aliases are case-insensitive while `SALES` and `"sales"` are two databases.
        """
        return f"prj_{file}"

    def attach_project(self, info: ProjectInfo, write: bool = False) -> str:
        """Attach a project's file (read-only unless `write` or this statement writes it) and
        return its alias."""
        alias = self.alias(info.file)
        self._attach(self.project_path(info), alias, info.name, write)
        if self._attached_now:
            # A file written by an older version gets the current metadata format (additive).
            cat = ProjectCatalog(self.con, alias, info.name)
            try:
                self._check_length(alias, info.name)
                with contextlib.suppress(duckdb.CatalogException):  # a new, empty file
                    if cat.needs_migration():
                        self.writable(alias)
                        cat.migrate()
            except (EngineError, duckdb.Error) as exc:
                damaged = (
                    exc.kind == "damaged"
                    if isinstance(exc, EngineError)
                    else self.damaged_label(exc) is not None
                )
                if not damaged:
                    raise
                # Not kept: every statement that needs it finds it damaged, not half-readable.
                self.leave_in_wal(info.file)
                with contextlib.suppress(duckdb.Error):
                    self._detach(alias, for_good=True)
                raise EngineError("damaged", name=info.name) from None
        return alias

    # DuckDB's file: three 4 KiB headers, then its blocks (duckdb 2.0.1).
    _FILE_HEADERS = 3 * 4096

    def _check_length(self, alias: str, label: str) -> None:
        """Refuse a file shorter than the blocks in use its header counts (truncated: reads of
        its last blocks would fail later, mid-statement). Not the total count: a checkpoint
        cuts free blocks off the file's end, and the header still counts them. A WAL beside it
        may have grown the count in memory only, so a file with a WAL is not checked."""
        path = self._attached[alias][0]
        if path.with_name(path.name + ".wal").exists():
            return
        row = self.con.execute(
            "SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = ?",
            [alias],
        ).fetchone()
        if row is None:
            return
        size = os.path.getsize(path)
        if int(row[1]) > 0 and size < self._FILE_HEADERS + int(row[0]) * int(row[1]):
            raise EngineError("damaged", name=label)

    def _unreadable(self, label: str) -> EngineError:
        """The error of a file DuckDB cannot read (truncated, overwritten, not a database):
        it names the project or database, never a path or DuckDB's words."""
        if not label:
            # DuckDB's text names paths and its internals: not shown (the file is named).
            return EngineError(
                "invalid",
                message="the warehouse registry (warehouse.duckdb) cannot be read: it is damaged "
                "or not a cloneshell warehouse",
            )
        return EngineError("damaged", name=label)

    def label_in(self, text: str) -> str | None:
        """The project or database whose attached file `text` (an error's) names, or None."""
        for path, label, _ in self._attached.values():
            if label and str(path) in text:
                return label
        return None

    def damaged_label(self, exc: duckdb.Error) -> str | None:
        """The project or database whose file a DuckDB error says it could not read (its
        message names the file), or None: a damaged file affects only its own object."""
        if not isinstance(
            exc,
            duckdb.IOException
            | duckdb.SerializationException
            | duckdb.InvalidInputException
            | duckdb.InternalException,
        ):
            return None
        return self.label_in(str(exc))

    def is_attached(self, file: str) -> bool:
        """True while the project stored in `file` is attached."""
        return self.alias(file) in self._attached

    def writable(self, alias: str) -> None:
        """Make sure the attached `alias` can be written: called just before writing it.

        From here on the statement counts as having written: it cannot start again."""
        self._upgrade(alias)
        self._wrote = True
        self._wal_kept.discard(alias)  # a later write is checkpointed as usual

    def writable_together(self, aliases: list[str]) -> None:
        """`writable` for several files one statement commits one after another (a Snowflake
        stream consumed from another database): each is checked as the first write's file
        is, before the statement counts as having written."""
        for alias in aliases:
            self._upgrade(alias)
        self._wrote = True
        self._wal_kept.difference_update(aliases)

    def _upgrade(self, alias: str) -> None:
        """Hold `alias` read-write (DuckDB attaches a file read-only or read-write, so: let go
        of it and attach it again). A statement that has written nothing yet and read the file
        read-only so far must not act on what it read if another process wrote the file in
        between: a project file's commit log tells (every write commits a version); if it
        moved, or for the registry, the statement starts again with the file in its write set
        (`NeedsWrite`), to read and decide again under the write lock."""
        path, label, writable = self._attached[alias]
        if writable:
            return
        check = self._in_statement and not self._wrote
        before = self._last_version(alias) if check else None
        if check and before is None:
            raise NeedsWrite(alias)
        self._detach(alias)
        self._attach(path, alias, label, True)
        if check and self._last_version(alias) != before:
            raise NeedsWrite(alias)

    def _last_version(self, alias: str) -> int | None:
        """The last version in a project file's commit log (None: the registry, or no log)."""
        if alias == WAREHOUSE_ALIAS:
            return None
        try:
            row = self.con.execute(
                f"SELECT coalesce(max(version), 0) FROM {quote_ident(alias)}.__cs.commits"
            ).fetchone()
        except duckdb.CatalogException:
            return None
        return None if row is None else int(row[0])

    def _registry_for_write(self) -> None:
        self.attach_warehouse(write=True)
        self.writable(WAREHOUSE_ALIAS)

    def _attach(self, path: Path, alias: str, label: str, write: bool) -> None:
        held = self._attached.get(alias)
        write = write or alias in self._write_set or not path.exists()
        write = write or (self._writes_first and alias != WAREHOUSE_ALIAS)
        self._used.add(alias)
        self._attached_now = False
        if held is not None:
            if write and not held[2]:
                self._upgrade(alias)
            return
        mode = "" if write else " (READ_ONLY)"
        sql = f"ATTACH {quote_literal(str(path))} AS {quote_ident(alias)}{mode}"
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.01
        mine = self._priority
        while True:
            released = _RELEASES.seen()
            # Older statements waiting for the file go first, so neither a stream of readers
            # nor of writers starves anyone.
            if not any(age < mine for age in self._waiters(path)):
                try:
                    if self._shared is None:
                        self.con.execute(sql)
                        self._attached_now = True
                        break
                    taken = self._shared.take(
                        self._serial, (alias, sql, path, label), write, lambda: _generation(path)
                    )
                    if taken is not None:
                        self._attached_now = taken
                        break
                except duckdb.IOException as exc:
                    if "lock" not in str(exc).lower():
                        raise self._unreadable(label) from None
                except (
                    duckdb.SerializationException,
                    duckdb.InvalidInputException,
                    duckdb.InternalException,
                ):
                    raise self._unreadable(label) from None
                except duckdb.ResourceInUseException:
                    # Another DuckDB database of this process holds the file (duckdb 2.0.1:
                    # "Unique file handle conflict", also for a read-only attach while it is
                    # held read-write): the same wait as for another process's lock.
                    pass
            self._want(path, mine)
            if self._in_statement:
                # Files kept from earlier statements that this one has not used: let go of
                # those another process waits for, now (not inside a transaction).
                with contextlib.suppress(duckdb.Error):
                    self._release_wanted(keep=self._used)
            if mine and self._holding_wanted_by_older(mine):
                # An older statement waits for a file this one holds while this one waits:
                # let go of everything and start again, keeping this statement's age, so it
                # is older than the others next time (wait-die: never a deadlock).
                raise NeedsWrite(None, label)
            if time.monotonic() >= deadline:
                with contextlib.suppress(OSError):
                    self._marker(path).unlink()
                raise self.lock_error(label)
            _RELEASES.wait(released, delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 0.2)
        self._attached[alias] = (path, label, write)
        self._marks[alias] = next(self._next_mark)
        # Held now (locked): the path names this file until its lifecycle retires it, which
        # waits for this process to let go (`retire_file`, `compact`).
        self._generations[alias] = _generation(path)
        with contextlib.suppress(OSError):
            self._marker(path).unlink()
        _RELEASES.announce()  # younger waiters of this process behind this one look again

    def _read_only_mark(self, alias: str) -> int | None:
        """The mark of `alias`'s attachment while it is held read-only (nobody can change the
        file then), else None."""
        held = self._attached.get(alias)
        if held is None or held[2]:
            return None
        return self._marks.get(alias)

    def lock_error(self, label: str) -> LockError:
        """The error of a wait for `label`'s file (a project, a database, or "" for the
        registry) that lasted the whole lock timeout."""
        if not label:
            return LockError("registry_locked", seconds=self.lock_timeout, hint=_LOCK_HINT)
        return LockError("locked", project=label, seconds=self.lock_timeout, hint=_LOCK_HINT)

    # Waiting for a file: `locks/<file name>.<pid>` holds the waiting statement's age, and its
    # mtime is renewed at every retry (at most every 0.2 s). A marker counts only while its
    # process lives and it was renewed in the last _MARKER_FRESH seconds (an mtime in the
    # future is no renewal); one whose process is gone, or unrenewed for _MARKER_STALE, is
    # deleted: a dead or recycled PID, a hand-made marker or a clock change never makes a
    # file busy for good.
    _MARKER_FRESH = 0.6
    _MARKER_STALE = 60.0

    def _marker(self, path: Path) -> Path:
        return self.root / "locks" / f"{path.name}.{self._owner}"

    def _want(self, path: Path, age: float) -> None:
        """Tell the holders of `path` (and later comers) that this process waits for it."""
        marker, text = self._marker(path), repr(age)
        with contextlib.suppress(OSError):
            if marker.exists() and marker.read_text() == text:
                os.utime(marker)
            else:
                marker.write_text(text)

    def _others_waiting(self) -> bool:
        """Whether `locks/` holds any marker but this process's own: one listing of the
        directory, so that a statement nobody waits for does not read it once per held file
        (the usual case; `_waiters` then tells whose markers count)."""
        mine = f".{self._owner}"
        try:
            with os.scandir(self.root / "locks") as entries:
                return any(not entry.name.endswith(mine) for entry in entries)
        except OSError:
            return False

    def _waiters(self, path: Path, other_processes: bool = False) -> list[float]:
        """The ages of the statements of the other processes (and other Warehouses of this
        one, unless `other_processes`) now waiting for `path`."""
        prefix, mine, now = path.name + ".", self._marker(path).name, time.time()
        own = f"{prefix}{os.getpid()}"
        found: list[float] = []
        try:
            entries = list(os.scandir(self.root / "locks"))
        except OSError:
            return found
        for entry in entries:
            if not entry.name.startswith(prefix) or entry.name == mine:
                continue
            if other_processes and (entry.name == own or entry.name.startswith(own + "-")):
                continue
            try:
                stale = now - entry.stat().st_mtime
                age = float(Path(entry.path).read_text() or "0")
            except (OSError, ValueError):
                continue
            alive = _alive(entry.name[len(prefix) :])
            if alive and -self._MARKER_FRESH < stale < self._MARKER_FRESH:
                found.append(age)
            elif not alive or abs(stale) > self._MARKER_STALE:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
        return found

    def _holding_wanted_by_older(self, mine: float) -> bool:
        return any(
            age < mine for path, _, _ in self._attached.values() for age in self._waiters(path)
        )

    def _detach(self, alias: str, for_good: bool = False) -> None:
        """Let go of `alias`. In a shared database: this Warehouse's hold ends, and the file is
        detached only when nobody holds it and another process waits for it, or `for_good`
        (its file is about to be deleted or replaced, or it is damaged)."""
        keep_wal = alias in self._wal_kept
        self._wal_kept.discard(alias)
        held = self._attached.get(alias)
        if self._shared is not None:
            if held is not None:
                # A result not read to its end keeps its file attached in the shared database
                # after a DETACH (duckdb 2.0.1: "Unique file handle conflict" at the next
                # ATTACH); the connection's next statement lets go of it.
                with contextlib.suppress(duckdb.Error):
                    self.con.execute("SELECT NULL")
                del self._attached[alias]
                self._generations.pop(alias, None)
                self._shared.release(self._serial, alias)
            if for_good or (held is not None and self._waiters(held[0], other_processes=True)):
                label = held[1] if held is not None else ""
                checkpoint = None if keep_wal else self._checkpointer(alias, label)
                self._shared.detach_unheld(alias, checkpoint)
            _RELEASES.announce()
            return
        if held is None:
            return
        try:
            if held[2] and not keep_wal:
                # What DuckDB's DETACH does by default, which the seal turns off (`leave_in_wal`):
                # merge the WAL of a file held read-write into the file (no-op when it is empty).
                self._checkpoint(alias)
        finally:
            # Also after a failed checkpoint: DuckDB has invalidated the file until reattached.
            self.con.execute(f"DETACH {quote_ident(alias)}")
            del self._attached[alias]
            self._generations.pop(alias, None)
            _RELEASES.announce()

    def _checkpointer(self, alias: str, label: str) -> Callable[[], None]:
        return lambda: self._checkpoint(alias, label)

    def _checkpoint(self, alias: str, label: str = "") -> None:
        """Merge the attached `alias`'s WAL into its file. A full disk is a `DiskFullError`
        naming its object, with `committed`: its commits stay in the WAL, which the next
        attach replays (duckdb 2.0.1, measured on a full tmpfs: the WAL is kept whole)."""
        try:
            self.con.execute(f"CHECKPOINT {quote_ident(alias)}")
        except duckdb.Error as exc:
            if not is_disk_full(exc):
                raise
            held = self._attached.get(alias)
            raise DiskFullError(
                (held[1] if held else label) or REGISTRY_LABEL, committed=True
            ) from None

    def _detach_each(self, aliases: list[str]) -> None:
        """Detach every one of `aliases`, also after one of them found the disk full (that
        error is raised once all are detached)."""
        full: DiskFullError | None = None
        for alias in aliases:
            try:
                self._detach(alias)
            except DiskFullError as err:
                full = full or err
        if full is not None:
            raise full

    def leave_in_wal(self, file: str) -> None:
        """Let the next detach of `file`, attached read-write, leave what was written to it in
        its WAL instead of checkpointing it (unless it is written again first).

        For a database cloned by copying a file: its few changed metadata rows are durable once
        their commit has synced the small WAL, while a checkpoint would also sync the whole
        copy (the page cache holds it, as it holds `cp`'s copy). DuckDB replays a WAL on
        every attach (in memory when read-only); the file's next writer merges it."""
        self._wal_kept.add(self.alias(file))

    def detach_project(self, file: str) -> None:
        """Detach one project (by its file name) if attached."""
        self._detach(self.alias(file), for_good=True)

    def detach_all(self) -> None:
        """Release every file so other processes can use them (the shell is idle; in a shared
        database: every file no session's statement holds)."""
        self._detach_each(sorted(self._attached))
        if self._shared is not None:
            full: DiskFullError | None = None
            for alias, _, label in self._shared.unheld():
                try:
                    self._shared.detach_unheld(alias, self._checkpointer(alias, label))
                except DiskFullError as err:
                    full = full or err
            if full is not None:
                raise full

    # ------------------------------------------------------------------ intents

    def _intent_path(self, file: str) -> Path:
        return self.root / "projects" / f"{validate_project_name(file)}.intent"

    def hold_intent(self, file: str, label: str) -> None:
        """Record, before creating or deleting the project file `file`, that this process is
        doing so: `projects/<file>.intent`, locked (flock) while the process lives.

        Creating a project or database writes its file, then the registry; deleting one
        writes the registry, then removes the file: two files, two commits. The registry is
        the commit point: when the statement ends (`settle_intents`) or, if the process was
        killed, when the warehouse is next opened (`recover`), a file the registry does not
        list is deleted, and the intent with it."""
        if file in self._intents:
            return
        deadline = time.monotonic() + self.lock_timeout
        while True:
            fd = self._lock_intent(file)
            if fd is not None:
                self._intents[file] = fd
                return
            if time.monotonic() >= deadline:
                raise self.lock_error(label)
            time.sleep(0.02)

    def file_taken(self, file: str) -> bool:
        """True if the name `file` is taken in projects/, the one file namespace projects and
        databases share: the registry lists it (a project, a live or dropped database) or
        projects/ holds anything of that name (a file, its WAL, an intent, a compacted copy),
        whoever made it."""
        self.attach_warehouse()
        listed = self.con.execute(
            f"SELECT 1 FROM {WAREHOUSE_ALIAS}.projects WHERE file = ? "
            f"UNION ALL SELECT 1 FROM {WAREHOUSE_ALIAS}.databases WHERE file = ?",
            [file, file],
        ).fetchone()
        stem = validate_project_name(file)
        projects = self.root / "projects"
        return listed is not None or any(
            (projects / f"{stem}{suffix}").exists() for suffix in _FILE_SUFFIXES
        )

    def claim_file(self, file: str, label: str) -> bool:
        """Claim the name of a new project or database file (the statement holds the registry
        read-write, so no other shell claims one meanwhile): False if it is taken
        (`file_taken`), else True with its intent held (`hold_intent`) until the statement
        ends. A statement makes and deletes only files it claimed or that its object owns: it
        never replaces a file of another object."""
        if self.file_taken(file):
            return False
        self.hold_intent(file, label)
        return True

    def retire_file(self, info: ProjectInfo, unregister: Callable[[], None]) -> None:
        """Delete a registered project's or database's file for good, the one way any is
        deleted: under its intent (which finishes the deletion if this process dies between
        the registry's commit and the file's removal) and its write lock, like any writer —
        every other process holding the file lets go of it at the end of its statement (a
        marker asks it to), so none goes on reading or writing the deleted file. Then
        `unregister()` deletes the registry row (the commit point), then the file goes."""
        self._registry_for_write()
        self.hold_intent(info.file, info.name)
        try:
            self._attach(self.project_path(info), self.alias(info.file), info.name, True)
        except EngineError as err:
            if err.kind != "damaged":
                raise
            # DuckDB cannot open it, so no process holds it: it goes as it is.
        unregister()
        self.leave_in_wal(info.file)  # about to be deleted: nothing to checkpoint
        self.detach_project(info.file)
        self.delete_project_file(info.file)

    def _lock_intent(self, file: str) -> int | None:
        """Create and lock `file`'s intent without waiting: its fd, or None while another
        process (or another fd of this one) holds it."""
        path = self._intent_path(file)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if scratch.try_lock(fd) and scratch.same_file(path, fd):
            return fd
        os.close(fd)
        return None

    def _intent_held(self, file: str) -> bool:
        """True while a live process holds `file`'s intent."""
        try:
            fd = os.open(self._intent_path(file), os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            return not scratch.try_lock(fd)
        finally:
            os.close(fd)  # releases the lock if taken

    def settle_intents(self) -> None:
        """Finish every creation or deletion this process recorded (see `hold_intent`)."""
        for file in list(self._intents):
            fd = self._intents.pop(file)
            try:
                self._settle(file)
            finally:
                os.close(fd)

    def recover(self) -> None:
        """Finish what processes that died left (their locks went with them): settle their
        intents, delete their compacted copies (`<file>.compacting`) and scratch folders (a
        killed PUT's partial file, a killed COPY's copies). An entry of projects/ whose name
        the engine never makes is left alone and reported in `notes`: nothing a user puts
        there can make the warehouse unopenable."""
        scratch.sweep(self.root)
        self.notes = []
        entries = sorted(e.name for e in os.scandir(self.root / "projects"))
        recognised = []
        for name in entries:
            m = _PROJECT_ENTRY.fullmatch(name)
            if m is None:
                self.notes.append(
                    f"projects/{_printable(name)}: not a file cloneshell made; left alone"
                )
            else:
                recognised.append((m["file"], m["kind"], name))
        for file, kind, name in recognised:
            if kind != ".intent":
                continue
            path = self.root / "projects" / name
            try:
                fd = os.open(path, os.O_RDWR)
            except FileNotFoundError:
                continue  # settled meanwhile
            try:
                if scratch.try_lock(fd) and scratch.same_file(path, fd):
                    self._settle(file)
            finally:
                os.close(fd)
        for file, kind, name in recognised:
            # A live compaction holds its file's intent from before its copy exists until
            # after it is gone (`compact`).
            if kind.startswith(".compacting") and not self._intent_held(file):
                (self.root / "projects" / name).unlink(missing_ok=True)

    def _settle(self, file: str) -> None:
        """Keep the file if the registry lists it, else delete it; then drop the intent."""
        self.attach_warehouse()
        listed = self.con.execute(
            f"SELECT 1 FROM {WAREHOUSE_ALIAS}.projects WHERE file = ? "
            f"UNION ALL SELECT 1 FROM {WAREHOUSE_ALIAS}.databases WHERE file = ?",
            [file, file],
        ).fetchone()
        if listed is None:
            self.detach_project(file)
            self.delete_project_file(file)
        self._intent_path(file).unlink(missing_ok=True)

    # ------------------------------------------------------------------ registry

    def purge_database(self, info: ProjectInfo) -> None:
        """Forget a dropped database for good: its registry row, then its file
        (`retire_file`)."""

        def unregister() -> None:
            self.con.execute(f"DELETE FROM {WAREHOUSE_ALIAS}.databases WHERE file = ?", [info.file])

        self.retire_file(info, unregister)
        # Its internal stages' files (engine/snowflake/stages.py) go with it.
        shutil.rmtree(self.root / "stages" / validate_project_name(info.file), ignore_errors=True)

    def delete_project_file(self, file: str) -> None:
        """Delete a project file and its WAL (the file must be detached)."""
        path = self.root / "projects" / f"{validate_project_name(file)}.duckdb"
        for p in (path, path.with_name(path.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()

    def compact(self, info: ProjectInfo, min_bytes: int = 1 << 20) -> bool:
        """Rewrite a project file of at least `min_bytes` whose blocks are at least half free
        (e.g. after retention purges); True if it was rewritten.

        DuckDB reuses freed blocks but only truncates a file whose free blocks are at its end,
        so a file shrinks for sure only by copying its live content (COPY FROM DATABASE) to a
        new file that then replaces it. The file lifecycle's rule: under the file's intent
        (taken first: recovery deletes a copy only when no live process holds it) and its
        write lock, held from before the copy until the copy is renamed over it, so no other
        process reads or writes the old file meanwhile or holds it afterwards; the rename gives
        the path a new generation. Idle work: it waits only briefly for the file.
        """
        intent = self._lock_intent(info.file)
        if intent is None:
            return False  # being created, deleted or compacted by another process
        try:
            return self._compact(info, min_bytes)
        finally:
            self._intent_path(info.file).unlink(missing_ok=True)
            os.close(intent)

    # How long idle compaction waits for a file other shells hold (seconds).
    _COMPACT_WAIT = 1.0

    def _compact(self, info: ProjectInfo, min_bytes: int) -> bool:
        timeout, self.lock_timeout = self.lock_timeout, min(self.lock_timeout, self._COMPACT_WAIT)
        try:
            # Read-write, so the checkpoint empties the WAL: the copy replaces the file, and a
            # WAL left beside it would be replayed onto the copy.
            alias = self.attach_project(info, write=True)
        finally:
            self.lock_timeout = timeout
        self._checkpoint(alias)
        row = self.con.execute(
            "SELECT block_size, total_blocks, free_blocks FROM pragma_database_size() "
            "WHERE database_name = ?",
            [alias],
        ).fetchone()
        if row is None:
            return False
        block, total, free = (int(v) for v in row)
        if total * block < min_bytes or free * 2 < total:
            return False
        path = self.project_path(info)
        tmp = path.with_name(f"{info.file}.compacting")
        dst = f"{alias}__new"
        try:
            for p in (tmp, tmp.with_name(tmp.name + ".wal")):
                p.unlink(missing_ok=True)
            self.con.execute(f"ATTACH {quote_literal(str(tmp))} AS {quote_ident(dst)}")
            try:
                self.con.execute(f"COPY FROM DATABASE {quote_ident(alias)} TO {quote_ident(dst)}")
                # Into the file itself: only it replaces the original, not its WAL.
                self.con.execute(f"CHECKPOINT {quote_ident(dst)}")
            finally:
                self.con.execute(f"DETACH {quote_ident(dst)}")
            os.replace(tmp, path)
        except (duckdb.Error, OSError):
            for p in (tmp, tmp.with_name(tmp.name + ".wal")):
                with contextlib.suppress(OSError):
                    p.unlink()
            return False
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        # The path names the copy now; the old file, locked by this process until here, is let
        # go of without a checkpoint (nothing was written to it since the one above).
        self.leave_in_wal(info.file)
        self.detach_project(info.file)
        return True

    def is_engine_setting(self, name: str) -> bool:
        """True if `name` is one of DuckDB's own settings (`threads`, `enable_external_access`
        ...): the seal locks them, and no statement may pretend to change them."""
        row = self.con.execute(
            "SELECT 1 FROM duckdb_settings() WHERE lower(name) = lower(?)", [name]
        ).fetchone()
        return row is not None


def share_files(root: Path | str) -> SharedFiles:
    """A shared database over the warehouse at `root`, for the Warehouses of this process that
    open it with `shared=` (a server's sessions), sealed as every engine database is."""
    path = Path(root).expanduser().resolve()
    check_warehouse_path(path)
    con = duckdb.connect(":memory:")
    try:
        _seal(con, path)
    except BaseException:
        con.close()
        raise
    return SharedFiles(path, con)


def _seal(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """Fence DuckDB into the warehouse directory (DESIGN.md "Safety"), then lock the settings."""
    con.execute(f"SET temp_directory = {quote_literal(str(root / 'tmp'))}")
    con.execute(f"SET allowed_directories = [{quote_literal(str(root) + '/')}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    # DETACH does not checkpoint: Warehouse._detach does it, except for a file left in its
    # WAL on purpose (Warehouse.leave_in_wal). DuckDB offers no per-file switch.
    con.execute("SET checkpoint_on_detach = 'DISABLED'")
    con.execute(f"SET memory_limit = '{memory.memory_limit()}B'")  # engine/core/memory.py
    con.execute("SET lock_configuration = true")


def default_lock_timeout() -> float:
    """Seconds to wait for a file another process holds: `$CLONESHELL_LOCK_TIMEOUT`, else 10."""
    text = os.environ.get("CLONESHELL_LOCK_TIMEOUT", "")
    try:
        value = float(text) if text else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        value = DEFAULT_LOCK_TIMEOUT
    return max(value, 0.0)


def _alive(pid_text: str) -> bool:
    """True if `pid_text` (a lock marker's suffix: `<pid>`, or `<pid>-<n>` for a process's
    further warehouses) names a process that exists now."""
    pid_text, _, serial = pid_text.partition("-")
    if serial and not serial.isdigit():
        return False
    if not pid_text.isdigit() or not 0 < int(pid_text) < 1 << 31:
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _generation(path: Path) -> tuple[int, int]:
    """The generation of the file `path` names now: its identity on disk (device, inode), or
    (0, 0) when there is none. Every create, replace (compaction's rename) and delete of a
    project file gives the path a new generation, and a file some process holds open keeps
    its inode, which no new file can get while it is held: a holder whose recorded generation
    differs from its path's holds a retired file."""
    try:
        st = os.stat(path)
    except OSError:
        return (0, 0)
    return (st.st_dev, st.st_ino)
