"""AST -> DuckDB SQL. User text never passes through: identifiers go through `quote_ident`,
strings are bound as parameters, numbers are re-printed from their parsed values, and only
whitelisted functions exist. Every table reference is resolved by a callback (which also records
it for the privilege check), so no query can reach a table the engine did not see.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from cloneshell.engine.core import pivot, strings
from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident, quote_literal
from cloneshell.grammar import ast
from cloneshell.grammar.records import record


@record(frozen=True, slots=True)
class Relation:
    """A resolved table reference: SQL usable in FROM and the alias it answers to; `params`
    are the values its own `$n` placeholders bind (a view's query, translated on its own)."""

    sql: str
    default_alias: str
    params: tuple[object, ...] = ()


Resolver = Callable[[ast.TableRef], Relation]
_PLACEHOLDER = re.compile(r'"(?:[^"]|"")*"|\$([0-9]+)')
# Snowflake's SYSTEM$ functions read engine state (a pipe's status, whether a stream has data):
# called with the function's name (lower case) and its constant arguments, they return the
# value and its DuckDB type, which the query then holds as a constant.
SystemFunction = Callable[[str, tuple[object, ...], "ast.Span | None"], tuple[object, str]]
# Table functions in FROM (`TABLE(INFORMATION_SCHEMA.TASK_HISTORY(…))`).
TableFunction = Callable[[ast.TableFunctionRef], Relation]
# A dialect's expression whose SQL the engine builds from its state (Snowflake's `seq.NEXTVAL`
# reads a sequence): the node -> its DuckDB SQL.
EngineSql = Callable[[ast.Expr], str]
# A call of a function that is no built-in: the dialect's user-defined function it names, as
# the expression it stands for (its body with the arguments in place), or None when none.
UserFunction = Callable[[ast.FuncCall], "ast.Expr | None"]
_MAX_USER_DEPTH = 32  # user functions calling user functions, before the call is refused

# One function rule: (translator, call, its arguments translated on first use) -> DuckDB SQL.
FunctionRule = Callable[["Translator", ast.FuncCall, "LazyArgs"], str]
# A dialect's aggregate: (translator, call, arguments, `DISTINCT ` or "", ` ORDER BY …` of
# WITHIN GROUP or "", the call's translated ` OVER (…)` or "") -> the DuckDB SQL; the rule
# places OVER on the aggregate it builds (a wrapped aggregate needs it inside the wrapper).
AggregateRule = Callable[["Translator", ast.FuncCall, "LazyArgs", str, str, str], str]
# A dialect's own expression syntax (Snowflake `v:path`, `[1, 2]`): (translator, node) -> SQL.
ExpressionRule = Callable[["Translator", Any], str]
# A table function the query itself computes (Snowflake FLATTEN over a column of an earlier
# FROM item), by name: (translator, reference) -> the relation.
TableFunctionRule = Callable[["Translator", "ast.TableFunctionRef"], "Relation"]


@record(frozen=True, slots=True)
class Generated:
    """What a table-generating function (MaxCompute EXPLODE) makes of one call: the select
    items that produce its rows, and the names of its columns when the query gives none (None:
    the names the items produce)."""

    items: tuple[str, ...]
    names: tuple[str, ...] | None


# One table-generating function: (translator, call, its arguments, how many column names the
# query gives it, 0 for none) -> Generated.
GeneratorRule = Callable[["Translator", ast.FuncCall, "LazyArgs", int], Generated]
# A dialect's hierarchical query (Snowflake CONNECT BY): (translator, the SELECT) -> its SQL.
HierarchyRule = Callable[["Translator", "ast.Select"], str]
# A FROM item the dialect's engine reads itself (Snowflake's `@stage` files) -> the relation.
FromSource = Callable[[ast.FromItem], Relation]
# Runs a query while a statement is translated (PIVOT … IN (ANY) reads the values it pivots on):
# (DuckDB SQL, its parameters) -> the rows.
Evaluate = Callable[[str, Sequence[object]], list[tuple[Any, ...]]]
# What an expression means inside an enclosing clause (CONNECT BY's PRIOR and LEVEL): its SQL,
# or None for the usual translation.
Rewrite = Callable[["ast.Expr"], "str | None"]


@record(frozen=True, slots=True)
class Translation:
    """What a dialect's queries mean (built in engine/<dialect>/dialect.py): its function
    library (name -> rule; names not in it are the plain, aggregate and window functions below),
    its cast types, the names of unnamed result columns, whether division by zero fails (else
    NULL, as DuckDB), the context functions written without parentheses, and the prefix of
    functions that read engine state (Snowflake `SYSTEM$`)."""

    functions: Mapping[str, FunctionRule]
    cast_type: Callable[[ast.TypeName], str]
    # (the expression's source text, its 1-based position) -> the column's name
    unnamed_column: Callable[[str, int], str]
    checked_division: bool = False
    niladic: frozenset[str] = frozenset()
    system_prefix: str | None = None
    # The dialect's own aggregates (looked up before the shared ones) and expression syntax
    # (AST class -> rule; a class no dialect has a rule for is refused as unsupported).
    aggregates: Mapping[str, AggregateRule] = field(default_factory=dict)
    expressions: Mapping[type, ExpressionRule] = field(default_factory=dict)
    table_functions: Mapping[str, TableFunctionRule] = field(default_factory=dict)
    # The dialect's table-generating functions (LATERAL VIEW, `SELECT explode(x) AS (a, b)`).
    generators: Mapping[str, GeneratorRule] = field(default_factory=dict)
    # The largest string a function may build, in bytes (None: unbounded); strings.py.
    max_string_bytes: int | None = None
    # Whether `GROUP BY 2` names the second select item (else it groups by the constant 2):
    # asked of the session's environment (MaxCompute: odps.sql.groupby.position.alias).
    group_by_position: Callable[[SessionEnv], bool] = lambda env: True
    # Whether a WITH query that is a UNION may read itself without `WITH RECURSIVE` (Snowflake).
    implicit_recursive_with: bool = False
    # The dialect's `START WITH … CONNECT BY …` (None: refused as unsupported).
    connect_by: HierarchyRule | None = None
    # The parameter names of functions that take named arguments (`ROUND(EXPR => x, SCALE =>
    # 1)`), in their positional order: name -> (PARAMETER, …), upper case.
    parameters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The name of a VALUES table's n-th column (1-based) when the query names none (Snowflake
    # COLUMN1 …); None: the query must name them (MaxCompute's `VALUES (…) t (a, b)`).
    values_column: Callable[[int], str] | None = None
    # Names the shared library defines that the dialect does not have (Snowflake has no IF,
    # ISNULL, WM_CONCAT …): a call is the dialect's unknown-function error, as any other name.
    unknown: frozenset[str] = frozenset()

    def function_names(self) -> frozenset[str]:
        """Every function name a query may call (for completion and help)."""
        names = frozenset(
            set(_PLAIN_FUNCTIONS)
            | set(_AGGREGATES)
            | set(_WINDOW_ONLY)
            | set(self.functions)
            | set(self.aggregates)
            | set(self.generators)
        )
        return names - self.unknown


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
DATE_UNITS = {
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
    "grouping": "grouping",
    "grouping_id": "grouping_id",
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
    # The session's SET flags (MaxCompute's odps.sql.* switches that change what a query means).
    flags: Mapping[str, str] = field(default_factory=dict)
    # Snowflake session variables by upper-case name: (value, DuckDB type).
    variables: Mapping[str, tuple[object, str]] = field(default_factory=dict)


class Translator:
    """Turns one statement's AST into DuckDB SQL text plus a parameter list.

    `translation` is the dialect's meaning of functions, casts and result names; `fold_ident`
    folds identifiers as the dialect stores them (Snowflake keeps quoted case); `source` is the
    statement text the spans point into.
    """

    def __init__(
        self,
        resolve: Resolver,
        translation: Translation,
        fold_ident: Callable[[ast.Ident], str],
        now: datetime,
        *,
        source: str = "",
        env: SessionEnv | None = None,
        system: SystemFunction | None = None,
        table_function: TableFunction | None = None,
        engine_sql: EngineSql | None = None,
        evaluate: Evaluate | None = None,
        from_source: FromSource | None = None,
        calls: list[tuple[ast.FuncCall, str]] | None = None,
        user_function: UserFunction | None = None,
    ) -> None:
        self._resolve = resolve
        self._user_function = user_function
        self._user_depth = 0
        self._from_source = from_source
        self.evaluate = evaluate
        # Each function call translated, with its SQL, inner calls first (duckerrors.py).
        self.calls: list[tuple[ast.FuncCall, str]] = [] if calls is None else calls
        self._system = system
        self._engine_sql = engine_sql
        self._table_function = table_function
        self._rules = translation
        self._fold_ident = fold_ident
        self.now = now
        self._source = source
        self.env = env or SessionEnv()
        self.params: list[object] = []
        self._param_index: dict[tuple[type, object], int] = {}
        self._ctes: list[set[str]] = []
        # The GROUP BY columns of the SELECT being translated, in order (GROUPING__ID's bits).
        self.group_keys: tuple[str, ...] = ()
        # The WITH names FROM items have read (a WITH query that reads itself is recursive).
        self._ctes_read: set[str] = set()
        # Set while an enclosing clause gives some expressions their own meaning.
        self.rewrite: Rewrite | None = None
        # The VALUES tables of each SELECT being translated, innermost last: alias (None when
        # it has none) -> its column names (Snowflake's `$n` reads them by position).
        self._values_scopes: list[dict[str | None, list[str]]] = []

    # ------------------------------------------------------------------ helpers

    def fork(self) -> Translator:
        """A translator with the same rules, callbacks and WITH names in scope but parameters
        of its own: for a query run while this statement is translated."""
        other = Translator(
            self._resolve,
            self._rules,
            self._fold_ident,
            self.now,
            source=self._source,
            env=self.env,
            system=self._system,
            table_function=self._table_function,
            engine_sql=self._engine_sql,
            evaluate=self.evaluate,
            from_source=self._from_source,
        )
        other._ctes = [set(scope) for scope in self._ctes]
        return other

    def source_text(self, e: ast.Node) -> str:
        """The statement's text of a node, as written."""
        return self._source[e.span.start : e.span.end] if self._source else ""

    def sample(self, s: ast.TableSample | None) -> str:
        """A FROM item's ` TABLESAMPLE …` (or "")."""
        return self._sample(s)

    def in_with_scope(self, name: ast.Ident) -> bool:
        """Whether a one-part FROM name is a WITH query of the statement being translated."""
        return any(self.name_of(name) in scope for scope in self._ctes)

    def param(self, value: object) -> str:
        """Bind a value; equal values share one parameter so repeated expressions (GROUP BY a
        CASE with strings in it) stay textually equal for DuckDB's binder."""
        key = (type(value), value)
        if key not in self._param_index:
            self.params.append(value)
            self._param_index[key] = len(self.params)
        return f"${self._param_index[key]}"

    def cast_type(self, t: ast.TypeName) -> str:
        """The DuckDB type of a type as the dialect writes it."""
        return self._rules.cast_type(t)

    def _rebind(self, rel: Relation) -> str:
        """A relation's SQL with its own placeholders bound as this translator's: only `$n`
        outside quoted identifiers (the only quoted text translated SQL holds) is one."""
        if not rel.params:
            return rel.sql

        def bind(m: re.Match[str]) -> str:
            n = m.group(1)
            return m.group(0) if n is None else self.param(rel.params[int(n) - 1])

        return _PLACEHOLDER.sub(bind, rel.sql)

    def name_of(self, i: ast.Ident) -> str:
        """An identifier as the dialect stores it."""
        return self._fold_ident(i)

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
            recursive = False
            try:
                for c in q.with_:
                    cols = (
                        "(" + ", ".join(self.ident(i) for i in c.columns) + ")" if c.columns else ""
                    )
                    own = self.name_of(c.name)
                    recurs = self._may_recur(q, c)
                    if recurs:
                        scope.add(own)
                        self._ctes_read.discard(own)
                    ctes.append(f"{self.ident(c.name)}{cols} AS ({self.query(c.query)})")
                    recursive = recursive or (recurs and own in self._ctes_read)
                    scope.add(own)
                parts.append(("WITH RECURSIVE " if recursive else "WITH ") + ", ".join(ctes))
                scope.update(names)
                parts.append(self.body(q.body))
                self._order_limit(q, parts)
            finally:
                self._ctes.pop()
            return " ".join(parts)
        parts.append(self.body(q.body))
        self._order_limit(q, parts)
        return " ".join(parts)

    def _may_recur(self, q: ast.Query, c: ast.Cte) -> bool:
        """Whether WITH query `c` may read itself: a UNION, under WITH RECURSIVE or in a dialect
        that needs no keyword for it."""
        union = isinstance(c.query.body, ast.SetOp) and c.query.body.op == "UNION"
        return union and (q.recursive or self._rules.implicit_recursive_with)

    def _order_limit(self, q: ast.Query, parts: list[str]) -> None:
        # SORT BY orders the rows within each reducer; here there is one (DISTRIBUTE BY, which
        # only says where rows go, changes nothing a query returns).
        order = q.order_by or q.sort_by
        if order:
            parts.append("ORDER BY " + ", ".join(self.order_item(o) for o in order))
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

    def select(self, s: ast.Select, from_sql: str | None = None) -> str:
        """One SELECT block; unnamed expressions get MaxCompute's `_c<n>` names. `from_sql`:
        the FROM clause's relation already translated (a hierarchical query's rows)."""
        if s.connect_by is not None:
            if self._rules.connect_by is None:
                raise UnsupportedError(
                    "unsupported", s.connect_by.span, message="CONNECT BY is not supported"
                )
            return self._rules.connect_by(self, s)
        outer_keys = self.group_keys
        self._values_scopes.append(self._values_in(s.from_))
        try:
            self.group_keys = tuple(dict.fromkeys(self.expr(k) for k in _group_keys(s.group_by)))
            return self._select(s, from_sql)
        finally:
            self.group_keys = outer_keys
            self._values_scopes.pop()

    def _values_in(self, f: ast.FromItem | None) -> dict[str | None, list[str]]:
        """The VALUES tables among a FROM clause's items (not inside subqueries): alias -> the
        names of its columns."""
        found: dict[str | None, list[str]] = {}
        if isinstance(f, ast.Join):
            found.update(self._values_in(f.left))
            found.update(self._values_in(f.right))
        elif isinstance(f, ast.ValuesRef):
            found[None if f.alias is None else self.name_of(f.alias)] = self._values_names(f)
        return found

    def positional_column(self, qualifier: ast.Ident | None, n: int) -> str | None:
        """The n-th column (1-based) of a VALUES table of the SELECT being translated, named
        by its alias (or the only one when `qualifier` is None), as SQL; None if there is none."""
        if not self._values_scopes:
            return None
        scope = self._values_scopes[-1]
        if qualifier is not None:
            names = scope.get(self.name_of(qualifier))
        else:
            names = next(iter(scope.values())) if len(scope) == 1 else None
        if names is None or not 1 <= n <= len(names):
            return None
        column = quote_ident(names[n - 1])
        return column if qualifier is None else f"{self.ident(qualifier)}.{column}"

    def _select(self, s: ast.Select, from_sql: str | None) -> str:
        items = []
        for n, item in enumerate(s.items):
            generated = self._generated(item)
            if generated is not None:
                items.append(generated)
                continue
            sql = self.expr(item.expr)
            if item.alias is not None:
                sql += " AS " + self.ident(item.alias)
            elif not isinstance(item.expr, ast.ColumnRef | ast.Star) or self._niladic(item.expr):
                sql += " AS " + quote_ident(self._unnamed(item.expr, n))
            items.append(sql)
        out = ["SELECT", "DISTINCT" if s.distinct else "", ", ".join(items)]
        if from_sql is not None:
            out.append("FROM " + from_sql)
        elif s.from_ is not None:
            out.append("FROM " + self.from_item(s.from_))
        if s.where is not None:
            out.append("WHERE " + self.expr(s.where))
        if s.group_by:
            out.append("GROUP BY " + ", ".join(self._group_item(e) for e in s.group_by))
        if s.having is not None:
            out.append("HAVING " + self.expr(s.having))
        if s.qualify is not None:
            out.append("QUALIFY " + self.expr(s.qualify))
        return " ".join(p for p in out if p)

    def _group_item(self, e: ast.Expr) -> str:
        """A GROUP BY item; an integer constant is a select item's position only where the
        dialect (and session) say so, else the constant itself."""
        if (
            isinstance(e, ast.Literal)
            and e.kind == "integer"
            and not self._rules.group_by_position(self.env)
        ):
            return f"CAST({self.expr(e)} AS BIGINT)"
        return self.expr(e)

    def _generator_call(self, e: ast.Expr) -> tuple[ast.FuncCall, GeneratorRule] | None:
        if isinstance(e, ast.FuncCall) and len(e.name.parts) == 1:
            rule = self._rules.generators.get(e.name.parts[0].name.lower())
            if rule is not None:
                return e, rule
        return None

    def _generated(self, item: ast.SelectItem) -> str | None:
        """A select item calling a table-generating function, as its columns; None for any
        other item."""
        found = self._generator_call(item.expr)
        if found is None:
            if item.aliases:
                raise SemanticError(
                    "semantic",
                    item.span,
                    message="AS (column, ...) names the columns of a table-generating function",
                )
            return None
        call, rule = found
        names = item.aliases or ((item.alias,) if item.alias is not None else ())
        made = rule(self, call, LazyArgs(self, call.args), len(names))
        out = tuple(self.name_of(i) for i in names) or made.names
        if out is None or len(out) != len(made.items):
            raise SemanticError(
                "semantic",
                item.span,
                message=f"{call.name.parts[0].name.lower()} makes {len(made.items)} column(s) "
                f"here, {len(out or ())} named",
            )
        return ", ".join(
            f"{sql} AS {quote_ident(name)}" for sql, name in zip(made.items, out, strict=True)
        )

    def lateral_view(self, f: ast.LateralView) -> str:
        """`source LATERAL VIEW [OUTER] udtf(args) alias [AS cols]`: a lateral join of the
        source with the rows the function makes of each of its rows."""
        left = self.from_item(f.source)
        found = self._generator_call(f.func)
        if found is None:
            raise SemanticError(
                "semantic",
                f.func.span,
                message="LATERAL VIEW takes a table-generating function (explode, posexplode, "
                "inline ...)",
            )
        call, rule = found
        made = rule(self, call, LazyArgs(self, call.args), len(f.columns))
        names = tuple(self.name_of(i) for i in f.columns) or made.names
        columns = "(" + ", ".join(quote_ident(n) for n in names) + ")" if names else ""
        right = f"(SELECT {', '.join(made.items)}) AS {self.ident(f.alias)}{columns}"
        if f.outer:
            return f"({left} LEFT JOIN LATERAL {right} ON TRUE)"
        return f"({left} CROSS JOIN LATERAL {right})"

    def bucket_sample(self, f: ast.BucketSample) -> str:
        """`t TABLESAMPLE (BUCKET x OUT OF y ON …)`: the rows whose ON values hash into the x-th
        of y buckets (`rand()`: a random bucket per row)."""
        table = self.from_item(f.table)
        if not 1 <= f.bucket <= f.buckets:
            raise SemanticError(
                "semantic",
                f.span,
                message="TABLESAMPLE BUCKET x OUT OF y needs integers with 1 <= x <= y",
            )
        if not f.on:
            raise SemanticError(
                "semantic",
                f.span,
                message="TABLESAMPLE BUCKET needs ON columns or ON rand() on a table that is not "
                "clustered",
            )
        alias = self.ident(f.table.alias) if f.table.alias else self.ident(f.table.name.parts[-1])
        random = (
            len(f.on) == 1
            and isinstance(f.on[0], ast.FuncCall)
            and f.on[0].name.parts[-1].name.lower() == "rand"
            and not f.on[0].args
        )
        if random:
            test = f"floor(random() * {f.buckets}) = {f.bucket - 1}"
        else:
            test = f"hash({', '.join(self.expr(x) for x in f.on)}) % {f.buckets} = {f.bucket - 1}"
        return f"(SELECT * FROM {table} WHERE {test}) AS {alias}"

    def from_item(self, f: ast.FromItem) -> str:
        """A FROM-clause item."""
        if isinstance(f, ast.LateralView):
            return self.lateral_view(f)
        if isinstance(f, ast.BucketSample):
            return self.bucket_sample(f)
        if isinstance(f, ast.TableRef):
            if len(f.name.parts) == 1 and f.time_travel is None:
                name = self.name_of(f.name.parts[0])
                if any(name in scope for scope in self._ctes):
                    self._ctes_read.add(name)
                    cte = self.ident(f.name.parts[0])
                    sample = self._sample(f.sample)
                    return f"{cte} AS {self.ident(f.alias) if f.alias else cte}{sample}"
            rel = self._resolve(f)
            alias = self.ident(f.alias) if f.alias else quote_ident(rel.default_alias)
            return f"{self._rebind(rel)} AS {alias}{self._sample(f.sample)}"
        if isinstance(f, ast.SubqueryRef):
            alias = f" AS {self.ident(f.alias)}{self._alias_columns(f.columns)}" if f.alias else ""
            if f.sample is not None and not alias:
                alias = " AS __cs_sampled"
            return f"({self.query(f.query)}){alias}{self._sample(f.sample)}"
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
                # Snowflake ASOF: every left row, with its closest match or NULLs
                "ASOF": "ASOF LEFT JOIN",
            }[f.kind]
            sql = f"{left} {kind} {right}"
            if (f.kind == "ASOF") != (f.match is not None):
                raise SemanticError(
                    "semantic", f.span, message="ASOF JOIN takes MATCH_CONDITION (left <op> right)"
                )
            if f.match is not None:
                if not (isinstance(f.match, ast.BinaryOp) and f.match.op in (">=", ">", "<=", "<")):
                    raise SemanticError(
                        "semantic",
                        f.match.span,
                        message="MATCH_CONDITION compares with >=, >, <= or <",
                    )
                sql += " ON " + self.expr(f.match)
                if f.on is not None:
                    sql += " AND " + self.expr(f.on)
            elif f.on is not None:
                sql += " ON " + self.expr(f.on)
            elif f.using:
                sql += " USING (" + ", ".join(self.ident(i) for i in f.using) + ")"
            elif f.kind not in ("CROSS",):
                sql = f"{left} CROSS JOIN {right}" if f.kind == "INNER" else sql + " ON TRUE"
            return f"({sql})" if f.kind != "CROSS" else sql
        if isinstance(f, ast.TableFunctionRef):
            parts = f.func.name.parts
            own = (
                self._rules.table_functions.get(parts[0].name.lower()) if len(parts) == 1 else None
            )
            if own is not None:
                rel = own(self, f)
                alias = self.ident(f.alias) if f.alias else quote_ident(rel.default_alias)
                return f"{rel.sql} AS {alias}{self._alias_columns(f.columns)}"
            if self._table_function is None:
                raise UnsupportedError(
                    "unsupported", f.span, message="table functions are not supported here"
                )
            rel = self._table_function(f)
            alias = self.ident(f.alias) if f.alias else quote_ident(rel.default_alias)
            return f"{self._rebind(rel)} AS {alias}{self._alias_columns(f.columns)}"
        if isinstance(f, ast.ValuesRef):
            return self.values_table(f)
        if isinstance(f, ast.Pivot | ast.Unpivot):
            return pivot.from_item(self, f)
        if isinstance(f, ast.StagedFiles) and self._from_source is not None:
            rel = self._from_source(f)
            alias = self.ident(f.alias) if f.alias else quote_ident(rel.default_alias)
            return f"{self._rebind(rel)} AS {alias}{self._alias_columns(f.columns)}"
        raise UnsupportedError("unsupported", f.span, message="unsupported FROM item")

    def values_table(self, f: ast.ValuesRef) -> str:
        """`VALUES (…), (…) [AS] t [(c1, …)]` in FROM: the rows as a derived table, its columns
        named by the query or by the dialect (COLUMN1 …)."""
        width = len(f.values.rows[0])
        if len(f.columns) > width:
            raise SemanticError(
                "semantic",
                f.span,
                message=f"the VALUES table has {width} column(s), {len(f.columns)} names given",
            )
        rule = self._rules.values_column
        if rule is None and len(f.columns) < width:
            raise SemanticError(
                "semantic",
                f.span,
                message="a VALUES table names its columns: VALUES (…), (…) t (c1, c2, …)",
            )
        names = ", ".join(quote_ident(n) for n in self._values_names(f))
        alias = self.ident(f.alias) if f.alias is not None else quote_ident("__cs_values")
        return f"({self.values(f.values)}) AS {alias}({names})"

    def _values_names(self, f: ast.ValuesRef) -> list[str]:
        """A VALUES table's column names: those the query gives, then the dialect's."""
        names = [self.name_of(c) for c in f.columns]
        rule = self._rules.values_column
        if rule is not None:
            names += [rule(n) for n in range(len(names) + 1, len(f.values.rows[0]) + 1)]
        return names

    def _alias_columns(self, columns: tuple[ast.Ident, ...]) -> str:
        """`(c1, …)` after a FROM item's alias: names for its first columns (or "")."""
        return "(" + ", ".join(self.ident(c) for c in columns) + ")" if columns else ""

    def _sample(self, s: ast.TableSample | None) -> str:
        """A FROM item's ` TABLESAMPLE …`: a percentage of the rows, each kept with that
        probability (BERNOULLI) or by blocks of rows (SYSTEM), or a fixed number of rows; a seed
        makes the choice repeatable. The size and seed are constants (Snowflake's SAMPLE)."""
        if s is None:
            return ""
        size = s.size
        value = self._sample_size(size)
        if s.rows:
            if value != value.to_integral_value() or not 0 <= value <= 1_000_000:
                raise SemanticError(
                    "semantic", size.span, message="sample rows must be an integer 0 to 1000000"
                )
            if s.method == "SYSTEM":
                raise SemanticError(
                    "semantic", s.span, message="SYSTEM | BLOCK sampling takes a percentage"
                )
            amount, method = f"{int(value)} ROWS", "reservoir"
        else:
            if not 0 <= value <= 100:
                raise SemanticError(
                    "semantic", size.span, message="sample probability must be 0 to 100"
                )
            amount, method = f"{value}%", s.method.lower()
        seed = ""
        if s.seed is not None:
            if not (isinstance(s.seed, ast.Literal) and s.seed.kind == "integer"):
                raise SemanticError("semantic", s.seed.span, message="seed must be an integer")
            seed = f", {int(str(s.seed.value))}"
        return f" TABLESAMPLE {amount} ({method}{seed})"

    def _sample_size(self, size: ast.Expr) -> Decimal:
        """A sample's size: a number, or a session variable holding one (Snowflake `($s)`)."""
        if isinstance(size, ast.Literal) and size.kind in ("integer", "decimal"):
            return Decimal(str(size.value))
        if isinstance(size, ast.SessionVariable):
            found = self.env.variables.get(size.name.upper())
            if found is None:
                raise SemanticError(
                    "semantic",
                    size.span,
                    message=f"Session variable '${size.name.upper()}' does not exist",
                )
            value = found[0]
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                return Decimal(str(value))
        raise SemanticError("semantic", size.span, message="sample size must be a constant")

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
        if self.rewrite is not None:
            rewritten = self.rewrite(e)
            if rewritten is not None:
                return rewritten
        own = self._rules.expressions.get(type(e))
        if own is not None:
            return own(self, e)
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
        """The name of an unnamed result column, as the dialect names it."""
        text = self._source[e.span.start : e.span.end] if self._source else ""
        return self._rules.unnamed_column(text, n)

    def _niladic(self, e: ast.Expr) -> str | None:
        """A context function written without parentheses (Snowflake `CURRENT_DATE`)."""
        if (
            isinstance(e, ast.ColumnRef)
            and len(e.parts) == 1
            and not e.parts[0].quoted
            and e.parts[0].name.lower() in self._rules.niladic
        ):
            return e.parts[0].name.lower()
        return None

    def _x_ColumnRef(self, e: ast.ColumnRef) -> str:
        keyword = self._niladic(e)
        if keyword is not None:
            return self.expr(ast.FuncCall(name=ast.QualifiedName(parts=(e.parts[0],)), span=e.span))
        parts = e.parts[-2:]  # project.table.column -> table.column (the alias in scope)
        return ".".join(self.ident(p) for p in parts)

    def _x_Grouping(self, e: ast.Grouping) -> str:
        """`ROLLUP (…)`, `CUBE (…)`, `GROUPING SETS (…)` in GROUP BY (DuckDB writes them alike)."""
        word = "GROUPING SETS" if e.kind == "SETS" else e.kind
        return f"{word} ({', '.join(self.expr(x) for x in e.items)})"

    def _x_GroupTuple(self, e: ast.GroupTuple) -> str:
        return "(" + ", ".join(self.expr(x) for x in e.exprs) + ")"

    def _x_Star(self, e: ast.Star) -> str:
        star = "*" if e.qualifier is None else self.ident(e.qualifier.parts[-1]) + ".*"
        if e.exclude:
            star += " EXCLUDE (" + ", ".join(self.ident(i) for i in e.exclude) + ")"
        return star

    def _x_UnaryOp(self, e: ast.UnaryOp) -> str:
        op = {"NOT": "NOT ", "-": "-", "+": "+", "~": "~"}[e.op]
        return f"({op}{self.expr(e.operand)})"

    def _x_BinaryOp(self, e: ast.BinaryOp) -> str:
        op = _BINARY_SQL.get(e.op)
        if op is None:
            raise UnsupportedError("unsupported", e.span, message=f"operator {e.op}")
        if op == "xor":
            return f"xor({self.expr(e.left)}, {self.expr(e.right)})"
        if op == "||" and self._rules.max_string_bytes is not None:
            # A chain a || b || c is one guard over its parts (strings.py).
            parts = _concat_parts(e)
            return strings.guard(
                lambda a: "(" + " || ".join(a) + ")",
                strings.SIZES["concat"][1],
                [self.expr(x) for x in parts],
                self._rules.max_string_bytes,
                [_cheap(x) for x in parts],
            )
        if op == "/" and self._rules.checked_division:
            # Division by zero fails (Snowflake 100051); DuckDB would return NULL.
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
        return f"CAST({self.expr(e.expr)} AS {self._rules.cast_type(e.type)})"

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
        if e.op == "RLIKE" and e.escape is not None:
            raise SemanticError("semantic", e.escape.span, message="RLIKE takes no ESCAPE")
        if e.op == "RLIKE":
            sql = f"regexp_matches({self.expr(e.expr)}, {self.expr(e.pattern)})"
            return f"(NOT {sql})" if e.negated else sql
        neg = "NOT " if e.negated else ""
        if e.escape is not None:
            escape = f" ESCAPE {self.expr(e.escape)}"
            return f"({self.expr(e.expr)} {neg}{e.op} {self.expr(e.pattern)}{escape})"
        return f"({self.expr(e.expr)} {neg}{e.op} {self.expr(e.pattern)})"

    def _x_IsNull(self, e: ast.IsNull) -> str:
        return f"({self.expr(e.expr)} IS {'NOT ' if e.negated else ''}NULL)"

    def _x_Exists(self, e: ast.Exists) -> str:
        return f"({'NOT ' if e.negated else ''}EXISTS ({self.query(e.query)}))"

    def _x_ScalarSubquery(self, e: ast.ScalarSubquery) -> str:
        return f"({self.query(e.query)})"

    def _x_IntervalLit(self, e: ast.IntervalLit) -> str:
        unit = DATE_UNITS.get(e.unit.lower(), e.unit.lower())
        if unit not in set(DATE_UNITS.values()):
            raise SemanticError("semantic", e.span, message=f"unknown interval unit {e.unit}")
        return (
            f"to_{unit}s(CAST({self.expr(e.value)} AS BIGINT))"
            if unit != "quarter"
            else (f"to_months(3 * CAST({self.expr(e.value)} AS BIGINT))")
        )

    def _x_Subscript(self, e: ast.Subscript) -> str:
        # A constant string can only be a map's key; anything else may be either (cs_at).
        if isinstance(e.index, ast.Literal) and e.index.kind == "string":
            return f"({self.expr(e.expr)})[{self.expr(e.index)}]"
        return f"cs_at({self.expr(e.expr)}, {self.expr(e.index)})"

    def _x_FieldAccess(self, e: ast.FieldAccess) -> str:
        return f"struct_extract({self.expr(e.expr)}, {quote_literal(self.name_of(e.field))})"

    def _x_NamedArg(self, e: ast.NamedArg) -> str:
        raise SemanticError(
            "semantic", e.span, message="named arguments (name => value) are for table functions"
        )

    def _sized(
        self, name: str, e: ast.FuncCall, args: LazyArgs, build: Callable[[LazyArgs], str]
    ) -> str:
        """`build(args)`, behind the dialect's string-size guard when `name` builds strings
        (strings.py), whichever rule builds the call: the dialect's own or a plain function."""
        limit = self._rules.max_string_bytes
        if limit is None or not strings.guards(name, len(args)):
            return build(args)
        return strings.guard(
            lambda a: build(LazyArgs.given(self, e.args, a)),
            strings.SIZES[name][1],
            list(args),
            limit,
            [_cheap(x) for x in e.args],
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

    def engine_expr(self, e: ast.Expr) -> str:
        """SQL the engine builds for a dialect's expression that reads engine state."""
        if self._engine_sql is None:
            raise UnsupportedError("unsupported", e.span, message=type(e).__name__)
        return self._engine_sql(e)

    def engine_call(self, e: ast.FuncCall, name: str) -> str:
        """A dialect's function that reads engine state as the SYSTEM$ ones do (Snowflake's
        GET_DDL): its constant arguments go to the engine, its value is a constant."""
        if self._system is None:
            raise SemanticError("function_not_found", e.span, name=name.upper())
        return self._system_call(e, name)

    def _x_FuncCall(self, e: ast.FuncCall) -> str:
        sql = self._call(e)
        self.calls.append((e, sql))
        return sql

    def _call(self, e: ast.FuncCall) -> str:
        e = self._positional(e)
        prefix = self._rules.system_prefix
        if (
            prefix is not None
            and self._system is not None
            and len(e.name.parts) == 1
            and e.name.parts[0].name.lower().startswith(prefix)
        ):
            return self._system_call(e, e.name.parts[0].name.lower())
        if len(e.name.parts) != 1:
            user = self._user_call(e)
            if user is not None:
                return user
            raise SemanticError(
                "function_not_found",
                e.span,
                name=".".join(p.name for p in e.name.parts),
            )
        name = e.name.parts[0].name.lower()
        if name in self._rules.unknown:
            user = self._user_call(e)
            if user is not None:
                return user
            raise SemanticError(
                "function_not_found", e.name.span, name=self._fold_ident(e.name.parts[0])
            )
        if e.star:
            if name != "count":
                raise SemanticError("function_not_found", e.span, name=name)
            return "count(*)" + self._over(e)
        # Arguments are translated on first use: constant arguments such as DATEADD's unit are
        # read from the AST, and a translated-but-unused argument would leave a parameter bound
        # that the SQL never mentions (DuckDB refuses that).
        args = LazyArgs(self, e.args)
        distinct = "DISTINCT " if e.distinct else ""
        within = ""
        if e.within_group:
            within = " ORDER BY " + ", ".join(self.order_item(o) for o in e.within_group)
        aggregate = self._rules.aggregates.get(name)
        if aggregate is not None:
            return aggregate(self, e, args, distinct, within, self._over(e))
        if e.within_group:
            raise SemanticError("semantic", e.span, message=f"{name} does not take WITHIN GROUP")
        if name in _AGGREGATES:
            return f"{_AGGREGATES[name]}({distinct}{', '.join(args)})" + self._over(e)
        if name in _WINDOW_ONLY:
            if e.over is None:
                raise SemanticError(
                    "semantic", e.span, message=f"window function {name} requires OVER"
                )
            if e.from_last:
                raise UnsupportedError("unsupported", e.span, message=f"{name.upper()} FROM LAST")
            ignore = " IGNORE NULLS" if e.nulls == "IGNORE" else ""
            return f"{_WINDOW_ONLY[name]}({', '.join(args)}{ignore})" + self._over(e)
        if e.nulls or e.from_last:
            word = f"{e.nulls} NULLS" if e.nulls else "FROM FIRST | LAST"
            raise SemanticError("semantic", e.span, message=f"{word} is not valid for {name}")
        if e.distinct or e.over is not None:
            raise SemanticError(
                "semantic", e.span, message=f"{name} is not an aggregate or window function"
            )
        rule = self._rules.functions.get(name)
        if rule is not None:
            return self._sized(name, e, args, lambda a: rule(self, e, a))
        if name in _PLAIN_FUNCTIONS:
            if name == "current_date" and not args:
                return f"CAST({self.param(self.now)} AS DATE)"
            duck = _PLAIN_FUNCTIONS[name]
            return self._sized(name, e, args, lambda a: f"{duck}({', '.join(a)})")
        user = self._user_call(e)
        if user is not None:
            return user
        raise SemanticError(
            "function_not_found", e.name.span, name=self._fold_ident(e.name.parts[0])
        )

    def _positional(self, e: ast.FuncCall) -> ast.FuncCall:
        """A call with named arguments as the same call with them in their positional order
        (the dialect's `parameters`); a call without any is itself."""
        if not any(isinstance(a, ast.NamedArg) for a in e.args) or len(e.name.parts) != 1:
            return e
        names = self._rules.parameters.get(e.name.parts[0].name.lower())
        if names is None:
            return e  # refused where a named argument is translated (_x_NamedArg)
        given: dict[str, ast.Expr] = {}
        for i, arg in enumerate(e.args):
            if not isinstance(arg, ast.NamedArg):
                if given:
                    raise SemanticError(
                        "semantic", arg.span, message="a positional argument after a named one"
                    )
                if i >= len(names):
                    break  # too many arguments: the function's rule says so
                given[names[i]] = arg
                continue
            if arg.name not in names or arg.name in given:
                raise SemanticError(
                    "semantic",
                    arg.span,
                    message=f"invalid argument name {arg.name} for function "
                    f"{e.name.parts[0].name.upper()}",
                )
            given[arg.name] = arg.value
        count = max(names.index(n) for n in given) + 1 if given else 0
        missing = [n for n in names[:count] if n not in given]
        if missing:
            raise SemanticError(
                "semantic",
                e.span,
                message=f"missing argument {missing[0]} of function {e.name.parts[0].name.upper()}",
            )
        return dataclasses.replace(e, args=tuple(given[n] for n in names[:count]))

    def _user_call(self, e: ast.FuncCall) -> str | None:
        """A user-defined function's call as SQL (its body, expanded in place), or None."""
        if self._user_function is None:
            return None
        expanded = self._user_function(e)
        if expanded is None:
            return None
        if self._user_depth >= _MAX_USER_DEPTH:
            raise SemanticError(
                "semantic", e.span, message="user-defined functions nest too deeply"
            )
        self._user_depth += 1
        try:
            return self.expr(expanded)
        finally:
            self._user_depth -= 1

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


def _group_keys(items: tuple[ast.Expr, ...]) -> list[ast.Expr]:
    """The columns a GROUP BY groups on, in the order written (a Hive `GROUP BY a, b GROUPING
    SETS (…)`: its list)."""
    keys: list[ast.Expr] = []
    for item in items:
        if isinstance(item, ast.Grouping):
            keys.extend(_group_keys(item.keys or item.items))
        elif isinstance(item, ast.GroupTuple):
            keys.extend(_group_keys(item.exprs))
        else:
            keys.append(item)
    return keys


def _cheap(e: ast.Expr) -> bool:
    """An expression evaluated twice at no cost (a column or a constant, maybe cast)."""
    if isinstance(e, ast.Cast):
        return _cheap(e.expr)
    return isinstance(e, ast.ColumnRef | ast.Literal)


def _concat_parts(e: ast.Expr) -> list[ast.Expr]:
    """The operands of a chain of `||`, left to right."""
    if isinstance(e, ast.BinaryOp) and e.op == "||":
        return [*_concat_parts(e.left), *_concat_parts(e.right)]
    return [e]


def _span_of(exprs: tuple[ast.Expr, ...]) -> ast.Span | None:
    """From the first to the last expression of a list (a VALUES row), or None if empty."""
    if not exprs:
        return None
    first, last = exprs[0].span, exprs[-1].span
    return ast.Span(first.start, last.end, first.line, first.column, last.end_line, last.end_column)


class LazyArgs:
    """A function's arguments, translated when first read."""

    def __init__(self, translator: Translator, exprs: tuple[ast.Expr, ...]) -> None:
        self._t = translator
        self._exprs = exprs
        self._done: dict[int, str] = {}

    @classmethod
    def given(
        cls, translator: Translator, exprs: tuple[ast.Expr, ...], sql: Sequence[str]
    ) -> LazyArgs:
        """Arguments whose SQL is already known (a guarded call's gated arguments)."""
        args = cls(translator, exprs)
        args._done = dict(enumerate(sql))
        return args

    def __len__(self) -> int:
        return len(self._exprs)

    def __getitem__(self, i: int) -> str:
        if i not in self._done:
            self._done[i] = self._t.expr(self._exprs[i])
        return self._done[i]

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))
