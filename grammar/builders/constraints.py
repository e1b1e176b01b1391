"""The rules of Snowflake's column constraints and identity columns: `[CONSTRAINT c] PRIMARY
KEY | UNIQUE | [FOREIGN KEY] REFERENCES t [(cols)]` inline or out of line with their properties
(NOT ENFORCED, RELY …), explicit `NULL`, and `AUTOINCREMENT | IDENTITY [(start, step) | START n
INCREMENT n]`; and sequences (`CREATE SEQUENCE`, `DESC SEQUENCE`), whose values such columns
take."""

from __future__ import annotations

from typing import Any, Literal

from lark.lexer import Token
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import BuilderBase, Opts, joined_words, make_node, meta_span


class ConstraintProp(str):
    """A constraint's property words (`NOT ENFORCED`, `RELY`): RELY is kept, the rest read."""


class ConstraintRules(BuilderBase):
    """Constraints and identity columns (grammar/dialect.lark, `column_def`)."""

    def null_opt(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta))

    def constraint_prop(self, meta: Meta, children: list[Any]) -> ConstraintProp:
        return ConstraintProp(joined_words(self, meta, children))

    def constraint_name(self, meta: Meta, children: list[Any]) -> ast.Ident:
        (name,) = children
        assert isinstance(name, ast.Ident)
        return name

    def references(
        self, meta: Meta, children: list[Any]
    ) -> tuple[ast.QualifiedName, tuple[ast.Ident, ...]]:
        table = children[0]
        return table, tuple(children[1]) if len(children) > 1 else ()

    def inline_constraint(self, meta: Meta, children: list[Any]) -> ast.TableConstraint:
        return self._constraint(meta, children, ())

    def table_constraint(self, meta: Meta, children: list[Any]) -> ast.TableConstraint:
        lists = [
            c for c in children if isinstance(c, tuple) and all(isinstance(i, ast.Ident) for i in c)
        ]
        return self._constraint(meta, children, lists[0] if lists else ())

    def _constraint(
        self, meta: Meta, children: list[Any], columns: tuple[ast.Ident, ...]
    ) -> ast.TableConstraint:
        words = [str(c).upper() for c in children if isinstance(c, Token)]
        first = words[0] if words else "REFERENCES"
        kind: Literal["PRIMARY KEY", "UNIQUE", "FOREIGN KEY"] = (
            "PRIMARY KEY"
            if first == "PRIMARY"
            else "UNIQUE"
            if first == "UNIQUE"
            else "FOREIGN KEY"
        )
        name = next((c for c in children if isinstance(c, ast.Ident)), None)
        ref = next(
            (
                c
                for c in children
                if isinstance(c, tuple) and len(c) == 2 and isinstance(c[0], ast.QualifiedName)
            ),
            None,
        )
        props = [c for c in children if isinstance(c, ConstraintProp)]
        return ast.TableConstraint(
            span=meta_span(meta),
            kind=kind,
            columns=columns,
            name=name,
            references=ref[0] if ref else None,
            ref_columns=ref[1] if ref else (),
            rely="RELY" in props,
        )

    def signed_int(self, meta: Meta, children: list[Any]) -> int:
        return -self._integer(children[-1]) if len(children) > 1 else self._integer(children[0])

    def identity_opt(self, meta: Meta, children: list[Any]) -> Opts:
        numbers = [c for c in children if isinstance(c, int)]
        start, step = (numbers[0], numbers[1]) if numbers else (1, 1)
        # `START n` or `INCREMENT n` alone, or INCREMENT before START (builders/tags.py).
        parts = dict(c for c in children if isinstance(c, tuple) and len(c) == 2)
        start, step = parts.get("start", start), parts.get("step", step)
        return Opts(
            meta_span(meta), identity=ast.Identity(span=meta_span(meta), start=start, step=step)
        )

    create_sequence = make_node(ast.CreateSequence, name=ast.QualifiedName)
    describe_sequence = make_node(ast.DescribeSequence, name=ast.QualifiedName)

    def sequence_start(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), start=children[-1])

    def sequence_increment(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), increment=children[-1])

    def sequence_order(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta))
