"""Expressions: literals, column references, operators, function calls (with their
windows), CASE, CAST, predicates and subquery expressions."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Literal as Lit

from cloneshell.grammar.ast.base import Node
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName, TypeName
    from cloneshell.grammar.ast.queries import Query


@node
class Expr(Node):
    """Base of expressions."""


LiteralKind = Lit[
    "string",
    "integer",
    "decimal",  # 1.5, 3.5BD
    "float",  # 1e3, 3.14D, 3.14F
    "boolean",
    "null",
    "date",  # DATE '2024-01-01'
    "datetime",  # DATETIME '2024-01-01 00:00:00'
    "timestamp",  # TIMESTAMP '...'
    "binary",  # X'616263'
]


@node
class Literal(Expr):
    """A constant. `value` is the Python value (str for string/date/datetime/timestamp/decimal
    text, int, float, bool, bytes, or None). `text` is the source text."""

    value: object
    kind: LiteralKind
    text: str = ""


@node
class ColumnRef(Expr):
    """`c`, `t.c`, `p.t.c` (parts as written)."""

    parts: tuple[Ident, ...]


@node
class Star(Expr):
    """`*` or `t.*`; Snowflake `* EXCLUDE (a, b)` leaves out the columns `exclude` names."""

    qualifier: QualifiedName | None = None
    exclude: tuple[Ident, ...] = ()


@node
class UnaryOp(Expr):
    """`-x`, `+x`, `NOT x`, `~x`. op is upper case: '-', '+', 'NOT', '~'."""

    op: str
    operand: Expr


@node
class BinaryOp(Expr):
    """Arithmetic, comparison, logic, concatenation.

    op is one of: '+', '-', '*', '/', '%', 'DIV', '||', '&', '|', '^',
    '=', '==', '<>', '!=', '<', '<=', '>', '>=', '<=>', 'AND', 'OR'.
    """

    op: str
    left: Expr
    right: Expr


@node
class OrderItem(Node):
    """One ORDER BY / SORTED BY element."""

    expr: Expr
    desc: bool = False
    nulls: Lit["FIRST", "LAST"] | None = None


@node
class WindowFrame(Node):
    """`ROWS|RANGE BETWEEN <start> AND <end>`; bounds as upper-case text such as
    'UNBOUNDED PRECEDING', 'CURRENT ROW', '3 PRECEDING', '1 FOLLOWING'."""

    unit: Lit["ROWS", "RANGE"]
    start: str
    end: str | None = None


@node
class WindowSpec(Node):
    """`OVER (PARTITION BY ... ORDER BY ... frame)`."""

    partition_by: tuple[Expr, ...] = ()
    order_by: tuple[OrderItem, ...] = ()
    frame: WindowFrame | None = None


@node
class FuncCall(Expr):
    """A function call. `name` is the (possibly qualified) function name as written.

    `star` is True for `COUNT(*)`; `distinct` for `COUNT(DISTINCT x)`; `over` for window
    functions.
    """

    name: QualifiedName
    args: tuple[Expr, ...] = ()
    distinct: bool = False
    star: bool = False
    over: WindowSpec | None = None
    within_group: tuple[OrderItem, ...] = ()  # `LISTAGG(x) WITHIN GROUP (ORDER BY y)`
    nulls: Lit["IGNORE", "RESPECT", ""] = ""  # Snowflake `IGNORE | RESPECT NULLS`
    from_last: bool = False  # Snowflake `NTH_VALUE(x, n) FROM LAST`


@node
class Subscript(Expr):
    """`expr[index]`: an array element (0-based in both dialects) or a map's value by key."""

    expr: Expr
    index: Expr


@node
class GroupTuple(Expr):
    """`(a, b)` or `()` inside ROLLUP, CUBE or GROUPING SETS: columns grouped together."""

    exprs: tuple[Expr, ...] = ()


@node
class Grouping(Expr):
    """A GROUP BY item `ROLLUP (…)`, `CUBE (…)` or `GROUPING SETS (…)` (`kind` ROLLUP, CUBE or
    SETS); `keys` is the column list of Hive's `GROUP BY a, b GROUPING SETS (…)` / `WITH ROLLUP`
    form, which orders MaxCompute's GROUPING__ID bits."""

    kind: Lit["ROLLUP", "CUBE", "SETS"]
    items: tuple[Expr, ...]
    keys: tuple[Expr, ...] = ()


@node
class FieldAccess(Expr):
    """`expr.field`: a STRUCT's field (after a subscript: `a[0].name`)."""

    expr: Expr
    field: Ident


@node
class NamedArg(Expr):
    """`name => value`, a named argument of a table function (TASK_HISTORY(RESULT_LIMIT => 5));
    `name` upper case."""

    name: str
    value: Expr


@node
class Case(Expr):
    """`CASE [operand] WHEN a THEN b ... [ELSE c] END`."""

    operand: Expr | None
    whens: tuple[tuple[Expr, Expr], ...]
    else_: Expr | None = None


@node
class Cast(Expr):
    """`CAST(x AS type)`, also `x::type`."""

    expr: Expr
    type: TypeName


@node
class TryCast(Expr):
    """Snowflake `TRY_CAST(x AS type)`: NULL where the cast fails."""

    expr: Expr
    type: TypeName


@node
class InList(Expr):
    """`x [NOT] IN (a, b, ...)`."""

    expr: Expr
    items: tuple[Expr, ...]
    negated: bool = False


@node
class InSubquery(Expr):
    """`x [NOT] IN (SELECT ...)`."""

    expr: Expr
    query: Query
    negated: bool = False


@node
class Between(Expr):
    """`x [NOT] BETWEEN a AND b`."""

    expr: Expr
    low: Expr
    high: Expr
    negated: bool = False


@node
class Like(Expr):
    """`x [NOT] LIKE|ILIKE|RLIKE|REGEXP p`."""

    expr: Expr
    pattern: Expr
    op: Lit["LIKE", "ILIKE", "RLIKE"] = "LIKE"
    negated: bool = False
    escape: Expr | None = None  # `… LIKE p ESCAPE 'c'`


@node
class IsNull(Expr):
    """`x IS [NOT] NULL`."""

    expr: Expr
    negated: bool = False


@node
class Exists(Expr):
    """`[NOT] EXISTS (SELECT ...)`."""

    query: Query
    negated: bool = False


@node
class ScalarSubquery(Expr):
    """`(SELECT ...)` used as a value."""

    query: Query


@node
class IntervalLit(Expr):
    """`INTERVAL 'n' DAY` / `INTERVAL n DAY` (unit upper case)."""

    value: Expr
    unit: str


@node
class PathStep(Node):
    """One step of a semi-structured path: a key as written (`.name`, `."Name"`) or an index
    (`[0]`, `['key']`)."""

    key: str | None = None
    index: Expr | None = None


@node
class VariantPath(Expr):
    """Snowflake `v:key.sub[0]`: steps into a VARIANT/OBJECT/ARRAY. Keys keep their case."""

    expr: Expr
    steps: tuple[PathStep, ...]


@node
class Prior(Expr):
    """Snowflake `PRIOR x` in a CONNECT BY query: `x` of the row's parent."""

    operand: Expr


@node
class ConnectByRoot(Expr):
    """Snowflake `CONNECT_BY_ROOT x` in a CONNECT BY query: `x` of the row's root."""

    operand: Expr


@node
class SessionVariable(Expr):
    """Snowflake `$name`: a session variable (`name` as written, without the `$`)."""

    name: str


@node
class ArrayLiteral(Expr):
    """`[a, b, ...]`."""

    items: tuple[Expr, ...] = ()


@node
class ObjectLiteral(Expr):
    """`{'key': value, ...}`."""

    items: tuple[tuple[str, Expr], ...] = ()


@node
class NextVal(Expr):
    """Snowflake's `seq.NEXTVAL`: the next value of a sequence (each row its own)."""

    sequence: QualifiedName
