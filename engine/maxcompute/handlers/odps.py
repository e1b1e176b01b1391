"""MaxCompute's metadata statements that change no rows (grammar/ast/odps.py): ANALYZE TABLE,
ADD|REMOVE STATISTIC and SHOW STATISTIC (the optimizer's statistics), ALTER TABLE … ENABLE|
DISABLE LIFECYCLE, and odpscmd's LIST of a project's functions, resources, account providers,
trusted projects and jobs.

No optimizer and no lifecycle reclamation run here, so collecting statistics, registering one
or switching a table's lifecycle has nothing to record: each statement checks what MaxCompute
checks (the table, its partition and columns exist; the caller holds Alter) and answers OK.
SHOW STATISTIC computes the statistics from the rows as they are now, so it always shows what
a fresh ANALYZE would collect."""

from __future__ import annotations

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import TableMeta
from cloneshell.engine.core.errors import CatalogError, SemanticError
from cloneshell.engine.core.result import Rows, Status, Text
from cloneshell.engine.maxcompute import catalog
from cloneshell.engine.maxcompute.context import MaxComputeContext, Target
from cloneshell.engine.maxcompute.handlers import dml
from cloneshell.engine.maxcompute.handlers.tables import _altered, storage_spec
from cloneshell.grammar import ast
from cloneshell.grammar.parser import parse

# ADD|REMOVE STATISTIC's kinds: those that name a column, and those that name none.
_COLUMN_STATISTICS = frozenset(
    {"null_value", "distinct_value", "column_sum", "column_max", "column_min"}
)
_TABLE_STATISTICS = frozenset({"table_count"})
# Types whose columns have a MaxValue and MinValue (the optimizer page's table).
_ORDERED = ("tinyint", "smallint", "int", "bigint", "float", "double", "decimal", "numeric")
_DATED = ("date", "datetime", "timestamp", "interval")


def _partition(ctx: MaxComputeContext, target: Target, spec: ast.PartitionSpec | None) -> None:
    """A named partition must be one the table has."""
    table = target.table
    assert table is not None
    if spec is None:
        return
    if not table.partitioned:
        raise SemanticError("semantic", spec.span, message=f"table {table.name} is not partitioned")
    values = storage.partition_values(table, spec, ctx.session.dialect.fold)
    text = storage_spec(table, values)
    if catalog.get_partition(target.cat, table, text) is None:
        raise CatalogError("partition_not_found", spec.span, spec=text, name=table.name)


def _columns(ctx: MaxComputeContext, table: TableMeta, names: tuple[ast.Ident, ...]) -> list[str]:
    """The named columns (all, when none is named), each checked to be one of the table's."""
    known = [c.name for c in table.all_columns]
    picked = []
    for ident in names:
        name = ctx.fold(ident)
        if name not in known:
            raise SemanticError("semantic", ident.span, message=f"column {name} cannot be resolved")
        picked.append(name)
    return picked or known


def analyze_table(ctx: MaxComputeContext, stmt: ast.AnalyzeTable) -> Status:
    """ANALYZE TABLE t [PARTITION (..)] COMPUTE|DELETE STATISTICS [FOR COLUMNS [(cols)]]."""
    target = _altered(ctx, stmt.table, "Alter")
    assert target.table is not None
    _partition(ctx, target, stmt.partition)
    _columns(ctx, target.table, stmt.columns)
    return Status(ctx.session.dialect.ok_message)


def statistic_change(ctx: MaxComputeContext, stmt: ast.StatisticChange) -> Status:
    """ADD|REMOVE STATISTIC t <kind> [column | condition]: table_count names nothing, the column
    kinds one column of t, expression_condition a condition on t's columns."""
    target = _altered(ctx, stmt.table, "Alter")
    assert target.table is not None
    kind = ctx.fold(stmt.kind)
    if kind in _TABLE_STATISTICS:
        wanted = "nothing"
        ok = stmt.target is None
    elif kind in _COLUMN_STATISTICS:
        wanted = "a column"
        ok = isinstance(stmt.target, ast.ColumnRef) and len(stmt.target.parts) == 1
        if ok:
            assert isinstance(stmt.target, ast.ColumnRef)
            _columns(ctx, target.table, stmt.target.parts)
    elif kind == "expression_condition":
        wanted = "a condition"
        ok = stmt.target is not None
    else:
        raise SemanticError("semantic", stmt.kind.span, message=f"unknown statistic type {kind}")
    if not ok:
        span = stmt.target.span if stmt.target is not None else stmt.kind.span
        raise SemanticError(
            "semantic", span, message=f"statistic {kind} takes {wanted} after its name"
        )
    return Status(ctx.session.dialect.ok_message)


def show_statistic(ctx: MaxComputeContext, stmt: ast.ShowStatistic) -> Rows:
    """SHOW STATISTIC t [PARTITION (..)] [COLUMNS (cols)]: per column, MaxValue and MinValue
    (numeric and date types; NULL for the others), DistinctNum and NullNum, over the rows as
    they are now (the partition's, when one is named). Needs Select on t."""
    target = ctx.require_table(stmt.table)
    table = target.table
    assert table is not None
    _partition(ctx, target, stmt.partition)
    types = {c.name: c.type.lower() for c in table.all_columns}
    source = ".".join(f"`{p.name}`" if p.quoted else p.name for p in stmt.table.parts)
    where = ""
    if stmt.partition is not None:
        tests = [
            f"`{ctx.fold(i.name)}` = '{str(i.value.value if i.value else '')}'"
            for i in stmt.partition.items
        ]
        where = " WHERE " + " AND ".join(tests)
    branches = []
    for name in _columns(ctx, table, stmt.columns):
        col = f"`{name}`"
        ordered = types[name].startswith(_ORDERED + _DATED)
        high = f"CAST(MAX({col}) AS STRING)" if ordered else "CAST(NULL AS STRING)"
        low = f"CAST(MIN({col}) AS STRING)" if ordered else "CAST(NULL AS STRING)"
        branches.append(
            f"SELECT '{name}' AS ColumnName, {high} AS MaxValue, {low} AS MinValue, "
            f"COUNT(DISTINCT {col}) AS DistinctNum, COUNT(*) - COUNT({col}) AS NullNum "
            f"FROM {source}{where}"
        )
    (query,) = parse(" UNION ALL ".join(branches), "maxcompute")
    assert isinstance(query, ast.QueryStmt)
    return dml.select(ctx, query)


def lifecycle_switch(ctx: MaxComputeContext, stmt: ast.AlterLifecycleSwitch) -> Status:
    """ALTER TABLE t [PARTITION (..)] ENABLE|DISABLE LIFECYCLE: needs Alter; the partition must
    exist."""
    target = _altered(ctx, stmt.table, "Alter")
    _partition(ctx, target, stmt.partition)
    return Status(ctx.session.dialect.ok_message)


def list_objects(ctx: MaxComputeContext, stmt: ast.ListProjectObjects) -> Text:
    """LIST FUNCTIONS|RESOURCES|TRUSTEDPROJECTS|JOBS: none exist in an emulated project (no UDF,
    resource, trusted project or background job can be made here); LIST ACCOUNTPROVIDERS: the
    one account provider a project starts with, ALIYUN. Needs List on the project."""
    info, cat = ctx.current_project()
    ctx.auth.require_project_action(info, cat, "List")
    lines = ("ALIYUN",) if stmt.kind == "ACCOUNTPROVIDERS" else ()
    return Text(lines, ctx.statement_id)
