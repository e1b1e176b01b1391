"""Snowflake ALTER TABLE on columns, clustering and names: ADD/DROP/RENAME COLUMN, ALTER|MODIFY
COLUMN (SET/DROP NOT NULL, SET/DROP DEFAULT, [SET DATA] TYPE, COMMENT), SWAP WITH, CLUSTER BY,
DROP CLUSTERING KEY, SUSPEND|RESUME RECLUSTER, ADD/DROP/RENAME/ALTER of a constraint (ALTER
TABLE's RENAME TO and SET/UNSET are in objects.py).

Each statement commits one version and needs OWNERSHIP of the table (snowflake.md §6). A column
change applies to the table's live rows and to its history alike, so a Time Travel read after it
sees the current columns: a column added since reads NULL in the past, a dropped one is gone
from the past too — Snowflake's documented rule ("Understanding & Using Time Travel": a
historical query returns the table's current columns). A type change follows ALTER TABLE …
ALTER COLUMN's rules: a VARCHAR only grows, a NUMBER keeps its scale.
"""

from __future__ import annotations

from dataclasses import replace

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import VERSION_COLUMN, ColumnMeta, ProjectCatalog, TableMeta
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import CatalogError, SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Status
from cloneshell.engine.snowflake import constraints, ddl, tableoptions, tags, types
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.handlers import views
from cloneshell.grammar import ast


def alter_table(ctx: SnowflakeContext, stmt: ast.AlterTable) -> Status:
    """ALTER TABLE [IF EXISTS] t <action>."""
    target = ctx.resolve(stmt.name, "ALTER")
    if target.table is None:
        if stmt.if_exists:
            return ddl.ok(ctx)
        raise CatalogError("object_not_found", stmt.name.span, name=target.fq)
    table = views.require_kind(target, stmt.name, "TABLE")
    ctx.auth.require_owner(table.owner, "table", table.name)
    action = stmt.action
    if isinstance(action, ast.SwapWith):
        return _swap(ctx, target, table, action)
    if isinstance(action, ast.Clustering):
        return _clustering(ctx, target, table, action)
    if isinstance(
        action, ast.AddConstraint | ast.DropConstraint | ast.RenameConstraint | ast.AlterConstraint
    ):
        return _constraint(ctx, target, table, action)
    columns = list(table.columns)
    cat = target.db.cat
    tagged = _column_tags(ctx, table, action) if isinstance(action, ast.AlterColumns) else None
    if isinstance(action, ast.AddColumns) and any(d.tags for d in action.columns):
        added = {ctx.fold(d.name): tags.checked(ctx, d.tags) for d in action.columns}
        per_column = {**tags.column_tags(table), **added}
        tagged = tags.with_tags(table, tags.table_tags(table), per_column)
    with ctx.write_db(target.db, "ALTER TABLE") as version:
        if isinstance(action, ast.AddColumns):
            _add(ctx, cat, table, columns, action, version)
        elif isinstance(action, ast.DropColumns):
            _drop(ctx, cat, table, columns, action)
        elif isinstance(action, ast.RenameColumn):
            _rename(ctx, cat, table, columns, action)
        else:
            for change in action.changes:
                if change.change not in _TAG_CHANGES:
                    _change(ctx, cat, table, columns, change)
        cat.set_columns(table.table_id, tuple(columns))
        if tagged is not None:
            cat.set_properties(table.table_id, tagged)
        cat.update_table(table.table_id, ddl_at=ctx.now)
    return ddl.ok(ctx)


# ---------------------------------------------------------------------------- columns

_TAG_CHANGES = ("SET TAG", "UNSET TAG", "SET POLICY")


def _column_tags(
    ctx: SnowflakeContext, table: TableMeta, action: ast.AlterColumns
) -> dict[str, str] | None:
    """The table's properties after `ALTER COLUMN c SET TAG … | UNSET TAG …` (None when the
    action changes no tag); SET MASKING | PROJECTION POLICY is refused by name."""
    changes = [c for c in action.changes if c.change in _TAG_CHANGES]
    if not changes:
        return None
    per_column = tags.column_tags(table)
    names = {c.name for c in table.columns}
    for change in changes:
        if change.policy is not None:
            raise UnsupportedError("unsupported", change.policy.span, message=change.policy.kind)
        column = ctx.fold(change.column)
        if column not in names:
            raise SemanticError("column_not_found", change.column.span, name=column)
        now = tags.unset(ctx, per_column.get(column, {}), change.untagged)
        now.update(tags.checked(ctx, change.tags))
        per_column[column] = now
    return tags.with_tags(table, tags.table_tags(table), per_column)


def _index(ctx: SnowflakeContext, columns: list[ColumnMeta], ident: ast.Ident) -> int | None:
    name = ctx.fold(ident)
    return next((i for i, c in enumerate(columns) if c.name == name), None)


def _require(ctx: SnowflakeContext, columns: list[ColumnMeta], ident: ast.Ident) -> int:
    i = _index(ctx, columns, ident)
    if i is None:
        raise SemanticError("column_not_found", ident.span, name=ctx.fold(ident))
    return i


def _physical(cat: ProjectCatalog, table: TableMeta) -> list[str]:
    """The DuckDB tables holding the table's rows: live storage, and history if it has any."""
    return [cat.physical(table)] + ([cat.history_name(table)] if cat.has_history(table) else [])


def _add(
    ctx: SnowflakeContext,
    cat: ProjectCatalog,
    table: TableMeta,
    columns: list[ColumnMeta],
    action: ast.AddColumns,
    version: int,
) -> None:
    tableoptions.check_columns(action.columns)
    for d in action.columns:
        if _index(ctx, columns, d.name) is not None:
            if action.if_not_exists:
                continue
            raise SemanticError(
                "semantic", d.name.span, message=f"column '{ctx.fold(d.name)}' already exists"
            )
        meta = ddl.column_meta(ctx, d)
        ddl.check_columns((*columns, meta), d.span)
        fill: tuple[str, list[object]] | None = None
        if d.default is not None:
            tr = ctx.translator()
            fill = (tr.expr(d.default), tr.params)
        if meta.not_null and fill is None and _row_count(cat, table) > 0:
            raise SemanticError(
                "semantic",
                d.span,
                message=f"Non-nullable column '{meta.name}' cannot be added to non-empty table "
                f"'{table.name}' unless it has a non-null default value.",
            )
        filled = fill is not None and _row_count(cat, table) > 0
        if filled and table.retention_days > 0:
            storage.history_table(cat, table)  # the rows the default replaces go there
        for name in _physical(cat, table):
            cat.con.execute(
                f"ALTER TABLE {name} ADD COLUMN {quote_ident(meta.name)} {meta.duck_type}"
            )
        if filled and fill is not None:
            # Existing rows take the default in a new version of them; the past keeps them
            # without it (NULL), as every historical read shows an added column.
            sql, params = fill
            live = cat.physical(table)
            storage.keep_rows(cat, table, f"SELECT rowid FROM {live}", version)
            cat.con.execute(
                f"UPDATE {live} SET {quote_ident(meta.name)} = CAST(({sql}) AS {meta.duck_type}),"
                f" {quote_ident(VERSION_COLUMN)} = {int(version)}",
                params,
            )
        columns.append(meta)


def _drop(
    ctx: SnowflakeContext,
    cat: ProjectCatalog,
    table: TableMeta,
    columns: list[ColumnMeta],
    action: ast.DropColumns,
) -> None:
    for ident in action.names:
        i = _index(ctx, columns, ident)
        if i is None:
            if action.if_exists:
                continue
            raise SemanticError("column_not_found", ident.span, name=ctx.fold(ident))
        if len(columns) == 1:
            raise SemanticError(
                "semantic", ident.span, message="Cannot drop the only column of a table."
            )
        name = columns.pop(i).name
        for physical in _physical(cat, table):
            cat.con.execute(f"ALTER TABLE {physical} DROP COLUMN {quote_ident(name)}")


def _rename(
    ctx: SnowflakeContext,
    cat: ProjectCatalog,
    table: TableMeta,
    columns: list[ColumnMeta],
    action: ast.RenameColumn,
) -> None:
    i = _require(ctx, columns, action.old)
    new = ddl.check_name(ctx.fold(action.new), action.new.span, "column name")
    if _index(ctx, columns, action.new) is not None:
        raise SemanticError("semantic", action.new.span, message=f"column '{new}' already exists")
    renamed = replace(columns[i], name=new)
    ddl.check_columns((*columns[:i], renamed, *columns[i + 1 :]), action.new.span)
    for physical in _physical(cat, table):
        cat.con.execute(
            f"ALTER TABLE {physical} RENAME COLUMN {quote_ident(columns[i].name)} TO "
            f"{quote_ident(new)}"
        )
    columns[i] = renamed


def _change(
    ctx: SnowflakeContext,
    cat: ProjectCatalog,
    table: TableMeta,
    columns: list[ColumnMeta],
    change: ast.ColumnChange,
) -> None:
    i = _require(ctx, columns, change.column)
    col = columns[i]
    quoted = quote_ident(col.name)
    if change.change == "SET NOT NULL":
        nulls = cat.con.execute(
            f"SELECT count(*) FROM {cat.physical(table)} WHERE {quoted} IS NULL"
        ).fetchone()
        if nulls and nulls[0]:
            raise SemanticError(
                "semantic",
                change.span,
                message=f"NULL result in a non-nullable column '{col.name}'",
            )
        columns[i] = replace(col, not_null=True)
    elif change.change == "DROP NOT NULL":
        columns[i] = replace(col, not_null=False)
    elif change.change == "SET DEFAULT":
        assert change.default is not None
        ctx.translator().expr(change.default)  # refuse a default the engine cannot evaluate
        text = ctx.source[change.default.span.start : change.default.span.end]
        columns[i] = replace(col, default=text or None)
    elif change.change == "DROP DEFAULT":
        columns[i] = replace(col, default=None)
    elif change.change == "COMMENT":
        columns[i] = replace(col, comment=ddl.check_comment(change.comment, change.span))
    else:
        assert change.type is not None
        display, duck = types.canonical(change.type)
        _check_type_change(col, display, change.span)
        if duck != col.duck_type:
            for physical in _physical(cat, table):
                try:
                    cat.con.execute(f"ALTER TABLE {physical} ALTER {quoted} TYPE {duck}")
                except duckdb.ConversionException:
                    raise SemanticError(
                        "semantic",
                        change.span,
                        message=f"cannot change column {col.name} from type {col.type} to "
                        f"{display}: a value does not fit",
                    ) from None
        columns[i] = replace(col, type=display, duck_type=duck)


def _check_type_change(col: ColumnMeta, display: str, span: ast.Span | None) -> None:
    """ALTER COLUMN … TYPE as Snowflake allows it: the same type; a longer VARCHAR; a NUMBER
    of another precision and the same scale."""
    old, new = col.type, display
    if old == new:
        return
    if old.startswith("VARCHAR(") and new.startswith("VARCHAR("):
        if _params(new)[0] >= _params(old)[0]:
            return
        raise SemanticError(
            "semantic",
            span,
            message=f"cannot change column {col.name} from type {old} to {new} because "
            "reducing the byte-length of a varchar is not supported.",
        )
    if old.startswith("NUMBER(") and new.startswith("NUMBER("):
        if _params(new)[1] == _params(old)[1]:
            return
        raise SemanticError(
            "semantic",
            span,
            message=f"cannot change column {col.name} from type {old} to {new} because "
            "changing the scale of a number is not supported.",
        )
    raise SemanticError(
        "semantic", span, message=f"cannot change column {col.name} from type {old} to {new}"
    )


def _params(display: str) -> tuple[int, ...]:
    inner = display[display.index("(") + 1 : display.rindex(")")]
    return tuple(int(p) for p in inner.split(","))


def _row_count(cat: ProjectCatalog, table: TableMeta) -> int:
    row = cat.con.execute(f"SELECT count(*) FROM {cat.physical(table)}").fetchone()
    return int(row[0]) if row else 0


# ---------------------------------------------------------------------------- SWAP WITH


def _swap(ctx: SnowflakeContext, target: Target, table: TableMeta, action: ast.SwapWith) -> Status:
    """Two tables exchange names (each keeps its data, history and grants)."""
    other_target = ctx.require_table(action.other, "ALTER")
    other = views.require_kind(other_target, action.other, "TABLE")
    ctx.auth.require_owner(other.owner, "table", other.name)
    if other_target.db.info.file != target.db.info.file:
        raise UnsupportedError(
            "unsupported", action.other.span, message="SWAP WITH a table of another database"
        )
    if other.table_id == table.table_id:
        return ddl.ok(ctx)
    cat = target.db.cat
    with ctx.write_db(target.db, "ALTER TABLE"):
        for moved, to in ((table, other_target), (other, target)):
            cat.update_table(
                moved.table_id, name=to.name, schema_name=to.schema.name, ddl_at=ctx.now
            )
            cat.con.execute(
                f"UPDATE {cat.meta_schema}.tables SET schema_id = ? WHERE table_id = ?",
                [to.schema.schema_id, moved.table_id],
            )
    return ddl.ok(ctx)


# ---------------------------------------------------------------------------- clustering


def _clustering(
    ctx: SnowflakeContext, target: Target, table: TableMeta, action: ast.Clustering
) -> Status:
    """CLUSTER BY (…) sets the key, DROP CLUSTERING KEY removes it, SUSPEND|RESUME RECLUSTER
    turns automatic clustering off or on (SHOW TABLES' automatic_clustering)."""
    own = table.cluster is not None and table.cluster.get("type") == "snowflake"
    cluster = dict(table.cluster) if table.cluster is not None and own else None
    if action.by:
        names = {c.name for c in table.columns}
        for e in action.by:
            if isinstance(e, ast.ColumnRef) and ctx.fold(e.parts[-1]) not in names:
                raise SemanticError("column_not_found", e.span, name=ctx.fold(e.parts[-1]))
        cluster = {**(cluster or {}), "type": "snowflake", "by": ddl.cluster_text(ctx, action.by)}
    elif action.recluster:
        if cluster is None:
            raise SemanticError(
                "invalid",
                action.span,
                message=f"Table '{table.name}' does not have a clustering key defined.",
            )
        cluster = {**cluster, "suspended": action.recluster == "SUSPEND"}
    else:
        cluster = None
    with ctx.write_db(target.db, "ALTER TABLE"):
        target.db.cat.set_cluster(table.table_id, cluster)
        target.db.cat.update_table(table.table_id, ddl_at=ctx.now)
    return ddl.ok(ctx)


# ---------------------------------------------------------------------------- constraints


def _constraint(
    ctx: SnowflakeContext,
    target: Target,
    table: TableMeta,
    action: ast.AddConstraint | ast.DropConstraint | ast.RenameConstraint | ast.AlterConstraint,
) -> Status:
    """ADD / DROP / RENAME / ALTER|MODIFY a constraint: metadata only (constraints.py)."""
    keys, others, columns = constraints.altered(ctx, target, table, action)
    cat = target.db.cat
    with ctx.write_db(target.db, "ALTER TABLE"):
        props = {k: v for k, v in table.properties.items() if k != constraints.PROPERTY}
        cat.set_properties(table.table_id, {**props, **constraints.encode(keys)})
        if columns != table.columns:
            cat.set_columns(table.table_id, columns)
        for other in cat.list_tables():
            kept = others.get(f"{target.db.name}.{other.schema}.{other.name}")
            if kept is not None:
                rest = {k: v for k, v in other.properties.items() if k != constraints.PROPERTY}
                cat.set_properties(other.table_id, {**rest, **constraints.encode(kept)})
        cat.update_table(table.table_id, ddl_at=ctx.now)
    return ddl.ok(ctx)
