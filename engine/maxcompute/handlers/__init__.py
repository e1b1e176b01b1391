"""MaxCompute statement handlers, and `HANDLERS`: which function runs each statement class.

Targets are `module:function` under cloneshell.engine, imported on first use, so
`cloneshell -e "SELECT 1;"` loads handlers/dml.py and none of the others."""

from __future__ import annotations

from cloneshell.grammar import ast

HANDLERS: dict[type[ast.Statement], str] = {
    ast.AddUser: "maxcompute.handlers.access:add_user",
    ast.AlterSession: "core.handlers:alter_session",
    ast.Unsupported: "core.handlers:unsupported",
    ast.AlterRename: "maxcompute.handlers.views:alter_rename",
    ast.AlterTableAddPartitions: "maxcompute.handlers.tables:add_partitions",
    ast.AlterTableAddColumns: "maxcompute.handlers.tables:add_columns",
    ast.AlterTableTouch: "maxcompute.handlers.tables:touch",
    ast.AlterTableChangeColumn: "maxcompute.handlers.tables:change_column",
    ast.AlterSet: "maxcompute.handlers.tables:alter_set",
    ast.AlterTableDropPartitions: "maxcompute.handlers.tables:drop_partitions",
    ast.CloneTable: "maxcompute.handlers.clone:clone_table",
    ast.CreateProject: "maxcompute.handlers.projects:create_project",
    ast.CreateRole: "maxcompute.handlers.access:create_role",
    ast.CreateTable: "maxcompute.handlers.tables:create_table",
    ast.CreateView: "maxcompute.handlers.views:create_view",
    ast.Describe: "maxcompute.handlers.tables:describe",
    ast.DropProject: "maxcompute.handlers.projects:drop_project",
    ast.DropRole: "maxcompute.handlers.access:drop_role",
    ast.DropTable: "maxcompute.handlers.tables:drop_table",
    ast.DropObject: "maxcompute.handlers.views:drop_object",
    ast.GrantPrivileges: "maxcompute.handlers.access:grant_privileges",
    ast.GrantRoles: "maxcompute.handlers.access:grant_roles",
    ast.Insert: "maxcompute.handlers.dml:insert",
    ast.ListRoles: "maxcompute.handlers.access:list_roles",
    ast.ListUsers: "maxcompute.handlers.access:list_users",
    ast.QueryStmt: "maxcompute.handlers.dml:select",
    ast.RemoveUser: "maxcompute.handlers.access:remove_user",
    ast.RevokePrivileges: "maxcompute.handlers.access:revoke_privileges",
    ast.RevokeRoles: "maxcompute.handlers.access:revoke_roles",
    ast.SetStmt: "maxcompute.handlers.projects:set_flag",
    ast.ShowFlags: "maxcompute.handlers.projects:show_flags",
    ast.ShowGrants: "maxcompute.handlers.access:show_grants",
    ast.ShowPartitions: "maxcompute.handlers.tables:show_partitions",
    ast.ShowProjects: "maxcompute.handlers.projects:show_projects",
    ast.ShowTables: "maxcompute.handlers.tables:show_tables",
    ast.ShowObjects: "maxcompute.handlers.views:show_views",
    ast.TruncateTable: "maxcompute.handlers.tables:truncate",
    ast.Use: "maxcompute.handlers.projects:use",
    ast.Whoami: "maxcompute.handlers.projects:whoami",
    ast.MultiInsert: "maxcompute.handlers.dml:multi_insert",
    ast.ShowCreateTable: "maxcompute.handlers.hive:show_create_table",
    ast.AlterMergeSmallfiles: "maxcompute.handlers.hive:merge_smallfiles",
    ast.AlterRenamePartition: "maxcompute.handlers.hive:rename_partition",
    ast.ReadTable: "maxcompute.handlers.hive:read_table",
    ast.DescribeRole: "maxcompute.handlers.access:describe_role",
    ast.ShowAcl: "maxcompute.handlers.access:show_acl",
    ast.AlterChangeOwner: "maxcompute.handlers.access:change_owner",
}
