"""How much of a corpus of real statements cloneshell accepts (through scripts/corpus, issue 14).

    scripts/corpus FILE.jsonl [FILE.jsonl ...] [--dialect D] [--top N] [--examples N]
                   [--timeout S] [--limit N] [--out RESULTS.jsonl]

Each line of a corpus file is a JSON object with `sql` and `id` (and optionally `dialect`:
`snowflake`/`sf` or `maxcompute`/`mc`); without one, the dialect is --dialect's, else the file
name's prefix (`sf_…` or `mc_…`). Every statement is parsed in its dialect with the grammar's
parser; one that parses is then run in a fresh warehouse (a copy of a prepared template, a new
session), after stub tables are made for the tables it names, each with the columns the
statement mentions for it. The stubs' columns are numeric first; if the statement fails, it is
tried again with text columns, then with timestamp columns; it counts as run when one attempt
succeeds, and a failure is reported with the first attempt's error. Each attempt gets
`--timeout` seconds (default 5), after which the session is interrupted.

A statement whose first word cannot start one is an expression fragment (corpora extracted from
test suites hold many: `CAST(x AS INT)`): it is read as `SELECT <fragment>`, or as `SELECT
<fragment> FROM fragment_row` when it names columns (not with --no-wrap); a fragment that still
fails is reported with the error further on.

Prints, per file and in total, the parse and run rates and the most frequent failure causes:
errors grouped by stage, code and message with positions, numbers, quoted values and the
statement's own names taken out (the names are listed per group, most frequent first), each with
examples. `--out` writes one JSON line per statement (its outcome, error and group).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import re
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from cloneshell.engine import Session, open_session
from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError, SqlSyntaxError

DIALECT_ALIASES = {
    "snowflake": "snowflake",
    "sf": "snowflake",
    "maxcompute": "maxcompute",
    "mc": "maxcompute",
    "odps": "maxcompute",
}
# The stub columns' types, tried in this order (issue 14: numeric, then text, then timestamp).
STUB_TYPES = {
    "maxcompute": ("BIGINT", "STRING", "DATETIME"),
    "snowflake": ("NUMBER", "VARCHAR", "TIMESTAMP_NTZ"),
}
# Where a statement runs: MaxCompute's default project, a Snowflake database made for it.
HOME = {"maxcompute": "my_project", "snowflake": "CORPUS.PUBLIC"}
FRAGMENT_TABLE = "fragment_row"  # the table a fragment's columns come from
STUB_COLUMN = "stub_col"  # the one column of a stub table whose columns the statement never names


# ------------------------------------------------------------------ the statements' names


@dataclass
class StubTable:
    """A table a statement expects to exist: its name as written and the columns it uses."""

    parts: tuple[ast.Ident, ...]
    columns: dict[str, ast.Ident] = field(default_factory=dict)
    partitions: dict[str, ast.Ident] = field(default_factory=dict)
    shapes: dict[str, str] = field(default_factory=dict)  # column -> "array" | "map" | "text"
    # Columns whose type the statement states (`CHANGE COLUMN a a VARCHAR(10)` restates it).
    declared: dict[str, str] = field(default_factory=dict)
    # Partitions the statement expects to exist (DROP, TOUCH, DESC … PARTITION (…)).
    existing: list[ast.PartitionSpec] = field(default_factory=list)

    def add(self, ident: ast.Ident, dialect: str, partition: bool = False) -> None:
        key = fold(ident, dialect)
        if partition:
            self.partitions.setdefault(key, ident)
            self.columns.pop(key, None)
        elif key not in self.partitions:
            self.columns.setdefault(key, ident)

    def shape(self, ident: ast.Ident, dialect: str, shape: str) -> None:
        """Record that the statement uses the column as an array, a map or a string (the first
        use that says so wins)."""
        self.shapes.setdefault(fold(ident, dialect), shape)


@dataclass
class StubGroup(StubTable):
    """The tables the branches of a `SELECT * … UNION ALL SELECT * …` pass on: a column named
    through its alias belongs to each of them."""

    members: tuple[StubTable, ...] = ()

    def add(self, ident: ast.Ident, dialect: str, partition: bool = False) -> None:
        for member in self.members:
            member.add(ident, dialect, partition)

    def shape(self, ident: ast.Ident, dialect: str, shape: str) -> None:
        for member in self.members:
            member.shape(ident, dialect, shape)


@dataclass
class StubProjection(StubTable):
    """A subquery selecting named columns (`SELECT t1.a, t1.b AS c FROM t t1`): a column named
    through its alias is the table column it selects (so its shape reaches that table)."""

    picked: dict[str, tuple[StubTable, ast.Ident]] = field(default_factory=dict)

    def add(self, ident: ast.Ident, dialect: str, partition: bool = False) -> None:
        source = self.picked.get(fold(ident, dialect))
        if source is not None:
            source[0].add(source[1], dialect, partition)

    def shape(self, ident: ast.Ident, dialect: str, shape: str) -> None:
        source = self.picked.get(fold(ident, dialect))
        if source is not None:
            source[0].shape(source[1], dialect, shape)


def _inserted_columns(source: ast.Query | ast.Values) -> list[ast.Ident]:
    """Columns for the target of an INSERT without a column list: one per value the source
    gives, named after the select item where it has a name (the statement fits the table)."""
    if isinstance(source, ast.Values):
        width = len(source.rows[0]) if source.rows else 0
        return [ast.Ident(name=f"col{i + 1}") for i in range(width)]
    body = source.body
    while isinstance(body, ast.SetOp | ast.Query):
        body = body.left if isinstance(body, ast.SetOp) else body.body
    if any(isinstance(item.expr, ast.Star) for item in body.items):
        return []
    names: list[ast.Ident] = []
    for i, item in enumerate(body.items):
        if item.alias is not None:
            names.append(item.alias)
        elif isinstance(item.expr, ast.ColumnRef):
            names.append(item.expr.parts[-1])
        else:
            names.append(ast.Ident(name=f"col{i + 1}"))
    return names


def fold(ident: ast.Ident, dialect: str) -> str:
    """The name a dialect resolves `ident` to (Snowflake: unquoted upper; MaxCompute: lower)."""
    if dialect == "maxcompute":
        return ident.name.lower()
    return ident.name if ident.quoted else ident.name.upper()


@dataclass
class _Scope:
    """The tables one SELECT (or DML statement) reads, by alias; None marks a CTE or subquery."""

    parent: _Scope | None
    aliases: dict[str, StubTable | None] = field(default_factory=dict)
    first: StubTable | None = None
    # Columns a LATERAL VIEW makes (`LATERAL VIEW explode(c) t AS a`): no table's.
    generated: set[str] = field(default_factory=set)

    def makes(self, name: str) -> bool:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.generated:
                return True
            scope = scope.parent
        return False

    def lookup(self, name: str) -> tuple[bool, StubTable | None]:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.aliases:
                return True, scope.aliases[name]
            scope = scope.parent
        return False, None

    def default(self) -> StubTable | None:
        scope: _Scope | None = self
        while scope is not None:
            if scope.first is not None:
                return scope.first
            scope = scope.parent
        return None


# Statement fields naming a table that must already exist, and the fields naming an object of
# the kind given by another field (`kind`, `object_type`, `on_type`) when that kind is TABLE.
_TABLE_FIELDS = frozenset({"table", "like", "source"})
_KIND_FIELDS = {"kind": "name", "object_type": "object_name", "on_type": "on_name"}
_READS_NAME = (ast.Describe, ast.DropTable, ast.AlterTable)
# SHOW … IN <name>: the kinds of SHOW whose bare `IN name` names a table (not a schema).
_SHOW_IN_TABLE = frozenset({"COLUMNS", "PRIMARY", "UNIQUE", "IMPORTED"})
# Functions whose arguments (by position) are arrays or maps: a stub column passed there is made
# of that shape (issue 14: type the stubs as the statement uses them). Only functions that take
# nothing else there are listed (SIZE takes both: its column is an array unless the statement
# says map elsewhere). A `[n]` subscript makes an array, a `['key']` subscript a map.
_SHAPED_FUNCTIONS: dict[str, dict[str, tuple[int, ...]]] = {
    "map": {
        "map_keys": (0,),
        "map_values": (0,),
        "map_entries": (0,),
        "map_contains_key": (0,),
        "map_filter": (0,),
        "map_concat": (0, 1),
        "transform_keys": (0,),
        "transform_values": (0,),
    },
    "array": {
        "explode": (0,),
        "posexplode": (0,),
        "size": (0,),
        "sort_array": (0,),
        "array_contains": (0,),
        "array_distinct": (0,),
        "array_except": (0, 1),
        "array_intersect": (0, 1),
        "array_union": (0, 1),
        "arrays_overlap": (0, 1),
        "array_join": (0,),
        "array_max": (0,),
        "array_min": (0,),
        "array_position": (0,),
        "array_remove": (0,),
        "array_sort": (0,),
        "array_size": (0,),
        "arrays_zip": (0, 1),
        "filter": (0,),
        "slice": (0,),
        "transform": (0,),
    },
}
# String functions: a stub column passed as their first argument is a string in every attempt
# (a statement that also reads other columns as numbers then runs in the numeric attempt).
_SHAPED_FUNCTIONS["text"] = {
    name: (0,)
    for name in (
        "length", "lengthb", "tolower", "toupper", "lower", "upper", "split", "split_part",
        "instr", "substr", "substring", "trim", "ltrim", "rtrim", "regexp_extract",
        "regexp_replace", "regexp_substr", "regexp_count", "regexp_instr", "regexp_like",
        "get_json_object", "str_to_map", "reverse", "initcap", "lpad", "rpad", "md5",
    )
}  # fmt: skip
# The stub type of an array or map column, around the attempt's element type; a text column's.
SHAPED_TYPES = {
    "maxcompute": {"array": "ARRAY<{}>", "map": "MAP<STRING,{}>", "text": "STRING"},
    "snowflake": {"array": "ARRAY", "map": "OBJECT", "text": "VARCHAR"},
}
_COMPARISONS = frozenset({"=", "==", "<>", "!=", "<", "<=", ">", ">="})


class Names:
    """The tables (with their columns), the containers and all the names of some statements."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.tables: dict[tuple[str, ...], StubTable] = {}
        self.containers: dict[tuple[str, ...], tuple[ast.Ident, ...]] = {}
        # Snowflake: databases named alone (`SHOW SCHEMAS IN DATABASE db1`, `… CLONE my_db`)
        # and named stages a statement reads (`PUT … @s1`, `RM @s1`): they must exist.
        self.databases: dict[str, ast.Ident] = {}
        self.stages: dict[tuple[str, ...], tuple[ast.Ident, ...]] = {}
        self.words: set[str] = set()  # every identifier and function name, for error grouping
        self.orphans = 0  # column references outside any FROM
        # CTE name -> the table a `SELECT * FROM t` CTE passes through (None for other CTEs)
        self._ctes: dict[str, StubTable | None] = {}

    def collect(self, statements: Iterable[ast.Statement]) -> Names:
        for stmt in statements:
            self._statement(stmt)
        return self

    # -- tables and containers

    def _key(self, parts: tuple[ast.Ident, ...]) -> tuple[str, ...]:
        return tuple(fold(p, self.dialect) for p in parts)

    def _container(self, parts: tuple[ast.Ident, ...]) -> None:
        """The project/database/schema a qualified table name lives in."""
        if len(parts) > 1:
            self.containers.setdefault(self._key(parts[:-1]), parts[:-1])

    def _database(self, parts: tuple[ast.Ident, ...]) -> None:
        """A Snowflake database named alone: `USE DATABASE db`, `SHOW … IN DATABASE db`."""
        if len(parts) == 1:
            self.databases.setdefault(fold(parts[0], self.dialect), parts[0])

    def _schema(self, parts: tuple[ast.Ident, ...]) -> None:
        """A schema named alone (`s` in the home database, or `db.s`)."""
        if len(parts) in (1, 2) and fold(parts[-1], self.dialect) != "INFORMATION_SCHEMA":
            self.containers.setdefault(self._key(parts), parts)

    def table(self, name: ast.QualifiedName) -> StubTable | None:
        """The stub for a table read or written by name; for a CTE, the table it passes on;
        None for a view of Snowflake's INFORMATION_SCHEMA (it exists in every database)."""
        parts = name.parts
        if len(parts) > 1 and fold(parts[-2], self.dialect) == "INFORMATION_SCHEMA":
            return None
        if len(parts) == 1 and fold(parts[0], self.dialect) in self._ctes:
            return self._ctes[fold(parts[0], self.dialect)]
        self._container(parts)
        key = self._key(parts)
        if key not in self.tables:
            self.tables[key] = StubTable(parts)
        return self.tables[key]

    # -- the walk

    def _statement(self, stmt: ast.Statement) -> None:
        scope = _Scope(None)
        if isinstance(stmt, ast.Insert):
            target = self.table(stmt.table)
            for ident in stmt.columns:
                if target is not None:
                    target.add(ident, self.dialect)
            if stmt.partition is not None and target is not None:
                for item in stmt.partition.items:
                    target.add(item.name, self.dialect, partition=True)
            if target is not None and not stmt.columns:
                for ident in _inserted_columns(stmt.source):
                    target.add(ident, self.dialect)
            self._node(stmt.source, scope)
            return
        if isinstance(stmt, ast.Update | ast.Delete):
            target = self.table(stmt.table)
            alias = stmt.alias.name if stmt.alias else stmt.table.parts[-1].name
            scope.aliases[alias.lower()] = target
            scope.first = target
            if isinstance(stmt, ast.Update):
                for assignment in stmt.assignments:
                    if target is not None:
                        target.add(assignment.column, self.dialect)
                    self._node(assignment.value, scope)
                self._from(stmt.from_, scope)
            else:
                self._from(stmt.using, scope)
            self._node(stmt.where, scope)
            return
        if isinstance(stmt, ast.Merge):
            target = self.table(stmt.table)
            alias = stmt.alias.name if stmt.alias else stmt.table.parts[-1].name
            scope.aliases[alias.lower()] = target
            self._from(stmt.source, scope)
            self._node(stmt.on, scope)
            for clause in stmt.clauses:
                for ident in (*(a.column for a in clause.assignments), *clause.columns):
                    if target is not None:
                        target.add(ident, self.dialect)
                self._node((clause.condition, tuple(a.value for a in clause.assignments)), scope)
                self._node(clause.values, scope)
            return
        if isinstance(stmt, ast.ShowObjects) and stmt.in_name is not None:
            parts = stmt.in_name.parts
            in_table = stmt.in_kind is None and (len(parts) == 3 or stmt.kind in _SHOW_IN_TABLE)
            if stmt.in_kind == "DATABASE":
                self._database(parts)
            elif stmt.in_kind == "TABLE" or in_table:
                self.table(stmt.in_name)
            elif stmt.in_kind in (None, "SCHEMA"):
                self._schema(parts)
            return
        if isinstance(stmt, ast.UseObject | ast.DropObject) and stmt.kind in ("DATABASE", "SCHEMA"):
            if stmt.kind == "DATABASE":
                self._database(stmt.name.parts)
            else:
                self._schema(stmt.name.parts)
            return
        if isinstance(stmt, ast.CreateSchema) and stmt.clone is None:
            if len(stmt.name.parts) == 2:  # `CREATE SCHEMA db.s`: the database must exist
                self._database(stmt.name.parts[:1])
            return
        if isinstance(stmt, ast.CreateSchema | ast.CreateDatabase) and stmt.clone is not None:
            parts = stmt.clone.source.parts
            if isinstance(stmt, ast.CreateDatabase):
                self._database(parts)
            else:
                self._schema(parts)
            return
        if isinstance(stmt, ast.AlterTable) and isinstance(stmt.action, ast.SwapWith):
            self.table(stmt.action.other)
        if isinstance(stmt, ast.AlterTableAddPartitions | ast.AlterTableDropPartitions):
            target = self.table(stmt.table)
            for spec in stmt.partitions:
                for item in spec.items:
                    if target is not None:
                        target.add(item.name, self.dialect, partition=True)
            for ref in _column_refs(getattr(stmt, "filters", ())):
                if target is not None:
                    target.add(ref.parts[-1], self.dialect, partition=True)
            if target is not None and isinstance(stmt, ast.AlterTableDropPartitions):
                target.existing += stmt.partitions
            return
        if isinstance(stmt, ast.AlterTableChangeColumn | ast.ReadTable):
            # The column changed, or the columns read, are the table's.
            target = self.table(stmt.table)
            named = (stmt.column,) if isinstance(stmt, ast.AlterTableChangeColumn) else stmt.columns
            for ident in named:
                if target is not None:
                    target.add(ident, self.dialect)
            restated = getattr(stmt, "type", None)
            if target is not None and restated is not None and not restated.args:
                params = f"({', '.join(map(str, restated.params))})" if restated.params else ""
                target.declared[fold(stmt.column, self.dialect)] = restated.name + params
        if isinstance(stmt, ast.MultiInsert):  # each branch as an INSERT of its own
            for branch in stmt.inserts:
                self._statement(branch)
            return
        # Any other statement naming partitions of its table (TOUCH, DESC, RENAME PARTITION …).
        owner = getattr(stmt, "table", None) or getattr(stmt, "name", None)
        if isinstance(owner, ast.QualifiedName):
            for spec in _partition_specs(stmt):
                target = self.table(owner)
                for item in spec.items:
                    if target is not None:
                        target.add(item.name, self.dialect, partition=True)
                if target is not None and not (
                    isinstance(stmt, ast.AlterRenamePartition) and spec is stmt.new
                ):
                    target.existing.append(spec)
        for f in dataclasses.fields(stmt):
            value = getattr(stmt, f.name)
            if isinstance(value, ast.QualifiedName):
                if self._reads_table(stmt, f.name):
                    self.table(value)
                elif f.name in ("name", "target", "new_name"):
                    self._container(value.parts)  # an object being made lives somewhere
                    self.words.update(p.name.lower() for p in value.parts)
            elif isinstance(value, ast.CloneSource) and isinstance(stmt, ast.CreateTable):
                self.table(value.source)
            else:
                self._node(value, scope)

    def _reads_table(self, stmt: ast.Statement, name: str) -> bool:
        if name in _TABLE_FIELDS:
            return True
        if name == "name" and isinstance(stmt, _READS_NAME):
            return True
        for kind_field, name_field in _KIND_FIELDS.items():
            if name == name_field and str(getattr(stmt, kind_field, "")).upper() == "TABLE":
                return True
        return False

    def _node(self, value: object, scope: _Scope) -> _Scope:
        """Walk `value`; returns the scope of the SELECT it is, if it is one."""
        if isinstance(value, tuple):
            for item in value:
                self._node(item, scope)
            return scope
        if not isinstance(value, ast.Node):
            return scope
        if isinstance(value, ast.Query):
            self._query(value, scope)
            return scope
        if isinstance(value, ast.Select):
            inner = _Scope(scope)
            self._from(value.from_, inner)
            for item in value.items:
                self._node(item, inner)
            self._node(
                (value.where, value.group_by, value.having, value.qualify), inner
            )  # fmt: skip
            self._node(value.connect_by, inner)
            return inner
        if isinstance(value, ast.ColumnRef):
            self._column(value.parts, scope)
            return scope
        if isinstance(value, ast.FuncCall):
            self.words.update(p.name.lower() for p in value.name.parts)
            self._node((value.args, value.over), scope)
            self._shape_args(value, scope)
            return scope
        if isinstance(value, ast.Subscript):
            self._node((value.expr, value.index), scope)
            index = value.index
            if isinstance(index, ast.Literal) and index.kind == "string":
                self._shape(value.expr, "map", scope)
            elif not (isinstance(index, ast.Literal) and index.value is None):
                self._shape(value.expr, "array", scope)
            return scope
        if isinstance(value, ast.BinaryOp) and value.op in _COMPARISONS:
            # `col > 'b'`: a string column (a constant compared with it says so).
            self._node((value.left, value.right), scope)
            for one, other in ((value.left, value.right), (value.right, value.left)):
                if isinstance(other, ast.Literal) and other.kind == "string":
                    self._shape(one, "text", scope)
            return scope
        if isinstance(value, ast.Like):
            self._node((value.expr, value.pattern), scope)
            self._shape(value.expr, "text", scope)
            return scope
        if isinstance(value, ast.SelectItem) and isinstance(value.expr, ast.FuncCall):
            self._shape_generator(value.expr, len(value.aliases), scope)
            self._node(value.expr, scope)
            return scope
        if isinstance(value, ast.Ident):
            self.words.add(value.name.lower())
            return scope
        if isinstance(value, ast.StageRef) and value.name is not None:
            if value.kind == "TABLE":  # `@%t`: the table's own stage
                self.table(value.name)
            elif value.kind == "NAMED":
                self._container(value.name.parts)
                self.stages.setdefault(self._key(value.name.parts), value.name.parts)
            return scope
        for f in dataclasses.fields(value):
            if f.name != "span":
                self._node(getattr(value, f.name), scope)
        return scope

    def _query(self, query: ast.Query, scope: _Scope) -> StubTable | None:
        """Walk a query; returns the table whose columns it passes on by `SELECT *`, if any
        (a column named through the query's alias then belongs to that table)."""
        for cte in query.with_:
            self._ctes[fold(cte.name, self.dialect)] = self._query(cte.query, scope)
        body = query.body
        if isinstance(body, ast.SetOp):
            through = self._set_operation(body, scope)
            self._node((query.order_by, query.sort_by, query.distribute_by), scope)
            self._node((query.limit, query.offset), scope)
            return through
        inner = self._node(body, scope)
        self._node((query.order_by, query.sort_by, query.distribute_by), inner)
        self._node((query.limit, query.offset), scope)
        if isinstance(body, ast.Select) and any(isinstance(i.expr, ast.Star) for i in body.items):
            return inner.first
        if isinstance(body, ast.Select):
            return self._projection(body, inner)
        return None

    def _projection(self, select: ast.Select, scope: _Scope) -> StubTable | None:
        """The table columns a SELECT of plain column references passes on, by output name."""
        picked: dict[str, tuple[StubTable, ast.Ident]] = {}
        for item in select.items:
            if not isinstance(item.expr, ast.ColumnRef):
                continue
            parts = item.expr.parts
            if len(parts) == 1:
                table = scope.default()
            else:
                found, table = scope.lookup(parts[-2].name.lower())
                if not found:
                    continue
            if table is not None:
                name = item.alias or parts[-1]
                picked[fold(name, self.dialect)] = (table, parts[-1])
        return StubProjection(parts=(), picked=picked) if picked else None

    def _set_operation(self, body: ast.SetOp, scope: _Scope) -> StubTable | None:
        """Walk each branch of a set operation; returns the tables its `SELECT *` branches pass
        on (one, or a group when several do)."""
        passed: list[StubTable] = []
        for branch in (body.left, body.right):
            through: StubTable | None = None
            if isinstance(branch, ast.SetOp):
                through = self._set_operation(branch, scope)
            elif isinstance(branch, ast.Query):
                through = self._query(branch, scope)
            else:
                inner = self._node(branch, scope)
                if any(isinstance(i.expr, ast.Star) for i in branch.items):
                    through = inner.first
            if isinstance(through, StubGroup):
                passed.extend(through.members)
            elif through is not None:
                passed.append(through)
        if len(passed) > 1:
            return StubGroup(parts=(), members=tuple(passed))
        return passed[0] if passed else None

    def _from(self, item: ast.FromItem | None, scope: _Scope) -> None:
        if item is None:
            return
        if isinstance(item, ast.TableRef):
            table = self.table(item.name)
            alias = item.alias.name if item.alias else item.name.parts[-1].name
            scope.aliases[alias.lower()] = table
            if scope.first is None:
                scope.first = table
            self.words.update(p.name.lower() for p in item.name.parts)
            self._node(item.time_travel, scope)
        elif isinstance(item, ast.TableSample):
            self._from(item.table, scope)
            self._node(item.on, scope)
        elif isinstance(item, ast.SubqueryRef | ast.TableFunctionRef):
            through = None
            if isinstance(item, ast.SubqueryRef):
                through = self._query(item.query, scope.parent or scope)
            else:
                self._node(item.func, scope)
            if item.alias is not None:
                scope.aliases[item.alias.name.lower()] = through
            if scope.first is None and through is not None:
                scope.first = through  # `SELECT * FROM (SELECT * FROM t) x`: t's columns
        elif isinstance(item, ast.Pivot | ast.Unpivot):
            # PIVOT and UNPIVOT read their source's columns.
            self._from(item.source, scope)
            if isinstance(item, ast.Pivot):
                self._node((item.aggregate, item.column, item.values, item.default), scope)
            else:
                for c in item.columns:
                    self._column((c.column,), scope)
            if item.alias is not None:
                scope.aliases[item.alias.name.lower()] = scope.first
        elif isinstance(item, ast.LateralView):
            # The generated columns belong to no table; the function reads the source's.
            self._from(item.source, scope)
            self._shape_generator(item.func, len(item.columns), scope)
            self._node(item.func, scope)
            scope.aliases[item.alias.name.lower()] = None
            scope.generated.update(i.name.lower() for i in item.columns)
            self.words.update(i.name.lower() for i in (item.alias, *item.columns))
        elif isinstance(item, ast.Join):
            self._from(item.left, scope)
            left = scope.first
            before = set(scope.aliases)
            self._from(item.right, scope)
            right = next((scope.aliases[a] for a in scope.aliases if a not in before), None)
            for ident in item.using:
                for table in (left, right):
                    if table is not None:
                        table.add(ident, self.dialect)
            self._node(item.on, scope)
            self._node(item.match, scope)  # ASOF JOIN's MATCH_CONDITION

    def _shape_args(self, call: ast.FuncCall, scope: _Scope) -> None:
        """A function that takes arrays or maps: its arguments' columns are of that shape (a
        generator's shape, found first, stays)."""
        name = call.name.parts[-1].name.lower()
        for shape, functions in _SHAPED_FUNCTIONS.items():
            positions = functions.get(name, ())
            for position in positions:
                if position < len(call.args):
                    self._shape(call.args[position], shape, scope)

    def _shape_generator(self, call: ast.FuncCall, names: int, scope: _Scope) -> None:
        """`EXPLODE(c)` reads an array, `EXPLODE(c) AS (k, v)` (two names) a map."""
        if call.name.parts[-1].name.lower() == "explode" and call.args and names == 2:
            self._shape(call.args[0], "map", scope)

    def _shape(self, expr: ast.Expr, shape: str, scope: _Scope) -> None:
        if not isinstance(expr, ast.ColumnRef):
            return
        parts = expr.parts
        if len(parts) == 1:
            table = scope.default()
        else:
            found, table = scope.lookup(parts[-2].name.lower())
            if not found:
                return
        if table is not None:
            table.shape(parts[-1], self.dialect, shape)

    def _column(self, parts: tuple[ast.Ident, ...], scope: _Scope) -> None:
        self.words.update(p.name.lower() for p in parts)
        if len(parts) == 1:
            table = scope.default()
            if scope.makes(parts[0].name.lower()):
                return
            if table is not None:
                table.add(parts[0], self.dialect)
            else:
                self.orphans += 1
            return
        found, table = scope.lookup(parts[-2].name.lower())
        if found:
            if table is not None:
                table.add(parts[-1], self.dialect)
        else:  # `col.field` (a struct) or a qualifier the statement does not define
            table = scope.default()
            if table is not None and len(parts) == 2:
                table.add(parts[0], self.dialect)


# ------------------------------------------------------------------ the stubs


def quote(ident: ast.Ident, dialect: str) -> str:
    """`ident` quoted so that it resolves as the statement's own text does."""
    if dialect == "maxcompute":
        return "`" + ident.name.replace("`", "``") + "`"
    name = ident.name if ident.quoted else ident.name.upper()
    return '"' + name.replace('"', '""') + '"'


def container_script(names: Names) -> list[str]:
    """The statements that make the projects, databases and schemas the tables live in."""
    d = names.dialect
    out: list[str] = [
        f"CREATE DATABASE IF NOT EXISTS {quote(db, d)}" for db in names.databases.values()
    ]
    for parts in names.containers.values():
        q = [quote(p, d) for p in parts]
        if d == "maxcompute":
            if len(parts) == 1:
                out.append(f"CREATE PROJECT IF NOT EXISTS {q[0]}")
        elif len(parts) == 1:
            out.append(f"CREATE SCHEMA IF NOT EXISTS {HOME[d].split('.')[0]}.{q[0]}")
        elif len(parts) == 2:
            out.append(f"CREATE DATABASE IF NOT EXISTS {q[0]}")
            out.append(f"CREATE SCHEMA IF NOT EXISTS {q[0]}.{q[1]}")
    home = HOME[d].split(".")[0]
    for parts in names.stages.values():
        stage = ".".join(quote(p, d) for p in parts)
        prefix = {1: HOME[d] + ".", 2: home + "."}.get(len(parts), "")
        out.append(f"CREATE STAGE IF NOT EXISTS {prefix}{stage}")
    return out


def column_type(table: StubTable, column: ast.Ident, dialect: str, type_name: str) -> str:
    """A stub column's type: `type_name`, or an array or map of it where the statement uses the
    column as one."""
    key = fold(column, dialect)
    if key in table.declared:
        return table.declared[key]
    shape = table.shapes.get(key)
    return SHAPED_TYPES[dialect][shape].format(type_name) if shape else type_name


def table_script(names: Names, type_name: str) -> list[str]:
    """The statements that make the stub tables, each column of type `type_name`."""
    d = names.dialect
    out: list[str] = []
    for table in names.tables.values():
        columns = list(table.columns.values()) or [ast.Ident(name=STUB_COLUMN)]
        body = ", ".join(f"{quote(c, d)} {column_type(table, c, d, type_name)}" for c in columns)
        name = ".".join(quote(p, d) for p in table.parts)
        ddl = f"CREATE TABLE IF NOT EXISTS {name} ({body})"
        if table.partitions:
            keys = ", ".join(f"{quote(p, d)} STRING" for p in table.partitions.values())
            ddl += f" PARTITIONED BY ({keys})"
        out.append(ddl)
        for spec in table.existing:
            named = {fold(i.name, d) for i in spec.items}
            if named == set(table.partitions) and all(i.value is not None for i in spec.items):
                values = ", ".join(
                    f"{quote(i.name, d)} = '{str(i.value.value)}'"  # type: ignore[union-attr]
                    for i in spec.items
                )
                out.append(f"ALTER TABLE {name} ADD IF NOT EXISTS PARTITION ({values})")
    return out


# ------------------------------------------------------------------ running


@dataclass
class Outcome:
    """What became of one statement."""

    id: str
    dialect: str
    sql: str
    parsed: bool = False
    ran: bool = False
    wrapped: bool = False  # an expression fragment, parsed and run as `SELECT <fragment>`
    rowless: bool = False  # `SELECT f(x)` naming columns without a FROM, run over a stub row
    stage: str = ""  # parse | stub | run | timeout | internal (when it failed)
    code: str = ""
    message: str = ""
    group: str = ""
    subjects: tuple[str, ...] = ()
    ran_with: str = ""  # the stub column type of the attempt that succeeded
    seconds: float = 0.0


# What an expression fragment starts with: a name followed by `(`, `::`, `:`, `[` or `.`, or a
# literal or bracket.
_EXPRESSION_START = re.compile(
    r"\s*(?:[A-Za-z_][\w$]*\s*(?:\(|::|:|\[|\.)|['\[{(\d~-])"
    # or a name then an operator: `x & 1`, `ds = '2020-01-01'`, `a RLIKE 'x'`
    r"|\s*[A-Za-z_][\w$]*\s*(?:[-+*/%&|^<>=!]|(?:RLIKE|REGEXP|LIKE|IS|IN|BETWEEN|NOT|DIV)\b)",
    re.IGNORECASE,
)


def _partition_specs(stmt: ast.Statement) -> list[ast.PartitionSpec]:
    """The PARTITION (…) specs a statement names directly."""
    found: list[ast.PartitionSpec] = []
    for f in dataclasses.fields(stmt):
        value = getattr(stmt, f.name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, ast.PartitionSpec):
                found.append(item)
    return found


def _column_refs(node: object) -> list[ast.ColumnRef]:
    """Every column reference under `node`."""
    if isinstance(node, ast.ColumnRef):
        return [node]
    if isinstance(node, tuple):
        return [r for item in node for r in _column_refs(item)]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [r for f in dataclasses.fields(node) for r in _column_refs(getattr(node, f.name))]
    return []


class Timeout(BaseException):
    """Raised by the alarm when an attempt runs over its time."""


class Runner:
    """Fresh warehouses, one per attempt, copied from a template per dialect."""

    def __init__(self, work: Path, timeout: float, wrap: bool = True) -> None:
        self.work = work
        self.timeout = timeout
        self.wrap = wrap
        self._templates: dict[tuple[object, ...], Path] = {}
        self._parsers: dict[str, Session] = {}
        self._running: Session | None = None
        self._timed_out = False
        self._attempts = 0

    def template(self, dialect: str, names: Names) -> Path:
        """A warehouse holding the statement's containers (projects, databases, schemas):
        statements of one corpus share a few, and making a project costs more than a copy."""
        key = (dialect, *sorted(names.containers), *sorted(names.databases), *sorted(names.stages))
        path = self._templates.get(key)
        if path is None:
            path = self.work / f"template_{len(self._templates)}"
            session = open_session(path, dialect=dialect)
            try:
                if dialect == "snowflake":
                    session.execute("CREATE DATABASE CORPUS")
                for ddl in container_script(names):
                    session.execute(ddl)
            finally:
                session.close()
            self._templates[key] = path
        return path

    def parser(self, dialect: str) -> Session:
        """A session to parse with: its errors come in the dialect's format, with its code."""
        session = self._parsers.get(dialect)
        if session is None:
            session = open_session(self.work / f"parser_{dialect}", dialect=dialect)
            self._parsers[dialect] = session
        return session

    def close(self) -> None:
        for session in self._parsers.values():
            session.close()

    def run(self, record: dict[str, Any], dialect: str) -> Outcome:
        text = str(record.get("sql", ""))
        outcome = Outcome(str(record.get("id", "")), dialect, text)
        started = time.perf_counter()
        try:
            self._run(outcome, text)
        finally:
            outcome.seconds = time.perf_counter() - started
        return outcome

    def _run(self, outcome: Outcome, text: str) -> None:
        dialect = outcome.dialect
        try:
            try:
                statements = self.parser(dialect).parse_text(text)
            except SqlSyntaxError as err:
                wrapped = self._wrapped(dialect, text, err)
                if wrapped is None:
                    raise
                statements, text = wrapped
                outcome.wrapped = True
        except CloneshellError as err:
            self._failed(outcome, "parse", err, set())
            return
        except Exception as exc:  # noqa: BLE001 - a traceback is a finding, reported as one
            self._internal(outcome, exc)
            return
        if not statements:
            self._failed(outcome, "parse", CloneshellError("no statement"), set())
            return
        outcome.parsed = True
        failed = self._attempts_of(outcome, statements, text)
        if failed is not None and not outcome.wrapped:
            over_row = self._over_row(dialect, text, statements)
            if over_row is not None and self._attempts_of(outcome, *over_row) is None:
                outcome.rowless = True
                return
        if failed is not None:
            for name in ("stage", "code", "message", "group", "subjects"):
                setattr(outcome, name, getattr(failed, name))

    def _attempts_of(
        self, outcome: Outcome, statements: list[ast.Statement], text: str
    ) -> Outcome | None:
        """Run `text` with stub columns of each type in turn until it runs (then None, and
        `outcome` says with what) or a stub cannot be made; returns the first failed attempt."""
        dialect = outcome.dialect
        names = Names(dialect).collect(statements)
        has_columns = any(t.columns for t in names.tables.values())
        types = STUB_TYPES[dialect] if has_columns else STUB_TYPES[dialect][:1]
        first: Outcome | None = None
        for type_name in types:
            attempt = Outcome(outcome.id, dialect, text, parsed=True)
            self._attempt(attempt, names, type_name)
            if attempt.ran:
                outcome.ran, outcome.ran_with = True, type_name
                return None
            first = first or attempt
            if attempt.stage in ("stub", "timeout"):
                break
        assert first is not None
        return first

    def _wrapped(
        self, dialect: str, text: str, err: SqlSyntaxError
    ) -> tuple[list[ast.Statement], str] | None:
        """An expression fragment (it fails on its first word, and that word is a function, a
        value or a column: `CAST(x AS INT)`, `x::INT`), parsed as `SELECT <fragment>`. A fragment
        that fails further on raises that error, which says more than the first word's."""
        start = len(text) - len(text.lstrip())
        # `(a - b) * 2` fails further on than its first word (after the parenthesis).
        parenthesized = text[start : start + 1] == "("
        if not self.wrap or err.span is None or (err.span.start != start and not parenthesized):
            return None
        if not _EXPRESSION_START.match(text):  # `MERGE INTO …`: a statement kind unknown here
            return None
        wrapped = "SELECT " + text
        try:
            statements = self.parser(dialect).parse_text(wrapped)
        except SqlSyntaxError as later:
            if parenthesized:
                return None  # the statement's own error says more
            if later.span is not None and later.span.start > len("SELECT ") + start:
                raise
            return None
        if Names(dialect).collect(statements).orphans:  # `CAST(x AS INT)`: x from a row
            with_row = f"{wrapped.rstrip().rstrip(';')} FROM {FRAGMENT_TABLE}"
            with contextlib.suppress(SqlSyntaxError):
                return self.parser(dialect).parse_text(with_row), with_row
        return statements, wrapped

    def _over_row(
        self, dialect: str, text: str, statements: list[ast.Statement]
    ) -> tuple[list[ast.Statement], str] | None:
        """`SELECT MAX(x)`: a test of a function over a column, written without the table the
        column comes from (it fails as written, on the real service too: no FROM). Tried again
        as the fragment `MAX(x)` is read: over a stub row (`… FROM fragment_row`). The report
        counts these apart, and `--no-wrap` turns this off as it does the fragments."""
        if not self.wrap or len(statements) != 1:
            return None
        stmt = statements[0]
        if not isinstance(stmt, ast.QueryStmt) or stmt.query.with_:
            return None
        body = stmt.query.body
        if not isinstance(body, ast.Select) or body.from_ is not None:
            return None
        if not Names(dialect).collect(statements).orphans:
            return None
        with_row = f"{text.rstrip().rstrip(';')} FROM {FRAGMENT_TABLE}"
        try:
            return self.parser(dialect).parse_text(with_row), with_row
        except SqlSyntaxError:  # `SELECT f(x) WHERE …`: a FROM does not go at the end
            return None

    def _attempt(self, outcome: Outcome, names: Names, type_name: str) -> None:
        dialect = outcome.dialect
        self._attempts += 1
        home = self.work / f"attempt_{self._attempts}"
        try:
            template = self.template(dialect, names)
        except CloneshellError as err:
            self._failed(outcome, "stub", err, names.words)
            return
        shutil.copytree(template, home)
        session: Session | None = None
        previous = signal.signal(signal.SIGALRM, self._alarm)
        try:
            session = open_session(home, dialect=dialect)
            stage = "stub"
            try:
                session.execute(f"USE {'SCHEMA ' if dialect == 'snowflake' else ''}{HOME[dialect]}")
                for ddl in table_script(names, type_name):
                    session.execute(ddl)
                stage = "run"
                self._running = session
                self._timed_out = False
                signal.setitimer(signal.ITIMER_REAL, self.timeout)
                session.execute(outcome.sql)
                outcome.ran = True
            except CloneshellError as err:
                self._failed(outcome, stage, err, names.words)
            except (Timeout, KeyboardInterrupt):
                # The engine reads DuckDB's "Query interrupted" as the user's Ctrl-C; when the
                # alarm interrupted it, it is this attempt's timeout.
                if not self._timed_out:
                    raise
                outcome.stage, outcome.group = "timeout", f"timeout: over {self.timeout:g} s"
            except Exception as exc:  # noqa: BLE001 - a traceback is a finding, reported as one
                self._internal(outcome, exc)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                self._running = None
        finally:
            signal.signal(signal.SIGALRM, previous)
            if session is not None:
                session.close()
            shutil.rmtree(home, ignore_errors=True)

    def _alarm(self, signum: int, frame: FrameType | None) -> None:
        self._timed_out = True
        if self._running is not None:  # DuckDB is busy: stop it, then leave the statement
            self._running.interrupt()
        raise Timeout()

    @staticmethod
    def _failed(outcome: Outcome, stage: str, err: CloneshellError, words: set[str]) -> None:
        outcome.stage, outcome.code, outcome.message = stage, err.code, err.text
        syntax = isinstance(err, SqlSyntaxError) or stage == "parse"
        message = (
            err.text[len(err.code) :] if err.code and err.text.startswith(err.code) else err.text
        )
        message = re.sub(r"^:?\s*(\([0-9A-Z]{5}\):)?\s*", "", message)  # Snowflake's SQL state
        group, outcome.subjects = normalize(message, words, syntax)
        outcome.group = f"{stage}: {err.code} {group}" if err.code else f"{stage}: {group}"

    @staticmethod
    def _internal(outcome: Outcome, exc: Exception) -> None:
        outcome.stage, outcome.message = "internal", f"{type(exc).__name__}: {exc}"
        outcome.group = f"internal: Python {type(exc).__name__} (a traceback)"


# ------------------------------------------------------------------ grouping

_POSITION = re.compile(r"\[\d+,\d+\]\s*|line \d+ at position \d+\s*|\bat \[\d+:\d+\]")
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`")
_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_NUMBER = re.compile(r"(?<![A-Za-z_<])\d+(?:\.\d+)?")


def normalize(text: str, words: set[str], syntax: bool) -> tuple[str, tuple[str, ...]]:
    """A failure's group: `text` without positions, numbers, quoted values (a syntax error keeps
    its offending token, upper-cased) and the statement's own names (returned as subjects)."""
    subjects: list[str] = []
    message = _POSITION.sub("", text)
    message = message.replace("SQL compilation error:\n", "SQL compilation error: ")

    def quoted(m: re.Match[str]) -> str:
        inner = m.group(0)[1:-1]
        if inner.lower() in words:
            subjects.append(inner.lower())
            return "<name>"
        if syntax:
            return m.group(0).upper()
        return "'…'"

    message = _QUOTED.sub(quoted, message)

    def word(m: re.Match[str]) -> str:
        if m.group(0).lower() in words:
            subjects.append(m.group(0).lower())
            return "<name>"
        return m.group(0)

    if not syntax:
        message = _WORD.sub(word, message)
    message = _NUMBER.sub("N", message)
    message = re.sub(r"<name>(?:\.<name>)+", "<name>", message)
    message = " ".join(message.split())
    return message[:200], tuple(subjects)


# ------------------------------------------------------------------ the report


def dialect_of(path: Path, option: str | None) -> str | None:
    if option:
        return DIALECT_ALIASES[option.lower()]
    prefix = path.name.split("_", 1)[0].lower()
    return DIALECT_ALIASES.get(prefix) if "_" in path.name else None


def records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                record = json.loads(line)
                record.setdefault("id", f"{path.stem}:{number}")
                yield record


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def report(title: str, outcomes: list[Outcome], top: int, examples: int) -> list[str]:
    total = len(outcomes)
    parsed = sum(o.parsed for o in outcomes)
    ran = sum(o.ran for o in outcomes)
    lines = [
        f"== {title}: {total} statements",
        f"parsed {parsed} ({percent(parsed, total)}), ran {ran} ({percent(ran, total)})",
    ]
    wrapped = [o for o in outcomes if o.wrapped]
    if wrapped:
        lines.append(
            f"expression fragments read as SELECT <fragment>: {len(wrapped)} "
            f"(ran {sum(o.ran for o in wrapped)})"
        )
    rowless = [o for o in outcomes if o.rowless]
    if rowless:
        strict = ran - len(rowless)
        lines.append(
            f"SELECT naming columns without a FROM, failed as written, ran over a stub row: "
            f"{len(rowless)}; as written, without the row: ran {strict} ({percent(strict, total)})"
        )
    stages = Counter(o.stage for o in outcomes if not o.ran)
    lines.append(
        "failed at: " + ", ".join(f"{stage} {n}" for stage, n in stages.most_common())
        if stages
        else "failed at: nothing"
    )
    failed = [o for o in outcomes if not o.ran]
    groups = Counter(o.group for o in failed)
    if groups:
        lines.append(f"top {min(top, len(groups))} of {len(groups)} failure causes:")
    for group, count in groups.most_common(top):
        members = [o for o in failed if o.group == group]
        lines.append(f"{count:6d}  {group}")
        subjects = Counter(s for o in members for s in dict.fromkeys(o.subjects))
        if subjects:
            named = ", ".join(f"{s} {n}" for s, n in subjects.most_common(8))
            lines.append(f"        names: {named}")
        for o in members[:examples]:
            sql = " ".join(o.sql.split())
            lines.append(f"        e.g. {o.id}: {sql[:110]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="corpus files (JSON lines)")
    parser.add_argument("--dialect", choices=sorted(DIALECT_ALIASES), help="default dialect")
    parser.add_argument("--top", type=int, default=15, help="failure causes shown (15)")
    parser.add_argument("--examples", type=int, default=2, help="examples per cause (2)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per attempt (5)")
    parser.add_argument("--limit", type=int, help="only the first N statements of each file")
    parser.add_argument("--out", type=Path, help="write each statement's outcome here (JSONL)")
    parser.add_argument(
        "--no-wrap",
        action="store_true",
        help="do not read an expression fragment (CAST(x AS INT)) as SELECT <fragment>",
    )
    args = parser.parse_args(argv)

    every: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="cloneshell-corpus-") as work:
        runner = Runner(Path(work), args.timeout, wrap=not args.no_wrap)
        out = args.out.open("w", encoding="utf-8") if args.out else None
        try:
            for path in args.files:
                default = dialect_of(path, args.dialect)
                outcomes: list[Outcome] = []
                for n, record in enumerate(records(path)):
                    if args.limit is not None and n >= args.limit:
                        break
                    given = record.get("dialect")
                    dialect = DIALECT_ALIASES.get(str(given).lower()) if given else default
                    if dialect is None:
                        parser.error(
                            f"{path}: no dialect for {record['id']} (name the file sf_… or "
                            "mc_…, give --dialect, or a `dialect` field)"
                        )
                    outcome = runner.run(record, dialect)
                    outcomes.append(outcome)
                    if out is not None:
                        out.write(json.dumps(dataclasses.asdict(outcome)) + "\n")
                lines = report(f"{path.name} ({default or 'per line'})", outcomes, args.top,
                               args.examples)  # fmt: skip
                print("\n".join(lines), flush=True)
                every.extend(outcomes)
        finally:
            runner.close()
            if out is not None:
                out.close()
    if len(args.files) > 1:
        print("\n".join(report("all files", every, args.top, args.examples)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
