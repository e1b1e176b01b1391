"""Snowflake's PRIMARY KEY, UNIQUE and FOREIGN KEY constraints: metadata only, never enforced
(as Snowflake, except that a primary key's columns are NOT NULL), kept in the table's properties
(`constraints`, JSON) so that a clone, which copies the table's row, keeps them. DESC TABLE,
SHOW PRIMARY|UNIQUE|IMPORTED KEYS and GET_DDL read them back.

A constraint without a name gets Snowflake's `SYS_CONSTRAINT_<uuid>` (a uuid derived from the
table and the constraint's place, so the same DDL names it the same way); a foreign key stores
its referenced table fully qualified, and without a column list refers to that table's primary
key.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

from cloneshell.engine.core.catalog import ColumnMeta, TableMeta
from cloneshell.engine.core.errors import CatalogError, SemanticError
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.grammar import ast
from cloneshell.grammar.records import record

PROPERTY = "constraints"


@record(frozen=True, slots=True)
class Key:
    """One constraint of a table: its kind, name, columns; a foreign key's referenced table
    (`DB.SCHEMA.TABLE`) and columns."""

    kind: str  # PRIMARY KEY | UNIQUE | FOREIGN KEY
    name: str
    columns: tuple[str, ...]
    ref_table: str | None = None
    ref_columns: tuple[str, ...] = ()
    rely: bool = False


def keys_of(t: TableMeta) -> list[Key]:
    """The table's constraints, in the order they were declared."""
    text = t.properties.get(PROPERTY)
    if not text:
        return []
    return [
        Key(
            kind=k["kind"],
            name=k["name"],
            columns=tuple(k["columns"]),
            ref_table=k.get("ref_table"),
            ref_columns=tuple(k.get("ref_columns", ())),
            rely=bool(k.get("rely", False)),
        )
        for k in json.loads(text)
    ]


def encode(keys: list[Key]) -> dict[str, str]:
    """The properties entry holding `keys` (none when there are no keys)."""
    if not keys:
        return {}
    return {
        PROPERTY: json.dumps(
            [
                {
                    "kind": k.kind,
                    "name": k.name,
                    "columns": list(k.columns),
                    "ref_table": k.ref_table,
                    "ref_columns": list(k.ref_columns),
                    "rely": k.rely,
                }
                for k in keys
            ]
        )
    }


def declare(
    ctx: SnowflakeContext,
    target: Target,
    declared: tuple[ast.TableConstraint, ...],
    columns: tuple[ColumnMeta, ...],
) -> tuple[tuple[ColumnMeta, ...], list[Key]]:
    """The table's columns (a primary key's made NOT NULL) and its checked constraints."""
    names = {c.name for c in columns}
    keys: list[Key] = []
    for i, c in enumerate(declared):
        cols = tuple(_column(ctx, ident, names) for ident in c.columns)
        if c.kind == "PRIMARY KEY" and any(k.kind == "PRIMARY KEY" for k in keys):
            raise SemanticError(
                "semantic", c.span, message=f"table '{target.name}' has more than one primary key"
            )
        ref_table: str | None = None
        ref_columns: tuple[str, ...] = ()
        if c.kind == "FOREIGN KEY":
            assert c.references is not None
            ref_table, ref_columns = _referenced(ctx, target, c, cols)
        name = ctx.fold(c.name) if c.name is not None else _system_name(target, i)
        keys.append(Key(c.kind, name, cols, ref_table, ref_columns, c.rely))
    primary = {col for k in keys if k.kind == "PRIMARY KEY" for col in k.columns}
    if primary:
        columns = tuple(replace(c, not_null=True) if c.name in primary else c for c in columns)
    return columns, keys


def _column(ctx: SnowflakeContext, ident: ast.Ident, names: set[str]) -> str:
    name = ctx.fold(ident)
    if name not in names:
        raise SemanticError("column_not_found", ident.span, name=name)
    return name


def _referenced(
    ctx: SnowflakeContext, target: Target, c: ast.TableConstraint, cols: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    """A foreign key's table (fully qualified) and columns: its own table may be the target."""
    assert c.references is not None
    parts = [ctx.fold(p) for p in c.references.parts]
    if parts[-1] == target.name and len(parts) == 1:
        ref_fq, ref_cols_known = target.fq, None
    else:
        ref = ctx.require_table(c.references, "CREATE TABLE")
        assert ref.table is not None
        ref_fq = ref.fq
        ref_cols_known = {col.name for col in ref.table.columns}, keys_of(ref.table)
    ref_columns = tuple(ctx.fold(i) for i in c.ref_columns)
    if ref_cols_known is not None:
        known, ref_keys = ref_cols_known
        if not ref_columns:
            primary = next((k for k in ref_keys if k.kind == "PRIMARY KEY"), None)
            if primary is None:
                raise CatalogError("object_not_found", c.span, name=f"primary key of {ref_fq}")
            ref_columns = primary.columns
        for col in ref_columns:
            if col not in known:
                raise SemanticError("column_not_found", c.span, name=col)
    if ref_columns and len(ref_columns) != len(cols):
        raise SemanticError(
            "semantic", c.span, message="foreign key and referenced columns differ in number"
        )
    return ref_fq, ref_columns


def _system_name(target: Target, index: int) -> str:
    seed = f"{target.fq}:{index}"
    return f"SYS_CONSTRAINT_{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def key_columns(t: TableMeta, kind: str) -> set[str]:
    """The columns of `t` in a constraint of `kind` (DESC TABLE's primary key / unique key)."""
    return {col for k in keys_of(t) if k.kind == kind for col in k.columns}


def cloned(src: TableMeta, src_db: str, target: Target) -> dict[str, str]:
    """A schema or database clone's copy of a table's properties: a foreign key to a table of
    the same cloned schema refers to that table's clone, any other keeps its reference (the
    rule Snowflake's cloning page gives for foreign keys)."""
    keys = keys_of(src)
    if not keys:
        return dict(src.properties)
    inside = f"{src_db}.{src.schema}."
    moved = [
        replace(k, ref_table=f"{target.db.name}.{target.schema.name}.{k.ref_table[len(inside) :]}")
        if k.ref_table is not None and k.ref_table.startswith(inside)
        else k
        for k in keys
    ]
    return {**src.properties, **encode(moved)}
