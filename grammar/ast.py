"""Typed AST: one frozen, slotted, keyword-only dataclass per statement and expression kind,
each with a Span.

No Lark object ever appears here. Identifiers keep the text as written plus whether they were
quoted; case folding is the engine's dialect's job (MaxCompute lower, Snowflake upper).

Every class is declared with `@node` (grammar/records.py), which gives what
`@dataclass(frozen=True, slots=True, kw_only=True)` gives for a fraction of the cost: with
`dataclass`, importing this module was most of the start-up time of `cloneshell -e` (about 75 ms
for 92 classes).
"""

from __future__ import annotations

from dataclasses import field
from typing import Literal as Lit

from cloneshell.grammar.errors import Span as Span
from cloneshell.grammar.records import node

NO_SPAN = Span(0, 0, 1, 1, 1, 1)


@node
class Node:
    """Base of every AST node."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# ----------------------------------------------------------------------------- names


@node
class Ident(Node):
    """One identifier. `name` is the text without quotes (escapes resolved)."""

    name: str
    quoted: bool = False


@node
class QualifiedName(Node):
    """`a`, `a.b` or `a.b.c`."""

    parts: tuple[Ident, ...]


@node
class Principal(Node):
    """A user or role name as MaxCompute/Snowflake write it: `ALIYUN$x@y`, `RAM$a:u`, `bob`.

    `name` is the text without back-quotes.
    """

    name: str
    quoted: bool = False


# ----------------------------------------------------------------------------- types


@node
class TypeName(Node):
    """A column type. `name` is lower case (`bigint`, `decimal`, `array`, `number` ...).

    `params` holds integer parameters (`decimal(10,2)` -> (10, 2)); `args` holds element types
    (`array<int>` -> (int,), `map<string,bigint>` -> (string, bigint)); `fields` holds struct
    fields in order.
    """

    name: str
    params: tuple[int, ...] = ()
    args: tuple[TypeName, ...] = ()
    fields: tuple[tuple[str, TypeName], ...] = ()


# ----------------------------------------------------------------------------- expressions


@node
class Expr(Node):
    """Base of expressions."""


LiteralKind = Lit[
    "string",
    "integer",
    "decimal",  # 1.5, 3.5BD
    "float",  # 1e3, 3.14D, 3.14F
    "boolean",
    "null",
    "date",  # DATE '2024-01-01'
    "datetime",  # DATETIME '2024-01-01 00:00:00'
    "timestamp",  # TIMESTAMP '...'
    "binary",  # X'616263'
]


@node
class Literal(Expr):
    """A constant. `value` is the Python value (str for string/date/datetime/timestamp/decimal
    text, int, float, bool, bytes, or None). `text` is the source text."""

    value: object
    kind: LiteralKind
    text: str = ""


@node
class ColumnRef(Expr):
    """`c`, `t.c`, `p.t.c` (parts as written)."""

    parts: tuple[Ident, ...]


@node
class Star(Expr):
    """`*` or `t.*`."""

    qualifier: QualifiedName | None = None


@node
class UnaryOp(Expr):
    """`-x`, `+x`, `NOT x`, `~x`. op is upper case: '-', '+', 'NOT', '~'."""

    op: str
    operand: Expr


@node
class BinaryOp(Expr):
    """Arithmetic, comparison, logic, concatenation.

    op is one of: '+', '-', '*', '/', '%', 'DIV', '||', '&', '|', '^',
    '=', '==', '<>', '!=', '<', '<=', '>', '>=', '<=>', 'AND', 'OR'.
    """

    op: str
    left: Expr
    right: Expr


@node
class OrderItem(Node):
    """One ORDER BY / SORTED BY element."""

    expr: Expr
    desc: bool = False
    nulls: Lit["FIRST", "LAST"] | None = None


@node
class WindowFrame(Node):
    """`ROWS|RANGE BETWEEN <start> AND <end>`; bounds as upper-case text such as
    'UNBOUNDED PRECEDING', 'CURRENT ROW', '3 PRECEDING', '1 FOLLOWING'."""

    unit: Lit["ROWS", "RANGE"]
    start: str
    end: str | None = None


@node
class WindowSpec(Node):
    """`OVER (PARTITION BY ... ORDER BY ... frame)`."""

    partition_by: tuple[Expr, ...] = ()
    order_by: tuple[OrderItem, ...] = ()
    frame: WindowFrame | None = None


@node
class FuncCall(Expr):
    """A function call. `name` is the (possibly qualified) function name as written.

    `star` is True for `COUNT(*)`; `distinct` for `COUNT(DISTINCT x)`; `over` for window
    functions.
    """

    name: QualifiedName
    args: tuple[Expr, ...] = ()
    distinct: bool = False
    star: bool = False
    over: WindowSpec | None = None


@node
class Case(Expr):
    """`CASE [operand] WHEN a THEN b ... [ELSE c] END`."""

    operand: Expr | None
    whens: tuple[tuple[Expr, Expr], ...]
    else_: Expr | None = None


@node
class Cast(Expr):
    """`CAST(x AS type)`, also `x::type`."""

    expr: Expr
    type: TypeName


@node
class InList(Expr):
    """`x [NOT] IN (a, b, ...)`."""

    expr: Expr
    items: tuple[Expr, ...]
    negated: bool = False


@node
class InSubquery(Expr):
    """`x [NOT] IN (SELECT ...)`."""

    expr: Expr
    query: Query
    negated: bool = False


@node
class Between(Expr):
    """`x [NOT] BETWEEN a AND b`."""

    expr: Expr
    low: Expr
    high: Expr
    negated: bool = False


@node
class Like(Expr):
    """`x [NOT] LIKE|ILIKE|RLIKE|REGEXP p`."""

    expr: Expr
    pattern: Expr
    op: Lit["LIKE", "ILIKE", "RLIKE"] = "LIKE"
    negated: bool = False


@node
class IsNull(Expr):
    """`x IS [NOT] NULL`."""

    expr: Expr
    negated: bool = False


@node
class Exists(Expr):
    """`[NOT] EXISTS (SELECT ...)`."""

    query: Query
    negated: bool = False


@node
class ScalarSubquery(Expr):
    """`(SELECT ...)` used as a value."""

    query: Query


@node
class IntervalLit(Expr):
    """`INTERVAL 'n' DAY` / `INTERVAL n DAY` (unit upper case)."""

    value: Expr
    unit: str


# ----------------------------------------------------------------------------- queries


@node
class TimeTravel(Node):
    """Snowflake `AT|BEFORE (TIMESTAMP => e | OFFSET => e | STATEMENT => 'id')`."""

    kind: Lit["AT", "BEFORE"]
    by: Lit["TIMESTAMP", "OFFSET", "STATEMENT"]
    expr: Expr


@node
class FromItem(Node):
    """Base of FROM-clause items."""


@node
class TableRef(FromItem):
    """A named table (or CTE) in FROM, with optional alias and time travel clause."""

    name: QualifiedName
    alias: Ident | None = None
    time_travel: TimeTravel | None = None


@node
class SubqueryRef(FromItem):
    """`(SELECT ...) [AS] alias`."""

    query: Query
    alias: Ident | None = None


@node
class TableFunctionRef(FromItem):
    """`TABLE(f(args))` or `f(args)` in FROM (e.g. Snowflake's TASK_HISTORY())."""

    func: FuncCall
    alias: Ident | None = None


JoinKind = Lit["INNER", "LEFT", "RIGHT", "FULL", "CROSS", "LEFT SEMI", "LEFT ANTI"]


@node
class Join(FromItem):
    """`left <kind> JOIN right [ON cond | USING (cols)]`. Comma joins are CROSS."""

    left: FromItem
    right: FromItem
    kind: JoinKind = "INNER"
    on: Expr | None = None
    using: tuple[Ident, ...] = ()


@node
class SelectItem(Node):
    """One item of a SELECT list."""

    expr: Expr
    alias: Ident | None = None


@node
class Select(Node):
    """One SELECT block (no ORDER BY/LIMIT: those belong to Query)."""

    items: tuple[SelectItem, ...]
    distinct: bool = False
    from_: FromItem | None = None
    where: Expr | None = None
    group_by: tuple[Expr, ...] = ()
    having: Expr | None = None
    qualify: Expr | None = None


@node
class SetOp(Node):
    """`left UNION [ALL] | INTERSECT | EXCEPT | MINUS right`."""

    op: Lit["UNION", "INTERSECT", "EXCEPT"]
    all: bool
    left: QueryBody
    right: QueryBody


@node
class Values(Node):
    """`VALUES (..), (..)` (INSERT source)."""

    rows: tuple[tuple[Expr, ...], ...]


@node
class Cte(Node):
    """`name [(cols)] AS (query)` inside WITH."""

    name: Ident
    query: Query
    columns: tuple[Ident, ...] = ()


@node
class Query(Node):
    """A full query: WITH + body + ORDER BY + LIMIT/OFFSET."""

    body: QueryBody
    with_: tuple[Cte, ...] = ()
    order_by: tuple[OrderItem, ...] = ()
    limit: Expr | None = None
    offset: Expr | None = None


QueryBody = Select | SetOp | Query


# ----------------------------------------------------------------------------- statements


@node
class Statement(Node):
    """Base of statements."""


@node
class QueryStmt(Statement):
    """A SELECT (or WITH ... SELECT) statement."""

    query: Query


@node
class PartitionItem(Node):
    """`col = value` inside PARTITION (...); value None for a dynamic partition column."""

    name: Ident
    value: Literal | None = None


@node
class PartitionSpec(Node):
    """`PARTITION (a = 1, b = 'x')`."""

    items: tuple[PartitionItem, ...]


@node
class ColumnDef(Node):
    """A column in CREATE TABLE or PARTITIONED BY."""

    name: Ident
    type: TypeName
    comment: str | None = None
    not_null: bool = False
    default: Expr | None = None


@node
class ClusterSpec(Node):
    """`CLUSTERED BY (..) [SORTED BY (..)] INTO n BUCKETS` or `RANGE CLUSTERED BY (..) ...`."""

    kind: Lit["hash", "range"]
    columns: tuple[Ident, ...]
    sorted_by: tuple[OrderItem, ...] = ()
    buckets: int | None = None


@node
class SetStmt(Statement):
    """MaxCompute `SET key=value` (value kept as raw text, stripped)."""

    key: str
    value: str


@node
class ShowFlags(Statement):
    """`SHOW FLAGS`."""


@node
class Use(Statement):
    """`USE project` (MaxCompute)."""

    name: Ident


@node
class CreateProject(Statement):
    """Emulator extension: `CREATE PROJECT name [OWNER p] [REGION 'id'] [COMMENT 'c']`."""

    name: Ident
    owner: Principal | None = None
    region: str | None = None
    comment: str | None = None
    if_not_exists: bool = False


@node
class DropProject(Statement):
    """Emulator extension: `DROP PROJECT [IF EXISTS] name`."""

    name: Ident
    if_exists: bool = False


@node
class ShowProjects(Statement):
    """Emulator extension: `SHOW PROJECTS`."""


@node
class CreateTable(Statement):
    """MaxCompute CREATE TABLE in all its forms (columns / LIKE / AS SELECT / EXTERNAL)."""

    name: QualifiedName
    columns: tuple[ColumnDef, ...] = ()
    if_not_exists: bool = False
    or_replace: bool = False
    external: bool = False
    comment: str | None = None
    partitioned_by: tuple[ColumnDef, ...] = ()
    clustered: ClusterSpec | None = None
    tblproperties: tuple[tuple[str, str], ...] = ()
    lifecycle: int | None = None
    like: QualifiedName | None = None
    as_query: Query | None = None
    location: str | None = None
    stored_by: str | None = None


@node
class DropTable(Statement):
    """`DROP TABLE [IF EXISTS] t`."""

    name: QualifiedName
    if_exists: bool = False


@node
class AlterTableAddPartitions(Statement):
    """`ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (..) [PARTITION (..) ...]`."""

    table: QualifiedName
    partitions: tuple[PartitionSpec, ...]
    if_not_exists: bool = False


@node
class AlterTableDropPartitions(Statement):
    """`ALTER TABLE t DROP [IF EXISTS] PARTITION (..)[, PARTITION (..) ...]`."""

    table: QualifiedName
    partitions: tuple[PartitionSpec, ...]
    if_exists: bool = False


@node
class TruncateTable(Statement):
    """`TRUNCATE [TABLE] [IF EXISTS] t [PARTITION (..)[, PARTITION (..)]]` (IF EXISTS and the
    optional TABLE are Snowflake's; PARTITION is MaxCompute's)."""

    table: QualifiedName
    partitions: tuple[PartitionSpec, ...] = ()
    if_exists: bool = False


@node
class Insert(Statement):
    """`INSERT INTO|OVERWRITE [TABLE] t [PARTITION (..)] [(cols)] VALUES ... | query`."""

    table: QualifiedName
    source: Query | Values
    overwrite: bool = False
    partition: PartitionSpec | None = None
    columns: tuple[Ident, ...] = ()


@node
class Describe(Statement):
    """`DESC|DESCRIBE [EXTENDED] t [PARTITION (..)]`."""

    name: QualifiedName
    extended: bool = False
    partition: PartitionSpec | None = None


@node
class ShowTables(Statement):
    """`SHOW TABLES [IN|FROM project] [LIKE 'pat']`."""

    in_: QualifiedName | None = None
    like: str | None = None


@node
class ShowPartitions(Statement):
    """`SHOW PARTITIONS t [PARTITION (..)]`."""

    table: QualifiedName
    partition: PartitionSpec | None = None


@node
class Whoami(Statement):
    """`WHOAMI`."""


@node
class CloneTable(Statement):
    """`CLONE TABLE src [PARTITION (..), ...] TO dst [IF EXISTS OVERWRITE|IGNORE]`."""

    source: QualifiedName
    target: QualifiedName
    partitions: tuple[PartitionSpec, ...] = ()
    if_exists: Lit["OVERWRITE", "IGNORE"] | None = None


@node
class AddUser(Statement):
    """`ADD USER principal [COMMENT 'c']`."""

    principal: Principal
    comment: str | None = None


@node
class RemoveUser(Statement):
    """`REMOVE USER principal`."""

    principal: Principal


@node
class CreateRole(Statement):
    """`CREATE ROLE r`."""

    name: Ident
    if_not_exists: bool = False


@node
class DropRole(Statement):
    """`DROP ROLE r`."""

    name: Ident
    if_exists: bool = False


@node
class GrantRoles(Statement):
    """`GRANT role[, role] TO [USER] principal`."""

    roles: tuple[Ident, ...]
    grantee: Principal


@node
class RevokeRoles(Statement):
    """`REVOKE role[, role] FROM [USER] principal`."""

    roles: tuple[Ident, ...]
    grantee: Principal


GranteeKind = Lit["USER", "ROLE"]


@node
class GrantPrivileges(Statement):
    """`GRANT action[, action] ON PROJECT|TABLE name TO USER|ROLE who`.

    `actions` are as written (e.g. 'CreateTable', 'Select'); `object_type` upper case.
    """

    actions: tuple[str, ...]
    object_type: str
    object_name: QualifiedName
    grantee_kind: GranteeKind
    grantee: Principal


@node
class RevokePrivileges(Statement):
    """`REVOKE action[, action] ON PROJECT|TABLE name FROM USER|ROLE who`."""

    actions: tuple[str, ...]
    object_type: str
    object_name: QualifiedName
    grantee_kind: GranteeKind
    grantee: Principal


@node
class ShowGrants(Statement):
    """`SHOW GRANTS [FOR [USER] principal | FOR ROLE r]`."""

    for_kind: GranteeKind | None = None
    for_name: Principal | None = None


@node
class ListUsers(Statement):
    """`LIST USERS`."""


@node
class ListRoles(Statement):
    """`LIST ROLES`."""


# ----------------------------------------------------------------------------- Snowflake


@node
class CloneSource(Node):
    """`CLONE src [AT|BEFORE (...)] [IGNORE TABLES WITH INSUFFICIENT DATA RETENTION]
    [INCLUDE INTERNAL STAGES]`."""

    source: QualifiedName
    time_travel: TimeTravel | None = None
    ignore_insufficient_retention: bool = False
    include_internal_stages: bool = False


@node
class CreateDatabase(Statement):
    """`CREATE [OR REPLACE] [TRANSIENT] DATABASE [IF NOT EXISTS] name [CLONE ...]
    [DATA_RETENTION_TIME_IN_DAYS = n] [COMMENT = '...']`."""

    name: Ident
    or_replace: bool = False
    if_not_exists: bool = False
    transient: bool = False
    retention_days: int | None = None
    comment: str | None = None
    clone: CloneSource | None = None


@node
class CreateSchema(Statement):
    """`CREATE [OR REPLACE] [TRANSIENT] SCHEMA [IF NOT EXISTS] [db.]name [CLONE ...]
    [WITH MANAGED ACCESS] [DATA_RETENTION_TIME_IN_DAYS = n] [COMMENT = '...']`."""

    name: QualifiedName
    or_replace: bool = False
    if_not_exists: bool = False
    transient: bool = False
    managed_access: bool = False
    retention_days: int | None = None
    comment: str | None = None
    clone: CloneSource | None = None


@node
class CreateSnowflakeTable(Statement):
    """Snowflake `CREATE [OR REPLACE] [TRANSIENT|TEMPORARY] TABLE [IF NOT EXISTS] name
    ( (col type [NOT NULL] [DEFAULT e] [COMMENT '...'], ...) | LIKE src | CLONE src [AT|BEFORE]
    [COPY GRANTS] | AS query ) [CLUSTER BY (e, ...)] [DATA_RETENTION_TIME_IN_DAYS = n]
    [COMMENT = '...'] [COPY GRANTS]`."""

    name: QualifiedName
    columns: tuple[ColumnDef, ...] = ()
    or_replace: bool = False
    if_not_exists: bool = False
    transient: bool = False
    temporary: bool = False
    cluster_by: tuple[Expr, ...] = ()
    retention_days: int | None = None
    comment: str | None = None
    copy_grants: bool = False
    like: QualifiedName | None = None
    clone: CloneSource | None = None
    as_query: Query | None = None


ObjectKind = Lit[
    "TABLE", "SCHEMA", "DATABASE", "ROLE", "USER", "VIEW", "STAGE", "PIPE", "STREAM", "TASK"
]


@node
class DropObject(Statement):
    """Snowflake `DROP DATABASE|SCHEMA|TABLE|ROLE|USER|STAGE|PIPE|STREAM|TASK [IF EXISTS] name
    [CASCADE|RESTRICT]`
    (MaxCompute's DROP TABLE stays DropTable)."""

    kind: ObjectKind
    name: QualifiedName
    if_exists: bool = False
    cascade: bool | None = None


@node
class Undrop(Statement):
    """`UNDROP TABLE|SCHEMA|DATABASE name`."""

    kind: Lit["TABLE", "SCHEMA", "DATABASE"]
    name: QualifiedName


@node
class AlterRename(Statement):
    """`ALTER TABLE|SCHEMA|DATABASE [IF EXISTS] name RENAME TO new_name`."""

    kind: Lit["TABLE", "SCHEMA", "DATABASE"]
    name: QualifiedName
    new_name: QualifiedName
    if_exists: bool = False


@node
class AlterSet(Statement):
    """`ALTER TABLE|SCHEMA|DATABASE [IF EXISTS] name SET|UNSET prop [= value] ...` for
    DATA_RETENTION_TIME_IN_DAYS and COMMENT. `unset` lists properties named by UNSET (upper
    case)."""

    kind: Lit["TABLE", "SCHEMA", "DATABASE"]
    name: QualifiedName
    if_exists: bool = False
    retention_days: int | None = None
    comment: str | None = None
    unset: tuple[str, ...] = ()


@node
class Assignment(Node):
    """`col = expr` in UPDATE ... SET."""

    column: Ident
    value: Expr


@node
class Update(Statement):
    """`UPDATE t [[AS] alias] SET c = e, ... [FROM items] [WHERE cond]`."""

    table: QualifiedName
    assignments: tuple[Assignment, ...]
    alias: Ident | None = None
    from_: FromItem | None = None
    where: Expr | None = None


@node
class Delete(Statement):
    """`DELETE FROM t [[AS] alias] [USING items] [WHERE cond]`."""

    table: QualifiedName
    alias: Ident | None = None
    using: FromItem | None = None
    where: Expr | None = None


@node
class UseObject(Statement):
    """`USE DATABASE d`, `USE SCHEMA [d.]s`, `USE ROLE r`, `USE WAREHOUSE w` (Snowflake)."""

    kind: Lit["DATABASE", "SCHEMA", "ROLE", "WAREHOUSE"]
    name: QualifiedName


@node
class AlterSession(Statement):
    """`ALTER SESSION SET k = v [k = v ...]` / `ALTER SESSION UNSET k` (values as text).

    Keys are upper case; a value is its text, a string without its quotes ('UTC' -> UTC,
    -1 -> -1, FALSE -> FALSE, snowflake -> snowflake).
    """

    settings: tuple[tuple[str, str], ...] = ()
    unset: tuple[str, ...] = ()


@node
class ShowObjects(Statement):
    """`SHOW [TERSE] TABLES|SCHEMAS|DATABASES|ROLES|USERS [HISTORY] [LIKE 'p']
    [IN ACCOUNT | IN DATABASE [d] | IN SCHEMA [s] | IN name] [STARTS WITH 's'] [LIMIT n]`."""

    kind: Lit[
        "TABLES", "SCHEMAS", "DATABASES", "ROLES", "USERS", "STAGES", "PIPES", "STREAMS", "TASKS"
    ]
    terse: bool = False
    history: bool = False
    like: str | None = None
    in_kind: Lit["ACCOUNT", "DATABASE", "SCHEMA"] | None = None
    in_name: QualifiedName | None = None
    starts_with: str | None = None
    limit: int | None = None


@node
class DescribeObject(Statement):
    """Snowflake `DESC|DESCRIBE TABLE|SCHEMA|DATABASE name`."""

    kind: Lit["TABLE", "SCHEMA", "DATABASE"]
    name: QualifiedName


@node
class GrantToRole(Statement):
    """Snowflake `GRANT priv[, ...] ON <object> TO ROLE r [WITH GRANT OPTION]` and
    `REVOKE [GRANT OPTION FOR] priv[, ...] ON <object> FROM ROLE r`.

    `privileges` upper case, multi-word ones joined by one space ('CREATE TABLE',
    'ALL PRIVILEGES'); `object_type` is 'DATABASE' | 'SCHEMA' | 'TABLE' | 'ALL TABLES IN SCHEMA'
    | 'FUTURE TABLES IN SCHEMA' | 'ALL SCHEMAS IN DATABASE' | 'WAREHOUSE' | 'ACCOUNT'
    (`object_name` None for ACCOUNT).
    """

    privileges: tuple[str, ...]
    object_type: str
    object_name: QualifiedName | None
    role: Ident
    revoke: bool = False
    grant_option: bool = False
    cascade: bool | None = None  # REVOKE ... CASCADE (True) | RESTRICT (False)


@node
class GrantRoleTo(Statement):
    """Snowflake `GRANT ROLE r TO USER u | ROLE r2` / `REVOKE ROLE r FROM USER u | ROLE r2`."""

    role: Ident
    grantee_kind: Lit["USER", "ROLE"]
    grantee: Principal
    revoke: bool = False


@node
class GrantOwnership(Statement):
    """`GRANT OWNERSHIP ON <object_type> name TO ROLE r [COPY|REVOKE CURRENT GRANTS]`."""

    object_type: str
    object_name: QualifiedName
    role: Ident
    current_grants: Lit["COPY", "REVOKE"] | None = None


@node
class ShowGrantsSnowflake(Statement):
    """`SHOW GRANTS [ON <type> name | ON ACCOUNT | TO ROLE r | TO USER u | OF ROLE r]`."""

    on_type: str | None = None
    on_name: QualifiedName | None = None
    to_kind: Lit["ROLE", "USER"] | None = None
    of_role: Ident | None = None
    name: Principal | None = None


@node
class CreateUser(Statement):
    """Snowflake `CREATE [OR REPLACE] USER [IF NOT EXISTS] u [DEFAULT_ROLE = r] ...`
    (identities are simulated: properties other than DEFAULT_ROLE are kept as text, as
    (KEY upper case, value) pairs like AlterSession.settings)."""

    name: Principal
    or_replace: bool = False
    if_not_exists: bool = False
    default_role: Ident | None = None
    properties: tuple[tuple[str, str], ...] = ()


@node
class CreateSnowflakeRole(Statement):
    """Snowflake `CREATE [OR REPLACE] ROLE [IF NOT EXISTS] r [COMMENT = '...']`."""

    name: Ident
    or_replace: bool = False
    if_not_exists: bool = False
    comment: str | None = None


# ----------------------------------------------------------------------------- Snowflake pipelines


@node
class NamedArg(Expr):
    """`name => value`, a named argument of a table function (TASK_HISTORY(RESULT_LIMIT => 5));
    `name` upper case."""

    name: str
    value: Expr


@node
class OptionValue(Node):
    """The value of a `KEY = value` property: a string, a number or a bare word (text as
    written, strings unquoted), TRUE/FALSE, a parenthesised list, or a group of options
    (`FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`)."""

    kind: Lit["string", "number", "word", "boolean", "list", "group"]
    text: str = ""
    items: tuple[OptionValue, ...] = ()
    options: tuple[ObjectOption, ...] = ()


@node
class ObjectOption(Node):
    """`KEY = value` (key upper case): stage, COPY, pipe, stream and task properties."""

    key: str
    value: OptionValue


@node
class StageRef(Node):
    """A stage location: `@[db.][schema.]stage[/path]` (NAMED), `@%table[/path]` (TABLE: the
    table's own stage), `@~[/path]` (USER), or a quoted URL such as 's3://bucket/dir/' (URL, in
    `url`). `path` is what follows the name, without the leading `/`."""

    kind: Lit["NAMED", "TABLE", "USER", "URL"]
    name: QualifiedName | None = None
    path: str = ""
    url: str = ""


@node
class CreateStage(Statement):
    """`CREATE [OR REPLACE] [TEMPORARY] STAGE [IF NOT EXISTS] s [URL = '…'] [FILE_FORMAT = (…)]
    [COMMENT = '…'] [CLONE src]` (other properties are kept in `options`)."""

    name: QualifiedName
    or_replace: bool = False
    if_not_exists: bool = False
    temporary: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None
    clone: CloneSource | None = None


@node
class CopyInto(Statement):
    """`COPY INTO t [(cols)] FROM @stage[/path] [FILES = (…)] [PATTERN = '…']
    [FILE_FORMAT = (…)] [ON_ERROR = …] [FORCE = TRUE] [PURGE = TRUE] …`."""

    table: QualifiedName
    source: StageRef
    columns: tuple[Ident, ...] = ()
    options: tuple[ObjectOption, ...] = ()


@node
class CreatePipe(Statement):
    """`CREATE [OR REPLACE] PIPE [IF NOT EXISTS] p [AUTO_INGEST = TRUE|FALSE] [COMMENT = '…']
    AS COPY INTO …`; `definition` is the COPY statement's text as written."""

    name: QualifiedName
    copy: CopyInto
    definition: str
    or_replace: bool = False
    if_not_exists: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None


@node
class CreateStream(Statement):
    """`CREATE [OR REPLACE] STREAM [IF NOT EXISTS] s [COPY GRANTS] ON TABLE t [AT|BEFORE (…)]
    [APPEND_ONLY = TRUE|FALSE] [COMMENT = '…']`, or `… STREAM s CLONE src`."""

    name: QualifiedName
    table: QualifiedName | None = None
    time_travel: TimeTravel | None = None
    or_replace: bool = False
    if_not_exists: bool = False
    copy_grants: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None
    clone: CloneSource | None = None


@node
class CreateTask(Statement):
    """`CREATE [OR REPLACE] TASK [IF NOT EXISTS] k [WAREHOUSE = w] [SCHEDULE = '…'] [… = …]
    [COMMENT = '…'] [AFTER k0, …] [WHEN cond] AS <statement>`, or `… TASK k CLONE src`.
    `body_text` is the statement's text as written."""

    name: QualifiedName
    body: Statement | None = None
    body_text: str = ""
    or_replace: bool = False
    if_not_exists: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None
    after: tuple[QualifiedName, ...] = ()
    when: Expr | None = None
    when_text: str = ""
    clone: CloneSource | None = None


@node
class PutFile(Statement):
    """`PUT file://<local path> @stage[/path] [AUTO_COMPRESS = …] [OVERWRITE = …] …`; `file` is
    the text after `file://` (a path, possibly with `*`/`?` wildcards)."""

    file: str
    stage: StageRef
    options: tuple[ObjectOption, ...] = ()


@node
class ListStage(Statement):
    """`LIST|LS @stage[/path] [PATTERN = '…']`."""

    stage: StageRef
    options: tuple[ObjectOption, ...] = ()


@node
class RemoveStage(Statement):
    """`REMOVE|RM @stage[/path] [PATTERN = '…']`."""

    stage: StageRef
    options: tuple[ObjectOption, ...] = ()


@node
class AlterPipe(Statement):
    """`ALTER PIPE [IF EXISTS] p REFRESH [PREFIX = '…'] [MODIFIED_AFTER = …]`, `… SET
    PIPE_EXECUTION_PAUSED = TRUE|FALSE [COMMENT = '…']`, `… UNSET name[, …]`."""

    name: QualifiedName
    action: Lit["REFRESH", "SET", "UNSET"]
    if_exists: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None
    unset: tuple[str, ...] = ()


TaskAction = Lit[
    "RESUME",
    "SUSPEND",
    "SET",
    "UNSET",
    "MODIFY AS",
    "MODIFY WHEN",
    "REMOVE WHEN",
    "ADD AFTER",
    "REMOVE AFTER",
]


@node
class AlterTask(Statement):
    """`ALTER TASK [IF EXISTS] k RESUME | SUSPEND | SET … | UNSET … | MODIFY AS <statement> |
    MODIFY WHEN <cond> | REMOVE WHEN | ADD AFTER k0, … | REMOVE AFTER k0, …`."""

    name: QualifiedName
    action: TaskAction
    if_exists: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None
    unset: tuple[str, ...] = ()
    body: Statement | None = None
    body_text: str = ""
    when: Expr | None = None
    when_text: str = ""
    after: tuple[QualifiedName, ...] = ()


@node
class ExecuteTask(Statement):
    """`EXECUTE TASK k`: one run now, whatever its schedule or state."""

    name: QualifiedName


PipelineKind = Lit["STAGE", "PIPE", "STREAM", "TASK"]


@node
class DescribePipeline(Statement):
    """`DESC|DESCRIBE STAGE|PIPE|STREAM|TASK name`."""

    kind: PipelineKind
    name: QualifiedName
