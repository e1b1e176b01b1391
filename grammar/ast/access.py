"""Users, roles and privileges: who exists, who holds what, and the statements that
change it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Literal as Lit

from cloneshell.grammar.ast.base import Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, Principal, QualifiedName


@node
class AddUser(Statement):
    """`ADD USER principal [COMMENT 'c']`."""

    principal: Principal
    comment: str | None = None


@node
class RemoveUser(Statement):
    """`REMOVE USER principal`."""

    principal: Principal


@node
class CreateUser(Statement):
    """Snowflake `CREATE [OR REPLACE] USER [IF NOT EXISTS] u [DEFAULT_ROLE = r] ...`
    (identities are simulated: properties other than DEFAULT_ROLE are kept as text, as
    (KEY upper case, value) pairs like AlterSession.settings)."""

    name: Principal
    or_replace: bool = False
    if_not_exists: bool = False
    default_role: Ident | None = None
    properties: tuple[tuple[str, str], ...] = ()


@node
class CreateRole(Statement):
    """`CREATE ROLE r` (MaxCompute), `CREATE [OR REPLACE] ROLE [IF NOT EXISTS] r
    [COMMENT = '...']` (Snowflake)."""

    name: Ident
    or_replace: bool = False
    if_not_exists: bool = False
    comment: str | None = None


@node
class DropRole(Statement):
    """`DROP ROLE r`."""

    name: Ident
    if_exists: bool = False


@node
class GrantRoles(Statement):
    """`GRANT role[, role] TO [USER] principal`."""

    roles: tuple[Ident, ...]
    grantee: Principal


@node
class RevokeRoles(Statement):
    """`REVOKE role[, role] FROM [USER] principal`."""

    roles: tuple[Ident, ...]
    grantee: Principal


GranteeKind = Lit["USER", "ROLE"]


@node
class GrantPrivileges(Statement):
    """`GRANT action[, action] ON PROJECT|TABLE name TO USER|ROLE who`.

    `actions` are as written (e.g. 'CreateTable', 'Select'); `object_type` upper case.
    """

    actions: tuple[str, ...]
    object_type: str
    object_name: QualifiedName
    grantee_kind: GranteeKind
    grantee: Principal
    # MaxCompute's column-level ACL: `ON TABLE t (c1, c2)`.
    columns: tuple[Ident, ...] = ()


@node
class RevokePrivileges(Statement):
    """`REVOKE action[, action] ON PROJECT|TABLE name FROM USER|ROLE who`."""

    actions: tuple[str, ...]
    object_type: str
    object_name: QualifiedName
    grantee_kind: GranteeKind
    grantee: Principal
    columns: tuple[Ident, ...] = ()


@node
class GrantToRole(Statement):
    """Snowflake `GRANT priv[, ...] ON <object> TO ROLE r [WITH GRANT OPTION]` and
    `REVOKE [GRANT OPTION FOR] priv[, ...] ON <object> FROM ROLE r`.

    `privileges` upper case, multi-word ones joined by one space ('CREATE TABLE',
    'ALL PRIVILEGES'); `object_type` is 'DATABASE' | 'SCHEMA' | 'TABLE' | 'ALL TABLES IN SCHEMA'
    | 'FUTURE TABLES IN SCHEMA' | 'ALL SCHEMAS IN DATABASE' | 'WAREHOUSE' | 'ACCOUNT'
    (`object_name` None for ACCOUNT).
    """

    privileges: tuple[str, ...]
    object_type: str
    object_name: QualifiedName | None
    role: Ident
    revoke: bool = False
    grant_option: bool = False
    cascade: bool | None = None  # REVOKE ... CASCADE (True) | RESTRICT (False)


@node
class GrantRoleTo(Statement):
    """Snowflake `GRANT ROLE r TO USER u | ROLE r2` / `REVOKE ROLE r FROM USER u | ROLE r2`."""

    role: Ident
    grantee_kind: Lit["USER", "ROLE"]
    grantee: Principal
    revoke: bool = False


@node
class GrantOwnership(Statement):
    """`GRANT OWNERSHIP ON <object_type> name TO ROLE r [COPY|REVOKE CURRENT GRANTS]`."""

    object_type: str
    object_name: QualifiedName
    role: Ident
    current_grants: Lit["COPY", "REVOKE"] | None = None


@node
class ShowGrants(Statement):
    """`SHOW GRANTS [FOR [USER] principal | FOR ROLE r]` (MaxCompute: `for_kind`, `for_name`),
    `SHOW GRANTS [ON <type> name | ON ACCOUNT | TO ROLE r | TO USER u | OF ROLE r]` (Snowflake:
    the other fields)."""

    for_kind: GranteeKind | None = None
    for_name: Principal | None = None
    on_type: str | None = None
    on_name: QualifiedName | None = None
    to_kind: Lit["ROLE", "USER"] | None = None
    of_role: Ident | None = None
    name: Principal | None = None


@node
class ListUsers(Statement):
    """`LIST USERS`."""


@node
class ListRoles(Statement):
    """`LIST ROLES`."""
