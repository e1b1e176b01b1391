"""Snowflake tags as metadata: a tag is a schema object (objects.py, kind TAG, with its
ALLOWED_VALUES); a table's or view's tags and its columns' tags are kept in the table's
properties (`tags`: tag -> value, `column_tags`: column -> tag -> value, tags named
`DB.SCHEMA.TAG`), so that a clone, which copies the table's row, keeps them. Assigning a tag
needs the tag to exist and be visible, and its value to be one of its allowed values."""

from __future__ import annotations

import json

from cloneshell.engine.core.catalog import TableMeta
from cloneshell.engine.core.errors import CatalogError, SemanticError
from cloneshell.engine.snowflake import objects
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.objects import PipelineObject
from cloneshell.grammar import ast

KIND: objects.Kind = "TAG"
TABLE_TAGS = "tags"
COLUMN_TAGS = "column_tags"
MAX_VALUE = 256  # a tag value's longest length ("Introduction to object tagging")


def find(ctx: SnowflakeContext, qname: ast.QualifiedName) -> tuple[Target, PipelineObject]:
    """The tag `qname` names (in the current schema unless qualified); missing or invisible:
    object_not_found."""
    target = ctx.resolve(qname, "TAG")
    obj = objects.get(target.db.cat, KIND, target.schema.schema_id, target.name)
    if obj is None or not ctx.auth.has(target.db.cat, KIND, obj.object_id, obj.owner):
        raise CatalogError("object_not_found", qname.span, name=target.fq)
    return target, obj


def checked(ctx: SnowflakeContext, assignments: tuple[ast.TagAssignment, ...]) -> dict[str, str]:
    """`tag = 'value'` assignments as `DB.SCHEMA.TAG` -> value, each tag existing and each value
    allowed by it."""
    out: dict[str, str] = {}
    for a in assignments:
        target, obj = find(ctx, a.tag)
        allowed = obj.prop("allowed_values")
        if len(a.value) > MAX_VALUE:
            raise SemanticError(
                "invalid", a.span, message=f"Tag value exceeds {MAX_VALUE} characters."
            )
        if allowed is not None and a.value not in allowed:
            raise SemanticError(
                "invalid",
                a.span,
                message=f"Tag {target.fq} has allowed values restriction, and '{a.value}' is "
                "not one of its allowed values.",
            )
        out[target.fq] = a.value
    return out


def table_tags(t: TableMeta) -> dict[str, str]:
    """A table's (or view's) own tags."""
    text = t.properties.get(TABLE_TAGS)
    return dict(json.loads(text)) if text else {}


def column_tags(t: TableMeta) -> dict[str, dict[str, str]]:
    """Each column's tags (only columns that have some)."""
    text = t.properties.get(COLUMN_TAGS)
    return {k: dict(v) for k, v in json.loads(text).items()} if text else {}


def encode(own: dict[str, str], columns: dict[str, dict[str, str]]) -> dict[str, str]:
    """The properties entries holding a table's tags (none when it has none)."""
    out: dict[str, str] = {}
    if own:
        out[TABLE_TAGS] = json.dumps(own)
    kept = {c: t for c, t in columns.items() if t}
    if kept:
        out[COLUMN_TAGS] = json.dumps(kept)
    return out


def with_tags(
    t: TableMeta, own: dict[str, str], columns: dict[str, dict[str, str]]
) -> dict[str, str]:
    """`t`'s properties with its tags replaced."""
    rest = {k: v for k, v in t.properties.items() if k not in (TABLE_TAGS, COLUMN_TAGS)}
    return {**rest, **encode(own, columns)}


def unset(
    ctx: SnowflakeContext, tagged: dict[str, str], names: tuple[ast.QualifiedName, ...]
) -> dict[str, str]:
    """`tagged` without the tags `names` names (a tag not set is no error, as Snowflake)."""
    out = dict(tagged)
    for qname in names:
        target = ctx.resolve(qname, "TAG")
        out.pop(target.fq, None)
    return out
