"""PIVOT and UNPIVOT in FROM: rows turned into columns and columns into rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.grammar.ast.base import Node
from cloneshell.grammar.ast.queries import FromItem
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident
    from cloneshell.grammar.ast.expressions import Expr, FuncCall, OrderItem
    from cloneshell.grammar.ast.queries import Query, TableSample


@node
class PivotValue(Node):
    """One value of PIVOT's IN list, with the name of its column if given."""

    value: Expr
    alias: Ident | None = None


@node
class Pivot(FromItem):
    """`source PIVOT (agg(x) FOR c IN (v [AS a], … | ANY [ORDER BY …] | subquery)
    [DEFAULT ON NULL (d)]) [alias]`: one row per value of the other columns, one column per
    value of `c` holding `agg(x)` over the rows with that value."""

    source: FromItem
    aggregate: FuncCall
    column: Expr
    values: tuple[PivotValue, ...] = ()
    any: bool = False
    order_by: tuple[OrderItem, ...] = ()
    subquery: Query | None = None
    default: Expr | None = None
    alias: Ident | None = None
    sample: TableSample | None = None


@node
class UnpivotColumn(Node):
    """One column of UNPIVOT's IN list, with the name its rows get if given (a string as
    written, or a name the dialect folds)."""

    column: Ident
    alias: Ident | str | None = None


@node
class Unpivot(FromItem):
    """`source UNPIVOT [INCLUDE | EXCLUDE NULLS] (v FOR n IN (c1 [AS a1], …)) [alias]`: each
    row becomes one row per listed column: `n` the column's name, `v` its value (NULL values
    are left out unless INCLUDE NULLS)."""

    source: FromItem
    value: Ident
    name: Ident
    columns: tuple[UnpivotColumn, ...]
    include_nulls: bool = False
    alias: Ident | None = None
