"""Who may do what: principals, accounts, project membership, ACL actions, built-in roles.

MaxCompute rules (reference/maxcompute.md §3): the project owner may do everything; holders of the
built-in `super_administrator` or `admin` role may do everything (admin may not grant admin); a
table's owner has every action on it; anyone else needs to be a member of the project and hold
the action, directly or through a role. Every check runs before the statement changes anything.
"""

from __future__ import annotations

import re

from cloneshell.engine.core.catalog import ProjectCatalog, TableMeta
from cloneshell.engine.core.errors import EngineError, PrivilegeError
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.maxcompute import catalog
from cloneshell.grammar.errors import Span
from cloneshell.grammar.keywords import PROJECT_ACTIONS as PROJECT_ACTIONS
from cloneshell.grammar.keywords import TABLE_ACTIONS as TABLE_ACTIONS

ADMIN_ROLES = ("super_administrator", "admin")


# `ALIYUN$account`, `RAM$account:user`, `RAM$account:role/name` (maxcompute.md §3.1).
_PRINCIPAL = re.compile(r"(?P<provider>[A-Za-z]+)\$(?P<body>[^\s$]+)")


def canonical_principal(name: str) -> str:
    """The stored form of a principal: provider prefix upper case, the rest as written."""
    m = _PRINCIPAL.fullmatch(name)
    if not m:
        return name
    return f"{m['provider'].upper()}${m['body']}"


def validate_principal(name: str, span: Span | None = None) -> str:
    """Canonical form of a MaxCompute principal, or an error (pointing at `span`, the name in
    the statement) for a malformed one."""
    canon = canonical_principal(name)
    m = _PRINCIPAL.fullmatch(canon)
    ok = bool(m) and m is not None and m["provider"] in ("ALIYUN", "RAM")
    if ok and m is not None and m["provider"] == "RAM" and ":" not in m["body"]:
        ok = False
    if not ok or len(canon) > 256 or any(ord(c) < 32 for c in canon):
        shown = canon[:60].encode("unicode_escape").decode("ascii")
        raise EngineError(
            "invalid",
            span,
            message=f"invalid principal '{shown}': expected ALIYUN$<account> or "
            "RAM$<account>:<user>",
        )
    return canon


def account_of(principal: str) -> str:
    """The Alibaba Cloud account a principal belongs to (`RAM$a:u` -> `a`)."""
    m = _PRINCIPAL.fullmatch(principal)
    if not m:
        return principal
    body = m["body"]
    return body.split(":", 1)[0] if m["provider"] == "RAM" else body


def is_ram(principal: str) -> bool:
    """True for a RAM user or role (not an Alibaba Cloud account)."""
    return principal.upper().startswith("RAM$")


def canonical_action(action: str, allowed: tuple[str, ...]) -> str | None:
    """The documented spelling of an action name (case-insensitive), or None if unknown."""
    for a in allowed:
        if a.lower() == action.lower():
            return a
    return None


class Authorizer:
    """Privilege checks for one principal. Each `require_*` raises PrivilegeError on denial."""

    def __init__(self, principal: str) -> None:
        self.principal = principal

    def is_owner(self, info: ProjectInfo) -> bool:
        """The project's owner."""
        return self.principal == info.owner

    def is_admin(self, info: ProjectInfo, cat: ProjectCatalog) -> bool:
        """Owner, or holder of a built-in administrator role."""
        if self.is_owner(info):
            return True
        roles = catalog.roles_of(cat, self.principal)
        return any(r in roles for r in ADMIN_ROLES) and catalog.is_member(cat, self.principal)

    def require_member(self, info: ProjectInfo, cat: ProjectCatalog) -> None:
        """The principal must own or have been added to the project."""
        if not self.is_owner(info) and not catalog.is_member(cat, self.principal):
            raise PrivilegeError(
                "not_member",
                hint=f"{self.principal} must be added first (the owner of {info.name} runs "
                f"ADD USER); to work elsewhere, USE a project you belong to or start with -p",
                project=info.name,
            )

    def require_instance(self, info: ProjectInfo, cat: ProjectCatalog) -> None:
        """CreateInstance on the project where the statement's job runs."""
        self.require_member(info, cat)
        if self.is_admin(info, cat):
            return
        if not catalog.has_action(cat, self.principal, "PROJECT", info.name, "CreateInstance"):
            raise PrivilegeError("no_instance_privilege", project=info.name)

    def require_project_action(self, info: ProjectInfo, cat: ProjectCatalog, action: str) -> None:
        """A project-level action such as CreateTable or List."""
        self.require_member(info, cat)
        if self.is_admin(info, cat):
            return
        if not catalog.has_action(cat, self.principal, "PROJECT", info.name, action):
            raise PrivilegeError("no_privilege", action=action, resource=f"projects/{info.name}")

    def require_table_action(
        self, info: ProjectInfo, cat: ProjectCatalog, table: TableMeta, *actions: str
    ) -> None:
        """One of `actions` on a table (its owner holds them all)."""
        self.require_member(info, cat)
        if self.is_admin(info, cat) or table.owner == self.principal:
            return
        for action in actions:
            if catalog.has_action(cat, self.principal, "TABLE", table.name, action):
                return
        raise PrivilegeError(
            "no_privilege",
            action=actions[0],
            resource=f"projects/{info.name}/tables/{table.name}",
        )

    def require_admin(self, info: ProjectInfo, cat: ProjectCatalog, what: str) -> None:
        """Security administration: owner, super_administrator or admin."""
        self.require_member(info, cat)
        if not self.is_admin(info, cat):
            raise PrivilegeError(
                "denied",
                message=f"Authorization Failed [4019], You have NO privilege to {what} in project "
                f"{info.name}: only the project owner, super_administrator or admin may.",
            )
