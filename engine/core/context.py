"""What one statement's handler works with, whatever the dialect: the session, the statement's
id, instant and text, the files it attached, a translator for its queries, and the write
transaction that commits a new version. Each dialect's context (engine/maxcompute/context.py,
engine/snowflake/context.py) adds its own name resolution and privileges."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.translate import Relation, Resolver, SessionEnv, Translator
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.grammar import ast
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.session import Session


@record(slots=True)
class Db:
    """A project (Snowflake: database) file, attached, with its catalog."""

    info: ProjectInfo
    cat: ProjectCatalog

    @property
    def name(self) -> str:
        """The project's (database's) name."""
        return self.info.name


class StatementContext:
    """Per-statement state. Made by `Session.context` as the session's dialect's subclass,
    discarded afterwards.

    `text` is the statement's own text, `source` the whole text its spans point into, `span`
    the statement's span (where an error about the statement as a whole points)."""

    def __init__(
        self,
        session: Session,
        now: datetime,
        statement_id: str,
        text: str,
        source: str = "",
        span: ast.Span | None = None,
    ) -> None:
        self.session = session
        self.now = now
        self.statement_id = statement_id
        self.text = text
        self.source = source
        self.span = span
        # Files this statement attached, by file name; versions it committed, by alias.
        self._attached: dict[str, Db] = {}
        self._committed: dict[str, int] = {}
        # The function calls its translators made, for naming the user's call in a DuckDB
        # failure (duckerrors.py).
        self.calls: list[tuple[ast.FuncCall, str]] = []

    def derived(self, text: str = "") -> StatementContext:
        """A context for work done within this statement on other text (a pipe's COPY, a
        task's statement): same session, instant and id."""
        return type(self)(
            self.session, self.now, self.statement_id, text or self.text, text or self.source
        )

    # ------------------------------------------------------------------ names and files

    def fold(self, ident: ast.Ident) -> str:
        """An identifier as the dialect stores it (Snowflake keeps the case of quoted ones)."""
        return self.session.dialect.fold_ident(ident)

    def attach(self, info: ProjectInfo, write: bool = False) -> Db:
        """Attach a project file (read-write with `write`) and wrap it with its catalog."""
        wh = self.session.warehouse
        alias = wh.attach_project(info, write)
        db = self._attached.get(info.file)
        if db is None or db.cat.alias != alias or db.info != info:
            cat = ProjectCatalog(wh.con, alias, info.name, self.session.token, wh.lookups)
            db = Db(info, cat)
            self._attached[info.file] = db
        return db

    def seen_versions(self) -> dict[str, int]:
        """The latest version of each file this statement touched (by catalog alias)."""
        seen: dict[str, int] = dict(self._committed)
        for db in self._attached.values():
            if db.cat.alias not in seen and self.session.warehouse.is_attached(db.info.file):
                last = db.cat.last_commit()
                seen[db.cat.alias] = last[0] if last else 0
        return seen

    # ------------------------------------------------------------------ queries

    def relation(self, ref: ast.TableRef) -> Relation:
        """Translator callback: a FROM table as SQL, resolved and checked in the dialect's
        terms (each dialect's context defines it)."""
        raise NotImplementedError

    def system_function(
        self, name: str, args: tuple[object, ...], span: ast.Span | None
    ) -> tuple[object, str]:
        """A function that reads engine state (Snowflake's SYSTEM$…): (value, DuckDB type).
        None here: the dialect's context defines those it has."""
        raise SemanticError("function_not_found", span, name=name.upper())

    def table_function(self, ref: ast.TableFunctionRef) -> Relation:
        """A table function in FROM (Snowflake's TASK_HISTORY); none here."""
        raise UnsupportedError(
            "unsupported", ref.span, message="table functions are not supported here"
        )

    def engine_sql(self, e: ast.Expr) -> str:
        """A dialect's expression that reads engine state (Snowflake's `seq.NEXTVAL`) as SQL;
        none here."""
        raise UnsupportedError("unsupported", e.span, message=type(e).__name__)

    def user_function(self, call: ast.FuncCall) -> ast.Expr | None:
        """Translator callback: the user-defined function a call names, expanded; none here."""
        return None

    def translator(self, resolve: Resolver | None = None) -> Translator:
        """A translator for this statement, in its dialect's rules, resolving tables through
        `resolve` (default: `relation`)."""
        session = self.session
        return Translator(
            resolve or self.relation,
            session.dialect.translation,
            session.dialect.fold_ident,
            self.now,
            source=self.source,
            env=SessionEnv(
                query_ids=tuple(session.query_ids),
                database=session.project,
                schema=session.schema if session.project else None,
                role=session.role,
                user=session.principal,
                flags=dict(session.flags),
                variables=session.variables,
            ),
            system=self.system_function,
            table_function=self.table_function,
            engine_sql=self.engine_sql,
            evaluate=self.evaluate,
            from_source=self.from_source,
            calls=self.calls,
            user_function=self.user_function,
        )

    def from_source(self, item: ast.FromItem) -> Relation:
        """Translator callback: a FROM item the dialect reads itself (Snowflake's staged
        files); none here."""
        raise UnsupportedError("unsupported", item.span, message=f"{type(item).__name__} in FROM")

    def evaluate(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        """Translator callback: run a query while the statement is translated (the files it
        reads are attached: their tables were resolved)."""
        return self.session.warehouse.con.execute(sql, list(params)).fetchall()

    # ------------------------------------------------------------------ writing

    @contextmanager
    def write(
        self,
        info: ProjectInfo,
        cat: ProjectCatalog,
        kind: str,
        prepare: Callable[[], None] | None = None,
    ) -> Iterator[int]:
        """One transaction in one project file, committing one new version.

        DuckDB lets a transaction write to one attached file only, which is exactly the unit of
        atomicity we promise: a statement's changes land in one project, all or nothing.
        `prepare` runs first inside the transaction (CREATE PROJECT makes the metadata there).
        The dialect's context may add work to the same transaction (`_before_commit`) and
        after it (`_after_commit`).
        """
        wh = self.session.warehouse
        wh.writable(cat.alias)  # a file read so far read-only: the statement starts again
        con = wh.con
        con.execute("BEGIN TRANSACTION")
        try:
            if prepare is not None:
                prepare()
            last = cat.last_commit()
            version = last[0] + 1 if last is not None else 1
            yield version
            self._before_commit(cat, kind)
            # Commit instants never go backwards (a clock moved back still orders versions).
            ts = max(self.now, last[1]) if last is not None else self.now
            principal = self.session.principal
            cat.record_commit(version, self.statement_id, ts, principal, kind, self.text[:2000])
            con.execute("COMMIT")
            self._committed[cat.alias] = version
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
        self._after_commit(cat, kind)

    def _before_commit(self, cat: ProjectCatalog, kind: str) -> None:
        """Work the dialect adds to a write's transaction, just before its commit."""

    def _after_commit(self, cat: ProjectCatalog, kind: str) -> None:
        """Work the dialect does right after a write committed (in transactions of its own)."""
