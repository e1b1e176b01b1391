"""What one statement's handler works with: name resolution, attached catalogs, privileges, the
statement's id and instant, and the write transaction that commits a new version."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from cloneshell.engine.catalog import ProjectCatalog, TableMeta
from cloneshell.engine.errors import CatalogError, SemanticError, UnsupportedError
from cloneshell.engine.quoting import quote_ident
from cloneshell.engine.security import Authorizer
from cloneshell.engine.translate import Relation
from cloneshell.engine.warehouse import ProjectInfo
from cloneshell.grammar import ast

if TYPE_CHECKING:
    from cloneshell.engine.session import Session


def physical_schema(schema: str) -> str:
    """DuckDB schema holding a logical schema's tables (the built-in one is DuckDB's `main`)."""
    return "main" if schema == "default" else schema


@dataclass(slots=True)
class Target:
    """A resolved table name: its project, schema and name, and the table if it exists."""

    info: ProjectInfo
    cat: ProjectCatalog
    schema: str
    name: str
    table: TableMeta | None
    span: ast.Span | None = None

    @property
    def display(self) -> str:
        """`project.table` as MaxCompute messages show it."""
        return f"{self.info.name}.{self.name}"


@dataclass(slots=True)
class Read:
    """A table a statement reads (checked for Select before anything runs)."""

    target: Target
    ref: ast.TableRef


def new_statement_id(now: datetime) -> str:
    """An odpscmd-style instance id: UTC `yyyyMMddHHmmss` + 11 lowercase alphanumerics."""
    return now.strftime("%Y%m%d%H%M%S") + secrets.token_hex(6)[:11]


@dataclass
class StatementContext:
    """Per-statement state. Created by `Session.execute`, discarded afterwards."""

    session: Session
    now: datetime
    statement_id: str
    text: str
    auth: Authorizer
    _catalogs: dict[str, tuple[ProjectInfo, ProjectCatalog]] = field(default_factory=dict)
    reads: list[Read] = field(default_factory=list)

    # ------------------------------------------------------------------ projects

    def project(
        self, name: str, span: ast.Span | None = None
    ) -> tuple[ProjectInfo, ProjectCatalog]:
        """A registered project, attached, with its catalog."""
        key = name.lower()
        if key not in self._catalogs:
            wh = self.session.warehouse
            info = wh.get_project(key)
            if info is None:
                raise CatalogError("project_not_found", span, name=key)
            alias = wh.attach_project(info)
            self._catalogs[key] = (info, ProjectCatalog(wh.con, alias, info.name))
        return self._catalogs[key]

    def current_project(self, span: ast.Span | None = None) -> tuple[ProjectInfo, ProjectCatalog]:
        """The session's current project."""
        if self.session.project is None:
            raise SemanticError(
                "semantic", span, message="no current project: USE a project or CREATE PROJECT"
            )
        return self.project(self.session.project, span)

    # ------------------------------------------------------------------ names

    def fold(self, ident: ast.Ident) -> str:
        """An identifier in the dialect's case."""
        return self.session.dialect.fold(ident.name)

    def resolve(self, qname: ast.QualifiedName) -> Target:
        """Resolve `t`, `p.t` / `s.t`, `p.s.t` per odps.namespace.schema (maxcompute.md §4)."""
        parts = [self.fold(p) for p in qname.parts]
        schema_mode = self.session.flag_bool("odps.namespace.schema", False)
        if len(parts) == 1:
            project, schema, name = self.session.project, self.session.schema, parts[0]
        elif len(parts) == 2:
            if schema_mode:
                project, schema, name = self.session.project, parts[0], parts[1]
            else:
                project, schema, name = parts[0], self.session.dialect.default_schema, parts[1]
        else:
            if not schema_mode:
                raise SemanticError(
                    "semantic",
                    qname.span,
                    message=f"table name {'.'.join(parts)} is not recognised: three-part names "
                    "need SET odps.namespace.schema=true",
                )
            project, schema, name = parts
        if project is None:
            raise SemanticError(
                "semantic", qname.span, message="no current project: USE a project first"
            )
        info, cat = self.project(project, qname.parts[0].span)
        if schema != self.session.dialect.default_schema:
            raise CatalogError(
                "semantic",
                qname.span,
                message=f"schema {schema} does not exist in project {info.name}",
            )
        table = cat.get_table(schema, name)
        return Target(info, cat, schema, name, table, qname.span)

    def require_table(self, qname: ast.QualifiedName) -> Target:
        """Resolve a name that must be an existing table."""
        target = self.resolve(qname)
        if target.table is None:
            raise CatalogError("table_not_found", qname.span, name=target.display)
        return target

    def relation(self, ref: ast.TableRef) -> Relation:
        """Translator callback: resolve a FROM table, remember it for the Select check."""
        if ref.time_travel is not None:
            raise UnsupportedError(
                "unsupported",
                ref.time_travel.span,
                message="AT/BEFORE (Time Travel) is a Snowflake clause; use --dialect snowflake",
            )
        target = self.require_table(ref.name)
        table = target.table
        assert table is not None
        if table.kind != "managed":
            raise UnsupportedError(
                "unsupported",
                ref.span,
                message=f"external table {target.display} cannot be read by the emulator "
                "(its data lives outside the warehouse)",
            )
        self.reads.append(Read(target, ref))
        cols = ", ".join(quote_ident(c.name) for c in table.all_columns)
        return Relation(f"(SELECT {cols} FROM {target.cat.physical(table)})", table.name)

    def authorize_reads(self) -> None:
        """Select on every table the statement reads (joins, subqueries, CTEs, sources)."""
        for read in self.reads:
            t = read.target
            assert t.table is not None
            self.auth.require_table_action(t.info, t.cat, t.table, "Select")

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
        """
        con = self.session.warehouse.con
        con.execute("BEGIN TRANSACTION")
        try:
            if prepare is not None:
                prepare()
            version = cat.next_version()
            yield version
            cat.record_commit(
                version, self.statement_id, self.now, self.auth.principal, kind, self.text[:2000]
            )
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
