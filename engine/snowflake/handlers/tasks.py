"""Snowflake tasks: CREATE TASK … [SCHEDULE = '…'] [AFTER …] [WHEN …] AS <statement> | CLONE,
ALTER TASK … RESUME | SUSPEND | SET | UNSET | MODIFY AS | MODIFY WHEN | REMOVE WHEN | ADD AFTER
| REMOVE AFTER, EXECUTE TASK, SHOW TASKS, DESC TASK, TABLE(INFORMATION_SCHEMA.TASK_HISTORY(…))
(reference/snowflake.md §7.4; schedules and when tasks run: engine/snowflake/tasks.py).

A task is created (and cloned) suspended; RESUME starts it. It runs as its owner role in its
own database and schema, with the clock at its scheduled instant: its statement's names
resolve there (like a pipe's COPY). A graph's tasks are in one schema with one owner; a child
(AFTER) runs when all its predecessors succeeded in the same run, if it is started. A WHEN
condition that is false skips the run (SKIPPED). After SUSPEND_TASK_AFTER_NUM_FAILURES (10)
failed runs in a row the root is suspended (SUSPENDED_DUE_TO_ERRORS).

Privileges: CREATE TASK on the schema; OWNERSHIP to alter or drop; OPERATE (or OWNERSHIP) to
resume, suspend or execute, and then the owner role must hold EXECUTE TASK on the account
(ACCOUNTADMIN holds it); MONITOR or OPERATE to see a task's history. Changing a graph needs
its root suspended.
"""

from __future__ import annotations

import itertools
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cloneshell.engine.core import dialects
from cloneshell.engine.core.catalog import ProjectCatalog, SchemaMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.dispatch import handler_for
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.duckerrors import from_duckdb
from cloneshell.engine.core.errors import PrivilegeError, SemanticError
from cloneshell.engine.core.result import Status
from cloneshell.engine.core.session import Session
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.snowflake import copyload, objects, pipeline, security, timetravel
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.ddl import already_exists, check_comment, exclusive, ok
from cloneshell.engine.snowflake.objects import PipelineObject
from cloneshell.engine.snowflake.pipeline import ObjTarget, stamp
from cloneshell.engine.snowflake.tasks import (
    DEFAULT_SUSPEND_AFTER,
    MAX_RUNS_PER_TICK,
    parse_schedule,
)
from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.parser import parse

if TYPE_CHECKING:
    from cloneshell.engine.core.dialect import Dialect

SF = "snowflake"
STARTED, SUSPENDED = "started", "suspended"
_log = logging.getLogger(__name__)
# TASK_HISTORY's ERROR_MESSAGE for a run that failed inside cloneshell itself (with code 603).
_INTERNAL = "SQL execution internal error: Processing aborted due to error 300010."

_TASK_KEYS = {
    "WAREHOUSE",
    "USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE",
    "SCHEDULE",
    "SUSPEND_TASK_AFTER_NUM_FAILURES",
    "ALLOW_OVERLAPPING_EXECUTION",
    "USER_TASK_TIMEOUT_MS",
    "CONFIG",
    "ERROR_INTEGRATION",
    "TASK_AUTO_RETRY_ATTEMPTS",
}


def _at(text: object) -> datetime | None:
    return None if text in (None, "") else datetime.fromisoformat(str(text))


# ---------------------------------------------------------------------------- graph helpers


def _fq(db: Db, schema: SchemaMeta, name: str) -> str:
    return f"{db.name}.{schema.name}.{name}"


def schema_tasks(db: Db, schema_id: int) -> dict[int, PipelineObject]:
    """The tasks of one schema by id."""
    return {t.object_id: t for t in objects.list_objects(db.cat, "TASK", schema_id)}


def root_of(tasks: dict[int, PipelineObject], task: PipelineObject) -> PipelineObject:
    """The root of a task's graph (its first predecessor, recursively)."""
    seen = {task.object_id}
    while task.prop("predecessors"):
        parent = tasks.get(int(task.prop("predecessors")[0]))
        if parent is None or parent.object_id in seen:
            break
        seen.add(parent.object_id)
        task = parent
    return task


def _require_root_suspended(t: ObjTarget, task: PipelineObject) -> None:
    """Snowflake refuses to change a graph while its root task runs."""
    tasks = schema_tasks(t.db, task.schema_id)
    root = root_of(tasks, task)
    if root.prop("state") == STARTED and root.prop("schedule"):
        raise SemanticError(
            "semantic",
            message=f"Unable to update graph with root task {_fq(t.db, t.schema, root.name)} "
            "since that root task is not suspended.",
        )


def _predecessors(
    ctx: SnowflakeContext, t: ObjTarget, names: tuple[ast.QualifiedName, ...]
) -> list[int]:
    """AFTER's tasks: existing tasks of the same schema (a graph lives in one schema)."""
    ids = []
    for qname in names:
        p, obj = pipeline.require(ctx, qname, "TASK", "CREATE TASK")
        if p.db.info.file != t.db.info.file or p.schema.schema_id != t.schema.schema_id:
            raise SemanticError(
                "semantic",
                qname.span,
                message="all tasks of a task graph must be in the same database and schema",
            )
        ids.append(obj.object_id)
    if len(ids) > 100:
        raise SemanticError(
            "semantic", names[0].span, message="a task has at most 100 predecessors"
        )
    return ids


def _options(options: tuple[ast.ObjectOption, ...], props: dict[str, Any]) -> dict[str, Any]:
    """Task properties from `KEY = value` options, checked."""
    out = dict(props)
    for key, (value, span) in copyload.options_dict(options).items():
        if key not in _TASK_KEYS:
            raise SemanticError("invalid", span, message=f"invalid task property {key}")
        if key == "SCHEDULE":
            out["schedule"] = parse_schedule(copyload.option_text(key, value, span), span).text
        elif key == "WAREHOUSE":
            out["warehouse"] = copyload.option_text(key, value, span)
        elif key == "SUSPEND_TASK_AFTER_NUM_FAILURES":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise SemanticError("invalid", span, message=f"invalid value [{value}] for {key}")
            out["suspend_after"] = value
        elif key == "ALLOW_OVERLAPPING_EXECUTION":
            out["allow_overlapping"] = copyload.option_bool(key, value, span)
        else:
            out.setdefault("other", {})[key] = value
    return out


def _check_body(body: ast.Statement | None, span: ast.Span | None) -> None:
    if body is None:
        raise SemanticError("semantic", span, message="CREATE TASK needs AS <statement>")
    if isinstance(body, ast.CreateTask | ast.ExecuteTask):
        raise SemanticError(
            "semantic", body.span, message="a task's statement cannot create or run a task"
        )


# ---------------------------------------------------------------------------- CREATE


def create_task(ctx: SnowflakeContext, stmt: ast.CreateTask) -> Status:
    """CREATE [OR REPLACE] TASK [IF NOT EXISTS] k [WAREHOUSE = w] [SCHEDULE = '…'] [… = …]
    [COMMENT = '…'] [AFTER k0, …] [WHEN cond] AS <statement>, or `… TASK k CLONE src`
    (OWNERSHIP of the source; the clone is suspended)."""
    exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    t = pipeline.resolve(ctx, stmt.name, "TASK", "CREATE TASK")
    pipeline.require_create(ctx, t, "TASK")
    comment = stmt.comment
    if stmt.clone is not None:
        if stmt.body is not None or stmt.options or stmt.after or stmt.when is not None:
            raise SemanticError(
                "semantic", stmt.clone.span, message="a task clone takes its source's definition"
            )
        src, source = pipeline.require(ctx, stmt.clone.source, "TASK", "CREATE TASK")
        pipeline.require_owner(ctx, source)
        if src.db.info.file != t.db.info.file or src.schema.schema_id != t.schema.schema_id:
            predecessors: list[int] = []
        else:
            predecessors = list(source.prop("predecessors", []))
        props = {**source.props, "predecessors": predecessors}
        comment = comment if comment is not None else source.comment
    else:
        _check_body(stmt.body, stmt.span)
        props = _options(stmt.options, {"definition": stmt.body_text, "suspend_after": 10})
        props["condition"] = stmt.when_text or None
        props["predecessors"] = _predecessors(ctx, t, stmt.after)
        if props.get("schedule") and props["predecessors"]:
            raise SemanticError(
                "semantic", stmt.span, message="a task takes SCHEDULE or AFTER, not both"
            )
    replaced = pipeline.name_taken(
        ctx, t, "TASK", stmt.if_not_exists, stmt.or_replace, stmt.name.span
    )
    if replaced == "exists":
        return already_exists(ctx, t.name)
    if isinstance(replaced, PipelineObject):
        _require_root_suspended(t, replaced)
    props.update(
        state=SUSPENDED,
        next_due=None,
        anchor=None,
        failures=0,
        last_suspended_on=None,
        last_suspended_reason=None,
        last_committed_on=ctx.now.isoformat(),
    )
    after = None
    with ctx.write_db(t.db, "CREATE TASK") as version:
        if isinstance(replaced, PipelineObject):
            after = pipeline.drop_row(ctx, t.db, replaced)
        props["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{t.fq}:{version}:{ctx.now.isoformat()}"))
        pipeline.new_object(ctx, t, "TASK", version, comment=comment, props=props)
    if after is not None:
        after()
    return Status(f"Task {t.name} successfully created.", ctx.statement_id)


def dropped(ctx: SnowflakeContext, db: Db, obj: PipelineObject) -> Callable[[], None]:
    """A dropped task's children lose it as predecessor; once the drop commits, it leaves the
    schedule index (another file: another transaction)."""
    for other in objects.list_objects(db.cat, "TASK", obj.schema_id):
        preds = [p for p in other.prop("predecessors", []) if p != obj.object_id]
        if preds != other.prop("predecessors", []):
            objects.save(db.cat, other.with_props(predecessors=preds))

    def unindex() -> None:
        ctx.session.warehouse.set_task_due(db.info.file, obj.object_id, None)
        ctx.session.task_schedule_changed()

    return unindex


# ---------------------------------------------------------------------------- ALTER, EXECUTE


def _owner_may_execute(ctx: SnowflakeContext, owner: str) -> None:
    """The owner role holds EXECUTE TASK on the account (ACCOUNTADMIN does)."""
    wh = ctx.session.warehouse
    roles = security.inherited_roles(wh, owner)
    held = {g[0] for g in security.account_grants(wh, roles)}
    if security.ADMIN_ROLE not in roles and "EXECUTE TASK" not in held:
        # The text Snowflake users report for this case.
        raise PrivilegeError(
            "denied",
            message="Cannot execute task , EXECUTE TASK privilege must be granted to owner role",
        )


def alter_task(ctx: SnowflakeContext, stmt: ast.AlterTask) -> Status:
    """ALTER TASK [IF EXISTS] k RESUME | SUSPEND | SET … | UNSET … | MODIFY AS … | MODIFY WHEN
    … | REMOVE WHEN | ADD AFTER … | REMOVE AFTER …"""
    t = pipeline.resolve(ctx, stmt.name, "TASK", "ALTER TASK")
    if t.obj is None:
        if stmt.if_exists:
            return ok(ctx)
        raise pipeline.not_found("TASK", t.fq, stmt.name.span)
    task = t.obj
    if stmt.action in ("RESUME", "SUSPEND"):
        pipeline.require_privilege(ctx, t.db, task, "OPERATE")
        if stmt.action == "RESUME":
            _owner_may_execute(ctx, task.owner)
            updated = _resumed(ctx, task)
        else:
            updated = _suspended(ctx, task, "USER_SUSPENDED")
    else:
        pipeline.require_owner(ctx, task)
        _require_root_suspended(t, task)
        updated = _altered(ctx, t, task, stmt)
    with ctx.write_db(t.db, "ALTER TASK"):
        objects.save(t.db.cat, updated)
    _index(ctx, t.db, updated)
    return ok(ctx)


def _resumed(ctx: SnowflakeContext, task: PipelineObject) -> PipelineObject:
    if task.prop("state") == STARTED:
        return task
    values: dict[str, Any] = {"state": STARTED, "failures": 0}
    schedule = task.prop("schedule")
    if schedule and not task.prop("predecessors"):
        # Interval schedules count from now; the first run is one interval away.
        values["anchor"] = ctx.now.isoformat()
        values["next_due"] = parse_schedule(schedule).next_after(ctx.now, ctx.now).isoformat()
    return task.with_props(**values)


def _suspended(ctx: SnowflakeContext, task: PipelineObject, reason: str) -> PipelineObject:
    if task.prop("state") != STARTED:
        return task
    return task.with_props(
        state=SUSPENDED,
        next_due=None,
        last_suspended_on=ctx.now.isoformat(),
        last_suspended_reason=reason,
    )


def _altered(
    ctx: SnowflakeContext, t: ObjTarget, task: PipelineObject, stmt: ast.AlterTask
) -> PipelineObject:
    props = dict(task.props)
    comment = task.comment
    if stmt.action == "SET":
        props = _options(stmt.options, props)
        if stmt.comment is not None:
            comment = check_comment(stmt.comment, stmt.span)
        if props.get("schedule") and props.get("predecessors"):
            raise SemanticError(
                "semantic", stmt.span, message="a task takes SCHEDULE or AFTER, not both"
            )
    elif stmt.action == "UNSET":
        for name in stmt.unset:
            if name == "COMMENT":
                comment = ""
            elif name == "SCHEDULE":
                props["schedule"] = None
            elif name in ("WAREHOUSE", "SUSPEND_TASK_AFTER_NUM_FAILURES"):
                props.pop(name.lower() if name == "WAREHOUSE" else "suspend_after", None)
            else:
                raise SemanticError("invalid", stmt.span, message=f"invalid task property {name}")
    elif stmt.action == "MODIFY AS":
        _check_body(stmt.body, stmt.span)
        props["definition"] = stmt.body_text
    elif stmt.action == "MODIFY WHEN":
        props["condition"] = stmt.when_text
    elif stmt.action == "REMOVE WHEN":
        props["condition"] = None
    elif stmt.action == "ADD AFTER":
        if props.get("schedule"):
            raise SemanticError(
                "semantic", stmt.span, message="a task takes SCHEDULE or AFTER, not both"
            )
        added = _predecessors(ctx, t, stmt.after)
        if task.object_id in added:
            raise SemanticError("semantic", stmt.span, message="a task cannot follow itself")
        props["predecessors"] = list(dict.fromkeys([*props.get("predecessors", []), *added]))
    elif stmt.action == "REMOVE AFTER":
        removed = set(_predecessors(ctx, t, stmt.after))
        props["predecessors"] = [p for p in props.get("predecessors", []) if p not in removed]
    props["last_committed_on"] = ctx.now.isoformat()
    return replace(task, props=props, comment=comment, altered_at=ctx.now)


def _index(ctx: SnowflakeContext, db: Db, task: PipelineObject) -> None:
    due = _at(task.prop("next_due")) if task.prop("state") == STARTED else None
    ctx.session.warehouse.set_task_due(db.info.file, task.object_id, due)
    ctx.session.task_schedule_changed()


def execute_task(ctx: SnowflakeContext, stmt: ast.ExecuteTask) -> Status:
    """EXECUTE TASK k: one run of a standalone or root task now, suspended or not; suspended
    children are skipped. (Snowflake runs it asynchronously; here it has run when the
    statement returns.)"""
    t, task = pipeline.require(ctx, stmt.name, "TASK", "EXECUTE TASK")
    pipeline.require_privilege(ctx, t.db, task, "OPERATE")
    _owner_may_execute(ctx, task.owner)
    if task.prop("predecessors"):
        raise SemanticError(
            "semantic",
            stmt.name.span,
            message=f"Task {t.fq} is a child task: EXECUTE TASK runs a standalone or root task",
        )
    run_graph(ctx.session, t.db.info, task, ctx.now)
    return ok(ctx)


# ---------------------------------------------------------------------------- running


def _dialect() -> Dialect:
    """Snowflake's Dialect (its task runs are statements of their own: ids, errors, handlers)."""
    return dialects.get(SF)


def _context(session: Session, now: datetime) -> SnowflakeContext:
    return SnowflakeContext(
        session=session,
        now=now,
        statement_id=_dialect().statement_id(now),
        text="",
    )


def run_graph(
    session: Session, info: ProjectInfo, root: PipelineObject, scheduled: datetime
) -> str:
    """One run of a task graph at `scheduled` (the clock of its statements): the root (even
    suspended, for EXECUTE TASK), then each started child once all its predecessors
    succeeded. Returns the root's state (SUCCEEDED, FAILED, SKIPPED)."""
    ctx = _context(session, scheduled)
    db = ctx.attach_db(info)
    tasks = schema_tasks(db, root.schema_id)
    schema = db.cat.get_schema_by_id(root.schema_id)
    assert schema is not None
    run_id = int(scheduled.timestamp() * 1000)
    states: dict[int, str] = {}
    queue = [root]
    while queue:
        task = queue.pop(0)
        states[task.object_id] = _run_one(session, db, schema, task, root, scheduled, run_id)
        for child in tasks.values():
            preds = child.prop("predecessors", [])
            if (
                child.object_id not in states
                and child.prop("state") == STARTED
                and task.object_id in preds
                and all(states.get(p) == "SUCCEEDED" for p in preds)
                and child not in queue
            ):
                queue.append(child)
    return states[root.object_id]


def _run_one(
    session: Session,
    db: Db,
    schema: SchemaMeta,
    task: PipelineObject,
    root: PipelineObject,
    scheduled: datetime,
    run_id: int,
) -> str:
    """Run one task's statement as its owner (WHEN first); record the run. A statement that
    commits to the task's own database records its run in that same transaction
    (`_TaskRunContext`): a kill at any instant leaves both or neither, never rows without
    their TASK_HISTORY record. Other runs (skipped, failed, or writing elsewhere) record it in
    a transaction of their own afterwards."""
    definition = str(task.prop("definition"))
    condition = task.prop("condition")
    query_id: str | None = None
    state, code, message = "SUCCEEDED", None, None
    started: datetime | None = None

    def record() -> None:
        db.cat.con.execute(
            f"INSERT INTO {db.cat.meta_schema}.task_runs VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                task.object_id,
                run_id,
                root.object_id,
                query_id,
                state,
                code,
                message,
                scheduled,
                started,
                scheduled,
                definition,
                condition,
            ],
        )

    with session.acting_as(task.owner, db.name, schema.name):
        ctx = _TaskRunContext(
            session=session,
            now=scheduled,
            statement_id=_dialect().statement_id(scheduled),
            text=definition,
            source=definition,
        )
        ctx.run_record = (db.cat.alias, record)
        try:
            if condition and not _condition(ctx, str(condition)):
                state = "SKIPPED"
            else:
                started, query_id = scheduled, ctx.statement_id
                (stmt,) = parse(definition, SF)
                handler_for(stmt, _dialect())(ctx, stmt)
        except CloneshellError as err:
            state, code, message = "FAILED", *_error(err)
        except duckdb.Error as exc:
            state, code, message = "FAILED", *_error(from_duckdb(exc, ast.Statement()))
        except Exception:  # noqa: BLE001 - a failing task must not break the shell
            # The run is recorded as Snowflake records an internal failure (000603); the Python
            # details go to the log, never into TASK_HISTORY where any reader of it sees them.
            _log.exception("task %s: internal error", task.name)
            state, code, message = "FAILED", 603, _INTERNAL
    if ctx.run_record is None:
        return "SUCCEEDED"  # recorded with its commit
    session.warehouse.con.execute("BEGIN TRANSACTION")
    try:
        record()
        session.warehouse.con.execute("COMMIT")
    except BaseException:
        session.warehouse.con.execute("ROLLBACK")
        raise
    return state


class _TaskRunContext(SnowflakeContext):
    """The context of a task's statement: its first commit to the task's own database also
    records the run as SUCCEEDED (`run_record`: that database's alias and the recording
    function, None once recorded). Contexts derived from it record nothing."""

    run_record: tuple[str, Callable[[], None]] | None = None

    def _before_commit(self, cat: ProjectCatalog, kind: str) -> None:
        super()._before_commit(cat, kind)
        if self.run_record is not None and self.run_record[0] == cat.alias:
            self.run_record[1]()
            self.run_record = None


def _condition(ctx: SnowflakeContext, text: str) -> bool:
    (stmt,) = parse(f"SELECT {text}", SF)
    assert isinstance(stmt, ast.QueryStmt)
    tr = ctx.translator()
    row = ctx.session.warehouse.con.execute(tr.query(stmt.query), tr.params).fetchone()
    return bool(row and row[0])


def _error(err: CloneshellError) -> tuple[int | None, str]:
    """(ERROR_CODE as a number, ERROR_MESSAGE) of a failed run, as TASK_HISTORY shows them."""
    rendered = _dialect().render_error(err)
    text = rendered.text or rendered.message
    prefix, _, body = text.partition(": ")
    code = rendered.code or ""
    return (int(code) if code.isdigit() else None), (
        body if body and prefix[:1].isdigit() else text
    )


def run_due(session: Session, now: datetime) -> None:
    """Run every scheduled instant that has come, task by task (see engine/snowflake/tasks.py)."""
    wh = session.warehouse
    live = {i.file: i for i in wh.list_databases()}
    for file, task_id, _ in wh.due_tasks(now):
        info = live.get(file)
        if info is None:
            wh.set_task_due(file, task_id, None)
            continue
        _run_schedule(session, info, task_id, now)


def _run_schedule(session: Session, info: ProjectInfo, task_id: int, now: datetime) -> None:
    ctx = _context(session, now)
    db = ctx.attach_db(info)
    task = objects.by_id(db.cat, task_id)
    if (
        task is None
        or task.kind != "TASK"
        or task.prop("state") != STARTED
        or not task.prop("schedule")
        or task.prop("predecessors")
    ):
        session.warehouse.set_task_due(info.file, task_id, None)
        return
    schedule = parse_schedule(str(task.prop("schedule")))
    anchor = _at(task.prop("anchor")) or now
    due = _at(task.prop("next_due")) or schedule.next_after(now, anchor)
    if due < session.opened_at:
        # Missed while no shell had the warehouse open: not replayed (module docstring).
        due = schedule.next_after(session.opened_at - timedelta(microseconds=1), anchor)
    schema = db.cat.get_schema_by_id(task.schema_id)
    for _ in itertools.repeat(None, MAX_RUNS_PER_TICK):
        if due > now:
            break
        if schema is not None and schema.dropped_version is None:
            state = run_graph(session, info, task, due)
            task = _after_run(ctx, task, state)
        due = schedule.next_after(due, anchor)
        if task.prop("state") != STARTED:
            break
    if due <= now:
        due = schedule.next_after(now, anchor)
    if task.prop("state") == STARTED:
        task = task.with_props(next_due=due.isoformat())
    session.warehouse.con.execute("BEGIN TRANSACTION")
    try:
        objects.save(db.cat, task)
        session.warehouse.con.execute("COMMIT")
    except BaseException:
        session.warehouse.con.execute("ROLLBACK")
        raise
    state_due = due if task.prop("state") == STARTED else None
    session.warehouse.set_task_due(info.file, task_id, state_due)


def _after_run(ctx: SnowflakeContext, task: PipelineObject, state: str) -> PipelineObject:
    """Count failed runs in a row; suspend after SUSPEND_TASK_AFTER_NUM_FAILURES."""
    failures = int(task.prop("failures", 0)) + 1 if state == "FAILED" else 0
    task = task.with_props(failures=failures)
    limit = int(task.prop("suspend_after", DEFAULT_SUSPEND_AFTER))
    if limit and failures >= limit:
        task = _suspended(ctx, task, "SUSPENDED_DUE_TO_ERRORS")
    return task


# ---------------------------------------------------------------------------- TASK_HISTORY

HISTORY_COLUMNS = (
    ("QUERY_ID", "VARCHAR"),
    ("NAME", "VARCHAR"),
    ("DATABASE_NAME", "VARCHAR"),
    ("SCHEMA_NAME", "VARCHAR"),
    ("QUERY_TEXT", "VARCHAR"),
    ("CONDITION_TEXT", "VARCHAR"),
    ("STATE", "VARCHAR"),
    ("ERROR_CODE", "BIGINT"),
    ("ERROR_MESSAGE", "VARCHAR"),
    ("SCHEDULED_TIME", "TIMESTAMP"),
    ("QUERY_START_TIME", "TIMESTAMP"),
    ("NEXT_SCHEDULED_TIME", "TIMESTAMP"),
    ("COMPLETED_TIME", "TIMESTAMP"),
    ("ROOT_TASK_ID", "VARCHAR"),
    ("GRAPH_VERSION", "BIGINT"),
    ("RUN_ID", "BIGINT"),
    ("RETURN_VALUE", "VARCHAR"),
    ("SCHEDULED_FROM", "VARCHAR"),
)
_HISTORY_ARGS = {
    "SCHEDULED_TIME_RANGE_START",
    "SCHEDULED_TIME_RANGE_END",
    "RESULT_LIMIT",
    "TASK_NAME",
    "ERROR_ONLY",
    "ROOT_TASK_ID",
}


def task_history(ctx: SnowflakeContext, ref: ast.TableFunctionRef) -> Relation:
    """TABLE([INFORMATION_SCHEMA.]TASK_HISTORY([SCHEDULED_TIME_RANGE_START => …]
    [, SCHEDULED_TIME_RANGE_END => …] [, RESULT_LIMIT => n] [, TASK_NAME => '…']
    [, ERROR_ONLY => TRUE])): the runs of the tasks the role can see, and each started root's
    next SCHEDULED run, most recent first (at most RESULT_LIMIT, default 100)."""
    args = _history_args(ctx, ref)
    rows: list[tuple[object, ...]] = []
    for info in ctx.session.warehouse.list_databases():
        db = ctx.database(info.name, visible=False)
        if not ctx.can_see_db(db):
            continue
        schemas = {s.schema_id: s for s in db.cat.list_schemas()}
        tasks = {
            t.object_id: t
            for t in objects.list_objects(db.cat, "TASK")
            if t.schema_id in schemas and pipeline.can_see(ctx, db, t)
        }
        ids = {t.object_id: str(t.prop("id", "")) for t in tasks.values()}
        for row in db.cat.con.execute(
            f"SELECT * FROM {db.cat.meta_schema}.task_runs ORDER BY scheduled_time"
        ).fetchall():
            task = tasks.get(int(row[0]))
            if task is None:
                continue
            schema = schemas[task.schema_id]
            rows.append(
                (row[3], task.name, db.name, schema.name, row[10], row[11], row[4], row[5],
                 row[6], row[7], row[8], None, row[9], ids.get(int(row[2]), ""), 1, row[1],
                 None, "SCHEDULE")
            )  # fmt: skip
        for task in tasks.values():
            due = _at(task.prop("next_due"))
            if task.prop("state") == STARTED and due is not None:
                schema = schemas[task.schema_id]
                rows.append(
                    (None, task.name, db.name, schema.name, task.prop("definition"),
                     task.prop("condition"), "SCHEDULED", None, None, due, None, due, None,
                     ids[task.object_id], 1, int(due.timestamp() * 1000), None, "SCHEDULE")
                )  # fmt: skip
    rows = [r for r in rows if _keep(r, args)]
    rows.sort(key=lambda r: (r[9], r[6] != "SCHEDULED"), reverse=True)
    limit = args.get("RESULT_LIMIT", 100)
    assert isinstance(limit, int)
    rows = rows[:limit]
    # One temporary table per reference in the statement.
    table = f"__cs_task_history_{id(ref)}"
    con = ctx.session.warehouse.con
    columns = ", ".join(f'"{n}" {t}' for n, t in HISTORY_COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({columns})")
    if rows:
        marks = ", ".join("?" for _ in HISTORY_COLUMNS)
        con.executemany(f"INSERT INTO temp.{table} VALUES ({marks})", rows)
    return Relation(f"(SELECT * FROM temp.{table})", "TASK_HISTORY")


def _history_args(ctx: SnowflakeContext, ref: ast.TableFunctionRef) -> dict[str, object]:
    args: dict[str, object] = {}
    for arg in ref.func.args:
        if not isinstance(arg, ast.NamedArg):
            raise SemanticError(
                "semantic", arg.span, message="TASK_HISTORY takes named arguments (NAME => value)"
            )
        if arg.name not in _HISTORY_ARGS:
            raise SemanticError("semantic", arg.span, message=f"invalid argument {arg.name}")
        value = timetravel._constant(ctx, arg.value)
        if arg.name.startswith("SCHEDULED_TIME_RANGE"):
            value = timetravel._as_timestamp(ctx, value, arg.span)
        if arg.name == "RESULT_LIMIT" and (
            not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10000
        ):
            raise SemanticError("semantic", arg.span, message="RESULT_LIMIT is 1 to 10000")
        args[arg.name] = value
    return args


def _keep(row: tuple[object, ...], args: dict[str, object]) -> bool:
    name = args.get("TASK_NAME")
    if name is not None and str(row[1]).upper() != str(name).upper():
        return False
    if args.get("ERROR_ONLY") is True and row[6] not in ("FAILED", "CANCELLED"):
        return False
    scheduled = row[9]
    assert isinstance(scheduled, datetime)
    start, end = args.get("SCHEDULED_TIME_RANGE_START"), args.get("SCHEDULED_TIME_RANGE_END")
    if isinstance(start, datetime) and scheduled < start:
        return False
    if isinstance(end, datetime) and scheduled >= end:
        return False
    root = args.get("ROOT_TASK_ID")
    return root is None or row[13] == root


# ---------------------------------------------------------------------------- SHOW

SHOW_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("id", "TEXT"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
    ("owner", "TEXT"),
    ("comment", "TEXT"),
    ("warehouse", "TEXT"),
    ("schedule", "TEXT"),
    ("predecessors", "TEXT"),
    ("state", "TEXT"),
    ("definition", "TEXT"),
    ("condition", "TEXT"),
    ("allow_overlapping_execution", "TEXT"),
    ("error_integration", "TEXT"),
    ("last_committed_on", "TIMESTAMP_LTZ"),
    ("last_suspended_on", "TIMESTAMP_LTZ"),
    ("owner_role_type", "TEXT"),
    ("config", "TEXT"),
    ("budget", "TEXT"),
    ("task_relations", "TEXT"),
    ("last_suspended_reason", "TEXT"),
)
TERSE_COLUMNS = (*pipeline.TERSE_COLUMNS, ("schedule", "TEXT"))


def show_row(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject
) -> tuple[object, ...]:
    """One SHOW TASKS row (state `started`/`suspended`; last_suspended_reason and
    task_relations as BCR 2023_08 added them, reference/snowflake.md §7.4)."""
    tasks = schema_tasks(db, obj.schema_id)
    preds = [_fq(db, schema, tasks[p].name) for p in obj.prop("predecessors", []) if p in tasks]
    suspended_on = _at(obj.prop("last_suspended_on"))
    committed = _at(obj.prop("last_committed_on")) or obj.created_at
    return (
        stamp(obj.created_at),
        obj.name,
        obj.prop("id"),
        db.name,
        schema.name,
        obj.owner,
        obj.comment,
        obj.prop("warehouse"),
        obj.prop("schedule"),
        json.dumps(preds),
        obj.prop("state"),
        obj.prop("definition"),
        obj.prop("condition"),
        "true" if obj.prop("allow_overlapping") else "false",
        None,
        stamp(committed),
        stamp(suspended_on) if suspended_on is not None else None,
        "ROLE",
        None,
        None,
        json.dumps({"Predecessors": preds}),
        obj.prop("last_suspended_reason"),
    )


def terse_row(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject
) -> tuple[object, ...]:
    """One SHOW TERSE TASKS row (`kind` is NULL for tasks)."""
    return (*pipeline.terse_start(db, schema, obj, None), obj.prop("schedule"))


def reindex(ctx: SnowflakeContext, db: Db) -> None:
    """Index the started root tasks of a database again (UNDROP DATABASE: while it was
    dropped, its tasks left the schedule index)."""
    for task in objects.list_objects(db.cat, "TASK"):
        schedule = task.prop("schedule")
        if task.prop("state") != STARTED or not schedule or task.prop("predecessors"):
            continue
        anchor = _at(task.prop("anchor")) or ctx.now
        due = _at(task.prop("next_due")) or parse_schedule(schedule).next_after(ctx.now, anchor)
        ctx.session.warehouse.set_task_due(db.info.file, task.object_id, due)
    ctx.session.task_schedule_changed()
