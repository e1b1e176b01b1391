"""MaxCompute `CLONE TABLE src [PARTITION (..), ...] TO dst [IF EXISTS OVERWRITE|IGNORE]`.

Semantics (seed + reference/maxcompute.md §1):
- new destination: created with CREATE TABLE LIKE semantics (columns, partition columns,
  comments, clustering; not lifecycle; not grants), owned by the runner, filled in one
  transaction with no partition limit;
- existing destination: schema must be compatible (same columns, types, partition columns);
  `IF EXISTS OVERWRITE` replaces the table or the matching partitions, `IF EXISTS IGNORE` copies
  only partitions the destination lacks, no clause fails; at most 10,000 partitions;
- refused: external tables, projects in different regions;
- privileges: Select on the source table, CreateTable and CreateInstance on the destination
  project, wherever it runs from; across Alibaba Cloud accounts only an account (not a RAM user).
Everything is written in one transaction in the destination project: all or nothing.
"""

from __future__ import annotations

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import VERSION_COLUMN, ColumnMeta, TableMeta
from cloneshell.engine.core.errors import (
    CatalogError,
    PrivilegeError,
    SemanticError,
    UnsupportedError,
)
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Status
from cloneshell.engine.maxcompute import catalog
from cloneshell.engine.maxcompute.catalog import PartitionMeta, partition_spec_text
from cloneshell.engine.maxcompute.context import MaxComputeContext, Target
from cloneshell.engine.maxcompute.handlers.tables import (
    authorize_create,
    check_name,
    new_table_meta,
)
from cloneshell.engine.maxcompute.security import account_of, is_ram
from cloneshell.grammar import ast


def clone_table(ctx: MaxComputeContext, stmt: ast.CloneTable) -> Status:
    """Run CLONE TABLE (see the module docstring for the rules)."""
    source = ctx.require_table(stmt.source)
    src = source.table
    assert src is not None
    dest = ctx.resolve(stmt.target)
    check_name(dest.name, "table", stmt.target.span)

    # Privileges first: nothing below runs for a principal who may not clone.
    ctx.auth.require_table_action(source.info, source.cat, src, "Select")
    authorize_create(ctx, dest)
    _check_accounts(ctx, source, dest)
    if dest.table is not None and dest.table.owner != ctx.auth.principal:
        # Inferred: replacing data in a table someone else owns is an Update on it.
        ctx.auth.require_table_action(dest.info, dest.cat, dest.table, "Update", "Alter")

    # Limits the real service enforces.
    if source.info.region != dest.info.region:
        raise UnsupportedError(
            "unsupported",
            stmt.span,
            message=f"clone table across regions is not supported: project {source.info.name} "
            f"is in {source.info.region}, project {dest.info.name} in {dest.info.region}",
        )
    for t, where in ((src, source), (dest.table, dest)):
        if t is not None and t.kind != "managed":
            raise UnsupportedError(
                "unsupported",
                stmt.span,
                message=f"clone table does not support external table {where.display}",
            )
    if (source.info.name, src.table_id) == (dest.info.name, getattr(dest.table, "table_id", -1)):
        raise SemanticError(
            "semantic", stmt.target.span, message="source and destination are the same table"
        )

    wanted = _selected_partitions(ctx, stmt, source)
    if dest.table is None:
        _clone_new(ctx, source, dest, wanted, filtered=bool(stmt.partitions))
    else:
        _clone_existing(ctx, stmt, source, dest, wanted)
    return Status(ctx.session.dialect.ok_message)


def _check_accounts(ctx: MaxComputeContext, source: Target, dest: Target) -> None:
    """Across Alibaba Cloud accounts only an account may clone (the seed's cross-account rule)."""
    if account_of(source.info.owner) != account_of(dest.info.owner) and is_ram(ctx.auth.principal):
        raise PrivilegeError(
            "denied",
            message=f"Authorization Failed [4019], cloning from project {source.info.name} "
            f"(account {account_of(source.info.owner)}) into project {dest.info.name} (account "
            f"{account_of(dest.info.owner)}) crosses accounts: only an Alibaba Cloud account, "
            f"not the RAM user {ctx.auth.principal}, may do this.",
        )


def _selected_partitions(
    ctx: MaxComputeContext, stmt: ast.CloneTable, source: Target
) -> list[PartitionMeta] | None:
    """The source partitions to copy, in the order named (all of them when none is named;
    None for a non-partitioned table)."""
    src = source.table
    assert src is not None
    if not src.partitioned:
        if stmt.partitions:
            raise SemanticError(
                "semantic",
                stmt.partitions[0].span,
                message=f"table {source.display} is not partitioned",
            )
        return None
    if not stmt.partitions:
        return catalog.list_partitions(source.cat, src)
    specs: dict[str, ast.PartitionSpec] = {}
    try:
        for p in stmt.partitions:
            values = storage.partition_values(src, p, ctx.session.dialect.fold)
            specs.setdefault(partition_spec_text(values, src.partition_columns), p)
    except SemanticError:
        _existing(source, specs)  # a missing partition named before the bad one is reported first
        raise
    return _existing(source, specs)


def _existing(source: Target, specs: dict[str, ast.PartitionSpec]) -> list[PartitionMeta]:
    """The partitions named by `specs`, in that order; the first missing one is an error. Only
    their metadata is read: a table may have thousands."""
    assert source.table is not None
    found = {p.spec: p for p in catalog.list_partitions(source.cat, source.table, list(specs))}
    for spec, p in specs.items():
        if spec not in found:
            raise CatalogError("partition_not_found", p.span, spec=spec, name=source.display)
    return [found[spec] for spec in specs]


def _columns_select(src: TableMeta, source: Target, version: int) -> str:
    cols = ", ".join(quote_ident(c.name) for c in src.all_columns)
    return (
        f"SELECT {cols}, CAST({int(version)} AS BIGINT) AS {quote_ident(VERSION_COLUMN)} FROM "
        + (source.cat.physical(src))
    )


def _clone_new(
    ctx: MaxComputeContext,
    source: Target,
    dest: Target,
    wanted: list[PartitionMeta] | None,
    *,
    filtered: bool,
) -> None:
    """A new destination: CREATE TABLE LIKE + fill, in one transaction, no partition limit;
    `filtered`: only the `wanted` partitions' rows (else all)."""
    src = source.table
    assert src is not None
    with ctx.write(dest.info, dest.cat, "CLONE TABLE") as version:
        meta = new_table_meta(
            ctx,
            dest,
            version,
            columns=src.columns,
            partition_columns=src.partition_columns,
            comment=src.comment,
            cluster=src.cluster,
            properties=dict(src.properties),
        )
        dest.cat.create_table(meta, with_storage=False)
        dest.cat.con.execute(
            f"CREATE SCHEMA IF NOT EXISTS {quote_ident(dest.cat.alias)}."
            f"{quote_ident(meta.physical_schema)}"
        )
        select = _columns_select(src, source, version)
        params: list[object] = []
        if filtered:
            pred = storage.partitions_predicate(src, [p.values for p in wanted or ()])
            select += f" WHERE {pred.sql}"
            params = pred.params
        # As CREATE TABLE AS: the source's column types, written as fast as a raw CTAS.
        storage.create_as(dest.cat, dest.cat.physical(meta), select, params)
        catalog.add_partitions(dest.cat, meta, [p.values for p in wanted or ()], ctx.now)


def _compatible(src: TableMeta, dst: TableMeta) -> str | None:
    """Why two schemas are not compatible, or None (same columns, types, partition columns)."""

    def shape(cols: tuple[ColumnMeta, ...]) -> list[tuple[str, str]]:
        return [(c.name, c.type) for c in cols]

    if shape(src.columns) != shape(dst.columns):
        return "columns differ"
    if shape(src.partition_columns) != shape(dst.partition_columns):
        return "partition columns differ"
    return None


def _clone_existing(
    ctx: MaxComputeContext,
    stmt: ast.CloneTable,
    source: Target,
    dest: Target,
    wanted: list[PartitionMeta] | None,
) -> None:
    src, dst = source.table, dest.table
    assert src is not None and dst is not None
    reason = _compatible(src, dst)
    if reason is not None:
        raise SemanticError(
            "semantic",
            stmt.target.span,
            message=f"clone table: destination {dest.display} is not compatible with source "
            f"{source.display} ({reason}); the schemas must match",
        )
    if stmt.if_exists is None:
        raise CatalogError(
            "table_exists",
            stmt.target.span,
            name=f"{dest.display} (add IF EXISTS OVERWRITE or IF EXISTS IGNORE to clone into it)",
        )
    if wanted is not None:
        if stmt.if_exists == "IGNORE":
            have = {p.spec for p in catalog.list_partitions(dest.cat, dst)}
            wanted = [p for p in wanted if p.spec not in have]
        storage.check_partition_limit(len(wanted), stmt.span, "clone table")
    elif stmt.if_exists == "IGNORE":
        return  # the destination exists: a non-partitioned table is skipped whole

    with ctx.write(dest.info, dest.cat, "CLONE TABLE") as version:
        select = _columns_select(src, source, version)
        params: list[object] = []
        if wanted is None:
            storage.delete(dest.cat, dst, storage.Predicate("TRUE", []), version)
        else:
            if not wanted:
                return
            pred = storage.partitions_predicate(src, [p.values for p in wanted])
            storage.delete(dest.cat, dst, pred, version)
            select += f" WHERE {pred.sql}"
            params = pred.params
        cols = ", ".join(quote_ident(c.name) for c in src.all_columns)
        dest.cat.con.execute(
            f"INSERT INTO {dest.cat.physical(dst)} ({cols}, {quote_ident(VERSION_COLUMN)}) "
            f"{select}",
            params,
        )
        catalog.add_partitions(dest.cat, dst, [p.values for p in wanted or ()], ctx.now, touch=True)
        dest.cat.touch_table(dst, ctx.now)
