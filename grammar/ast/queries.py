"""Queries: SELECT blocks, FROM items and joins, set operations, WITH and VALUES."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Literal as Lit

from cloneshell.grammar.ast.base import Node
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName
    from cloneshell.grammar.ast.expressions import Expr, FuncCall, OrderItem


@node
class TimeTravel(Node):
    """Snowflake `AT|BEFORE (TIMESTAMP => e | OFFSET => e | STATEMENT => 'id')`."""

    kind: Lit["AT", "BEFORE"]
    by: Lit["TIMESTAMP", "OFFSET", "STATEMENT"]
    expr: Expr


@node
class FromItem(Node):
    """Base of FROM-clause items."""


@node
class TableSample(Node):
    """Snowflake `{SAMPLE | TABLESAMPLE} [BERNOULLI | ROW | SYSTEM | BLOCK] (p | n ROWS)
    [{REPEATABLE | SEED} (s)]`: `method` is BERNOULLI or SYSTEM (ROW and BLOCK are their
    synonyms), `size` a percentage or, with `rows`, a row count."""

    method: str
    size: Expr
    rows: bool = False
    seed: Expr | None = None


@node
class TableRef(FromItem):
    """A named table (or CTE) in FROM, with optional alias, time travel and sample clauses."""

    name: QualifiedName
    alias: Ident | None = None
    time_travel: TimeTravel | None = None
    sample: TableSample | None = None


@node
class BucketSample(FromItem):
    """MaxCompute `t [alias] TABLESAMPLE (BUCKET x OUT OF y [ON cols | rand()])`: the x-th of y
    hash buckets of the ON columns' values (its PERCENT and ROWS forms are TableRef.sample)."""

    table: TableRef
    bucket: int
    buckets: int
    on: tuple[Expr, ...] = ()


@node
class SubqueryRef(FromItem):
    """`(SELECT ...) [AS] alias [SAMPLE (…)]`."""

    query: Query
    alias: Ident | None = None
    sample: TableSample | None = None
    # `AS t (c1, …)`: new names of its first columns.
    columns: tuple[Ident, ...] = ()


@node
class ValuesRef(FromItem):
    """`(VALUES (…), (…)) [AS] t [(c1, …)]` or `VALUES (…), (…) …` in FROM: constant rows as a
    table (Snowflake names unnamed columns COLUMN1, COLUMN2 …; MaxCompute needs the names)."""

    values: Values
    alias: Ident | None = None
    columns: tuple[Ident, ...] = ()


@node
class TableFunctionRef(FromItem):
    """`TABLE(f(args))` or `f(args)` in FROM (e.g. Snowflake's TASK_HISTORY())."""

    func: FuncCall
    alias: Ident | None = None
    # `AS t (c1, …)`: new names of its first columns (Snowflake `FLATTEN(…) AS f (seq, key, …)`).
    columns: tuple[Ident, ...] = ()


@node
class LateralView(FromItem):
    """MaxCompute (Hive) `source LATERAL VIEW [OUTER] udtf(args) alias [AS col, ...]`: each row
    of `source` joined with the rows the table-generating function makes of it (OUTER: a row
    of NULLs when it makes none)."""

    source: FromItem
    func: FuncCall
    alias: Ident
    columns: tuple[Ident, ...] = ()
    outer: bool = False


JoinKind = Lit["INNER", "LEFT", "RIGHT", "FULL", "CROSS", "LEFT SEMI", "LEFT ANTI", "ASOF"]


@node
class Join(FromItem):
    """`left <kind> JOIN right [ON cond | USING (cols)]`. Comma joins are CROSS. Snowflake
    `left ASOF JOIN right MATCH_CONDITION (l.t >= r.t) [ON …]`: `match` is the condition."""

    left: FromItem
    right: FromItem
    kind: JoinKind = "INNER"
    on: Expr | None = None
    using: tuple[Ident, ...] = ()
    match: Expr | None = None


@node
class SelectItem(Node):
    """One item of a SELECT list."""

    expr: Expr
    alias: Ident | None = None
    # `udtf(args) AS (c1, c2, ...)`: the columns of a table-generating function (MaxCompute).
    aliases: tuple[Ident, ...] = ()


@node
class ConnectBy(Node):
    """Snowflake's hierarchical query: `START WITH start CONNECT BY [NOCYCLE] condition` (the
    condition's `PRIOR x` reads the parent row; `start` None: every row is a root)."""

    condition: Expr
    start: Expr | None = None
    nocycle: bool = False


@node
class Select(Node):
    """One SELECT block (no ORDER BY/LIMIT: those belong to Query)."""

    items: tuple[SelectItem, ...]
    distinct: bool = False
    from_: FromItem | None = None
    where: Expr | None = None
    group_by: tuple[Expr, ...] = ()
    having: Expr | None = None
    qualify: Expr | None = None
    connect_by: ConnectBy | None = None


@node
class SetOp(Node):
    """`left UNION [ALL] | INTERSECT | EXCEPT | MINUS right`."""

    op: Lit["UNION", "INTERSECT", "EXCEPT"]
    all: bool
    left: QueryBody
    right: QueryBody


@node
class Values(Node):
    """`VALUES (..), (..)` (INSERT source)."""

    rows: tuple[tuple[Expr, ...], ...]


@node
class Cte(Node):
    """`name [(cols)] AS (query)` inside WITH."""

    name: Ident
    query: Query
    columns: tuple[Ident, ...] = ()


@node
class Query(Node):
    """A full query: WITH + body + ORDER BY + LIMIT/OFFSET."""

    body: QueryBody
    with_: tuple[Cte, ...] = ()
    order_by: tuple[OrderItem, ...] = ()
    limit: Expr | None = None
    offset: Expr | None = None
    # MaxCompute (Hive) `DISTRIBUTE BY` (where rows go: no effect on a result) and `SORT BY`
    # (the order within each reducer: one reducer here, so the result's order).
    distribute_by: tuple[Expr, ...] = ()
    sort_by: tuple[OrderItem, ...] = ()
    # `WITH RECURSIVE`: each WITH query may read itself (Snowflake also without the keyword).
    recursive: bool = False


QueryBody = Select | SetOp | Query
