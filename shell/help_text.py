"""The text of `\\help <STATEMENT>`: syntax and rules of each statement of the MaxCompute
dialect, written from the README's statement reference and the vendor facts in
reference/maxcompute.md, bound into a `HelpBook` (the summary `\\help` lists, the pages, and how a
topic finds its page) that each dialect's `ShellDialect.help` hands to `meta.py`."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from cloneshell.grammar.records import record


@record(frozen=True, slots=True)
class HelpBook:
    """One dialect's statement help: `summary` follows the meta-commands in `\\help`;
    `lookup(topic)` is the page for `\\help TOPIC`, or None; `pages` are every page by key."""

    summary: str
    pages: Mapping[str, str]
    lookup: Callable[[str], str | None]


SUMMARY = """\
Statements (end each with ; or with \\G to print rows vertically; \\help CLONE for details):
  USE project;                      SET key=value;          WHOAMI;
  SHOW TABLES [IN project];         SHOW PARTITIONS t;      DESC [EXTENDED] t [PARTITION (..)];
  CREATE TABLE … [PARTITIONED BY (..)] [LIFECYCLE n];       INSERT INTO|OVERWRITE TABLE t …;
  SELECT …;                         DROP TABLE [IF EXISTS] t;
  ALTER TABLE t ADD|DROP PARTITION (..);                    TRUNCATE TABLE t;
  CLONE TABLE [p.]src [PARTITION (..)] TO [p.]dst [IF EXISTS OVERWRITE|IGNORE];
  ADD USER …; REMOVE USER …; GRANT … ON PROJECT|TABLE … TO USER|ROLE …; REVOKE …;
  SHOW GRANTS [FOR …]; LIST USERS; LIST ROLES;
  Snowflake stages, loading, pipes, streams, tasks: \\help STAGE | COPY | PIPE | STREAM | TASK
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
""",
    "USE": """\
USE project;

  - Switches the current project: unqualified names resolve in it and queries run (and need
    CreateInstance) there. The prompt shows it: odps@ project>.
  - You must own the project or have been added to it (ADD USER).
  - Session flags (SET) are kept.
""",
    "DESC": """\
DESC|DESCRIBE [EXTENDED] [project.]t [PARTITION (pcol = value, ...)];

  - Prints odpscmd's box: owner, project, comment, create / DDL / modify times, lifecycle,
    size in bytes, then the native and partition columns.
  - EXTENDED adds Nullable, DefaultValue and an Extended Info section.
  - With PARTITION (...), the partition's size and times.
  - Needs Describe on the table.
""",
    "SHOW": """\
SHOW TABLES [IN project] [LIKE 'prefix%'];
SHOW PARTITIONS t [PARTITION (pcol = value, ...)];
SHOW GRANTS [FOR [USER] principal | FOR ROLE r];
SHOW FLAGS;
SHOW PROJECTS;   (emulator extension)

  - SHOW TABLES prints owner:table lines; SHOW PARTITIONS prints a=1/b=x lines, as odpscmd.
  - SHOW TABLES and SHOW PARTITIONS need List on the project.
""",
    "DROP": """\
DROP TABLE [IF EXISTS] [project.]t;
DROP ROLE r;
DROP PROJECT name;   (emulator extension; only the owner)

  - Without IF EXISTS a missing table is an error.
  - Needs Drop on the table (owners hold it).
  - The shell asks `Confirm to "..." (yes/no)?` first (\\set confirm off to stop asking).
""",
    "ALTER": """\
ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (spec) [PARTITION (spec) ...];
ALTER TABLE t DROP [IF EXISTS] PARTITION (spec)[, PARTITION (spec) ...];

  - Every partition column must be given, e.g. PARTITION (sale_date='2024-01-15', region='cn').
  - ADD takes several specs without commas; DROP separates them with commas.
  - Without IF NOT EXISTS adding an existing partition fails; without IF EXISTS dropping a
    missing one fails.
  - Needs Alter on the table. The shell asks before DROP PARTITION.
""",
    "TRUNCATE": """\
TRUNCATE TABLE t [PARTITION (spec)[, PARTITION (spec) ...]];

  - Deletes every row of the table, or of the partitions named (the partitions remain).
  - Needs Update (or Alter) on the table. The shell asks first.
""",
    "LIST": """\
LIST USERS;
LIST ROLES;

  - The project's users (principal names) and roles.
""",
    "WHOAMI": """\
WHOAMI;

  - Name: the principal you act as; Project: the current project (\\whoami does the same
    without running a statement). \\login PRINCIPAL switches the principal.
""",
    # Snowflake dialect (--dialect snowflake): stages, loading, pipes, streams, tasks.
    "STAGE": """\
CREATE [OR REPLACE] STAGE [IF NOT EXISTS] s [URL = '<url>'] [FILE_FORMAT = (TYPE = CSV|JSON|PARQUET
  ...)] [COMMENT = '...'];                                              (Snowflake dialect)
CREATE STAGE s2 CLONE s;         DROP STAGE [IF EXISTS] s;   SHOW STAGES;   DESC STAGE s;
PUT file://<local path> @s[/path] [AUTO_COMPRESS = TRUE|FALSE] [OVERWRITE = TRUE|FALSE];
LIST @s[/path] [PATTERN = '<regex>'];     REMOVE @s[/path] [PATTERN = '<regex>'];

  - Internal stages (no URL), every table's stage @%t and your user stage @~ keep their files
    in the warehouse (<warehouse>/stages/). PUT copies your local file in (gzip-compressed
    unless AUTO_COMPRESS = FALSE; wildcards allowed in the file name; relative paths are from
    the shell's working directory).
  - External stages keep their URL. URL = 'file:///dir/' names a local directory (for testing
    pipelines locally); s3://, gcs://, azure:// stages keep their definition but cannot be read.
  - Paths are prefixes (@s/day1 lists day1.csv and day1/x.csv); '..' and absolute paths are
    refused.
  - Privileges: READ (LIST, COPY) and WRITE (PUT, REMOVE) on an internal stage, USAGE on an
    external one; a table's stage is its owner's; CREATE STAGE on the schema.
  - Cloning: an external stage can be cloned on its own; a database or schema clone takes
    external stages, not internal ones (unless INCLUDE INTERNAL STAGES); cloned stages and
    the table stages of cloned tables are empty.
""",
    "COPY": """\
COPY INTO t [(col, ...)] FROM @stage[/path] | 'file:///dir/'
  [FILES = ('a.csv', ...)] [PATTERN = '<regex>'] [FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1 ...)]
  [ON_ERROR = ABORT_STATEMENT | CONTINUE | SKIP_FILE] [FORCE = TRUE] [PURGE = TRUE]
  [MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE | CASE_SENSITIVE];            (Snowflake dialect)

  - Reads CSV, JSON and Parquet (plain, gzip or zstd). CSV fields go to the columns in order;
    JSON and Parquet load one VARIANT column, or columns by name with MATCH_BY_COLUMN_NAME.
  - One row per file: file, status (LOADED, LOAD_FAILED, PARTIALLY_LOADED), rows_parsed,
    rows_loaded, error_limit, errors_seen, first_error, first_error_line, ...
  - Load history: a file already loaded into the table (same name and content) is skipped
    ("Copy executed with 0 files processed."), unless FORCE = TRUE. A clone has no history.
  - ON_ERROR = ABORT_STATEMENT (default) loads nothing when any row is bad; SKIP_FILE skips a
    bad file; CONTINUE loads the good rows.
  - Needs INSERT on the table and READ (USAGE) on the stage.
""",
    "PIPE": """\
CREATE [OR REPLACE] PIPE [IF NOT EXISTS] p [AUTO_INGEST = TRUE|FALSE] [COMMENT = '...']
  AS COPY INTO t FROM @stage ...;                                       (Snowflake dialect)
ALTER PIPE p REFRESH [PREFIX = 'path/'] [MODIFIED_AFTER = '<timestamp>'];
ALTER PIPE p SET PIPE_EXECUTION_PAUSED = TRUE|FALSE;
SHOW PIPES;   DESC PIPE p;   DROP PIPE p;   SELECT SYSTEM$PIPE_STATUS('p');

  - REFRESH sends the stage's files (staged in the last 7 days) the pipe has not loaded; a
    running pipe loads them at once, a paused one queues them until resumed.
  - The COPY runs as the pipe's owner, its names resolved in the pipe's own schema.
  - Each pipe has its own load history. A clone's pipe (external stages only; paused) loads
    the next files again: into the source's table when its COPY names the table fully
    qualified (duplicates!), into the clone's table when unqualified.
  - Privileges: CREATE PIPE; OPERATE to refresh, pause, resume; MONITOR for the status.
""",
    "STREAM": """\
CREATE [OR REPLACE] STREAM [IF NOT EXISTS] s ON TABLE t [AT|BEFORE (...)]
  [APPEND_ONLY = TRUE|FALSE] [SHOW_INITIAL_ROWS = TRUE|FALSE];           (Snowflake dialect)
CREATE STREAM s2 CLONE s;   SELECT * FROM s;   SHOW STREAMS;   DROP STREAM s;
SELECT SYSTEM$STREAM_HAS_DATA('s');

  - SELECT returns the table's net changes since the stream's offset, with METADATA$ACTION
    (INSERT/DELETE), METADATA$ISUPDATE and METADATA$ROW_ID (shared by an update's two rows).
  - A query leaves the offset; a DML statement that reads the stream (INSERT INTO x SELECT ...
    FROM s) moves it when it commits.
  - A stream in a database or schema clone starts at the clone: the source's unconsumed
    changes are not in it. CREATE STREAM ... CLONE keeps the source stream's offset.
  - Needs SELECT on the stream and on its table; stale after 14 days unconsumed.
""",
    "TASK": """\
CREATE [OR REPLACE] TASK [IF NOT EXISTS] k [SCHEDULE = '<n> MINUTE' | 'USING CRON <expr> <zone>']
  [AFTER k0, ...] [WHEN <condition>] AS <statement>;                    (Snowflake dialect)
ALTER TASK k RESUME | SUSPEND | SET ... | MODIFY AS ... | MODIFY WHEN ...;   EXECUTE TASK k;
SHOW TASKS;   SELECT * FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY([TASK_NAME => 'K']));

  - New and cloned tasks are suspended; RESUME starts them (children before the root).
  - Started tasks run while a shell has the warehouse open: before each statement and every
    15 seconds while the prompt waits, each due run with the clock at its scheduled instant
    (\\clock +1h runs an hourly task once). Runs due while no shell was open are not replayed.
  - A task runs as its owner in its own schema; WHEN false skips the run; a child runs after
    its predecessors succeed. EXECUTE TASK runs a root (even suspended) now.
  - A database or schema clone suspends its tasks; a clone with AT | BEFORE leaves them out.
  - Privileges: CREATE TASK; OPERATE to resume, suspend, execute, and the owner role needs
    EXECUTE TASK on the account (GRANT EXECUTE TASK ON ACCOUNT TO ROLE r).
""",
}

# Words that name the same entry.
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
    "FLAGS": "SET",
    "WITH": "SELECT",
    "OVERWRITE": "INSERT",
    "STAGES": "STAGE",
    "PUT": "STAGE",
    "LS": "STAGE",
    "RM": "STAGE",
    "PIPES": "PIPE",
    "STREAMS": "STREAM",
    "TASKS": "TASK",
    "EXECUTE": "TASK",
    "TASK_HISTORY": "TASK",
}
# Statements whose first word is shared (CREATE, SHOW, LIST …): the object kind decides.
_KIND_WORDS = {"STAGE", "STAGES", "PIPE", "PIPES", "STREAM", "STREAMS", "TASK", "TASKS"}


def statement_help(topic: str) -> str | None:
    """The help text for `topic` (`CLONE`, `clone table`, `describe`), or None."""
    words = topic.strip().rstrip(";").upper().split()
    if not words:
        return None
    kinds = [w for w in words[1:4] if w in _KIND_WORDS or w.startswith("@")]
    if kinds:  # CREATE [OR REPLACE] STAGE …, SHOW TASKS, LIST @s, REMOVE @%t …
        kind = kinds[0]
        return HELP["STAGE"] if kind.startswith("@") else HELP[ALIASES.get(kind, kind)]
    first = words[0]
    key = first if first in HELP else ALIASES.get(first)
    return HELP.get(key) if key else None


BOOK = HelpBook(SUMMARY, HELP, statement_help)
"""The help both dialects show."""
