"""Which statements ask `Confirm to "<stmt>" (yes/no)?` before they run at a terminal: decided
from the parsed statement, never from its text, so `SELECT 'drop table'` does not ask and
`drop   table t` does; and only when the statement destroys data unconditionally, so a DROP
… IF EXISTS of a missing table, a DELETE with a WHERE or a clone onto a new table runs at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.parser import parse

if TYPE_CHECKING:
    from cloneshell.engine import CatalogSnapshot

ObjectKind = Literal["TABLE", "PROJECT", "DATABASE", "SCHEMA", "ROLE"]
Lookup = Callable[[ObjectKind, tuple[ast.Ident, ...]], bool | None]
"""Whether an object of that kind and (as written) name exists now; None when the shell cannot
tell (it then asks, as for an existing one)."""

# odpscmd asks before DROP, DELETE, REMOVE and ALTER … DROP PARTITION (reference/maxcompute.md
# §2.5); the others destroy data just as surely: TRUNCATE, INSERT OVERWRITE, a clone that
# overwrites, and any CREATE OR REPLACE (a DROP followed by a CREATE). Each asks only when what
# it destroys is there.
_ALWAYS: tuple[type[ast.Statement], ...] = (
    ast.RemoveUser,
    ast.AlterTableDropPartitions,
    ast.RemoveStage,
)
# DropObject kinds the completion snapshot knows; the others (stages, pipes, …) always ask.
_KNOWN_KINDS: dict[str, ObjectKind] = {
    "TABLE": "TABLE",
    "DATABASE": "DATABASE",
    "SCHEMA": "SCHEMA",
    "ROLE": "ROLE",
}


def _parts(name: ast.QualifiedName | ast.Ident) -> tuple[ast.Ident, ...]:
    return name.parts if isinstance(name, ast.QualifiedName) else (name,)


def _exists(lookup: Lookup | None, kind: ObjectKind, name: ast.QualifiedName | ast.Ident) -> bool:
    found = None if lookup is None else lookup(kind, _parts(name))
    return found is not False


def _replaced_kind(statement: ast.Statement) -> ObjectKind | None:
    if isinstance(statement, ast.CreateTable):
        return "TABLE"
    if isinstance(statement, ast.CreateDatabase):
        return "DATABASE"
    if isinstance(statement, ast.CreateSchema):
        return "SCHEMA"
    if isinstance(statement, ast.CreateRole):
        return "ROLE"
    return None


def is_destructive_statement(statement: ast.Statement, lookup: Lookup | None = None) -> bool:
    """True for a parsed statement that deletes or replaces data, users or objects that exist
    (by `lookup`; without one, every object is taken to exist)."""
    if isinstance(statement, _ALWAYS):
        return True
    if isinstance(statement, ast.DropTable):
        return _exists(lookup, "TABLE", statement.name)
    if isinstance(statement, ast.TruncateTable):
        return _exists(lookup, "TABLE", statement.table)
    if isinstance(statement, ast.DropProject):
        return _exists(lookup, "PROJECT", statement.name)
    if isinstance(statement, ast.DropRole):
        return _exists(lookup, "ROLE", statement.name)
    if isinstance(statement, ast.DropObject):
        kind = _KNOWN_KINDS.get(statement.kind)
        return kind is None or _exists(lookup, kind, statement.name)
    if isinstance(statement, ast.Delete | ast.Update):
        return statement.where is None
    if isinstance(statement, ast.Insert):
        return statement.overwrite
    if isinstance(statement, ast.CloneTable):
        return statement.if_exists == "OVERWRITE" and _exists(lookup, "TABLE", statement.target)
    # CREATE OR REPLACE TABLE/DATABASE/SCHEMA/…: every kind that has the flag.
    if getattr(statement, "or_replace", False) is not True:
        return False
    kind = _replaced_kind(statement)
    name = getattr(statement, "name", None)
    if kind is None or not isinstance(name, ast.QualifiedName | ast.Ident):
        return True
    return _exists(lookup, kind, name)


def is_destructive(text: str, dialect: str = "maxcompute", lookup: Lookup | None = None) -> bool:
    """True when `text` parses and any statement in it is destructive. Text that does not
    parse is not destructive: it is sent as typed, and the engine reports the error."""
    try:
        statements = parse(text, dialect)
    except (CloneshellError, ValueError):
        return False
    return any(is_destructive_statement(s, lookup) for s in statements)


def snapshot_lookup(
    snapshot: CatalogSnapshot, schema: str | None, name: Callable[[ast.Ident], str]
) -> Lookup:
    """Existence by what the principal can see now: `snapshot` (its current project or
    database), the current `schema` (Snowflake) and the dialect's stored form of a written
    name. An object the principal cannot see is as good as missing: the statement would be
    refused anyway."""
    current = snapshot.current_project or ""

    def tables(parts: tuple[str, ...]) -> bool:
        if snapshot.schemas:  # database.schema.table
            full = (current, schema or "", *parts)[-3:]
            return any((t.project, t.schema, t.name) == full for t in snapshot.tables)
        # project.table, or schema.table / project.schema.table with odps.namespace.schema
        candidates = {(current, parts[-1])} if len(parts) < 3 else set()
        if len(parts) > 1:
            candidates.add((parts[0], parts[-1]))
        return any((t.project, t.name) in candidates for t in snapshot.tables)

    def lookup(kind: ObjectKind, written: tuple[ast.Ident, ...]) -> bool | None:
        parts = tuple(name(p) for p in written)
        if kind == "TABLE":
            return tables(parts)
        if kind in ("PROJECT", "DATABASE"):
            return parts[-1] in snapshot.projects
        if kind == "SCHEMA":
            full = (current, *parts)[-2:]
            return full in snapshot.schemas
        return parts[-1] in snapshot.roles

    return lookup
