"""Snowflake CREATE TABLE|SCHEMA|DATABASE … CLONE src [AT|BEFORE (…)].

The rules of the seed and reference/snowflake.md §1, one by one:
- The clone takes the source's current name and definition (columns, comment, clustering key,
  explicitly set retention) with the data as of the point (now without AT/BEFORE).
- A clone starts its own history at its creation: its rows carry the clone's version, no source
  history is copied, and a point before the clone existed is unavailable.
- A source that did not exist at the point: `002003 (02000) … Object 'DB.S.T' does not exist.`;
  a point beyond the source's retention: `000707`. For schemas and databases, a child table whose
  history does not reach the point fails the clone unless IGNORE TABLES WITH INSUFFICIENT DATA
  RETENTION skips it; child objects that did not exist at the point are not cloned, and only
  children the cloning role can read (SELECT, or USAGE on a schema) are included.
- Grants: a table clone carries none (COPY GRANTS: every privilege but OWNERSHIP, from the table
  it replaces when OR REPLACE replaces one); a schema or database clone carries the grants and
  owners of its children but none of the container's own; the clone is owned by the current role.
- Privileges: SELECT on a source table, USAGE on a source schema or database; CREATE TABLE on the
  target schema, CREATE SCHEMA on the target database, CREATE DATABASE on the account.

Stages, pipes, streams and tasks inside a cloned schema or database follow their own rules
(clone_pipeline.py).

A schema or database clone is one statement in one transaction on the target database, reading
the source at one version: DML or DDL from another shell can neither tear it nor mix two points
(the source file is attached, hence locked, for the whole statement). A database clone of the
present copies the source's file and WAL and rewrites the copy's metadata (no re-encoding, and
no checkpoint: the rewrite stays in the copy's WAL); at a past point it copies table by table.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import VERSION_COLUMN, SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import (
    CatalogError,
    DiskFullError,
    SemanticError,
    is_disk_full,
)
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Status
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.snowflake import catalog, constraints, temporary, timetravel
from cloneshell.engine.snowflake.catalog import Grant
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.ddl import (
    already_exists,
    check_name,
    drop_schema_rows,
    drop_table_rows,
    exclusive,
    existing_database,
    existing_schema,
    existing_table,
    new_database,
    new_table,
    register_database,
    require_create_schema,
    require_create_table,
)
from cloneshell.engine.snowflake.handlers import clone_pipeline, sequences
from cloneshell.engine.snowflake.retention import account, database_retention, effective_retention
from cloneshell.engine.snowflake.timetravel import Resolved
from cloneshell.grammar import ast


def _point(ctx: SnowflakeContext, db: Db, clone: ast.CloneSource) -> Resolved | None:
    """The source database's version for the clone's AT/BEFORE clause (None: the present)."""
    if clone.time_travel is None:
        return None
    point = timetravel.evaluate(ctx, clone.time_travel)
    at = timetravel.resolve(ctx, db.cat, point)
    return at


def _read_version(ctx: SnowflakeContext, db: Db, at: Resolved | None) -> int | None:
    """The version a clone reads its source at: its AT/BEFORE point, else the present (the
    last version before another session's open transaction, if any: transactions.py)."""
    if at is None:
        return ctx.read_cap(db.cat)
    return at.version if at.version < at.latest else None


def _ctas(
    ctx: SnowflakeContext,
    src_db: Db,
    src: TableMeta,
    dest_db: Db,
    meta: TableMeta,
    read_version: int | None,
    version: int,
) -> None:
    """Create the clone's storage filled with the source's rows at `read_version` (now if
    None), every row stamped with the clone's version."""
    has_history = read_version is not None and src_db.cat.has_history(src)
    source_sql = storage.read_sql(src_db.cat, src, read_version, has_history)
    cols = ", ".join(quote_ident(c.name) for c in src.all_columns)
    storage.create_as(
        dest_db.cat,
        dest_db.cat.physical(meta),
        f"SELECT {cols}, CAST({int(version)} AS BIGINT) AS {quote_ident(VERSION_COLUMN)} "
        f"FROM {source_sql} AS s",
    )


def _reclustering_suspended(meta: TableMeta) -> TableMeta:
    """A clone of a clustered table starts with automatic clustering suspended (CREATE …
    CLONE docs); ALTER TABLE … RESUME RECLUSTER turns it on."""
    if meta.cluster is None:
        return meta
    return replace(meta, cluster={**meta.cluster, "suspended": True})


def _copy_grants(
    ctx: SnowflakeContext,
    src_db: Db,
    object_type: str,
    src_id: int,
    dest_db: Db,
    dest_id: int,
) -> None:
    for g in catalog.grants_on(src_db.cat, object_type, src_id):
        catalog.grant(dest_db.cat, replace(g, object_id=dest_id))


# ---------------------------------------------------------------------------- tables


def clone_table(ctx: SnowflakeContext, stmt: ast.CreateTable) -> Status:
    """CREATE [OR REPLACE] TABLE [IF NOT EXISTS] t CLONE s [AT|BEFORE (…)] [COPY GRANTS]."""
    assert stmt.clone is not None
    exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    source = ctx.require_table(stmt.clone.source, "CREATE TABLE")
    ctx.require_table_privilege(source, "SELECT")
    src = source.table
    assert src is not None
    target = ctx.resolve(stmt.name, "CREATE TABLE")
    check_name(target.name, stmt.name.span, "table name")
    require_create_table(ctx, target)
    transient = stmt.transient or target.schema.transient
    temporary.check_clone(src, stmt.temporary, transient, stmt.span)
    replaced = existing_table(
        ctx, target, stmt.if_not_exists, stmt.or_replace, stmt.name.span, stmt.temporary
    )
    if replaced == "exists":
        return already_exists(ctx, target.name)
    at = _point(ctx, source.db, stmt.clone)
    if at is not None:
        timetravel.check_table(ctx, src, at, clone_name=source.fq, span=stmt.clone.source.span)
    read_version = _read_version(ctx, source.db, at)
    grants: list[Grant] = []
    if stmt.copy_grants:
        # COPY GRANTS copies every privilege but OWNERSHIP (kept in the owner column, not in
        # sf_grants); replacing a table, from the table replaced (snowflake.md §1.5).
        if isinstance(replaced, TableMeta):
            grants = catalog.grants_on(target.db.cat, "TABLE", replaced.table_id)
        else:
            grants = catalog.grants_on(source.db.cat, "TABLE", src.table_id)
    with ctx.write_db(target.db, "CREATE TABLE") as version:
        if isinstance(replaced, TableMeta):
            drop_table_rows(ctx, target.db, replaced, version)
        meta = new_table(
            ctx,
            target,
            version,
            columns=src.columns,
            comment=src.comment,
            cluster=str(src.cluster["by"]) if src.cluster and "by" in src.cluster else None,
            retention_explicit=src.retention_explicit,
            transient=transient,
        )
        # its constraints; never the source's temporary marker (a temporary source clones
        # only to a temporary or transient table: temporary.check_clone)
        kept = {k: v for k, v in src.properties.items() if k != temporary.KEY}
        meta = replace(meta, properties=kept)
        if stmt.temporary:
            meta = replace(meta, properties={**kept, **temporary.mark(ctx, target)})
        meta = _reclustering_suspended(meta)
        target.db.cat.create_table(meta, with_storage=False)
        _ctas(ctx, source.db, src, target.db, meta, read_version, version)
        for g in grants:
            catalog.grant(target.db.cat, replace(g, object_id=meta.table_id, created_at=ctx.now))
    return Status(f"Table {target.name} successfully created.", ctx.statement_id)


# ---------------------------------------------------------------------------- containers


def _children(
    ctx: SnowflakeContext,
    src_db: Db,
    schema: SchemaMeta,
    at: Resolved | None,
    clone: ast.CloneSource,
) -> list[TableMeta]:
    """The tables a clone of `schema` at `at` takes (see the module docstring); each with its
    effective retention. Fails on a name met twice (a dropped table whose name a live one took,
    both alive at the point) with Snowflake's name-conflict error. Errors point at the AT|BEFORE
    clause (else the source's name)."""
    ignore = clone.ignore_insufficient_retention
    span = clone.time_travel.span if clone.time_travel is not None else clone.source.span
    chosen: dict[str, TableMeta] = {}
    for t in src_db.cat.tables_of_schema(schema.schema_id, history=at is not None):
        if temporary.is_temporary(t):
            continue  # a temporary table stays with its session
        t = replace(t, retention_days=effective_retention(src_db, schema, t))
        if at is not None and not timetravel.existed(
            t.created_version, t.dropped_version, at.version
        ):
            continue
        if at is None and t.dropped_version is not None:
            continue
        if not ctx.auth.has(src_db.cat, "TABLE", t.table_id, t.owner, ("SELECT",)):
            continue
        if at is not None and (
            not timetravel.available(ctx, t.retention_days, at) or at.version < t.history_from
        ):
            if ignore:
                continue
            raise timetravel.unavailable("table", t.name, span)
        if t.name in chosen:
            raise CatalogError("exists", span, name=t.name)
        chosen[t.name] = t
    return list(chosen.values())


def _schema_retention(db: Db, s: SchemaMeta) -> int:
    return effective_retention(db, s, None)


def clone_schema(ctx: SnowflakeContext, stmt: ast.CreateSchema) -> Status:
    """CREATE [OR REPLACE] SCHEMA [IF NOT EXISTS] [db.]s CLONE [db.]src [AT|BEFORE (…)]
    [IGNORE TABLES WITH INSUFFICIENT DATA RETENTION]."""
    clone = stmt.clone
    assert clone is not None
    exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    src_db, src_name = ctx.schema_target(clone.source, "CREATE SCHEMA")
    src_schema = ctx.schema_of(src_db, src_name, clone.source.span)
    db, name = ctx.schema_target(stmt.name, "CREATE SCHEMA")
    check_name(name, stmt.name.span, "schema name")
    require_create_schema(ctx, db)
    replaced = existing_schema(ctx, db, name, stmt.if_not_exists, stmt.or_replace, stmt.span)
    if replaced == "exists":
        return already_exists(ctx, name)
    at = _point(ctx, src_db, clone)
    if at is not None:
        if not timetravel.existed(src_schema.created_version, None, at.version):
            raise CatalogError(
                "clone_source_missing", clone.source.span, name=f"{src_db.name}.{src_name}"
            )
        if not timetravel.available(ctx, _schema_retention(src_db, src_schema), at):
            raise timetravel.unavailable("schema", src_name, clone.source.span)
    children = _children(ctx, src_db, src_schema, at, clone)
    read_version = _read_version(ctx, src_db, at)
    with ctx.write_db(db, "CREATE SCHEMA") as version:
        if isinstance(replaced, SchemaMeta):
            drop_schema_rows(ctx, db, replaced, version)
        new_schema = db.cat.create_schema(
            replace(
                src_schema,
                schema_id=db.cat.next_schema_id(),
                name=name,
                owner=ctx.session.role,
                created_at=ctx.now,
                created_version=version,
                dropped_version=None,
                dropped_at=None,
            )
        )
        target_base = Target(db, new_schema, "", None)
        table_ids = {
            t.table_id: _clone_child(
                ctx, src_db, t, replace(target_base, name=t.name), read_version, version
            )
            for t in children
        }
        clone_pipeline.clone_objects(
            ctx,
            src_db,
            src_schema,
            db,
            new_schema,
            version,
            at,
            clone.include_internal_stages,
            table_ids,
        )
    ctx.session.project = db.name
    ctx.session.schema = name
    return Status(f"Schema {name} successfully created.", ctx.statement_id)


def _clone_child(
    ctx: SnowflakeContext,
    src_db: Db,
    src: TableMeta,
    target: Target,
    read_version: int | None,
    version: int,
) -> int:
    """One child table of a schema clone: same owner and grants, data at the point; returns
    the clone's table id."""
    meta = new_table(
        ctx,
        target,
        version,
        columns=sequences.repointed(
            src.columns, (src_db.name, src.schema), (target.db.name, target.schema.name)
        ),
        comment=src.comment,
        cluster=str(src.cluster["by"]) if src.cluster and "by" in src.cluster else None,
        retention_explicit=src.retention_explicit,
        transient=src.transient or target.schema.transient,
        owner=src.owner,
    )
    meta = replace(meta, properties=constraints.cloned(src, src_db.name, target))
    if src.kind == "view":
        # A view is cloned with its query text unchanged ([CC]): no storage.
        meta = replace(meta, kind=src.kind, physical_name="", properties=src.properties)
    else:
        meta = _reclustering_suspended(meta)
    target.db.cat.create_table(meta, with_storage=False)
    if src.kind != "view":
        _ctas(ctx, src_db, src, target.db, meta, read_version, version)
    _copy_grants(ctx, src_db, "TABLE", src.table_id, target.db, meta.table_id)
    return meta.table_id


def clone_database(ctx: SnowflakeContext, stmt: ast.CreateDatabase) -> Status:
    """CREATE [OR REPLACE] DATABASE [IF NOT EXISTS] d CLONE src [AT|BEFORE (…)]
    [IGNORE TABLES WITH INSUFFICIENT DATA RETENTION]."""
    clone = stmt.clone
    assert clone is not None
    ctx.session.warehouse.attach_warehouse(write=True)  # see register_database
    exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    name = check_name(ctx.fold(stmt.name), stmt.name.span, "database name")
    if len(clone.source.parts) != 1:
        raise SemanticError("semantic", clone.source.span, message="a database name has one part")
    src = ctx.database(ctx.fold(clone.source.parts[0]), clone.source.span)
    ctx.auth.require_account("CREATE DATABASE")
    replaced = existing_database(ctx, name, stmt.if_not_exists, stmt.or_replace, stmt.name.span)
    if replaced == "exists":
        return already_exists(ctx, name)
    at = _point(ctx, src, clone)
    if at is not None:
        if at.version <= 0:
            raise CatalogError("clone_source_missing", clone.source.span, name=src.name)
        db_retention = database_retention(src.info, account(ctx.session.warehouse))
        if not timetravel.available(ctx, db_retention, at):
            raise timetravel.unavailable("database", src.name, clone.source.span)
    read_version = _read_version(ctx, src, at)
    plan: list[tuple[SchemaMeta, list[TableMeta]]] = []
    for s in src.cat.list_schemas(history=at is not None):
        if at is not None and not timetravel.existed(
            s.created_version, s.dropped_version, at.version
        ):
            continue
        if at is None and s.dropped_version is not None:
            continue
        if not ctx.can_see_schema(src, s):
            continue
        plan.append((s, _children(ctx, src, s, at, clone)))
    names = [s.name for s, _ in plan]
    for n in names:
        if names.count(n) > 1:
            raise CatalogError("exists", name=n)
    include = clone.include_internal_stages
    if read_version is None:
        info = _copy_database_file(ctx, src, name, plan, include)
    else:
        info = _clone_database_tables(ctx, src, name, plan, read_version, at, include)
    register_database(ctx, info, replaced if isinstance(replaced, ProjectInfo) else None)
    return Status(f"Database {name} successfully created.", ctx.statement_id)


def _clone_database_tables(
    ctx: SnowflakeContext,
    src: Db,
    name: str,
    plan: list[tuple[SchemaMeta, list[TableMeta]]],
    read_version: int | None,
    at: Resolved | None,
    include_internal: bool,
) -> ProjectInfo:
    """A database clone built table by table (a past point): schemas and tables keep their ids,
    owners and grants; only the database's own grants are left behind."""

    def fill(db: Db, version: int) -> bool:
        for s, tables in plan:
            new_schema = db.cat.create_schema(
                replace(
                    s,
                    created_at=ctx.now,
                    created_version=version,
                    dropped_version=None,
                    dropped_at=None,
                )
            )
            _copy_grants(ctx, src, "SCHEMA", s.schema_id, db, s.schema_id)
            for t in tables:
                meta = replace(
                    t,
                    physical_schema=new_schema.physical,
                    created_at=ctx.now,
                    ddl_at=ctx.now,
                    modified_at=ctx.now,
                    created_version=version,
                    history_from=version,
                    dropped_version=None,
                    dropped_at=None,
                )
                db.cat.create_table(meta, with_storage=False)
                if t.kind != "view":
                    _ctas(ctx, src, t, db, meta, read_version, version)
                _copy_grants(ctx, src, "TABLE", t.table_id, db, t.table_id)
            table_ids = {t.table_id: t.table_id for t in tables}
            clone_pipeline.clone_objects(
                ctx, src, s, db, new_schema, version, at, include_internal, table_ids
            )
        return True

    return new_database(
        ctx, name, src.info.comment, src.info.retention_days, src.info.transient, fill
    )


def _copy_database_file(
    ctx: SnowflakeContext,
    src: Db,
    name: str,
    plan: list[tuple[SchemaMeta, list[TableMeta]]],
    include_internal: bool,
) -> ProjectInfo:
    """A database clone of the present: copy the source's file, and its WAL if it has one,
    while the source stays attached (so locked: no other process can write either meanwhile;
    the pair is exactly what the next attach of the source reads, so the source needs no
    checkpoint first), then rewrite the copy's metadata in one transaction.

    That transaction stays in the copy's WAL (`Warehouse.leave_in_wal`): its commit syncs the
    small WAL, while checkpointing it would write and sync the whole copied file."""
    wh = ctx.session.warehouse
    con = wh.con
    src_path = wh.project_path(src.info)
    file = wh.new_database_file()
    info = ProjectInfo(
        name=name,
        file=file,
        owner=ctx.session.role,
        region="",
        comment=src.info.comment,
        created_at=ctx.now,
        dialect="snowflake",
        retention_days=src.info.retention_days,
        transient=src.info.transient,
    )
    dest_path = wh.project_path(info)
    try:
        try:
            shutil.copyfile(src_path, dest_path)
            src_wal = _wal_of(src_path)
            if src_wal.exists():
                shutil.copyfile(src_wal, _wal_of(dest_path))
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            raise DiskFullError(name, committed=False) from None  # the copy is deleted below
        db = ctx.attach_db(info, write=True)  # this statement's own new file
        keep_schemas = {s.schema_id for s, _ in plan}
        keep_tables = {t.table_id for _, tables in plan for t in tables}
        cat = db.cat
        m = cat.meta_schema
        # Each DuckDB statement costs about a millisecond: the rewrite asks for what is to
        # be forgotten (usually nothing) rather than reading everything.
        with ctx.write(info, cat, "CREATE DATABASE") as version:
            for t in cat.tables_except(keep_tables):
                catalog.forget_table(cat, t)
            for s in cat.schemas_except(keep_schemas):
                catalog.forget_schema(cat, s)
            # The clone's history starts now: no history tables, its objects are created at
            # this version, and no earlier version is in its log.
            cat.drop_history_tables()
            con.execute(f"DELETE FROM {m}.commits")
            con.execute(
                f"UPDATE {m}.tables SET created_version = ?, history_from = ?, created_at = ?, "
                "ddl_at = ?, modified_at = ?",
                [version, version, ctx.now, ctx.now, ctx.now],
            )
            con.execute(
                f"UPDATE {m}.schemas SET created_version = ?, created_at = ?",
                [version, ctx.now],
            )
            catalog.delete_grants(cat, "DATABASE")
            clone_pipeline.relabel_copied(ctx, src, db, version, include_internal)
            sequences.repoint_copied(db, src.name)
            cat.set_settings(
                {"name": name, "owner": info.owner, "created_at": ctx.now.isoformat(sep=" ")}
            )
        wh.leave_in_wal(file)
    except BaseException:
        ctx.forget_db(name)
        wh.leave_in_wal(file)  # about to be deleted: nothing to checkpoint
        wh.detach_project(file)
        wh.delete_project_file(file)
        raise
    ctx.forget_db(name)
    return info


def _wal_of(path: Path) -> Path:
    """DuckDB's write-ahead log beside a database file."""
    return path.with_name(path.name + ".wal")
