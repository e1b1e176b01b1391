"""What a database or schema clone does to the stages, pipes, streams and tasks inside it, rule
by rule from the seed ("Cloning Considerations") and reference/snowflake.md §1.3, §1.5, §7.5:

- Stages: external named stages present at the start are cloned; internal named stages are not
  (unless INCLUDE INTERNAL STAGES, and then as they are now, whatever the AT/BEFORE point);
  every cloned stage is empty (table stages too: a cloned table has a new, empty folder).
- Pipes: a pipe reading an internal stage is not cloned; one reading an external stage is,
  paused (AUTO_INGEST = FALSE) or STOPPED_CLONED (TRUE), owned by the cloning role, with no
  load history and no grants. Its COPY text is unchanged: a fully qualified target still names
  the source's table (the duplicate-data hazard), an unqualified one the clone's.
- Streams: cloned with their offset at the clone's creation, so unconsumed changes in the
  source's stream are not in the clone's ("historical data for the table clone begins at the
  time/point when the clone was created"). A stream on a table of the container follows the
  clone of that table.
- Tasks: cloned suspended, whatever their state; not cloned at all when the clone uses AT |
  BEFORE (reference §1.3, [TT]). A graph's AFTER links follow the clones.
- Only objects the cloning role may clone are included: USAGE (or READ) on a stage, OWNERSHIP
  of a pipe, stream or task (§1.5). Other than pipes, cloned objects keep their owner and the
  grants on them (children of a cloned container keep their grants).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from cloneshell.engine.core.catalog import SchemaMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import CatalogError, EngineError
from cloneshell.engine.snowflake import catalog, objects, pipeline
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.handlers import sequences
from cloneshell.engine.snowflake.objects import PipelineObject
from cloneshell.engine.snowflake.timetravel import Resolved
from cloneshell.grammar import ast
from cloneshell.grammar.parser import parse

SF = "snowflake"


def _may_clone(ctx: SnowflakeContext, db: Db, obj: PipelineObject) -> bool:
    """The cloning role's privilege on a child object (reference/snowflake.md §1.5)."""
    if obj.kind == "STAGE":
        return ctx.auth.has(db.cat, "STAGE", obj.object_id, obj.owner, ("USAGE", "READ"))
    return ctx.auth.owns(obj.owner)


def pipe_reads_internal_stage(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject
) -> bool:
    """Whether a pipe's COPY reads an internal stage (a table's or user's stage, or a named
    stage without URL), its names resolved in the pipe's schema."""
    (copy,) = parse(str(obj.prop("definition")), SF)
    assert isinstance(copy, ast.CopyInto)
    ref = copy.source
    if ref.kind in ("TABLE", "USER"):
        return True
    if ref.kind == "URL" or ref.name is None:
        return False
    try:
        with ctx.acting_as(obj.owner, db.name, schema.name) as sub:
            found = pipeline.resolve(sub, ref.name, "STAGE", "CREATE", visible=False)
    except (CatalogError, EngineError):
        found = None
    if found is None or found.obj is None:
        return bool(obj.prop("internal_stage"))
    return not found.obj.prop("url")


def cloned_props(
    ctx: SnowflakeContext,
    db: Db,
    schema: SchemaMeta,
    obj: PipelineObject,
    at: Resolved | None,
    include_internal: bool,
    version: int,
) -> dict[str, Any] | None:
    """The properties of `obj`'s clone in a container clone at `version`, or None when it is
    not cloned (see the module docstring)."""
    if at is not None and obj.created_version > at.version:
        return None  # it did not exist at the point
    if not _may_clone(ctx, db, obj):
        return None
    props = dict(obj.props)
    if obj.kind == "STAGE":
        if not obj.prop("url") and not include_internal:
            return None
        return props
    if obj.kind == "PIPE":
        if pipe_reads_internal_stage(ctx, db, schema, obj):
            return None
        props.update(state="STOPPED_CLONED" if obj.prop("auto_ingest") else "PAUSED", pending=[])
        return props
    if obj.kind == "STREAM":
        props.update(offset=version, offset_at=ctx.now.isoformat())
        return props
    if obj.kind == "SEQUENCE":
        return props
    if at is not None:
        return None  # tasks are left out of a clone at a point in time
    props.update(
        state="suspended",
        next_due=None,
        anchor=None,
        failures=0,
        last_suspended_on=None,
        last_suspended_reason=None,
    )
    return props


def clone_objects(
    ctx: SnowflakeContext,
    src_db: Db,
    src_schema: SchemaMeta,
    dest_db: Db,
    dest_schema: SchemaMeta,
    version: int,
    at: Resolved | None,
    include_internal: bool,
    table_ids: dict[int, int],
) -> None:
    """Clone one schema's stages, pipes, streams and tasks into `dest_schema` (inside the
    clone's write transaction); `table_ids` maps the source's cloned tables to theirs."""
    task_ids: dict[int, int] = {}
    tasks: list[PipelineObject] = []
    for obj in objects.list_objects(src_db.cat, schema_id=src_schema.schema_id):
        props = cloned_props(ctx, src_db, src_schema, obj, at, include_internal, version)
        if props is None:
            continue
        if obj.kind == "STREAM":
            old = int(props["table_id"])
            props["table_id"] = table_ids.get(old, old)
        owner = ctx.session.role if obj.kind == "PIPE" else obj.owner
        new = objects.create(
            dest_db.cat,
            replace(
                obj,
                object_id=objects.next_id(dest_db.cat),
                schema_id=dest_schema.schema_id,
                owner=owner,
                created_at=ctx.now,
                created_version=version,
                altered_at=ctx.now,
                props=props,
            ),
        )
        if obj.kind == "SEQUENCE":
            sequences.clone_physical(src_db, src_schema, obj, dest_db, dest_schema, new)
        if obj.kind != "PIPE":
            for g in catalog.grants_on(src_db.cat, obj.kind, obj.object_id):
                catalog.grant(dest_db.cat, replace(g, object_id=new.object_id))
        if obj.kind == "TASK":
            task_ids[obj.object_id] = new.object_id
            tasks.append(new)
    for task in tasks:
        _relink_task(dest_db, task, task_ids, f"{dest_db.name}.{dest_schema.name}", version)


def _relink_task(
    db: Db, task: PipelineObject, task_ids: dict[int, int], where: str, version: int
) -> None:
    """A cloned task follows the clones of its predecessors, and gets its own id."""
    preds = [task_ids[p] for p in task.prop("predecessors", []) if p in task_ids]
    task_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{where}.{task.name}:{version}:clone"))
    objects.save(db.cat, task.with_props(predecessors=preds, id=task_id))


def relabel_copied(
    ctx: SnowflakeContext, src: Db, db: Db, version: int, include_internal: bool
) -> None:
    """A database cloned by copying `src`'s file: the copy holds the source's objects with
    their ids; apply the same rules in place (inside the copy's write transaction), deciding
    from the source. Load history, task runs and update links stay with the source."""
    cat = db.cat
    m = cat.meta_schema
    for table in ("load_history", "task_runs", "row_links"):
        cat.con.execute(f"DELETE FROM {m}.{table}")
    found = objects.list_objects(cat)
    if not found:
        return
    schemas = {s.schema_id: s for s in cat.list_schemas()}
    tasks: list[PipelineObject] = []
    for obj in found:
        source_schema = src.cat.get_schema_by_id(obj.schema_id)
        props = (
            cloned_props(ctx, src, source_schema, obj, None, include_internal, version)
            if obj.schema_id in schemas and source_schema is not None
            else None
        )
        if props is None:
            objects.delete(cat, obj)
            continue
        updated = replace(obj, altered_at=ctx.now, props=props)
        if obj.kind == "PIPE":
            updated = replace(updated, owner=ctx.session.role)
            catalog.delete_grants(cat, "PIPE", obj.object_id)
        objects.save(cat, updated)
        if obj.kind == "TASK":
            tasks.append(updated)
    cat.con.execute(
        f"UPDATE {m}.sf_objects SET created_version = ?, created_at = ?", [version, ctx.now]
    )
    task_ids = {t.object_id: t.object_id for t in tasks}
    for task in tasks:
        schema = schemas[task.schema_id]
        _relink_task(db, task, task_ids, f"{db.name}.{schema.name}", version)
