"""Session statements: `USE DATABASE|SCHEMA|ROLE|WAREHOUSE` (ALTER SESSION is shared:
engine/core/handlers.py)."""

from __future__ import annotations

from cloneshell.engine.core.errors import CatalogError, PrivilegeError, SemanticError
from cloneshell.engine.core.result import Status
from cloneshell.engine.snowflake import security
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.grammar import ast


def use_object(ctx: SnowflakeContext, stmt: ast.UseObject) -> Status:
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
        if name == "INFORMATION_SCHEMA":  # every database's, read-only (infoschema.py)
            ctx.session.project, ctx.session.schema = db.name, name
            return ok
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
