"""MaxCompute's forms of the statements whose node depends on the dialect: `USE project`,
`DROP TABLE|ROLE`, `DESC [TABLE] t`, `SHOW TABLES`, `GRANT|REVOKE role, ... TO|FROM who` and
`GRANT|REVOKE action, ... ON ...` (the ACL model of reference/maxcompute.md §3). Which clauses
each accepts is grammar/dialects.py's."""

from __future__ import annotations

from typing import Any, TypeVar

from lark.lexer import Token
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import Opts, Words, meta_span, token_span
from cloneshell.grammar.builders.ddl import DdlRules
from cloneshell.grammar.builders.session import SessionRules
from cloneshell.grammar.errors import SqlSyntaxError

S = TypeVar("S", bound=ast.Statement)


class MaxComputeForms(SessionRules, DdlRules):
    """The rules MaxCompute reads its own way."""

    def use_stmt(self, meta: Meta, children: list[Any]) -> ast.Use | ast.UseObject:
        """`USE project`; `USE <kind> name` is Snowflake's, kept for the engine to name."""
        *kind, name = children
        if kind:
            return self._use_object(meta, kind[0], name)
        return ast.Use(span=meta_span(meta), name=self._unqualified(name))

    def drop_object(
        self, meta: Meta, children: list[Any]
    ) -> ast.DropTable | ast.DropRole | ast.DropObject:
        kind, *rest = children
        word = str(kind).upper()
        if word == "TABLE":
            return self._make(ast.DropTable, meta, rest, name=ast.QualifiedName)
        if word == "ROLE":
            rest = [self._unqualified(c) if isinstance(c, ast.QualifiedName) else c for c in rest]
            return self._make(ast.DropRole, meta, rest, name=ast.Ident)
        return self._drop_object(meta, kind, rest)

    def describe(self, meta: Meta, children: list[Any]) -> ast.Describe | ast.DescribeObject:
        kind, rest = self._describe_parts(children)
        if kind is None or str(kind).upper() in ("TABLE", "VIEW"):
            return self._make(ast.Describe, meta, rest, name=ast.QualifiedName)
        return self._describe_object(meta, kind, rest)

    def show_objects(self, meta: Meta, children: list[Any]) -> ast.ShowTables | ast.ShowObjects:
        kind, rest = self._show_parts(children)
        if str(kind).upper() != "TABLES":
            return self._show_objects(meta, kind, rest)
        # SHOW TABLES [IN|FROM project] [LIKE 'pattern'].
        clauses = [
            c.replaced(in_=c["in_name"]) if c.clause in ("in_name", "from_name") else c
            for c in rest
        ]
        return self._make(ast.ShowTables, meta, clauses)

    def grant_roles(self, meta: Meta, children: list[Any]) -> ast.GrantRoles:
        return self._role_list(ast.GrantRoles, meta, children)

    def revoke_roles(self, meta: Meta, children: list[Any]) -> ast.RevokeRoles:
        return self._role_list(ast.RevokeRoles, meta, children)

    def _role_list(self, cls: type[S], meta: Meta, children: list[Any]) -> S:
        names, grantee = children
        roles = self._plain_names(names)
        return self._make(cls, meta, [roles, grantee], roles=tuple, grantee=ast.Principal)

    def grant_privileges(self, meta: Meta, children: list[Any]) -> ast.GrantPrivileges:
        return self._privileges(ast.GrantPrivileges, meta, children)

    def revoke_privileges(self, meta: Meta, children: list[Any]) -> ast.RevokePrivileges:
        return self._privileges(ast.RevokePrivileges, meta, children)

    def _privileges(self, cls: type[S], meta: Meta, children: list[Any]) -> S:
        names = next(c for c in children if isinstance(c, tuple))
        rest = [c for c in children if c is not names]
        # The object first: ON ACCOUNT or ON ALL ... IN ... (Snowflake's) says more than the
        # words of a privilege.
        self._accept(cls, [c for c in rest if isinstance(c, Opts) and "object_type" in c])
        actions = Opts(meta_span(meta), actions=tuple(n.name for n in self._plain_names(names)))
        return self._make(cls, meta, [actions, *rest])

    def _plain_names(self, names: tuple[ast.Ident | Words, ...]) -> tuple[ast.Ident, ...]:
        """Role and action names: one word each."""
        for name in names:
            if isinstance(name, Words):
                second: Token = name.tokens[1]
                raise SqlSyntaxError(f"invalid token '{second}'", token_span(second), str(second))
        return tuple(n for n in names if isinstance(n, ast.Ident))
