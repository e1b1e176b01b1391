"""Session statements (SET, USE, ALTER SESSION, WHOAMI) and the emulator's projects."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Literal as Lit

from cloneshell.grammar.ast.base import Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, Principal, QualifiedName
    from cloneshell.grammar.ast.expressions import Expr


@node
class SetStmt(Statement):
    """MaxCompute `SET key=value` (value kept as raw text, stripped)."""

    key: str
    value: str


@node
class ShowFlags(Statement):
    """`SHOW FLAGS`."""


@node
class Use(Statement):
    """`USE project` (MaxCompute)."""

    name: Ident


@node
class UseObject(Statement):
    """`USE DATABASE d`, `USE SCHEMA [d.]s`, `USE ROLE r`, `USE WAREHOUSE w` (Snowflake)."""

    kind: Lit["DATABASE", "SCHEMA", "ROLE", "WAREHOUSE"]
    name: QualifiedName


@node
class AlterSession(Statement):
    """`ALTER SESSION SET k = v [k = v ...]` / `ALTER SESSION UNSET k` (values as text).

    Keys are upper case; a value is its text, a string without its quotes ('UTC' -> UTC,
    -1 -> -1, FALSE -> FALSE, snowflake -> snowflake).
    """

    settings: tuple[tuple[str, str], ...] = ()
    unset: tuple[str, ...] = ()


@node
class AlterAccount(Statement):
    """Snowflake `ALTER ACCOUNT SET k = v [, k = v ...]` / `ALTER ACCOUNT UNSET k [, ...]`
    (account parameters; keys upper case, values as text, as in AlterSession)."""

    settings: tuple[tuple[str, str], ...] = ()
    unset: tuple[str, ...] = ()


@node
class Whoami(Statement):
    """`WHOAMI`."""


@node
class CreateProject(Statement):
    """Emulator extension: `CREATE PROJECT name [OWNER p] [REGION 'id'] [COMMENT 'c']`."""

    name: Ident
    owner: Principal | None = None
    region: str | None = None
    comment: str | None = None
    if_not_exists: bool = False


@node
class DropProject(Statement):
    """Emulator extension: `DROP PROJECT [IF EXISTS] name`."""

    name: Ident
    if_exists: bool = False


@node
class ShowProjects(Statement):
    """Emulator extension: `SHOW PROJECTS`."""


@node
class SetVariables(Statement):
    """Snowflake `SET (a, b) = (e1, e2)` (`SET a = e` arrives as a SetStmt: its value is read by
    the engine)."""

    names: tuple[Ident, ...]
    values: tuple[Expr, ...]


@node
class UnsetVariables(Statement):
    """Snowflake `UNSET a` / `UNSET (a, b)`."""

    names: tuple[Ident, ...]


@node
class ShowVariables(Statement):
    """Snowflake `SHOW VARIABLES [LIKE 'p']`."""

    like: str | None = None
