"""Table DDL and metadata statements: CREATE/DROP TABLE, partitions, TRUNCATE, DESC, SHOW."""

from __future__ import annotations

import fnmatch
import re

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import ColumnMeta, TableMeta
from cloneshell.engine.core.errors import (
    CatalogError,
    EngineError,
    LimitError,
    SemanticError,
    UnsupportedError,
)
from cloneshell.engine.core.result import ColumnInfo, PartitionInfo, Status, TableDescription, Text
from cloneshell.engine.maxcompute import catalog, partition_filter, types
from cloneshell.engine.maxcompute.catalog import partition_spec_text
from cloneshell.engine.maxcompute.context import MaxComputeContext, Target, physical_schema
from cloneshell.engine.maxcompute.fullscan import check_full_scans
from cloneshell.grammar import ast

# MaxCompute names: letters, digits, `_`; tables start with a letter; at most 128 bytes
# (maxcompute.md §5.1). CTAS gives expression columns names like `_c0`, so columns may start
# with `_`. Names starting `__cs` are the engine's own.
_TABLE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,127}")
_COLUMN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
MAX_COLUMNS = 1200
MAX_PARTITION_LEVELS = 6
MAX_COMMENT_BYTES = 1024


def check_name(name: str, kind: str, span: ast.Span | None) -> str:
    """Validate a table or column name before it is stored or used in SQL."""
    pattern = _TABLE_NAME if kind == "table" else _COLUMN_NAME
    if not pattern.fullmatch(name) or name.startswith("__cs"):
        shown = name[:60].encode("unicode_escape").decode("ascii")
        raise EngineError(
            "invalid",
            span,
            message=f"invalid {kind} name '{shown}': use at most 128 letters, digits or "
            f"underscores, starting with a letter",
        )
    return name


def _check_comment(comment: str | None, span: ast.Span | None) -> str:
    text = comment or ""
    if len(text.encode()) > MAX_COMMENT_BYTES:
        raise LimitError("limit", span, message="comment is longer than 1024 bytes")
    return text


def _column(ctx: MaxComputeContext, d: ast.ColumnDef) -> ColumnMeta:
    name = check_name(ctx.fold(d.name), "column", d.name.span)
    return ColumnMeta(
        name=name,
        type=types.display(d.type),
        duck_type=types.to_duckdb(d.type),
        comment=_check_comment(d.comment, d.span),
        not_null=d.not_null,
    )


def _check_columns(
    columns: tuple[ColumnMeta, ...], pcols: tuple[ColumnMeta, ...], span: ast.Span | None
) -> None:
    if len(columns) > MAX_COLUMNS:
        raise LimitError("limit", span, message=f"a table has at most {MAX_COLUMNS} columns")
    if len(pcols) > MAX_PARTITION_LEVELS:
        raise LimitError(
            "limit", span, message=f"a table has at most {MAX_PARTITION_LEVELS} partition levels"
        )
    seen: set[str] = set()
    for c in columns + pcols:
        if c.name in seen:
            raise SemanticError("semantic", span, message=f"column {c.name} is defined twice")
        seen.add(c.name)
    for c in pcols:
        if c.type.split("(")[0] not in types.PARTITION_TYPES:
            raise SemanticError(
                "semantic",
                span,
                message=f"partition column {c.name} cannot be of type {c.type}: use string, "
                "varchar, char or an integer type",
            )


def new_table_meta(
    ctx: MaxComputeContext,
    target: Target,
    version: int,
    *,
    columns: tuple[ColumnMeta, ...],
    partition_columns: tuple[ColumnMeta, ...] = (),
    comment: str = "",
    lifecycle: int | None = None,
    cluster: dict[str, object] | None = None,
    properties: dict[str, str] | None = None,
    kind: str = "managed",
    location: str | None = None,
) -> TableMeta:
    """Metadata for a table about to be created at `target`, owned by the principal."""
    return TableMeta(
        table_id=target.cat.next_table_id(),
        schema=target.schema,
        name=target.name,
        physical_schema=physical_schema(target.schema),
        physical_name=target.name,
        kind=kind,
        owner=ctx.auth.principal,
        comment=comment,
        lifecycle=lifecycle,
        columns=columns,
        partition_columns=partition_columns,
        cluster=cluster,
        properties=properties or {},
        location=location,
        created_at=ctx.now,
        ddl_at=ctx.now,
        modified_at=ctx.now,
        retention_days=0,
        created_version=version,
    )


def _cluster(ctx: MaxComputeContext, spec: ast.ClusterSpec | None) -> dict[str, object] | None:
    if spec is None:
        return None
    return {
        "type": spec.kind,
        "columns": [ctx.fold(c) for c in spec.columns],
        "sorted_by": [{"column": _order_column(ctx, o), "desc": o.desc} for o in spec.sorted_by],
        "buckets": spec.buckets,
    }


def _order_column(ctx: MaxComputeContext, o: ast.OrderItem) -> str:
    if isinstance(o.expr, ast.ColumnRef):
        return ctx.fold(o.expr.parts[-1])
    raise SemanticError("semantic", o.span, message="SORTED BY takes column names")


def _lifecycle(value: int | None, span: ast.Span | None) -> int | None:
    if value is not None and not 1 <= value <= 37231:
        raise SemanticError("semantic", span, message="lifecycle must be 1..37231 days")
    return value


def refuse_view(target: Target, qname: ast.QualifiedName) -> None:
    """A statement that needs a table (DROP TABLE, TRUNCATE, INSERT, partitions) on a view."""
    if target.table is not None and target.table.kind == "view":
        raise SemanticError(
            "wrong_object_type", qname.span, name=target.display, found="view", expected="table"
        )


def authorize_create(ctx: MaxComputeContext, target: Target) -> None:
    """CreateInstance (checked first, at job submission) and CreateTable on the project."""
    ctx.auth.require_instance(target.info, target.cat)
    ctx.auth.require_project_action(target.info, target.cat, "CreateTable")


def create_table(ctx: MaxComputeContext, stmt: ast.CreateTable) -> Status:
    """CREATE TABLE with columns, LIKE, AS SELECT, or EXTERNAL ... LOCATION."""
    if stmt.constraints or any(c.identity is not None for c in stmt.columns):
        raise UnsupportedError(
            "unsupported", stmt.span, message="column constraints and identity columns (Snowflake)"
        )
    target = ctx.resolve(stmt.name)
    check_name(target.name, "table", stmt.name.span)
    authorize_create(ctx, target)
    ok = Status(ctx.session.dialect.ok_message)
    existing = target.table
    if existing is not None:
        if stmt.if_not_exists:
            return ok
        if not stmt.or_replace:
            raise CatalogError("table_exists", stmt.name.span, name=target.display)
        ctx.auth.require_table_action(target.info, target.cat, existing, "Drop")

    comment = _check_comment(stmt.comment, stmt.span)
    lifecycle = _lifecycle(stmt.lifecycle, stmt.span)
    select_sql: str | None = None
    params: list[object] = []
    if stmt.like is not None:
        source = ctx.require_table(stmt.like)
        assert source.table is not None
        ctx.auth.require_table_action(source.info, source.cat, source.table, "Describe")
        src = source.table
        spec = dict(
            columns=src.columns,
            partition_columns=src.partition_columns,
            comment=comment or src.comment,
            cluster=src.cluster,
            kind=src.kind,
            location=src.location,
        )
    elif stmt.as_query is not None:
        if stmt.partitioned_by:
            raise SemanticError(
                "semantic", stmt.span, message="CREATE TABLE ... AS SELECT cannot be partitioned"
            )
        tr = ctx.translator()
        select_sql = tr.query(stmt.as_query)
        params = tr.params
        ctx.authorize_reads()
        check_full_scans(ctx, stmt.as_query)
        described = ctx.session.warehouse.con.execute(
            f"SELECT * FROM ({select_sql}) LIMIT 0", params
        ).description
        cols = tuple(
            ColumnMeta(
                name=check_name(str(d[0]).lower(), "column", stmt.as_query.span),
                type=types.from_duckdb(str(d[1])),
                duck_type=str(d[1]),
            )
            for d in described
        )
        spec = dict(
            columns=cols,
            comment=comment,
            properties={**dict(stmt.tblproperties), **_storage_clauses(stmt)},
        )
    else:
        if stmt.external and not stmt.location:
            raise SemanticError(
                "semantic", stmt.span, message="an external table needs LOCATION '<path>'"
            )
        spec = dict(
            columns=tuple(_column(ctx, c) for c in stmt.columns),
            partition_columns=tuple(_column(ctx, c) for c in stmt.partitioned_by),
            comment=comment,
            cluster=_cluster(ctx, stmt.clustered),
            kind="external" if stmt.external else "managed",
            location=stmt.location,
            properties={**dict(stmt.tblproperties), **_storage_clauses(stmt)},
        )
    columns = spec["columns"]
    assert isinstance(columns, tuple)
    if not columns:
        raise SemanticError("semantic", stmt.span, message="a table needs at least one column")
    pcols = spec.get("partition_columns", ())
    assert isinstance(pcols, tuple)
    _check_columns(columns, pcols, stmt.span)
    with ctx.write(target.info, target.cat, "CREATE TABLE") as version:
        if existing is not None:
            catalog.drop_table(target.cat, existing, version)
        meta = new_table_meta(ctx, target, version, lifecycle=lifecycle, **spec)  # type: ignore[arg-type]
        target.cat.create_table(meta)
        if select_sql is not None:
            storage.append(target.cat, meta, select_sql, params, version)
    return ok


# The file formats CREATE TABLE's `STORED AS` names (managed: ALIORC, CFILE; external: the rest).
_FILE_FORMATS = frozenset(
    {"ALIORC", "CFILE", "ORC", "PARQUET", "TEXTFILE", "RCFILE", "SEQUENCEFILE", "AVRO", "JSON"}
)


def _storage_clauses(stmt: ast.CreateTable) -> dict[str, str]:
    """The Hive storage clauses, kept with the table as written (the emulator stores every
    table the same way, so they change no result): `stored_as`, `row_format`, and each SERDE
    property as `serde.<key>`."""
    kept: dict[str, str] = {}
    if stmt.stored_as is not None:
        words = stmt.stored_as
        if not words.startswith("INPUTFORMAT ") and words not in _FILE_FORMATS:
            raise UnsupportedError(
                "unsupported", stmt.span, message=f"file format {words} in STORED AS"
            )
        kept["stored_as"] = words
    if stmt.row_format is not None:
        kept["row_format"] = stmt.row_format
    kept.update((f"serde.{k}", v) for k, v in stmt.serde_properties)
    return kept


def drop_table(ctx: MaxComputeContext, stmt: ast.DropTable) -> Status:
    """DROP TABLE [IF EXISTS]: needs Drop on the table."""
    target = ctx.resolve(stmt.name)
    if target.table is None:
        if stmt.if_exists:
            return Status(ctx.session.dialect.ok_message)
        raise CatalogError("table_not_found", stmt.name.span, name=target.display)
    refuse_view(target, stmt.name)
    ctx.auth.require_instance(target.info, target.cat)
    ctx.auth.require_table_action(target.info, target.cat, target.table, "Drop")
    with ctx.write(target.info, target.cat, "DROP TABLE") as version:
        catalog.drop_table(target.cat, target.table, version)
    return Status(ctx.session.dialect.ok_message)


def _altered(ctx: MaxComputeContext, qname: ast.QualifiedName, action: str) -> Target:
    target = ctx.require_table(qname)
    assert target.table is not None
    refuse_view(target, qname)
    ctx.auth.require_instance(target.info, target.cat)
    ctx.auth.require_table_action(target.info, target.cat, target.table, action)
    return target


def add_partitions(ctx: MaxComputeContext, stmt: ast.AlterTableAddPartitions) -> Status:
    """ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (..) ...: needs Alter."""
    target = _altered(ctx, stmt.table, "Alter")
    table = target.table
    assert table is not None
    specs = [storage.partition_values(table, p, ctx.session.dialect.fold) for p in stmt.partitions]
    if not stmt.if_not_exists:
        present = {p.spec for p in catalog.list_partitions(target.cat, table)}
        for p, values in zip(stmt.partitions, specs, strict=True):
            spec = storage_spec(table, values)
            if spec in present:
                raise CatalogError("partition_exists", p.span, spec=spec)
    with ctx.write(target.info, target.cat, "ADD PARTITION"):
        catalog.add_partitions(target.cat, table, specs, ctx.now)
        target.cat.touch_table(table, ctx.now, ddl=True)
    return Status(ctx.session.dialect.ok_message)


def add_columns(ctx: MaxComputeContext, stmt: ast.AlterTableAddColumns) -> Status:
    """ALTER TABLE t ADD COLUMNS [IF NOT EXISTS] (...): needs Alter. The new columns follow the
    existing ones and read NULL in the rows already written; IF NOT EXISTS skips a column that
    exists (else an error, as does a partition column's name)."""
    target = _altered(ctx, stmt.table, "Alter")
    table = target.table
    assert table is not None
    present = {c.name for c in table.all_columns}
    new: list[ColumnMeta] = []
    for d in stmt.columns:
        column = _column(ctx, d)
        if column.name in present and stmt.if_not_exists:
            continue
        if column.name in present or any(c.name == column.name for c in new):
            raise SemanticError(
                "semantic", d.name.span, message=f"column {column.name} already exists"
            )
        if d.not_null or d.default is not None:
            raise UnsupportedError(
                "unsupported",
                d.span,
                message="NOT NULL or DEFAULT on a column added by ALTER TABLE",
            )
        new.append(column)
    _check_columns((*table.columns, *new), table.partition_columns, stmt.span)
    if new:
        with ctx.write(target.info, target.cat, "ADD COLUMNS"):
            altered = target.cat.add_columns(table, new)
            target.cat.touch_table(altered, ctx.now, ddl=True)
    return Status(ctx.session.dialect.ok_message)


def change_column(ctx: MaxComputeContext, stmt: ast.AlterTableChangeColumn) -> Status:
    """ALTER TABLE t CHANGE [COLUMN] old new type [COMMENT 'c'] | CHANGE [COLUMN] old RENAME TO
    new | CHANGE [COLUMN] c COMMENT 'c':
    a native column's new name and/or comment; the type is restated, not changed (changing it
    is refused as unsupported). Needs Alter."""
    target = _altered(ctx, stmt.table, "Alter")
    table = target.table
    assert table is not None
    old = ctx.fold(stmt.column)
    current = next((c for c in table.columns if c.name == old), None)
    if current is None:
        where = (
            "a partition column" if any(c.name == old for c in table.partition_columns) else None
        )
        raise SemanticError(
            "semantic",
            stmt.column.span,
            message=f"column {old} is {where}, which CHANGE COLUMN cannot change"
            if where
            else f"column {old} does not exist in table {table.name}",
        )
    changed = current
    if stmt.new_name is not None:  # with its type restated, or RENAME TO
        new = check_name(ctx.fold(stmt.new_name), "column", stmt.new_name.span)
        if new != old and any(c.name == new for c in table.all_columns):
            raise SemanticError(
                "semantic", stmt.new_name.span, message=f"column {new} already exists"
            )
        if stmt.type is not None and types.display(stmt.type) != current.type:
            raise UnsupportedError(
                "unsupported",
                stmt.type.span,
                message=f"changing the type of column {old} ({current.type} to "
                f"{types.display(stmt.type)})",
            )
        changed = ColumnMeta(
            name=new,
            type=current.type,
            duck_type=current.duck_type,
            comment=current.comment,
            not_null=current.not_null,
            default=current.default,
        )
    if stmt.comment is not None:
        changed = ColumnMeta(
            name=changed.name,
            type=changed.type,
            duck_type=changed.duck_type,
            comment=_check_comment(stmt.comment, stmt.span),
            not_null=changed.not_null,
            default=changed.default,
        )
    with ctx.write(target.info, target.cat, "CHANGE COLUMN"):
        altered = target.cat.change_column(table, old, changed)
        target.cat.touch_table(altered, ctx.now, ddl=True)
    return Status(ctx.session.dialect.ok_message)


def touch(ctx: MaxComputeContext, stmt: ast.AlterTableTouch) -> Status:
    """ALTER TABLE t TOUCH [PARTITION (..), ...]: LastModifiedTime becomes now (the table's, and
    the named partitions', which must exist); no data changes. Needs Alter."""
    target = _altered(ctx, stmt.table, "Alter")
    table = target.table
    assert table is not None
    specs = [storage.partition_values(table, p, ctx.session.dialect.fold) for p in stmt.partitions]
    present = {p.spec for p in catalog.list_partitions(target.cat, table)} if specs else set()
    for p, values in zip(stmt.partitions, specs, strict=True):
        if storage_spec(table, values) not in present:
            raise CatalogError(
                "partition_not_found", p.span, spec=storage_spec(table, values), name=table.name
            )
    with ctx.write(target.info, target.cat, "TOUCH"):
        for values in specs:
            catalog.touch_partition(target.cat, table, storage_spec(table, values), ctx.now)
        target.cat.touch_table(table, ctx.now)
    return Status(ctx.session.dialect.ok_message)


def alter_set(ctx: MaxComputeContext, stmt: ast.AlterSet) -> Status:
    """ALTER TABLE t SET COMMENT 'c' | SET LIFECYCLE n: the table's comment or lifecycle (days;
    MaxCompute reclaims data unchanged for that long, which is not emulated: the value is kept
    and shown). Needs Alter."""
    if stmt.kind != "TABLE" or stmt.unset or stmt.retention_days is not None:
        what = "UNSET" if stmt.unset else f"ALTER {stmt.kind} … SET"
        if stmt.retention_days is not None:
            what = "DATA_RETENTION_TIME_IN_DAYS"
        raise UnsupportedError(
            "unsupported",
            stmt.span,
            message=f"{what} is not a MaxCompute statement (ALTER TABLE t SET COMMENT 'c' and "
            "SET LIFECYCLE n are)",
        )
    target = ctx.resolve(stmt.name)
    if target.table is None and stmt.if_exists:
        return Status(ctx.session.dialect.ok_message)
    target = _altered(ctx, stmt.name, "Alter")
    table = target.table
    assert table is not None
    values: dict[str, object] = {"ddl_at": ctx.now}
    if stmt.comment is not None:
        values["comment"] = _check_comment(stmt.comment, stmt.span)
    if stmt.lifecycle is not None:
        values["lifecycle"] = _lifecycle(stmt.lifecycle, stmt.span)
    with ctx.write(target.info, target.cat, "ALTER TABLE"):
        target.cat.update_table(table.table_id, **values)
    return Status(ctx.session.dialect.ok_message)


def storage_spec(table: TableMeta, values: dict[str, str]) -> str:
    """The canonical spec text of a full partition."""
    return partition_spec_text(values, table.partition_columns)


def drop_partitions(ctx: MaxComputeContext, stmt: ast.AlterTableDropPartitions) -> Status:
    """ALTER TABLE t DROP [IF EXISTS] PARTITION (spec | filter), ... [PURGE]: needs Alter;
    deletes the rows (PURGE: MaxCompute keeps no recycle bin here either)."""
    target = _altered(ctx, stmt.table, "Alter")
    table = target.table
    assert table is not None
    present: list[dict[str, str]] = []
    if stmt.filters:
        if not table.partitioned:
            raise SemanticError(
                "semantic", stmt.filters[0].span, message=f"table {table.name} is not partitioned"
            )
        known = {p.spec: p.values for p in catalog.list_partitions(target.cat, table)}
        for condition in stmt.filters:
            specs = partition_filter.matching(ctx, target, condition)
            if not specs and not stmt.if_exists:
                raise CatalogError(
                    "partition_not_found",
                    condition.span,
                    spec=ctx.source[condition.span.start : condition.span.end],
                    name=table.name,
                )
            present += [known[s] for s in specs if known[s] not in present]
    for p in stmt.partitions:
        values = storage.partition_values(table, p, ctx.session.dialect.fold)
        if catalog.get_partition(target.cat, table, storage_spec(table, values)) is None:
            if stmt.if_exists:
                continue
            raise CatalogError(
                "partition_not_found", p.span, spec=storage_spec(table, values), name=table.name
            )
        present.append(values)
    with ctx.write(target.info, target.cat, "DROP PARTITION") as version:
        for values in present:
            storage.delete(target.cat, table, storage.partition_predicate(table, values), version)
            catalog.drop_partition(target.cat, table, storage_spec(table, values))
        target.cat.touch_table(table, ctx.now, ddl=True)
    return Status(ctx.session.dialect.ok_message)


def truncate(ctx: MaxComputeContext, stmt: ast.TruncateTable) -> Status:
    """TRUNCATE TABLE t [PARTITION (..)]: removes rows, keeps partitions (needs Update)."""
    target = _altered(ctx, stmt.table, "Update")
    table = target.table
    assert table is not None
    specs = [storage.partition_values(table, p, ctx.session.dialect.fold) for p in stmt.partitions]
    with ctx.write(target.info, target.cat, "TRUNCATE") as version:
        if specs:
            storage.delete(target.cat, table, storage.partitions_predicate(table, specs), version)
        else:
            storage.delete(target.cat, table, storage.Predicate("TRUE", []), version)
        target.cat.touch_table(table, ctx.now)
    return Status(ctx.session.dialect.ok_message)


def describe(ctx: MaxComputeContext, stmt: ast.Describe) -> TableDescription:
    """DESC [EXTENDED] t [PARTITION (..)]: needs Describe on the table."""
    target = ctx.require_table(stmt.name)
    table = target.table
    assert table is not None
    ctx.auth.require_table_action(target.info, target.cat, table, "Describe")
    partition = None
    if stmt.partition is not None:
        values = storage.partition_values(table, stmt.partition, ctx.session.dialect.fold)
        spec = storage_spec(table, values)
        meta = catalog.get_partition(target.cat, table, spec)
        if meta is None:
            raise CatalogError(
                "partition_not_found", stmt.partition.span, spec=spec, name=table.name
            )
        pred = storage.partition_predicate(table, values)
        partition = PartitionInfo(
            spec=spec,
            size=target.cat.table_size(table, f"WHERE {pred.sql}", pred.params),
            create_time=meta.created_at,
            ddl_time=meta.ddl_at,
            modified_time=meta.modified_at,
        )
    size = target.cat.table_size(table) if partition is None else partition.size
    extended_info: list[tuple[str, str]] = []
    if stmt.extended:
        extended_info = [
            ("TableID", f"{table.table_id:032x}"),
            ("IsArchived", "false"),
            ("PhysicalSize", str(size)),
            ("FileNum", "1" if size else "0"),
        ]
        if table.cluster:
            c = table.cluster
            extended_info += [
                ("ClusterType", str(c["type"])),
                ("BucketNum", str(c.get("buckets") if c.get("buckets") is not None else -1)),
                ("ClusterColumns", "[" + ", ".join(c["columns"]) + "]"),
                (
                    "SortColumns",
                    "["
                    + ", ".join(
                        f"{s['column']} {'DESC' if s['desc'] else 'ASC'}" for s in c["sorted_by"]
                    )
                    + "]",
                ),
            ]
    schema_mode = ctx.session.flag_bool("odps.namespace.schema", False)
    return TableDescription(
        owner=table.owner,
        project=target.info.name,
        schema=table.schema if schema_mode else None,
        comment=table.comment,
        create_time=table.created_at,
        ddl_time=table.ddl_at,
        modified_time=table.modified_at,
        lifecycle=table.lifecycle,
        external=table.kind == "external",
        size=size,
        columns=tuple(
            ColumnInfo(c.name, c.type, c.comment, nullable=not c.not_null, default=c.default)
            for c in table.columns
        ),
        partition_columns=tuple(
            ColumnInfo(c.name, c.type, c.comment) for c in table.partition_columns
        ),
        extended=stmt.extended,
        extended_info=tuple(extended_info),
        partition=partition,
        statement_id=ctx.statement_id,
        location=table.location,
        view_text=table.properties.get("query", "") if table.kind == "view" else None,
    )


def show_tables(ctx: MaxComputeContext, stmt: ast.ShowTables) -> Text:
    """SHOW TABLES [IN p] [LIKE 'pat']: `owner:name` lines; needs List on the project."""
    if stmt.in_ is not None:
        if len(stmt.in_.parts) > 2:
            raise SemanticError(
                "semantic", stmt.in_.span, message="SHOW TABLES IN project[.schema]"
            )
        info, cat = ctx.project(ctx.fold(stmt.in_.parts[0]), stmt.in_.span)
    else:
        info, cat = ctx.current_project(stmt.span)
    ctx.auth.require_project_action(info, cat, "List")
    tables = cat.list_tables(ctx.session.dialect.default_schema)
    if stmt.like is not None:
        pattern = _like_to_glob(stmt.like.lower())
        tables = [t for t in tables if fnmatch.fnmatchcase(t.name, pattern)]
    return Text(tuple(f"{t.owner}:{t.name}" for t in tables), ctx.statement_id)


def _like_to_glob(pattern: str) -> str:
    out = []
    for ch in pattern:
        if ch in "%*":
            out.append("*")
        elif ch == "_":
            out.append("?")
        elif ch in "[]?":
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)


def show_partitions(ctx: MaxComputeContext, stmt: ast.ShowPartitions) -> Text:
    """SHOW PARTITIONS t [PARTITION (prefix)]: `a=1/b=x` lines; needs List on the project."""
    target = ctx.require_table(stmt.table)
    table = target.table
    assert table is not None
    ctx.auth.require_project_action(target.info, target.cat, "List")
    if not table.partitioned:
        raise SemanticError(
            "semantic", stmt.table.span, message=f"table {target.display} is not partitioned"
        )
    parts = catalog.list_partitions(target.cat, table)
    if stmt.partition is not None:
        want = storage.partition_values(table, stmt.partition, ctx.session.dialect.fold, full=False)
        parts = [p for p in parts if all(p.values.get(k) == v for k, v in want.items())]
    return Text(tuple(p.spec for p in parts), ctx.statement_id)
