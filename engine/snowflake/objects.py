"""Snowflake schema objects other than tables: stages, pipes, streams and tasks, kept in one
metadata table of their database (`__cs.sf_objects`), one row each.

Every kind shares what Snowflake shows for any schema object (id, schema, name, owner role,
comment, when it was created and altered, the version that created it); what differs between
kinds lives in `props`, a JSON object (a stage's URL and file format, a pipe's COPY text, a
stream's table and offset, a task's schedule and state). Names are unique per kind within a
schema. Privileges on these objects are `__cs.sf_grants` rows with the kind as object type.
Nothing here commits: the statement's write transaction does.
"""

from __future__ import annotations

import json
from dataclasses import field, replace
from datetime import datetime
from typing import Any, Literal

from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.engine.snowflake import catalog
from cloneshell.grammar.records import record

Kind = Literal["STAGE", "PIPE", "STREAM", "TASK", "SEQUENCE", "TAG", "FUNCTION"]
KINDS: tuple[Kind, ...] = ("STAGE", "PIPE", "STREAM", "TASK")

_COLS = (
    "object_id, kind, schema_id, name, owner, comment, created_at, created_version, altered_at, "
    "props"
)


@record(frozen=True, slots=True)
class PipelineObject:
    """One stage, pipe, stream or task."""

    object_id: int
    kind: Kind
    schema_id: int
    name: str
    owner: str
    comment: str
    created_at: datetime
    created_version: int
    altered_at: datetime
    props: dict[str, Any] = field(default_factory=dict)

    def prop(self, key: str, default: Any = None) -> Any:
        """One kind-specific property."""
        return self.props.get(key, default)

    def with_props(self, **values: Any) -> PipelineObject:
        """A copy with some properties changed."""
        return replace(self, props={**self.props, **values})

    def with_owner(self, owner: str) -> PipelineObject:
        """A copy owned by another role."""
        return replace(self, owner=owner)


def _row(row: tuple[Any, ...]) -> PipelineObject:
    return PipelineObject(
        object_id=row[0],
        kind=row[1],
        schema_id=row[2],
        name=row[3],
        owner=row[4],
        comment=row[5],
        created_at=row[6],
        created_version=row[7],
        altered_at=row[8],
        props=json.loads(row[9]),
    )


def get(cat: ProjectCatalog, kind: Kind, schema_id: int, name: str) -> PipelineObject | None:
    """The object of `kind` called exactly `name` in a schema, or None."""
    row = cat.con.execute(
        f"SELECT {_COLS} FROM {cat.meta_schema}.sf_objects "
        "WHERE kind = ? AND schema_id = ? AND name = ?",
        [kind, schema_id, name],
    ).fetchone()
    return _row(row) if row else None


def by_id(cat: ProjectCatalog, object_id: int) -> PipelineObject | None:
    """An object by id, or None."""
    row = cat.con.execute(
        f"SELECT {_COLS} FROM {cat.meta_schema}.sf_objects WHERE object_id = ?", [object_id]
    ).fetchone()
    return _row(row) if row else None


def list_objects(
    cat: ProjectCatalog, kind: Kind | None = None, schema_id: int | None = None
) -> list[PipelineObject]:
    """Objects (of one kind, in one schema, or all), by schema, kind and name."""
    where: list[str] = ["TRUE"]
    params: list[object] = []
    if kind is not None:
        where.append("kind = ?")
        params.append(kind)
    if schema_id is not None:
        where.append("schema_id = ?")
        params.append(schema_id)
    rows = cat.con.execute(
        f"SELECT {_COLS} FROM {cat.meta_schema}.sf_objects WHERE {' AND '.join(where)} "
        "ORDER BY schema_id, kind, name",
        params,
    ).fetchall()
    return [_row(r) for r in rows]


def next_id(cat: ProjectCatalog) -> int:
    """A fresh object id."""
    row = cat.con.execute(
        f"SELECT coalesce(max(object_id), 0) + 1 FROM {cat.meta_schema}.sf_objects"
    ).fetchone()
    return int(row[0]) if row else 1


def create(cat: ProjectCatalog, obj: PipelineObject) -> PipelineObject:
    """Record a new object."""
    cat.con.execute(
        f"INSERT INTO {cat.meta_schema}.sf_objects ({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            obj.object_id,
            obj.kind,
            obj.schema_id,
            obj.name,
            obj.owner,
            obj.comment,
            obj.created_at,
            obj.created_version,
            obj.altered_at,
            json.dumps(obj.props, sort_keys=True),
        ],
    )
    return obj


def save(cat: ProjectCatalog, obj: PipelineObject) -> PipelineObject:
    """Write back an object's owner, comment, altered time and properties."""
    cat.con.execute(
        f"UPDATE {cat.meta_schema}.sf_objects SET owner = ?, comment = ?, altered_at = ?, "
        "props = ? WHERE object_id = ?",
        [
            obj.owner,
            obj.comment,
            obj.altered_at,
            json.dumps(obj.props, sort_keys=True),
            obj.object_id,
        ],
    )
    return obj


def delete(cat: ProjectCatalog, obj: PipelineObject) -> None:
    """Forget an object and the privileges granted on it."""
    cat.con.execute(
        f"DELETE FROM {cat.meta_schema}.sf_objects WHERE object_id = ?", [obj.object_id]
    )
    catalog.delete_grants(cat, obj.kind, obj.object_id)
