"""What each dialect accepts of the one grammar: for every kind of statement, the clauses
MaxCompute accepts and the clauses Snowflake accepts, and the lexical facts that differ.

dialect.lark accepts the union of both dialects' statements and clauses. A clause is named by the
grammar rule that reads it (`lifecycle`, `clone_source`, `comment_opt`, ... or the rule's alias,
such as `in_account`); the AST builder (grammar/builders/) looks every clause a statement holds up
here, and refuses one its dialect does not accept with the clause's span: "LIFECYCLE is not valid
in Snowflake CREATE TABLE". An AST field a dialect does not accept keeps its default.

A statement that belongs to one dialect still parses in the other, with the same clauses, so that
the engine can say where it belongs ("CreateStage is a Snowflake statement; switch with ALTER
SESSION SET DIALECT = snowflake"). A `None` column is a node that dialect's builder never makes
(MaxCompute's `DESC t` is a Describe, Snowflake's a DescribeObject).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal as Lit

from cloneshell.grammar import ast
from cloneshell.grammar.records import record

DialectName = Lit["maxcompute", "snowflake"]


@record(frozen=True, slots=True)
class StatementClauses:
    """One row of the table: a kind of statement, how errors name it, and what each dialect
    accepts in it (clause rule names, blank-separated; None: never built in that dialect)."""

    title: str
    maxcompute: str | None
    snowflake: str | None
    # Dialects where OR REPLACE and IF NOT EXISTS cannot be combined (Snowflake's CREATE <object>
    # usage notes). MaxCompute checks it only for the pipeline objects, as it always has.
    exclusive_replace: tuple[DialectName, ...] = ()


def _both(title: str, clauses: str, exclusive: tuple[DialectName, ...] = ()) -> StatementClauses:
    return StatementClauses(title, clauses, clauses, exclusive)


_SF: tuple[DialectName, ...] = ("snowflake",)
_BOTH: tuple[DialectName, ...] = ("maxcompute", "snowflake")
_PRIVILEGE_TARGETS = "project_object table_object typed_object role_object"
_COLUMN_TARGET = " table_columns_object"

STATEMENTS: Mapping[type[ast.Statement], StatementClauses] = MappingProxyType(
    {
        # -------------------------------------------------------------- session and projects
        ast.QueryStmt: _both("SELECT", ""),
        ast.SetStmt: _both("SET", ""),
        ast.ShowFlags: _both("SHOW FLAGS", ""),
        ast.SetVariables: _both("SET", ""),
        ast.UnsetVariables: _both("UNSET", ""),
        ast.ShowVariables: _both("SHOW VARIABLES", "show_like"),
        ast.BeginTransaction: _both("BEGIN", ""),
        ast.CommitTransaction: _both("COMMIT", ""),
        ast.RollbackTransaction: _both("ROLLBACK", ""),
        ast.ShowParameters: _both("SHOW PARAMETERS", "show_like parameters_in"),
        ast.ShowTransactions: _both("SHOW TRANSACTIONS", "transactions_in"),
        ast.Whoami: _both("WHOAMI", ""),
        ast.Use: StatementClauses("USE", "", None),
        ast.UseObject: _both("USE", ""),
        ast.AlterSession: _both("ALTER SESSION", ""),
        ast.AlterAccount: _both("ALTER ACCOUNT", ""),
        ast.CreateProject: _both(
            "CREATE PROJECT", "if_not_exists owner_opt region_opt comment_opt"
        ),
        ast.DropProject: _both("DROP PROJECT", "if_exists"),
        ast.ShowProjects: _both("SHOW PROJECTS", ""),
        # -------------------------------------------------------------- tables, schemas, databases
        ast.CreateTable: StatementClauses(
            "CREATE TABLE",
            # OR REPLACE is MaxCompute's too: DROP IF EXISTS, then CREATE (reference/maxcompute.md).
            maxcompute="or_replace external if_not_exists table_elements comment_opt partitioned_by"
            " hash_cluster range_cluster stored_by location tblproperties lifecycle like_clause"
            " as_clause"
            " stored_as stored_as_classes row_format row_format_delimited serde_properties",
            snowflake="or_replace transient temporary if_not_exists table_elements comment_opt"
            " cluster_by retention copy_grants like_clause clone_source as_clause"
            " object_option tag_clause table_policy",
            exclusive_replace=_SF,
        ),
        # WITH MANAGED ACCESS is a schema's only.
        ast.CreateDatabase: _both(
            "CREATE DATABASE",
            "or_replace transient if_not_exists clone_source retention comment_opt",
            _SF,
        ),
        ast.CreateSchema: _both(
            "CREATE SCHEMA",
            "or_replace transient if_not_exists clone_source managed_access retention comment_opt",
            _SF,
        ),
        ast.DropTable: StatementClauses("DROP TABLE", "if_exists", None),
        ast.DropRole: StatementClauses("DROP ROLE", "if_exists", None),
        ast.DropObject: _both("DROP", "if_exists drop_behavior"),
        ast.Undrop: _both("UNDROP", ""),
        ast.AlterTableAddPartitions: _both("ALTER TABLE", "if_not_exists added_partitions"),
        ast.AlterTableAddColumns: StatementClauses(
            "ALTER TABLE", "if_not_exists table_elements", "table_elements"
        ),
        ast.AlterTableDropPartitions: StatementClauses(
            "ALTER TABLE", "if_exists drop_partition_list purge", "if_exists drop_partition_list"
        ),
        ast.AlterRename: _both("ALTER", "if_exists"),
        ast.AlterSet: StatementClauses(
            "ALTER",
            "if_exists retention comment_opt lifecycle",
            "if_exists retention comment_opt object_option",
        ),
        ast.AlterTags: _both("ALTER", "if_exists"),
        ast.CreateFunction: _both(
            "CREATE FUNCTION",
            "or_replace secure temporary if_not_exists returns_not_null returns_table language"
            " comment_opt copy_grants routine_body",
            _SF,
        ),
        ast.DropFunction: _both("DROP FUNCTION", "if_exists"),
        ast.DescribeFunction: _both("DESCRIBE FUNCTION", ""),
        ast.Call: _both("CALL", "plain_args named_args"),
        ast.Unsupported: _both("statement", "or_replace temporary terse"),
        ast.CreateTag: _both(
            "CREATE TAG", "or_replace if_not_exists allowed_values comment_opt", _SF
        ),
        ast.AlterTableTouch: StatementClauses("ALTER TABLE", "partition_list", ""),
        ast.AlterTableChangeColumn: StatementClauses("ALTER TABLE", "comment_opt", ""),
        ast.AlterTable: _both("ALTER TABLE", "if_exists"),
        ast.TruncateTable: StatementClauses(
            "TRUNCATE", maxcompute="if_exists partition_list", snowflake="if_exists"
        ),
        ast.Describe: StatementClauses("DESCRIBE", "extended partition_spec", None),
        ast.DescribeObject: _both("DESCRIBE", ""),
        ast.ShowTables: StatementClauses("SHOW TABLES", "show_like in_name from_name", None),
        # FROM is MaxCompute's spelling of IN, in SHOW TABLES only.
        # IN TABLE|VIEW (SHOW COLUMNS) and LIMIT … FROM 'name' are Snowflake's.
        ast.ShowObjects: StatementClauses(
            "SHOW",
            maxcompute="terse history show_like in_name in_account in_database in_schema"
            " starts_with show_limit",
            snowflake="terse history show_like in_name in_account in_database in_schema"
            " in_table in_view starts_with show_limit show_limit_from",
        ),
        ast.ShowPartitions: _both("SHOW PARTITIONS", ""),
        ast.MultiInsert: _both("INSERT", ""),  # MaxCompute's: refused in Snowflake by the engine
        ast.ShowCreateTable: _both(
            "SHOW CREATE TABLE", ""
        ),  # MaxCompute's: refused in Snowflake by the engine
        ast.AlterMergeSmallfiles: _both(
            "ALTER TABLE", ""
        ),  # MaxCompute's: refused in Snowflake by the engine
        ast.AlterRenamePartition: _both(
            "ALTER TABLE", ""
        ),  # MaxCompute's: refused in Snowflake by the engine
        ast.ReadTable: _both(
            "READ", "column_list read_rows"
        ),  # MaxCompute's: refused in Snowflake by the engine
        ast.DescribeRole: _both(
            "DESCRIBE ROLE", ""
        ),  # MaxCompute's: refused in Snowflake by the engine
        ast.ShowAcl: _both("SHOW ACL", ""),  # MaxCompute's: refused in Snowflake by the engine
        ast.AlterChangeOwner: _both(
            "ALTER", ""
        ),  # MaxCompute's: refused in Snowflake by the engine
        ast.AnalyzeTable: _both("ANALYZE", ""),  # these five are MaxCompute's (grammar/ast/odps.py)
        ast.StatisticChange: _both("STATISTIC", ""),
        ast.ShowStatistic: _both("SHOW STATISTIC", ""),
        ast.AlterLifecycleSwitch: _both("ALTER TABLE", ""),
        ast.ListProjectObjects: _both("LIST", ""),
        ast.CloneTable: _both("CLONE TABLE", "partition_list clone_if_exists"),
        # -------------------------------------------------------------- rows
        ast.Insert: StatementClauses(
            "INSERT",
            maxcompute="overwrite insert_partition column_list",
            snowflake="overwrite column_list",
        ),
        ast.Update: _both("UPDATE", "alias assignments from_clause where_clause"),
        ast.Delete: _both("DELETE", "alias using_clause where_clause"),
        # -------------------------------------------------------------- users, roles, privileges
        ast.AddUser: _both("ADD USER", "comment_opt"),
        ast.RemoveUser: _both("REMOVE USER", ""),
        ast.CreateRole: StatementClauses(
            "CREATE ROLE",
            maxcompute="if_not_exists",
            snowflake="or_replace if_not_exists comment_opt",
            exclusive_replace=_SF,
        ),
        ast.CreateUser: _both(
            "CREATE USER", "or_replace if_not_exists default_role user_property", _SF
        ),
        # MaxCompute grants several roles to one principal; Snowflake one role at a time.
        ast.GrantRoles: StatementClauses("GRANT", "", None),
        ast.RevokeRoles: StatementClauses("REVOKE", "", None),
        ast.GrantRoleTo: _both("GRANT ROLE", "user_grantee role_grantee"),
        # MaxCompute grants actions on a project, a table or a role to a user or role; Snowflake
        # privileges on any object, ON ACCOUNT and ON ALL|FUTURE ... IN ..., to a role.
        ast.GrantPrivileges: StatementClauses(
            "GRANT", f"{_PRIVILEGE_TARGETS}{_COLUMN_TARGET} user_grantee role_grantee", None
        ),
        ast.RevokePrivileges: StatementClauses(
            "REVOKE", f"{_PRIVILEGE_TARGETS}{_COLUMN_TARGET} user_grantee role_grantee", None
        ),
        ast.GrantToRole: StatementClauses(
            "GRANT",
            maxcompute=None,
            snowflake=f"{_PRIVILEGE_TARGETS} account_object bulk_object role_grantee"
            " with_grant_option grant_option_for drop_behavior",
        ),
        # An account has no owner role.
        ast.GrantOwnership: StatementClauses(
            "GRANT OWNERSHIP",
            maxcompute=None,
            snowflake=f"{_PRIVILEGE_TARGETS} bulk_object role_grantee current_grants",
        ),
        ast.ShowGrants: StatementClauses(
            "SHOW GRANTS",
            maxcompute="grants_for_user grants_for_role",
            snowflake="grants_on grants_to grants_of",
        ),
        ast.ListUsers: _both("LIST USERS", ""),
        ast.ListRoles: _both("LIST ROLES", ""),
        # -------------------------------------------------------------- loading pipelines
        ast.DescribePipeline: _both("DESCRIBE", ""),
        ast.CreateSequence: _both(
            "CREATE SEQUENCE",
            "or_replace if_not_exists sequence_start sequence_increment sequence_order comment_opt",
            _SF,
        ),
        ast.DescribeSequence: _both("DESCRIBE SEQUENCE", ""),
        ast.CreateStage: _both(
            "CREATE STAGE",
            "or_replace temporary if_not_exists object_option comment_opt clone_source",
            _BOTH,
        ),
        ast.CreatePipe: _both(
            "CREATE PIPE", "or_replace if_not_exists object_option comment_opt", _BOTH
        ),
        ast.CreateStream: _both(
            "CREATE STREAM",
            "or_replace if_not_exists stream_on object_option comment_opt copy_grants clone_source",
            _BOTH,
        ),
        ast.CreateTask: _both(
            "CREATE TASK",
            "or_replace if_not_exists object_option comment_opt task_after task_when task_body"
            " clone_source",
            _BOTH,
        ),
        ast.CopyInto: _both("COPY INTO", "column_list object_option"),
        ast.PutFile: _both("PUT", "object_option"),
        ast.ListStage: _both("LIST", "object_option"),
        ast.RemoveStage: _both("REMOVE", "object_option"),
        ast.AlterPipe: _both("ALTER PIPE", "if_exists refresh set_options unset_options"),
        ast.AlterTask: _both(
            "ALTER TASK",
            "if_exists resume suspend set_options unset_options modify_as modify_when"
            " remove_when add_after remove_after",
        ),
        ast.ExecuteTask: _both("EXECUTE TASK", ""),
        ast.Merge: _both("MERGE", "alias"),
        # -------------------------------------------------------------- views
        ast.CreateView: StatementClauses(
            "CREATE VIEW",
            maxcompute="or_replace if_not_exists view_columns comment_opt view_query",
            snowflake="or_replace secure temporary if_not_exists view_columns copy_grants"
            " comment_opt view_query materialized object_option tag_clause table_policy",
            exclusive_replace=_SF,
        ),
    }
)


@record(frozen=True, slots=True)
class StatementRules:
    """What one dialect accepts in one kind of statement."""

    title: str
    clauses: frozenset[str]
    exclusive_replace: bool


@record(frozen=True, slots=True)
class GrammarDialect:
    """One dialect's reading of the grammar: its clause table column and its lexical facts."""

    name: DialectName
    title: str  # as error messages name it
    # A lone "..." in an expression: a string literal (MaxCompute) or a quoted identifier.
    double_quoted: Lit["string", "identifier"]
    # The schema `db..t` names (Snowflake: PUBLIC); None where that form is refused.
    default_schema: str | None
    statements: Mapping[type[ast.Statement], StatementRules]


def _column(name: DialectName) -> Mapping[type[ast.Statement], StatementRules]:
    rules: dict[type[ast.Statement], StatementRules] = {}
    for cls, row in STATEMENTS.items():
        clauses: str | None = getattr(row, name)
        if clauses is not None:
            rules[cls] = StatementRules(
                row.title, frozenset(clauses.split()), name in row.exclusive_replace
            )
    return MappingProxyType(rules)


MAXCOMPUTE = GrammarDialect(
    name="maxcompute",
    title="MaxCompute",
    double_quoted="string",
    default_schema=None,
    statements=_column("maxcompute"),
)
SNOWFLAKE = GrammarDialect(
    name="snowflake",
    title="Snowflake",
    double_quoted="identifier",
    default_schema="PUBLIC",
    statements=_column("snowflake"),
)
DIALECTS: Mapping[str, GrammarDialect] = MappingProxyType(
    {d.name: d for d in (MAXCOMPUTE, SNOWFLAKE)}
)
"""Every dialect, by the name parse() takes."""
