"""The roots of the AST and what every part of it names: Node, Statement, identifiers,
qualified names, principals and column types."""

from __future__ import annotations

from dataclasses import field

from cloneshell.grammar.errors import Span
from cloneshell.grammar.records import node

NO_SPAN = Span(0, 0, 1, 1, 1, 1)


@node
class Node:
    """Base of every AST node."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@node
class Statement(Node):
    """Base of statements."""


@node
class Ident(Node):
    """One identifier. `name` is the text without quotes (escapes resolved)."""

    name: str
    quoted: bool = False


@node
class QualifiedName(Node):
    """`a`, `a.b` or `a.b.c`."""

    parts: tuple[Ident, ...]


@node
class Principal(Node):
    """A user or role name as MaxCompute/Snowflake write it: `ALIYUN$x@y`, `RAM$a:u`, `bob`.

    `name` is the text without back-quotes.
    """

    name: str
    quoted: bool = False


@node
class TypeName(Node):
    """A column type. `name` is lower case (`bigint`, `decimal`, `array`, `number` ...).

    `params` holds integer parameters (`decimal(10,2)` -> (10, 2)); `args` holds element types
    (`array<int>` -> (int,), `map<string,bigint>` -> (string, bigint)); `fields` holds struct
    fields in order.
    """

    name: str
    params: tuple[int, ...] = ()
    args: tuple[TypeName, ...] = ()
    fields: tuple[tuple[str, TypeName], ...] = ()
