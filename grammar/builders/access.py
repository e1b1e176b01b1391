"""Users, roles and privileges: the statements both dialects read alike, and the clauses
their GRANT and REVOKE forms are made of."""

from __future__ import annotations

from typing import Any

from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import (
    BuilderBase,
    Opts,
    Words,
    clause,
    flag,
    make_node,
    meta_span,
)


class AccessRules(BuilderBase):
    """The rules of users, roles and grants."""

    add_user = make_node(ast.AddUser, principal=ast.Principal)
    remove_user = make_node(ast.RemoveUser, principal=ast.Principal)

    create_role = make_node(ast.CreateRole, name=ast.Ident)

    def create_user(self, meta: Meta, children: list[Any]) -> ast.CreateUser:
        properties = [c for c in children if isinstance(c, tuple)]
        rest = [c for c in children if not isinstance(c, tuple)]
        if properties:
            rest.append(Opts(meta_span(meta), "user_property", properties=tuple(properties)))
        return self._make(ast.CreateUser, meta, rest, name=ast.Principal)

    default_role = clause("default_role")

    def user_property(self, meta: Meta, children: list[Any]) -> tuple[str, str]:
        key, value = children
        return (str(key).upper(), value)

    def grant_role(self, meta: Meta, children: list[Any]) -> ast.GrantRoleTo:
        return self._make(ast.GrantRoleTo, meta, children, role=ast.Ident)

    def revoke_role(self, meta: Meta, children: list[Any]) -> ast.GrantRoleTo:
        revoke = Opts(meta_span(meta), revoke=True)
        return self._make(ast.GrantRoleTo, meta, [*children, revoke], role=ast.Ident)

    def name_list(self, meta: Meta, children: list[Any]) -> tuple[ast.Ident | Words, ...]:
        return tuple(children)

    def privilege_words(self, meta: Meta, children: list[Any]) -> Words:
        return Words(tuple(children), meta_span(meta))

    with_grant_option = flag("grant_option")
    grant_option_for = flag("grant_option")

    def current_grants(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), current_grants=str(children[0]).upper())

    def project_object(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), object_type="PROJECT", object_name=children[0])

    def table_object(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), object_type="TABLE", object_name=children[0])

    def table_columns_object(self, meta: Meta, children: list[Any]) -> Opts:
        """`TABLE t (c1, c2)`: a column-level ACL."""
        name, columns = children
        return Opts(meta_span(meta), object_type="TABLE", object_name=name, columns=columns)

    def typed_object(self, meta: Meta, children: list[Any]) -> Opts:
        kind, name = children
        return Opts(meta_span(meta), object_type=str(kind).upper(), object_name=name)

    def role_object(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), object_type="ROLE", object_name=children[0])

    def account_object(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), object_type="ACCOUNT", object_name=None)

    def bulk_object(self, meta: Meta, children: list[Any]) -> Opts:
        *words, name = children
        object_type = " ".join(str(w).upper() for w in words)
        return Opts(meta_span(meta), object_type=object_type, object_name=name)

    def user_grantee(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), grantee_kind="USER", grantee=children[0])

    def role_grantee(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), grantee_kind="ROLE", grantee=children[0])

    show_grants = make_node(ast.ShowGrants)

    def grants_for_user(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), for_kind="USER", for_name=children[0])

    def grants_for_role(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), for_kind="ROLE", for_name=children[0])

    def grants_on(self, meta: Meta, children: list[Any]) -> Opts:
        (target,) = children
        return Opts(meta_span(meta), on_type=target["object_type"], on_name=target["object_name"])

    def grants_to(self, meta: Meta, children: list[Any]) -> Opts:
        (grantee,) = children
        return Opts(meta_span(meta), to_kind=grantee["grantee_kind"], name=grantee["grantee"])

    def grants_of(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), of_role=children[0])

    list_users = make_node(ast.ListUsers)
    list_roles = make_node(ast.ListRoles)
