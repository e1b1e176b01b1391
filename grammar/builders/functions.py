"""The rules of Snowflake's user-defined functions and procedures (grammar/ast/functions.py):
CREATE FUNCTION | PROCEDURE with its arguments, return type and properties, DROP and DESC of
one overload, CALL; and the statements parsed only to be refused by name (ast/unsupported.py)."""

from __future__ import annotations

from typing import Any

from lark.lexer import Token
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import BuilderBase, Opts, meta_span, token_span, unquote


class RoutineProp(str):
    """A function's property words (`RETURNS NULL ON NULL INPUT`, `IMMUTABLE`), upper case."""


def _is_procedure(children: list[Any]) -> bool:
    return any(isinstance(c, Token) and c.upper() == "PROCEDURE" for c in children)


class FunctionRules(BuilderBase):
    """CREATE / DROP / DESC FUNCTION and PROCEDURE, CALL."""

    def create_function(self, meta: Meta, children: list[Any]) -> ast.CreateFunction:
        procedure = _is_procedure(children)
        args = tuple(c for c in children if isinstance(c, ast.RoutineArg))
        props = tuple(str(c) for c in children if isinstance(c, RoutineProp))
        options = tuple(c for c in children if isinstance(c, ast.ObjectOption))
        types = [c for c in children if isinstance(c, ast.TypeName)]
        name = next(c for c in children if isinstance(c, ast.QualifiedName))
        extra = Opts(
            meta_span(meta),
            procedure=procedure,
            args=args,
            properties=props,
            options=options,
            returns=types[0] if types else None,
        )
        rest = [c for c in children if isinstance(c, Opts)]
        return self._make(ast.CreateFunction, meta, [name, *rest, extra], name=ast.QualifiedName)

    def routine_arg(self, meta: Meta, children: list[Any]) -> ast.RoutineArg:
        name, type_, *default = children
        return ast.RoutineArg(
            span=meta_span(meta), name=name, type=type_, default=default[0] if default else None
        )

    def returns_not_null(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), returns_not_null=len(children) == 2)

    def returns_table(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), returns_table=tuple(children))

    def table_column(self, meta: Meta, children: list[Any]) -> ast.TableColumn:
        name, type_ = children
        return ast.TableColumn(span=meta_span(meta), name=name, type=type_)

    def language(self, meta: Meta, children: list[Any]) -> Opts:
        (word,) = children
        return Opts(meta_span(meta), language=str(word).upper(), language_span=token_span(word))

    def routine_prop(self, meta: Meta, children: list[Any]) -> RoutineProp:
        return RoutineProp(" ".join(str(t).upper() for t in children))

    def routine_body(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), body=unquote(children[0]))

    def drop_function(self, meta: Meta, children: list[Any]) -> ast.DropFunction:
        types = tuple(c for c in children if isinstance(c, ast.TypeName))
        rest = [c for c in children if isinstance(c, (Opts, ast.QualifiedName))]
        extra = Opts(meta_span(meta), procedure=_is_procedure(children), arg_types=types)
        return self._make(ast.DropFunction, meta, [*rest, extra], name=ast.QualifiedName)

    def describe_function(self, meta: Meta, children: list[Any]) -> ast.DescribeFunction:
        types = tuple(c for c in children if isinstance(c, ast.TypeName))
        name = next(c for c in children if isinstance(c, ast.QualifiedName))
        extra = Opts(meta_span(meta), procedure=_is_procedure(children), arg_types=types)
        return self._make(ast.DescribeFunction, meta, [name, extra], name=ast.QualifiedName)

    def show_kind(self, meta: Meta, children: list[Any]) -> Token:
        """A SHOW's kind: its first word, or `USER FUNCTIONS` | `USER PROCEDURES`."""
        first: Token = children[0]
        if len(children) == 2 and first.upper() == "USER":
            return Token.new_borrow_pos(first.type, f"USER {children[1].upper()}", first)
        return first

    def unsupported_stmt(self, meta: Meta, children: list[Any]) -> ast.Unsupported:
        """A statement that is not emulated, named by its keywords (`CREATE FILE FORMAT`)."""
        words = [
            str(c).upper()
            for c in children
            if isinstance(c, Token) and c.type != "SET_VALUE" and c.upper() != "SECONDARY"
        ]
        if words[0] == "USE":
            words = ["USE SECONDARY ROLES"]
        feature = " ".join(words)
        return self._make(ast.Unsupported, meta, [Opts(meta_span(meta), feature=feature)])

    def drop_kind(self, meta: Meta, children: list[Any]) -> Token:
        """A DROP's kind: its first word; `MATERIALIZED VIEW` drops a view (views.py)."""
        first: Token = children[0]
        if first.upper() == "MATERIALIZED":
            return Token.new_borrow_pos(first.type, "VIEW", first)
        return first

    def call_stmt(self, meta: Meta, children: list[Any]) -> ast.Call:
        return self._make(ast.Call, meta, children, name=ast.QualifiedName)
