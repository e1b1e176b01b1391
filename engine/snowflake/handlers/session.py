"""Session statements: `USE DATABASE|SCHEMA|ROLE|WAREHOUSE` (Snowflake) and `ALTER SESSION SET
…` (both dialects: `ALTER SESSION SET DIALECT = snowflake|maxcompute` switches the session)."""

from __future__ import annotations

from cloneshell.engine.core.context import StatementContext
from cloneshell.engine.core.dispatch import handles
from cloneshell.engine.core.errors import CatalogError, PrivilegeError, SemanticError
from cloneshell.engine.core.result import Status
from cloneshell.engine.maxcompute.handlers.projects import check_flag_name
from cloneshell.engine.snowflake import security
from cloneshell.grammar import ast


@handles(ast.AlterSession, dialect=("maxcompute", "snowflake"))
def alter_session(ctx: StatementContext, stmt: ast.AlterSession) -> Status:
    """ALTER SESSION SET k = v …: DIALECT switches dialects; other parameters are kept as
    session flags (identities and warehouses are simulated, so most have no effect)."""
    message = ctx.session.dialect.ok_message
    switch: str | None = None
    for key, _ in stmt.settings:
        if key.upper() != "DIALECT":
            check_flag_name(ctx, key, stmt.span)
    for key, value in stmt.settings:
        if key.upper() == "DIALECT":
            switch = value
        else:
            ctx.session.flags[key.lower()] = value.strip().strip("'")
    for key in stmt.unset:
        ctx.session.flags.pop(key.lower(), None)
    if switch is not None:
        ctx.session.switch_dialect(switch, stmt.span)
    return Status(message, ctx.statement_id)


@handles(ast.UseObject, dialect="snowflake")
def use_object(ctx: StatementContext, stmt: ast.UseObject) -> Status:
    """USE DATABASE d (schema becomes PUBLIC) | USE SCHEMA [d.]s | USE ROLE r | USE WAREHOUSE w
    (warehouses are not emulated: accepted, nothing changes)."""
    ok = Status(ctx.session.dialect.ok_message, ctx.statement_id)
    if stmt.kind == "DATABASE":
        if len(stmt.name.parts) != 1:
            raise SemanticError("semantic", stmt.name.span, message="a database name has one part")
        db = ctx.database(ctx.fold(stmt.name.parts[0]), stmt.name.span)
        ctx.session.project = db.name
        ctx.session.schema = "PUBLIC"
        return ok
    if stmt.kind == "SCHEMA":
        db, name = ctx.schema_target(stmt.name, "USE")
        schema = ctx.schema_of(db, name, stmt.name.span)
        ctx.session.project = db.name
        ctx.session.schema = schema.name
        return ok
    if stmt.kind == "ROLE":
        if len(stmt.name.parts) != 1:
            raise SemanticError("semantic", stmt.name.span, message="a role name has one part")
        role = ctx.fold(stmt.name.parts[0])
        wh = ctx.session.warehouse
        if security.get_role(wh, role) is None:
            raise CatalogError("role_not_found", stmt.name.span, name=role)
        if role not in security.user_roles(wh, ctx.session.principal):
            raise PrivilegeError("role_not_granted", stmt.name.span, name=role)
        ctx.session.role = role
        return ok
    return ok
