"""Tables, schemas and databases: CREATE, DROP, UNDROP, ALTER, TRUNCATE, DESCRIBE, SHOW,
partitions and clones."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Literal as Lit

from cloneshell.grammar.ast.base import Node, Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName, TypeName
    from cloneshell.grammar.ast.expressions import Expr, Literal, OrderItem
    from cloneshell.grammar.ast.pipelines import ObjectOption
    from cloneshell.grammar.ast.queries import Query, TimeTravel
    from cloneshell.grammar.ast.tags import Policy, TagAssignment


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
class TableConstraint(Node):
    """Snowflake's `[CONSTRAINT c] PRIMARY KEY | UNIQUE | FOREIGN KEY … REFERENCES t [(cols)]`,
    inline on a column (its `columns` then filled with that column) or out of line."""

    kind: Lit["PRIMARY KEY", "UNIQUE", "FOREIGN KEY"]
    columns: tuple[Ident, ...] = ()
    name: Ident | None = None
    references: QualifiedName | None = None
    ref_columns: tuple[Ident, ...] = ()
    rely: bool = False


@node
class Identity(Node):
    """Snowflake's `AUTOINCREMENT | IDENTITY [(start, step) | START n INCREMENT n]`."""

    start: int = 1
    step: int = 1


@node
class ColumnDef(Node):
    """A column in CREATE TABLE or PARTITIONED BY."""

    name: Ident
    type: TypeName
    comment: str | None = None
    not_null: bool = False
    default: Expr | None = None
    constraints: tuple[TableConstraint, ...] = ()
    identity: Identity | None = None
    # Snowflake's TAG (…), COLLATE 'spec' and MASKING | PROJECTION POLICY (refused by name).
    tags: tuple[TagAssignment, ...] = ()
    collation: str | None = None
    policies: tuple[Policy, ...] = ()


@node
class ClusterSpec(Node):
    """`CLUSTERED BY (..) [SORTED BY (..)] INTO n BUCKETS` or `RANGE CLUSTERED BY (..) ...`."""

    kind: Lit["hash", "range"]
    columns: tuple[Ident, ...]
    sorted_by: tuple[OrderItem, ...] = ()
    buckets: int | None = None


@node
class CloneSource(Node):
    """`CLONE src [AT|BEFORE (...)] [IGNORE TABLES WITH INSUFFICIENT DATA RETENTION]
    [INCLUDE INTERNAL STAGES]`."""

    source: QualifiedName
    time_travel: TimeTravel | None = None
    ignore_insufficient_retention: bool = False
    include_internal_stages: bool = False


@node
class CreateTable(Statement):
    """`CREATE TABLE` in all its forms, with both dialects' clauses: MaxCompute's `[OR REPLACE]
    [EXTERNAL] TABLE [IF NOT EXISTS] t (cols) | LIKE src | AS query [COMMENT 'c'] [PARTITIONED BY
    (..)] [CLUSTERED BY ..] [STORED BY ..] [LOCATION ..] [TBLPROPERTIES (..)] [LIFECYCLE n]`, and
    Snowflake's `[OR REPLACE] [TRANSIENT|TEMPORARY] TABLE [IF NOT EXISTS] t ( (col type [NOT NULL]
    [DEFAULT e] [COMMENT '...'], ...) | LIKE src | CLONE src [AT|BEFORE] | AS query ) [CLUSTER BY
    (e, ...)] [DATA_RETENTION_TIME_IN_DAYS = n] [COMMENT = '...'] [COPY GRANTS]`. Which clauses
    each dialect accepts is grammar/dialects.py's; the fields of the others keep their defaults."""

    name: QualifiedName
    columns: tuple[ColumnDef, ...] = ()
    or_replace: bool = False
    if_not_exists: bool = False
    external: bool = False
    transient: bool = False
    temporary: bool = False
    comment: str | None = None
    partitioned_by: tuple[ColumnDef, ...] = ()
    clustered: ClusterSpec | None = None
    cluster_by: tuple[Expr, ...] = ()
    tblproperties: tuple[tuple[str, str], ...] = ()
    lifecycle: int | None = None
    retention_days: int | None = None
    copy_grants: bool = False
    like: QualifiedName | None = None
    clone: CloneSource | None = None
    constraints: tuple[TableConstraint, ...] = ()
    as_query: Query | None = None
    location: str | None = None
    stored_by: str | None = None
    # Snowflake's other `KEY = value` properties (CHANGE_TRACKING, …), TAG (…) and policies.
    options: tuple[ObjectOption, ...] = ()
    tags: tuple[TagAssignment, ...] = ()
    policies: tuple[Policy, ...] = ()
    # Hive's storage clauses: `STORED AS f` (the format's name, or `INPUTFORMAT 'c' OUTPUTFORMAT
    # 'c'`), `ROW FORMAT …` as written after FORMAT, `WITH SERDEPROPERTIES (…)`.
    stored_as: str | None = None
    row_format: str | None = None
    serde_properties: tuple[tuple[str, str], ...] = ()


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
class DropTable(Statement):
    """`DROP TABLE [IF EXISTS] t`."""

    name: QualifiedName
    if_exists: bool = False


ObjectKind = Lit[
    "TABLE",
    "SCHEMA",
    "DATABASE",
    "ROLE",
    "USER",
    "VIEW",
    "STAGE",
    "PIPE",
    "STREAM",
    "TASK",
    "SEQUENCE",
    "TAG",
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

    kind: Lit["TABLE", "SCHEMA", "DATABASE", "VIEW"]
    name: QualifiedName


@node
class AlterTableAddPartitions(Statement):
    """`ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (..) [PARTITION (..) ...]`."""

    table: QualifiedName
    partitions: tuple[PartitionSpec, ...]
    if_not_exists: bool = False


@node
class AlterTableAddColumns(Statement):
    """MaxCompute `ALTER TABLE t ADD COLUMNS [IF NOT EXISTS] (col type [COMMENT 'c'], ...)`:
    new columns after the existing ones, NULL in every row already written."""

    table: QualifiedName
    columns: tuple[ColumnDef, ...]
    if_not_exists: bool = False


@node
class AlterTableChangeColumn(Statement):
    """MaxCompute `ALTER TABLE t CHANGE [COLUMN] old new type [COMMENT 'c']` (rename, with the
    column's type restated), `… CHANGE [COLUMN] old RENAME TO new` or `ALTER TABLE t CHANGE
    [COLUMN] col COMMENT 'c'`."""

    table: QualifiedName
    column: Ident
    new_name: Ident | None = None
    type: TypeName | None = None
    comment: str | None = None


@node
class AlterTableTouch(Statement):
    """MaxCompute `ALTER TABLE t TOUCH [PARTITION (..), ...]`: sets the table's (or the
    partitions') LastModifiedTime to now, changing no data."""

    table: QualifiedName
    partitions: tuple[PartitionSpec, ...] = ()


@node
class AlterTableDropPartitions(Statement):
    """`ALTER TABLE t DROP [IF EXISTS] PARTITION (..)[, PARTITION (..) ...] [PURGE]`; a
    PARTITION (…) that is not a spec is a filter condition (`filters`)."""

    table: QualifiedName
    partitions: tuple[PartitionSpec, ...]
    if_exists: bool = False
    filters: tuple[Expr, ...] = ()
    purge: bool = False


@node
class AlterRename(Statement):
    """`ALTER TABLE|SCHEMA|DATABASE [IF EXISTS] name RENAME TO new_name`."""

    kind: Lit["TABLE", "SCHEMA", "DATABASE", "VIEW"]
    name: QualifiedName
    new_name: QualifiedName
    if_exists: bool = False


@node
class AlterSet(Statement):
    """`ALTER TABLE|SCHEMA|DATABASE [IF EXISTS] name SET|UNSET prop [= value] ...` for
    DATA_RETENTION_TIME_IN_DAYS and COMMENT. `unset` lists properties named by UNSET (upper
    case)."""

    kind: Lit["TABLE", "SCHEMA", "DATABASE", "VIEW"]
    name: QualifiedName
    if_exists: bool = False
    retention_days: int | None = None
    comment: str | None = None
    unset: tuple[str, ...] = ()
    lifecycle: int | None = None  # MaxCompute `SET LIFECYCLE n`
    options: tuple[ObjectOption, ...] = ()  # Snowflake's other properties (CHANGE_TRACKING …)


@node
class TruncateTable(Statement):
    """`TRUNCATE [TABLE] [IF EXISTS] t [PARTITION (..)[, PARTITION (..)]]` (IF EXISTS and the
    optional TABLE are Snowflake's; PARTITION is MaxCompute's)."""

    table: QualifiedName
    partitions: tuple[PartitionSpec, ...] = ()
    if_exists: bool = False


@node
class Describe(Statement):
    """`DESC|DESCRIBE [EXTENDED] t [PARTITION (..)]`."""

    name: QualifiedName
    extended: bool = False
    partition: PartitionSpec | None = None


@node
class DescribeObject(Statement):
    """Snowflake `DESC|DESCRIBE TABLE|SCHEMA|DATABASE name`."""

    kind: Lit["TABLE", "SCHEMA", "DATABASE", "VIEW"]
    name: QualifiedName


@node
class ShowTables(Statement):
    """`SHOW TABLES [IN|FROM project] [LIKE 'pat']`."""

    in_: QualifiedName | None = None
    like: str | None = None


@node
class ShowObjects(Statement):
    """`SHOW [TERSE] TABLES|SCHEMAS|DATABASES|ROLES|USERS|OBJECTS|COLUMNS… [HISTORY] [LIKE 'p']
    [IN ACCOUNT | IN DATABASE [d] | IN SCHEMA [s] | IN TABLE t | IN VIEW v | IN name]
    [STARTS WITH 's'] [LIMIT n [FROM 'name']]` (IN TABLE|VIEW: SHOW COLUMNS only)."""

    kind: Lit[
        "TABLES",
        "SCHEMAS",
        "DATABASES",
        "ROLES",
        "USERS",
        "STAGES",
        "PIPES",
        "STREAMS",
        "TASKS",
        "VIEWS",
        "OBJECTS",
        "COLUMNS",
        "PRIMARY",  # PRIMARY KEYS
        "UNIQUE",  # UNIQUE KEYS
        "IMPORTED",  # IMPORTED KEYS
        "SEQUENCES",
        "TAGS",
        "FUNCTIONS",
        "USER FUNCTIONS",
        "PROCEDURES",
        "USER PROCEDURES",
    ]
    terse: bool = False
    history: bool = False
    like: str | None = None
    in_kind: Lit["ACCOUNT", "DATABASE", "SCHEMA", "TABLE", "VIEW"] | None = None
    in_name: QualifiedName | None = None
    starts_with: str | None = None
    limit: int | None = None
    # `LIMIT n FROM 'name'`: only names after 'name' (Snowflake's pagination, used by dbt).
    limit_from: str | None = None


@node
class ShowPartitions(Statement):
    """`SHOW PARTITIONS t [PARTITION (..)]`."""

    table: QualifiedName
    partition: PartitionSpec | None = None


@node
class CloneTable(Statement):
    """`CLONE TABLE src [PARTITION (..), ...] TO dst [IF EXISTS OVERWRITE|IGNORE]`."""

    source: QualifiedName
    target: QualifiedName
    partitions: tuple[PartitionSpec, ...] = ()
    if_exists: Lit["OVERWRITE", "IGNORE"] | None = None


@node
class CreateSequence(Statement):
    """Snowflake `CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] s [START [WITH] n]
    [INCREMENT [BY] n] [ORDER | NOORDER] [COMMENT = 'c']`."""

    name: QualifiedName
    or_replace: bool = False
    if_not_exists: bool = False
    start: int = 1
    increment: int = 1
    comment: str | None = None


@node
class DescribeSequence(Statement):
    """Snowflake `DESC|DESCRIBE SEQUENCE s`."""

    name: QualifiedName
