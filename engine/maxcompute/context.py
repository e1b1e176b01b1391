"""A MaxCompute statement's context: project and table names resolved as MaxCompute resolves
them (`t`, `p.t`, and with `odps.namespace.schema` `s.t`, `p.s.t`; maxcompute.md §4), the tables
a statement reads (each checked for Select before anything runs), and the principal's
privileges (`Authorizer`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from cloneshell.engine.core import dispatch
from cloneshell.engine.core.catalog import ProjectCatalog, TableMeta
from cloneshell.engine.core.context import StatementContext
from cloneshell.engine.core.errors import CatalogError, SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.maxcompute.security import Authorizer
from cloneshell.grammar import ast
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.session import Session


# A view read in FROM: its handler module loads when a query first reads a view.
_VIEW_READER = "maxcompute.handlers.views:relation"


def physical_schema(schema: str) -> str:
    """DuckDB schema holding a logical schema's tables: the built-in `default` is `main`."""
    return "main" if schema == "default" else schema


@record(slots=True)
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


@record(slots=True)
class Read:
    """A table a statement reads (checked for Select before anything runs)."""

    target: Target
    ref: ast.TableRef


class MaxComputeContext(StatementContext):
    """Per-statement state of a MaxCompute statement."""

    def __init__(
        self,
        session: Session,
        now: datetime,
        statement_id: str,
        text: str,
        source: str = "",
        span: ast.Span | None = None,
    ) -> None:
        super().__init__(session, now, statement_id, text, source, span)
        self.auth = Authorizer(session.principal)
        self.reads: list[Read] = []
        self._projects: dict[str, tuple[ProjectInfo, ProjectCatalog]] = {}

    # ------------------------------------------------------------------ projects

    def project(
        self, name: str, span: ast.Span | None = None
    ) -> tuple[ProjectInfo, ProjectCatalog]:
        """A registered project, attached, with its catalog."""
        key = name.lower()
        if key not in self._projects:
            info = self.session.warehouse.get_project(key)
            if info is None:
                raise CatalogError("project_not_found", span, name=key)
            db = self.attach(info)
            self._projects[key] = (db.info, db.cat)
        return self._projects[key]

    def current_project(self, span: ast.Span | None = None) -> tuple[ProjectInfo, ProjectCatalog]:
        """The session's current project."""
        if self.session.project is None:
            raise SemanticError(
                "semantic",
                span or self.span,
                message="no current project: USE a project or CREATE PROJECT",
            )
        return self.project(self.session.project, span or self.span)

    # ------------------------------------------------------------------ names

    def resolve(self, qname: ast.QualifiedName) -> Target:
        """Resolve `t`, `p.t` / `s.t`, `p.s.t` per odps.namespace.schema (maxcompute.md §4)."""
        parts = [self.fold(p) for p in qname.parts]
        schema_mode = self.session.flag_bool("odps.namespace.schema", False)
        default_schema = self.session.dialect.default_schema
        if len(parts) == 1:
            project, schema, name = self.session.project, self.session.schema, parts[0]
        elif len(parts) == 2:
            if schema_mode:
                project, schema, name = self.session.project, parts[0], parts[1]
            else:
                project, schema, name = parts[0], default_schema, parts[1]
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
        if schema != default_schema:
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
        """A FROM table: resolved, remembered for the Select check (`authorize_reads`)."""
        if ref.time_travel is not None:
            raise UnsupportedError(
                "unsupported",
                ref.time_travel.span,
                message="AT/BEFORE (Time Travel) is a Snowflake clause; use --dialect snowflake",
            )
        target = self.require_table(ref.name)
        table = target.table
        assert table is not None
        if table.kind == "view":
            self.reads.append(Read(target, ref))
            view: Callable[..., Relation] = dispatch.load(_VIEW_READER)
            return view(self, target, ref)
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
