"""MaxCompute's Hive-family statements (grammar/ast/hive.py): multi-insert, SHOW CREATE TABLE,
ALTER TABLE … MERGE SMALLFILES and … PARTITION (..) RENAME TO PARTITION (..)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lark.lexer import Token
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import Opts, make_node, meta_span, token_span, unquote
from cloneshell.grammar.builders.ddl import DdlRules


class HiveRules(DdlRules):
    """The rules of the Hive-family statements."""

    def multi_insert(self, meta: Meta, children: list[Any]) -> ast.MultiInsert:
        source, *branches = children
        inserts = []
        for branch in branches:
            assert isinstance(branch.source, ast.Query)
            assert isinstance(branch.source.body, ast.Select)
            body = replace(branch.source.body, from_=source)
            inserts.append(replace(branch, source=replace(branch.source, body=body)))
        return ast.MultiInsert(span=meta_span(meta), inserts=tuple(inserts))

    def multi_branch(self, meta: Meta, children: list[Any]) -> ast.Insert:
        return self._make_as(
            "INSERT", ast.Insert, meta, children, table=ast.QualifiedName, source=ast.Query
        )

    def branch_query(self, meta: Meta, children: list[Any]) -> ast.Query:
        return self._make(ast.Query, meta, children, body=ast.Select)

    branch_select = make_node(ast.Select)
    show_create_table = make_node(ast.ShowCreateTable, table=ast.QualifiedName)

    def alter_merge_smallfiles(self, meta: Meta, children: list[Any]) -> ast.AlterMergeSmallfiles:
        kind, *rest = children
        self._table_only(kind, "MERGE SMALLFILES")
        return self._make(
            ast.AlterMergeSmallfiles,
            meta,
            rest,
            table=ast.QualifiedName,
            partition=ast.PartitionSpec,
        )

    def alter_rename_partition(self, meta: Meta, children: list[Any]) -> ast.AlterRenamePartition:
        kind, name, old, new = children
        self._table_only(kind, "RENAME TO PARTITION")
        return ast.AlterRenamePartition(span=meta_span(meta), table=name, old=old, new=new)

    def read_table(self, meta: Meta, children: list[Any]) -> ast.ReadTable:
        return self._make(
            ast.ReadTable, meta, children, table=ast.QualifiedName, partition=ast.PartitionSpec
        )

    def read_rows(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), rows=self._integer(children[0]))

    def describe_role(self, meta: Meta, children: list[Any]) -> ast.DescribeRole:
        return ast.DescribeRole(span=meta_span(meta), role=children[-1])

    def show_acl(self, meta: Meta, children: list[Any]) -> ast.ShowAcl:
        name, *kind = children
        word = str(kind[0]).upper() if kind else "TABLE"
        return ast.ShowAcl(span=meta_span(meta), name=name, object_type=word)

    def alter_change_owner(self, meta: Meta, children: list[Any]) -> ast.AlterChangeOwner:
        kind, name, owner = children
        if str(kind).upper() not in ("TABLE", "VIEW"):
            self._table_only(kind, "CHANGEOWNER")
        if isinstance(owner, Token):  # 'RAM$account:user'
            owner = ast.Principal(span=token_span(owner), name=unquote(owner), quoted=True)
        return ast.AlterChangeOwner(span=meta_span(meta), table=name, owner=owner)
