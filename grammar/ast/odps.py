"""MaxCompute's table-metadata statements that change no rows: the optimizer's statistics
(ANALYZE TABLE, ADD|REMOVE|SHOW STATISTIC), a table's lifecycle switch (ENABLE|DISABLE
LIFECYCLE) and odpscmd's LIST of a project's objects (functions, resources, …)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Literal as Lit

from cloneshell.grammar.ast.base import Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName
    from cloneshell.grammar.ast.ddl import PartitionSpec
    from cloneshell.grammar.ast.expressions import Expr


@node
class AnalyzeTable(Statement):
    """`ANALYZE TABLE t [PARTITION (..)] COMPUTE|DELETE STATISTICS [FOR COLUMNS [(col, …)]]`."""

    table: QualifiedName
    action: Lit["COMPUTE", "DELETE"]
    partition: PartitionSpec | None = None
    columns: tuple[Ident, ...] = ()


@node
class StatisticChange(Statement):
    """`ADD|REMOVE STATISTIC t <kind> [column | condition]` (kind: table_count, null_value,
    distinct_value, column_sum, column_max, column_min, expression_condition)."""

    action: Lit["ADD", "REMOVE"]
    table: QualifiedName
    kind: Ident
    target: Expr | None = None


@node
class ShowStatistic(Statement):
    """`SHOW STATISTIC t [PARTITION (..)] [COLUMNS (col, …)]`."""

    table: QualifiedName
    partition: PartitionSpec | None = None
    columns: tuple[Ident, ...] = ()


@node
class AlterLifecycleSwitch(Statement):
    """`ALTER TABLE t [PARTITION (..)] ENABLE|DISABLE LIFECYCLE`."""

    table: QualifiedName
    enable: bool
    partition: PartitionSpec | None = None


@node
class ListProjectObjects(Statement):
    """odpscmd's `LIST FUNCTIONS|RESOURCES|ACCOUNTPROVIDERS|TRUSTEDPROJECTS|JOBS`."""

    kind: Lit["FUNCTIONS", "RESOURCES", "ACCOUNTPROVIDERS", "TRUSTEDPROJECTS", "JOBS"]
