"""Snowflake's MERGE: the statement and its WHEN clauses."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Literal as Lit

from cloneshell.grammar.ast.base import Node, Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName
    from cloneshell.grammar.ast.dml import Assignment
    from cloneshell.grammar.ast.expressions import Expr
    from cloneshell.grammar.ast.queries import FromItem


@node
class MergeClause(Node):
    """`WHEN MATCHED [AND c] THEN UPDATE SET … | DELETE` or `WHEN NOT MATCHED [AND c] THEN
    INSERT [(cols)] VALUES (…)`."""

    action: Lit["UPDATE", "DELETE", "INSERT"]
    condition: Expr | None = None
    assignments: tuple[Assignment, ...] = ()
    columns: tuple[Ident, ...] = ()
    values: tuple[Expr, ...] = ()


@node
class Merge(Statement):
    """`MERGE INTO t [[AS] a] USING source ON cond WHEN … THEN …` (clauses in order)."""

    table: QualifiedName
    source: FromItem
    on: Expr
    clauses: tuple[MergeClause, ...]
    alias: Ident | None = None
