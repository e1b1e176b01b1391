"""AST -> DuckDB SQL. User text never passes through: identifiers go through `quote_ident`,
strings are bound as parameters, numbers are re-printed from their parsed values, and only
whitelisted functions exist. Every table reference is resolved by a callback (which also records
it for the privilege check), so no query can reach a table the engine did not see.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal, InvalidOperation

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.maxcompute import types as maxcompute_types
from cloneshell.engine.snowflake import types as snowflake_types
from cloneshell.grammar import ast
from cloneshell.grammar.records import record


@record(frozen=True, slots=True)
class Relation:
    """A resolved table reference: SQL usable in FROM and the alias it answers to."""

    sql: str
    default_alias: str


Resolver = Callable[[ast.TableRef], Relation]
# Snowflake's SYSTEM$ functions read engine state (a pipe's status, whether a stream has data):
# called with the function's name (lower case) and its constant arguments, they return the
# value and its DuckDB type, which the query then holds as a constant.
SystemFunction = Callable[[str, tuple[object, ...], "ast.Span | None"], tuple[object, str]]
# Table functions in FROM (`TABLE(INFORMATION_SCHEMA.TASK_HISTORY(…))`).
TableFunction = Callable[[ast.TableFunctionRef], Relation]

_COMPARISON = {"=", "==", "<>", "!=", "<", "<=", ">", ">="}
_BINARY_SQL = {
    "+": "+",
    "-": "-",
    "*": "*",
    "/": "/",
    "%": "%",
    "DIV": "//",
    "||": "||",
    "&": "&",
    "|": "|",
    "^": "xor",
    "=": "=",
    "==": "=",
    "<>": "<>",
    "!=": "<>",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
    "<=>": "IS NOT DISTINCT FROM",
    "AND": "AND",
    "OR": "OR",
}

# MaxCompute date units for DATEADD/DATEDIFF/DATETRUNC (maxcompute.md; `dd`, `mm`, `yyyy` ...).
_DATE_UNITS = {
    "yyyy": "year",
    "year": "year",
    "mm": "month",
    "mon": "month",
    "month": "month",
    "dd": "day",
    "day": "day",
    "hh": "hour",
    "hour": "hour",
    "mi": "minute",
    "minute": "minute",
    "ss": "second",
    "second": "second",
    "ff3": "millisecond",
    "q": "quarter",
    "quarter": "quarter",
    "week": "week",
    "wk": "week",
}

# TO_CHAR / TO_DATE format elements, longest first (MaxCompute: yyyy mm dd hh mi ss ff3).
_FORMAT_ELEMENTS = [
    ("yyyy", "%Y"),
    ("ff3", "%g"),
    ("mm", "%m"),
    ("dd", "%d"),
    ("hh", "%H"),
    ("mi", "%M"),
    ("ss", "%S"),
]

# Functions passed through under the same or another DuckDB name (name -> duckdb name).
_PLAIN_FUNCTIONS = {
    "abs": "abs",
    "acos": "acos",
    "asin": "asin",
    "atan": "atan",
    "ceil": "ceil",
    "ceiling": "ceil",
    "cos": "cos",
    "exp": "exp",
    "floor": "floor",
    "ln": "ln",
    "log10": "log10",
    "log2": "log2",
    "pow": "pow",
    "power": "pow",
    "round": "round",
    "sign": "sign",
    "sin": "sin",
    "sqrt": "sqrt",
    "tan": "tan",
    "trunc": "trunc",
    "greatest": "greatest",
    "least": "least",
    "coalesce": "coalesce",
    "nullif": "nullif",
    "nvl": "coalesce",
    "ifnull": "coalesce",
    "concat": "concat",
    "concat_ws": "concat_ws",
    "length": "length",
    "char_length": "length",
    "lengthb": "octet_length",
    "lower": "lower",
    "tolower": "lower",
    "upper": "upper",
    "toupper": "upper",
    "trim": "trim",
    "ltrim": "ltrim",
    "rtrim": "rtrim",
    "replace": "replace",
    "reverse": "reverse",
    "lpad": "lpad",
    "rpad": "rpad",
    "repeat": "repeat",
    "substr": "substr",
    "substring": "substr",
    "instr": "instr",
    "split_part": "split_part",
    "regexp_replace": "regexp_replace",
    "regexp_extract": "regexp_extract",
    "md5": "md5",
    "initcap": "initcap",
    "ascii": "ascii",
    "chr": "chr",
    "year": "year",
    "month": "month",
    "day": "day",
    "dayofmonth": "day",
    "hour": "hour",
    "minute": "minute",
    "second": "second",
    "quarter": "quarter",
    "weekofyear": "weekofyear",
    "dayofweek": "dayofweek",
    "last_day": "last_day",
    "size": "len",
    "array_contains": "list_contains",
    "to_json": "to_json",
    "current_date": "current_date",
}

_AGGREGATES = {
    "count": "count",
    "sum": "sum",
    "avg": "avg",
    "min": "min",
    "max": "max",
    "stddev": "stddev",
    "stddev_pop": "stddev_pop",
    "stddev_samp": "stddev_samp",
    "variance": "variance",
    "var_pop": "var_pop",
    "var_samp": "var_samp",
    "median": "median",
    "collect_list": "list",
    "collect_set": "list_distinct_agg",
    "any_value": "any_value",
    "bool_and": "bool_and",
    "bool_or": "bool_or",
    "max_by": "arg_max",
    "min_by": "arg_min",
    "arg_max": "arg_max",
    "arg_min": "arg_min",
    "approx_distinct": "approx_count_distinct",
}

_WINDOW_ONLY = {
    "row_number": "row_number",
    "rank": "rank",
    "dense_rank": "dense_rank",
    "percent_rank": "percent_rank",
    "cume_dist": "cume_dist",
    "ntile": "ntile",
    "lag": "lag",
    "lead": "lead",
    "first_value": "first_value",
    "last_value": "last_value",
    "nth_value": "nth_value",
}


@record(frozen=True, slots=True)
class SessionEnv:
    """What Snowflake's context functions read: the session's query ids (oldest first), and its
    current database, schema, role and user."""

    query_ids: tuple[str, ...] = ()
    database: str | None = None
    schema: str | None = None
    role: str | None = None
    user: str | None = None


class Translator:
    """Turns one statement's AST into DuckDB SQL text plus a parameter list.

    `fold_ident` folds identifiers as the dialect stores them (Snowflake keeps quoted case);
    `snowflake` switches function semantics (DATEADD(part, n, x), IFF, ...), cast types and the
    names of unnamed result columns (the expression's text, upper case) to Snowflake's;
    `source` is the statement text the spans point into.
    """

    def __init__(
        self,
        resolve: Resolver,
        fold: Callable[[str], str],
        now: datetime,
        *,
        fold_ident: Callable[[ast.Ident], str] | None = None,
        snowflake: bool = False,
        source: str = "",
        env: SessionEnv | None = None,
        system: SystemFunction | None = None,
        table_function: TableFunction | None = None,
    ) -> None:
        self._resolve = resolve
        self._system = system
        self._table_function = table_function
        self._fold = fold
        self._fold_ident = fold_ident
        self._now = now
        self._sf = snowflake
        self._source = source
        self._env = env or SessionEnv()
        self.params: list[object] = []
        self._param_index: dict[tuple[type, object], int] = {}
        self._ctes: list[set[str]] = []

    # ------------------------------------------------------------------ helpers

    def param(self, value: object) -> str:
        """Bind a value; equal values share one parameter so repeated expressions (GROUP BY a
        CASE with strings in it) stay textually equal for DuckDB's binder."""
        key = (type(value), value)
        if key not in self._param_index:
            self.params.append(value)
            self._param_index[key] = len(self.params)
        return f"${self._param_index[key]}"

    def name_of(self, i: ast.Ident) -> str:
        """An identifier as the dialect stores it."""
        if self._fold_ident is not None:
            return self._fold_ident(i)
        return self._fold(i.name)

    def ident(self, i: ast.Ident) -> str:
        """A folded, quoted identifier. Refused: the empty name (`""`, ``` `` ```) and names
        holding NUL, which no DuckDB identifier can be (and which no stored name holds)."""
        name = self.name_of(i)
        if not name:
            raise SemanticError("semantic", i.span, message="zero-length delimited identifier")
        if "\x00" in name:
            raise SemanticError("semantic", i.span, message="an identifier cannot hold NUL")
        return quote_ident(name)

    # ------------------------------------------------------------------ queries

    def query(self, q: ast.Query) -> str:
        """A full query."""
        parts: list[str] = []
        if q.with_:
            names: set[str] = set()
            seen: set[str] = set()  # DuckDB tells WITH names apart regardless of case
            for c in q.with_:
                name = self.name_of(c.name)
                if name.lower() in seen:
                    raise SemanticError(
                        "semantic", c.name.span, message=f"duplicate WITH name {name}"
                    )
                seen.add(name.lower())
                names.add(name)
            ctes = []
            scope: set[str] = set()
            self._ctes.append(scope)
            try:
                for c in q.with_:
                    cols = (
                        "(" + ", ".join(self.ident(i) for i in c.columns) + ")" if c.columns else ""
                    )
                    ctes.append(f"{self.ident(c.name)}{cols} AS ({self.query(c.query)})")
                    scope.add(self.name_of(c.name))
                parts.append("WITH " + ", ".join(ctes))
                scope.update(names)
                parts.append(self.body(q.body))
                self._order_limit(q, parts)
            finally:
                self._ctes.pop()
            return " ".join(parts)
        parts.append(self.body(q.body))
        self._order_limit(q, parts)
        return " ".join(parts)

    def _order_limit(self, q: ast.Query, parts: list[str]) -> None:
        if q.order_by:
            parts.append("ORDER BY " + ", ".join(self.order_item(o) for o in q.order_by))
        if q.limit is not None:
            parts.append("LIMIT " + self.expr(q.limit))
        if q.offset is not None:
            parts.append("OFFSET " + self.expr(q.offset))

    def body(self, b: ast.QueryBody) -> str:
        """A SELECT block, a set operation or a parenthesised query."""
        if isinstance(b, ast.Select):
            return self.select(b)
        if isinstance(b, ast.SetOp):
            op = b.op + (" ALL" if b.all else "")
            return f"({self.body(b.left)}) {op} ({self.body(b.right)})"
        return f"({self.query(b)})"

    def select(self, s: ast.Select) -> str:
        """One SELECT block; unnamed expressions get MaxCompute's `_c<n>` names."""
        items = []
        for n, item in enumerate(s.items):
            sql = self.expr(item.expr)
            if item.alias is not None:
                sql += " AS " + self.ident(item.alias)
            elif not isinstance(item.expr, ast.ColumnRef | ast.Star) or self._niladic(item.expr):
                sql += " AS " + quote_ident(self._unnamed(item.expr, n))
            items.append(sql)
        out = ["SELECT", "DISTINCT" if s.distinct else "", ", ".join(items)]
        if s.from_ is not None:
            out.append("FROM " + self.from_item(s.from_))
        if s.where is not None:
            out.append("WHERE " + self.expr(s.where))
        if s.group_by:
            out.append("GROUP BY " + ", ".join(self.expr(e) for e in s.group_by))
        if s.having is not None:
            out.append("HAVING " + self.expr(s.having))
        if s.qualify is not None:
            out.append("QUALIFY " + self.expr(s.qualify))
        return " ".join(p for p in out if p)

    def from_item(self, f: ast.FromItem) -> str:
        """A FROM-clause item."""
        if isinstance(f, ast.TableRef):
            if len(f.name.parts) == 1 and f.time_travel is None:
                name = self.name_of(f.name.parts[0])
                if any(name in scope for scope in self._ctes):
                    cte = self.ident(f.name.parts[0])
                    return f"{cte} AS {self.ident(f.alias) if f.alias else cte}"
            rel = self._resolve(f)
            alias = self.ident(f.alias) if f.alias else quote_ident(rel.default_alias)
            return f"{rel.sql} AS {alias}"
        if isinstance(f, ast.SubqueryRef):
            alias = f" AS {self.ident(f.alias)}" if f.alias else ""
            return f"({self.query(f.query)}){alias}"
        if isinstance(f, ast.Join):
            left = self.from_item(f.left)
            right = self.from_item(f.right)
            kind = {
                "INNER": "JOIN",
                "LEFT": "LEFT JOIN",
                "RIGHT": "RIGHT JOIN",
                "FULL": "FULL JOIN",
                "CROSS": "CROSS JOIN",
                "LEFT SEMI": "SEMI JOIN",
                "LEFT ANTI": "ANTI JOIN",
            }[f.kind]
            sql = f"{left} {kind} {right}"
            if f.on is not None:
                sql += " ON " + self.expr(f.on)
            elif f.using:
                sql += " USING (" + ", ".join(self.ident(i) for i in f.using) + ")"
            elif f.kind not in ("CROSS",):
                sql = f"{left} CROSS JOIN {right}" if f.kind == "INNER" else sql + " ON TRUE"
            return f"({sql})" if f.kind != "CROSS" else sql
        if isinstance(f, ast.TableFunctionRef):
            if self._table_function is None:
                raise UnsupportedError(
                    "unsupported", f.span, message="table functions are not supported here"
                )
            rel = self._table_function(f)
            alias = self.ident(f.alias) if f.alias else quote_ident(rel.default_alias)
            return f"{rel.sql} AS {alias}"
        raise UnsupportedError("unsupported", f.span, message="unsupported FROM item")

    def order_item(self, o: ast.OrderItem) -> str:
        """`expr [DESC] [NULLS FIRST|LAST]`."""
        sql = self.expr(o.expr) + (" DESC" if o.desc else " ASC")
        if o.nulls:
            sql += f" NULLS {o.nulls}"
        return sql

    def values(self, v: ast.Values) -> str:
        """`VALUES (...)` as a query; every row as long as the first."""
        for row in v.rows[1:]:
            if len(row) != len(v.rows[0]):
                raise SemanticError(
                    "semantic",
                    _span_of(row) or v.span,
                    message=f"VALUES rows differ in length: {len(v.rows[0])} values in the "
                    f"first, {len(row)} in this one",
                )
        rows = ["(" + ", ".join(self.expr(e) for e in row) + ")" for row in v.rows]
        return "SELECT * FROM (VALUES " + ", ".join(rows) + ")"

    # ------------------------------------------------------------------ expressions

    def expr(self, e: ast.Expr) -> str:
        """An expression, fully parenthesised."""
        method = getattr(self, "_x_" + type(e).__name__, None)
        if method is None:
            raise UnsupportedError(
                "unsupported", e.span, message=f"{type(e).__name__} is not supported"
            )
        result: str = method(e)
        return result

    def _x_Literal(self, e: ast.Literal) -> str:
        v = e.value
        match e.kind:
            case "null":
                return "NULL"
            case "boolean":
                return "TRUE" if v else "FALSE"
            case "integer":
                return str(int(str(v)))
            case "decimal":
                try:
                    d = Decimal(str(v))
                except InvalidOperation as exc:
                    raise SemanticError("semantic", e.span, message=f"bad number {v}") from exc
                return str(d) if d.is_finite() else self.param(str(d))
            case "float":
                f = float(str(v))
                return repr(f) if math.isfinite(f) else f"CAST({self.param(str(f))} AS DOUBLE)"
            case "date":
                return f"CAST({self.param(str(v))} AS DATE)"
            case "datetime":
                return f"CAST({self.param(str(v))} AS TIMESTAMP)"
            case "timestamp":
                return f"CAST({self.param(str(v))} AS TIMESTAMP_NS)"
            case "binary":
                return self.param(v if isinstance(v, bytes) else str(v).encode())
            case _:
                return f"CAST({self.param(str(v))} AS VARCHAR)"

    def _unnamed(self, e: ast.Expr, n: int) -> str:
        """The name of an unnamed result column: MaxCompute `_c<n>`; Snowflake the expression's
        text in upper case (`COUNT(*)`, `1+1`)."""
        if not self._sf:
            return f"_c{n}"
        text = self._source[e.span.start : e.span.end] if self._source else ""
        # NUL (inside a string literal) cannot be part of a column name: shown as \0.
        return " ".join(text.replace("\x00", "\\0").split()).upper() or f"_C{n}"

    def _niladic(self, e: ast.Expr) -> str | None:
        """Snowflake's niladic context functions written without parentheses."""
        if (
            self._sf
            and isinstance(e, ast.ColumnRef)
            and len(e.parts) == 1
            and not e.parts[0].quoted
            and e.parts[0].name.lower() in _SF_NILADIC
        ):
            return e.parts[0].name.lower()
        return None

    def _x_ColumnRef(self, e: ast.ColumnRef) -> str:
        keyword = self._niladic(e)
        if keyword is not None:
            return self.expr(ast.FuncCall(name=ast.QualifiedName(parts=(e.parts[0],)), span=e.span))
        parts = e.parts[-2:]  # project.table.column -> table.column (the alias in scope)
        return ".".join(self.ident(p) for p in parts)

    def _x_Star(self, e: ast.Star) -> str:
        if e.qualifier is None:
            return "*"
        return self.ident(e.qualifier.parts[-1]) + ".*"

    def _x_UnaryOp(self, e: ast.UnaryOp) -> str:
        op = {"NOT": "NOT ", "-": "-", "+": "+", "~": "~"}[e.op]
        return f"({op}{self.expr(e.operand)})"

    def _x_BinaryOp(self, e: ast.BinaryOp) -> str:
        op = _BINARY_SQL.get(e.op)
        if op is None:
            raise UnsupportedError("unsupported", e.span, message=f"operator {e.op}")
        if op == "xor":
            return f"xor({self.expr(e.left)}, {self.expr(e.right)})"
        if op == "/" and self._sf:
            # Snowflake fails on division by zero (100051); DuckDB would return NULL.
            right = self.expr(e.right)
            guarded = f"(CASE WHEN {right} = 0 THEN error('Division by zero') ELSE {right} END)"
            return f"({self.expr(e.left)} / {guarded})"
        return f"({self.expr(e.left)} {op} {self.expr(e.right)})"

    def _x_Case(self, e: ast.Case) -> str:
        sql = "CASE"
        if e.operand is not None:
            sql += " " + self.expr(e.operand)
        for cond, res in e.whens:
            sql += f" WHEN {self.expr(cond)} THEN {self.expr(res)}"
        if e.else_ is not None:
            sql += " ELSE " + self.expr(e.else_)
        return sql + " END"

    def _x_Cast(self, e: ast.Cast) -> str:
        target = (
            snowflake_types.to_duckdb(e.type) if self._sf else maxcompute_types.to_duckdb(e.type)
        )
        return f"CAST({self.expr(e.expr)} AS {target})"

    def _x_InList(self, e: ast.InList) -> str:
        neg = "NOT " if e.negated else ""
        items = ", ".join(self.expr(i) for i in e.items)
        return f"({self.expr(e.expr)} {neg}IN ({items}))"

    def _x_InSubquery(self, e: ast.InSubquery) -> str:
        neg = "NOT " if e.negated else ""
        return f"({self.expr(e.expr)} {neg}IN ({self.query(e.query)}))"

    def _x_Between(self, e: ast.Between) -> str:
        neg = "NOT " if e.negated else ""
        return f"({self.expr(e.expr)} {neg}BETWEEN {self.expr(e.low)} AND {self.expr(e.high)})"

    def _x_Like(self, e: ast.Like) -> str:
        if e.op == "RLIKE":
            sql = f"regexp_matches({self.expr(e.expr)}, {self.expr(e.pattern)})"
            return f"(NOT {sql})" if e.negated else sql
        neg = "NOT " if e.negated else ""
        return f"({self.expr(e.expr)} {neg}{e.op} {self.expr(e.pattern)})"

    def _x_IsNull(self, e: ast.IsNull) -> str:
        return f"({self.expr(e.expr)} IS {'NOT ' if e.negated else ''}NULL)"

    def _x_Exists(self, e: ast.Exists) -> str:
        return f"({'NOT ' if e.negated else ''}EXISTS ({self.query(e.query)}))"

    def _x_ScalarSubquery(self, e: ast.ScalarSubquery) -> str:
        return f"({self.query(e.query)})"

    def _x_IntervalLit(self, e: ast.IntervalLit) -> str:
        unit = _DATE_UNITS.get(e.unit.lower(), e.unit.lower())
        if unit not in set(_DATE_UNITS.values()):
            raise SemanticError("semantic", e.span, message=f"unknown interval unit {e.unit}")
        return (
            f"to_{unit}s(CAST({self.expr(e.value)} AS BIGINT))"
            if unit != "quarter"
            else (f"to_months(3 * CAST({self.expr(e.value)} AS BIGINT))")
        )

    def _x_NamedArg(self, e: ast.NamedArg) -> str:
        raise SemanticError(
            "semantic", e.span, message="named arguments (name => value) are for table functions"
        )

    def _system_call(self, e: ast.FuncCall, name: str) -> str:
        """A SYSTEM$ function: its constant arguments go to the engine, its value comes back
        as a constant of the query."""
        values: list[object] = []
        for arg in e.args:
            if not isinstance(arg, ast.Literal):
                raise SemanticError(
                    "semantic", arg.span, message=f"{name.upper()} takes constant arguments"
                )
            values.append(arg.value)
        assert self._system is not None
        value, duck_type = self._system(name, tuple(values), e.span)
        if value is None:
            return f"CAST(NULL AS {duck_type})"
        return f"CAST({self.param(value)} AS {duck_type})"

    def _x_FuncCall(self, e: ast.FuncCall) -> str:
        if (
            self._sf
            and self._system is not None
            and len(e.name.parts) == 1
            and e.name.parts[0].name.lower().startswith("system$")
        ):
            return self._system_call(e, e.name.parts[0].name.lower())
        if len(e.name.parts) != 1:
            raise SemanticError(
                "function_not_found",
                e.span,
                name=".".join(p.name for p in e.name.parts),
            )
        name = e.name.parts[0].name.lower()
        if e.star:
            if name != "count":
                raise SemanticError("function_not_found", e.span, name=name)
            return "count(*)" + self._over(e)
        # Arguments are translated on first use: constant arguments such as DATEADD's unit are
        # read from the AST, and a translated-but-unused argument would leave a parameter bound
        # that the SQL never mentions (DuckDB refuses that).
        args = _LazyArgs(self, e.args)
        distinct = "DISTINCT " if e.distinct else ""
        if name in _AGGREGATES:
            return f"{_AGGREGATES[name]}({distinct}{', '.join(args)})" + self._over(e)
        if name in _WINDOW_ONLY:
            if e.over is None:
                raise SemanticError(
                    "semantic", e.span, message=f"window function {name} requires OVER"
                )
            return f"{_WINDOW_ONLY[name]}({', '.join(args)})" + self._over(e)
        if e.distinct or e.over is not None:
            raise SemanticError(
                "semantic", e.span, message=f"{name} is not an aggregate or window function"
            )
        special = getattr(self, "_sf_" + name, None) if self._sf else None
        if special is None:
            special = getattr(self, "_f_" + name, None)
        if special is not None:
            result: str = special(e, args)
            return result
        if name in _PLAIN_FUNCTIONS:
            if name == "current_date" and not args:
                return f"CAST({self.param(self._now)} AS DATE)"
            return f"{_PLAIN_FUNCTIONS[name]}({', '.join(args)})"
        raise SemanticError("function_not_found", e.name.span, name=name)

    def _over(self, e: ast.FuncCall) -> str:
        if e.over is None:
            return ""
        w = e.over
        parts = []
        if w.partition_by:
            parts.append("PARTITION BY " + ", ".join(self.expr(x) for x in w.partition_by))
        if w.order_by:
            parts.append("ORDER BY " + ", ".join(self.order_item(o) for o in w.order_by))
        if w.frame is not None:
            bounds = [self._bound(w.frame.start)]
            if w.frame.end is not None:
                bounds.append(self._bound(w.frame.end))
            frame = (
                f"{w.frame.unit} BETWEEN {bounds[0]} AND {bounds[1]}"
                if len(bounds) == 2
                else f"{w.frame.unit} {bounds[0]}"
            )
            parts.append(frame)
        return " OVER (" + " ".join(parts) + ")"

    @staticmethod
    def _bound(text: str) -> str:
        words = text.upper().split()
        if words in (["UNBOUNDED", "PRECEDING"], ["UNBOUNDED", "FOLLOWING"], ["CURRENT", "ROW"]):
            return " ".join(words)
        if len(words) == 2 and words[0].isdigit() and words[1] in ("PRECEDING", "FOLLOWING"):
            return f"{int(words[0])} {words[1]}"
        raise SemanticError("semantic", message=f"bad window frame bound {text}")

    # ------------------------------------------------------------------ MaxCompute functions

    def _need(self, e: ast.FuncCall, args: _LazyArgs, *counts: int) -> None:
        if len(args) not in counts:
            name = e.name.parts[0].name.lower()
            raise SemanticError(
                "semantic",
                e.span,
                message=f"function {name} takes {' or '.join(map(str, counts))} arguments, "
                f"{len(args)} given",
            )

    def _unit(self, e: ast.FuncCall, index: int) -> str:
        arg = e.args[index]
        if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
            raise SemanticError("semantic", arg.span, message="date unit must be a constant")
        unit = _DATE_UNITS.get(str(arg.value).lower())
        if unit is None:
            raise SemanticError("semantic", arg.span, message=f"invalid date unit '{arg.value}'")
        return unit

    def _f_getdate(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        # The session clock, not DuckDB's: demos and tests run at a controlled instant.
        self._need(e, args, 0)
        return f"CAST({self.param(self._now)} AS TIMESTAMP)"

    _f_now = _f_getdate
    _f_current_timestamp = _f_getdate
    _f_sysdate = _f_getdate

    def _f_unix_timestamp(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 0, 1)
        target = args[0] if args else f"CAST({self.param(self._now)} AS TIMESTAMP)"
        return f"CAST(epoch({target}) AS BIGINT)"

    def _f_from_unixtime(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1)
        return f"CAST(to_timestamp({args[0]}) AS TIMESTAMP)"

    def _f_dateadd(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 3)
        unit = self._unit(e, 2)
        n = f"CAST({args[1]} AS BIGINT)"
        delta = f"to_months(3 * {n})" if unit == "quarter" else f"to_{unit}s({n})"
        return f"CAST(({args[0]} + {delta}) AS TIMESTAMP)"

    def _f_datediff(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        # MaxCompute DATEDIFF(end, start, unit) = end - start (unit defaults to day).
        self._need(e, args, 2, 3)
        unit = self._unit(e, 2) if len(args) == 3 else "day"
        return f"date_diff('{unit}', CAST({args[1]} AS TIMESTAMP), CAST({args[0]} AS TIMESTAMP))"

    def _f_datetrunc(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 2)
        return f"CAST(date_trunc('{self._unit(e, 1)}', {args[0]}) AS TIMESTAMP)"

    def _f_datepart(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 2)
        return f"CAST(date_part('{self._unit(e, 1)}', {args[0]}) AS BIGINT)"

    def _format(self, e: ast.FuncCall, index: int) -> str:
        arg = e.args[index]
        if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
            raise SemanticError("semantic", arg.span, message="format must be a constant string")
        fmt = str(arg.value)
        out = ""
        i = 0
        while i < len(fmt):
            for element, strf in _FORMAT_ELEMENTS:
                if fmt[i : i + len(element)].lower() == element:
                    out += strf
                    i += len(element)
                    break
            else:
                out += "%%" if fmt[i] == "%" else fmt[i]
                i += 1
        return self.param(out)

    def _f_to_char(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1, 2)
        if len(args) == 1:
            return f"CAST({args[0]} AS VARCHAR)"
        return f"strftime(CAST({args[0]} AS TIMESTAMP), {self._format(e, 1)})"

    def _f_to_date(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1, 2)
        if len(args) == 1:
            return f"CAST({args[0]} AS DATE)"
        return f"CAST(strptime({args[0]}, {self._format(e, 1)}) AS TIMESTAMP)"

    def _f_if(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 3)
        return f"(CASE WHEN {args[0]} THEN {args[1]} ELSE {args[2]} END)"

    def _f_isnull(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1)
        return f"({args[0]} IS NULL)"

    def _f_wm_concat(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 2)
        distinct = "DISTINCT " if e.distinct else ""
        return f"string_agg({distinct}{args[1]}, {args[0]})"

    def _f_log(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        # MaxCompute LOG(base, x); LOG(x) is the natural logarithm.
        self._need(e, args, 1, 2)
        return f"ln({args[0]})" if len(args) == 1 else f"(ln({args[1]}) / ln({args[0]}))"

    def _f_mod(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 2)
        return f"({args[0]} % {args[1]})"

    def _f_rand(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 0, 1)
        return "random()"

    def _f_left(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 2)
        return f"left({args[0]}, CAST({args[1]} AS BIGINT))"

    def _f_right(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 2)
        return f"right({args[0]}, CAST({args[1]} AS BIGINT))"

    def _f_split(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 2)
        return f"string_split({args[0]}, {args[1]})"

    def _f_array(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        return "[" + ", ".join(args) + "]"

    # ------------------------------------------------------------------ Snowflake functions

    def _date_part(self, e: ast.FuncCall, index: int) -> str:
        """A date part given as a bare word (`minute`) or a string ('minute')."""
        arg = e.args[index]
        word: str | None = None
        if isinstance(arg, ast.ColumnRef) and len(arg.parts) == 1:
            word = arg.parts[0].name
        elif isinstance(arg, ast.Literal) and arg.kind == "string":
            word = str(arg.value)
        unit = _SF_PARTS.get(word.lower()) if word is not None else None
        if unit is None:
            raise SemanticError("semantic", arg.span, message=f"invalid date part {word or ''}")
        return unit

    def _sf_dateadd(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 3)
        unit = self._date_part(e, 0)
        n = f"CAST({args[1]} AS BIGINT)"
        delta = f"to_months(3 * {n})" if unit == "quarter" else f"to_{unit}s({n})"
        return f"({args[2]} + {delta})"

    _sf_timeadd = _sf_dateadd
    _sf_timestampadd = _sf_dateadd

    def _sf_datediff(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 3)
        unit = self._date_part(e, 0)
        return f"date_diff('{unit}', {args[1]}, {args[2]})"

    _sf_timediff = _sf_datediff
    _sf_timestampdiff = _sf_datediff

    def _sf_date_trunc(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 2)
        return f"date_trunc('{self._date_part(e, 0)}', {args[1]})"

    def _sf_current_timestamp(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        # The session clock (UTC), not DuckDB's: demos and tests run at a controlled instant.
        return f"CAST({self.param(self._now)} AS TIMESTAMP)"

    _sf_localtimestamp = _sf_current_timestamp
    _sf_sysdate = _sf_current_timestamp
    _sf_getdate = _sf_current_timestamp
    _sf_systimestamp = _sf_current_timestamp

    def _sf_current_date(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        return f"CAST({self.param(self._now)} AS DATE)"

    def _sf_current_time(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        return f"CAST({self.param(self._now)} AS TIME)"

    def _sf_to_timestamp(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1)
        a = args[0]
        # Numbers are seconds since the epoch; anything else is cast.
        return (
            f"(CASE WHEN typeof({a}) IN ('VARCHAR') THEN CAST(CAST({a} AS VARCHAR) AS TIMESTAMP) "
            f"ELSE CAST({a} AS TIMESTAMP) END)"
            if not _is_number(e.args[0])
            else f"CAST(to_timestamp(CAST({a} AS DOUBLE)) AS TIMESTAMP)"
        )

    _sf_to_timestamp_ntz = _sf_to_timestamp
    _sf_to_timestamp_ltz = _sf_to_timestamp
    _sf_to_timestamp_tz = _sf_to_timestamp

    def _sf_to_date(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1)
        return f"CAST({args[0]} AS DATE)"

    _sf_date = _sf_to_date

    def _sf_to_varchar(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1)
        return f"CAST({args[0]} AS VARCHAR)"

    _sf_to_char = _sf_to_varchar

    def _sf_to_number(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1, 2, 3)
        p = _int_arg(e, 1, 38)
        s = _int_arg(e, 2, 0)
        return f"CAST({args[0]} AS DECIMAL({p},{s}))"

    _sf_to_decimal = _sf_to_number
    _sf_to_numeric = _sf_to_number

    def _sf_iff(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 3)
        return f"(CASE WHEN {args[0]} THEN {args[1]} ELSE {args[2]} END)"

    def _sf_nvl2(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 3)
        return f"(CASE WHEN {args[0]} IS NOT NULL THEN {args[1]} ELSE {args[2]} END)"

    def _sf_zeroifnull(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1)
        return f"coalesce({args[0]}, 0)"

    def _sf_nullifzero(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1)
        return f"nullif({args[0]}, 0)"

    def _sf_div0(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 2)
        return f"(CASE WHEN {args[1]} = 0 THEN 0 ELSE {args[0]} / {args[1]} END)"

    def _sf_count_if(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        self._need(e, args, 1)
        return f"count_if({args[0]})"

    def _sf_last_query_id(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        # LAST_QUERY_ID([n]): -1 (default) is the latest query of the session, negative counts
        # back, positive counts from the first (snowflake.md §4.5); out of range is NULL.
        self._need(e, args, 0, 1)
        n = _int_arg(e, 0, -1)
        ids = self._env.query_ids
        index = len(ids) + n if n < 0 else n - 1
        value = ids[index] if 0 <= index < len(ids) and n != 0 else None
        return "CAST(NULL AS VARCHAR)" if value is None else f"CAST({self.param(value)} AS VARCHAR)"

    def _context_value(self, value: str | None) -> str:
        return "CAST(NULL AS VARCHAR)" if value is None else f"CAST({self.param(value)} AS VARCHAR)"

    def _sf_current_database(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        return self._context_value(self._env.database)

    def _sf_current_schema(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        return self._context_value(self._env.schema)

    def _sf_current_role(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        return self._context_value(self._env.role)

    def _sf_current_user(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        return self._context_value(self._env.user)

    def _sf_current_warehouse(self, e: ast.FuncCall, args: _LazyArgs) -> str:
        return self._context_value(None)


def _span_of(exprs: tuple[ast.Expr, ...]) -> ast.Span | None:
    """From the first to the last expression of a list (a VALUES row), or None if empty."""
    if not exprs:
        return None
    first, last = exprs[0].span, exprs[-1].span
    return ast.Span(first.start, last.end, first.line, first.column, last.end_line, last.end_column)


def _is_number(e: ast.Expr) -> bool:
    if isinstance(e, ast.UnaryOp) and e.op in ("-", "+"):
        return _is_number(e.operand)
    return isinstance(e, ast.Literal) and e.kind in ("integer", "decimal", "float")


def _int_arg(e: ast.FuncCall, index: int, default: int) -> int:
    """A constant integer argument (`-2` included), or `default` when absent."""
    if index >= len(e.args):
        return default
    arg = e.args[index]
    sign = 1
    if isinstance(arg, ast.UnaryOp) and arg.op in ("-", "+"):
        sign = -1 if arg.op == "-" else 1
        arg = arg.operand
    if isinstance(arg, ast.Literal) and arg.kind == "integer":
        return sign * int(str(arg.value))
    raise SemanticError("semantic", arg.span, message="argument must be a constant integer")


# Snowflake date and time parts (docs: "Supported date and time parts"), a common subset.
_SF_PARTS = {
    "year": "year",
    "y": "year",
    "yy": "year",
    "yyyy": "year",
    "years": "year",
    "quarter": "quarter",
    "q": "quarter",
    "month": "month",
    "mm": "month",
    "mon": "month",
    "months": "month",
    "week": "week",
    "w": "week",
    "wk": "week",
    "day": "day",
    "d": "day",
    "dd": "day",
    "days": "day",
    "hour": "hour",
    "h": "hour",
    "hh": "hour",
    "hours": "hour",
    "minute": "minute",
    "m": "minute",
    "mi": "minute",
    "min": "minute",
    "minutes": "minute",
    "second": "second",
    "s": "second",
    "sec": "second",
    "seconds": "second",
    "millisecond": "millisecond",
    "ms": "millisecond",
    "milliseconds": "millisecond",
}

# Context functions Snowflake accepts without parentheses.
_SF_NILADIC = frozenset(
    {"current_timestamp", "current_date", "current_time", "localtimestamp", "current_user"}
)


class _LazyArgs:
    """A function's arguments, translated when first read."""

    def __init__(self, translator: Translator, exprs: tuple[ast.Expr, ...]) -> None:
        self._t = translator
        self._exprs = exprs
        self._done: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._exprs)

    def __getitem__(self, i: int) -> str:
        if i not in self._done:
            self._done[i] = self._t.expr(self._exprs[i])
        return self._done[i]

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))


def function_names(snowflake: bool = False) -> frozenset[str]:
    """Every function name the translator accepts (for completion and help)."""
    specials = {n[3:] for n in dir(Translator) if n.startswith("_f_")}
    if snowflake:
        specials |= {n[4:] for n in dir(Translator) if n.startswith("_sf_")}
    return frozenset(set(_PLAIN_FUNCTIONS) | set(_AGGREGATES) | set(_WINDOW_ONLY) | specials)
