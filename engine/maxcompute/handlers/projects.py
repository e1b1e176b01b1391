"""Session and project statements: SET, SHOW FLAGS, USE, WHOAMI, CREATE/DROP/SHOW PROJECT(S)."""

from __future__ import annotations

from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.engine.core.errors import CatalogError, EngineError, PrivilegeError
from cloneshell.engine.core.handlers import check_flag_name
from cloneshell.engine.core.result import Column, Rows, Status, Text
from cloneshell.engine.core.warehouse import DEFAULT_REGION, ProjectInfo, validate_project_name
from cloneshell.engine.maxcompute.context import MaxComputeContext
from cloneshell.engine.maxcompute.security import validate_principal
from cloneshell.grammar import ast


def set_flag(ctx: MaxComputeContext, stmt: ast.SetStmt) -> Status:
    """`SET key=value`: kept for the session; some flags change behaviour."""
    check_flag_name(ctx, stmt.key, stmt.span)
    ctx.session.flags[stmt.key.lower()] = stmt.value
    return Status(ctx.session.dialect.ok_message)


def show_flags(ctx: MaxComputeContext, stmt: ast.ShowFlags) -> Text:
    """`SHOW FLAGS`: the session's SET values, one `key=value` per line."""
    return Text(tuple(f"{k}={v}" for k, v in sorted(ctx.session.flags.items())))


def use(ctx: MaxComputeContext, stmt: ast.Use) -> Status:
    """`USE project`: the principal must be the owner or a member."""
    info, cat = ctx.project(ctx.fold(stmt.name), stmt.name.span)
    ctx.auth.require_member(info, cat)
    ctx.session.project = info.name
    ctx.session.schema = ctx.session.dialect.default_schema
    return Status(ctx.session.dialect.ok_message)


def whoami(ctx: MaxComputeContext, stmt: ast.Whoami) -> Text:
    """`WHOAMI`, laid out as odpscmd prints it (maxcompute.md §2.3)."""
    lines = [
        f"Name: {ctx.session.principal}",
        "Source IP: 127.0.0.1",
        f"End_Point: file://{ctx.session.warehouse.root}",
        f"Project: {ctx.session.project or ''}",
    ]
    if ctx.session.flag_bool("odps.namespace.schema", False):
        lines.append(f"Schema: {ctx.session.schema}")
    return Text(tuple(lines))


def create_project(ctx: MaxComputeContext, stmt: ast.CreateProject) -> Status:
    """Emulator extension: make a project file; the creator (or OWNER) owns it."""
    wh = ctx.session.warehouse
    name = validate_project_name(stmt.name.name, stmt.name.span)
    owner = (
        validate_principal(stmt.owner.name, stmt.owner.span)
        if stmt.owner
        else ctx.session.principal
    )
    # The registry is written last but decided on first: hold it from the start, so no other
    # shell registers the name meanwhile.
    wh.attach_warehouse(write=True)
    if wh.get_project(name) is not None:
        if stmt.if_not_exists:
            return Status(ctx.session.dialect.ok_message)
        raise CatalogError("project_exists", stmt.name.span, name=name)
    region = (stmt.region or DEFAULT_REGION).strip()
    info = ProjectInfo(name, name, owner, region, stmt.comment or "", ctx.now)
    # The file is made first, then registered: until then an intent stands for it (a file
    # without a registry row is deleted when the statement ends or fails, or at the next open
    # if the process dies). Projects and Snowflake databases share projects/: a name whose
    # file exists in any form is refused, never replaced.
    if not wh.claim_file(info.file, name):
        raise EngineError(
            "invalid",
            stmt.name.span,
            message=f"project name '{name}' is taken by another file of this warehouse "
            "(a Snowflake database's, or one left in projects/): choose another name",
        )
    alias = wh.attach_project(info)
    cat = ProjectCatalog(wh.con, alias, name)
    with ctx.write(
        info, cat, "CREATE PROJECT", lambda: cat.initialise(owner, region, info.comment, ctx.now)
    ):
        pass
    wh.register_project(info)
    wh.remember_principal(owner, ctx.now)
    return Status(ctx.session.dialect.ok_message)


def drop_project(ctx: MaxComputeContext, stmt: ast.DropProject) -> Status:
    """Emulator extension: only the owner may drop a project; its file is deleted."""
    wh = ctx.session.warehouse
    info = wh.get_project(stmt.name.name)
    if info is None:
        if stmt.if_exists:
            return Status(ctx.session.dialect.ok_message)
        raise CatalogError("project_not_found", stmt.name.span, name=stmt.name.name.lower())
    if not ctx.auth.is_owner(info):
        raise PrivilegeError(
            "denied",
            message=f"Authorization Failed [4019], only the owner of project {info.name} "
            "may drop it.",
        )
    # Under the file's write lock (other shells let go of it first), unregistered, then
    # deleted; the intent finishes the deletion if this dies between.
    wh.retire_file(info, lambda: wh.unregister_project(info.name))
    if ctx.session.project == info.name:
        ctx.session.project = None
    return Status(ctx.session.dialect.ok_message)


def show_projects(ctx: MaxComputeContext, stmt: ast.ShowProjects) -> Rows:
    """Emulator extension: every project in the warehouse; one whose file cannot be read is
    listed with the comment `DAMAGED_COMMENT` (DROP PROJECT removes it)."""
    cols = tuple(Column(n, "string") for n in ("name", "owner", "region", "comment", "created"))
    rows: list[tuple[object, ...]] = [
        (
            p.name,
            p.owner,
            p.region,
            DAMAGED_COMMENT if _damaged(ctx, p) else p.comment,
            p.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        )
        for p in ctx.session.warehouse.list_projects()
    ]
    return Rows(cols, rows, ctx.statement_id)


# The comment SHOW PROJECTS gives a project whose file cannot be read.
DAMAGED_COMMENT = "damaged: its file cannot be read"


def _damaged(ctx: MaxComputeContext, info: ProjectInfo) -> bool:
    """True if the project's file cannot be read (opening it says so)."""
    try:
        ctx.project(info.name)
    except EngineError as err:
        if err.kind != "damaged":
            raise
        return True
    return False
