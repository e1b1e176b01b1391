"""Users, roles and grants: ADD/REMOVE USER, CREATE/DROP ROLE, GRANT/REVOKE, SHOW GRANTS, LIST.

MaxCompute rules (reference/maxcompute.md §3.2-3.3): only the owner, super_administrator or admin
administer security (admin may not grant admin); only RAM users of the project owner's own
account may be added, Alibaba Cloud accounts of any account may; a grantee must already be a
member; REMOVE USER needs the user's roles revoked first and keeps their grants, which return if
the user is added again.
"""

from __future__ import annotations

from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.engine.core.errors import EngineError, PrivilegeError, UnsupportedError
from cloneshell.engine.core.result import Status, Text
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.maxcompute import catalog
from cloneshell.engine.maxcompute.catalog import Grant
from cloneshell.engine.maxcompute.context import MaxComputeContext
from cloneshell.engine.maxcompute.security import (
    ADMIN_ROLES,
    PROJECT_ACTIONS,
    TABLE_ACTIONS,
    account_of,
    canonical_action,
    validate_principal,
)
from cloneshell.grammar import ast


def _admin(ctx: MaxComputeContext, what: str) -> tuple[ProjectInfo, ProjectCatalog]:
    info, cat = ctx.current_project()
    ctx.auth.require_admin(info, cat, what)
    return info, cat


def _security_error(message: str, span: ast.Span | None = None) -> EngineError:
    return EngineError("security", span, message=message)


def add_user(ctx: MaxComputeContext, stmt: ast.AddUser) -> Status:
    """ADD USER: an account of any Alibaba Cloud account, or a RAM user of the owner's."""
    info, cat = _admin(ctx, "add users")
    who = validate_principal(stmt.principal.name, stmt.principal.span)
    if who.startswith("RAM$") and account_of(who) != account_of(info.owner):
        raise _security_error(
            f"RAM user {who} belongs to account {account_of(who)}; only RAM users of the project "
            f"owner's account ({account_of(info.owner)}) can be added",
            stmt.principal.span,
        )
    if who == info.owner or catalog.is_member(cat, who):
        raise _security_error(
            f"user {who} already exists in project {info.name}", stmt.principal.span
        )
    with ctx.write(info, cat, "ADD USER"):
        catalog.set_member(cat, who, True, ctx.now, stmt.comment or "")
    ctx.session.warehouse.remember_principal(who, ctx.now)
    return Status(ctx.session.dialect.ok_message)


def remove_user(ctx: MaxComputeContext, stmt: ast.RemoveUser) -> Status:
    """REMOVE USER: grants are kept (they return on a re-add), roles must be revoked first."""
    info, cat = _admin(ctx, "remove users")
    span = stmt.principal.span
    who = validate_principal(stmt.principal.name, span)
    if who == info.owner:
        raise _security_error(f"the project owner {who} cannot be removed", span)
    if not catalog.is_member(cat, who):
        raise _security_error(f"user {who} does not exist in project {info.name}", span)
    roles = catalog.roles_of(cat, who)
    if roles:
        raise _security_error(
            f"user {who} still has roles ({', '.join(roles)}): revoke them before REMOVE USER",
            span,
        )
    with ctx.write(info, cat, "REMOVE USER"):
        catalog.set_member(cat, who, False, ctx.now)
    return Status(ctx.session.dialect.ok_message)


def _role_name(ctx: MaxComputeContext, ident: ast.Ident) -> str:
    name = ctx.fold(ident)
    if not name or len(name) > 128 or not name.replace("_", "").isalnum():
        raise _security_error(f"invalid role name '{name[:60]}'", ident.span)
    return name


def create_role(ctx: MaxComputeContext, stmt: ast.CreateRole) -> Status:
    """CREATE ROLE r."""
    info, cat = _admin(ctx, "create roles")
    name = _role_name(ctx, stmt.name)
    if name in ADMIN_ROLES or catalog.role_exists(cat, name):
        if stmt.if_not_exists:
            return Status(ctx.session.dialect.ok_message)
        raise _security_error(f"role {name} already exists in project {info.name}", stmt.name.span)
    with ctx.write(info, cat, "CREATE ROLE"):
        catalog.create_role(cat, name, ctx.now)
    return Status(ctx.session.dialect.ok_message)


def drop_role(ctx: MaxComputeContext, stmt: ast.DropRole) -> Status:
    """DROP ROLE r (a built-in role cannot be dropped, nor a role some user holds)."""
    info, cat = _admin(ctx, "drop roles")
    name = _role_name(ctx, stmt.name)
    if name in ADMIN_ROLES:
        raise _security_error(f"built-in role {name} cannot be dropped", stmt.name.span)
    if not catalog.role_exists(cat, name):
        if stmt.if_exists:
            return Status(ctx.session.dialect.ok_message)
        raise _security_error(f"role {name} does not exist in project {info.name}", stmt.name.span)
    holders = catalog.role_members(cat, name)
    if holders:
        # "Before deleting a role, make sure no users are assigned to it" (DROP ROLE docs).
        raise _security_error(
            f"role {name} is still granted to {', '.join(holders)}: revoke it from every user "
            "before dropping it",
            stmt.name.span,
        )
    with ctx.write(info, cat, "DROP ROLE"):
        catalog.drop_role(cat, name)
    return Status(ctx.session.dialect.ok_message)


def _grantee_member(cat: ProjectCatalog, info: ProjectInfo, principal: ast.Principal) -> str:
    who = validate_principal(principal.name, principal.span)
    if who != info.owner and not catalog.is_member(cat, who):
        raise PrivilegeError("not_member", principal.span, project=info.name)
    return who


def _roles(
    ctx: MaxComputeContext, info: ProjectInfo, cat: ProjectCatalog, idents: tuple[ast.Ident, ...]
) -> list[str]:
    names = []
    for ident in idents:
        name = _role_name(ctx, ident)
        if name not in ADMIN_ROLES and not catalog.role_exists(cat, name):
            raise _security_error(f"role {name} does not exist in project {info.name}", ident.span)
        if name in ADMIN_ROLES and not ctx.auth.is_owner(info):
            # Only the owner grants the built-in administrator roles (maxcompute.md §3.5).
            raise PrivilegeError(
                "denied",
                ident.span,
                message=f"Authorization Failed [4019], only the owner of project {info.name} "
                f"may grant or revoke role {name}.",
            )
        names.append(name)
    return names


def grant_roles(ctx: MaxComputeContext, stmt: ast.GrantRoles) -> Status:
    """GRANT role[, role] TO principal."""
    info, cat = _admin(ctx, "grant roles")
    roles = _roles(ctx, info, cat, stmt.roles)
    who = _grantee_member(cat, info, stmt.grantee)
    with ctx.write(info, cat, "GRANT ROLE"):
        for role in roles:
            catalog.grant_role(cat, role, who)
    return Status(ctx.session.dialect.ok_message)


def revoke_roles(ctx: MaxComputeContext, stmt: ast.RevokeRoles) -> Status:
    """REVOKE role[, role] FROM principal."""
    info, cat = _admin(ctx, "revoke roles")
    roles = _roles(ctx, info, cat, stmt.roles)
    who = validate_principal(stmt.grantee.name, stmt.grantee.span)
    with ctx.write(info, cat, "REVOKE ROLE"):
        for role in roles:
            catalog.revoke_role(cat, role, who)
    return Status(ctx.session.dialect.ok_message)


def _grants(
    ctx: MaxComputeContext, stmt: ast.GrantPrivileges | ast.RevokePrivileges
) -> tuple[ProjectInfo, ProjectCatalog, list[Grant]]:
    """The ACL entries a GRANT/REVOKE names, after every check."""
    if stmt.columns:
        raise UnsupportedError(
            "unsupported",
            stmt.columns[0].span,
            message="column-level grants (ON TABLE t (column, …)): grant on the table",
        )
    if stmt.object_type == "PROJECT":
        if len(stmt.object_name.parts) != 1:
            raise _security_error("a project name has one part", stmt.object_name.span)
        info, cat = ctx.project(ctx.fold(stmt.object_name.parts[0]), stmt.object_name.span)
        object_name, allowed = info.name, PROJECT_ACTIONS  # type: tuple[str, tuple[str, ...]]
    elif stmt.object_type == "TABLE":
        target = ctx.require_table(stmt.object_name)
        info, cat = target.info, target.cat
        object_name, allowed = target.name, TABLE_ACTIONS
    else:
        raise _security_error(
            f"object type {stmt.object_type} is not supported (use PROJECT or TABLE)",
            stmt.object_name.span,
        )
    ctx.auth.require_admin(info, cat, "grant privileges")
    actions = []
    for action in stmt.actions:
        canon = canonical_action(action, allowed)
        if canon is None:
            raise _security_error(
                f"invalid privilege '{action}' for {stmt.object_type.lower()}: expected one of "
                + ", ".join(allowed),
                stmt.span,
            )
        actions.append(canon)
    if stmt.grantee_kind == "ROLE":
        grantee = _role_name(ctx, ast.Ident(name=stmt.grantee.name, span=stmt.grantee.span))
        if not catalog.role_exists(cat, grantee) and grantee not in ADMIN_ROLES:
            raise _security_error(
                f"role {grantee} does not exist in project {info.name}", stmt.grantee.span
            )
    elif isinstance(stmt, ast.GrantPrivileges):
        grantee = _grantee_member(cat, info, stmt.grantee)
    else:
        grantee = validate_principal(stmt.grantee.name, stmt.grantee.span)
    grants = [Grant(stmt.grantee_kind, grantee, stmt.object_type, object_name, a) for a in actions]
    return info, cat, grants


def grant_privileges(ctx: MaxComputeContext, stmt: ast.GrantPrivileges) -> Status:
    """GRANT actions ON PROJECT|TABLE name TO USER|ROLE who."""
    info, cat, grants = _grants(ctx, stmt)
    with ctx.write(info, cat, "GRANT"):
        for g in grants:
            catalog.grant(cat, g)
    return Status(ctx.session.dialect.ok_message)


def revoke_privileges(ctx: MaxComputeContext, stmt: ast.RevokePrivileges) -> Status:
    """REVOKE actions ON PROJECT|TABLE name FROM USER|ROLE who."""
    info, cat, grants = _grants(ctx, stmt)
    with ctx.write(info, cat, "REVOKE"):
        for g in grants:
            catalog.revoke(cat, g)
    return Status(ctx.session.dialect.ok_message)


def _acl_lines(info: ProjectInfo, grants: list[Grant]) -> list[str]:
    """`A       projects/p[/tables/t]: Action | Action` lines, one per object."""
    by_object: dict[str, list[str]] = {}
    for g in grants:
        path = f"projects/{info.name}" + (
            f"/tables/{g.object_name}" if g.object_type == "TABLE" else ""
        )
        by_object.setdefault(path, []).append(g.action)
    return [f"A       {path}: {' | '.join(actions)}" for path, actions in by_object.items()]


def show_grants(ctx: MaxComputeContext, stmt: ast.ShowGrants) -> Text:
    """SHOW GRANTS [FOR [USER] p | FOR ROLE r] in the current project (maxcompute.md §2.3)."""
    info, cat = ctx.current_project()
    ctx.auth.require_member(info, cat)
    lines: list[str] = []
    if stmt.for_kind == "ROLE":
        assert stmt.for_name is not None
        ctx.auth.require_admin(info, cat, "show the grants of a role")
        role = _role_name(ctx, ast.Ident(name=stmt.for_name.name, span=stmt.for_name.span))
        if not catalog.role_exists(cat, role) and role not in ADMIN_ROLES:
            raise _security_error(
                f"role {role} does not exist in project {info.name}", stmt.for_name.span
            )
        lines += ["Authorization Type: ACL", f"[role/{role}]"]
        lines += _acl_lines(info, catalog.grants_for(cat, "ROLE", role))
        return Text(tuple(lines), ctx.statement_id)
    who = ctx.auth.principal
    if stmt.for_name is not None:
        who = validate_principal(stmt.for_name.name, stmt.for_name.span)
        if who != ctx.auth.principal:
            ctx.auth.require_admin(info, cat, "show another user's grants")
    roles = catalog.roles_of(cat, who)
    if who == info.owner:
        roles = ["owner", *roles]
    lines += ["[roles]", *([", ".join(roles)] if roles else []), "", "Authorization Type: ACL"]
    lines.append(f"[user/{who}]")
    lines += _acl_lines(info, catalog.grants_for(cat, "USER", who))
    for role in roles:
        if role != "owner":
            lines.append(f"[role/{role}]")
            lines += _acl_lines(info, catalog.grants_for(cat, "ROLE", role))
    return Text(tuple(lines), ctx.statement_id)


def list_users(ctx: MaxComputeContext, stmt: ast.ListUsers) -> Text:
    """LIST USERS: the project's members, one per line (owner first)."""
    info, cat = ctx.current_project()
    ctx.auth.require_member(info, cat)
    members = [m for m in catalog.list_members(cat) if m != info.owner]
    return Text((info.owner, *members), ctx.statement_id)


def list_roles(ctx: MaxComputeContext, stmt: ast.ListRoles) -> Text:
    """LIST ROLES: built-in then user-created roles."""
    info, cat = ctx.current_project()
    ctx.auth.require_member(info, cat)
    return Text((*ADMIN_ROLES, *catalog.list_roles(cat)), ctx.statement_id)


def describe_role(ctx: MaxComputeContext, stmt: ast.DescribeRole) -> Text:
    """DESC ROLE r: `[users]` and the role's members, then its ACL as SHOW GRANTS FOR ROLE
    prints it (maxcompute.md §2.3); needs the project's admin rights."""
    info, cat = ctx.current_project()
    ctx.auth.require_member(info, cat)
    ctx.auth.require_admin(info, cat, "describe a role")
    role = _role_name(ctx, stmt.role)
    if not catalog.role_exists(cat, role) and role not in ADMIN_ROLES:
        raise _security_error(f"role {role} does not exist in project {info.name}", stmt.role.span)
    lines = ["[users]", *catalog.members_of(cat, role), "", "Authorization Type: ACL"]
    lines += _acl_lines(info, catalog.grants_for(cat, "ROLE", role))
    return Text(tuple(lines), ctx.statement_id)


def show_acl(ctx: MaxComputeContext, stmt: ast.ShowAcl) -> Text:
    """SHOW ACL FOR t [ON TYPE table]: each user's and role's actions on the table; needs the
    project's admin rights."""
    if stmt.object_type != "TABLE":
        raise UnsupportedError(
            "unsupported", stmt.span, message=f"SHOW ACL on type {stmt.object_type.lower()}"
        )
    target = ctx.require_table(stmt.name)
    info, cat = target.info, target.cat
    ctx.auth.require_admin(info, cat, "show the ACL of an object")
    by_grantee: dict[tuple[str, str], list[Grant]] = {}
    for g in catalog.grants_on(cat, "TABLE", target.name):
        by_grantee.setdefault((g.grantee_kind, g.grantee), []).append(g)
    lines = ["Authorization Type: ACL"]
    for (kind, grantee), grants in by_grantee.items():
        lines.append(f"[{kind.lower()}/{grantee}]")
        lines += _acl_lines(info, grants)
    return Text(tuple(lines), ctx.statement_id)


def change_owner(ctx: MaxComputeContext, stmt: ast.AlterChangeOwner) -> Status:
    """ALTER TABLE|VIEW t CHANGEOWNER TO 'who': the project owner gives the table to a member of
    the project (DESC's Owner)."""
    target = ctx.require_table(stmt.table)
    table = target.table
    assert table is not None
    info, cat = target.info, target.cat
    ctx.auth.require_member(info, cat)
    if not ctx.auth.is_owner(info):
        raise PrivilegeError(
            "denied",
            stmt.span,
            message=f"Authorization Failed [4019], You have NO privilege to change the owner of "
            f"{target.display}: only the owner of project {info.name} can",
        )
    who = _grantee_member(cat, info, stmt.owner)
    with ctx.write(info, cat, "CHANGEOWNER"):
        cat.update_table(table.table_id, owner=who, ddl_at=ctx.now)
    return Status(ctx.session.dialect.ok_message)
