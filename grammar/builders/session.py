"""Session statements (SET, USE, ALTER SESSION, WHOAMI) and the emulator's projects."""

from __future__ import annotations

from typing import Any

from lark.lexer import Token
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import (
    BuilderBase,
    Opts,
    clause,
    first_token,
    flag,
    make_node,
    meta_span,
    token_span,
    unquote,
)
from cloneshell.grammar.errors import SqlSyntaxError


class SessionRules(BuilderBase):
    """The rules of session statements and projects."""

    def start(self, meta: Meta, children: list[Any]) -> list[ast.Statement]:
        return children

    def set_stmt(self, meta: Meta, children: list[Any]) -> ast.SetStmt:
        key, *value = children
        return ast.SetStmt(
            span=meta_span(meta), key=str(key), value=str(value[0]).strip() if value else ""
        )

    show_flags = make_node(ast.ShowFlags)

    def set_variables(self, meta: Meta, children: list[Any]) -> ast.SetVariables:
        names = tuple(c for c in children if isinstance(c, ast.Ident))
        (values,) = (c for c in children if not isinstance(c, ast.Ident))
        return ast.SetVariables(span=meta_span(meta), names=names, values=tuple(values))

    def unset_variables(self, meta: Meta, children: list[Any]) -> ast.UnsetVariables:
        return ast.UnsetVariables(span=meta_span(meta), names=tuple(children))

    show_variables = make_node(ast.ShowVariables)

    def begin_transaction(self, meta: Meta, children: list[Any]) -> ast.BeginTransaction:
        names = [c for c in children if isinstance(c, ast.Ident)]
        return ast.BeginTransaction(span=meta_span(meta), name=names[0] if names else None)

    def transaction_name(self, meta: Meta, children: list[Any]) -> ast.Ident:
        word, name = children
        if str(word).upper() != "NAME":
            raise SqlSyntaxError(f"unexpected '{word}'", token_span(word), str(word))
        assert isinstance(name, ast.Ident)
        return name

    commit_transaction = make_node(ast.CommitTransaction)

    show_parameters = make_node(ast.ShowParameters)
    show_transactions = make_node(ast.ShowTransactions)
    transactions_in = flag("in_account")

    def parameters_in(self, meta: Meta, children: list[Any]) -> Opts:
        names = [c for c in children if isinstance(c, ast.QualifiedName)]
        words = [c for c in children if isinstance(c, Token)]
        return Opts(meta_span(meta), scope=str(words[1]).upper(), name=names[0] if names else None)

    rollback_transaction = make_node(ast.RollbackTransaction)

    def session_variable(self, meta: Meta, children: list[Any]) -> ast.SessionVariable:
        return ast.SessionVariable(span=meta_span(meta), name=str(children[0])[1:])

    whoami = make_node(ast.Whoami)

    def _use_object(self, meta: Meta, kind: Token, name: ast.QualifiedName) -> ast.UseObject:
        """`USE <kind> name` (each dialect's `use_stmt` reads `USE name` its own way)."""
        return self._make(ast.UseObject, meta, [self._kind(kind), name], name=ast.QualifiedName)

    use_kind = first_token

    def alter_session_set(self, meta: Meta, children: list[Any]) -> ast.AlterSession:
        return ast.AlterSession(span=meta_span(meta), settings=tuple(children))

    def alter_session_unset(self, meta: Meta, children: list[Any]) -> ast.AlterSession:
        return ast.AlterSession(span=meta_span(meta), unset=tuple(str(t).upper() for t in children))

    def alter_account_set(self, meta: Meta, children: list[Any]) -> ast.AlterAccount:
        return ast.AlterAccount(span=meta_span(meta), settings=tuple(children))

    def alter_account_unset(self, meta: Meta, children: list[Any]) -> ast.AlterAccount:
        return ast.AlterAccount(span=meta_span(meta), unset=tuple(str(t).upper() for t in children))

    def session_setting(self, meta: Meta, children: list[Any]) -> tuple[str, str]:
        key, value = children
        return (str(key).upper(), value)

    def property_value(self, meta: Meta, children: list[Any]) -> str:
        """A property's value as text: a string without its quotes, else the words as written."""
        if children[0].type == "SQ_STRING":
            return unquote(children[0])
        return "".join(str(t) for t in children)

    create_project = make_node(ast.CreateProject, name=ast.Ident)
    owner_opt = clause("owner")
    region_opt = clause("region")
    drop_project = make_node(ast.DropProject, name=ast.Ident)
    show_projects = make_node(ast.ShowProjects)
