"""`Session`: one principal's connection to a warehouse; executes statement text.

The flow of one statement (DESIGN.md): parse -> dispatch to a handler, which resolves names,
authorizes, then changes storage inside one transaction -> a `Result`, or a `CloneshellError`
whose text is in the dialect's format. Nothing is changed by a statement that fails.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime
from pathlib import Path

import duckdb

from cloneshell.engine.clock import Clock, make_clock
from cloneshell.engine.context import StatementContext, new_statement_id
from cloneshell.engine.dialect import DIALECTS, Dialect
from cloneshell.engine.dispatch import handler_for
from cloneshell.engine.errors import EngineError, ExecutionError, SemanticError
from cloneshell.engine.result import Result
from cloneshell.engine.security import Authorizer, validate_principal
from cloneshell.engine.snapshot import CatalogSnapshot, build_snapshot
from cloneshell.engine.warehouse import Warehouse
from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError, Span, SqlSyntaxError
from cloneshell.grammar.parser import parse

DEFAULT_PRINCIPAL = "ALIYUN$odps_user@aliyun.com"
DEFAULT_PROJECT = "my_project"


class Session:
    """The identity, current project, flags and dialect of one shell, over one warehouse.

    Interface used by the shell:
      Session.open(warehouse_dir, principal=None, project=None, dialect="maxcompute", clock=None)
      .execute(text) -> list[Result]   raises CloneshellError with .text/.code/.span
      .login(principal), .principal, .project, .dialect_name, .prompt(), .idle(), .interrupt(),
      .close()
    """

    def __init__(
        self, warehouse: Warehouse, principal: str, dialect: Dialect, clock: Clock
    ) -> None:
        self.warehouse = warehouse
        self.principal = principal
        self.dialect = dialect
        self.clock = clock
        self.project: str | None = None
        self.schema = dialect.default_schema
        self.flags: dict[str, str] = {}
        self._running = threading.Event()
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
    ) -> Session:
        """Open (creating if missing) the warehouse at `warehouse_dir`.

        A new warehouse gets one project, `my_project`, owned by the opening principal, so a
        newcomer can type statements at once.
        """
        if dialect not in DIALECTS:
            raise EngineError("invalid", message=f"unknown dialect '{dialect}'")
        wh = Warehouse.open(warehouse_dir, lock_timeout)
        try:
            who = validate_principal(principal or DEFAULT_PRINCIPAL)
            session = cls(wh, who, DIALECTS[dialect], make_clock(clock))
            wh.remember_principal(who, session.clock.now())
            if not wh.list_projects():
                session.execute(f"CREATE PROJECT {DEFAULT_PROJECT}")
            if project is not None:
                info = wh.require_project(project)
                session.project = info.name
            elif wh.get_project(DEFAULT_PROJECT) is not None:
                session.project = DEFAULT_PROJECT
            wh.detach_all()
        except CloneshellError as err:
            wh.close()
            raise DIALECTS[dialect].render_error(err) from None
        except BaseException:
            wh.close()
            raise
        return session

    # ------------------------------------------------------------------ properties

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
        """The interactive prompt, e.g. `odps@ my_project>`."""
        return self.dialect.prompt_format.format(project=self.project or "")

    # ------------------------------------------------------------------ running statements

    def execute(self, text: str) -> list[Result]:
        """Parse and run the statement(s) in `text`, in order; stop at the first error."""
        try:
            _check_encodable(text)
            statements = parse(text, self.dialect.name)
        except CloneshellError as err:
            raise self.dialect.render_error(err) from None
        with self._lock:
            return [self.run(stmt, text) for stmt in statements]

    def snapshot(self) -> CatalogSnapshot:
        """What this principal can see, for completion (safe to call from another thread)."""
        with self._lock:
            self._snapshot_version += 1
            try:
                return build_snapshot(
                    self.warehouse,
                    self.principal,
                    self.project,
                    tuple(self.flags),
                    self._snapshot_version,
                )
            finally:
                if not self._running.is_set():
                    self.warehouse.detach_all()

    def run(self, stmt: ast.Statement, text: str) -> Result:
        """Run one parsed statement."""
        now = self.clock.now()
        ctx = StatementContext(
            session=self,
            now=now,
            statement_id=new_statement_id(now),
            text=text[stmt.span.start : stmt.span.end] or text,
            auth=Authorizer(self.principal),
        )
        handler = handler_for(stmt)
        self._running.set()
        try:
            return handler(ctx, stmt)
        except CloneshellError as err:
            raise self.dialect.render_error(err) from None
        except duckdb.InterruptException:
            raise self.dialect.render_error(EngineError("cancelled")) from None
        except duckdb.Error as exc:
            raise self.dialect.render_error(_from_duckdb(exc, stmt)) from None
        finally:
            self._running.clear()

    # ------------------------------------------------------------------ identity and state

    def login(self, principal: str) -> None:
        """Act as `principal` from now on (identities are simulated, as with a test account)."""
        try:
            who = validate_principal(principal.strip().strip("`"))
        except CloneshellError as err:
            raise self.dialect.render_error(err) from None
        self.principal = who
        self.warehouse.remember_principal(who, self.clock.now())

    def idle(self) -> None:
        """Release project files while the shell waits, so other shells can use them."""
        with self._lock:
            self.warehouse.detach_all()

    def interrupt(self) -> None:
        """Cancel the running statement (called from another thread, e.g. on Ctrl-C)."""
        if self._running.is_set():
            self.warehouse.con.interrupt()

    def close(self) -> None:
        """Release everything."""
        self.warehouse.close()


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


_COLUMN_NOT_FOUND = re.compile(r'Referenced column "([^"]+)" not found')


def _from_duckdb(exc: duckdb.Error, stmt: ast.Statement) -> EngineError:
    """A DuckDB failure as a coded engine error, pointing at the user's text where possible."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    first = re.sub(r"^[A-Za-z ]+Error: ", "", first)
    if isinstance(exc, duckdb.BinderException):
        m = _COLUMN_NOT_FOUND.search(str(exc))
        if m:
            span = _find_column(stmt, m.group(1))
            return SemanticError("column_not_found", span, name=m.group(1))
        return SemanticError("semantic", stmt.span, message=first)
    return ExecutionError("execution", message=first)


def _find_column(node: object, name: str) -> ast.Span | None:
    """The span of the first column reference named `name` in an AST."""
    if isinstance(node, ast.ColumnRef) and node.parts[-1].name.lower() == name.lower():
        return node.span
    if isinstance(node, ast.Node):
        for slot in _slots(type(node)):
            found = _find_column(getattr(node, slot), name)
            if found is not None:
                return found
    elif isinstance(node, tuple):
        for item in node:
            found = _find_column(item, name)
            if found is not None:
                return found
    return None


def _slots(cls: type) -> list[str]:
    names: list[str] = []
    for klass in cls.__mro__:
        names.extend(getattr(klass, "__slots__", ()))
    return [n for n in names if n != "span"]
