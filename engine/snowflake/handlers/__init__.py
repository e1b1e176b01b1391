"""Snowflake statement handlers, and `HANDLERS`: which function runs each statement class.

Targets are `module:function` under cloneshell.engine, imported on first use."""

from __future__ import annotations

from cloneshell.grammar import ast

HANDLERS: dict[type[ast.Statement], str] = {
    ast.AlterPipe: "snowflake.handlers.pipes:alter_pipe",
    ast.AlterRename: "snowflake.handlers.objects:alter_rename",
    ast.AlterSession: "core.handlers:alter_session",
    ast.AlterSet: "snowflake.handlers.objects:alter_set",
    ast.AlterTask: "snowflake.handlers.tasks:alter_task",
    ast.CopyInto: "snowflake.handlers.stages:copy_into",
    ast.CreateDatabase: "snowflake.handlers.objects:create_database",
    ast.CreatePipe: "snowflake.handlers.pipes:create_pipe",
    ast.CreateRole: "snowflake.handlers.access:create_role",
    ast.CreateSchema: "snowflake.handlers.objects:create_schema",
    ast.CreateStage: "snowflake.handlers.stages:create_stage",
    ast.CreateStream: "snowflake.handlers.streams:create_stream",
    ast.CreateTable: "snowflake.handlers.objects:create_table",
    ast.CreateTask: "snowflake.handlers.tasks:create_task",
    ast.CreateUser: "snowflake.handlers.access:create_user",
    ast.CreateView: "snowflake.handlers.views:create_view",
    ast.Delete: "snowflake.handlers.dml:delete",
    ast.Describe: "snowflake.handlers.show:describe_plain",
    ast.DescribeObject: "snowflake.handlers.show:describe",
    ast.DescribePipeline: "snowflake.handlers.pipeline:describe",
    ast.DropObject: "snowflake.handlers.objects:drop_object",
    ast.DropTable: "snowflake.handlers.objects:drop_table",
    ast.ExecuteTask: "snowflake.handlers.tasks:execute_task",
    ast.GrantOwnership: "snowflake.handlers.access:grant_ownership",
    ast.GrantRoleTo: "snowflake.handlers.access:grant_role",
    ast.GrantToRole: "snowflake.handlers.access:grant_privileges",
    ast.Insert: "snowflake.handlers.dml:insert",
    ast.Merge: "snowflake.handlers.merge:merge",
    ast.AlterTable: "snowflake.handlers.alter:alter_table",
    ast.SetStmt: "snowflake.variables:set_one",
    ast.SetVariables: "snowflake.variables:set_many",
    ast.UnsetVariables: "snowflake.variables:unset",
    ast.ShowVariables: "snowflake.variables:show",
    ast.ListStage: "snowflake.handlers.stages:list_stage",
    ast.PutFile: "snowflake.handlers.stages:put",
    ast.QueryStmt: "snowflake.handlers.dml:select",
    ast.RemoveStage: "snowflake.handlers.stages:remove_stage",
    ast.ShowGrants: "snowflake.handlers.access:show_grants",
    ast.ShowObjects: "snowflake.handlers.show:show",
    ast.TruncateTable: "snowflake.handlers.dml:truncate",
    ast.Undrop: "snowflake.handlers.objects:undrop",
    ast.Update: "snowflake.handlers.dml:update",
    ast.UseObject: "snowflake.handlers.session:use_object",
}
