"""`Session`: one principal's connection to a warehouse; executes statement text.

The flow of one statement (DESIGN.md): parse -> dispatch to a handler, which resolves names,
authorizes, then changes storage inside one transaction -> a `Result`, or a `CloneshellError`
whose text is in the dialect's format. Nothing is changed by a statement that fails.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from cloneshell.engine.core import dialects, parses
from cloneshell.engine.core.clock import Clock, FixedClock, make_clock
from cloneshell.engine.core.context import StatementContext
from cloneshell.engine.core.dialect import Dialect
from cloneshell.engine.core.dispatch import handler_for
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.duckerrors import from_duckdb
from cloneshell.engine.core.errors import (
    DiskFullError,
    EngineError,
    LockError,
    is_disk_full,
)
from cloneshell.engine.core.result import Result, Rows
from cloneshell.engine.core.warehouse import REGISTRY_LABEL, NeedsWrite, Warehouse
from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError, Span, SqlSyntaxError
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.batching import ManyOutcome
    from cloneshell.engine.core.sharedfiles import SharedFiles
    from cloneshell.engine.core.snapshot import CatalogSnapshot


@record
class _DialectState:
    """What a session remembers per dialect: switching dialects and back restores it."""

    principal: str
    project: str | None = None
    schema: str | None = None
    role: str = ""


class Session:
    """The identity, current project, flags and dialect of one shell, over one warehouse.

    Interface used by the shell:
      Session.open(warehouse_dir, principal=None, project=None, dialect="maxcompute", clock=None)
      .execute(text) -> list[Result]   raises CloneshellError with .text/.code/.span
      .execute_many(texts) -> ManyOutcome   a script's statements, INSERTs batched
      .login(principal), .principal, .project, .dialect_name, .prompt(), .idle(), .interrupt(),
      .close(), .switch_dialect(name), .move_clock(delta), .set_clock(instant), .snapshot()
    Snowflake adds .role (the current role), .schema (current schema) and .query_ids.
    """

    def __init__(self, warehouse: Warehouse, dialect: Dialect, clock: Clock) -> None:
        """A session in `dialect`, not yet started in it (`Session.open` does)."""
        self.warehouse = warehouse
        self.dialect = dialect
        self.clock = clock
        self._states: dict[str, _DialectState] = {
            dialect.name: _DialectState("", None, dialect.default_schema)
        }
        self.flags: dict[str, str] = {}
        # Whether the statements running now return query rows as Arrow (execute's `arrow`).
        self.arrow_results = False
        # This session among all (its process, then a random part): marks what only it sees and
        # what ends with it (Snowflake temporary tables); `scoped` names the files holding such
        # objects, for the dialect's `end` hook.
        self.token = f"{os.getpid()}:{uuid.uuid4().hex}"
        self.scoped: set[str] = set()
        # Snowflake session variables (SET x = …, `$x`): name -> (value, DuckDB type).
        self.variables: dict[str, tuple[object, str]] = {}
        # The ids of this session's statements, oldest first (Snowflake LAST_QUERY_ID), and
        # when each ran (STATEMENT => id for a statement that committed nothing).
        self.query_ids: list[str] = []
        # The last few row results, by statement id (Snowflake RESULT_SCAN; small ones only).
        self.results: dict[str, Rows] = {}
        self._statement_times: dict[str, datetime] = {}
        self._statement_versions: dict[str, dict[str, int]] = {}
        # When this session last purged each database file (by its clock): purge.py.
        self.purged: dict[str, datetime] = {}
        # Database files that purged something: compacted when the session goes idle.
        self.compact_candidates: set[str] = set()
        # Tasks (engine/snowflake/tasks.py): when this session started (runs scheduled before it are
        # not replayed), and when the next started task is due (None: none; unknown until
        # read from the warehouse's index).
        self.opened_at = clock.now()
        self._task_due: datetime | None = None
        self._task_due_known = False
        self._ticking = False
        self._running = threading.Event()
        # Set by `interrupt()`: engine work done in Python (copying a staged file) checks it.
        self.cancel_requested = threading.Event()
        # One statement or snapshot at a time: the shell's completion thread rebuilds its
        # snapshot through the same DuckDB connection the statements use.
        self._lock = threading.RLock()
        self._snapshot_version = 0

    @classmethod
    def open(
        cls,
        warehouse_dir: Path | str,
        principal: str | None = None,
        project: str | None = None,
        dialect: str = "maxcompute",
        clock: Clock | datetime | None = None,
        lock_timeout: float | None = None,
        connection: duckdb.DuckDBPyConnection | None = None,
        new_user: bool = True,
        shared: SharedFiles | None = None,
    ) -> Session:
        """Open (creating if missing) the warehouse at `warehouse_dir`, and start the session
        in `dialect` as `principal` in `project` (the dialect's `start`: MaxCompute creates
        `my_project` in a new warehouse; Snowflake's first user is its ACCOUNTADMIN).
        `connection`: a new in-memory DuckDB connection to work through (see
        cloneshell.engine.open_session); the session owns it from here on, and closes it if
        opening fails.
        `new_user` False (a server login): a Snowflake user the warehouse does not know is
        refused (`user_not_found`) rather than created, unless the warehouse has no user yet.
        `shared`: work in this process's shared database (`engine.share_files`: a server's
        sessions share its files), through a connection of its own.
        """
        try:
            if not dialects.known(dialect):
                raise EngineError("invalid", message=f"unknown dialect '{dialect}'")
            wh = Warehouse.open(warehouse_dir, lock_timeout, connection, shared)
        except CloneshellError as err:  # e.g. the registry held by another shell too long
            if connection is not None:
                connection.close()
            known = dialect if dialects.known(dialect) else dialects.NAMES[0]
            raise dialects.get(known).render_error(err) from None
        except BaseException:
            if connection is not None:
                connection.close()
            raise
        target = dialects.get(dialect)
        try:
            session = cls(wh, target, make_clock(clock))
            target.start(session, principal, project, True, new_user)
            wh.detach_all()
        except CloneshellError as err:
            wh.close()
            raise target.render_error(err) from None
        except BaseException:
            wh.close()
            raise
        return session

    # ------------------------------------------------------------------ properties

    @property
    def _state(self) -> _DialectState:
        return self._states[self.dialect.name]

    @property
    def notices(self) -> tuple[str, ...]:
        """What opening the warehouse found and left alone (Warehouse.recover), to report."""
        return tuple(self.warehouse.notes)

    @property
    def principal(self) -> str:
        """Who statements run as: a MaxCompute principal or a Snowflake user."""
        return self._state.principal

    @principal.setter
    def principal(self, value: str) -> None:
        self._state.principal = value

    @property
    def project(self) -> str | None:
        """The current project (Snowflake: the current database)."""
        return self._state.project

    @project.setter
    def project(self, value: str | None) -> None:
        self._state.project = value

    @property
    def schema(self) -> str | None:
        """The current schema (MaxCompute `default` unless set; Snowflake may have none)."""
        return self._state.schema

    @schema.setter
    def schema(self, value: str | None) -> None:
        self._state.schema = value

    @property
    def role(self) -> str:
        """Snowflake: the current role (empty in MaxCompute)."""
        return self._state.role

    @role.setter
    def role(self, value: str) -> None:
        self._state.role = value

    @property
    def dialect_name(self) -> str:
        """`maxcompute` or `snowflake`."""
        return self.dialect.name

    def flag_bool(self, key: str, default: bool) -> bool:
        """A SET flag read as a boolean."""
        value = self.flags.get(key)
        if value is None:
            return default
        return value.strip().lower() in ("true", "1", "yes", "on")

    def prompt(self) -> str:
        """The interactive prompt: `odps@ my_project>` or `USER#(no warehouse)@DB.SCHEMA>`."""
        return self.dialect.prompt_format.format(
            project=self.project or "",
            user=self.principal,
            database=self.project or "(no database)",
            schema=(self.schema if self.project and self.schema else None) or "(no schema)",
        )

    @contextlib.contextmanager
    def acting_as(self, role: str, database: str | None, schema: str | None) -> Iterator[None]:
        """Run with another current role, database and schema, then restore them: a pipe's
        load and a task's run use their owner role and their own schema (names in their
        definitions resolve there, as Snowflake resolves them)."""
        state = self._state
        saved = (state.role, state.project, state.schema)
        state.role, state.project, state.schema = role, database, schema
        try:
            yield
        finally:
            state.role, state.project, state.schema = saved

    def statement_time(self, statement_id: str) -> datetime | None:
        """When one of this session's statements ran, or None."""
        return self._statement_times.get(statement_id)

    def statement_versions(self, statement_id: str) -> dict[str, int]:
        """The latest version of each database (by catalog alias) one of this session's
        statements saw when it finished."""
        return self._statement_versions.get(statement_id, {})

    # ------------------------------------------------------------------ running statements

    def execute(
        self,
        text: str,
        statements: Sequence[ast.Statement] | None = None,
        arrow: bool = False,
    ) -> list[Result]:
        """Parse and run the statement(s) in `text`, in order; stop at the first error.
        `statements`: `text` already parsed by `parse_text` (a server that parsed it to count
        its statements, or kept the parse of a text it sees again), not parsed twice.
        `arrow`: queries return their rows as Arrow (`Rows.arrow`), where the dialect can."""
        if statements is None:
            statements = self.parse_text(text)
        with self._lock:
            self.tick()
            self.arrow_results = arrow
            try:
                return [self.run(stmt, text) for stmt in statements]
            finally:
                self.arrow_results = False

    def parse_text(self, text: str) -> list[ast.Statement]:
        """The statements of `text` in this session's dialect; a syntax error is raised in the
        dialect's format."""
        try:
            _check_encodable(text)
            return parses.parse(text, self.dialect.name)
        except CloneshellError as err:
            raise self.dialect.render_error(err) from None

    def execute_many(self, texts: list[str]) -> ManyOutcome:
        """Run each text as `execute` would, one after another, stopping at the first that
        fails: every text before it is applied, it and those after it are not. Consecutive
        single-row INSERTs into one table share a transaction (engine/core/batching.py)."""
        from cloneshell.engine.core.batching import execute_many

        with self._lock, _sigint_is_ctrl_c():
            try:
                return execute_many(self, texts)
            finally:
                # A batch runs outside Session.run's attempts (its files are made writable in
                # place): afterwards, release what other shells wait for, as a statement does.
                self.warehouse.end_statement()

    def snapshot(self) -> CatalogSnapshot:
        """What this principal can see, for completion (safe to call from another thread)."""
        with self._lock:
            self._snapshot_version += 1
            try:
                return self.dialect.snapshot(self, self._snapshot_version)
            finally:
                if not self._running.is_set():
                    self.warehouse.detach_all()

    def run(self, stmt: ast.Statement, text: str) -> Result:
        """Run one parsed statement.

        Files are attached read-only until the statement writes one. It starts again from
        the beginning (`NeedsWrite`: nothing was written yet) when that file changed before
        it could hold it read-write, or to let go of files an older statement of another
        shell waits for (Warehouse._attach): what it reads and decides holds under the write
        lock. After it, the files other shells wait for are released (end_statement)."""
        now = self.clock.now()
        dialect = self.dialect  # a statement may switch it; its errors keep its own format
        statement_id = dialect.statement_id(now)
        wh = self.warehouse
        write_set: set[str] = set()
        self.cancel_requested.clear()
        self._running.set()
        ctx: StatementContext | None = None
        deadline = time.monotonic() + wh.lock_timeout
        started = time.time()
        try:
            while True:
                ctx = self.context(stmt, text, now, statement_id)
                wh.begin_statement(write_set, started, isinstance(stmt, _WRITES_ROWS))
                try:
                    handler = handler_for(stmt, dialect)
                    if dialect.before is not None:
                        dialect.before(ctx, stmt)
                    result = handler(ctx, stmt)
                    self._keep_result(statement_id, result)
                    return result
                except NeedsWrite as retry:
                    # A file asked for read-write is attached so from the next attempt on.
                    assert retry.alias not in write_set, retry.alias
                    if retry.alias is None and time.monotonic() >= deadline:
                        raise wh.lock_error(retry.label) from None
                    write_set = wh.restart(retry.alias)
        except CloneshellError as err:
            raise dialect.render_error(err) from None
        except duckdb.InterruptException:
            raise dialect.render_error(EngineError("cancelled")) from None
        except RuntimeError as exc:
            _raise_if_sigint(exc)
            raise
        except duckdb.Error as exc:
            if is_disk_full(exc):
                raise dialect.render_error(self._disk_full(str(exc))) from None
            damaged = wh.damaged_label(exc)
            if damaged is not None:
                raise dialect.render_error(EngineError("damaged", name=damaged)) from None
            calls = ctx.calls if ctx is not None else ()
            raise dialect.render_error(from_duckdb(exc, stmt, calls)) from None
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            raise dialect.render_error(self._disk_full(str(exc.filename or ""))) from None
        finally:
            self._running.clear()
            try:
                wh.end_statement()
            except DiskFullError as err:
                # Its changes are committed; merging them into the file found the disk full.
                raise dialect.render_error(err) from None
            finally:
                self.query_ids.append(statement_id)
                self._statement_times[statement_id] = now
                if ctx is not None:
                    self._statement_versions[statement_id] = ctx.seen_versions()

    def _disk_full(self, text: str) -> DiskFullError:
        """The error of a statement that found the disk full before it committed: it names
        the file's project (database) that `text` (the failure's) names, else the current one."""
        name = self.warehouse.label_in(text) or self.project or REGISTRY_LABEL
        return DiskFullError(name, committed=False)

    def _keep_result(self, statement_id: str, result: Result) -> None:
        """Keep a row result for RESULT_SCAN: the last KEPT_RESULTS, of KEPT_ROWS rows at most
        (an emulator limit; Snowflake keeps every result 24 hours)."""
        if isinstance(result, Rows) and len(result.rows) <= KEPT_ROWS:
            self.results[statement_id] = result
            while len(self.results) > KEPT_RESULTS:
                del self.results[next(iter(self.results))]

    def context(
        self,
        stmt: ast.Statement,
        text: str,
        now: datetime | None = None,
        statement_id: str | None = None,
    ) -> StatementContext:
        """A new context for one statement of `text`: its instant and id (new ones unless
        given: every attempt of one statement shares them), who runs it."""
        now = self.clock.now() if now is None else now
        return self.dialect.context(
            self,
            now,
            statement_id or self.dialect.statement_id(now),
            text[stmt.span.start : stmt.span.end] or text,
            source=text,
            span=stmt.span,
        )

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Mark a statement as running, so `interrupt()` cancels it."""
        self._running.set()
        try:
            yield
        finally:
            self._running.clear()

    # ------------------------------------------------------------------ identity and state

    def login(self, principal: str) -> None:
        """Act as `principal` from now on (identities are simulated, as with a test account).
        Snowflake: a user name (`alice` is ALICE); the current role becomes the user's default
        role, or PUBLIC."""
        try:
            with self._lock:
                self.dialect.login(self, principal)
        except CloneshellError as err:
            raise self.dialect.render_error(err) from None

    def authenticate(self, password: str) -> bool:
        """Whether `password` is the current principal's (a server login). Snowflake: a user
        created with `PASSWORD = '…'` must give it, others may give any; a dialect without
        passwords accepts any."""
        check = self.dialect.authenticate
        if check is None:
            return True
        with self._lock:
            return check(self, password)

    def switch_dialect(self, name: str, span: Span | None = None) -> None:
        """Speak another dialect from the next statement on (`ALTER SESSION SET DIALECT = …`,
        the shell's `\\dialect`). Each dialect keeps its own identity, current project or
        database, and schema; a first switch starts the dialect as its default principal
        (its `start`). `span` locates the name in a statement, for the error of an unknown one."""
        key = name.strip().strip("'\"").lower()
        if not dialects.known(key):
            shown = name if len(name) <= 40 else name[:37] + "..."
            raise self.dialect.render_error(
                EngineError(
                    "invalid",
                    span,
                    message=f"unknown dialect '{shown}': use {' or '.join(dialects.NAMES)}",
                )
            )
        with self._lock:
            if key == self.dialect.name:
                return
            target = dialects.get(key)
            if key in self._states:
                self.dialect = target
                return
            previous = self.dialect
            self._states[key] = _DialectState("", None, target.default_schema)
            self.dialect = target
            try:
                target.start(self, None, None, False, True)
            except BaseException as exc:
                # Not switched after all (also when the statement starts again to write the
                # registry: Session.run, NeedsWrite).
                del self._states[key]
                self.dialect = previous
                if isinstance(exc, CloneshellError):
                    raise target.render_error(exc) from None
                raise

    def move_clock(self, delta: timedelta) -> datetime:
        """Move a frozen clock (`--clock`) by `delta`; returns the new instant."""
        clock = self._frozen_clock()
        clock.advance(delta)
        return clock.now()

    def set_clock(self, instant: datetime) -> datetime:
        """Set a frozen clock (`--clock`) to `instant`; returns the new instant."""
        clock = self._frozen_clock()
        clock.set(instant)
        return clock.now()

    def _frozen_clock(self) -> FixedClock:
        if not isinstance(self.clock, FixedClock):
            raise self.dialect.render_error(
                EngineError(
                    "invalid",
                    message="the session clock is real time; start the shell with --clock "
                    "<instant> to freeze it and move it",
                )
            )
        return self.clock

    def task_schedule_changed(self) -> None:
        """A task was resumed, suspended, dropped or ran: read the schedule index again."""
        self._task_due_known = False

    def tick(self) -> None:
        """Run the scheduled tasks that are due by the session clock (engine/snowflake/tasks.py).
        Cheap when none is: the next due instant is remembered."""
        with self._lock:
            if self._ticking:
                return
            now = self.clock.now()
            self._ticking = True
            try:
                if not self._task_due_known:
                    self._task_due = self.warehouse.next_task_due()
                    self._task_due_known = True
                if self._task_due is None or self._task_due > now:
                    return
                for name in dialects.NAMES:
                    run_due = dialects.get(name).run_due
                    if run_due is not None:
                        run_due(self, now)
                self._task_due = self.warehouse.next_task_due()
            except (CloneshellError, duckdb.Error):
                # A database another shell holds, or a task index to repair: try next tick.
                self._task_due_known = False
            finally:
                self._ticking = False

    def idle(self) -> None:
        """Run due tasks, then release project files while the shell waits, so other shells
        can use them (after compacting databases whose purges left their files mostly
        free). The schedule index is read again: another shell may have started a task."""
        with self._lock:
            self._task_due_known = False
            self.tick()
            full: DiskFullError | None = None
            while self.compact_candidates:
                file = self.compact_candidates.pop()
                info = next((i for i in self.warehouse.list_databases() if i.file == file), None)
                if info is not None:
                    try:
                        self.warehouse.compact(info)
                    except LockError:
                        pass  # another shell holds the file: compact another time
                    except DiskFullError as err:
                        full = full or err
            try:
                self.warehouse.detach_all()
            except DiskFullError as err:
                full = full or err
            if full is not None:
                raise self.dialect.render_error(full)

    def interrupt(self) -> None:
        """Cancel the running statement (called from another thread, e.g. on Ctrl-C)."""
        if self._running.is_set():
            self.cancel_requested.set()
            self.warehouse.con.interrupt()

    def close(self) -> None:
        """End the session in every dialect it used (their `end` hooks: Snowflake drops its
        temporary tables), then release everything (a full disk when a file is checkpointed:
        `DiskFullError`, committed, in the dialect's words, after everything is released)."""
        try:
            with self._lock:
                for name in list(self._states):
                    end = dialects.get(name).end
                    if end is not None:
                        end(self)
        finally:
            try:
                self.warehouse.close()
            except DiskFullError as err:
                raise self.dialect.render_error(err) from None


def _check_encodable(text: str) -> None:
    """Refuse text that is not valid Unicode (lone surrogates from a broken terminal or file)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        column = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
        raise SqlSyntaxError(
            f"invalid token '\\u{ord(text[exc.start]):04x}'",
            Span(exc.start, exc.start + 1, line, column, line, column + 1),
        ) from None


# Statements that change a table's rows (Warehouse.begin_statement's `writes_rows`).
_WRITES_ROWS = (ast.Insert, ast.Update, ast.Delete, ast.Merge, ast.TruncateTable)

# RESULT_SCAN keeps this many of a session's latest row results, of at most this many rows.
KEPT_RESULTS = 16
KEPT_ROWS = 100_000


def _raise_if_sigint(exc: RuntimeError) -> None:
    """A SIGINT that arrives while DuckDB runs a query on the main thread (Ctrl-C during
    `cloneshell -f`) is caught by DuckDB, which stops the query (rolling it back) and raises
    RuntimeError('Query interrupted') (duckdb 2.0.0): it is the user's Ctrl-C, so it goes on as
    one (the shell exits 130), not as an internal error."""
    if str(exc) == "Query interrupted":
        raise KeyboardInterrupt from None


@contextlib.contextmanager
def _sigint_is_ctrl_c() -> Iterator[None]:
    try:
        yield
    except RuntimeError as exc:
        _raise_if_sigint(exc)
        raise
