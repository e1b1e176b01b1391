"""MaxCompute's Hive-family statements: multi-insert, SHOW CREATE TABLE, the table
maintenance ALTERs (MERGE SMALLFILES, a partition's RENAME TO PARTITION), odpscmd's READ, and
the ACL views DESC ROLE and SHOW ACL."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.grammar.ast.base import Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, Principal, QualifiedName
    from cloneshell.grammar.ast.ddl import PartitionSpec
    from cloneshell.grammar.ast.dml import Insert


@node
class MultiInsert(Statement):
    """`FROM src INSERT OVERWRITE|INTO TABLE t [PARTITION (..)] SELECT … [INSERT …]…`: each
    branch an Insert whose query reads the shared FROM."""

    inserts: tuple[Insert, ...]


@node
class ShowCreateTable(Statement):
    """`SHOW CREATE TABLE t`."""

    table: QualifiedName


@node
class AlterMergeSmallfiles(Statement):
    """`ALTER TABLE t [PARTITION (..)] MERGE SMALLFILES`."""

    table: QualifiedName
    partition: PartitionSpec | None = None


@node
class AlterRenamePartition(Statement):
    """`ALTER TABLE t PARTITION (old) RENAME TO PARTITION (new)`."""

    table: QualifiedName
    old: PartitionSpec
    new: PartitionSpec


@node
class ReadTable(Statement):
    """odpscmd's `READ t [(col, …)] [PARTITION (..)] [n]`: the first n rows (default: all the
    server returns)."""

    table: QualifiedName
    columns: tuple[Ident, ...] = ()
    partition: PartitionSpec | None = None
    rows: int | None = None


@node
class DescribeRole(Statement):
    """`DESC[RIBE] ROLE r`: the role's members and its ACL."""

    role: Ident


@node
class ShowAcl(Statement):
    """`SHOW ACL FOR obj [ON TYPE type]`: who holds which actions on one object."""

    name: QualifiedName
    object_type: str = "TABLE"


@node
class AlterChangeOwner(Statement):
    """`ALTER TABLE|VIEW t CHANGEOWNER TO 'who'`."""

    table: QualifiedName
    owner: Principal
