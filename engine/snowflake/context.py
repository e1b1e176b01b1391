"""A Snowflake statement's context: `t`, `s.t`, `db.s.t` resolved with the current database and
schema (snowflake.md §5), what the current role may see and do (`ctx.auth`, loaded once per
statement), tables read at their AT/BEFORE point, streams consumed by the DML that reads them,
and the purge that runs before a database's first write of the minute."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cloneshell.engine.core import dispatch, storage
from cloneshell.engine.core.catalog import ProjectCatalog, SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db, StatementContext
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import CatalogError, EngineError, SemanticError
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.snowflake import (
    consumption,
    contextfns,
    purge,
    streams,
    timetravel,
    transactions,
)
from cloneshell.engine.snowflake.retention import effective_retention
from cloneshell.engine.snowflake.security import Authorizer
from cloneshell.grammar import ast
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.session import Session
    from cloneshell.engine.snowflake.objects import PipelineObject


# DML that consumes the streams it reads (Snowflake: a stream's offset advances when it is read
# in a DML statement that commits; a query alone leaves it).
_CONSUMING = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE"})


@record(slots=True)
class Target:
    """A resolved object name `db.schema.name` (the table, if it exists)."""

    db: Db
    schema: SchemaMeta
    name: str
    table: TableMeta | None
    span: ast.Span | None = None

    @property
    def fq(self) -> str:
        """`DB.SCHEMA.NAME`, as Snowflake's messages show it."""
        return f"{self.db.name}.{self.schema.name}.{self.name}"


# What queries reach in the pipeline objects' handlers: `module:function` under
# cloneshell.engine, resolved on use like the handler tables (those modules build on this one,
# and load only when a query needs them): a stream read in FROM, the SYSTEM$ functions that read
# engine state (with their DuckDB types), and TABLE(INFORMATION_SCHEMA.TASK_HISTORY(…)).
_STREAM_READER = "snowflake.handlers.streams:relation"
_VIEW_READER = "snowflake.handlers.views:relation"
_SYSTEM_FUNCTIONS = {
    "system$pipe_status": ("snowflake.handlers.pipes:pipe_status", "VARCHAR"),
    "system$stream_has_data": ("snowflake.handlers.streams:has_data", "BOOLEAN"),
    "get_ddl": ("snowflake.getddl:get_ddl", "VARCHAR"),
    "current_transaction": ("snowflake.transactions:current_id", "VARCHAR"),
    "system$get_tag": ("snowflake.handlers.tags:get_tag", "VARCHAR"),
    **contextfns.SYSTEM,
}
_TASK_HISTORY = "snowflake.handlers.tasks:task_history"
_INFORMATION_SCHEMA = "snowflake.infoschema"
_NEXTVAL = "snowflake.handlers.sequences:nextval_sql"
_USER_FUNCTION = "snowflake.handlers.functions:expand"
_RESULT_SCAN = "snowflake.resultscan:relation"
_STAGED_FILES = "snowflake.handlers.staged:relation"


class SnowflakeContext(StatementContext):
    """Per-statement state of a Snowflake statement."""

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
        self._auth: Authorizer | None = None
        self._dbs: dict[str, Db] = {}
        # Streams this statement read: (database, stream, version read). A DML statement that
        # commits moves their offsets to the version read (streams.py).
        self.streams_read: list[tuple[Db, PipelineObject, int]] = []
        # Per database alias: the version to read instead of the present (read_cap).
        self._caps: dict[str, int | None] = {}

    @property
    def auth(self) -> Authorizer:
        """The current role's privileges (read once per statement)."""
        if self._auth is None:
            session = self.session
            self._auth = Authorizer.load(session.warehouse, session.principal, session.role)
        return self._auth

    @contextmanager
    def acting_as(
        self, role: str, database: str | None, schema: str | None, text: str = ""
    ) -> Iterator[SnowflakeContext]:
        """A context for work done as another role in another schema within this statement (a
        pipe's load runs as the pipe's owner, names resolving in the pipe's schema)."""
        with self.session.acting_as(role, database, schema):
            derived = self.derived(text)
            assert isinstance(derived, SnowflakeContext)
            yield derived

    # ------------------------------------------------------------------ databases and schemas

    def database(self, name: str, span: ast.Span | None = None, *, visible: bool = True) -> Db:
        """A live database by exact name, attached; `002003 Database … does not exist or not
        authorized.` if missing or (with `visible`) the role holds nothing on it."""
        if name in self._dbs:
            db = self._dbs[name]
        else:
            info = self.session.warehouse.get_database(name)
            if info is None:
                raise CatalogError("database_not_found", span, name=name)
            db = self.attach_db(info)
        if visible and not self.can_see_db(db):
            raise CatalogError("database_not_found", span, name=name)
        return db

    def attach_db(self, info: ProjectInfo, write: bool = False) -> Db:
        """Attach a database (live or dropped; read-write with `write`)."""
        db = self.attach(info, write)
        if info.dropped_at is None:
            self._dbs[info.name] = db
        return db

    def forget_db(self, name: str) -> None:
        """Drop a cached database (after a rename, drop or registry change)."""
        self._dbs.pop(name, None)

    def can_see_db(self, db: Db) -> bool:
        """The role owns the database or holds any privilege on it."""
        return self.auth.has(db.cat, "DATABASE", 0, db.info.owner)

    def can_see_schema(self, db: Db, schema: SchemaMeta) -> bool:
        """The role owns the schema or holds any privilege on it."""
        return self.auth.has(db.cat, "SCHEMA", schema.schema_id, schema.owner)

    def can_see_table(self, db: Db, table: TableMeta) -> bool:
        """The role owns the table or holds any privilege on it."""
        return self.auth.has(db.cat, "TABLE", table.table_id, table.owner)

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

    # ------------------------------------------------------------------ objects

    def resolve(self, qname: ast.QualifiedName, what: str, *, visible: bool = True) -> Target:
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
        if schema_name == "INFORMATION_SCHEMA":  # read-only, read through `relation` only
            raise dispatch.load(f"{_INFORMATION_SCHEMA}:refuse_write")(qname.span)
        schema = self.schema_of(db, schema_name, qname.span, visible=visible)
        table = db.cat.get_live_table(schema.schema_id, name)
        if table is not None:
            table = replace(table, retention_days=effective_retention(db, schema, table))
            if visible and not self.can_see_table(db, table):
                table = None
        return Target(db, schema, name, table, qname.span)

    def require_table(self, qname: ast.QualifiedName, what: str, *, visible: bool = True) -> Target:
        """Resolve a name that must be an existing (visible) table, else `002003 Object
        'DB.S.T' does not exist or not authorized.`"""
        target = self.resolve(qname, what, visible=visible)
        if target.table is None:
            raise CatalogError("object_not_found", qname.span, name=target.fq)
        return target

    def require_table_privilege(self, target: Target, *privileges: str) -> None:
        """A table privilege (owner has them all), else `003001 … on table 'T'`."""
        t = target.table
        assert t is not None
        self.auth.require(target.db.cat, "TABLE", t.table_id, t.owner, privileges, t.name)

    def stream_relation(self, target: Target, ref: ast.TableRef) -> Relation | None:
        """`FROM s` for a stream `s`, or None when no stream has that name."""
        read: Callable[..., Relation | None] = dispatch.load(_STREAM_READER)
        return read(self, target, ref)

    # ------------------------------------------------------------------ engine state in queries

    def system_function(
        self, name: str, args: tuple[object, ...], span: ast.Span | None
    ) -> tuple[object, str]:
        """SYSTEM$PIPE_STATUS and SYSTEM$STREAM_HAS_DATA (value, DuckDB type)."""
        found = _SYSTEM_FUNCTIONS.get(name)
        if found is None:
            return super().system_function(name, args, span)
        target, duck_type = found
        return dispatch.load(target)(self, args, span), duck_type

    def user_function(self, call: ast.FuncCall) -> ast.Expr | None:
        """A SQL UDF's call, its body expanded with the arguments in place (functions.py)."""
        expand: Callable[..., ast.Expr | None] = dispatch.load(_USER_FUNCTION)
        return expand(self, call)

    def table_function(self, ref: ast.TableFunctionRef) -> Relation:
        """`TABLE([[db.]INFORMATION_SCHEMA.]TASK_HISTORY(…))`."""
        parts = [p.name.upper() for p in ref.func.name.parts]
        if parts[-1] == "TASK_HISTORY" and (len(parts) == 1 or parts[-2] == "INFORMATION_SCHEMA"):
            history: Callable[..., Relation] = dispatch.load(_TASK_HISTORY)
            return history(self, ref)
        if parts == ["RESULT_SCAN"]:
            scan: Callable[..., Relation] = dispatch.load(_RESULT_SCAN)
            return scan(self, ref)
        return super().table_function(ref)

    def relation(self, ref: ast.TableRef) -> Relation:
        """A FROM table: visible, SELECT held, read at its AT/BEFORE point if any; or a
        stream."""
        information = self.information_schema(ref.name)
        if information is not None:
            return information
        target = self.resolve(ref.name, "SELECT")
        if target.table is None:
            stream = self.stream_relation(target, ref)
            if stream is not None:
                return stream
            raise CatalogError("object_not_found", ref.name.span, name=target.fq)
        table = target.table
        if table.kind == "view":
            view: Callable[..., Relation] = dispatch.load(_VIEW_READER)
            return view(self, target, ref)
        self.require_table_privilege(target, "SELECT")
        version: int | None = None
        if ref.time_travel is not None:
            point = timetravel.evaluate(self, ref.time_travel)
            at = timetravel.resolve(self, target.db.cat, point)
            timetravel.check_table(self, table, at, span=ref.time_travel.span)
            if at.version < at.latest:
                version = at.version
        cat = target.db.cat
        if version is None:
            version = self.read_cap(cat)
        has_history = version is not None and cat.has_history(table)
        return Relation(storage.read_sql(cat, table, version, has_history), table.name)

    def from_source(self, item: ast.FromItem) -> Relation:
        """`FROM @stage (…)`: the rows of staged files (handlers/staged.py)."""
        if isinstance(item, ast.StagedFiles):
            staged: Callable[..., Relation] = dispatch.load(_STAGED_FILES)
            return staged(self, item)
        return super().from_source(item)

    def engine_sql(self, e: ast.Expr) -> str:
        """`seq.NEXTVAL` (handlers/sequences.py)."""
        if isinstance(e, ast.NextVal):
            nextval: Callable[..., str] = dispatch.load(_NEXTVAL)
            return nextval(self, e)
        return super().engine_sql(e)

    def information_schema(self, qname: ast.QualifiedName) -> Relation | None:
        """`[db.]INFORMATION_SCHEMA.<view>` (or `<view>` while INFORMATION_SCHEMA is the
        current schema) built for this statement (infoschema.py); None for any other name."""
        parts = [self.fold(p) for p in qname.parts]
        if (
            len(parts) == 3
            and parts[:2] == ["SNOWFLAKE", "ACCOUNT_USAGE"]
            and self.session.warehouse.get_database("SNOWFLAKE") is None
        ):
            raise dispatch.load(f"{_INFORMATION_SCHEMA}:account_usage")(qname.span)
        schema = parts[-2] if len(parts) >= 2 else self.session.schema
        if len(parts) > 3 or schema != "INFORMATION_SCHEMA":
            return None
        if len(parts) == 3:
            db = self.database(parts[0], qname.parts[0].span)
        else:
            db = self.current_db("SELECT", qname.span)
        build: Callable[..., Relation] = dispatch.load(f"{_INFORMATION_SCHEMA}:relation")
        return build(self, db, parts[-1], qname.span)

    def read_cap(self, cat: ProjectCatalog) -> int | None:
        """The last version of a database this statement may read when another session's open
        transaction marked later ones (transactions.py), else None (read the present)."""
        if cat.alias not in self._caps:
            self._caps[cat.alias] = transactions.foreign_base(cat)
        return self._caps[cat.alias]

    # ------------------------------------------------------------------ writing

    @contextmanager
    def write_db(self, db: Db, kind: str) -> Iterator[int]:
        """One transaction in a database committing one version; it first purges what left
        the retention window (purge.py)."""

        txn = transactions.current(self.session) if kind in transactions.DML_KINDS else None

        def prepare() -> None:
            transactions.claim(db.cat, db.name)
            if transactions.is_open(self.session.token):
                return  # its history is needed until it ends
            # Purging only reclaims storage (reads check retention by time), so a session runs
            # it at most once per database per minute of its clock.
            last = self.session.purged.get(db.info.file)
            if last is None or abs((self.now - last).total_seconds()) >= 60:
                if purge.purge_database(db, self.now):
                    self.session.compact_candidates.add(db.info.file)
                self.session.purged[db.info.file] = self.now

        owed = self._hold_consumed_sources(db, kind)
        try:
            with self.write(db.info, db.cat, kind, prepare) as v:
                yield v
                if txn is not None:
                    transactions.mark(db, txn, v)
        except BaseException:
            for path, _, _ in owed:
                consumption.remove(path)  # the target did not commit: nothing is owed
            raise
        self._pay(owed)

    def _hold_consumed_sources(
        self, db: Db, kind: str
    ) -> list[tuple[Path, consumption.Marker, Db]]:
        """Before a DML statement writes `db`: the other databases whose streams it consumes
        are held read-write with it (both files' versions checked, as for one), and a marker
        per database records what it will owe once `db` commits (consumption.py)."""
        others: dict[str, list[tuple[Db, PipelineObject, int]]] = {}
        for source, stream, read in self._consumed(kind):
            if source.cat.alias != db.cat.alias:
                others.setdefault(source.info.file, []).append((source, stream, read))
        if not others:
            return []
        wh = self.session.warehouse
        wh.writable_together([db.cat.alias, *(group[0][0].cat.alias for group in others.values())])
        owed: list[tuple[Path, consumption.Marker, Db]] = []
        for file, group in others.items():
            marker = consumption.Marker(
                source=file,
                target=db.info.file,
                statement_id=self.statement_id,
                offsets=consumption.streams_of((s.object_id, read) for _, s, read in group),
                at=self.now,
                principal=self.session.principal,
                text=self.text[:2000],
            )
            owed.append((consumption.write(wh.root, marker), marker, group[0][0]))
        return owed

    def _pay(self, owed: list[tuple[Path, consumption.Marker, Db]]) -> None:
        """After the target committed: move each source's streams in one commit of its own,
        then forget its marker (a kill in between is settled by consumption.recover)."""
        con = self.session.warehouse.con
        for path, marker, source in owed:
            con.execute("BEGIN TRANSACTION")
            try:
                consumption.apply(source.cat, marker)
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    con.execute("ROLLBACK")
                raise
            consumption.remove(path)

    def _consumed(self, kind: str) -> list[tuple[Db, PipelineObject, int]]:
        if kind not in _CONSUMING:
            return []
        latest: dict[tuple[str, int], tuple[Db, PipelineObject, int]] = {}
        for db, stream, read in self.streams_read:
            latest[(db.info.file, stream.object_id)] = (db, stream, read)
        return list(latest.values())

    def _before_commit(self, cat: ProjectCatalog, kind: str) -> None:
        """Streams of the written database that the statement read move their offsets in the
        same transaction."""
        for db, stream, read in self._consumed(kind):
            if db.cat.alias == cat.alias:
                self._advance(db, stream, read)

    def _advance(self, db: Db, stream: PipelineObject, version: int) -> None:
        offset, offset_at = stream.prop("offset"), stream.prop("offset_at")
        transactions.note_offset(db, stream.object_id, offset, offset_at)
        streams.advance(db, stream, version, self.now)
