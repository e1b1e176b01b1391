"""Snowflake's forms of the statements whose node depends on the dialect: `USE db[.schema]`,
`DROP <kind>`, `DESC <kind> name`, `SHOW <kind> ...`, and privileges granted to a role
(`GRANT|REVOKE priv, ... ON ... TO|FROM ROLE r`, `GRANT OWNERSHIP`), one role at a time
(reference/snowflake.md). Which clauses each accepts is grammar/dialects.py's."""

from __future__ import annotations

from typing import Any, NoReturn
from typing import Literal as Lit

from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import Opts, Words, cover, meta_span
from cloneshell.grammar.builders.ddl import DdlRules
from cloneshell.grammar.builders.session import SessionRules
from cloneshell.grammar.errors import SqlSyntaxError


class SnowflakeForms(SessionRules, DdlRules):
    """The rules Snowflake reads its own way."""

    def _hive_grouping_refused(self, meta: Meta, words: str) -> NoReturn:
        """Hive's GROUP BY forms (`a, b GROUPING SETS (…)`, `WITH ROLLUP|CUBE`): not Snowflake's,
        which writes `GROUP BY GROUPING SETS (…)`, `ROLLUP (…)`, `CUBE (…)`."""
        raise SqlSyntaxError(
            f"syntax error: unexpected '{words}' (Snowflake writes GROUP BY GROUPING SETS (…), "
            "ROLLUP (…) or CUBE (…))",
            meta_span(meta),
            words,
        )

    def group_by_hive_sets(self, meta: Meta, children: list[Any]) -> NoReturn:
        self._hive_grouping_refused(meta, "GROUPING")

    def group_by_with_rollup(self, meta: Meta, children: list[Any]) -> NoReturn:
        self._hive_grouping_refused(meta, "WITH")

    def group_by_with_cube(self, meta: Meta, children: list[Any]) -> NoReturn:
        self._hive_grouping_refused(meta, "WITH")

    def use_stmt(self, meta: Meta, children: list[Any]) -> ast.UseObject:
        """`USE <kind> name`; `USE db` is USE DATABASE, `USE db.schema` is USE SCHEMA."""
        *kind, name = children
        if kind:
            return self._use_object(meta, kind[0], name)
        if len(name.parts) > 2:
            extra = name.parts[2]
            raise SqlSyntaxError(f"invalid token '{extra.name}'", extra.span, extra.name)
        kind_name: Lit["DATABASE", "SCHEMA"] = "DATABASE" if len(name.parts) == 1 else "SCHEMA"
        return ast.UseObject(span=meta_span(meta), kind=kind_name, name=name)

    def column_ref(self, meta: Meta, children: list[Any]) -> ast.Expr:
        """`seq.NEXTVAL` is a sequence's next value; any other name a column (expressions.py)."""
        parts: tuple[ast.Ident, ...] = children[0]
        last = parts[-1]
        if len(parts) > 1 and not last.quoted and last.name.upper() == "NEXTVAL":
            name = ast.QualifiedName(span=cover(parts[0].span, parts[-2].span), parts=parts[:-1])
            return ast.NextVal(span=meta_span(meta), sequence=name)
        ref: ast.Expr = super().column_ref(meta, children)  # type: ignore[misc]
        return ref

    def drop_object(self, meta: Meta, children: list[Any]) -> ast.DropObject:
        kind, *rest = children
        return self._drop_object(meta, kind, rest)

    def describe(self, meta: Meta, children: list[Any]) -> ast.DescribeObject:
        kind, rest = self._describe_parts(children)
        return self._describe_object(meta, kind, rest)

    def show_objects(self, meta: Meta, children: list[Any]) -> ast.ShowObjects:
        kind, rest = self._show_parts(children)
        return self._show_objects(meta, kind, rest)

    def grant_roles(self, meta: Meta, children: list[Any]) -> NoReturn:
        self._one_role_at_a_time("GRANT", children)

    def revoke_roles(self, meta: Meta, children: list[Any]) -> NoReturn:
        self._one_role_at_a_time("REVOKE", children)

    def lateral_view(self, meta: Meta, children: list[Any]) -> NoReturn:
        self._maxcompute_only(meta, "LATERAL VIEW")

    def hive_sort(self, meta: Meta, children: list[Any]) -> NoReturn:
        self._maxcompute_only(meta, "DISTRIBUTE BY, SORT BY and CLUSTER BY")

    def select_multi_alias(self, meta: Meta, children: list[Any]) -> NoReturn:
        self._maxcompute_only(meta, "AS (column, ...) after a select item")

    def _maxcompute_only(self, meta: Meta, what: str) -> NoReturn:
        """MaxCompute's (Hive's) query forms, refused with their span."""
        span = meta_span(meta)
        raise SqlSyntaxError(
            f"{what} is MaxCompute's, not Snowflake's", span, self._source[span.start : span.end]
        )

    def _one_role_at_a_time(self, verb: str, children: list[Any]) -> NoReturn:
        """MaxCompute's `GRANT r1, r2 TO who`, refused with Snowflake's form."""
        first = children[0][0].span
        preposition = "TO" if verb == "GRANT" else "FROM"
        message = (
            f"Snowflake grants one role at a time: {verb} ROLE <role> "
            f"{preposition} USER|ROLE <name>"
        )
        raise SqlSyntaxError(message, first, self._source[first.start : first.end])

    def grant_privileges(
        self, meta: Meta, children: list[Any]
    ) -> ast.GrantToRole | ast.GrantOwnership:
        return self._privileges(meta, children, revoke=False)

    def revoke_privileges(
        self, meta: Meta, children: list[Any]
    ) -> ast.GrantToRole | ast.GrantOwnership:
        return self._privileges(meta, children, revoke=True)

    def _privileges(
        self, meta: Meta, children: list[Any], *, revoke: bool
    ) -> ast.GrantToRole | ast.GrantOwnership:
        names: tuple[ast.Ident | Words, ...] = next(c for c in children if isinstance(c, tuple))
        privileges = tuple(
            " ".join(str(t).upper() for t in n.tokens) if isinstance(n, Words) else n.name.upper()
            for n in names
        )
        rest: list[Any] = []
        for c in children:
            if c is names:
                continue
            if isinstance(c, Opts) and "grantee_kind" in c:
                if c["grantee_kind"] != "ROLE":
                    raise SqlSyntaxError("Snowflake grants privileges to a ROLE", c.span, "USER")
                principal: ast.Principal = c["grantee"]
                role = ast.Ident(span=principal.span, name=principal.name, quoted=principal.quoted)
                c = c.replaced(role=role)
            rest.append(c)
        verb = "REVOKE" if revoke else "GRANT"
        if "OWNERSHIP" in privileges and revoke:
            span = cover(names[0].span, names[-1].span)
            message = "OWNERSHIP cannot be revoked; transfer it with GRANT OWNERSHIP"
            raise SqlSyntaxError(message, span, "OWNERSHIP")
        if "OWNERSHIP" in privileges:
            if len(privileges) > 1:
                first = names[0].span
                raise SqlSyntaxError(
                    "OWNERSHIP is granted on its own", cover(first, names[-1].span), "OWNERSHIP"
                )
            # An account has no owner role: ON ACCOUNT is refused after every other clause.
            others = [c for c in rest if not (isinstance(c, Opts) and c.clause == "account_object")]
            self._accept(ast.GrantOwnership, others)
            return self._make(ast.GrantOwnership, meta, rest)
        for c in rest:
            if isinstance(c, Opts) and c.clause == "current_grants":
                title = self._clause_title(c.span)
                message = f"{title} is only valid in GRANT OWNERSHIP"
                raise SqlSyntaxError(message, c.span, title.split()[0])
        revoke_opts = [Opts(meta_span(meta), revoke=True)] if revoke else []
        privilege_opts = Opts(meta_span(meta), privileges=privileges)
        return self._make_as(verb, ast.GrantToRole, meta, [privilege_opts, *rest, *revoke_opts])
