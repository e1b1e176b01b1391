"""The rules of Snowflake's table and column options beyond the core DDL: `TAG (t = 'v')`,
policy clauses, `COLLATE`, `KEY = value` properties in CREATE TABLE and ALTER … SET, identity
`START n` / `INCREMENT n` on their own, and the tag statements (grammar/ast/tags.py)."""

from __future__ import annotations

from typing import Any

from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import BuilderBase, Opts, make_node, meta_span


class IdentityPart(tuple[str, int]):
    """`START n` or `INCREMENT n` of an identity column, written on its own."""


class TagRules(BuilderBase):
    """Tags, policies, COLLATE and table properties."""

    def tag_assignment(self, meta: Meta, children: list[Any]) -> ast.TagAssignment:
        tag, value = children
        return ast.TagAssignment(span=meta_span(meta), tag=tag, value=value)

    def tag_clause(self, meta: Meta, children: list[Any]) -> Opts:
        tags = tuple(c for c in children if isinstance(c, ast.TagAssignment))
        return Opts(meta_span(meta), tags=tags)

    def _policy(self, meta: Meta, children: list[Any]) -> ast.Policy:
        words = [str(c).upper() for c in children if not isinstance(c, (ast.Node, tuple))]
        name = next(c for c in children if isinstance(c, ast.QualifiedName))
        kind = " ".join(w for w in words if w != "WITH")
        return ast.Policy(span=meta_span(meta), kind=kind, name=name)

    table_policy = column_policy = _policy

    def collate_opt(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), collation=children[0])

    def create_table(self, meta: Meta, children: list[Any]) -> ast.CreateTable:
        options = tuple(c for c in children if isinstance(c, ast.ObjectOption))
        policies = tuple(c for c in children if isinstance(c, ast.Policy))
        rest = [c for c in children if not isinstance(c, (ast.ObjectOption, ast.Policy))]
        if options:
            rest.append(Opts(options[0].span, "object_option", options=options))
        if policies:
            rest.append(Opts(policies[0].span, "table_policy", policies=policies))
        return self._make(ast.CreateTable, meta, rest, name=ast.QualifiedName)

    def alter_set(self, meta: Meta, children: list[Any]) -> ast.AlterSet:
        kind, *rest = children
        options = tuple(c for c in rest if isinstance(c, ast.ObjectOption))
        rest = [c for c in rest if not isinstance(c, ast.ObjectOption)]
        if options:
            rest.append(Opts(options[0].span, "object_option", options=options))
        return self._make(ast.AlterSet, meta, [self._kind(kind), *rest], name=ast.QualifiedName)

    def alter_tags(self, meta: Meta, children: list[Any]) -> ast.AlterTags:
        kind, *rest = children
        tags = tuple(c for c in rest if isinstance(c, ast.TagAssignment))
        rest = [c for c in rest if not isinstance(c, ast.TagAssignment)]
        return self._make(
            ast.AlterTags,
            meta,
            [self._kind(kind), *rest, Opts(meta_span(meta), set=tags)],
            name=ast.QualifiedName,
        )

    def alter_unset_tags(self, meta: Meta, children: list[Any]) -> ast.AlterTags:
        kind, *rest = children
        names = [c for c in rest if isinstance(c, ast.QualifiedName)]
        rest = [c for c in rest if not isinstance(c, ast.QualifiedName)]
        return self._make(
            ast.AlterTags,
            meta,
            [self._kind(kind), names[0], *rest, Opts(meta_span(meta), unset=tuple(names[1:]))],
            name=ast.QualifiedName,
        )

    def column_tags(self, meta: Meta, children: list[Any]) -> ast.AlterColumns:
        column = next(c for c in children if isinstance(c, ast.Ident))
        tags = tuple(c for c in children if isinstance(c, ast.TagAssignment))
        change = ast.ColumnChange(span=meta_span(meta), column=column, change="SET TAG", tags=tags)
        return ast.AlterColumns(span=meta_span(meta), changes=(change,))

    def column_untags(self, meta: Meta, children: list[Any]) -> ast.AlterColumns:
        column = next(c for c in children if isinstance(c, ast.Ident))
        names = tuple(c for c in children if isinstance(c, ast.QualifiedName))
        change = ast.ColumnChange(
            span=meta_span(meta), column=column, change="UNSET TAG", untagged=names
        )
        return ast.AlterColumns(span=meta_span(meta), changes=(change,))

    def set_column_policy(self, meta: Meta, children: list[Any]) -> Opts:
        policy = next(c for c in children if isinstance(c, ast.Policy))
        return Opts(meta_span(meta), change="SET POLICY", policy=policy)

    create_tag = make_node(ast.CreateTag, name=ast.QualifiedName)

    def allowed_values(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), allowed_values=tuple(children))

    def identity_start(self, meta: Meta, children: list[Any]) -> IdentityPart:
        return IdentityPart(("start", children[-1]))

    def identity_step(self, meta: Meta, children: list[Any]) -> IdentityPart:
        return IdentityPart(("step", children[-1]))
