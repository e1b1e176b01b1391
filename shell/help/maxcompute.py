"""The MaxCompute dialect's `\\help`: syntax, one example and the rules of each statement, written
from the README's statement reference and the vendor facts in reference/maxcompute.md. Plain
data, bound into `BOOK` (shell/help/common.py)."""

from __future__ import annotations

from cloneshell.shell.help.common import HelpBook

SUMMARY = """\
Statements (end each with ; or with \\G to print rows vertically; \\help CLONE for details):
  USE project;                      SET key=value;          WHOAMI;
  SHOW TABLES [IN project];         SHOW PARTITIONS t;      DESC [EXTENDED] t [PARTITION (..)];
  CREATE TABLE … [PARTITIONED BY (..)] [LIFECYCLE n];       INSERT INTO|OVERWRITE TABLE t …;
  SELECT …;                         DROP TABLE [IF EXISTS] t;
  CREATE [OR REPLACE] VIEW v AS SELECT …; DROP VIEW v; SHOW VIEWS;  (\\help VIEW)
  ALTER TABLE t ADD|DROP PARTITION (..);                    TRUNCATE TABLE t;
  CLONE TABLE [p.]src [PARTITION (..)] TO [p.]dst [IF EXISTS OVERWRITE|IGNORE];
  CREATE PROJECT p; SHOW PROJECTS; DROP PROJECT p;          (emulator extensions)
  ADD USER …; REMOVE USER …; GRANT … ON PROJECT|TABLE … TO USER|ROLE …; REVOKE …;
  SHOW GRANTS [FOR …]; LIST USERS; LIST ROLES;
  ALTER SESSION SET DIALECT = snowflake;  (or \\dialect snowflake) for Snowflake's statements
  quit; / exit;                     leave the shell
"""

# Keyed by the statement's first word, upper case. Each entry: the syntax block, a blank line,
# then the rules a user trips over. Lines stay under 100 columns.
HELP: dict[str, str] = {
    "CLONE": """\
CLONE TABLE [project.]src [PARTITION (col = value, ...)[, PARTITION (...) ...]]
  TO [project.]dst [IF EXISTS OVERWRITE | IF EXISTS IGNORE];

Copies a table's data (all of it, or only the partitions named) into another table, in the same
or another project.
  - A new destination is created with CREATE TABLE LIKE semantics: columns, partition columns,
    comments and clustering are copied; lifecycle and grants are not. The cloner owns it. The
    copy is one transaction: no partition limit, all or nothing.
  - An existing destination must have the same columns, types and partition columns.
      IF EXISTS OVERWRITE  replaces the table, or only the partitions being cloned;
      IF EXISTS IGNORE     copies only the partitions the destination lacks (an existing
                           non-partitioned table is left alone);
      no clause            fails and changes nothing.
    At most 10,000 partitions go into an existing table per statement.
  - Refused: external tables, and projects in different regions.
  - Privileges: Select on the source table; CreateTable and CreateInstance on the destination
    project. Overwriting a table someone else owns also needs Update on it. Across Alibaba
    Cloud accounts only an account (not a RAM user) can clone, after the source project's
    owner has added it (ADD USER) and granted it Select.
  - With SET odps.namespace.schema=false, `a.b` means project.table.

Example:
  CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE;
""",
    "CREATE": """\
CREATE [OR REPLACE] [EXTERNAL] TABLE [IF NOT EXISTS] t (
    col type [NOT NULL] [DEFAULT value] [COMMENT '...'], ...)
  [COMMENT '...']
  [PARTITIONED BY (pcol type [COMMENT '...'], ...)]
  [CLUSTERED BY (col, ...) [SORTED BY (col [ASC|DESC], ...)] INTO n BUCKETS
   | RANGE CLUSTERED BY (col, ...) [SORTED BY (...)] [INTO n BUCKETS]]
  [STORED BY '...'] [LOCATION '...'] [TBLPROPERTIES ('k'='v', ...)] [LIFECYCLE days];
CREATE TABLE [IF NOT EXISTS] t LIKE src [LIFECYCLE days];
CREATE TABLE [IF NOT EXISTS] t [LIFECYCLE days] AS SELECT ...;
CREATE PROJECT name [OWNER principal] [REGION 'id'] [COMMENT '...'];   (emulator extension)
CREATE ROLE r;

  - Types: TINYINT SMALLINT INT BIGINT FLOAT DOUBLE DECIMAL[(p,s)] (bare DECIMAL is
    decimal(38,18)) VARCHAR(n) CHAR(n) STRING BINARY BOOLEAN DATE DATETIME TIMESTAMP
    ARRAY<t> MAP<k,v> STRUCT<name:t, ...>.
  - Names: letters, digits and _, starting with a letter; case-insensitive.
  - Without IF NOT EXISTS an existing table is an error; with it the existing table is kept,
    even if its columns differ. OR REPLACE drops the old table first.
  - Partition column types: TINYINT SMALLINT INT BIGINT CHAR VARCHAR STRING; at most 6 levels.
  - LIKE copies columns, partitions, comment and clustering, not the lifecycle.
  - Needs CreateTable on the project. CREATE PROJECT: the creator (or OWNER) owns it; the
    default region is cn-hangzhou.

Example:
  CREATE TABLE sales_data (id BIGINT, amount DECIMAL(10,2)) PARTITIONED BY (ds STRING);
""",
    "INSERT": """\
INSERT INTO [TABLE] t [PARTITION (pcol = value, ...)] [(col, ...)] VALUES (...), (...);
INSERT INTO [TABLE] t [PARTITION (...)] [(col, ...)] SELECT ...;
INSERT OVERWRITE TABLE t [PARTITION (...)] SELECT ... | VALUES ...;
INSERT {INTO|OVERWRITE} TABLE t PARTITION (pcol) SELECT ..., pcol_value;   -- dynamic

  - TABLE is required after OVERWRITE, optional after INTO. OVERWRITE takes no column list.
  - Columns match by position, not by name.
  - Static partitions: give every partition column a constant; the partition columns must not
    be in the SELECT list. Inserting into a missing partition creates it.
  - Dynamic partitions: PARTITION (ds) takes the value from the last SELECT column(s); a NULL
    or non-ASCII value is refused.
  - DATETIME and TIMESTAMP literals need their prefix: datetime'2024-01-15 10:00:00'.
  - OVERWRITE replaces the table's (or the partition's) rows: the shell asks first.
  - Needs Update (or Alter) on the table, Select on every table read, CreateInstance on the
    project.

Example:
  INSERT INTO TABLE sales_data PARTITION (ds = '20240115') VALUES (1, 299.00);
""",
    "SELECT": """\
[WITH name AS (SELECT ...), ...]
SELECT [DISTINCT] expr [AS alias], ...
  FROM t [alias] [[LEFT|RIGHT|FULL] [OUTER] | LEFT SEMI | LEFT ANTI | CROSS] JOIN ... ON ...
  [WHERE ...] [GROUP BY ...] [HAVING ...]
  [UNION [ALL] | INTERSECT | EXCEPT | MINUS SELECT ...]
  [ORDER BY expr [ASC|DESC], ...] [LIMIT n];

  - Expressions: CASE, CAST, IN, BETWEEN, LIKE/RLIKE, IS [NOT] NULL, EXISTS, subqueries,
    aggregates (COUNT(DISTINCT ...)), window functions (... OVER (PARTITION BY ... ORDER BY ...)).
  - MaxCompute functions are translated: GETDATE, DATEADD, DATEDIFF, DATETRUNC, DATEPART,
    TO_CHAR, TO_DATE, NVL, IF, CONCAT_WS, SUBSTR, WM_CONCAT, ...
  - ORDER BY needs LIMIT unless SET odps.sql.validate.orderby.limit=false.
  - Unnamed result columns are _c0, _c1, ...
  - Needs Select on every table read and CreateInstance on the current project.
  - End a query with \\G instead of ; to print its rows vertically.

Example:
  SELECT ds, SUM(amount) AS total FROM sales_data GROUP BY ds ORDER BY ds LIMIT 10;
""",
    "GRANT": """\
GRANT action[, action ...] ON PROJECT p TO USER principal | ROLE r;
GRANT action[, action ...] ON TABLE t TO USER principal | ROLE r;
GRANT role[, role ...] TO [USER] principal;
REVOKE ... FROM ...;   (the same forms)

  - Project actions: Read Write List CreateTable CreateInstance CreateFunction CreateResource
    CreateJob CreatePackage All.
  - Table actions: Describe Select Alter Update Drop ShowHistory Download All.
  - Built-in roles: super_administrator and admin (only the owner grants admin).
  - The grantee must have been added to the project (ADD USER) first.
  - Only the project owner, super_administrator or admin may grant.
  - SHOW GRANTS [FOR [USER] principal | FOR ROLE r] lists what is granted.

Example:
  GRANT Select ON TABLE sales_data TO USER RAM$alice@aliyun.com:bob;
""",
    "ADD": """\
ADD USER principal [COMMENT '...'];
REMOVE USER principal;

  - Principals: ALIYUN$account (an Alibaba Cloud account), RAM$account:user (a RAM user),
    `RAM$account:role/name` (a RAM role; the back-quotes are required).
  - A project admits only RAM users of its owner's account, and Alibaba Cloud accounts.
  - Only the owner, super_administrator or admin may add or remove users.
  - REMOVE USER needs the user's roles revoked first; it keeps their grants, which come back
    if the user is added again. The shell asks before REMOVE USER.
  - LIST USERS; shows the project's users.

Example:
  ADD USER ALIYUN$partner@aliyun.com;
""",
    "SET": """\
SET key=value;
SHOW FLAGS;

  - Flags last for the session; SHOW FLAGS lists them.
  - odps.namespace.schema=true|false: with true, `a.b` is schema.table and `a.b.c` is
    project.schema.table; with false (the default), `a.b` is project.table.
  - odps.sql.validate.orderby.limit=true|false (default true): ORDER BY needs LIMIT.
  - odps.sql.allow.fullscan, odps.sql.type.system.odps2, odps.sql.decimal.odps2,
    odps.sql.hive.compatible, odps.sql.timezone are accepted and kept.
  - This is the SQL SET; the shell's own settings use \\set (editing_mode, pager, ...).

Example:
  SET odps.namespace.schema=true;
""",
    "USE": """\
USE project;

  - Switches the current project: unqualified names resolve in it and queries run (and need
    CreateInstance) there. The prompt shows it: odps@ project>.
  - You must own the project or have been added to it (ADD USER).
  - Session flags (SET) are kept.

Example:
  USE project_reporting;
""",
    "DESC": """\
DESC|DESCRIBE [EXTENDED] [project.]t [PARTITION (pcol = value, ...)];

  - Prints odpscmd's box: owner, project, comment, create / DDL / modify times, lifecycle,
    size in bytes, then the native and partition columns.
  - EXTENDED adds Nullable, DefaultValue and an Extended Info section.
  - With PARTITION (...), the partition's size and times.
  - Needs Describe on the table.

Example:
  DESC EXTENDED sales_data PARTITION (ds = '20240115');
""",
    "SHOW": """\
SHOW TABLES [IN project] [LIKE 'prefix%'];
SHOW PARTITIONS t [PARTITION (pcol = value, ...)];
SHOW GRANTS [FOR [USER] principal | FOR ROLE r];
SHOW FLAGS;
SHOW PROJECTS;   (emulator extension)

  - SHOW TABLES prints owner:table lines; SHOW PARTITIONS prints a=1/b=x lines, as odpscmd.
  - SHOW TABLES and SHOW PARTITIONS need List on the project.

Example:
  SHOW PARTITIONS sales_data;
""",
    "VIEW": """\
CREATE [OR REPLACE] VIEW [IF NOT EXISTS] [project.]v [(col [COMMENT '...'], ...)]
  [COMMENT '...'] AS SELECT ...;
DROP VIEW [IF EXISTS] v;   ALTER VIEW v RENAME TO w;   SHOW VIEWS [IN project] [LIKE '...'];
DESC v;   (VirtualView: YES and the ViewText)

  - Creating a view needs CreateTable on the project and Select on what its query reads;
    reading one needs Select on the view only.
  - A view runs its query each time it is read, in the view's own project.
  - SHOW TABLES lists views with the tables. Views are read-only: INSERT, TRUNCATE or DROP TABLE
    on one fail (use DROP VIEW).

Example:
  CREATE VIEW IF NOT EXISTS big_sales AS SELECT * FROM sales_data WHERE amount > 100;
""",
    "DROP": """\
DROP TABLE [IF EXISTS] [project.]t;
DROP ROLE r;
DROP PROJECT name;   (emulator extension; only the owner)

  - Without IF EXISTS a missing table is an error.
  - Needs Drop on the table (owners hold it).
  - The shell asks `Confirm to "..." (yes/no)?` first (\\set confirm off to stop asking).

Example:
  DROP TABLE IF EXISTS sales_data_old;
""",
    "ALTER": """\
ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (spec) [PARTITION (spec) ...];
ALTER TABLE t DROP [IF EXISTS] PARTITION (spec)[, PARTITION (spec) ...];
ALTER TABLE t ADD COLUMNS [IF NOT EXISTS] (col type [COMMENT 'text'], ...);
ALTER TABLE t SET COMMENT 'text' | SET LIFECYCLE days;
ALTER TABLE t TOUCH [PARTITION (spec)[, PARTITION (spec) ...]];
ALTER TABLE t RENAME TO new_name;
ALTER TABLE t CHANGE [COLUMN] old new type [COMMENT 'text'];
ALTER TABLE t CHANGE [COLUMN] c COMMENT 'text';
ALTER SESSION SET DIALECT = snowflake | maxcompute;   (emulator extension)

  - Every partition column must be given, e.g. PARTITION (sale_date='2024-01-15', region='cn').
  - ADD takes several specs without commas; DROP separates them with commas.
  - Without IF NOT EXISTS adding an existing partition fails; without IF EXISTS dropping a
    missing one fails.
  - ADD COLUMNS appends columns after the existing ones; rows already written read NULL in
    them. IF NOT EXISTS skips a column that exists (else an error).
  - TOUCH sets LastModifiedTime (of the table and the partitions named) to now; no data changes.
  - LIFECYCLE is kept and shown by DESC; the reclaiming of old data is not emulated.
  - Needs Alter on the table. The shell asks before DROP PARTITION.

Example:
  ALTER TABLE sales_data ADD IF NOT EXISTS PARTITION (ds = '20240116');
""",
    "TRUNCATE": """\
TRUNCATE TABLE t [PARTITION (spec)[, PARTITION (spec) ...]];

  - Deletes every row of the table, or of the partitions named (the partitions remain).
  - Needs Update (or Alter) on the table. The shell asks first.

Example:
  TRUNCATE TABLE sales_data PARTITION (ds = '20240115');
""",
    "LIST": """\
LIST USERS;
LIST ROLES;

  - The project's users (principal names) and roles.

Example:
  LIST USERS;
""",
    "WHOAMI": """\
WHOAMI;

  - Name: the principal you act as; Project: the current project (\\whoami does the same
    without running a statement). \\login PRINCIPAL switches the principal.

Example:
  WHOAMI;
""",
}

# Words that name the same page.
ALIASES: dict[str, str] = {
    "DESCRIBE": "DESC",
    "REVOKE": "GRANT",
    "REMOVE": "ADD",
    "USER": "ADD",
    "USERS": "LIST",
    "ROLE": "GRANT",
    "ROLES": "LIST",
    "PARTITION": "ALTER",
    "PARTITIONS": "SHOW",
    "TABLE": "CREATE",
    "PROJECT": "CREATE",
    "PROJECTS": "SHOW",
    "FLAGS": "SET",
    "WITH": "SELECT",
    "OVERWRITE": "INSERT",
    "SESSION": "ALTER",
}

# Every statement kind MaxCompute runs, and its page.
KINDS: dict[str, str] = {
    "AddUser": "ADD",
    "Unsupported": "SHOW",
    "AlterRename": "VIEW",
    "AlterSession": "ALTER",
    "AlterTableAddPartitions": "ALTER",
    "AlterTableAddColumns": "ALTER",
    "AlterTableTouch": "ALTER",
    "AlterTableChangeColumn": "ALTER",
    "AlterSet": "ALTER",
    "AlterTableDropPartitions": "ALTER",
    "CloneTable": "CLONE",
    "CreateProject": "CREATE",
    "CreateRole": "CREATE",
    "CreateTable": "CREATE",
    "CreateView": "VIEW",
    "Describe": "DESC",
    "DropProject": "DROP",
    "DropRole": "DROP",
    "DropObject": "VIEW",
    "DropTable": "DROP",
    "GrantPrivileges": "GRANT",
    "GrantRoles": "GRANT",
    "Insert": "INSERT",
    "ListRoles": "LIST",
    "ListUsers": "LIST",
    "QueryStmt": "SELECT",
    "RemoveUser": "ADD",
    "RevokePrivileges": "GRANT",
    "RevokeRoles": "GRANT",
    "SetStmt": "SET",
    "ShowFlags": "SET",
    "ShowGrants": "SHOW",
    "ShowObjects": "VIEW",
    "ShowPartitions": "SHOW",
    "ShowProjects": "SHOW",
    "ShowTables": "SHOW",
    "TruncateTable": "TRUNCATE",
    "Use": "USE",
    "Whoami": "WHOAMI",
    "MultiInsert": "INSERT",
    "ShowCreateTable": "SHOW",
    "AlterMergeSmallfiles": "ALTER",
    "AlterRenamePartition": "ALTER",
    "ReadTable": "SELECT",
    "DescribeRole": "GRANT",
    "ShowAcl": "GRANT",
    "AlterChangeOwner": "ALTER",
    "AnalyzeTable": "ALTER",
    "StatisticChange": "ALTER",
    "ShowStatistic": "SHOW",
    "AlterLifecycleSwitch": "ALTER",
    "ListProjectObjects": "LIST",
}

BOOK = HelpBook(SUMMARY, HELP, ALIASES, frozenset(), KINDS)
"""MaxCompute's help."""
