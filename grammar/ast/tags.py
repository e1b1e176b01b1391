"""Snowflake tags and policies in DDL: tag assignments (`TAG (t = 'v')`), the policy clauses the
engine refuses by name, and the tag statements (CREATE TAG, ALTER … SET|UNSET TAG)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from cloneshell.grammar.ast.base import Node, Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import QualifiedName


@node
class TagAssignment(Node):
    """`tag = 'value'` in a TAG (…) clause or ALTER … SET TAG."""

    tag: QualifiedName
    value: str


@node
class Policy(Node):
    """`[WITH] ROW ACCESS | AGGREGATION | MASKING | PROJECTION POLICY p [ON|USING (cols)]`:
    parsed so that the engine can refuse it by name."""

    kind: str  # "ROW ACCESS POLICY", "MASKING POLICY", …
    name: QualifiedName


@node
class CreateTag(Statement):
    """`CREATE [OR REPLACE] TAG [IF NOT EXISTS] t [ALLOWED_VALUES 'v', …] [COMMENT = '…']`."""

    name: QualifiedName
    or_replace: bool = False
    if_not_exists: bool = False
    allowed_values: tuple[str, ...] | None = None
    comment: str | None = None


@node
class AlterTags(Statement):
    """`ALTER TABLE|VIEW|SCHEMA|DATABASE [IF EXISTS] x SET TAG t = 'v', … | UNSET TAG t, …`."""

    kind: Literal["TABLE", "SCHEMA", "DATABASE", "VIEW"]
    name: QualifiedName
    set: tuple[TagAssignment, ...] = ()
    unset: tuple[QualifiedName, ...] = ()
    if_exists: bool = False
