"""Snowflake's PRIMARY KEY, UNIQUE and FOREIGN KEY constraints: metadata only, never enforced
(as Snowflake, except that a primary key's columns are NOT NULL), kept in the table's properties
(`constraints`, JSON) so that a clone, which copies the table's row, keeps them. DESC TABLE,
SHOW PRIMARY|UNIQUE|IMPORTED KEYS and GET_DDL read them back; `altered` applies ALTER TABLE's
ADD, DROP, RENAME and ALTER|MODIFY of a constraint ("Modifying Constraints", "Dropping
Constraints").

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
from cloneshell.engine.core.errors import CatalogError, SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
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


def _system_name(target: Target, index: int, statement_id: str = "") -> str:
    seed = f"{target.fq}:{index}" + (f":{statement_id}" if statement_id else "")
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


def altered(
    ctx: SnowflakeContext, target: Target, table: TableMeta, action: ast.AlterTableAction
) -> tuple[list[Key], dict[str, list[Key]], tuple[ColumnMeta, ...]]:
    """ALTER TABLE's constraint action on `table`: its keys after it, the other tables of its
    database whose foreign keys it dropped (CASCADE: `DB.SCHEMA.NAME` -> their keys left), and
    its columns (an added primary key's are NOT NULL)."""
    keys = keys_of(table)
    columns = table.columns
    if isinstance(action, ast.AddConstraint):
        c = action.constraint
        if c.name is not None and any(k.name == ctx.fold(c.name) for k in keys):
            raise SemanticError(
                "semantic", c.span, message=f"Constraint '{ctx.fold(c.name)}' already exists."
            )
        if c.kind == "PRIMARY KEY" and any(k.kind == "PRIMARY KEY" for k in keys):
            raise SemanticError(
                "semantic", c.span, message=f"table '{target.name}' has more than one primary key"
            )
        columns, (key,) = declare(ctx, target, (c,), columns)
        if c.name is None:
            key = replace(key, name=_system_name(target, len(keys), ctx.statement_id))
        _check_not_null(ctx, target, table, columns, c.span)
        return [*keys, key], {}, columns
    if isinstance(action, ast.RenameConstraint):
        i = _find(ctx, keys, ast.ConstraintRef(span=action.old.span, kind="", name=action.old))
        new = ctx.fold(action.new)
        if any(k.name == new for k in keys):
            raise SemanticError(
                "semantic", action.new.span, message=f"Constraint '{new}' already exists."
            )
        keys[i] = replace(keys[i], name=new)
        return keys, {}, columns
    if isinstance(action, ast.AlterConstraint):
        i = _find(ctx, keys, action.ref)
        for prop in action.properties:
            if prop in ("ENFORCED", "VALIDATE"):
                raise UnsupportedError(
                    "unsupported", action.span, message=f"constraint property {prop}"
                )
            if prop in ("RELY", "NORELY"):
                keys[i] = replace(keys[i], rely=prop == "RELY")
        return keys, {}, columns
    assert isinstance(action, ast.DropConstraint)
    dropped = keys.pop(_find(ctx, keys, action.ref))
    others: dict[str, list[Key]] = {}
    if dropped.kind != "FOREIGN KEY":
        for other in target.db.cat.list_tables():
            fq = f"{target.db.name}.{other.schema}.{other.name}"
            own = other.table_id == table.table_id
            theirs = keys if own else keys_of(other)
            kept = [
                k
                for k in theirs
                if not (k.ref_table == target.fq and set(k.ref_columns) == set(dropped.columns))
            ]
            if len(kept) == len(theirs):
                continue
            if action.restrict:
                raise SemanticError(
                    "semantic",
                    action.span,
                    message=f"Constraint '{dropped.name}' is referenced by a foreign key of "
                    f"'{fq}'.",
                )
            if own:
                keys = kept
            else:
                others[fq] = kept
    return keys, others, columns


def _find(ctx: SnowflakeContext, keys: list[Key], ref: ast.ConstraintRef) -> int:
    """The index of the constraint `ref` names among `keys`."""
    if ref.name is not None:
        name = ctx.fold(ref.name)
        found = next((i for i, k in enumerate(keys) if k.name == name), None)
        shown = name
    else:
        cols = tuple(ctx.fold(c) for c in ref.columns)
        found = next(
            (
                i
                for i, k in enumerate(keys)
                if k.kind == ref.kind and (ref.kind == "PRIMARY KEY" or k.columns == cols)
            ),
            None,
        )
        shown = ref.kind if not cols else f"{ref.kind} ({', '.join(cols)})"
    if found is None:
        raise CatalogError("object_not_found", ref.span, name=f"constraint {shown}")
    return found


def _check_not_null(
    ctx: SnowflakeContext,
    target: Target,
    table: TableMeta,
    columns: tuple[ColumnMeta, ...],
    span: ast.Span | None,
) -> None:
    """An added primary key makes its columns NOT NULL: refused while one holds a NULL."""
    cat = target.db.cat
    for before, after in zip(table.columns, columns, strict=True):
        if after.not_null and not before.not_null:
            row = cat.con.execute(
                f"SELECT count(*) FROM {cat.physical(table)} "
                f"WHERE {quote_ident(before.name)} IS NULL"
            ).fetchone()
            if row and row[0]:
                raise SemanticError(
                    "semantic",
                    span,
                    message=f"NULL result in a non-nullable column '{before.name}'",
                )
