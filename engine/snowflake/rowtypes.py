"""A query's result columns typed as Snowflake types them: a column taken straight from a table
(`c`, `t.c`, `*`, `t.*`) has the table column's declared type — VARCHAR(10) has length 10,
NUMBER(10,2) precision 10 and scale 2, TIMESTAMP_LTZ(3) is TIMESTAMP_LTZ at scale 3 — its
nullability, and the database, schema and table it comes from (what the server's `rowtype`
reports, as Snowflake's does). Other columns keep the type of their DuckDB result.

DuckDB has no VARCHAR length, no LTZ/TZ distinction on stored timestamps and no NOT NULL in a
result's description, so these come from the catalog: `Recorder` remembers the table each FROM
reference resolved to while the query is translated, and `refine` matches the query's select
list against them."""

from __future__ import annotations

from collections.abc import Callable

from cloneshell.engine.core.catalog import ColumnMeta
from cloneshell.engine.core.result import Column
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.snowflake.context import Target
from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError


class Recorder:
    """A FROM resolver that remembers which table each table reference resolved to."""

    def __init__(
        self,
        relation: Callable[[ast.TableRef], Relation],
        resolve: Callable[[ast.TableRef], Target | None],
    ) -> None:
        self._relation = relation
        self._resolve = resolve
        self.tables: dict[int, Target] = {}

    def __call__(self, ref: ast.TableRef) -> Relation:
        found = self._relation(ref)
        if ref.time_travel is None:  # a table as it was may have had other columns
            try:
                target = self._resolve(ref)
            except CloneshellError:  # not a table (INFORMATION_SCHEMA's views)
                return found
            if target is not None and target.table is not None and target.table.kind != "view":
                self.tables[id(ref)] = target
        return found


def refine(columns: tuple[Column, ...], query: ast.Query, recorder: Recorder) -> tuple[Column, ...]:
    """`columns` (from DuckDB's description) with each column taken straight from a table
    typed as that table declares it. Unchanged when the select list cannot be matched to the
    columns one to one (a set operation, a FROM of other things than tables, …)."""
    body = query.body
    if not isinstance(body, ast.Select) or body.from_ is None:
        return columns
    sources = _sources(body.from_, recorder)
    if sources is None:
        return columns
    declared: list[tuple[Target, ColumnMeta] | None] = []
    for item in body.items:
        found = _item_columns(item, sources)
        if found is None:
            return columns
        declared.extend(found)
    if len(declared) != len(columns):
        return columns
    return tuple(
        column if source is None else declared_column(column.name, *source)
        for column, source in zip(columns, declared, strict=True)
    )


def declared_column(name: str, target: Target, meta: ColumnMeta) -> Column:
    """A result column `name` holding a table column as its table declares it."""
    base, _, inner = meta.type.partition("(")
    numbers = [int(n) for n in inner.rstrip(")").split(",") if n.strip().isdigit()]
    precision = scale = length = None
    kind = base
    if base == "NUMBER" and len(numbers) == 2:
        precision, scale = numbers
    elif base in ("VARCHAR", "BINARY") and numbers:
        kind, length = ("TEXT" if base == "VARCHAR" else base), numbers[0]
    elif (base == "TIME" or base.startswith("TIMESTAMP_")) and numbers:
        scale = numbers[0]
    return Column(
        name,
        kind,
        precision,
        scale,
        length,
        nullable=not meta.not_null,
        database=target.db.name,
        schema=target.schema.name,
        table=target.name,
    )


# A FROM's sources: (the name it answers to, the table) in order; None for each source that is
# no table of the catalog (a subquery, a table function).
_Sources = list[tuple[str, Target | None]]


def _sources(item: ast.FromItem, recorder: Recorder) -> _Sources | None:
    if isinstance(item, ast.TableRef):
        ident = item.alias if item.alias is not None else item.name.parts[-1]
        return [(_fold(ident.name, ident), recorder.tables.get(id(item)))]
    if isinstance(item, ast.Join):
        if item.using:  # USING merges columns: `*` is not the tables' columns side by side
            return None
        left, right = _sources(item.left, recorder), _sources(item.right, recorder)
        return None if left is None or right is None else left + right
    return None


def _item_columns(
    item: ast.SelectItem, sources: _Sources
) -> list[tuple[Target, ColumnMeta] | None] | None:
    """What one select item gives: per result column, the table column it is or None (an
    expression); None when the item's columns cannot be known here."""
    expr = item.expr
    if isinstance(expr, ast.Star):
        if expr.exclude:
            return None
        if expr.qualifier is None:
            chosen = sources
        else:
            wanted = _fold(expr.qualifier.parts[-1].name, expr.qualifier.parts[-1])
            chosen = [s for s in sources if s[0] == wanted]
        if len(chosen) != 1 and expr.qualifier is not None:
            return None
        out: list[tuple[Target, ColumnMeta] | None] = []
        for _, target in chosen:
            if target is None or target.table is None:
                return None
            out.extend((target, c) for c in target.table.columns)
        return out
    if isinstance(expr, ast.ColumnRef) and len(expr.parts) <= 2:
        column = _fold(expr.parts[-1].name, expr.parts[-1])
        if len(expr.parts) == 2:
            wanted = _fold(expr.parts[0].name, expr.parts[0])
            candidates = [t for name, t in sources if name == wanted]
        else:
            candidates = [t for _, t in sources]
        matches: list[tuple[Target, ColumnMeta]] = []
        for target in candidates:
            if target is None or target.table is None:
                if len(expr.parts) == 1:
                    return [None]  # it may be that source's: not known
                continue
            matches.extend((target, c) for c in target.table.columns if c.name == column)
        return [matches[0] if len(matches) == 1 else None]
    return [None]


def _fold(name: str, ident: ast.Ident) -> str:
    """An identifier as Snowflake stores it: upper case unless quoted."""
    return name if ident.quoted else name.upper()
