"""Snowflake roles, users and grants (reference/snowflake.md §6): CREATE ROLE / USER, DROP ROLE /
USER, GRANT/REVOKE ROLE, GRANT/REVOKE privileges ON ACCOUNT | DATABASE | SCHEMA | TABLE | ALL
TABLES IN SCHEMA, GRANT OWNERSHIP, SHOW GRANTS, SHOW ROLES, SHOW USERS.

Who may grant: the object's owner, a role holding the privilege WITH GRANT OPTION, or a role with
MANAGE GRANTS (SECURITYADMIN and above). Roles are created with CREATE ROLE (USERADMIN and
above) and owned by their creator; granting a role needs its ownership or MANAGE GRANTS.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import (
    CatalogError,
    PrivilegeError,
    SemanticError,
    UnsupportedError,
)
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import catalog, objects, pipeline, security
from cloneshell.engine.snowflake.catalog import Grant
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.ddl import already_exists, check_comment, check_name, ok
from cloneshell.engine.snowflake.listing import aware, limit, matches
from cloneshell.engine.snowflake.objects import Kind
from cloneshell.grammar import ast

SF = "snowflake"


def _role_name(ctx: SnowflakeContext, ident: ast.Ident) -> str:
    return check_name(ctx.fold(ident), ident.span, "role name")


def _principal_name(ctx: SnowflakeContext, p: ast.Principal) -> str:
    if p.quoted:
        return check_name(p.name, p.span, "name")
    return check_name(p.name.upper(), p.span, "name")


def _require_role(ctx: SnowflakeContext, name: str, span: ast.Span | None) -> security.RoleInfo:
    info = security.get_role(ctx.session.warehouse, name)
    if info is None:
        raise CatalogError("role_not_found", span, name=name)
    return info


def _require_user(ctx: SnowflakeContext, name: str, span: ast.Span | None) -> security.UserInfo:
    info = security.get_user(ctx.session.warehouse, name)
    if info is None:
        raise CatalogError("user_not_found", span, name=name)
    return info


# ---------------------------------------------------------------------------- roles, users


def create_role(ctx: SnowflakeContext, stmt: ast.CreateRole) -> Status:
    """CREATE [OR REPLACE] ROLE [IF NOT EXISTS] r [COMMENT = '…'] (CREATE ROLE on the account)."""
    name = _role_name(ctx, stmt.name)
    ctx.auth.require_account("CREATE ROLE")
    wh = ctx.session.warehouse
    existing = security.get_role(wh, name)
    if existing is not None:
        if stmt.if_not_exists:
            return already_exists(ctx, name)
        if not stmt.or_replace or name in security.SYSTEM_ROLES:
            raise CatalogError("exists", stmt.name.span, name=name)
        ctx.auth.require_owner(existing.owner, "role", name)
    comment = check_comment(stmt.comment, stmt.span)
    if existing is not None:  # the replaced role goes as DROP ROLE takes it
        _drop_role(ctx, name)
    security.create_role(wh, name, ctx.session.role, comment, ctx.now)
    return Status(f"Role {name} successfully created.", ctx.statement_id)


def create_user(ctx: SnowflakeContext, stmt: ast.CreateUser) -> Status:
    """CREATE [OR REPLACE] USER [IF NOT EXISTS] u [DEFAULT_ROLE = r] [PASSWORD = '…']
    (CREATE USER); the password is what a server login as u must give."""
    name = _principal_name(ctx, stmt.name)
    ctx.auth.require_account("CREATE USER")
    wh = ctx.session.warehouse
    existing = security.get_user(wh, name)
    if existing is not None:
        if stmt.if_not_exists:
            return already_exists(ctx, name)
        if not stmt.or_replace:
            raise CatalogError("exists", stmt.name.span, name=name)
        ctx.auth.require_owner(existing.owner, "user", name)
    default_role = _role_name(ctx, stmt.default_role) if stmt.default_role else None
    properties = {k.upper(): v for k, v in stmt.properties}
    comment = properties.get("COMMENT", "")
    password = properties.get("PASSWORD")
    security.create_user(wh, name, default_role, comment, ctx.session.role, ctx.now, password)
    return Status(f"User {name} successfully created.", ctx.statement_id)


def drop_principal(ctx: SnowflakeContext, stmt: ast.DropObject) -> Status:
    """DROP ROLE|USER [IF EXISTS] x (its owner, or MANAGE GRANTS for roles). A dropped
    role's grants go with it and what it owned passes to the role that drops it."""
    if len(stmt.name.parts) != 1:
        raise SemanticError("semantic", stmt.name.span, message="a name of one part is needed")
    name = ctx.fold(stmt.name.parts[0])
    wh = ctx.session.warehouse
    if stmt.kind == "ROLE":
        role = security.get_role(wh, name)
        if role is None:
            if stmt.if_exists:
                return Status(f"Drop statement executed successfully ({name} already dropped).")
            raise CatalogError("role_not_found", stmt.name.span, name=name)
        if name in security.SYSTEM_ROLES:
            raise PrivilegeError("no_privilege", object_type="role", name=name)
        if not ctx.auth.has_account("MANAGE GRANTS"):
            ctx.auth.require_owner(role.owner, "role", name)
        _drop_role(ctx, name)
        if ctx.session.role == name:
            ctx.session.role = security.PUBLIC_ROLE
        return Status(f"{name} successfully dropped.", ctx.statement_id)
    user = security.get_user(wh, name)
    if user is None:
        if stmt.if_exists:
            return Status(f"Drop statement executed successfully ({name} already dropped).")
        raise CatalogError("user_not_found", stmt.name.span, name=name)
    if not ctx.auth.has_account("MANAGE GRANTS"):
        ctx.auth.require_owner(user.owner, "user", name)
    if name == ctx.session.principal:
        raise SemanticError("semantic", stmt.name.span, message="Cannot drop the current user.")
    security.drop_user(wh, name)
    return Status(f"{name} successfully dropped.", ctx.statement_id)


def _drop_role(ctx: SnowflakeContext, name: str) -> None:
    """A role goes: its grants in every database (live or dropped) with it, and what it owned
    passes to the current role. Each database first, the registry last: a DROP ROLE cut short
    leaves the role, and running it again finishes the job."""
    wh = ctx.session.warehouse
    heir = ctx.session.role
    for info in wh.list_databases(history=True):
        db = ctx.attach_db(info)
        if security.holds_in_database(db.cat, name):
            with ctx.write_db(db, "DROP ROLE"):
                security.release_role(db.cat, name, heir)
    security.drop_role(wh, name, heir)


def grant_role(ctx: SnowflakeContext, stmt: ast.GrantRoleTo) -> Status:
    """GRANT ROLE r TO USER u | ROLE p (and REVOKE … FROM …): the role's owner or MANAGE
    GRANTS. Cycles between roles are refused."""
    wh = ctx.session.warehouse
    role = _role_name(ctx, stmt.role)
    info = _require_role(ctx, role, stmt.role.span)
    grantee = _principal_name(ctx, stmt.grantee)
    if stmt.grantee_kind == "USER":
        _require_user(ctx, grantee, stmt.grantee.span)
    else:
        _require_role(ctx, grantee, stmt.grantee.span)
    if not ctx.auth.has_account("MANAGE GRANTS"):
        ctx.auth.require_owner(info.owner, "role", role)
    if stmt.revoke:
        security.revoke_role(wh, role, stmt.grantee_kind, grantee)
        return ok(ctx)
    if stmt.grantee_kind == "ROLE" and (
        grantee == role or grantee in security.inherited_roles(wh, role)
    ):
        raise SemanticError(
            "semantic",
            stmt.span,
            message=f"Cannot grant role '{role}' to role '{grantee}': it would create a cycle.",
        )
    security.grant_role(wh, role, stmt.grantee_kind, grantee, ctx.session.role, ctx.now)
    return ok(ctx)


# ---------------------------------------------------------------------------- object grants


def _canonical(privileges: tuple[str, ...], object_type: str, span: ast.Span | None) -> list[str]:
    allowed = security.PRIVILEGES[object_type]
    out: list[str] = []
    for p in privileges:
        word = " ".join(p.upper().split())
        if word in ("ALL", "ALL PRIVILEGES"):
            out.extend(a for a in allowed if a not in ("IMPORTED PRIVILEGES", "APPLYBUDGET"))
            continue
        if word == "OWNERSHIP":
            raise SemanticError(
                "semantic", span, message="use GRANT OWNERSHIP ON … TO ROLE … to transfer it"
            )
        if word not in allowed:
            raise SemanticError(
                "semantic",
                span,
                message=f"Invalid privilege {word} for {object_type.lower()}",
            )
        out.append(word)
    return list(dict.fromkeys(out))


def _may_grant(
    ctx: SnowflakeContext,
    db: Db,
    object_type: str,
    object_id: int,
    owner: str,
    privileges: list[str],
    name: str,
) -> None:
    """Owner, MANAGE GRANTS, or every privilege held WITH GRANT OPTION."""
    auth = ctx.auth
    if auth.owns(owner) or auth.has_account("MANAGE GRANTS"):
        return
    held = {
        g.privilege
        for g in catalog.grants_on(db.cat, object_type, object_id)
        if g.role in auth.roles and g.grant_option
    }
    if not set(privileges) <= held:
        raise PrivilegeError("no_privilege", object_type=object_type.lower(), name=name)


def _objects(
    ctx: SnowflakeContext, object_type: str, qname: ast.QualifiedName | None
) -> tuple[str, Db, list[tuple[int, str, str, str]]]:
    """(grant type, database, [(object id, owner, display name, short name)]) a GRANT names.
    Objects the role cannot see are unknown to it, unless it has MANAGE GRANTS."""
    assert qname is not None
    visible = not ctx.auth.has_account("MANAGE GRANTS")
    what = "GRANT"
    if object_type == "DATABASE":
        if len(qname.parts) != 1:
            raise SemanticError("semantic", qname.span, message="a database name has one part")
        db = ctx.database(ctx.fold(qname.parts[0]), qname.span, visible=visible)
        return "DATABASE", db, [(0, db.info.owner, db.name, db.name)]
    if object_type in ("SCHEMA", "ALL TABLES IN SCHEMA"):
        db, name = ctx.schema_target(qname, what, visible=visible)
        schema = ctx.schema_of(db, name, qname.span, visible=visible)
        if object_type == "SCHEMA":
            return "SCHEMA", db, [(schema.schema_id, schema.owner, f"{db.name}.{name}", name)]
        tables = [
            (t.table_id, t.owner, f"{db.name}.{name}.{t.name}", t.name)
            for t in db.cat.tables_of_schema(schema.schema_id)
            if t.kind != "view"
        ]
        return "TABLE", db, tables
    if object_type in ("TABLE", "VIEW"):
        target = ctx.require_table(qname, what, visible=visible)
        t = target.table
        assert t is not None
        return "TABLE", target.db, [(t.table_id, t.owner, target.fq, t.name)]
    if object_type in ("STAGE", "PIPE", "STREAM", "TASK"):
        kind: Kind = object_type  # type: ignore[assignment]
        found = pipeline.resolve(ctx, qname, kind, what, visible=visible)
        if found.obj is None:
            raise pipeline.not_found(kind, found.fq, qname.span)
        obj = found.obj
        return kind, found.db, [(obj.object_id, obj.owner, found.fq, obj.name)]
    raise UnsupportedError("unsupported", qname.span, message=f"GRANT … ON {object_type}")


def grant_privileges(ctx: SnowflakeContext, stmt: ast.GrantToRole) -> Status:
    """GRANT privs ON ACCOUNT | DATABASE | SCHEMA | TABLE | ALL TABLES IN SCHEMA … TO ROLE r
    [WITH GRANT OPTION], and REVOKE [GRANT OPTION FOR] … FROM ROLE r."""
    role = _role_name(ctx, stmt.role)
    _require_role(ctx, role, stmt.role.span)
    kind = " ".join(stmt.object_type.upper().split())
    if kind == "WAREHOUSE":
        # Warehouses are not emulated (compute only): accepted so scripts run unchanged.
        return ok(ctx)
    if kind.startswith("FUTURE"):
        raise UnsupportedError("unsupported", stmt.span, message="FUTURE grants")
    if kind == "ACCOUNT":
        privileges = _canonical(stmt.privileges, "ACCOUNT", stmt.span)
        held = {
            g[0] for g in security.account_grants(ctx.session.warehouse, ctx.auth.roles) if g[2]
        }
        if not ctx.auth.has_account("MANAGE GRANTS") and not set(privileges) <= held:
            raise PrivilegeError("no_privilege", object_type="account", name=security.ACCOUNT_NAME)
        wh = ctx.session.warehouse
        with wh.registry_transaction():
            for p in privileges:
                if stmt.revoke:
                    security.revoke_account(wh, p, role)
                else:
                    security.grant_account(
                        wh, p, role, stmt.grant_option, ctx.session.role, ctx.now
                    )
        return ok(ctx)
    grant_type, db, targets = _objects(ctx, kind, stmt.object_name)
    privileges = _canonical(stmt.privileges, grant_type, stmt.span)
    for object_id, owner, _, short in targets:
        _may_grant(ctx, db, grant_type, object_id, owner, privileges, short)
    dependent: list[catalog.Grant] = []
    if stmt.revoke:
        for object_id, _, fq, _ in targets:
            for p in privileges:
                found = _dependent_grants(db, grant_type, object_id, p, role)
                if found and not stmt.cascade:
                    # RESTRICT, the default: grants made onward must be revoked first.
                    raise PrivilegeError(
                        "denied",
                        stmt.span,
                        message=f"Dependent grant of privilege '{p}' on securable '{fq}' to "
                        f"role '{found[0].role}' exists. It must be revoked first. More than "
                        "one dependent grant may exist: use 'SHOW GRANTS' command to view them. "
                        "To revoke all dependent grants while revoking the privilege, use "
                        "CASCADE.",
                    )
                dependent.extend(found)
    with ctx.write_db(db, "REVOKE" if stmt.revoke else "GRANT"):
        for g in dependent:  # CASCADE: every grant made onward from the revoked one
            catalog.revoke(db.cat, g.object_type, g.object_id, g.privilege, g.role, False)
        for object_id, _, _, _ in targets:
            for p in privileges:
                if stmt.revoke:
                    catalog.revoke(db.cat, grant_type, object_id, p, role, stmt.grant_option)
                else:
                    catalog.grant(
                        db.cat,
                        Grant(
                            grant_type,
                            object_id,
                            p,
                            role,
                            stmt.grant_option,
                            ctx.session.role,
                            ctx.now,
                        ),
                    )
    return ok(ctx)


def _dependent_grants(
    db: Db, object_type: str, object_id: int, privilege: str, role: str
) -> list[catalog.Grant]:
    """The grants of `privilege` on one object that `role` made onward (using its grant
    option), and those made onward from them, transitively: what REVOKE … CASCADE also takes
    and what RESTRICT refuses to leave dangling."""
    grants = [
        g for g in catalog.grants_on(db.cat, object_type, object_id) if g.privilege == privilege
    ]
    out: list[catalog.Grant] = []
    granters, seen = [role], {role}
    while granters:
        granter = granters.pop()
        for g in grants:
            if g.granted_by == granter and g.role not in seen:
                seen.add(g.role)
                out.append(g)
                granters.append(g.role)
    return out


def grant_ownership(ctx: SnowflakeContext, stmt: ast.GrantOwnership) -> Status:
    """GRANT OWNERSHIP ON DATABASE|SCHEMA|TABLE|ROLE x TO ROLE r [COPY|REVOKE CURRENT GRANTS]:
    the current owner or MANAGE GRANTS. Existing grants stay unless REVOKE CURRENT GRANTS."""
    role = _role_name(ctx, stmt.role)
    _require_role(ctx, role, stmt.role.span)
    kind = " ".join(stmt.object_type.upper().split())
    wh = ctx.session.warehouse
    manage = ctx.auth.has_account("MANAGE GRANTS")
    if kind == "ROLE":
        name = _role_name(ctx, stmt.object_name.parts[-1])
        info = _require_role(ctx, name, stmt.object_name.span)
        if not manage:
            ctx.auth.require_owner(info.owner, "role", name)
        security.set_role_owner(wh, name, role)
        return ok(ctx)
    grant_type, db, targets = _objects(ctx, kind, stmt.object_name)
    for _, owner, _, short in targets:
        if not manage:
            ctx.auth.require_owner(owner, grant_type.lower(), short)
    if grant_type == "DATABASE":
        if stmt.current_grants == "REVOKE":
            with ctx.write_db(db, "GRANT OWNERSHIP"):
                catalog.delete_grants(db.cat, "DATABASE", 0)
        wh.update_database(db.info.file, owner=role)
        ctx.forget_db(db.name)
        return ok(ctx)
    with ctx.write_db(db, "GRANT OWNERSHIP"):
        for object_id, _, _, _ in targets:
            if grant_type == "SCHEMA":
                db.cat.update_schema(object_id, owner=role)
            elif grant_type == "TABLE":
                db.cat.update_table(object_id, owner=role)
            else:
                obj = objects.by_id(db.cat, object_id)
                assert obj is not None
                objects.save(db.cat, obj.with_owner(role))
            if stmt.current_grants == "REVOKE":
                catalog.delete_grants(db.cat, grant_type, object_id)
    return ok(ctx)


# ---------------------------------------------------------------------------- SHOW


_GRANT_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("privilege", "TEXT"),
    ("granted_on", "TEXT"),
    ("name", "TEXT"),
    ("granted_to", "TEXT"),
    ("grantee_name", "TEXT"),
    ("grant_option", "TEXT"),
    ("granted_by", "TEXT"),
)


def _grant_row(
    created: datetime | None,
    privilege: str,
    granted_on: str,
    name: str,
    granted_to: str,
    grantee: str,
    option: bool,
    granted_by: str,
) -> tuple[object, ...]:
    return (
        aware(created),
        privilege,
        granted_on,
        name,
        granted_to,
        grantee,
        "true" if option else "false",
        granted_by,
    )


def _object_grant_rows(
    db: Db, grant_type: str, object_id: int, owner: str, created: datetime, name: str
) -> list[tuple[object, ...]]:
    rows = [_grant_row(created, "OWNERSHIP", grant_type, name, "ROLE", owner, True, owner)]
    for g in catalog.grants_on(db.cat, grant_type, object_id):
        rows.append(
            _grant_row(
                g.created_at,
                g.privilege,
                grant_type,
                name,
                "ROLE",
                g.role,
                g.grant_option,
                g.granted_by,
            )
        )
    return rows


def show_grants(ctx: SnowflakeContext, stmt: ast.ShowGrants) -> Rows:
    """SHOW GRANTS [ON ACCOUNT | ON <type> x | TO ROLE r | TO USER u | OF ROLE r]."""
    wh = ctx.session.warehouse
    cols = tuple(Column(n, t) for n, t in _GRANT_COLUMNS)
    if stmt.of_role is not None:
        role = _role_name(ctx, stmt.of_role)
        _require_role(ctx, role, stmt.of_role.span)
        rows: list[tuple[object, ...]] = [
            (aware(g.created_at), g.role, g.grantee_kind, g.grantee, g.granted_by)
            for g in security.role_grants(wh, role=role)
        ]
        spec = ("created_on", "role", "granted_to", "grantee_name", "granted_by")
        return Rows(_cols(spec), rows, ctx.statement_id)
    if stmt.to_kind == "USER" or (stmt.on_type is None and stmt.to_kind is None):
        user = _principal_name(ctx, stmt.name) if stmt.name is not None else ctx.session.principal
        _require_user(ctx, user, stmt.name.span if stmt.name else None)
        rows = [
            (aware(g.created_at), g.role, "USER", g.grantee, g.granted_by)
            for g in security.role_grants(wh, grantee_kind="USER", grantee=user)
        ]
        spec = ("created_on", "role", "granted_to", "grantee_name", "granted_by")
        return Rows(_cols(spec), rows, ctx.statement_id)
    if stmt.to_kind == "ROLE":
        assert stmt.name is not None
        role = _principal_name(ctx, stmt.name)
        _require_role(ctx, role, stmt.name.span)
        if role not in ctx.auth.roles and not ctx.auth.has_account("MANAGE GRANTS"):
            # Only a role in the current hierarchy, or MANAGE GRANTS, shows a role's grants
            # (they name objects the current role may not see).
            raise PrivilegeError("no_privilege", stmt.name.span, object_type="role", name=role)
        return Rows(cols, _grants_to_role(ctx, role), ctx.statement_id)
    kind = " ".join((stmt.on_type or "").upper().split())
    if kind == "ACCOUNT":
        rows = [
            _grant_row(g[4], g[0], "ACCOUNT", security.ACCOUNT_NAME, "ROLE", g[1], g[2], g[3])
            for g in security.account_grants(wh)
        ]
        return Rows(
            cols + (Column("granted_by_role_type", "TEXT"),),
            [r + ("ROLE",) for r in rows],
            ctx.statement_id,
        )
    if kind == "ROLE":
        assert stmt.on_name is not None
        role = _role_name(ctx, stmt.on_name.parts[-1])
        info = _require_role(ctx, role, stmt.on_name.span)
        rows = (
            [
                _grant_row(
                    info.created_at, "OWNERSHIP", "ROLE", role, "ROLE", info.owner, True, info.owner
                )
            ]
            if info.owner
            else []
        )
        rows += [
            _grant_row(
                g.created_at, "USAGE", "ROLE", role, g.grantee_kind, g.grantee, False, g.granted_by
            )
            for g in security.role_grants(wh, role=role)
        ]
        return Rows(
            cols + (Column("granted_by_role_type", "TEXT"),),
            [r + ("ROLE",) for r in rows],
            ctx.statement_id,
        )
    grant_type, db, targets = _objects(ctx, kind, stmt.on_name)
    rows = []
    for object_id, owner, display, _ in targets:
        created = _created(db, grant_type, object_id)
        rows += _object_grant_rows(db, grant_type, object_id, owner, created, display)
    return Rows(
        cols + (Column("granted_by_role_type", "TEXT"),),
        [r + ("ROLE",) for r in rows],
        ctx.statement_id,
    )


def _cols(names: tuple[str, ...]) -> tuple[Column, ...]:
    return tuple(Column(n, "TIMESTAMP_LTZ" if n == "created_on" else "TEXT") for n in names)


def _created(db: Db, grant_type: str, object_id: int) -> datetime:
    if grant_type == "DATABASE":
        return db.info.created_at
    if grant_type == "SCHEMA":
        s = db.cat.get_schema_by_id(object_id)
        return s.created_at if s else db.info.created_at
    if grant_type in objects.KINDS:
        obj = objects.by_id(db.cat, object_id)
        return obj.created_at if obj else db.info.created_at
    t = db.cat.get_table_by_id(object_id)
    return t.created_at if t else db.info.created_at


def _grants_to_role(ctx: SnowflakeContext, role: str) -> list[tuple[object, ...]]:
    """Everything held by `role` directly: account privileges, roles, owned and granted
    objects in every live database."""
    wh = ctx.session.warehouse
    rows = [
        _grant_row(g[4], g[0], "ACCOUNT", security.ACCOUNT_NAME, "ROLE", role, g[2], g[3])
        for g in security.account_grants(wh, [role])
    ]
    rows += [
        _grant_row(g.created_at, "USAGE", "ROLE", g.role, "ROLE", role, False, g.granted_by)
        for g in security.role_grants(wh, grantee_kind="ROLE", grantee=role)
    ]
    for info in wh.list_databases():
        db = ctx.database(info.name, visible=False)
        if info.owner == role:
            rows.append(
                _grant_row(
                    info.created_at, "OWNERSHIP", "DATABASE", info.name, "ROLE", role, True, role
                )
            )
        schemas = {s.schema_id: s for s in db.cat.list_schemas()}
        for s in schemas.values():
            if s.owner == role:
                rows.append(
                    _grant_row(
                        s.created_at,
                        "OWNERSHIP",
                        "SCHEMA",
                        f"{info.name}.{s.name}",
                        "ROLE",
                        role,
                        True,
                        role,
                    )
                )
            for t in db.cat.tables_of_schema(s.schema_id):
                if t.owner == role:
                    rows.append(
                        _grant_row(
                            t.created_at,
                            "OWNERSHIP",
                            "TABLE",
                            f"{info.name}.{s.name}.{t.name}",
                            "ROLE",
                            role,
                            True,
                            role,
                        )
                    )
        for obj in objects.list_objects(db.cat):
            if obj.owner == role and obj.schema_id in schemas:
                rows.append(
                    _grant_row(
                        obj.created_at,
                        "OWNERSHIP",
                        obj.kind,
                        f"{info.name}.{schemas[obj.schema_id].name}.{obj.name}",
                        "ROLE",
                        role,
                        True,
                        role,
                    )
                )
        for g in catalog.grants_to(db.cat, [role]):
            name = _grant_name(db, schemas, g)
            if name is not None:
                rows.append(
                    _grant_row(
                        g.created_at,
                        g.privilege,
                        g.object_type,
                        name,
                        "ROLE",
                        role,
                        g.grant_option,
                        g.granted_by,
                    )
                )
    return rows


def _grant_name(db: Db, schemas: Mapping[int, object], g: Grant) -> str | None:
    if g.object_type == "DATABASE":
        return db.name
    if g.object_type == "SCHEMA":
        s = db.cat.get_schema_by_id(g.object_id)
        return f"{db.name}.{s.name}" if s and s.dropped_version is None else None
    if g.object_type in objects.KINDS:
        obj = objects.by_id(db.cat, g.object_id)
        if obj is None or obj.schema_id not in schemas:
            return None
        parent = db.cat.get_schema_by_id(obj.schema_id)
        return f"{db.name}.{parent.name}.{obj.name}" if parent else None
    t = db.cat.get_table_by_id(g.object_id)
    if t is None or t.dropped_version is not None or t.schema_id not in schemas:
        return None
    return f"{db.name}.{t.schema}.{t.name}"


def show_principals(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW ROLES / SHOW USERS [LIKE …]."""
    wh = ctx.session.warehouse
    spec: tuple[tuple[str, str], ...]
    rows: list[tuple[object, ...]] = []
    if stmt.kind == "ROLES":
        spec = (
            ("created_on", "TIMESTAMP_LTZ"),
            ("name", "TEXT"),
            ("is_default", "TEXT"),
            ("is_current", "TEXT"),
            ("is_inherited", "TEXT"),
            ("assigned_to_users", "NUMBER"),
            ("granted_to_roles", "NUMBER"),
            ("granted_roles", "NUMBER"),
            ("owner", "TEXT"),
            ("comment", "TEXT"),
        )
        user = security.get_user(wh, ctx.session.principal)
        grants = security.role_grants(wh)
        for r in security.list_roles(wh):
            if not matches(r.name, stmt.like, stmt.starts_with):
                continue
            rows.append(
                (
                    aware(r.created_at),
                    r.name,
                    "Y" if user is not None and user.default_role == r.name else "N",
                    "Y" if ctx.session.role == r.name else "N",
                    "Y" if r.name in ctx.auth.roles and r.name != ctx.session.role else "N",
                    sum(1 for g in grants if g.role == r.name and g.grantee_kind == "USER"),
                    sum(1 for g in grants if g.role == r.name and g.grantee_kind == "ROLE"),
                    sum(1 for g in grants if g.grantee_kind == "ROLE" and g.grantee == r.name),
                    r.owner,
                    r.comment,
                )
            )
        return Rows(tuple(Column(n, t) for n, t in spec), limit(rows, stmt.limit), ctx.statement_id)
    if stmt.kind == "USERS":
        spec = (
            ("name", "TEXT"),
            ("created_on", "TIMESTAMP_LTZ"),
            ("login_name", "TEXT"),
            ("display_name", "TEXT"),
            ("comment", "TEXT"),
            ("default_role", "TEXT"),
            ("owner", "TEXT"),
        )
        rows += [
            (u.name, aware(u.created_at), u.name, u.name, u.comment, u.default_role or "", u.owner)
            for u in security.list_users(wh)
            if matches(u.name, stmt.like, stmt.starts_with)
        ]
        return Rows(tuple(Column(n, t) for n, t in spec), limit(rows, stmt.limit), ctx.statement_id)
    raise UnsupportedError("unsupported", stmt.span, message=f"SHOW {stmt.kind}")
