"""MaxCompute's Hive-family statements (grammar/ast/hive.py): multi-insert, SHOW CREATE TABLE,
ALTER TABLE … MERGE SMALLFILES and … PARTITION (..) RENAME TO PARTITION (..)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

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

    # -- grammar/ast/odps.py: statistics, lifecycle switches, LIST

    def analyze_table(self, meta: Meta, children: list[Any]) -> ast.AnalyzeTable:
        table, *rest = children
        partition = next((c for c in rest if isinstance(c, ast.PartitionSpec)), None)
        action = next(str(c).upper() for c in rest if isinstance(c, Token))
        columns = next((c for c in rest if isinstance(c, tuple)), ())
        return ast.AnalyzeTable(
            span=meta_span(meta),
            table=table,
            action=cast(Any, action),
            partition=partition,
            columns=columns,
        )

    def analyze_for(self, meta: Meta, children: list[Any]) -> tuple[ast.Ident, ...]:
        return tuple(children[0]["columns"]) if children else ()

    def analyze_action(self, meta: Meta, children: list[Any]) -> Token:
        return children[0]  # type: ignore[no-any-return]

    statistic_action = analyze_action
    lifecycle_switch = analyze_action
    list_kind = analyze_action

    def statistic_change(self, meta: Meta, children: list[Any]) -> ast.StatisticChange:
        action, table, kind, *target = children
        return ast.StatisticChange(
            span=meta_span(meta),
            action=cast(Any, str(action).upper()),
            table=table,
            kind=kind,
            target=target[0] if target else None,
        )

    def show_statistic(self, meta: Meta, children: list[Any]) -> ast.ShowStatistic:
        table, *rest = children
        partition = next((c for c in rest if isinstance(c, ast.PartitionSpec)), None)
        columns = next((tuple(c["columns"]) for c in rest if isinstance(c, Opts)), ())
        return ast.ShowStatistic(
            span=meta_span(meta), table=table, partition=partition, columns=columns
        )

    def alter_lifecycle_switch(self, meta: Meta, children: list[Any]) -> ast.AlterLifecycleSwitch:
        kind, table, *rest = children
        self._table_only(kind, "LIFECYCLE")
        partition = next((c for c in rest if isinstance(c, ast.PartitionSpec)), None)
        return ast.AlterLifecycleSwitch(
            span=meta_span(meta),
            table=table,
            enable=str(rest[-1]).upper() == "ENABLE",
            partition=partition,
        )

    def list_project_objects(self, meta: Meta, children: list[Any]) -> ast.ListProjectObjects:
        return ast.ListProjectObjects(
            span=meta_span(meta), kind=cast(Any, str(children[0]).upper())
        )
