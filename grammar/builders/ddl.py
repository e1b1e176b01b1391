"""Tables, schemas and databases: CREATE (with the clauses every CREATE and DROP shares), DROP,
UNDROP, ALTER, TRUNCATE, partitions, DESCRIBE, SHOW and CLONE TABLE."""

from __future__ import annotations

from dataclasses import replace
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


def _quoted(text: str) -> str:
    """A string as a SQL literal again (a storage clause kept as text)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


class DdlRules(BuilderBase):
    """The rules of tables, schemas and databases."""

    if_not_exists = flag("if_not_exists")
    if_exists = flag("if_exists")
    or_replace = flag("or_replace")
    comment_opt = clause("comment")

    create_table = make_node(ast.CreateTable, name=ast.QualifiedName)

    external = flag("external")
    transient = flag("transient")
    temporary = flag("temporary")

    def table_elements(self, meta: Meta, children: list[Any]) -> Opts:
        columns = tuple(c for c in children if isinstance(c, ast.ColumnDef))
        inline = tuple(k for c in columns for k in c.constraints)
        outline = tuple(c for c in children if isinstance(c, ast.TableConstraint))
        if not inline and not outline:
            return Opts(meta_span(meta), columns=columns)
        return Opts(meta_span(meta), columns=columns, constraints=inline + outline)

    def column_def(self, meta: Meta, children: list[Any]) -> ast.ColumnDef:
        """A column; its inline constraints name it (constraints.py reads them). Snowflake's
        TAG, COLLATE and policy clauses are refused where CREATE TABLE takes no TAG."""
        accepted = self.dialect.statements[ast.CreateTable].clauses
        for c in children:
            own = isinstance(c, Opts) and c.clause in ("tag_clause", "collate_opt")
            if (own or isinstance(c, ast.Policy)) and "tag_clause" not in accepted:
                raise self._refusal(c.span or meta_span(meta), "CREATE TABLE")
        policies = tuple(c for c in children if isinstance(c, ast.Policy))
        if policies:
            children = [c for c in children if not isinstance(c, ast.Policy)]
            children.append(Opts(meta_span(meta), policies=policies))
        keys = [c for c in children if isinstance(c, ast.TableConstraint)]
        rest = [c for c in children if not isinstance(c, (ast.TableConstraint, str))]
        col = self._make(ast.ColumnDef, meta, rest, name=ast.Ident, type=ast.TypeName)
        if not keys:
            return col
        rely = any(isinstance(c, str) and c == "RELY" for c in children)
        keys = [replace(k, columns=(col.name,), rely=k.rely or rely) for k in keys]
        return replace(col, constraints=tuple(keys))

    not_null = flag("not_null")
    default_opt = clause("default")

    def partitioned_by(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), partitioned_by=tuple(children))

    def hash_cluster(self, meta: Meta, children: list[Any]) -> Opts:
        return self._cluster("hash", meta, children)

    def range_cluster(self, meta: Meta, children: list[Any]) -> Opts:
        return self._cluster("range", meta, children)

    def _cluster(self, kind: str, meta: Meta, children: list[Any]) -> Opts:
        columns, *rest = children
        buckets = [self._integer(c) for c in rest if isinstance(c, Token)]
        sorted_by = [c for c in rest if isinstance(c, tuple)]
        spec = ast.ClusterSpec(
            span=meta_span(meta),
            kind="hash" if kind == "hash" else "range",
            columns=columns,
            sorted_by=sorted_by[0] if sorted_by else (),
            buckets=buckets[0] if buckets else None,
        )
        return Opts(meta_span(meta), clustered=spec)

    def sorted_by(self, meta: Meta, children: list[Any]) -> tuple[ast.OrderItem, ...]:
        return tuple(children)

    def sort_column(self, meta: Meta, children: list[Any]) -> ast.OrderItem:
        name, *rest = children
        column = ast.ColumnRef(span=name.span, parts=(name,))
        return self._make(ast.OrderItem, meta, [column, *rest], expr=ast.Expr)

    stored_by = clause("stored_by")

    def stored_as(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), stored_as=str(children[0]).upper())

    def stored_as_classes(self, meta: Meta, children: list[Any]) -> Opts:
        given, made = children
        text = f"INPUTFORMAT {_quoted(given)} OUTPUTFORMAT {_quoted(made)}"
        return Opts(meta_span(meta), stored_as=text)

    def row_format(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), row_format=f"SERDE {_quoted(children[0])}")

    def row_format_delimited(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), row_format=" ".join(["DELIMITED", *children]))

    def delimited_item(self, meta: Meta, children: list[Any]) -> str:
        return " ".join(str(c).upper() if isinstance(c, Token) else _quoted(c) for c in children)

    def serde_properties(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), serde_properties=tuple(children))

    location = clause("location")

    def tblproperties(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), tblproperties=tuple(children))

    def property(self, meta: Meta, children: list[Any]) -> tuple[str, str]:
        key, value = children
        return (key, value)

    def lifecycle(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), lifecycle=self._integer(children[0]))

    cluster_by = clause("cluster_by")

    def retention(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), retention_days=self._integer(children[0]))

    copy_grants = flag("copy_grants")
    like_clause = clause("like")
    as_clause = clause("as_query")

    def clone_source(self, meta: Meta, children: list[Any]) -> Opts:
        clone = self._make(ast.CloneSource, meta, children, source=ast.QualifiedName)
        return Opts(meta_span(meta), clone=clone)

    ignore_retention = flag("ignore_insufficient_retention")
    managed_access = flag("managed_access")

    create_database = make_node(ast.CreateDatabase, name=ast.Ident)
    create_schema = make_node(ast.CreateSchema, name=ast.QualifiedName)

    def _drop_object(self, meta: Meta, kind: Token, rest: list[Any]) -> ast.DropObject:
        """`DROP <kind> [IF EXISTS] name [CASCADE|RESTRICT]` as a DropObject (each dialect's
        `drop_object` decides which kinds are one)."""
        return self._make(ast.DropObject, meta, [self._kind(kind), *rest], name=ast.QualifiedName)

    drop_kind = object_kind = show_kind = unset_item = comment_kind = first_token

    def drop_behavior(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), cascade=str(children[0]).upper() == "CASCADE")

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

    def alter_add_columns(self, meta: Meta, children: list[Any]) -> ast.AlterTableAddColumns:
        kind, *rest = children
        self._table_only(kind, "ADD COLUMNS")
        for child in rest:  # MaxCompute's ADD COLUMNS takes names, types and comments only
            keys = child.pop("constraints", ()) if isinstance(child, Opts) else ()
            if keys:
                raise SqlSyntaxError("constraints are not allowed in ADD COLUMNS", keys[0].span)
        return self._make(ast.AlterTableAddColumns, meta, rest, table=ast.QualifiedName)

    def alter_change_column(self, meta: Meta, children: list[Any]) -> ast.AlterTableChangeColumn:
        kind, name, column, new_name, type_name, *rest = children
        self._table_only(kind, "CHANGE COLUMN")
        return self._make(
            ast.AlterTableChangeColumn,
            meta,
            [name, column, new_name, type_name, *rest],
            table=ast.QualifiedName,
            column=ast.Ident,
            new_name=ast.Ident,
            type=ast.TypeName,
        )

    def alter_change_comment(self, meta: Meta, children: list[Any]) -> ast.AlterTableChangeColumn:
        kind, name, column, *rest = children
        self._table_only(kind, "CHANGE COLUMN")
        return self._make(
            ast.AlterTableChangeColumn, meta, [name, column, *rest],
            table=ast.QualifiedName, column=ast.Ident,
        )  # fmt: skip

    def alter_change_rename(self, meta: Meta, children: list[Any]) -> ast.AlterTableChangeColumn:
        """`ALTER TABLE t CHANGE [COLUMN] old RENAME TO new`."""
        kind, name, column, new_name = children
        self._table_only(kind, "CHANGE COLUMN")
        return ast.AlterTableChangeColumn(
            span=meta_span(meta), table=name, column=column, new_name=new_name
        )

    def alter_touch(self, meta: Meta, children: list[Any]) -> ast.AlterTableTouch:
        kind, *rest = children
        self._table_only(kind, "TOUCH")
        return self._make(ast.AlterTableTouch, meta, rest, table=ast.QualifiedName)

    def alter_drop_partitions(
        self, meta: Meta, children: list[Any]
    ) -> ast.AlterTableDropPartitions:
        kind, *rest = children
        self._table_only(kind, "DROP PARTITION")
        return self._make(ast.AlterTableDropPartitions, meta, rest, table=ast.QualifiedName)

    def drop_partition_list(self, meta: Meta, children: list[Any]) -> Opts:
        specs = tuple(c for c in children if isinstance(c, ast.PartitionSpec))
        filters = tuple(c for c in children if not isinstance(c, ast.PartitionSpec))
        return Opts(meta_span(meta), partitions=specs, filters=filters)

    def drop_partition(self, meta: Meta, children: list[Any]) -> ast.PartitionSpec | ast.Expr:
        """A spec when every item is `column = constant`, else the items' conjunction."""
        exprs: tuple[ast.Expr, ...] = children[0]
        items = [self._spec_item(e) for e in exprs]
        if all(i is not None for i in items):
            return ast.PartitionSpec(
                span=meta_span(meta), items=tuple(i for i in items if i is not None)
            )
        condition = exprs[0]
        for e in exprs[1:]:
            condition = ast.BinaryOp(span=meta_span(meta), op="AND", left=condition, right=e)
        return condition

    @staticmethod
    def _spec_item(e: ast.Expr) -> ast.PartitionItem | None:
        if not (isinstance(e, ast.BinaryOp) and e.op in ("=", "==")):
            return None
        column, value = e.left, e.right
        if not (isinstance(column, ast.ColumnRef) and len(column.parts) == 1):
            return None
        if isinstance(value, ast.UnaryOp) and value.op == "-":
            inner = value.operand
            if isinstance(inner, ast.Literal) and inner.kind == "integer":
                value = replace(inner, span=value.span, value=-int(str(inner.value)))
        if not (isinstance(value, ast.Literal) and value.kind in ("string", "integer")):
            return None
        return ast.PartitionItem(span=e.span, name=column.parts[0], value=value)

    purge = flag("purge")

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

    def comment_on(self, meta: Meta, children: list[Any]) -> ast.AlterSet | ast.AlterTable:
        *opts, kind, name, comment = children
        span = meta_span(meta)
        if str(kind).upper() != "COLUMN":
            rest = [*opts, name, Opts(span, comment=comment)]
            return self._make(ast.AlterSet, meta, [self._kind(kind), *rest], name=ast.QualifiedName)
        if len(name.parts) < 2:
            word = name.parts[-1].name
            raise SqlSyntaxError("COMMENT ON COLUMN names table.column", name.span, word)
        table = ast.QualifiedName(span=name.span, parts=name.parts[:-1])
        change = ast.ColumnChange(
            span=span, column=name.parts[-1], change="COMMENT", comment=comment
        )
        if_exists = any(o.get("if_exists") for o in opts)
        action = ast.AlterColumns(span=span, changes=(change,))
        return ast.AlterTable(span=span, name=table, action=action, if_exists=if_exists)

    def alter_unset(self, meta: Meta, children: list[Any]) -> ast.AlterSet:
        kind, *rest = children
        words = [c for c in rest if isinstance(c, Token)]
        others = [c for c in rest if not isinstance(c, Token)]
        unset = Opts(meta_span(meta), unset=tuple(str(w).upper() for w in words))
        return self._make(
            ast.AlterSet, meta, [self._kind(kind), *others, unset], name=ast.QualifiedName
        )

    truncate_table = make_node(ast.TruncateTable, table=ast.QualifiedName)

    def added_partitions(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), partitions=tuple(children))

    partition_list = added_partitions

    def partition_spec(self, meta: Meta, children: list[Any]) -> ast.PartitionSpec:
        return ast.PartitionSpec(span=meta_span(meta), items=tuple(children))

    partition_item = make_node(ast.PartitionItem, name=ast.Ident, value=ast.Literal)

    def partition_value(self, meta: Meta, children: list[Any]) -> ast.Literal:
        (token,) = children
        if token.type == "NUMBER":
            value = self._integer(token)
            return ast.Literal(span=meta_span(meta), value=value, kind="integer", text=str(token))
        return ast.Literal(
            span=meta_span(meta), value=unquote(token), kind="string", text=self._text(meta)
        )

    def negative_partition_value(self, meta: Meta, children: list[Any]) -> ast.Literal:
        value = -self._integer(children[0])
        return ast.Literal(span=meta_span(meta), value=value, kind="integer", text=self._text(meta))

    @staticmethod
    def _describe_parts(children: list[Any]) -> tuple[Token | None, list[Any]]:
        """`DESC [<kind>] [EXTENDED] name [PARTITION (..)]`: the kind, and the other children
        with the partition as a `partition_spec` clause."""
        kind: Token | None = children[0] if isinstance(children[0], Token) else None
        rest = [
            Opts(c.span, "partition_spec", partition=c) if isinstance(c, ast.PartitionSpec) else c
            for c in (children[1:] if kind is not None else children)
        ]
        return kind, rest

    def _describe_object(
        self, meta: Meta, kind: Token | None, rest: list[Any]
    ) -> ast.DescribeObject:
        """`DESC <kind> name` as a DescribeObject; `DESC name` describes a table."""
        kind_opts = self._kind(kind) if kind is not None else Opts(meta_span(meta), kind="TABLE")
        title = f"DESCRIBE {kind_opts['kind']}"
        # A PARTITION is refused before anything else (EXTENDED): it is what names a table.
        partition = [c for c in rest if isinstance(c, Opts) and c.clause == "partition_spec"]
        self._accept(ast.DescribeObject, partition, title)
        return self._make_as(
            title, ast.DescribeObject, meta, [kind_opts, *rest], name=ast.QualifiedName
        )

    extended = flag("extended")

    @staticmethod
    def _show_parts(children: list[Any]) -> tuple[Token, list[Any]]:
        """`SHOW [TERSE] <kind> [HISTORY] ...`: the kind, and the clauses."""
        kind = next(c for c in children if isinstance(c, Token))
        return kind, [c for c in children if c is not kind]

    def _show_objects(self, meta: Meta, kind: Token, rest: list[Any]) -> ast.ShowObjects:
        """`SHOW <kind> ...` as a ShowObjects (Snowflake's long form)."""
        title = f"SHOW {str(kind).upper()}"
        return self._make_as(title, ast.ShowObjects, meta, [self._kind(kind), *rest])

    terse = flag("terse")
    history = flag("history")
    show_like = clause("like")
    starts_with = clause("starts_with")

    def show_limit(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), limit=self._integer(children[0]))

    # `LIMIT n FROM 'name'`: the FROM is its own clause (a FROM name is MaxCompute's IN).
    def show_limit_from(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), limit_from=unquote(children[0]))

    def in_table(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), in_kind="TABLE", in_name=children[0])

    def in_view(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), in_kind="VIEW", in_name=children[0])

    def in_name(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), in_kind=None, in_name=children[0])

    from_name = in_name  # MaxCompute's spelling of `IN name` (grammar/dialects.py)

    def in_account(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), in_kind="ACCOUNT", in_name=None)

    def in_database(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), in_kind="DATABASE", in_name=children[0] if children else None)

    def in_schema(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), in_kind="SCHEMA", in_name=children[0] if children else None)

    show_partitions = make_node(
        ast.ShowPartitions, table=ast.QualifiedName, partition=ast.PartitionSpec
    )
    clone_table = make_node(ast.CloneTable, source=ast.QualifiedName, target=ast.QualifiedName)

    def clone_if_exists(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), if_exists=str(children[-1]).upper())
