"""Snowflake user-defined functions and procedures: CREATE FUNCTION | PROCEDURE, DROP, DESC,
CALL."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.grammar.ast.base import Node, Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName, TypeName
    from cloneshell.grammar.ast.expressions import Expr
    from cloneshell.grammar.ast.pipelines import ObjectOption
    from cloneshell.grammar.errors import Span


@node
class RoutineArg(Node):
    """`name type [DEFAULT e]` in a function's or procedure's argument list."""

    name: Ident
    type: TypeName
    default: Expr | None = None


@node
class TableColumn(Node):
    """`name type` in `RETURNS TABLE (…)`."""

    name: Ident
    type: TypeName


@node
class CreateFunction(Statement):
    """`CREATE [OR REPLACE] [SECURE] [TEMPORARY] FUNCTION | PROCEDURE [IF NOT EXISTS]
    f(args) RETURNS type | TABLE (cols) [LANGUAGE l] [properties] [COMMENT] AS 'body'`;
    `properties` holds the property words as written, upper case (STRICT, IMMUTABLE …)."""

    name: QualifiedName
    body: str
    procedure: bool = False
    args: tuple[RoutineArg, ...] = ()
    returns: TypeName | None = None
    returns_table: tuple[TableColumn, ...] | None = None
    returns_not_null: bool = False
    or_replace: bool = False
    if_not_exists: bool = False
    secure: bool = False
    temporary: bool = False
    copy_grants: bool = False
    language: str | None = None
    language_span: Span | None = None
    comment: str | None = None
    properties: tuple[str, ...] = ()
    options: tuple[ObjectOption, ...] = ()


@node
class DropFunction(Statement):
    """`DROP FUNCTION | PROCEDURE [IF EXISTS] f(type, …)`."""

    name: QualifiedName
    arg_types: tuple[TypeName, ...] = ()
    procedure: bool = False
    if_exists: bool = False


@node
class DescribeFunction(Statement):
    """`DESC FUNCTION | PROCEDURE f(type, …)`."""

    name: QualifiedName
    arg_types: tuple[TypeName, ...] = ()
    procedure: bool = False


@node
class Call(Statement):
    """`CALL p(args)`."""

    name: QualifiedName
    args: tuple[Expr, ...] = ()
