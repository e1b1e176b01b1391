"""Snowflake's ALTER TABLE actions on columns, clustering and names: one statement, AlterTable,
whose `action` is one of the records below (ALTER … RENAME TO and SET/UNSET of properties are
the object statements of ddl.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from cloneshell.grammar.ast.base import Node, Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName, TypeName
    from cloneshell.grammar.ast.ddl import ColumnDef, TableConstraint
    from cloneshell.grammar.ast.expressions import Expr
    from cloneshell.grammar.ast.tags import Policy, TagAssignment


@node
class AddColumns(Node):
    """`ADD [COLUMN] [IF NOT EXISTS] col type [NOT NULL] [DEFAULT e] [COMMENT 'c'], …`."""

    columns: tuple[ColumnDef, ...]
    if_not_exists: bool = False


@node
class DropColumns(Node):
    """`DROP [COLUMN] [IF EXISTS] col, …`."""

    names: tuple[Ident, ...]
    if_exists: bool = False


@node
class RenameColumn(Node):
    """`RENAME COLUMN col TO new`."""

    old: Ident
    new: Ident


@node
class ColumnChange(Node):
    """One `[COLUMN] col <change>` of ALTER|MODIFY: SET NOT NULL, DROP NOT NULL, SET DEFAULT e,
    DROP DEFAULT, [SET DATA] TYPE t, COMMENT 'c', UNSET COMMENT."""

    column: Ident
    change: Literal[
        "SET NOT NULL",
        "DROP NOT NULL",
        "SET DEFAULT",
        "DROP DEFAULT",
        "TYPE",
        "COMMENT",
        "SET TAG",
        "UNSET TAG",
        "SET POLICY",
    ]
    default: Expr | None = None
    type: TypeName | None = None
    comment: str | None = None
    tags: tuple[TagAssignment, ...] = ()  # SET TAG
    untagged: tuple[QualifiedName, ...] = ()  # UNSET TAG
    policy: Policy | None = None  # SET MASKING | PROJECTION POLICY (refused by name)


@node
class AlterColumns(Node):
    """`ALTER|MODIFY [COLUMN] col <change>, [COLUMN] col <change>, …`."""

    changes: tuple[ColumnChange, ...]


@node
class SwapWith(Node):
    """`SWAP WITH other`."""

    other: QualifiedName


@node
class Clustering(Node):
    """`CLUSTER BY (e, …)` (`by`), `DROP CLUSTERING KEY` (no `by`), `SUSPEND|RESUME RECLUSTER`
    (`recluster`)."""

    by: tuple[Expr, ...] = ()
    recluster: Literal["SUSPEND", "RESUME", ""] = ""


@node
class ConstraintRef(Node):
    """Which constraint an ALTER TABLE names: `CONSTRAINT c` (`name`), `PRIMARY KEY`, or
    `UNIQUE | FOREIGN KEY (cols)`."""

    kind: Literal["PRIMARY KEY", "UNIQUE", "FOREIGN KEY", ""]
    name: Ident | None = None
    columns: tuple[Ident, ...] = ()


@node
class AddConstraint(Node):
    """`ADD [CONSTRAINT c] PRIMARY KEY | UNIQUE | FOREIGN KEY (cols) … [properties]`."""

    constraint: TableConstraint


@node
class DropConstraint(Node):
    """`DROP CONSTRAINT c | PRIMARY KEY | UNIQUE (cols) | FOREIGN KEY (cols) [CASCADE |
    RESTRICT]` (CASCADE, the default, drops the foreign keys referring to a dropped key)."""

    ref: ConstraintRef
    restrict: bool = False


@node
class RenameConstraint(Node):
    """`RENAME CONSTRAINT c TO new`."""

    old: Ident
    new: Ident


@node
class AlterConstraint(Node):
    """`ALTER | MODIFY <constraint> [NOT] ENFORCED | VALIDATE | NOVALIDATE | RELY | NORELY …`:
    the property words as written, upper case."""

    ref: ConstraintRef
    properties: tuple[str, ...]


AlterTableAction = (
    AddColumns
    | DropColumns
    | RenameColumn
    | AlterColumns
    | SwapWith
    | Clustering
    | AddConstraint
    | DropConstraint
    | RenameConstraint
    | AlterConstraint
)


@node
class AlterTable(Statement):
    """`ALTER TABLE [IF EXISTS] t <action>`: Snowflake's column, clustering and SWAP actions."""

    name: QualifiedName
    action: AlterTableAction
    if_exists: bool = False
