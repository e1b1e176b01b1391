"""Snowflake access control: users, roles, the role hierarchy, account privileges, and the checks
on databases, schemas and tables (reference/snowflake.md §6).

Account-level objects live in warehouse.duckdb (users, roles, role grants, account privileges);
object privileges live in each database's file (`__cs.sf_grants`) and ownership in the objects'
`owner` column, so a database or schema clone carries its children's grants.

Model (docs "Overview of Access Control"): a session acts through its current role and every role
that role inherits (roles granted to it, recursively), plus PUBLIC, which every role has. System
roles: ACCOUNTADMIN inherits SYSADMIN and SECURITYADMIN; SECURITYADMIN inherits USERADMIN;
SYSADMIN holds CREATE DATABASE; USERADMIN CREATE USER and CREATE ROLE; SECURITYADMIN MANAGE
GRANTS. An object's owner role holds every privilege on it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import field
from datetime import datetime

from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import EngineError, PrivilegeError
from cloneshell.engine.core.warehouse import WAREHOUSE_ALIAS, Warehouse
from cloneshell.engine.snowflake import catalog
from cloneshell.grammar.records import record

W = WAREHOUSE_ALIAS
DEFAULT_USER = "CLONESHELL"
ACCOUNT_NAME = "CLONESHELL"
ADMIN_ROLE = "ACCOUNTADMIN"
PUBLIC_ROLE = "PUBLIC"
SYSTEM_ROLES = ("ACCOUNTADMIN", "ORGADMIN", "PUBLIC", "SECURITYADMIN", "SYSADMIN", "USERADMIN")
# (role, parent): the parent inherits the role.
_SYSTEM_HIERARCHY = (
    ("SYSADMIN", "ACCOUNTADMIN"),
    ("SECURITYADMIN", "ACCOUNTADMIN"),
    ("USERADMIN", "SECURITYADMIN"),
)
_SYSTEM_ACCOUNT_PRIVILEGES = (
    ("CREATE DATABASE", "SYSADMIN"),
    ("CREATE WAREHOUSE", "SYSADMIN"),
    ("CREATE ROLE", "USERADMIN"),
    ("CREATE USER", "USERADMIN"),
    ("MANAGE GRANTS", "SECURITYADMIN"),
)
_SYSTEM_COMMENTS = {
    "ACCOUNTADMIN": "Account administrator can manage all aspects of the account.",
    "ORGADMIN": "Organization administrator can manage organizations and accounts.",
    "PUBLIC": "Public role is automatically available to every user in the account.",
    "SECURITYADMIN": "Security administrator can manage security aspects of the account.",
    "SYSADMIN": "System administrator can create and manage databases and warehouses.",
    "USERADMIN": "User administrator can create and manage users and roles",
}

# Privileges by object type (snowflake.md §6.2), plus OWNERSHIP.
DATABASE_PRIVILEGES = (
    "USAGE",
    "MONITOR",
    "MODIFY",
    "CREATE SCHEMA",
    "CREATE DATABASE ROLE",
    "IMPORTED PRIVILEGES",
    "APPLYBUDGET",
)
SCHEMA_PRIVILEGES = (
    "USAGE",
    "MODIFY",
    "MONITOR",
    "ADD SEARCH OPTIMIZATION",
    "CREATE TABLE",
    "CREATE VIEW",
    "CREATE STAGE",
    "CREATE PIPE",
    "CREATE STREAM",
    "CREATE TASK",
    "CREATE SEQUENCE",
    "CREATE FILE FORMAT",
    "CREATE FUNCTION",
    "CREATE PROCEDURE",
    "CREATE ALERT",
)
TABLE_PRIVILEGES = (
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "EVOLVE SCHEMA",
    "APPLYBUDGET",
)
ACCOUNT_PRIVILEGES = (
    "CREATE DATABASE",
    "CREATE WAREHOUSE",
    "CREATE ROLE",
    "CREATE USER",
    "MANAGE GRANTS",
    "CREATE INTEGRATION",
    "EXECUTE TASK",
    "MONITOR USAGE",
)
PRIVILEGES = {
    "DATABASE": DATABASE_PRIVILEGES,
    "SCHEMA": SCHEMA_PRIVILEGES,
    "TABLE": TABLE_PRIVILEGES,
    "ACCOUNT": ACCOUNT_PRIVILEGES,
    # Internal stages READ and WRITE, external ones USAGE; streams SELECT; pipes and tasks
    # MONITOR and OPERATE (snowflake.md §6.2).
    "STAGE": ("USAGE", "READ", "WRITE"),
    "STREAM": ("SELECT",),
    "PIPE": ("MONITOR", "OPERATE"),
    "TASK": ("MONITOR", "OPERATE"),
}

# Unquoted Snowflake identifiers: a letter or `_`, then letters, digits, `_` or `$`.
_UNQUOTED = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
MAX_NAME = 255


def check_identifier(name: str, what: str = "identifier") -> str:
    """A stored Snowflake name: at most 255 characters, no NUL or control characters."""
    if not name or len(name) > MAX_NAME or any(ord(c) < 32 for c in name):
        shown = name[:60].encode("unicode_escape").decode("ascii")
        raise EngineError(
            "invalid", message=f"invalid {what} '{shown}': use 1-255 printable characters"
        )
    return name


def user_name(text: str) -> str:
    """The stored name of a user as typed at `--user` / `\\login`: unquoted names fold to upper
    case, `"quoted"` ones keep their case."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return check_identifier(text[1:-1].replace('""', '"'), "user name")
    if not _UNQUOTED.fullmatch(text):
        shown = text[:60].encode("unicode_escape").decode("ascii")
        raise EngineError(
            "invalid",
            message=f"invalid user name '{shown}': use letters, digits, _ or $ (or \"quote\" it)",
        )
    return check_identifier(text.upper(), "user name")


# ---------------------------------------------------------------------------- account objects


def ensure_account(wh: Warehouse, now: datetime) -> None:
    """Create the system roles, their hierarchy and privileges on first Snowflake use."""
    wh.attach_warehouse()
    found = wh.con.execute(f"SELECT count(*) FROM {W}.sf_roles").fetchone()
    if found and found[0]:
        return
    with wh.registry_transaction():
        for role in SYSTEM_ROLES:
            wh.con.execute(
                f"INSERT OR IGNORE INTO {W}.sf_roles VALUES (?, '', ?, ?)",
                [role, _SYSTEM_COMMENTS[role], now],
            )
        for role, parent in _SYSTEM_HIERARCHY:
            wh.con.execute(
                f"INSERT OR IGNORE INTO {W}.sf_role_grants VALUES (?, 'ROLE', ?, '', ?)",
                [role, parent, now],
            )
        for privilege, role in _SYSTEM_ACCOUNT_PRIVILEGES:
            wh.con.execute(
                f"INSERT OR IGNORE INTO {W}.sf_account_grants VALUES (?, ?, false, '', ?)",
                [privilege, role, now],
            )


def ensure_user(wh: Warehouse, name: str, now: datetime) -> None:
    """Make sure a user exists. Identities are simulated (anyone may act as any user); the first
    user of a warehouse is its account administrator (ACCOUNTADMIN, its default role), later
    ones start with PUBLIC only, until an administrator grants them roles."""
    if get_user(wh, name) is not None:
        return
    with wh.registry_transaction():
        if get_user(wh, name) is not None:  # made meanwhile, before this process could write
            return
        first = wh.con.execute(f"SELECT count(*) FROM {W}.sf_users").fetchone()
        is_first = not (first and first[0])
        wh.con.execute(
            f"INSERT INTO {W}.sf_users VALUES (?, ?, '', ?, ?)",
            [name, ADMIN_ROLE if is_first else None, now, ADMIN_ROLE if is_first else "USERADMIN"],
        )
        if is_first:
            grant_role(wh, ADMIN_ROLE, "USER", name, "", now)


@record(frozen=True, slots=True)
class UserInfo:
    """A Snowflake user."""

    name: str
    default_role: str | None
    comment: str
    created_at: datetime
    owner: str


def get_user(wh: Warehouse, name: str) -> UserInfo | None:
    """A user by exact name."""
    wh.attach_warehouse()
    row = wh.con.execute(f"SELECT * FROM {W}.sf_users WHERE name = ?", [name]).fetchone()
    return UserInfo(*row) if row else None


def list_users(wh: Warehouse) -> list[UserInfo]:
    """Every user by name."""
    wh.attach_warehouse()
    rows = wh.con.execute(f"SELECT * FROM {W}.sf_users ORDER BY name").fetchall()
    return [UserInfo(*r) for r in rows]


def create_user(
    wh: Warehouse,
    name: str,
    default_role: str | None,
    comment: str,
    owner: str,
    now: datetime,
    password: str | None = None,
) -> None:
    """Add a user (replacing one of the same name), with a password to log in with (kept as a
    salted PBKDF2 digest) or none (any password is accepted)."""
    with wh.registry_transaction():
        wh.con.execute(f"DELETE FROM {W}.sf_users WHERE name = ?", [name])
        wh.con.execute(f"DELETE FROM {W}.sf_user_passwords WHERE name = ?", [name])
        wh.con.execute(
            f"INSERT INTO {W}.sf_users VALUES (?, ?, ?, ?, ?)",
            [name, default_role, comment, now, owner],
        )
        if password is not None:
            salt = secrets.token_hex(16)
            wh.con.execute(
                f"INSERT INTO {W}.sf_user_passwords VALUES (?, ?, ?)",
                [name, salt, _digest(password, salt)],
            )


def check_password(wh: Warehouse, name: str, password: str) -> bool:
    """Whether `password` lets user `name` log in: the one it was created with, or any when it
    was created without one (identities are simulated)."""
    wh.attach_warehouse()
    row = wh.con.execute(
        f"SELECT salt, digest FROM {W}.sf_user_passwords WHERE name = ?", [name]
    ).fetchone()
    return row is None or hmac.compare_digest(_digest(password, row[0]), row[1])


def _digest(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 50_000).hex()


def drop_user(wh: Warehouse, name: str) -> None:
    """Remove a user, its password and the roles granted to it."""
    with wh.registry_transaction():
        wh.con.execute(f"DELETE FROM {W}.sf_users WHERE name = ?", [name])
        wh.con.execute(f"DELETE FROM {W}.sf_user_passwords WHERE name = ?", [name])
        wh.con.execute(
            f"DELETE FROM {W}.sf_role_grants WHERE grantee_kind = 'USER' AND grantee = ?", [name]
        )


@record(frozen=True, slots=True)
class RoleInfo:
    """A Snowflake role."""

    name: str
    owner: str
    comment: str
    created_at: datetime


def get_role(wh: Warehouse, name: str) -> RoleInfo | None:
    """A role by exact name."""
    wh.attach_warehouse()
    row = wh.con.execute(f"SELECT * FROM {W}.sf_roles WHERE name = ?", [name]).fetchone()
    return RoleInfo(row[0], row[1], row[2] or "", row[3]) if row else None


def list_roles(wh: Warehouse) -> list[RoleInfo]:
    """Every role by name."""
    wh.attach_warehouse()
    rows = wh.con.execute(f"SELECT * FROM {W}.sf_roles ORDER BY name").fetchall()
    return [RoleInfo(r[0], r[1], r[2] or "", r[3]) for r in rows]


def create_role(wh: Warehouse, name: str, owner: str, comment: str, now: datetime) -> None:
    """Add a role owned by `owner` (replacing one of the same name)."""
    with wh.registry_transaction():
        wh.con.execute(f"DELETE FROM {W}.sf_roles WHERE name = ?", [name])
        wh.con.execute(f"INSERT INTO {W}.sf_roles VALUES (?, ?, ?, ?)", [name, owner, comment, now])


def drop_role(wh: Warehouse, name: str, heir: str) -> None:
    """Remove a role, its grants to and from other roles and users, and its account grants;
    what it owned (roles, users, databases) passes to `heir`, the role dropping it
    (Snowflake's DROP ROLE). The objects inside each database: `release_role`."""
    with wh.registry_transaction():
        wh.con.execute(f"DELETE FROM {W}.sf_roles WHERE name = ?", [name])
        wh.con.execute(
            f"DELETE FROM {W}.sf_role_grants "
            "WHERE role = ? OR (grantee_kind = 'ROLE' AND grantee = ?)",
            [name, name],
        )
        wh.con.execute(f"DELETE FROM {W}.sf_account_grants WHERE role = ?", [name])
        for table in ("sf_roles", "sf_users", "databases"):
            wh.con.execute(f"UPDATE {W}.{table} SET owner = ? WHERE owner = ?", [heir, name])


def holds_in_database(cat: ProjectCatalog, name: str) -> bool:
    """Whether a role holds a grant or owns a schema, table or object in one database."""
    m = cat.meta_schema
    row = cat.con.execute(
        f"SELECT EXISTS (SELECT 1 FROM {m}.sf_grants WHERE role = $1) "
        f"OR EXISTS (SELECT 1 FROM {m}.schemas WHERE owner = $1) "
        f"OR EXISTS (SELECT 1 FROM {m}.tables WHERE owner = $1) "
        f"OR EXISTS (SELECT 1 FROM {m}.sf_objects WHERE owner = $1)",
        [name],
    ).fetchone()
    return bool(row and row[0])


def release_role(cat: ProjectCatalog, name: str, heir: str) -> None:
    """A dropped role in one database: its grants go, what it owned passes to `heir`."""
    m = cat.meta_schema
    cat.con.execute(f"DELETE FROM {m}.sf_grants WHERE role = ?", [name])
    for table in ("schemas", "tables", "sf_objects"):
        cat.con.execute(f"UPDATE {m}.{table} SET owner = ? WHERE owner = ?", [heir, name])


def set_role_owner(wh: Warehouse, name: str, owner: str) -> None:
    """Transfer a role's ownership."""
    with wh.registry_transaction():
        wh.con.execute(f"UPDATE {W}.sf_roles SET owner = ? WHERE name = ?", [owner, name])


def grant_role(
    wh: Warehouse, role: str, grantee_kind: str, grantee: str, granted_by: str, now: datetime
) -> None:
    """Grant `role` to a user or a role (idempotent)."""
    with wh.registry_transaction():
        wh.con.execute(
            f"INSERT OR IGNORE INTO {W}.sf_role_grants VALUES (?, ?, ?, ?, ?)",
            [role, grantee_kind, grantee, granted_by, now],
        )


def revoke_role(wh: Warehouse, role: str, grantee_kind: str, grantee: str) -> None:
    """Revoke `role` from a user or a role."""
    with wh.registry_transaction():
        wh.con.execute(
            f"DELETE FROM {W}.sf_role_grants WHERE role = ? AND grantee_kind = ? AND grantee = ?",
            [role, grantee_kind, grantee],
        )


@record(frozen=True, slots=True)
class RoleGrant:
    """`role` granted to a user or role."""

    role: str
    grantee_kind: str
    grantee: str
    granted_by: str
    created_at: datetime


def role_grants(
    wh: Warehouse,
    *,
    role: str | None = None,
    grantee_kind: str | None = None,
    grantee: str | None = None,
) -> list[RoleGrant]:
    """Role grants filtered by any of role / grantee."""
    wh.attach_warehouse()
    where, params = ["TRUE"], []
    for col, value in (("role", role), ("grantee_kind", grantee_kind), ("grantee", grantee)):
        if value is not None:
            where.append(f"{col} = ?")
            params.append(value)
    rows = wh.con.execute(
        f"SELECT * FROM {W}.sf_role_grants WHERE {' AND '.join(where)} "
        "ORDER BY role, grantee_kind, grantee",
        params,
    ).fetchall()
    return [RoleGrant(*r) for r in rows]


def inherited_roles(wh: Warehouse, role: str) -> list[str]:
    """`role` and every role it inherits, recursively, plus PUBLIC (sorted, `role` first)."""
    wh.attach_warehouse()
    edges = wh.lookups.rows(
        W, f"SELECT grantee, role FROM {W}.sf_role_grants WHERE grantee_kind = 'ROLE'"
    )
    return [role, *sorted(_closure({role}, edges) - {role} | {PUBLIC_ROLE})]


def _closure(start: set[str], edges: list[tuple[str, str]]) -> set[str]:
    """Everything reachable from `start` along (holder, held) edges."""
    held: dict[str, list[str]] = {}
    for holder, role in edges:
        held.setdefault(holder, []).append(role)
    seen = set(start)
    todo = list(start)
    while todo:
        for r in held.get(todo.pop(), ()):
            if r not in seen:
                seen.add(r)
                todo.append(r)
    return seen


def user_roles(wh: Warehouse, user: str) -> list[str]:
    """Every role a user may activate: roles granted to it, what they inherit, and PUBLIC."""
    wh.attach_warehouse()
    rows = wh.con.execute(f"SELECT grantee_kind, grantee, role FROM {W}.sf_role_grants").fetchall()
    direct = {r[2] for r in rows if r[0] == "USER" and r[1] == user}
    edges = [(r[1], r[2]) for r in rows if r[0] == "ROLE"]
    return sorted(_closure(direct, edges) | {PUBLIC_ROLE})


def account_grants(
    wh: Warehouse, roles: list[str] | None = None
) -> list[tuple[str, str, bool, str, datetime]]:
    """(privilege, role, grant_option, granted_by, created_at) account grants, optionally of
    some roles only."""
    wh.attach_warehouse()
    sql = f"SELECT * FROM {W}.sf_account_grants"
    params: list[object] = []
    if roles is not None:
        if not roles:
            return []
        sql += f" WHERE role IN ({', '.join('?' for _ in roles)})"
        params = list(roles)
    rows = wh.lookups.rows(W, sql + " ORDER BY privilege, role", params)
    return [(str(r[0]), str(r[1]), bool(r[2]), str(r[3]), r[4]) for r in rows]


def grant_account(
    wh: Warehouse, privilege: str, role: str, option: bool, granted_by: str, now: datetime
) -> None:
    """Grant an account privilege to a role."""
    with wh.registry_transaction():
        wh.con.execute(
            f"INSERT INTO {W}.sf_account_grants VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
            "grant_option = excluded.grant_option OR grant_option",
            [privilege, role, option, granted_by, now],
        )


def revoke_account(wh: Warehouse, privilege: str, role: str) -> None:
    """Revoke an account privilege from a role."""
    with wh.registry_transaction():
        wh.con.execute(
            f"DELETE FROM {W}.sf_account_grants WHERE privilege = ? AND role = ?", [privilege, role]
        )


# ---------------------------------------------------------------------------- checks


@record
class Authorizer:
    """One statement's view of what the session's current role may do."""

    wh: Warehouse
    user: str
    role: str
    roles: list[str] = field(default_factory=list)
    account: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, wh: Warehouse, user: str, role: str) -> Authorizer:
        """Read the role hierarchy and account privileges once for a statement."""
        try:
            roles = inherited_roles(wh, role)
            account = {g[0] for g in account_grants(wh, roles)}
        except duckdb.CatalogException:  # a registry without Snowflake tables
            roles, account = [role, PUBLIC_ROLE], set()
        return cls(wh, user, role, roles, account)

    @property
    def principal(self) -> str:
        """The user, as the commit log records it."""
        return self.user

    def owns(self, owner: str) -> bool:
        """True if the current role is, or inherits, the owner role."""
        return owner in self.roles

    def has_account(self, privilege: str) -> bool:
        """An account privilege (CREATE DATABASE, MANAGE GRANTS, ...)."""
        return privilege in self.account

    def has(
        self,
        cat: ProjectCatalog,
        object_type: str,
        object_id: int,
        owner: str,
        privileges: tuple[str, ...] = (),
    ) -> bool:
        """Owner, or any of `privileges` (any privilege at all when empty) through the roles."""
        if self.owns(owner):
            return True
        return catalog.has_grant(cat, object_type, object_id, self.roles, list(privileges))

    def require(
        self,
        cat: ProjectCatalog,
        object_type: str,
        object_id: int,
        owner: str,
        privileges: tuple[str, ...],
        name: str,
    ) -> None:
        """`003001 Insufficient privileges to operate on <type> '<name>'` unless `has`."""
        if not self.has(cat, object_type, object_id, owner, privileges):
            raise PrivilegeError("no_privilege", object_type=object_type.lower(), name=name)

    def require_owner(self, owner: str, object_type: str, name: str) -> None:
        """OWNERSHIP on an object (DROP, UNDROP, ALTER; snowflake.md §6.3)."""
        if not self.owns(owner):
            raise PrivilegeError("no_privilege", object_type=object_type.lower(), name=name)

    def require_owner_seen(
        self,
        cat: ProjectCatalog,
        object_type: str,
        object_id: int,
        owner: str,
        name: str,
        missing: EngineError,
    ) -> None:
        """OWNERSHIP on an object found by its name outside the visible catalog (a dropped
        one, for UNDROP). The one rule for every such lookup: an object the role holds nothing
        on is reported exactly as a name that never existed (`missing`), so no answer tells it
        exists; one it can see but not own is `003001 Insufficient privileges`."""
        if not self.has(cat, object_type, object_id, owner):
            raise missing
        self.require_owner(owner, object_type.lower(), name)

    def require_account(self, privilege: str) -> None:
        """An account privilege, else `Insufficient privileges to operate on account`."""
        if not self.has_account(privilege):
            raise PrivilegeError("no_privilege", object_type="account", name=ACCOUNT_NAME)
