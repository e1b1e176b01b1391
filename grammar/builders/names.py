"""Names and types: identifiers, qualified names (with Snowflake's `db..t`), strings,
principals and column types."""

from __future__ import annotations

import re
from typing import Any

from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import (
    BuilderBase,
    meta_span,
    unquote,
)
from cloneshell.grammar.errors import SqlSyntaxError

# One part of a name inside IDENTIFIER('…'): "quoted" (doubled quotes inside) or plain.
_NAME_PART = re.compile(r'"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)')


class NameRules(BuilderBase):
    """The rules of names, strings, principals and types."""

    def qname(self, meta: Meta, children: list[Any]) -> ast.QualifiedName:
        return ast.QualifiedName(span=meta_span(meta), parts=tuple(children))

    def identifier_qname(self, meta: Meta, children: list[Any]) -> ast.QualifiedName:
        """Snowflake `IDENTIFIER('name')`: the string's text read as an object name (`a.b.c`,
        parts in double quotes keep their case)."""
        token = children[0]
        span = meta_span(meta)
        text = unquote(str(token))
        parts: list[ast.Ident] = []
        for m in _NAME_PART.finditer(text):
            quoted, plain = m.group(1), m.group(2)
            if quoted is not None:
                parts.append(ast.Ident(span=span, name=quoted.replace('""', '"'), quoted=True))
            else:
                parts.append(ast.Ident(span=span, name=plain, quoted=False))
        if not parts or ".".join(m.group(0) for m in _NAME_PART.finditer(text)) != text:
            raise SqlSyntaxError(f"invalid identifier '{text}'", span, str(token))
        if len(parts) > 3:
            raise SqlSyntaxError(f"invalid identifier '{text}'", span, str(token))
        return ast.QualifiedName(span=span, parts=tuple(parts))

    def default_schema_qname(self, meta: Meta, children: list[Any]) -> ast.QualifiedName:
        database, name = children
        second_dot = self._source.index(".", self._source.index(".", database.span.end) + 1)
        schema = self.dialect.default_schema
        if schema is None:
            raise SqlSyntaxError("invalid token '.'", self._span(second_dot, second_dot + 1), ".")
        # `db..t` names the default schema (Snowflake identifier resolution: PUBLIC).
        default = ast.Ident(span=self._span(second_dot, second_dot), name=schema)
        return ast.QualifiedName(span=meta_span(meta), parts=(database, default, name))

    def path(self, meta: Meta, children: list[Any]) -> tuple[ast.Ident, ...]:
        if len(children) == 1:
            return (children[0],)
        head, last = children
        return (*head, last)

    def ident_list(self, meta: Meta, children: list[Any]) -> tuple[ast.Ident, ...]:
        return tuple(children)

    def ident(self, meta: Meta, children: list[Any]) -> ast.Ident:
        (token,) = children
        if token.type == "BQ_IDENT":
            name = unquote(token)
        elif token.type == "DQ_STRING":  # a quoted identifier keeps backslashes: only "" escapes
            name = token[1:-1].replace('""', '"')
        else:
            name = str(token)
        quoted = token.type in ("BQ_IDENT", "DQ_STRING")
        return ast.Ident(span=meta_span(meta), name=name, quoted=quoted)

    alias_name = privilege_word = ident

    def string(self, meta: Meta, children: list[Any]) -> str:
        return unquote(children[0])

    def principal(self, meta: Meta, children: list[Any]) -> ast.Principal:
        (token,) = children
        quoted = token.type in ("BQ_IDENT", "DQ_STRING")
        name = unquote(token) if token.type == "BQ_IDENT" else token[1:-1] if quoted else token
        return ast.Principal(span=meta_span(meta), name=str(name), quoted=quoted)

    def simple_type(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        name, *params = children
        return ast.TypeName(
            span=meta_span(meta), name=str(name).lower(), params=params[0] if params else ()
        )

    def double_precision(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        (name,) = children
        if str(name).lower() != "double":  # only DOUBLE has a PRECISION spelling
            start = meta.end_pos - len("PRECISION")
            word = self._source[start : meta.end_pos]
            raise SqlSyntaxError(f"invalid token '{word}'", self._span(start, meta.end_pos), word)
        return ast.TypeName(span=meta_span(meta), name="double precision")

    def type_params(self, meta: Meta, children: list[Any]) -> tuple[int, ...]:
        return tuple(self._integer(t) for t in children)

    def bare_array(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        return ast.TypeName(span=meta_span(meta), name="array")

    def array_type(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        return ast.TypeName(span=meta_span(meta), name="array", args=tuple(children))

    def map_type(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        return ast.TypeName(span=meta_span(meta), name="map", args=tuple(children))

    def struct_type(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        return ast.TypeName(span=meta_span(meta), name="struct", fields=tuple(children))

    def object_type(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        name, *fields = children
        if str(name).lower() != "object":  # only OBJECT has named fields in parentheses
            raise SqlSyntaxError(
                f"syntax error unexpected '{name}'", self._span(meta.start_pos, meta.end_pos), name
            )
        return ast.TypeName(span=meta_span(meta), name="object", fields=tuple(fields))

    def object_field(self, meta: Meta, children: list[Any]) -> tuple[str, ast.TypeName]:
        name, type_ = children[:2]
        return (name.name, type_)

    def struct_field(self, meta: Meta, children: list[Any]) -> tuple[str, ast.TypeName]:
        name, type_ = children
        return (name.name, type_)
