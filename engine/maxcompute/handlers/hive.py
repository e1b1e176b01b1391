"""MaxCompute's Hive-family statements (grammar/ast/hive.py), multi-insert aside (dml.py):
SHOW CREATE TABLE, ALTER TABLE … MERGE SMALLFILES, ALTER TABLE … PARTITION (..) RENAME TO
PARTITION (..), READ."""

from __future__ import annotations

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import ColumnMeta, TableMeta
from cloneshell.engine.core.errors import CatalogError, SemanticError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Rows, Status, Text
from cloneshell.engine.maxcompute import catalog
from cloneshell.engine.maxcompute.context import MaxComputeContext
from cloneshell.engine.maxcompute.handlers import dml
from cloneshell.engine.maxcompute.handlers.tables import _altered, storage_spec
from cloneshell.grammar import ast


def _bq(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _column(c: ColumnMeta) -> str:
    text = f"{_bq(c.name)} {c.type.upper()}"
    if c.not_null:
        text += " NOT NULL"
    if c.comment:
        text += f" COMMENT {_literal(c.comment)}"
    return text


def create_statement(project: str, table: TableMeta) -> list[str]:
    """The CREATE TABLE statement that makes `table` again, one clause a line."""
    kind = "EXTERNAL TABLE" if table.kind == "external" else "TABLE"
    lines = [f"CREATE {kind} IF NOT EXISTS {project}.{_bq(table.name)} ("]
    cols = [_column(c) for c in table.columns]
    lines += [f"    {c}," for c in cols[:-1]] + [f"    {cols[-1]}", ")"]
    if table.comment:
        lines.append(f"COMMENT {_literal(table.comment)}")
    if table.partition_columns:
        parts = ", ".join(_column(c) for c in table.partition_columns)
        lines.append(f"PARTITIONED BY ({parts})")
    if table.cluster:
        c = table.cluster
        kind = "RANGE CLUSTERED" if c["type"] == "range" else "CLUSTERED"
        text = f"{kind} BY ({', '.join(c['columns'])})"
        if c["sorted_by"]:
            order = ", ".join(
                f"{s['column']} {'DESC' if s['desc'] else 'ASC'}" for s in c["sorted_by"]
            )
            text += f" SORTED BY ({order})"
        if c.get("buckets") is not None:
            text += f" INTO {c['buckets']} BUCKETS"
        lines.append(text)
    props = table.properties
    if "row_format" in props:
        lines.append(f"ROW FORMAT {props['row_format']}")
    serde = [(k[len("serde.") :], v) for k, v in props.items() if k.startswith("serde.")]
    if serde:
        pairs = ", ".join(f"{_literal(k)}={_literal(v)}" for k, v in serde)
        lines.append(f"WITH SERDEPROPERTIES ({pairs})")
    if "stored_as" in props:
        lines.append(f"STORED AS {props['stored_as']}")
    if table.location:
        lines.append(f"LOCATION {_literal(table.location)}")
    tblprops = [
        (k, v)
        for k, v in props.items()
        if k not in ("row_format", "stored_as") and not k.startswith("serde.")
    ]
    if tblprops:
        pairs = ", ".join(f"{_literal(k)}={_literal(v)}" for k, v in tblprops)
        lines.append(f"TBLPROPERTIES ({pairs})")
    if table.lifecycle is not None:
        lines.append(f"LIFECYCLE {table.lifecycle}")
    lines[-1] += ";"
    return lines


def show_create_table(ctx: MaxComputeContext, stmt: ast.ShowCreateTable) -> Text:
    """SHOW CREATE TABLE t: the DDL that makes the table again (a view: its CREATE VIEW);
    needs Describe on it."""
    target = ctx.require_table(stmt.table)
    table = target.table
    assert table is not None
    ctx.auth.require_table_action(target.info, target.cat, table, "Describe")
    if table.kind == "view":
        name = f"{target.info.name}.{_bq(table.name)}"
        query = table.properties.get("query", "")
        return Text((f"CREATE VIEW IF NOT EXISTS {name} AS {query};",), ctx.statement_id)
    return Text(tuple(create_statement(target.info.name, table)), ctx.statement_id)


def merge_smallfiles(ctx: MaxComputeContext, stmt: ast.AlterMergeSmallfiles) -> Status:
    """ALTER TABLE t [PARTITION (..)] MERGE SMALLFILES: the project's file is compacted when the
    session goes idle (the rewrite that frees the blocks deleted rows left, Warehouse.compact);
    no data changes. Needs Alter; a named partition must exist."""
    target = _altered(ctx, stmt.table, "Alter")
    table = target.table
    assert table is not None
    if stmt.partition is not None:
        if not table.partitioned:
            raise SemanticError(
                "semantic", stmt.partition.span, message=f"table {table.name} is not partitioned"
            )
        values = storage.partition_values(table, stmt.partition, ctx.session.dialect.fold)
        spec = storage_spec(table, values)
        if catalog.get_partition(target.cat, table, spec) is None:
            raise CatalogError(
                "partition_not_found", stmt.partition.span, spec=spec, name=table.name
            )
    ctx.session.compact_candidates.add(target.info.file)
    return Status(ctx.session.dialect.ok_message)


def rename_partition(ctx: MaxComputeContext, stmt: ast.AlterRenamePartition) -> Status:
    """ALTER TABLE t PARTITION (old) RENAME TO PARTITION (new): the partition's rows take the new
    values; the old partition must exist and the new one must not. Needs Alter."""
    target = _altered(ctx, stmt.table, "Alter")
    table = target.table
    assert table is not None
    if not table.partitioned:
        raise SemanticError(
            "semantic", stmt.old.span, message=f"table {table.name} is not partitioned"
        )
    fold = ctx.session.dialect.fold
    old = storage.partition_values(table, stmt.old, fold)
    new = storage.partition_values(table, stmt.new, fold)
    old_spec, new_spec = storage_spec(table, old), storage_spec(table, new)
    if catalog.get_partition(target.cat, table, old_spec) is None:
        raise CatalogError("partition_not_found", stmt.old.span, spec=old_spec, name=table.name)
    if catalog.get_partition(target.cat, table, new_spec) is not None:
        raise CatalogError("partition_exists", stmt.new.span, spec=new_spec)
    con = ctx.session.warehouse.con
    where = storage.partition_predicate(table, old)
    picks: list[str] = [quote_ident(c.name) for c in table.columns]
    params: list[object] = []
    for c in table.partition_columns:
        params.append(new[c.name])
        picks.append(f"CAST(? AS {c.duck_type})")
    with ctx.write(target.info, target.cat, "RENAME PARTITION") as version:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE __cs_moved AS SELECT {', '.join(picks)} "
            f"FROM {target.cat.physical(table)} WHERE {where.sql}",
            [*params, *where.params],
        )
        storage.delete(target.cat, table, where, version)
        storage.append(target.cat, table, "SELECT * FROM temp.__cs_moved", [], version)
        con.execute("DROP TABLE temp.__cs_moved")
        catalog.drop_partition(target.cat, table, old_spec)
        catalog.add_partition(target.cat, table, new, ctx.now)
        target.cat.touch_table(table, ctx.now, ddl=True)
    return Status(ctx.session.dialect.ok_message)


def read_table(ctx: MaxComputeContext, stmt: ast.ReadTable) -> Rows:
    """READ t [(cols)] [PARTITION (..)] [n]: the query `SELECT cols FROM t WHERE <partition>
    LIMIT n` (Select on the table; at most the 10,000 rows a query shows)."""
    span = stmt.span
    items: tuple[ast.SelectItem, ...] = tuple(
        ast.SelectItem(span=c.span, expr=ast.ColumnRef(span=c.span, parts=(c,)))
        for c in stmt.columns
    ) or (ast.SelectItem(span=span, expr=ast.Star(span=span)),)
    where: ast.Expr | None = None
    for item in stmt.partition.items if stmt.partition is not None else ():
        assert item.value is not None
        value = ast.Literal(span=item.value.span, value=str(item.value.value), kind="string")
        test = ast.BinaryOp(
            span=item.span,
            op="=",
            left=ast.ColumnRef(span=item.name.span, parts=(item.name,)),
            right=value,
        )
        where = test if where is None else ast.BinaryOp(span=span, op="AND", left=where, right=test)
    limit = (
        ast.Literal(span=span, value=stmt.rows, kind="integer", text=str(stmt.rows))
        if stmt.rows is not None
        else None
    )
    query = ast.Query(
        span=span,
        body=ast.Select(
            span=span, items=items, from_=ast.TableRef(span=span, name=stmt.table), where=where
        ),
        limit=limit,
    )
    return dml.select(ctx, ast.QueryStmt(span=span, query=query))
