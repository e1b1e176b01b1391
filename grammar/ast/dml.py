"""Statements that read or change rows: SELECT, INSERT, UPDATE, DELETE."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.grammar.ast.base import Node, Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName
    from cloneshell.grammar.ast.ddl import PartitionSpec
    from cloneshell.grammar.ast.expressions import Expr
    from cloneshell.grammar.ast.queries import FromItem, Query, Values


@node
class QueryStmt(Statement):
    """A SELECT (or WITH ... SELECT) statement."""

    query: Query


@node
class Insert(Statement):
    """`INSERT INTO|OVERWRITE [TABLE] t [PARTITION (..)] [(cols)] VALUES ... | query`."""

    table: QualifiedName
    source: Query | Values
    overwrite: bool = False
    partition: PartitionSpec | None = None
    columns: tuple[Ident, ...] = ()


@node
class Assignment(Node):
    """`col = expr` in UPDATE ... SET."""

    column: Ident
    value: Expr


@node
class Update(Statement):
    """`UPDATE t [[AS] alias] SET c = e, ... [FROM items] [WHERE cond]`."""

    table: QualifiedName
    assignments: tuple[Assignment, ...]
    alias: Ident | None = None
    from_: FromItem | None = None
    where: Expr | None = None


@node
class Delete(Statement):
    """`DELETE FROM t [[AS] alias] [USING items] [WHERE cond]`."""

    table: QualifiedName
    alias: Ident | None = None
    using: FromItem | None = None
    where: Expr | None = None
