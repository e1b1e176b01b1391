"""What one statement's handler works with: name resolution, attached catalogs, privileges, the
statement's id and instant, and the write transaction that commits a new version."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import ProjectCatalog, SchemaMeta, TableMeta
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import CatalogError, EngineError, SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.translate import Relation, Resolver, SessionEnv, Translator
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.maxcompute.security import Authorizer
from cloneshell.grammar import ast
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.session import Session
    from cloneshell.engine.snowflake.objects import SfObject
    from cloneshell.engine.snowflake.security import SfAuth  # imported by Snowflake statements only


def physical_schema(schema: str | SchemaMeta) -> str:
    """DuckDB schema holding a logical schema's tables. MaxCompute: the built-in `default` is
    DuckDB's `main`. Snowflake: by schema id (`main` for a database's first PUBLIC, else
    `s<id>`), never by the user's name (DuckDB names are case-insensitive)."""
    if isinstance(schema, SchemaMeta):
        return schema.physical
    return "main" if schema == "default" else schema


@record(slots=True)
class Db:
    """A Snowflake database, attached, with its catalog."""

    info: ProjectInfo
    cat: ProjectCatalog

    @property
    def name(self) -> str:
        """The database's name."""
        return self.info.name


@record(slots=True)
class SfTarget:
    """A resolved Snowflake object name `db.schema.name` (the table, if it exists)."""

    db: Db
    schema: SchemaMeta
    name: str
    table: TableMeta | None
    span: ast.Span | None = None

    @property
    def fq(self) -> str:
        """`DB.SCHEMA.NAME`, as Snowflake's messages show it."""
        return f"{self.db.name}.{self.schema.name}.{self.name}"


# Snowflake's account default for DATA_RETENTION_TIME_IN_DAYS (snowflake.md §2.2).
DEFAULT_RETENTION_DAYS = 1


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


def new_statement_id(now: datetime) -> str:
    """An odpscmd-style instance id: UTC `yyyyMMddHHmmss` + 11 lowercase alphanumerics."""
    return now.strftime("%Y%m%d%H%M%S") + secrets.token_hex(6)[:11]


def effective_retention(db: Db, schema: SchemaMeta | None, table: TableMeta | None) -> int:
    """DATA_RETENTION_TIME_IN_DAYS as Snowflake resolves it: the table's own setting, else its
    schema's, else its database's, else the account default (1)."""
    for value in (
        table.retention_explicit if table is not None else None,
        schema.retention_days if schema is not None else None,
        db.info.retention_days,
    ):
        if value is not None:
            return int(value)
    return DEFAULT_RETENTION_DAYS


@record
class StatementContext:
    """Per-statement state. Created by `Session.execute`, discarded afterwards."""

    session: Session
    now: datetime
    statement_id: str
    text: str
    auth: Authorizer
    _catalogs: dict[str, tuple[ProjectInfo, ProjectCatalog]] = field(default_factory=dict)
    reads: list[Read] = field(default_factory=list)
    # The whole text the statement's spans point into, and the statement's own span (where an
    # error about the statement as a whole, such as "no current project", points).
    source: str = ""
    span: ast.Span | None = None
    _sf_auth: SfAuth | None = None
    _dbs: dict[str, Db] = field(default_factory=dict)
    # Versions this statement committed, by catalog alias.
    _committed: dict[str, int] = field(default_factory=dict)
    # Streams this statement read: (database, stream, version read). A DML statement that
    # commits moves their offsets to the version read (streams.py).
    streams_read: list[tuple[Db, SfObject, int]] = field(default_factory=list)

    @property
    def snowflake(self) -> bool:
        """True when the session speaks Snowflake."""
        return self.session.dialect.name == "snowflake"

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
                "semantic",
                span or self.span,
                message="no current project: USE a project or CREATE PROJECT",
            )
        return self.project(self.session.project, span or self.span)

    # ------------------------------------------------------------------ names

    def fold(self, ident: ast.Ident) -> str:
        """An identifier as the dialect stores it (Snowflake keeps the case of quoted ones)."""
        return self.session.dialect.fold_ident(ident)

    def translator(self, resolve: Resolver | None = None) -> Translator:
        """A translator for this statement's dialect, resolving tables through `relation`."""
        d = self.session.dialect
        env = None
        if self.snowflake:
            env = SessionEnv(
                query_ids=tuple(self.session.query_ids),
                database=self.session.project,
                schema=self.session.schema if self.session.project else None,
                role=self.session.role,
                user=self.session.principal,
            )
        return Translator(
            resolve or self.relation,
            d.fold,
            self.now,
            fold_ident=d.fold_ident,
            snowflake=self.snowflake,
            source=self.source,
            env=env,
            system=self.system_function if self.snowflake else None,
            table_function=self.table_function if self.snowflake else None,
        )

    @contextmanager
    def acting_as(
        self, role: str, database: str | None, schema: str | None, text: str = ""
    ) -> Iterator[StatementContext]:
        """A context for work done as another role in another schema within this statement (a
        pipe's load runs as the pipe's owner, names resolving in the pipe's schema)."""
        with self.session.acting_as(role, database, schema):
            yield StatementContext(
                session=self.session,
                now=self.now,
                statement_id=self.statement_id,
                text=text or self.text,
                auth=self.auth,
                source=text or self.source,
            )

    def system_function(
        self, name: str, args: tuple[object, ...], span: ast.Span | None
    ) -> tuple[object, str]:
        """Snowflake's SYSTEM$PIPE_STATUS and SYSTEM$STREAM_HAS_DATA (value, DuckDB type)."""
        if name == "system$pipe_status":
            from cloneshell.engine.snowflake.handlers import pipes

            return pipes.pipe_status(self, args, span), "VARCHAR"
        if name == "system$stream_has_data":
            from cloneshell.engine.snowflake.handlers import streams

            return streams.has_data(self, args, span), "BOOLEAN"
        raise SemanticError("function_not_found", span, name=name.upper())

    def table_function(self, ref: ast.TableFunctionRef) -> Relation:
        """`TABLE([[db.]INFORMATION_SCHEMA.]TASK_HISTORY(…))`."""
        parts = [p.name.upper() for p in ref.func.name.parts]
        if parts[-1] == "TASK_HISTORY" and (len(parts) == 1 or parts[-2] == "INFORMATION_SCHEMA"):
            from cloneshell.engine.snowflake.handlers import tasks

            return tasks.task_history(self, ref)
        raise SemanticError("function_not_found", ref.func.span, name=".".join(parts))

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
        if self.snowflake:
            return self.sf_relation(ref)
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

    # ------------------------------------------------------------------ Snowflake names

    @property
    def sf_auth(self) -> SfAuth:
        """The current role's privileges (read once per statement)."""
        if self._sf_auth is None:
            from cloneshell.engine.snowflake.security import SfAuth

            self._sf_auth = SfAuth.load(
                self.session.warehouse, self.session.principal, self.session.role
            )
        return self._sf_auth

    def database(self, name: str, span: ast.Span | None = None, *, visible: bool = True) -> Db:
        """A live Snowflake database by exact name, attached; `002003 Database … does not exist
        or not authorized.` if missing or (with `visible`) the role holds nothing on it."""
        if name in self._dbs:
            db = self._dbs[name]
        else:
            wh = self.session.warehouse
            info = wh.get_database(name)
            if info is None:
                raise CatalogError("database_not_found", span, name=name)
            db = self.attach_db(info)
        if visible and not self.can_see_db(db):
            raise CatalogError("database_not_found", span, name=name)
        return db

    def attach_db(self, info: ProjectInfo, write: bool = False) -> Db:
        """Attach a database (live or dropped; read-write with `write`) and wrap it."""
        wh = self.session.warehouse
        alias = wh.attach_project(info, write)
        db = Db(info, ProjectCatalog(wh.con, alias, info.name))
        if info.dropped_at is None:
            self._dbs[info.name] = db
        return db

    def seen_versions(self) -> dict[str, int]:
        """The latest version of each database this statement touched (by catalog alias)."""
        seen: dict[str, int] = dict(self._committed)
        for db in self._dbs.values():
            if db.cat.alias not in seen and self.session.warehouse.is_attached(db.info.file):
                last = db.cat.last_commit()
                seen[db.cat.alias] = last[0] if last else 0
        return seen

    def forget_db(self, name: str) -> None:
        """Drop a cached database (after a rename, drop or registry change)."""
        self._dbs.pop(name, None)

    def can_see_db(self, db: Db) -> bool:
        """The role owns the database or holds any privilege on it."""
        return self.sf_auth.has(db.cat, "DATABASE", 0, db.info.owner)

    def can_see_schema(self, db: Db, schema: SchemaMeta) -> bool:
        """The role owns the schema or holds any privilege on it."""
        return self.sf_auth.has(db.cat, "SCHEMA", schema.schema_id, schema.owner)

    def can_see_table(self, db: Db, table: TableMeta) -> bool:
        """The role owns the table or holds any privilege on it."""
        return self.sf_auth.has(db.cat, "TABLE", table.table_id, table.owner)

    def current_db(self, what: str, span: ast.Span | None = None) -> Db:
        """The session's current database, or `090105 Cannot perform <what>. …`."""
        if self.session.project is None:
            raise EngineError("no_database", span or self.span, what=what)
        return self.database(self.session.project, span or self.span)

    def schema_of(
        self, db: Db, name: str, span: ast.Span | None = None, *, visible: bool = True
    ) -> SchemaMeta:
        """A live schema of `db`; `002003 Schema 'DB.S' does not exist or not authorized.`"""
        schema = db.cat.get_schema(name)
        if schema is None or (visible and not self.can_see_schema(db, schema)):
            raise CatalogError("schema_not_found", span, name=f"{db.name}.{name}")
        return schema

    def schema_target(
        self, qname: ast.QualifiedName, what: str, *, visible: bool = True
    ) -> tuple[Db, str]:
        """`[db.]schema` -> (database, schema name); the schema need not exist."""
        parts = [self.fold(p) for p in qname.parts]
        if len(parts) > 2:
            raise SemanticError(
                "semantic", qname.span, message=f"invalid schema name '{'.'.join(parts)}'"
            )
        if len(parts) == 2:
            db = self.database(parts[0], qname.parts[0].span, visible=visible)
        else:
            if self.session.project is None:
                raise EngineError("no_database", qname.span, what=what)
            db = self.database(self.session.project, qname.span, visible=visible)
        return db, parts[-1]

    def sf_resolve(self, qname: ast.QualifiedName, what: str, *, visible: bool = True) -> SfTarget:
        """`t`, `s.t`, `db.s.t` with the current database and schema (snowflake.md §5); the
        database and schema must exist (and be visible), the table need not. A table the role
        cannot see is reported as missing."""
        parts = [self.fold(p) for p in qname.parts]
        if len(parts) > 3:
            raise SemanticError(
                "semantic", qname.span, message=f"invalid object name '{'.'.join(parts)}'"
            )
        name = parts[-1]
        if len(parts) == 3:
            db = self.database(parts[0], qname.parts[0].span, visible=visible)
        else:
            if self.session.project is None:
                raise EngineError("no_database", qname.span, what=what)
            db = self.database(self.session.project, qname.span, visible=visible)
        if len(parts) >= 2:
            schema_name = parts[-2]
        else:
            if self.session.schema is None:
                raise EngineError("no_schema", qname.span, what=what)
            schema_name = self.session.schema
        schema = self.schema_of(db, schema_name, qname.span, visible=visible)
        table = db.cat.get_live_table(schema.schema_id, name)
        if table is not None:
            table = replace(table, retention_days=effective_retention(db, schema, table))
            if visible and not self.can_see_table(db, table):
                table = None
        return SfTarget(db, schema, name, table, qname.span)

    def sf_table(self, qname: ast.QualifiedName, what: str, *, visible: bool = True) -> SfTarget:
        """Resolve a name that must be an existing (visible) table, else `002003 Object
        'DB.S.T' does not exist or not authorized.`"""
        target = self.sf_resolve(qname, what, visible=visible)
        if target.table is None:
            raise CatalogError("object_not_found", qname.span, name=target.fq)
        return target

    def require_table_privilege(self, target: SfTarget, *privileges: str) -> None:
        """A table privilege (owner has them all), else `003001 … on table 'T'`."""
        t = target.table
        assert t is not None
        self.sf_auth.require(target.db.cat, "TABLE", t.table_id, t.owner, privileges, t.name)

    def sf_relation(self, ref: ast.TableRef) -> Relation:
        """A Snowflake FROM table: visible, SELECT held, read at its AT/BEFORE point if any."""
        from cloneshell.engine.snowflake import timetravel

        target = self.sf_resolve(ref.name, "SELECT")
        if target.table is None:
            from cloneshell.engine.snowflake.handlers import streams

            stream = streams.relation(self, target, ref)
            if stream is not None:
                return stream
            raise CatalogError("object_not_found", ref.name.span, name=target.fq)
        table = target.table
        self.require_table_privilege(target, "SELECT")
        version: int | None = None
        if ref.time_travel is not None:
            point = timetravel.evaluate(self, ref.time_travel)
            at = timetravel.resolve(self, target.db.cat, point)
            timetravel.check_table(self, table, at, span=ref.time_travel.span)
            if at.version < at.latest:
                version = at.version
        cat = target.db.cat
        has_history = version is not None and cat.has_history(table)
        return Relation(storage.read_sql(cat, table, version, has_history), table.name)

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
        wh = self.session.warehouse
        wh.writable(cat.alias)  # a file read so far read-only: the statement starts again
        con = wh.con
        con.execute("BEGIN TRANSACTION")
        try:
            if prepare is not None:
                prepare()
            last = cat.last_commit() if self.snowflake else None
            version = last[0] + 1 if last is not None else cat.next_version()
            yield version
            consumed = self._consumed(kind)
            for db, stream, read in consumed:
                if db.cat.alias == cat.alias:
                    self._advance(db, stream, read, self.now)
            # Commit instants never go backwards (a clock moved back still orders versions).
            ts = max(self.now, last[1]) if last is not None else self.now
            principal = self.session.principal if self.snowflake else self.auth.principal
            cat.record_commit(version, self.statement_id, ts, principal, kind, self.text[:2000])
            con.execute("COMMIT")
            self._committed[cat.alias] = version
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
        # Streams of other databases: their offsets move in a transaction of their own (one
        # DuckDB transaction writes one file), right after the change that consumed them.
        for db, stream, read in consumed:
            if db.cat.alias != cat.alias:
                con.execute("BEGIN TRANSACTION")
                try:
                    self._advance(db, stream, read, self.now)
                    con.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(duckdb.Error):
                        con.execute("ROLLBACK")
                    raise

    # DML that consumes the streams it reads (Snowflake: a stream's offset advances when it is
    # read in a DML statement that commits; a query alone leaves it).
    _CONSUMING = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE"})

    def _consumed(self, kind: str) -> list[tuple[Db, SfObject, int]]:
        if kind not in self._CONSUMING:
            return []
        latest: dict[tuple[str, int], tuple[Db, SfObject, int]] = {}
        for db, stream, read in self.streams_read:
            latest[(db.info.file, stream.object_id)] = (db, stream, read)
        return list(latest.values())

    @staticmethod
    def _advance(db: Db, stream: SfObject, version: int, now: datetime) -> None:
        from cloneshell.engine.snowflake.handlers import streams

        streams.advance(db, stream, version, now)

    @contextmanager
    def sf_write(self, db: Db, kind: str) -> Iterator[int]:
        """One transaction in a Snowflake database committing one version; it first purges what
        left the retention window (purge.py)."""
        from cloneshell.engine.snowflake import purge

        def prepare() -> None:
            # Purging only reclaims storage (reads check retention by time), so a session runs
            # it at most once per database per minute of its clock.
            last = self.session.purged.get(db.info.file)
            if last is None or abs((self.now - last).total_seconds()) >= 60:
                if purge.purge_database(db, self.now):
                    self.session.compact_candidates.add(db.info.file)
                self.session.purged[db.info.file] = self.now

        with self.write(db.info, db.cat, kind, prepare) as v:
            yield v
