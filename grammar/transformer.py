"""Turn Lark parse trees into the typed AST of ast.py (the only module that reads lark.Tree).

Clause rules (WHERE, LIFECYCLE, COMMENT, IF NOT EXISTS, ...) become `_Opts`, a dict of keyword
arguments that the enclosing rule passes to its dataclass, so clause order and optional clauses
need no code here. Other children are matched to the node's fields by type, in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from lark import Token, Tree
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.errors import Span, SqlSyntaxError

MAX_DEPTH = 300
"""Deepest parse tree accepted. Deeper statements (hundreds of nested subqueries, or a chain of
hundreds of ORs) would make every recursive walk over the AST risk Python's recursion limit."""

N = TypeVar("N", bound=ast.Node)
_Callback = Callable[[Any, Meta, list[Any]], Any]

# Backslash escapes of MaxCompute string literals. `\%` and `\_` keep their backslash so that
# LIKE patterns can still tell an escaped wildcard from a plain one; other unknown escapes drop it.
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "0": "\0",
    "Z": "\x1a",
    "%": "\\%",
    "_": "\\_",
}
_ESCAPE_RE = {q: re.compile(r"\\([\s\S])|" + q + q) for q in "'\""}
_SUFFIX_KIND: dict[str, ast.LiteralKind] = {
    "y": "integer",
    "s": "integer",
    "l": "integer",
    "bd": "decimal",
    "d": "float",
    "f": "float",
}


class _Opts(dict[str, Any]):
    """Keyword arguments contributed by one clause, with the clause's span for error messages."""

    def __init__(self, span: Span, **values: Any) -> None:
        super().__init__(values)
        self.span = span


def build_statements(tree: Tree[Token], text: str, dialect: str) -> list[ast.Statement]:
    """Transform the parse tree of `text` into statements.

    Raises SqlSyntaxError for statements too deeply nested and for tokens the grammar admits but
    the AST cannot hold (a non-integer LIFECYCLE, an odd-length X'..' literal, ...).
    """
    result: list[ast.Statement] = _AstBuilder(text, dialect).build(tree)
    return result


def _meta_span(meta: Meta) -> Span:
    return Span(
        meta.start_pos, meta.end_pos, meta.line, meta.column, meta.end_line, meta.end_column
    )


def token_span(token: Token) -> Span:
    """The span of one lexed token."""
    # Lark fills every position of a lexed token; the defaults only satisfy the type checker.
    return Span(
        token.start_pos or 0,
        token.end_pos or 0,
        token.line or 1,
        token.column or 1,
        token.end_line or 1,
        token.end_column or 1,
    )


def _cover(first: Span, last: Span) -> Span:
    return Span(first.start, last.end, first.line, first.column, last.end_line, last.end_column)


def _unquote(quoted: str) -> str:
    """Quoted text without its quotes: doubled quotes become one; in '…' and "…" strings
    backslash escapes are resolved too."""
    quote, body = quoted[0], quoted[1:-1]
    if quote == "`":
        return body.replace("``", "`")

    def escape(m: re.Match[str]) -> str:
        char = m.group(1)
        if char is None:  # a doubled quote
            return quote
        return _ESCAPES.get(char, char)

    return _ESCAPE_RE[quote].sub(escape, body)


def _node(cls: type[ast.Node], **slots: type | tuple[type, ...]) -> _Callback:
    """A callback building `cls` from its children (see _AstBuilder._make)."""

    def build(self: _AstBuilder, meta: Meta, children: list[Any]) -> ast.Node:
        return self._make(cls, meta, children, **slots)

    return build


def _flag(key: str) -> _Callback:
    """A callback for a keyword clause that only sets `key=True` (IF EXISTS, EXTERNAL ...)."""

    def build(self: _AstBuilder, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), **{key: True})

    return build


def _clause(key: str) -> _Callback:
    """A callback for a clause whose only child is the value of `key` (COMMENT 'c', WHERE e ...)."""

    def build(self: _AstBuilder, meta: Meta, children: list[Any]) -> _Opts:
        (value,) = children
        return _Opts(_meta_span(meta), **{key: value})

    return build


def _literal(kind: ast.LiteralKind, value: object = None, *, unquote: bool = False) -> _Callback:
    """A callback for a constant literal (TRUE, NULL) or a typed string literal (DATE '...')."""

    def build(self: _AstBuilder, meta: Meta, children: list[Any]) -> ast.Literal:
        v = _unquote(children[0]) if unquote else value
        return ast.Literal(span=_meta_span(meta), value=v, kind=kind, text=self._text(meta))

    return build


def _op(self: _AstBuilder, meta: Meta, children: list[Any]) -> str:
    return " ".join(str(t).upper() for t in children)


class _AstBuilder:
    """Builds AST nodes from a parse tree of dialect.lark, bottom-up: one method per rule name,
    called with the rule's Meta (positions) and its already-built children.

    `text` is the parsed source (for Literal.text and quote detection); `dialect` selects how a
    double-quoted word in an expression is read: a string in MaxCompute, an identifier elsewhere.
    """

    def __init__(self, text: str, dialect: str) -> None:
        self._source = text
        self._dq_is_string = dialect == "maxcompute"

    def build(self, tree: Tree[Token]) -> Any:
        """The value of the tree's root rule (a list of statements for `start`)."""
        # Iterative, unlike lark.Transformer, so that depth is checked before any recursion
        # could happen and a deep tree costs no Python stack.
        postorder: list[Tree[Token] | Token] = []
        pending: list[tuple[Tree[Token] | Token, int]] = [(tree, 1)]
        while pending:
            node, depth = pending.pop()
            postorder.append(node)
            if isinstance(node, Tree):
                if depth > MAX_DEPTH:
                    span = _meta_span(node.meta)
                    words = self._source[span.start : span.end].split(maxsplit=1)
                    token = words[0] if words else None
                    raise SqlSyntaxError("statement too deeply nested", span, token)
                pending.extend((child, depth + 1) for child in node.children)
        values: list[Any] = []
        for node in reversed(postorder):
            if isinstance(node, Tree):
                size = len(node.children)
                children = values[len(values) - size :]
                del values[len(values) - size :]
                values.append(getattr(self, node.data)(node.meta, children))
            else:
                values.append(node)
        return values[0]

    # ------------------------------------------------------------------------- helpers

    def _text(self, meta: Meta) -> str:
        return self._source[meta.start_pos : meta.end_pos]

    def _make(
        self, cls: type[N], meta: Meta, children: list[Any], **slots: type | tuple[type, ...]
    ) -> N:
        """Build `cls`: `_Opts` children give keyword arguments; every other child fills the
        first still-empty slot (field name -> accepted types) whose type it has."""
        kwargs: dict[str, Any] = {}
        free = list(slots.items())
        for child in children:
            if isinstance(child, _Opts):
                for key in child:
                    if key in kwargs:
                        word = self._source[child.span.start : child.span.end].split()[0]
                        raise SqlSyntaxError(f"duplicate {word.upper()} clause", child.span, word)
                kwargs.update(child)
                continue
            for i, (name, types) in enumerate(free):
                if isinstance(child, types):
                    kwargs[name] = child
                    del free[i]
                    break
            else:  # pragma: no cover - a grammar/transformer mismatch, caught by the tests
                raise TypeError(f"{cls.__name__}: unexpected child {child!r}")
        return cls(span=_meta_span(meta), **kwargs)

    def _integer(self, token: Token) -> int:
        if not token.isdigit():
            raise SqlSyntaxError(f"invalid token '{token}'", token_span(token), str(token))
        return int(token)

    def _number(self, token: Token, meta: Meta, sign: str = "") -> ast.Literal:
        text = str(token)
        low = text.lower()
        suffix = "bd" if low.endswith("bd") else low[-1] if low[-1] in "ysldf" else ""
        body = text[: len(text) - len(suffix)]
        exact = body.replace(".", "").isdigit()
        kind: ast.LiteralKind
        if suffix:
            kind = _SUFFIX_KIND[suffix]
            if kind == "integer" and not body.isdigit():
                raise SqlSyntaxError(f"invalid token '{text}'", token_span(token), text)
        else:
            kind = "integer" if body.isdigit() else "decimal" if exact else "float"
        value: object
        if kind == "integer":
            value = int(sign + body)
        elif kind == "decimal":
            value = sign + body
        else:
            value = float(sign + body)
        return ast.Literal(span=_meta_span(meta), value=value, kind=kind, text=self._text(meta))

    # ------------------------------------------------------------------------- statements

    def start(self, meta: Meta, children: list[Any]) -> list[ast.Statement]:
        return children

    query_stmt = _node(ast.QueryStmt, query=ast.Query)

    def set_stmt(self, meta: Meta, children: list[Any]) -> ast.SetStmt:
        key, *value = children
        return ast.SetStmt(
            span=_meta_span(meta), key=str(key), value=str(value[0]).strip() if value else ""
        )

    show_flags = _node(ast.ShowFlags)
    use_stmt = _node(ast.Use, name=ast.Ident)
    whoami = _node(ast.Whoami)
    create_project = _node(ast.CreateProject, name=ast.Ident)
    owner_opt = _clause("owner")
    region_opt = _clause("region")
    comment_opt = _clause("comment")
    drop_project = _node(ast.DropProject, name=ast.Ident)
    show_projects = _node(ast.ShowProjects)
    if_not_exists = _flag("if_not_exists")
    if_exists = _flag("if_exists")

    create_table = _node(ast.CreateTable, name=ast.QualifiedName)
    or_replace = _flag("or_replace")
    external = _flag("external")

    def table_elements(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), columns=tuple(children))

    column_def = _node(ast.ColumnDef, name=ast.Ident, type=ast.TypeName)
    not_null = _flag("not_null")
    default_opt = _clause("default")

    def partitioned_by(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), partitioned_by=tuple(children))

    def hash_cluster(self, meta: Meta, children: list[Any]) -> _Opts:
        return self._cluster("hash", meta, children)

    def range_cluster(self, meta: Meta, children: list[Any]) -> _Opts:
        return self._cluster("range", meta, children)

    def _cluster(self, kind: str, meta: Meta, children: list[Any]) -> _Opts:
        columns, *rest = children
        buckets = [self._integer(c) for c in rest if isinstance(c, Token)]
        sorted_by = [c for c in rest if isinstance(c, tuple)]
        spec = ast.ClusterSpec(
            span=_meta_span(meta),
            kind="hash" if kind == "hash" else "range",
            columns=columns,
            sorted_by=sorted_by[0] if sorted_by else (),
            buckets=buckets[0] if buckets else None,
        )
        return _Opts(_meta_span(meta), clustered=spec)

    def sorted_by(self, meta: Meta, children: list[Any]) -> tuple[ast.OrderItem, ...]:
        return tuple(children)

    def sort_column(self, meta: Meta, children: list[Any]) -> ast.OrderItem:
        name, *rest = children
        column = ast.ColumnRef(span=name.span, parts=(name,))
        return self._make(ast.OrderItem, meta, [column, *rest], expr=ast.Expr)

    stored_by = _clause("stored_by")
    location = _clause("location")

    def tblproperties(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), tblproperties=tuple(children))

    def property(self, meta: Meta, children: list[Any]) -> tuple[str, str]:
        key, value = children
        return (key, value)

    def lifecycle(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), lifecycle=self._integer(children[0]))

    like_clause = _clause("like")
    as_clause = _clause("as_query")

    drop_table = _node(ast.DropTable, name=ast.QualifiedName)
    alter_add_partitions = _node(ast.AlterTableAddPartitions, table=ast.QualifiedName)
    alter_drop_partitions = _node(ast.AlterTableDropPartitions, table=ast.QualifiedName)
    truncate_table = _node(ast.TruncateTable, table=ast.QualifiedName)

    def added_partitions(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), partitions=tuple(children))

    partition_list = added_partitions

    def partition_spec(self, meta: Meta, children: list[Any]) -> ast.PartitionSpec:
        return ast.PartitionSpec(span=_meta_span(meta), items=tuple(children))

    partition_item = _node(ast.PartitionItem, name=ast.Ident, value=ast.Literal)

    def partition_value(self, meta: Meta, children: list[Any]) -> ast.Literal:
        (token,) = children
        if token.type == "NUMBER":
            value = self._integer(token)
            return ast.Literal(span=_meta_span(meta), value=value, kind="integer", text=str(token))
        return ast.Literal(
            span=_meta_span(meta), value=_unquote(token), kind="string", text=self._text(meta)
        )

    def negative_partition_value(self, meta: Meta, children: list[Any]) -> ast.Literal:
        value = -self._integer(children[0])
        return ast.Literal(
            span=_meta_span(meta), value=value, kind="integer", text=self._text(meta)
        )

    insert_stmt = _node(ast.Insert, table=ast.QualifiedName, source=(ast.Query, ast.Values))
    overwrite = _flag("overwrite")
    insert_partition = _clause("partition")

    def column_list(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), columns=tuple(children))

    def values(self, meta: Meta, children: list[Any]) -> ast.Values:
        return ast.Values(span=_meta_span(meta), rows=tuple(children))

    def row(self, meta: Meta, children: list[Any]) -> tuple[ast.Expr, ...]:
        result: tuple[ast.Expr, ...] = children[0]
        return result

    describe = _node(ast.Describe, name=ast.QualifiedName, partition=ast.PartitionSpec)
    extended = _flag("extended")
    show_tables = _node(ast.ShowTables)
    tables_in = _clause("in_")
    tables_like = _clause("like")
    show_partitions = _node(
        ast.ShowPartitions, table=ast.QualifiedName, partition=ast.PartitionSpec
    )
    clone_table = _node(ast.CloneTable, source=ast.QualifiedName, target=ast.QualifiedName)

    def clone_if_exists(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), if_exists=str(children[-1]).upper())

    # ------------------------------------------------------------------------- users and grants

    add_user = _node(ast.AddUser, principal=ast.Principal)
    remove_user = _node(ast.RemoveUser, principal=ast.Principal)
    create_role = _node(ast.CreateRole, name=ast.Ident)
    drop_role = _node(ast.DropRole, name=ast.Ident)
    grant_roles = _node(ast.GrantRoles, roles=tuple, grantee=ast.Principal)
    revoke_roles = _node(ast.RevokeRoles, roles=tuple, grantee=ast.Principal)

    def grant_privileges(self, meta: Meta, children: list[Any]) -> ast.GrantPrivileges:
        return self._privileges(ast.GrantPrivileges, meta, children)

    def revoke_privileges(self, meta: Meta, children: list[Any]) -> ast.RevokePrivileges:
        return self._privileges(ast.RevokePrivileges, meta, children)

    def _privileges(self, cls: type[N], meta: Meta, children: list[Any]) -> N:
        words, *rest = children
        actions = _Opts(_meta_span(meta), actions=tuple(w.name for w in words))
        return self._make(cls, meta, [actions, *rest])

    def name_list(self, meta: Meta, children: list[Any]) -> tuple[ast.Ident, ...]:
        return tuple(children)

    def project_object(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), object_type="PROJECT", object_name=children[0])

    def table_object(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), object_type="TABLE", object_name=children[0])

    def typed_object(self, meta: Meta, children: list[Any]) -> _Opts:
        kind, name = children
        return _Opts(_meta_span(meta), object_type=str(kind).upper(), object_name=name)

    def user_grantee(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), grantee_kind="USER", grantee=children[0])

    def role_grantee(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), grantee_kind="ROLE", grantee=children[0])

    def show_grants(self, meta: Meta, children: list[Any]) -> ast.ShowGrants:
        if not children:
            return ast.ShowGrants(span=_meta_span(meta))
        target = children[0]
        return ast.ShowGrants(
            span=_meta_span(meta), for_kind=target["grantee_kind"], for_name=target["grantee"]
        )

    list_users = _node(ast.ListUsers)
    list_roles = _node(ast.ListRoles)

    def principal(self, meta: Meta, children: list[Any]) -> ast.Principal:
        (token,) = children
        quoted = token.type in ("BQ_IDENT", "DQ_STRING")
        name = _unquote(token) if token.type == "BQ_IDENT" else token[1:-1] if quoted else token
        return ast.Principal(span=_meta_span(meta), name=str(name), quoted=quoted)

    # ------------------------------------------------------------------------- queries

    def query(self, meta: Meta, children: list[Any]) -> ast.Query:
        if len(children) == 1 and isinstance(children[0], ast.Query):
            return children[0]  # `(query)` alone: no need for a second Query around it
        return self._make(ast.Query, meta, children, body=(ast.Select, ast.SetOp, ast.Query))

    def paren_query(self, meta: Meta, children: list[Any]) -> ast.Query | ast.Select | ast.SetOp:
        query: ast.Query = children[0]
        if query.with_ or query.order_by or query.limit or query.offset:
            return query
        return query.body  # the parentheses only grouped a set operation

    def set_operation(self, meta: Meta, children: list[Any]) -> ast.SetOp:
        left, (op, all_), right = children
        return ast.SetOp(span=_meta_span(meta), op=op, all=all_, left=left, right=right)

    def union_op(self, meta: Meta, children: list[Any]) -> tuple[str, bool]:
        words = [str(t).upper() for t in children]
        op = "EXCEPT" if words[0] == "MINUS" else words[0]
        return op, words[-1] == "ALL"

    intersect_op = union_op

    def with_clause(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), with_=tuple(children))

    cte = _node(ast.Cte, name=ast.Ident, query=ast.Query)
    select = _node(ast.Select)

    def distinct(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), distinct=str(children[0]).upper() == "DISTINCT")

    def select_list(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), items=tuple(children))

    select_expr = _node(ast.SelectItem, expr=ast.Expr)

    def select_star(self, meta: Meta, children: list[Any]) -> ast.SelectItem:
        qualifier = self._qualified(children[0]) if children else None
        star = ast.Star(span=_meta_span(meta), qualifier=qualifier)
        return ast.SelectItem(span=_meta_span(meta), expr=star)

    from_clause = _clause("from_")

    def comma_join(self, meta: Meta, children: list[Any]) -> ast.Join:
        left, right = children
        return ast.Join(span=_meta_span(meta), left=left, right=right, kind="CROSS")

    join = _node(ast.Join, left=ast.FromItem, right=ast.FromItem)

    def join_op(self, meta: Meta, children: list[Any]) -> _Opts:
        words = [str(t).upper() for t in children if str(t).upper() not in ("OUTER", "JOIN")]
        return _Opts(_meta_span(meta), kind=" ".join(words) or "INNER")

    join_on = _clause("on")

    def join_using(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), using=children[0])

    table_ref = _node(ast.TableRef, name=ast.QualifiedName)
    subquery_ref = _node(ast.SubqueryRef, query=ast.Query)
    table_function = _node(ast.TableFunctionRef, func=ast.FuncCall)

    def time_travel(self, meta: Meta, children: list[Any]) -> _Opts:
        kind, _, by, _, expr, _ = children
        # The grammar admits only AT/BEFORE and TIMESTAMP/OFFSET/STATEMENT here.
        words: dict[str, Any] = {"kind": str(kind).upper(), "by": str(by).upper()}
        travel = ast.TimeTravel(span=_meta_span(meta), expr=expr, **words)
        return _Opts(_meta_span(meta), time_travel=travel)

    alias = _clause("alias")
    where_clause = _clause("where")
    group_by = _clause("group_by")
    having = _clause("having")
    qualify = _clause("qualify")

    def order_by(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), order_by=tuple(children))

    order_item = _node(ast.OrderItem, expr=ast.Expr)

    def sort_dir(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), desc=str(children[0]).upper() == "DESC")

    def nulls_order(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), nulls=str(children[1]).upper())

    def limit_offset(self, meta: Meta, children: list[Any]) -> _Opts:
        limit, *offset = children
        return _Opts(_meta_span(meta), limit=limit, offset=offset[0] if offset else None)

    def limit_comma(self, meta: Meta, children: list[Any]) -> _Opts:
        offset, limit = children
        return _Opts(_meta_span(meta), limit=limit, offset=offset)

    # ------------------------------------------------------------------------- expressions

    def or_op(self, meta: Meta, children: list[Any]) -> ast.BinaryOp:
        return ast.BinaryOp(span=_meta_span(meta), op="OR", left=children[0], right=children[1])

    def and_op(self, meta: Meta, children: list[Any]) -> ast.BinaryOp:
        return ast.BinaryOp(span=_meta_span(meta), op="AND", left=children[0], right=children[1])

    def not_op(self, meta: Meta, children: list[Any]) -> ast.Expr:
        (operand,) = children
        if isinstance(operand, ast.Exists) and not operand.negated:
            return ast.Exists(span=_meta_span(meta), query=operand.query, negated=True)
        return ast.UnaryOp(span=_meta_span(meta), op="NOT", operand=operand)

    def binop(self, meta: Meta, children: list[Any]) -> ast.BinaryOp:
        left, op, right = children
        return ast.BinaryOp(span=_meta_span(meta), op=op, left=left, right=right)

    comp_op = bit_op = add_op = mul_op = unary_op = _op

    def like_op(self, meta: Meta, children: list[Any]) -> str:
        op = str(children[0]).upper()
        return "RLIKE" if op == "REGEXP" else op

    in_list = _node(ast.InList, expr=ast.Expr, items=tuple)
    in_subquery = _node(ast.InSubquery, expr=ast.Expr, query=ast.Query)
    between = _node(ast.Between, expr=ast.Expr, low=ast.Expr, high=ast.Expr)
    like = _node(ast.Like, expr=ast.Expr, op=str, pattern=ast.Expr)
    is_null = _node(ast.IsNull, expr=ast.Expr)
    negated = _flag("negated")
    unary_operation = _node(ast.UnaryOp, op=str, operand=ast.Expr)
    cast = _node(ast.Cast, expr=ast.Expr, type=ast.TypeName)
    scalar_subquery = _node(ast.ScalarSubquery, query=ast.Query)
    exists = _node(ast.Exists, query=ast.Query)

    def case(self, meta: Meta, children: list[Any]) -> ast.Case:
        operand = children[0] if isinstance(children[0], ast.Expr) else None
        whens = tuple(c for c in children if isinstance(c, tuple))
        else_ = [c["else_"] for c in children if isinstance(c, _Opts)]
        return ast.Case(
            span=_meta_span(meta), operand=operand, whens=whens, else_=else_[0] if else_ else None
        )

    def when_clause(self, meta: Meta, children: list[Any]) -> tuple[ast.Expr, ast.Expr]:
        return (children[0], children[1])

    else_clause = _clause("else_")

    def interval(self, meta: Meta, children: list[Any]) -> ast.IntervalLit:
        value, unit = children
        return ast.IntervalLit(span=_meta_span(meta), value=value, unit=str(unit).upper())

    def string_literal(self, meta: Meta, children: list[Any]) -> ast.Literal:
        value = _unquote(children[0])
        return ast.Literal(span=_meta_span(meta), value=value, kind="string", text=self._text(meta))

    def number_literal(self, meta: Meta, children: list[Any]) -> ast.Literal:
        return self._number(children[0], meta)

    def negative_number_literal(self, meta: Meta, children: list[Any]) -> ast.Literal:
        return self._number(children[0], meta, "-")

    def binary_literal(self, meta: Meta, children: list[Any]) -> ast.Literal:
        (token,) = children
        try:
            value = bytes.fromhex(token[2:-1])
        except ValueError:  # an odd number of hex digits
            raise SqlSyntaxError(
                f"invalid token '{token}'", token_span(token), str(token)
            ) from None
        return ast.Literal(span=_meta_span(meta), value=value, kind="binary", text=str(token))

    true_literal = _literal("boolean", True)
    false_literal = _literal("boolean", False)
    null_literal = _literal("null", None)
    date_literal = _literal("date", unquote=True)
    datetime_literal = _literal("datetime", unquote=True)
    timestamp_literal = _literal("timestamp", unquote=True)

    def column_ref(self, meta: Meta, children: list[Any]) -> ast.Expr:
        parts: tuple[ast.Ident, ...] = children[0]
        self._check_parts(parts)
        first = parts[0]
        if self._dq_is_string and len(parts) == 1 and self._source[first.span.start] == '"':
            # MaxCompute reads "..." as a string, so a lone double-quoted "column" is a literal.
            text = self._source[first.span.start : first.span.end]
            value = _unquote(text)
            return ast.Literal(span=first.span, value=value, kind="string", text=text)
        return ast.ColumnRef(span=_meta_span(meta), parts=parts)

    def func_call(self, meta: Meta, children: list[Any]) -> ast.FuncCall:
        path, *rest = children
        name = self._qualified(path)
        return self._make(ast.FuncCall, meta, [name, *rest], name=ast.QualifiedName)

    def star_arg(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), star=True)

    def plain_args(self, meta: Meta, children: list[Any]) -> _Opts:
        *distinct, args = children
        return _Opts(_meta_span(meta), args=args, **(distinct[0] if distinct else {}))

    def over(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), over=self._make(ast.WindowSpec, meta, children))

    window_partition = _clause("partition_by")

    def window_frame(self, meta: Meta, children: list[Any]) -> _Opts:
        unit, start, *end = children
        frame = ast.WindowFrame(
            span=_meta_span(meta), unit=unit, start=start, end=end[0] if end else None
        )
        return _Opts(_meta_span(meta), frame=frame)

    frame_unit = frame_bound = _op

    def expr_list(self, meta: Meta, children: list[Any]) -> tuple[ast.Expr, ...]:
        return tuple(children)

    # ------------------------------------------------------------------------- types

    def simple_type(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        name, *params = children
        return ast.TypeName(
            span=_meta_span(meta), name=str(name).lower(), params=params[0] if params else ()
        )

    def type_params(self, meta: Meta, children: list[Any]) -> tuple[int, ...]:
        return tuple(self._integer(t) for t in children)

    def bare_array(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        return ast.TypeName(span=_meta_span(meta), name="array")

    def array_type(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        return ast.TypeName(span=_meta_span(meta), name="array", args=tuple(children))

    def map_type(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        return ast.TypeName(span=_meta_span(meta), name="map", args=tuple(children))

    def struct_type(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        return ast.TypeName(span=_meta_span(meta), name="struct", fields=tuple(children))

    def struct_field(self, meta: Meta, children: list[Any]) -> tuple[str, ast.TypeName]:
        name, type_ = children
        return (name.name, type_)

    # ------------------------------------------------------------------------- names

    def _check_parts(self, parts: tuple[ast.Ident, ...]) -> None:
        if len(parts) > 3:  # project.schema.table.column is the longest name there is
            extra = parts[3]
            raise SqlSyntaxError(f"invalid token '{extra.name}'", extra.span, extra.name)

    def _qualified(self, parts: tuple[ast.Ident, ...]) -> ast.QualifiedName:
        self._check_parts(parts)
        return ast.QualifiedName(span=_cover(parts[0].span, parts[-1].span), parts=parts)

    def qname(self, meta: Meta, children: list[Any]) -> ast.QualifiedName:
        return ast.QualifiedName(span=_meta_span(meta), parts=tuple(children))

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
            name = _unquote(token)
        elif token.type == "DQ_STRING":  # a quoted identifier keeps backslashes: only "" escapes
            name = token[1:-1].replace('""', '"')
        else:
            name = str(token)
        quoted = token.type in ("BQ_IDENT", "DQ_STRING")
        return ast.Ident(span=_meta_span(meta), name=name, quoted=quoted)

    alias_name = privilege_word = ident

    def string(self, meta: Meta, children: list[Any]) -> str:
        return _unquote(children[0])
