"""Snowflake's hierarchical queries: `SELECT … FROM src [START WITH p] CONNECT BY [NOCYCLE]
cond`, with `LEVEL`, `PRIOR x`, `CONNECT_BY_ROOT x` and `SYS_CONNECT_BY_PATH(x, sep)`, as a
recursive CTE over the source.

The CTE's rows are the source's columns plus hidden ones (named `__cs_…`): the level, the values
of every `PRIOR` operand on the row itself (what its children compare with) and on its parent
(what the select list reads), each CONNECT_BY_ROOT value of the root, each path so far and the
list of the ancestors' keys, which stops a branch where a row would be its own ancestor (no
row is visited twice on one path, with or without NOCYCLE). The START WITH rows are level 1;
the WHERE, GROUP BY, HAVING, QUALIFY and the select list apply to the hierarchy's rows, after
it is built (Snowflake evaluates CONNECT BY before the filters).
"""

from __future__ import annotations

import dataclasses

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.translate import ExpressionRule, Translator
from cloneshell.grammar import ast

_TREE = quote_ident("__cs_tree")
_PARENT = quote_ident("__cs_p")
_LEVEL = quote_ident("__cs_level")
_KEYS = quote_ident("__cs_keys")
# Stand-ins, replaced once every hidden column is known: no translated SQL holds a NUL.
_FROM_MARK = "\x00from\x00"
_HIDDEN_MARK = "\x00hidden\x00"


def _is_level(e: ast.Expr) -> bool:
    return (
        isinstance(e, ast.ColumnRef)
        and len(e.parts) == 1
        and not e.parts[0].quoted
        and e.parts[0].name.upper() == "LEVEL"
    )


def _path_call(e: ast.Expr) -> ast.FuncCall | None:
    if (
        isinstance(e, ast.FuncCall)
        and len(e.name.parts) == 1
        and e.name.parts[0].name.lower() == "sys_connect_by_path"
    ):
        return e
    return None


class _Hierarchy:
    """One CONNECT BY query's hidden columns, registered as its parts are translated."""

    def __init__(self, t: Translator, alias: str) -> None:
        self.t = t
        self.alias = alias
        self.keys: dict[str, int] = {}  # PRIOR operand's SQL (on a source row) -> index
        self.roots: dict[str, int] = {}  # CONNECT_BY_ROOT operand's SQL -> index
        self.paths: dict[tuple[str, str], int] = {}  # (value SQL, separator SQL) -> index

    def plain(self, e: ast.Expr) -> str:
        """`e` on a source row, with no CONNECT BY meaning."""
        outer, self.t.rewrite = self.t.rewrite, None
        try:
            return self.t.expr(e)
        finally:
            self.t.rewrite = outer

    def key(self, e: ast.Prior) -> int:
        if isinstance(e.operand, ast.Prior | ast.ConnectByRoot):
            raise SemanticError("semantic", e.span, message="PRIOR cannot be nested")
        return self.keys.setdefault(self.plain(e.operand), len(self.keys))

    def condition(self, e: ast.Expr) -> str | None:
        """CONNECT BY's condition, joining a child (the source row) to its parent."""
        if isinstance(e, ast.Prior):
            return f"{_PARENT}.{quote_ident(f'__cs_k{self.key(e)}')}"
        if _is_level(e):
            return f"({_PARENT}.{_LEVEL} + 1)"
        return self._misplaced(e, "in CONNECT BY")

    def start(self, e: ast.Expr) -> str | None:
        """START WITH's predicate, on the root rows."""
        if _is_level(e):
            return "1"
        return self._misplaced(
            e, "in START WITH", isinstance(e, ast.Prior | ast.ConnectByRoot) or _path_call(e)
        )

    def outer(self, e: ast.Expr) -> str | None:
        """The select list, WHERE, GROUP BY …: the hierarchy's rows."""
        if _is_level(e):
            return f"{self.alias}.{_LEVEL}"
        if isinstance(e, ast.Prior):
            return f"{self.alias}.{quote_ident(f'__cs_up{self.key(e)}')}"
        if isinstance(e, ast.ConnectByRoot):
            if isinstance(e.operand, ast.Prior | ast.ConnectByRoot):
                raise SemanticError("semantic", e.span, message="CONNECT_BY_ROOT cannot be nested")
            n = self.roots.setdefault(self.plain(e.operand), len(self.roots))
            return f"{self.alias}.{quote_ident(f'__cs_r{n}')}"
        call = _path_call(e)
        if call is not None:
            if len(call.args) != 2 or not (
                isinstance(call.args[1], ast.Literal) and call.args[1].kind == "string"
            ):
                raise SemanticError(
                    "semantic",
                    call.span,
                    message="SYS_CONNECT_BY_PATH takes a value and a constant separator string",
                )
            value = f"coalesce(CAST({self.plain(call.args[0])} AS VARCHAR), '')"
            sep = self.plain(call.args[1])
            n = self.paths.setdefault((value, sep), len(self.paths))
            return f"{self.alias}.{quote_ident(f'__cs_s{n}')}"
        if isinstance(e, ast.Star) and (
            e.qualifier is None or self.t.ident(e.qualifier.parts[-1]) == self.alias
        ):
            base = "*" if e.qualifier is None else f"{self.alias}.*"
            user = "".join(self.t.ident(i) + ", " for i in e.exclude)
            return f"{base} EXCLUDE ({user}{_HIDDEN_MARK})"
        return None

    def _misplaced(self, e: ast.Expr, where: str, bad: object = None) -> str | None:
        if bad or isinstance(e, ast.ConnectByRoot) or _path_call(e):
            raise SemanticError("semantic", e.span, message=f"this is not allowed {where}")
        return None

    def hidden(self) -> list[str]:
        names = ["__cs_level"]
        names += [f"__cs_k{i}" for i in range(len(self.keys))]
        names += [f"__cs_up{i}" for i in range(len(self.keys))]
        names += [f"__cs_r{i}" for i in range(len(self.roots))]
        names += [f"__cs_s{i}" for i in range(len(self.paths))]
        return names + (["__cs_keys"] if self.keys else [])

    def tree(self, source: str, start: str | None, condition: str) -> str:
        """The recursive CTE's query: the roots, then each level's children."""
        keys = list(self.keys)
        key_row = ""
        if keys:
            key_row = keys[0] if len(keys) == 1 else "row(" + ", ".join(keys) + ")"
        anchor = [f"{self.alias}.*", f"1 AS {_LEVEL}"]
        step = [f"{self.alias}.*", f"{_PARENT}.{_LEVEL} + 1"]
        for i, k in enumerate(keys):
            anchor.append(f"{k} AS {quote_ident(f'__cs_k{i}')}")
            step.append(k)
        for i, k in enumerate(keys):
            # a root has no parent: NULL, typed as the key is
            anchor.append(f"CASE WHEN FALSE THEN {k} END AS {quote_ident(f'__cs_up{i}')}")
            step.append(f"{_PARENT}.{quote_ident(f'__cs_k{i}')}")
        for root, i in self.roots.items():
            anchor.append(f"{root} AS {quote_ident(f'__cs_r{i}')}")
            step.append(f"{_PARENT}.{quote_ident(f'__cs_r{i}')}")
        for (value, sep), i in self.paths.items():
            anchor.append(f"{sep} || {value} AS {quote_ident(f'__cs_s{i}')}")
            step.append(f"{_PARENT}.{quote_ident(f'__cs_s{i}')} || {sep} || {value}")
        join = condition
        if keys:
            anchor.append(f"list_value({key_row}) AS {_KEYS}")
            step.append(f"list_append({_PARENT}.{_KEYS}, {key_row})")
            join = (
                f"({condition}) AND NOT coalesce(list_contains({_PARENT}.{_KEYS}, {key_row}), "
                "FALSE)"
            )
        parent = ", ".join(quote_ident(n) for n in self.hidden())
        roots = f"SELECT {', '.join(anchor)} FROM {source}" + (
            f" WHERE {start}" if start is not None else ""
        )
        children = (
            f"SELECT {', '.join(step)} FROM {source} "
            f"JOIN (SELECT {parent} FROM {_TREE}) AS {_PARENT} ON {join}"
        )
        return (
            f"(WITH RECURSIVE {_TREE} AS ({roots} UNION ALL {children}) "
            f"SELECT * FROM {_TREE}) AS {self.alias}"
        )


def connect_by(t: Translator, s: ast.Select) -> str:
    """`SELECT … FROM src [START WITH p] CONNECT BY [NOCYCLE] cond …` (see the module's text)."""
    hierarchy = s.connect_by
    assert hierarchy is not None
    source = s.from_
    if isinstance(source, ast.TableRef):
        alias = source.alias or source.name.parts[-1]
    elif isinstance(source, ast.SubqueryRef | ast.TableFunctionRef):
        alias = source.alias or ast.Ident(name="__cs_source", quoted=True)
    else:
        raise UnsupportedError(
            "unsupported",
            hierarchy.span,
            message="CONNECT BY over a join is not supported (join in a subquery first)",
        )
    source = dataclasses.replace(source, alias=alias)
    h = _Hierarchy(t, t.ident(alias))
    outer_rewrite = t.rewrite
    try:
        source_sql = t.from_item(source)
        t.rewrite = h.condition
        condition = t.expr(hierarchy.condition)
        t.rewrite = h.start
        start = t.expr(hierarchy.start) if hierarchy.start is not None else None
        t.rewrite = h.outer
        items = tuple(
            dataclasses.replace(i, alias=i.expr.parts[0])
            if isinstance(i.expr, ast.ColumnRef) and _is_level(i.expr) and i.alias is None
            else i
            for i in s.items
        )
        body = dataclasses.replace(s, items=items, connect_by=None)
        sql = t.select(body, from_sql=_FROM_MARK)
    finally:
        t.rewrite = outer_rewrite
    sql = sql.replace(_HIDDEN_MARK, ", ".join(quote_ident(n) for n in h.hidden()))
    return sql.replace(_FROM_MARK, h.tree(source_sql, start, condition))


def _outside(t: Translator, e: ast.Prior | ast.ConnectByRoot) -> str:
    word = "PRIOR" if isinstance(e, ast.Prior) else "CONNECT_BY_ROOT"
    raise SemanticError(
        "semantic", e.span, message=f"{word} is only valid in a query with CONNECT BY"
    )


# PRIOR and CONNECT_BY_ROOT outside a CONNECT BY query (inside one, its rewrite reads them).
EXPRESSIONS: dict[type, ExpressionRule] = {ast.Prior: _outside, ast.ConnectByRoot: _outside}
