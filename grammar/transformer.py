"""Turn Lark parse trees into the typed AST of ast.py (the only module that reads lark.Tree).

Clause rules (WHERE, LIFECYCLE, COMMENT, IF NOT EXISTS, ...) become `_Opts`, a dict of keyword
arguments that the enclosing rule passes to its dataclass, so clause order and optional clauses
need no code here. Other children are matched to the node's fields by type, in order.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from typing import Literal as Lit

from lark.lexer import Token
from lark.tree import Meta, Tree

from cloneshell.grammar import ast
from cloneshell.grammar.errors import Span, SqlSyntaxError
from cloneshell.grammar.records import record

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


# Datetime functions that SQL (and both vendors) call without parentheses: a bare, unquoted
# `current_timestamp` in an expression is the call, not a column.
_NILADIC = frozenset(
    {"CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP"}
)
_DIALECT_TITLES = {"maxcompute": "MaxCompute", "snowflake": "Snowflake"}
# How a refusal names the statement a clause was found in (default: the node's class name).
_STATEMENT_TITLES: dict[type[ast.Node], str] = {
    ast.CreateTable: "CREATE TABLE",
    ast.CreateSnowflakeTable: "CREATE TABLE",
    ast.CreateDatabase: "CREATE DATABASE",
    ast.CreateSchema: "CREATE SCHEMA",
    ast.CreateRole: "CREATE ROLE",
    ast.CreateSnowflakeRole: "CREATE ROLE",
    ast.CreateUser: "CREATE USER",
    ast.DropTable: "DROP TABLE",
    ast.DropRole: "DROP ROLE",
    ast.DropObject: "DROP",
    ast.ShowTables: "SHOW TABLES",
    ast.ShowObjects: "SHOW",
    ast.ShowGrants: "SHOW GRANTS",
    ast.ShowGrantsSnowflake: "SHOW GRANTS",
    ast.GrantPrivileges: "GRANT",
    ast.RevokePrivileges: "REVOKE",
    ast.GrantOwnership: "GRANT OWNERSHIP",
    ast.Insert: "INSERT",
    ast.TruncateTable: "TRUNCATE",
    ast.CreateStage: "CREATE STAGE",
    ast.CreatePipe: "CREATE PIPE",
    ast.CreateStream: "CREATE STREAM",
    ast.CreateTask: "CREATE TASK",
    ast.CopyInto: "COPY INTO",
    ast.AlterPipe: "ALTER PIPE",
    ast.AlterTask: "ALTER TASK",
}
# A stage location's parts: `@`, then `~` or [`%`] a name of one to three parts, then `/path`.
_STAGE_PART = re.compile(r'[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+"')


class _Opts(dict[str, Any]):
    """Keyword arguments contributed by one clause, with the clause's span for error messages."""

    def __init__(self, span: Span, **values: Any) -> None:
        super().__init__(values)
        self.span = span


@record(frozen=True, slots=True)
class _Words:
    """A privilege of several words (`CREATE TABLE`, `ALL PRIVILEGES`), as written."""

    tokens: tuple[Token, ...]
    span: Span


_FIELDS: dict[type[ast.Node], frozenset[str]] = {}


def _field_names(cls: type[ast.Node]) -> frozenset[str]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return names


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
        self._snowflake = dialect == "snowflake"
        self._dialect_title = _DIALECT_TITLES.get(dialect, dialect)

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
        first still-empty slot (field name -> accepted types) whose type it has.

        A clause whose keys `cls` has no field for belongs to the other dialect (or to another
        kind of object): it is refused with its span.
        """
        return self._make_as(None, cls, meta, children, **slots)

    def _make_as(
        self,
        what: str | None,
        cls: type[N],
        meta: Meta,
        children: list[Any],
        **slots: type | tuple[type, ...],
    ) -> N:
        """_make, naming the statement as `what` when a clause is refused."""
        kwargs: dict[str, Any] = {}
        free = list(slots.items())
        fields = _field_names(cls)
        for child in children:
            if isinstance(child, _Opts):
                if not child.keys() <= fields:
                    raise self._refusal(
                        child.span, what or _STATEMENT_TITLES.get(cls, cls.__name__)
                    )
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

    def _span(self, start: int, end: int) -> Span:
        """The span of `text[start:end]`."""
        text = self._source
        return Span(
            start,
            end,
            text.count("\n", 0, start) + 1,
            start - (text.rfind("\n", 0, start) + 1) + 1,
            text.count("\n", 0, end) + 1,
            end - (text.rfind("\n", 0, end) + 1) + 1,
        )

    def _clause_title(self, span: Span) -> str:
        """The leading keywords of a clause, upper case (`CLUSTER BY`, `LIFECYCLE`, `IN ...`)."""
        # keywords.py derives its tables from the parser, which imports this module.
        from cloneshell.grammar.keywords import KEYWORDS

        words = re.findall(r"[A-Za-z_][A-Za-z0-9_$]*|\S", self._source[span.start : span.end])
        title: list[str] = []
        for word in words:
            if word.upper() not in KEYWORDS:
                break
            title.append(word.upper())
        return " ".join(title) or (words[0] if words else "")

    def _refusal(self, span: Span, statement: str) -> SqlSyntaxError:
        """The error for a clause that parses but does not belong to this dialect's statement."""
        clause = self._clause_title(span)
        text = self._source[span.start : span.end].split(maxsplit=1)
        message = f"{clause} is not valid in {self._dialect_title} {statement}"
        return SqlSyntaxError(message, span, text[0] if text else None)

    def _refuse_keys(self, children: Iterable[Any], keys: Iterable[str], statement: str) -> None:
        """Refuse the first clause among `children` that sets one of `keys`."""
        wanted = set(keys)
        for child in children:
            if isinstance(child, _Opts) and wanted & child.keys():
                raise self._refusal(child.span, statement)

    def _check_replace(self, children: list[Any]) -> None:
        """Snowflake: OR REPLACE and IF NOT EXISTS cannot be combined (create-clone usage notes)."""
        opts = [c for c in children if isinstance(c, _Opts)]
        if any("or_replace" in c for c in opts):
            for c in opts:
                if "if_not_exists" in c:
                    raise SqlSyntaxError(
                        "OR REPLACE and IF NOT EXISTS cannot be used together", c.span, "IF"
                    )

    def _unqualified(self, name: ast.QualifiedName) -> ast.Ident:
        """The one part of a name that takes no qualifier (a role, a MaxCompute project)."""
        if len(name.parts) == 1:
            return name.parts[0]
        dot = self._source.find(".", name.parts[0].span.end)
        raise SqlSyntaxError("invalid token '.'", self._span(dot, dot + 1), ".")

    def _kind(self, token: Token) -> _Opts:
        return _Opts(token_span(token), kind=str(token).upper())

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
    whoami = _node(ast.Whoami)

    def use_stmt(self, meta: Meta, children: list[Any]) -> ast.Use | ast.UseObject:
        *kind, name = children
        if kind:
            return self._make(
                ast.UseObject, meta, [self._kind(kind[0]), name], name=ast.QualifiedName
            )
        if not self._snowflake:
            return ast.Use(span=_meta_span(meta), name=self._unqualified(name))
        # Snowflake: `USE db` is USE DATABASE, `USE db.schema` is USE SCHEMA.
        if len(name.parts) > 2:
            extra = name.parts[2]
            raise SqlSyntaxError(f"invalid token '{extra.name}'", extra.span, extra.name)
        kind_name: Lit["DATABASE", "SCHEMA"] = "DATABASE" if len(name.parts) == 1 else "SCHEMA"
        return ast.UseObject(span=_meta_span(meta), kind=kind_name, name=name)

    def _token(self, meta: Meta, children: list[Any]) -> Token:
        token: Token = children[0]
        return token

    use_kind = drop_kind = object_kind = show_kind = unset_item = _token

    def alter_session_set(self, meta: Meta, children: list[Any]) -> ast.AlterSession:
        return ast.AlterSession(span=_meta_span(meta), settings=tuple(children))

    def alter_session_unset(self, meta: Meta, children: list[Any]) -> ast.AlterSession:
        return ast.AlterSession(
            span=_meta_span(meta), unset=tuple(str(t).upper() for t in children)
        )

    def session_setting(self, meta: Meta, children: list[Any]) -> tuple[str, str]:
        key, value = children
        return (str(key).upper(), value)

    def property_value(self, meta: Meta, children: list[Any]) -> str:
        """A property's value as text: a string without its quotes, else the words as written."""
        if children[0].type == "SQ_STRING":
            return _unquote(children[0])
        return "".join(str(t) for t in children)

    create_project = _node(ast.CreateProject, name=ast.Ident)
    owner_opt = _clause("owner")
    region_opt = _clause("region")
    comment_opt = _clause("comment")
    drop_project = _node(ast.DropProject, name=ast.Ident)
    show_projects = _node(ast.ShowProjects)
    if_not_exists = _flag("if_not_exists")
    if_exists = _flag("if_exists")

    # ------------------------------------------------------------------------- tables

    def create_table(
        self, meta: Meta, children: list[Any]
    ) -> ast.CreateTable | ast.CreateSnowflakeTable:
        if self._snowflake:
            self._check_replace(children)
            return self._make(ast.CreateSnowflakeTable, meta, children, name=ast.QualifiedName)
        return self._make(ast.CreateTable, meta, children, name=ast.QualifiedName)

    or_replace = _flag("or_replace")
    external = _flag("external")
    transient = _flag("transient")
    temporary = _flag("temporary")

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

    cluster_by = _clause("cluster_by")

    def retention(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), retention_days=self._integer(children[0]))

    copy_grants = _flag("copy_grants")
    like_clause = _clause("like")
    as_clause = _clause("as_query")

    def clone_source(self, meta: Meta, children: list[Any]) -> _Opts:
        clone = self._make(ast.CloneSource, meta, children, source=ast.QualifiedName)
        return _Opts(_meta_span(meta), clone=clone)

    ignore_retention = _flag("ignore_insufficient_retention")
    managed_access = _flag("managed_access")

    def create_database(self, meta: Meta, children: list[Any]) -> ast.CreateDatabase:
        if self._snowflake:
            self._check_replace(children)
        return self._make(ast.CreateDatabase, meta, children, name=ast.Ident)

    def create_schema(self, meta: Meta, children: list[Any]) -> ast.CreateSchema:
        if self._snowflake:
            self._check_replace(children)
        return self._make(ast.CreateSchema, meta, children, name=ast.QualifiedName)

    def drop_object(
        self, meta: Meta, children: list[Any]
    ) -> ast.DropTable | ast.DropRole | ast.DropObject:
        kind, *rest = children
        if not self._snowflake and str(kind).upper() == "TABLE":
            return self._make(ast.DropTable, meta, rest, name=ast.QualifiedName)
        if not self._snowflake and str(kind).upper() == "ROLE":
            rest = [self._unqualified(c) if isinstance(c, ast.QualifiedName) else c for c in rest]
            return self._make(ast.DropRole, meta, rest, name=ast.Ident)
        return self._make(ast.DropObject, meta, [self._kind(kind), *rest], name=ast.QualifiedName)

    def drop_behavior(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), cascade=str(children[0]).upper() == "CASCADE")

    def undrop(self, meta: Meta, children: list[Any]) -> ast.Undrop:
        kind, name = children
        return self._make(ast.Undrop, meta, [self._kind(kind), name], name=ast.QualifiedName)

    def _table_only(self, kind: Token, action: str) -> None:
        if str(kind).upper() != "TABLE":
            message = f"{action} is only valid in ALTER TABLE"
            raise SqlSyntaxError(message, token_span(kind), str(kind))

    def alter_add_partitions(self, meta: Meta, children: list[Any]) -> ast.AlterTableAddPartitions:
        kind, *rest = children
        self._table_only(kind, "ADD PARTITION")
        return self._make(ast.AlterTableAddPartitions, meta, rest, table=ast.QualifiedName)

    def alter_drop_partitions(
        self, meta: Meta, children: list[Any]
    ) -> ast.AlterTableDropPartitions:
        kind, *rest = children
        self._table_only(kind, "DROP PARTITION")
        return self._make(ast.AlterTableDropPartitions, meta, rest, table=ast.QualifiedName)

    def alter_rename(self, meta: Meta, children: list[Any]) -> ast.AlterRename:
        kind, *rest = children
        return self._make(
            ast.AlterRename,
            meta,
            [self._kind(kind), *rest],
            name=ast.QualifiedName,
            new_name=ast.QualifiedName,
        )

    def alter_set(self, meta: Meta, children: list[Any]) -> ast.AlterSet:
        kind, *rest = children
        return self._make(ast.AlterSet, meta, [self._kind(kind), *rest], name=ast.QualifiedName)

    def alter_unset(self, meta: Meta, children: list[Any]) -> ast.AlterSet:
        kind, *rest = children
        words = [c for c in rest if isinstance(c, Token)]
        others = [c for c in rest if not isinstance(c, Token)]
        unset = _Opts(_meta_span(meta), unset=tuple(str(w).upper() for w in words))
        return self._make(
            ast.AlterSet, meta, [self._kind(kind), *others, unset], name=ast.QualifiedName
        )

    def truncate_table(self, meta: Meta, children: list[Any]) -> ast.TruncateTable:
        if self._snowflake:
            self._refuse_keys(children, ["partitions"], "TRUNCATE")
        return self._make(ast.TruncateTable, meta, children, table=ast.QualifiedName)

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

    def insert_stmt(self, meta: Meta, children: list[Any]) -> ast.Insert:
        if self._snowflake:
            self._refuse_keys(children, ["partition"], "INSERT")
        return self._make(
            ast.Insert, meta, children, table=ast.QualifiedName, source=(ast.Query, ast.Values)
        )

    overwrite = _flag("overwrite")
    insert_partition = _clause("partition")

    def column_list(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), columns=tuple(children))

    def values(self, meta: Meta, children: list[Any]) -> ast.Values:
        return ast.Values(span=_meta_span(meta), rows=tuple(children))

    def row(self, meta: Meta, children: list[Any]) -> tuple[ast.Expr, ...]:
        result: tuple[ast.Expr, ...] = children[0]
        return result

    update_stmt = _node(ast.Update, table=ast.QualifiedName)

    def assignments(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), assignments=tuple(children))

    assignment = _node(ast.Assignment, column=ast.Ident, value=ast.Expr)
    delete_stmt = _node(ast.Delete, table=ast.QualifiedName)
    using_clause = _clause("using")

    def describe(self, meta: Meta, children: list[Any]) -> ast.Describe | ast.DescribeObject:
        kind: Token | None = children[0] if isinstance(children[0], Token) else None
        rest = children[1:] if kind is not None else children
        if not self._snowflake and (kind is None or str(kind).upper() == "TABLE"):
            return self._make(
                ast.Describe, meta, rest, name=ast.QualifiedName, partition=ast.PartitionSpec
            )
        # Snowflake's `DESC name` describes a table.
        kind_opts = self._kind(kind) if kind is not None else _Opts(_meta_span(meta), kind="TABLE")
        what = f"DESCRIBE {kind_opts['kind']}"
        for child in rest:
            if isinstance(child, ast.PartitionSpec):
                raise self._refusal(child.span, what)
        return self._make_as(
            what, ast.DescribeObject, meta, [kind_opts, *rest], name=ast.QualifiedName
        )

    extended = _flag("extended")

    def show_objects(self, meta: Meta, children: list[Any]) -> ast.ShowTables | ast.ShowObjects:
        kind = next(c for c in children if isinstance(c, Token))
        rest = [c for c in children if c is not kind]
        kind_name = str(kind).upper()
        what = f"SHOW {kind_name}"
        if not self._snowflake and kind_name == "TABLES":
            # MaxCompute's SHOW TABLES [IN|FROM project] [LIKE 'pattern'].
            mc: list[Any] = []
            for c in rest:
                if "in_name" in c and c["in_kind"] is None:
                    c = _Opts(c.span, in_=c["in_name"])
                mc.append(c)
            return self._make_as(what, ast.ShowTables, meta, mc)
        return self._make_as(what, ast.ShowObjects, meta, [self._kind(kind), *rest])

    terse = _flag("terse")
    history = _flag("history")
    show_like = _clause("like")
    starts_with = _clause("starts_with")

    def show_limit(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), limit=self._integer(children[0]))

    def in_name(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), in_kind=None, in_name=children[0])

    def from_name(self, meta: Meta, children: list[Any]) -> _Opts:
        # MaxCompute's spelling; `from_` has no field in ShowObjects, so Snowflake refuses it.
        return _Opts(_meta_span(meta), in_kind=None, in_name=children[0], from_=True)

    def in_account(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), in_kind="ACCOUNT", in_name=None)

    def in_database(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(
            _meta_span(meta), in_kind="DATABASE", in_name=children[0] if children else None
        )

    def in_schema(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), in_kind="SCHEMA", in_name=children[0] if children else None)

    show_partitions = _node(
        ast.ShowPartitions, table=ast.QualifiedName, partition=ast.PartitionSpec
    )
    clone_table = _node(ast.CloneTable, source=ast.QualifiedName, target=ast.QualifiedName)

    def clone_if_exists(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), if_exists=str(children[-1]).upper())

    # ------------------------------------------------------------------------- users and grants

    add_user = _node(ast.AddUser, principal=ast.Principal)
    remove_user = _node(ast.RemoveUser, principal=ast.Principal)

    def create_role(
        self, meta: Meta, children: list[Any]
    ) -> ast.CreateRole | ast.CreateSnowflakeRole:
        if self._snowflake:
            self._check_replace(children)
            return self._make(ast.CreateSnowflakeRole, meta, children, name=ast.Ident)
        return self._make(ast.CreateRole, meta, children, name=ast.Ident)

    def create_user(self, meta: Meta, children: list[Any]) -> ast.CreateUser:
        if self._snowflake:
            self._check_replace(children)
        properties = [c for c in children if isinstance(c, tuple)]
        rest = [c for c in children if not isinstance(c, tuple)]
        if properties:
            rest.append(_Opts(_meta_span(meta), properties=tuple(properties)))
        return self._make(ast.CreateUser, meta, rest, name=ast.Principal)

    default_role = _clause("default_role")

    def user_property(self, meta: Meta, children: list[Any]) -> tuple[str, str]:
        key, value = children
        return (str(key).upper(), value)

    def grant_roles(self, meta: Meta, children: list[Any]) -> ast.GrantRoles:
        return self._role_list(ast.GrantRoles, "GRANT", meta, children)

    def revoke_roles(self, meta: Meta, children: list[Any]) -> ast.RevokeRoles:
        return self._role_list(ast.RevokeRoles, "REVOKE", meta, children)

    def _role_list(self, cls: type[N], verb: str, meta: Meta, children: list[Any]) -> N:
        names, grantee = children
        if self._snowflake:
            first = names[0].span
            preposition = "TO" if verb == "GRANT" else "FROM"
            message = (
                f"Snowflake grants one role at a time: {verb} ROLE <role> "
                f"{preposition} USER|ROLE <name>"
            )
            raise SqlSyntaxError(message, first, self._source[first.start : first.end])
        roles = self._plain_names(names)
        return self._make(cls, meta, [roles, grantee], roles=tuple, grantee=ast.Principal)

    def grant_role(self, meta: Meta, children: list[Any]) -> ast.GrantRoleTo:
        return self._make(ast.GrantRoleTo, meta, children, role=ast.Ident)

    def revoke_role(self, meta: Meta, children: list[Any]) -> ast.GrantRoleTo:
        revoke = _Opts(_meta_span(meta), revoke=True)
        return self._make(ast.GrantRoleTo, meta, [*children, revoke], role=ast.Ident)

    def grant_privileges(
        self, meta: Meta, children: list[Any]
    ) -> ast.GrantPrivileges | ast.GrantToRole | ast.GrantOwnership:
        if not self._snowflake:
            return self._privileges(ast.GrantPrivileges, meta, children)
        return self._snowflake_privileges(meta, children, revoke=False)

    def revoke_privileges(
        self, meta: Meta, children: list[Any]
    ) -> ast.RevokePrivileges | ast.GrantToRole | ast.GrantOwnership:
        if not self._snowflake:
            return self._privileges(ast.RevokePrivileges, meta, children)
        return self._snowflake_privileges(meta, children, revoke=True)

    def _plain_names(self, names: tuple[ast.Ident | _Words, ...]) -> tuple[ast.Ident, ...]:
        """MaxCompute role and action names: one word each."""
        for name in names:
            if isinstance(name, _Words):
                second = name.tokens[1]
                raise SqlSyntaxError(f"invalid token '{second}'", token_span(second), str(second))
        return tuple(n for n in names if isinstance(n, ast.Ident))

    def _privileges(self, cls: type[N], meta: Meta, children: list[Any]) -> N:
        names = next(c for c in children if isinstance(c, tuple))
        rest = [c for c in children if c is not names]
        for c in rest:
            # ON ACCOUNT, ON ALL|FUTURE ... IN ...: Snowflake objects without a MaxCompute twin.
            if (
                isinstance(c, _Opts)
                and "object_type" in c
                and (c["object_name"] is None or " " in c["object_type"])
            ):
                raise self._refusal(c.span, "GRANT" if cls is ast.GrantPrivileges else "REVOKE")
        actions = _Opts(_meta_span(meta), actions=tuple(n.name for n in self._plain_names(names)))
        return self._make(cls, meta, [actions, *rest])

    def _snowflake_privileges(
        self, meta: Meta, children: list[Any], *, revoke: bool
    ) -> ast.GrantToRole | ast.GrantOwnership:
        names: tuple[ast.Ident | _Words, ...] = next(c for c in children if isinstance(c, tuple))
        privileges = tuple(
            " ".join(str(t).upper() for t in n.tokens) if isinstance(n, _Words) else n.name.upper()
            for n in names
        )
        rest: list[Any] = []
        for c in children:
            if c is names:
                continue
            if isinstance(c, _Opts) and "grantee_kind" in c:
                if c["grantee_kind"] != "ROLE":
                    raise SqlSyntaxError("Snowflake grants privileges to a ROLE", c.span, "USER")
                principal: ast.Principal = c["grantee"]
                role = ast.Ident(span=principal.span, name=principal.name, quoted=principal.quoted)
                c = _Opts(c.span, role=role)
            rest.append(c)
        verb = "REVOKE" if revoke else "GRANT"
        if "OWNERSHIP" in privileges and revoke:
            span = _cover(names[0].span, names[-1].span)
            message = "OWNERSHIP cannot be revoked; transfer it with GRANT OWNERSHIP"
            raise SqlSyntaxError(message, span, "OWNERSHIP")
        if "OWNERSHIP" in privileges:
            if len(privileges) > 1:
                first = names[0].span
                raise SqlSyntaxError(
                    "OWNERSHIP is granted on its own", _cover(first, names[-1].span), "OWNERSHIP"
                )
            ownership = self._make_as("GRANT OWNERSHIP", ast.GrantOwnership, meta, rest)
            if ownership.object_name is None:  # ON ACCOUNT: an account has no owner role
                target = next(c for c in rest if isinstance(c, _Opts) and "object_type" in c)
                raise self._refusal(target.span, "GRANT OWNERSHIP")
            return ownership
        for c in rest:
            if isinstance(c, _Opts) and "current_grants" in c:
                clause = self._clause_title(c.span)
                message = f"{clause} is only valid in GRANT OWNERSHIP"
                raise SqlSyntaxError(message, c.span, clause.split()[0])
        revoke_opts = [_Opts(_meta_span(meta), revoke=True)] if revoke else []
        privilege_opts = _Opts(_meta_span(meta), privileges=privileges)
        return self._make_as(verb, ast.GrantToRole, meta, [privilege_opts, *rest, *revoke_opts])

    def name_list(self, meta: Meta, children: list[Any]) -> tuple[ast.Ident | _Words, ...]:
        return tuple(children)

    def privilege_words(self, meta: Meta, children: list[Any]) -> _Words:
        return _Words(tuple(children), _meta_span(meta))

    with_grant_option = _flag("grant_option")
    grant_option_for = _flag("grant_option")

    def current_grants(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), current_grants=str(children[0]).upper())

    def project_object(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), object_type="PROJECT", object_name=children[0])

    def table_object(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), object_type="TABLE", object_name=children[0])

    def typed_object(self, meta: Meta, children: list[Any]) -> _Opts:
        kind, name = children
        return _Opts(_meta_span(meta), object_type=str(kind).upper(), object_name=name)

    def role_object(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), object_type="ROLE", object_name=children[0])

    def account_object(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), object_type="ACCOUNT", object_name=None)

    def bulk_object(self, meta: Meta, children: list[Any]) -> _Opts:
        *words, name = children
        object_type = " ".join(str(w).upper() for w in words)
        return _Opts(_meta_span(meta), object_type=object_type, object_name=name)

    def user_grantee(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), grantee_kind="USER", grantee=children[0])

    def role_grantee(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), grantee_kind="ROLE", grantee=children[0])

    def show_grants(
        self, meta: Meta, children: list[Any]
    ) -> ast.ShowGrants | ast.ShowGrantsSnowflake:
        if self._snowflake:
            return self._make(ast.ShowGrantsSnowflake, meta, children)
        return self._make(ast.ShowGrants, meta, children)

    def grants_for_user(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), for_kind="USER", for_name=children[0])

    def grants_for_role(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), for_kind="ROLE", for_name=children[0])

    def grants_on(self, meta: Meta, children: list[Any]) -> _Opts:
        (target,) = children
        return _Opts(_meta_span(meta), on_type=target["object_type"], on_name=target["object_name"])

    def grants_to(self, meta: Meta, children: list[Any]) -> _Opts:
        (grantee,) = children
        return _Opts(_meta_span(meta), to_kind=grantee["grantee_kind"], name=grantee["grantee"])

    def grants_of(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), of_role=children[0])

    list_users = _node(ast.ListUsers)
    list_roles = _node(ast.ListRoles)

    # ------------------------------------------------------------------------- Snowflake pipelines

    @staticmethod
    def _gather_options(children: list[Any], meta: Meta) -> list[Any]:
        """The children with every `KEY = value` property collected into one `options` clause
        (properties may come in any order, between the other clauses)."""
        options = tuple(c for c in children if isinstance(c, ast.ObjectOption))
        rest = [c for c in children if not isinstance(c, ast.ObjectOption)]
        return [*rest, _Opts(_meta_span(meta), options=options)] if options else rest

    def _node_text(self, node: ast.Node) -> str:
        return self._source[node.span.start : node.span.end]

    def describe_pipeline(self, meta: Meta, children: list[Any]) -> ast.DescribePipeline:
        kind, name = children
        return self._make(
            ast.DescribePipeline, meta, [self._kind(kind), name], name=ast.QualifiedName
        )

    def create_stage(self, meta: Meta, children: list[Any]) -> ast.CreateStage:
        self._check_replace(children)
        rest = self._gather_options(children, meta)
        return self._make(ast.CreateStage, meta, rest, name=ast.QualifiedName)

    def create_pipe(self, meta: Meta, children: list[Any]) -> ast.CreatePipe:
        self._check_replace(children)
        rest = self._gather_options(children, meta)
        copy = next(c for c in rest if isinstance(c, ast.CopyInto))
        definition = _Opts(copy.span, definition=self._node_text(copy))
        return self._make(
            ast.CreatePipe, meta, [*rest, definition], name=ast.QualifiedName, copy=ast.CopyInto
        )

    def create_stream(self, meta: Meta, children: list[Any]) -> ast.CreateStream:
        self._check_replace(children)
        rest = self._gather_options(children, meta)
        return self._make(ast.CreateStream, meta, rest, name=ast.QualifiedName)

    def stream_on(self, meta: Meta, children: list[Any]) -> _Opts:
        table, *travel = children
        return _Opts(_meta_span(meta), table=table, **(travel[0] if travel else {}))

    def create_task(self, meta: Meta, children: list[Any]) -> ast.CreateTask:
        self._check_replace(children)
        rest = self._gather_options(children, meta)
        return self._make(ast.CreateTask, meta, rest, name=ast.QualifiedName)

    def task_after(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), after=tuple(children))

    def task_when(self, meta: Meta, children: list[Any]) -> _Opts:
        (expr,) = children
        return _Opts(_meta_span(meta), when=expr, when_text=self._node_text(expr))

    def task_body(self, meta: Meta, children: list[Any]) -> _Opts:
        (body,) = children
        return _Opts(_meta_span(meta), body=body, body_text=self._node_text(body))

    include_stages = _flag("include_internal_stages")

    def stage_loc(self, meta: Meta, children: list[Any]) -> ast.StageRef:
        (token,) = children
        span = _meta_span(meta)
        if token.type == "SQ_STRING":
            text = _unquote(token)
            if not text.startswith("@"):
                return ast.StageRef(span=span, kind="URL", url=text)
        else:
            text = str(token)
        return self._stage_ref(text, span, str(token))

    def _stage_ref(self, text: str, span: Span, token: str) -> ast.StageRef:
        """`@…` text as a StageRef; names are split like identifiers (`"a.b"` is one part)."""
        body = text[1:]
        if body.startswith("~"):
            path = body[1:]
            if path and not path.startswith("/"):
                raise SqlSyntaxError(f"invalid token '{token}'", span, token)
            return ast.StageRef(span=span, kind="USER", path=path[1:])
        kind: Lit["NAMED", "TABLE"] = "NAMED"
        parts: list[ast.Ident] = []
        pos = 0
        while True:
            if body.startswith("%", pos) and kind == "NAMED":
                # `@%t` or `@db.s.%t`: the stage of table t.
                kind, pos = "TABLE", pos + 1
            m = _STAGE_PART.match(body, pos)
            if m is None:
                raise SqlSyntaxError(f"invalid token '{token}'", span, token)
            word = m.group()
            quoted = word.startswith('"')
            name = word[1:-1].replace('""', '"') if quoted else word
            parts.append(ast.Ident(span=span, name=name, quoted=quoted))
            pos = m.end()
            if pos < len(body) and body[pos] == "." and len(parts) < 3:
                pos += 1
                continue
            break
        rest = body[pos:]
        if rest and not rest.startswith("/"):
            raise SqlSyntaxError(f"invalid token '{token}'", span, token)
        if kind == "TABLE" and "%" in text[1:].rsplit(".", 1)[0].split("/")[0][1:]:
            # Only the table's own name takes the `%`.
            raise SqlSyntaxError(f"invalid token '{token}'", span, token)
        name_node = ast.QualifiedName(span=span, parts=tuple(parts))
        return ast.StageRef(span=span, kind=kind, name=name_node, path=rest[1:])

    def copy_into(self, meta: Meta, children: list[Any]) -> ast.CopyInto:
        rest = self._gather_options(children, meta)
        return self._make(ast.CopyInto, meta, rest, table=ast.QualifiedName, source=ast.StageRef)

    def put_file(self, meta: Meta, children: list[Any]) -> ast.PutFile:
        token, *rest = children
        text = _unquote(token) if token.type == "SQ_STRING" else str(token)
        if not text.lower().startswith("file://") or len(text) == len("file://"):
            raise SqlSyntaxError(
                "PUT needs a local file as file://<path>", token_span(token), str(token)
            )
        file = _Opts(token_span(token), file=text[len("file://") :])
        return self._make(
            ast.PutFile, meta, [file, *self._gather_options(rest, meta)], stage=ast.StageRef
        )

    def list_stage(self, meta: Meta, children: list[Any]) -> ast.ListStage:
        return self._make(
            ast.ListStage, meta, self._gather_options(children, meta), stage=ast.StageRef
        )

    def remove_stage(self, meta: Meta, children: list[Any]) -> ast.RemoveStage:
        return self._make(
            ast.RemoveStage, meta, self._gather_options(children, meta), stage=ast.StageRef
        )

    def alter_pipe(self, meta: Meta, children: list[Any]) -> ast.AlterPipe:
        return self._make(ast.AlterPipe, meta, children, name=ast.QualifiedName)

    def refresh(self, meta: Meta, children: list[Any]) -> _Opts:
        options = tuple(children)
        return _Opts(_meta_span(meta), action="REFRESH", options=options)

    def set_options(self, meta: Meta, children: list[Any]) -> _Opts:
        opts = _Opts(_meta_span(meta), action="SET")
        options = tuple(c for c in children if isinstance(c, ast.ObjectOption))
        if options:
            opts["options"] = options
        for c in children:
            if isinstance(c, _Opts):
                if "comment" in opts:
                    raise SqlSyntaxError("duplicate COMMENT clause", c.span, "COMMENT")
                opts.update(c)
        return opts

    def unset_options(self, meta: Meta, children: list[Any]) -> _Opts:
        names = tuple(str(t).upper() for t in children)
        return _Opts(_meta_span(meta), action="UNSET", unset=names)

    option_name = _token

    def alter_task(self, meta: Meta, children: list[Any]) -> ast.AlterTask:
        return self._make(ast.AlterTask, meta, children, name=ast.QualifiedName)

    def resume(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), action="RESUME")

    def suspend(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), action="SUSPEND")

    def modify_as(self, meta: Meta, children: list[Any]) -> _Opts:
        (body,) = children
        return _Opts(
            _meta_span(meta), action="MODIFY AS", body=body, body_text=self._node_text(body)
        )

    def modify_when(self, meta: Meta, children: list[Any]) -> _Opts:
        (expr,) = children
        return _Opts(
            _meta_span(meta), action="MODIFY WHEN", when=expr, when_text=self._node_text(expr)
        )

    def remove_when(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), action="REMOVE WHEN")

    def add_after(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), action="ADD AFTER", after=tuple(children))

    def remove_after(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), action="REMOVE AFTER", after=tuple(children))

    execute_task = _node(ast.ExecuteTask, name=ast.QualifiedName)

    def object_option(self, meta: Meta, children: list[Any]) -> ast.ObjectOption:
        key, value = children
        return ast.ObjectOption(span=_meta_span(meta), key=str(key).upper(), value=value)

    def _option(self, meta: Meta, kind: Any, text: str) -> ast.OptionValue:
        return ast.OptionValue(span=_meta_span(meta), kind=kind, text=text)

    def option_string(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "string", _unquote(children[0]))

    def option_number(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "number", str(children[0]))

    def option_negative(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "number", "-" + str(children[0]))

    def option_word(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "word", str(children[0]).upper())

    def option_true(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "boolean", "TRUE")

    def option_false(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "boolean", "FALSE")

    def option_list(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return ast.OptionValue(span=_meta_span(meta), kind="list", items=tuple(children))

    def option_group(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return ast.OptionValue(span=_meta_span(meta), kind="group", options=tuple(children))

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
        if len(parts) == 1 and not first.quoted and first.name.upper() in _NILADIC:
            name = ast.QualifiedName(span=first.span, parts=parts)
            return ast.FuncCall(span=_meta_span(meta), name=name)
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

    def named_args(self, meta: Meta, children: list[Any]) -> _Opts:
        return _Opts(_meta_span(meta), args=tuple(children))

    def named_arg(self, meta: Meta, children: list[Any]) -> ast.NamedArg:
        name, value = children
        return ast.NamedArg(span=_meta_span(meta), name=name.name.upper(), value=value)

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

    def double_precision(self, meta: Meta, children: list[Any]) -> ast.TypeName:
        (name,) = children
        if str(name).lower() != "double":  # only DOUBLE has a PRECISION spelling
            start = meta.end_pos - len("PRECISION")
            word = self._source[start : meta.end_pos]
            raise SqlSyntaxError(f"invalid token '{word}'", self._span(start, meta.end_pos), word)
        return ast.TypeName(span=_meta_span(meta), name="double precision")

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

    def default_schema_qname(self, meta: Meta, children: list[Any]) -> ast.QualifiedName:
        database, name = children
        second_dot = self._source.index(".", self._source.index(".", database.span.end) + 1)
        if not self._snowflake:
            raise SqlSyntaxError("invalid token '.'", self._span(second_dot, second_dot + 1), ".")
        # `db..t` names the PUBLIC schema (Snowflake identifier resolution).
        public = ast.Ident(span=self._span(second_dot, second_dot), name="PUBLIC")
        return ast.QualifiedName(span=_meta_span(meta), parts=(database, public, name))

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
