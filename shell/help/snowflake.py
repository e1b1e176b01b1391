"""The Snowflake dialect's `\\help`: syntax, one example and the rule that matters most for
each statement, from the README's Snowflake statement reference and the vendor facts in
reference/snowflake.md. Plain data, bound into `BOOK` (shell/help/common.py)."""

from __future__ import annotations

from cloneshell.shell.help.common import HelpBook

SUMMARY = """\
Statements (end each with ; or with \\G to print rows vertically; \\help CLONE for details):
  USE [DATABASE] d; USE SCHEMA s; USE ROLE r;               SHOW TABLES|SCHEMAS|DATABASES [HISTORY];
  CREATE [OR REPLACE] DATABASE|SCHEMA|TABLE …;              DESC TABLE t;
  CREATE TABLE|SCHEMA|DATABASE x CLONE y [AT|BEFORE (…)];  UNDROP TABLE|SCHEMA|DATABASE x;
  SELECT … FROM t AT|BEFORE (TIMESTAMP|OFFSET|STATEMENT => …);
  INSERT [OVERWRITE] INTO t …; UPDATE t SET …; DELETE FROM t …; TRUNCATE TABLE t;
  MERGE INTO t USING s ON … WHEN [NOT] MATCHED THEN …;  (\\help MERGE)
  BEGIN; … COMMIT; | ROLLBACK;  (\\help TRANSACTION)
  DROP …; ALTER … RENAME TO | SET | UNSET …;  CREATE VIEW v AS SELECT …; (\\help VIEW)
  CREATE ROLE|USER …; GRANT … TO ROLE r; GRANT ROLE r TO USER u; REVOKE …; SHOW GRANTS …;
  Stages, loading, pipes, streams, tasks: \\help STAGE | COPY | PIPE | STREAM | TASK
  ALTER SESSION SET DIALECT = maxcompute;  (or \\dialect maxcompute) for MaxCompute's statements
  quit; / exit;                     leave the shell
"""

# Keyed by topic word, upper case. Each page: the syntax block, a blank line, the rules a user
# trips over, then one example. Lines stay under 100 columns.
HELP: dict[str, str] = {
    "CREATE": """\
CREATE [OR REPLACE] [TRANSIENT] DATABASE | SCHEMA [IF NOT EXISTS] x [WITH MANAGED ACCESS]
  [DATA_RETENTION_TIME_IN_DAYS = n] [COMMENT = '...'];
CREATE [OR REPLACE] [TRANSIENT | TEMP[ORARY] | VOLATILE] TABLE [IF NOT EXISTS] t (
    col type [NOT NULL] [DEFAULT expr] [COMMENT '...'] [[CONSTRAINT c] PRIMARY KEY | UNIQUE |
      REFERENCES t2 [(col)]], ..., [[CONSTRAINT c] PRIMARY KEY | UNIQUE (cols) |
      FOREIGN KEY (cols) REFERENCES t2 [(cols)]], ...)
  [CLUSTER BY (col, ...)] [DATA_RETENTION_TIME_IN_DAYS = n] [COMMENT = '...'];
CREATE TABLE t LIKE src;   CREATE TABLE t AS SELECT ...;
CREATE ... x CLONE y ...;  (\\help CLONE)   CREATE ROLE | USER ...;  (\\help ROLE)

  - Unquoted names are stored upper case; "quoted" ones keep their case.
  - CREATE DATABASE and CREATE SCHEMA make the new one current (USE).
  - A TEMPORARY table (or view) is the session's own: other sessions do not see it, it hides
    a permanent one of the same name, and it is gone when the session ends. A temporary or
    transient table clones only to a temporary or transient one.
  - OR REPLACE drops the old object in the same statement (the shell asks first); OR REPLACE
    and IF NOT EXISTS cannot be combined.
  - Types: NUMBER(p,s), INT (= NUMBER(38,0)), FLOAT, VARCHAR(n) / STRING / TEXT, BINARY,
    BOOLEAN, DATE, TIME, TIMESTAMP[_NTZ|_LTZ|_TZ], VARIANT, OBJECT, ARRAY.
  - Needs CREATE DATABASE on the account, CREATE SCHEMA on the database, CREATE TABLE on the
    schema; the new object is owned by the current role.
  - PRIMARY KEY, UNIQUE and FOREIGN KEY are kept and shown (DESC TABLE, SHOW PRIMARY KEYS |
    UNIQUE KEYS | IMPORTED KEYS [IN t]) but not enforced, as in Snowflake; NOT NULL is.

Example:
  CREATE TABLE orders (id INT NOT NULL, amount NUMBER(10,2), placed TIMESTAMP_NTZ);
""",
    "VARIABLES": """\
SET x = expr;   SET (a, b) = (expr, expr);   UNSET x;   UNSET (a, b);
SELECT ... $x ...;   SHOW VARIABLES [LIKE '...'];

  - A variable keeps the value its expression had when SET ran, with that value's type.
  - Names fold like identifiers: $x and $X are one variable. They end with the session.
  - A $name no SET defined fails: Session variable '$NAME' does not exist.

Example:
  SET (lo, hi) = (40, 70);   SELECT * FROM orders WHERE amount BETWEEN $lo AND $hi;
""",
    "TRANSACTION": """\
BEGIN [WORK | TRANSACTION] [NAME n];   START TRANSACTION [NAME n];
COMMIT [WORK];   ROLLBACK [WORK];   ALTER SESSION SET AUTOCOMMIT = FALSE | TRUE;
SELECT CURRENT_TRANSACTION();   SHOW TRANSACTIONS [IN ACCOUNT];
SHOW PARAMETERS [LIKE '...'] [IN SESSION | IN ACCOUNT];

  - DML and queries between BEGIN and COMMIT apply as one unit; other sessions see none of it
    until COMMIT (and wait to write the database meanwhile).
  - Any other statement (CREATE, DROP, ALTER, GRANT …) commits the open transaction first.
  - A failing statement is undone alone: the transaction stays open.
  - Time Travel sees a transaction all at once: at its COMMIT.
  - A session that ends with a transaction open rolls it back.

Example:
  BEGIN;  UPDATE accounts SET balance = balance - 10 WHERE id = 1;
  UPDATE accounts SET balance = balance + 10 WHERE id = 2;  COMMIT;
""",
    "MERGE": """\
MERGE INTO t [[AS] a] USING source [[AS] s] ON cond
  WHEN MATCHED [AND c] THEN UPDATE SET col = expr, ... | DELETE
  WHEN NOT MATCHED [AND c] THEN INSERT [(col, ...)] VALUES (expr, ...)
  ...;

  - Each target row joined to the source takes the first WHEN MATCHED clause whose condition
    holds; each source row joined to no target row the first WHEN NOT MATCHED one.
  - A target row joined to several source rows of which one updates it fails with
    100090 (42P18) Duplicate row detected during DML action; several deletes agree.
  - The reply counts rows inserted, updated, deleted (a column per kind of clause present).
  - One version of the table: Time Travel before it, streams see its changes.
  - Needs SELECT on the source and INSERT/UPDATE/DELETE on the target for the clauses used.

Example:
  MERGE INTO target USING (SELECT k, max(v) AS v FROM src GROUP BY k) AS b ON target.k = b.k
    WHEN MATCHED THEN UPDATE SET target.v = b.v
    WHEN NOT MATCHED THEN INSERT (k, v) VALUES (b.k, b.v);
""",
    "VIEW": """\
CREATE [OR REPLACE] [SECURE] [TEMPORARY] VIEW [IF NOT EXISTS] v [(col [COMMENT '...'], ...)]
  [COPY GRANTS] [COMMENT = '...'] AS SELECT ...;
DROP VIEW [IF EXISTS] v;   ALTER VIEW v RENAME TO w;   SHOW VIEWS [LIKE '...'] [IN ...];
DESC VIEW v;

  - A view runs its query each time it is read, with its owner's rights, in its own database
    and schema: a reader needs SELECT on the view only (GRANT SELECT ON VIEW v TO ROLE r).
  - Views are read-only: INSERT, UPDATE, DELETE, TRUNCATE or DROP TABLE on one fail with
    002203 (02000) Object found is of type 'VIEW', not specified type 'TABLE'.
  - SHOW TABLES does not list views. A secure view's text is shown to its owner only.
  - A database or schema clone copies views unchanged: a name the query qualified still
    points at the source. Views have no Time Travel and no UNDROP.

Example:
  CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
""",
    "CLONE": """\
CREATE [OR REPLACE] TABLE [IF NOT EXISTS] t CLONE src
  [AT | BEFORE (TIMESTAMP => ts | OFFSET => -secs | STATEMENT => 'query id')] [COPY GRANTS];
CREATE [OR REPLACE] SCHEMA | DATABASE [IF NOT EXISTS] x CLONE y [AT | BEFORE (...)]
  [IGNORE TABLES WITH INSUFFICIENT DATA RETENTION] [INCLUDE INTERNAL STAGES];
CREATE STAGE | STREAM | TASK x CLONE y;

  - The clone takes the source's data as of the point (or now) and starts its own history;
    later changes to either side do not show in the other.
  - A table clone carries no grants (COPY GRANTS: all but OWNERSHIP); a schema or database
    clone keeps its children's grants and owners. The current role owns the clone.
  - A source that did not exist at the point: 002003 (02000) Object '...' does not exist.
    A point beyond retention: 000707 (02000) Time travel data is not available ...
  - In a database or schema clone: tasks are suspended, streams start at the clone, internal
    stages and pipes on them are left out (\\help STAGE, PIPE, STREAM, TASK).
  - Needs SELECT on a source table (USAGE on a schema or database) and the CREATE privilege
    on the target container.

Example:
  CREATE TABLE orders_backup CLONE orders AT (OFFSET => -60*30);
""",
    "AT": """\
SELECT ... FROM t {AT | BEFORE} (TIMESTAMP => ts | OFFSET => -secs | STATEMENT => 'query id') ...;

  - The clause goes right after the table name, on any table reference (joins, subqueries).
  - AT includes the changes made at that instant; BEFORE means just before it, so
    BEFORE (STATEMENT => LAST_QUERY_ID()) is the table just before your last statement.
  - OFFSET is seconds from now, negative: -60*5 is five minutes ago. Cast TIMESTAMP values
    (an uncast string is read as UTC).
  - A point beyond the retention (DATA_RETENTION_TIME_IN_DAYS, default 1) or before the
    table existed: 000707 (02000) Time travel data is not available for table T ...
  - Past reads use the table's current columns; they need SELECT, as reading now does.
  - --clock and \\clock +30m move a frozen session clock, for demos.

Example:
  SELECT COUNT(*) FROM orders BEFORE (STATEMENT => LAST_QUERY_ID());
""",
    "UNDROP": """\
UNDROP TABLE | SCHEMA | DATABASE name;
SHOW TABLES | SCHEMAS | DATABASES HISTORY [LIKE '...'] [IN ...];

  - Restores the most recently dropped version, in the database and schema it was dropped
    from, while it is within its retention (DATA_RETENTION_TIME_IN_DAYS; 0 keeps nothing).
  - An object of that name must not exist: rename it first (ALTER TABLE t RENAME TO t_old),
    then UNDROP; repeat to walk back through older versions. Else 002002 ... already exists.
  - SHOW ... HISTORY lists dropped versions too, with a dropped_on column.
  - Needs OWNERSHIP of the dropped object and the CREATE privilege on its container.

Example:
  UNDROP TABLE orders;
""",
    "USE": """\
USE [DATABASE] db;   USE SCHEMA [db.]s;   USE ROLE r;   USE WAREHOUSE w;

  - USE DATABASE resets the schema to PUBLIC; unqualified names resolve in the current
    database and schema (the prompt shows them: USER#(no warehouse)@DB.SCHEMA>).
  - USE ROLE needs the role granted to you (directly or through another role); statements
    then run with its privileges and those of the roles it inherits.
  - USE WAREHOUSE is accepted and changes nothing: compute is not emulated.

Example:
  USE ROLE SYSADMIN;
""",
    "ROLE": """\
CREATE [OR REPLACE] ROLE [IF NOT EXISTS] r [COMMENT = '...'];
CREATE [OR REPLACE] USER [IF NOT EXISTS] u [DEFAULT_ROLE = r] [COMMENT = '...'];
DROP ROLE | USER [IF EXISTS] name;   SHOW ROLES;   SHOW USERS;

  - The first Snowflake user of a warehouse is its ACCOUNTADMIN; later users start with
    PUBLIC until granted roles (\\help GRANT). \\login u acts as another user.
  - ACCOUNTADMIN inherits SYSADMIN and SECURITYADMIN, which inherits USERADMIN; every role
    has PUBLIC. Roles inherit the roles granted to them, recursively.
  - Needs CREATE ROLE / CREATE USER on the account (USERADMIN and above hold them).

Example:
  CREATE ROLE analyst;
""",
    "GRANT": """\
GRANT privilege, ... ON ACCOUNT | DATABASE d | SCHEMA s | TABLE t | ALL TABLES IN SCHEMA s
  TO ROLE r [WITH GRANT OPTION];
GRANT ROLE r TO USER u | ROLE r2;
GRANT OWNERSHIP ON ... TO ROLE r [COPY | REVOKE CURRENT GRANTS];
REVOKE ... FROM ...;   (the same forms)   SHOW GRANTS [ON ... | TO ROLE r | TO USER u | OF ROLE r];

  - Privileges go to roles, never to users; users get roles.
  - Reading a table needs USAGE on its database and schema and SELECT on the table; objects
    a role holds no privilege on are invisible (002003 ... does not exist or not authorized).
  - Granting needs OWNERSHIP of the object, WITH GRANT OPTION, or MANAGE GRANTS.

Example:
  GRANT USAGE ON DATABASE sales TO ROLE analyst;
""",
    "SHOW": """\
SHOW [TERSE] TABLES | SCHEMAS | DATABASES [HISTORY] [LIKE '...'] [IN ACCOUNT | DATABASE [d] |
  SCHEMA [s]] [STARTS WITH '...'] [LIMIT n];
SHOW ROLES;   SHOW USERS;   SHOW GRANTS ...;   SHOW STAGES | PIPES | STREAMS | TASKS;
SHOW [TERSE] OBJECTS [LIKE '...'] [IN ...] [STARTS WITH '...'] [LIMIT n [FROM 'name']];
SHOW COLUMNS [LIKE '...'] [IN ACCOUNT | DATABASE [d] | SCHEMA [s] | [TABLE] t | [VIEW] v];
SHOW PRIMARY KEYS | UNIQUE KEYS | IMPORTED KEYS [IN ACCOUNT | DATABASE | SCHEMA | [TABLE] t];

  - Lists only what the current role may see; LIKE is case-insensitive with % and _.
  - SHOW OBJECTS lists tables and views (kind TABLE or VIEW); SHOW COLUMNS prints each
    column's data_type as Snowflake's JSON text ({"type":"FIXED","precision":38,...}).
  - HISTORY adds dropped objects still within retention, with a dropped_on column.
  - The retention_time column shows DATA_RETENTION_TIME_IN_DAYS.

Example:
  SHOW TABLES HISTORY LIKE 'ORD%' IN SCHEMA sales.public;
""",
    "SEQUENCE": """\
CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] s [START [WITH] [=] n] [INCREMENT [BY] [=] n]
  [COMMENT = '...'];   DROP SEQUENCE [IF EXISTS] s;   SHOW SEQUENCES;   DESC SEQUENCE s;
SELECT s.NEXTVAL;   CREATE TABLE t (id INT DEFAULT s.NEXTVAL | AUTOINCREMENT |
  IDENTITY [(start, step) | START n INCREMENT n], ...);

  - Every NEXTVAL gives a new value, one per row and per call; values are never given back.
  - A schema or database clone copies its sequences; a cloned table's default then draws
    from the clone of its sequence when the sequence was inside the cloned container.

Example:
  CREATE SEQUENCE order_ids START = 1000 INCREMENT = 1;
""",
    "TAG": """\
CREATE [OR REPLACE] TAG [IF NOT EXISTS] t [ALLOWED_VALUES 'v', ...] [COMMENT = '...'];
DROP TAG [IF EXISTS] t;   SHOW TAGS [LIKE '...'] [IN ...];
CREATE TABLE x (col type [WITH] TAG (t = 'v', ...), ...) [WITH] TAG (t = 'v', ...);
ALTER TABLE | VIEW x SET TAG t = 'v', ... | UNSET TAG t, ...;
ALTER TABLE x ALTER | MODIFY [COLUMN] col SET TAG t = 'v', ... | UNSET TAG t, ...;
SELECT SYSTEM$GET_TAG('t', 'x' | 'x.col', 'TABLE' | 'COLUMN');

  - Tags are metadata: a tag must exist (and be visible) to be set, with one of its
    ALLOWED_VALUES when it has them. A clone keeps its source's tags.
  - Masking, projection, row access and aggregation policies are not emulated (000002).

Example:
  CREATE TAG cost_center ALLOWED_VALUES 'finance', 'engineering';
  ALTER TABLE orders SET TAG cost_center = 'finance';
""",
    "FUNCTION": """\
CREATE [OR REPLACE] [SECURE] FUNCTION [IF NOT EXISTS] f([arg type, ...]) RETURNS type
  [LANGUAGE SQL] [COMMENT = '...'] AS 'expression' | $$query$$;
DROP FUNCTION [IF EXISTS] f(type, ...);   DESC FUNCTION f(type, ...);
SHOW [USER] FUNCTIONS [LIKE '...'] [IN ...];   SELECT f(...);

  - SQL functions run inline in the query; overloads differ by their argument types.
  - Calling one needs USAGE on it; JavaScript, Python, Java and Scala functions, table
    functions (RETURNS TABLE), procedures and CALL are not emulated (000002).

Example:
  CREATE FUNCTION area_of_circle(radius FLOAT) RETURNS FLOAT AS 'pi() * radius * radius';
""",
    "RESULT_SCAN": """\
SELECT ... FROM TABLE(RESULT_SCAN(LAST_QUERY_ID([n]) | '<query id>'));

  - An earlier statement's rows as a table, with its column names ("name" for SHOW output).
  - The session keeps its last 16 row results of up to 100,000 rows; others give 000709.

Example:
  SHOW TABLES;  SELECT "name" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) WHERE "rows" > 0;
""",
    "GET_DDL": """\
SELECT GET_DDL('TABLE' | 'VIEW' | 'SCHEMA' | 'DATABASE', '[db.][schema.]name' [, TRUE]);

  - The DDL that recreates the object: a table's columns and constraints, a view's CREATE
    text as written; a schema or database with every table and view in it.
  - TRUE qualifies the recreated objects' names; invisible objects are left out (002003).

Example:
  SELECT GET_DDL('TABLE', 'orders');
""",
    "INFORMATION_SCHEMA": """\
SELECT ... FROM [db.]INFORMATION_SCHEMA.TABLES | COLUMNS | SCHEMATA | VIEWS | TABLE_PRIVILEGES
  | DATABASES ...;   USE SCHEMA INFORMATION_SCHEMA;

  - Every database has one, read-only (writes fail with 003001); columns as Snowflake's.
  - Lists only what the current role may see; joins, WHERE and ORDER BY work as on tables.
  - SNOWFLAKE.ACCOUNT_USAGE is not emulated.

Example:
  SELECT table_name, row_count FROM information_schema.tables WHERE table_schema = 'PUBLIC';
""",
    "DESC": """\
DESC | DESCRIBE TABLE t;   DESC DATABASE d;   DESC SCHEMA s;
DESC STAGE s;   DESC PIPE p;   DESC STREAM s;   DESC TASK k;

  - DESC TABLE prints one row per column: name, type, kind, null?, default, primary key,
    unique key, check, expression, comment.
  - Needs a privilege on the object (it must be visible to the current role).

Example:
  DESC TABLE orders;
""",
    "DROP": """\
DROP TABLE | SCHEMA | DATABASE [IF EXISTS] name;
DROP ROLE | USER | STAGE | PIPE | STREAM | TASK [IF EXISTS] name;

  - A dropped table, schema or database stays restorable (UNDROP, SHOW ... HISTORY) for its
    retention; creating a new one with the same name does not restore the old one.
  - A dropped database or schema keeps its children for the container's retention.
  - Needs OWNERSHIP. The shell asks first when the object exists.

Example:
  DROP TABLE IF EXISTS orders_old;
""",
    "ALTER": """\
ALTER TABLE | SCHEMA | DATABASE x RENAME TO y;
ALTER TABLE | SCHEMA | DATABASE x SET DATA_RETENTION_TIME_IN_DAYS = n | COMMENT = '...';
ALTER ... UNSET DATA_RETENTION_TIME_IN_DAYS | COMMENT;
ALTER TABLE [IF EXISTS] t ADD [COLUMN] [IF NOT EXISTS] col type [NOT NULL] [DEFAULT e], ...;
ALTER TABLE t DROP [COLUMN] [IF EXISTS] col, ...;   ALTER TABLE t RENAME COLUMN a TO b;
ALTER TABLE t ALTER | MODIFY [COLUMN] col SET NOT NULL | DROP NOT NULL | SET DEFAULT e
  | DROP DEFAULT | [SET DATA] TYPE type | COMMENT '...', [COLUMN] col ...;
ALTER TABLE t SWAP WITH u;   ALTER TABLE t CLUSTER BY (col, ...) | DROP CLUSTERING KEY;
ALTER TABLE t SUSPEND | RESUME RECLUSTER;
ALTER SESSION SET DIALECT = maxcompute | snowflake;   ALTER PIPE | TASK ...  (\\help PIPE, TASK)

  - A renamed table keeps its history: AT/BEFORE reads use the current name.
  - After a column change AT/BEFORE reads show the current columns: an added column is NULL
    in the past, a dropped one is gone. A VARCHAR may only grow; a NUMBER keeps its scale.
  - A clone starts with automatic clustering suspended (SHOW TABLES automatic_clustering).
  - Retention 0 turns Time Travel off for the object; children inherit unless set.
  - Needs OWNERSHIP of the object.

Example:
  ALTER TABLE orders SET DATA_RETENTION_TIME_IN_DAYS = 7;
""",
    "INSERT": """\
INSERT [OVERWRITE] INTO t [(col, ...)] VALUES (...), ... | SELECT ...;

  - Columns match by position (or by the column list); missing ones take their DEFAULT.
  - OVERWRITE replaces every row of the table first (the shell asks).
  - Replies one row: number of rows inserted. Needs INSERT on the table (and SELECT on what
    the query reads).

Example:
  INSERT INTO orders (id, amount) VALUES (1, 299.00), (2, 450.50);
""",
    "UPDATE": """\
UPDATE t SET col = expr, ... [FROM other ...] [WHERE ...];

  - Without WHERE every row is updated (the shell asks first).
  - Replies one row: number of rows updated, number of multi-joined rows updated.
  - Needs UPDATE on the table.

Example:
  UPDATE orders SET amount = amount * 1.1 WHERE id = 2;
""",
    "DELETE": """\
DELETE FROM t [USING other, ...] [WHERE ...];

  - Without WHERE every row is deleted (the shell asks first); the rows stay readable with
    AT/BEFORE for the table's retention.
  - Replies one row: number of rows deleted. Needs DELETE on the table.

Example:
  DELETE FROM orders WHERE amount < 0;
""",
    "TRUNCATE": """\
TRUNCATE [TABLE] [IF EXISTS] t;

  - Deletes every row; the table, its grants and its history stay (AT/BEFORE still reads
    the old rows within retention). The shell asks first.
  - Needs OWNERSHIP of the table.

Example:
  TRUNCATE TABLE orders_staging;
""",
    "SELECT": """\
[WITH name AS (SELECT ...), ...]
SELECT [DISTINCT] expr [AS alias], ...
  FROM t [AT | BEFORE (...)] [alias] [[LEFT | RIGHT | FULL] [OUTER] | CROSS] JOIN ... ON ...
  [WHERE ...] [GROUP BY ...] [HAVING ...] [QUALIFY ...]
  [UNION [ALL] | INTERSECT | EXCEPT | MINUS SELECT ...]
  [ORDER BY expr [ASC | DESC], ...] [LIMIT n];

  - Snowflake functions: IFF, ZEROIFNULL, NVL, DATEADD, DATEDIFF, TO_VARCHAR, LAST_QUERY_ID,
    SYSTEM$STREAM_HAS_DATA, SYSTEM$PIPE_STATUS, TASK_HISTORY() ...
  - "double quotes" quote names; 'single quotes' are strings.
  - Needs USAGE on the database and schema and SELECT on every table read.
  - End a query with \\G instead of ; to print its rows vertically.

Example:
  SELECT id, IFF(amount > 300, 'big', 'small') AS size FROM orders ORDER BY id;
""",
    "STAGE": """\
CREATE [OR REPLACE] STAGE [IF NOT EXISTS] s [URL = '<url>'] [FILE_FORMAT = (TYPE = CSV|JSON|PARQUET
  ...)] [COMMENT = '...'];
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

Example:
  CREATE STAGE landing;
  PUT file:///tmp/day1.csv @landing/in/;
  LIST @landing/in/;
""",
    "COPY": """\
COPY INTO t [(col, ...)] FROM @stage[/path] | 'file:///dir/'
  [FILES = ('a.csv', ...)] [PATTERN = '<regex>'] [FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1 ...)]
  [ON_ERROR = ABORT_STATEMENT | CONTINUE | SKIP_FILE] [FORCE = TRUE] [PURGE = TRUE]
  [MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE | CASE_SENSITIVE];

  - Reads CSV, JSON and Parquet (plain, gzip or zstd). CSV fields go to the columns in order;
    JSON and Parquet load one VARIANT column, or columns by name with MATCH_BY_COLUMN_NAME.
  - One row per file: file, status (LOADED, LOAD_FAILED, PARTIALLY_LOADED), rows_parsed,
    rows_loaded, error_limit, errors_seen, first_error, first_error_line, ...
  - Load history: a file already loaded into the table (same name and content) is skipped
    ("Copy executed with 0 files processed."), unless FORCE = TRUE. A clone has no history.
  - ON_ERROR = ABORT_STATEMENT (default) loads nothing when any row is bad; SKIP_FILE skips a
    bad file; CONTINUE loads the good rows.
  - Needs INSERT on the table and READ (USAGE) on the stage.

Example:
  COPY INTO orders FROM @landing/in/ FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);
""",
    "PIPE": """\
CREATE [OR REPLACE] PIPE [IF NOT EXISTS] p [AUTO_INGEST = TRUE|FALSE] [COMMENT = '...']
  AS COPY INTO t FROM @stage ...;
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

Example:
  CREATE PIPE orders_pipe AS COPY INTO orders FROM @landing/in/;
  ALTER PIPE orders_pipe REFRESH;
""",
    "STREAM": """\
CREATE [OR REPLACE] STREAM [IF NOT EXISTS] s ON TABLE t [AT|BEFORE (...)]
  [APPEND_ONLY = TRUE|FALSE] [SHOW_INITIAL_ROWS = TRUE|FALSE];
CREATE STREAM s2 CLONE s;   SELECT * FROM s;   SHOW STREAMS;   DROP STREAM s;
SELECT SYSTEM$STREAM_HAS_DATA('s');

  - SELECT returns the table's net changes since the stream's offset, with METADATA$ACTION
    (INSERT/DELETE), METADATA$ISUPDATE and METADATA$ROW_ID (shared by an update's two rows).
  - A query leaves the offset; a DML statement that reads the stream (INSERT INTO x SELECT ...
    FROM s) moves it when it commits.
  - A stream in a database or schema clone starts at the clone: the source's unconsumed
    changes are not in it. CREATE STREAM ... CLONE keeps the source stream's offset.
  - Needs SELECT on the stream and on its table; stale after 14 days unconsumed.

Example:
  CREATE STREAM orders_changes ON TABLE orders;
  SELECT * FROM orders_changes;
""",
    "TASK": """\
CREATE [OR REPLACE] TASK [IF NOT EXISTS] k [SCHEDULE = '<n> MINUTE' | 'USING CRON <expr> <zone>']
  [AFTER k0, ...] [WHEN <condition>] AS <statement>;
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

Example:
  CREATE TASK hourly SCHEDULE = '60 MINUTE' AS INSERT INTO totals SELECT COUNT(*) FROM orders;
  ALTER TASK hourly RESUME;
""",
}

# Words that name the same page; two-word openings first (`CREATE ROLE` is not CREATE's page).
ALIASES: dict[str, str] = {
    "SET": "VARIABLES",
    "UNSET": "VARIABLES",
    "TAGS": "TAG",
    "FUNCTIONS": "FUNCTION",
    "UDF": "FUNCTION",
    "CALL": "FUNCTION",
    "PROCEDURE": "FUNCTION",
    "VARIABLE": "VARIABLES",
    "CREATE ROLE": "ROLE",
    "CREATE USER": "ROLE",
    "DROP ROLE": "ROLE",
    "DROP USER": "ROLE",
    "SHOW ROLES": "ROLE",
    "SHOW USERS": "ROLE",
    "SHOW GRANTS": "GRANT",
    "ALTER PIPE": "PIPE",
    "ALTER TASK": "TASK",
    "DESCRIBE": "DESC",
    "REVOKE": "GRANT",
    "OWNERSHIP": "GRANT",
    "GRANTS": "GRANT",
    "USER": "ROLE",
    "USERS": "ROLE",
    "ROLES": "ROLE",
    "BEFORE": "AT",
    "OFFSET": "AT",
    "TIMESTAMP": "AT",
    "STATEMENT": "AT",
    "TIME": "AT",
    "HISTORY": "UNDROP",
    "DATABASE": "CREATE",
    "SCHEMA": "CREATE",
    "TABLE": "CREATE",
    "WITH": "SELECT",
    "OVERWRITE": "INSERT",
    "SESSION": "ALTER",
    "RENAME": "ALTER",
    "@": "STAGE",
    "STAGES": "STAGE",
    "PUT": "STAGE",
    "LIST": "STAGE",
    "LS": "STAGE",
    "REMOVE": "STAGE",
    "RM": "STAGE",
    "PIPES": "PIPE",
    "STREAMS": "STREAM",
    "TASKS": "TASK",
    "SEQUENCES": "SEQUENCE",
    "NEXTVAL": "SEQUENCE",
    "AUTOINCREMENT": "SEQUENCE",
    "IDENTITY": "SEQUENCE",
    "EXECUTE": "TASK",
    "TASK_HISTORY": "TASK",
    "BEGIN": "TRANSACTION",
    "START": "TRANSACTION",
    "COMMIT": "TRANSACTION",
    "ROLLBACK": "TRANSACTION",
    "AUTOCOMMIT": "TRANSACTION",
    "PARAMETERS": "TRANSACTION",
    "TRANSACTIONS": "TRANSACTION",
}

# Words that decide the page wherever they stand: CREATE STAGE s, SHOW TASKS, LIST @s,
# CREATE TABLE t CLONE s.
KIND_WORDS = frozenset(
    {"@", "CLONE", "STAGE", "STAGES", "PIPE", "PIPES", "STREAM", "STREAMS", "TASK", "TASKS"}
)

# Every statement kind Snowflake runs, and its page.
KINDS: dict[str, str] = {
    "AlterPipe": "PIPE",
    "AlterRename": "ALTER",
    "AlterSession": "ALTER",
    "AlterAccount": "ALTER",
    "AlterSet": "ALTER",
    "AlterTable": "ALTER",
    "AlterTags": "TAG",
    "CreateTag": "TAG",
    "Call": "FUNCTION",
    "Unsupported": "SHOW",
    "CreateFunction": "FUNCTION",
    "DescribeFunction": "FUNCTION",
    "DropFunction": "FUNCTION",
    "SetStmt": "VARIABLES",
    "SetVariables": "VARIABLES",
    "UnsetVariables": "VARIABLES",
    "ShowVariables": "VARIABLES",
    "AlterTask": "TASK",
    "CopyInto": "COPY",
    "CreateDatabase": "CREATE",
    "CreatePipe": "PIPE",
    "CreateSchema": "CREATE",
    "CreateSequence": "SEQUENCE",
    "CreateRole": "ROLE",
    "CreateTable": "CREATE",
    "CreateStage": "STAGE",
    "CreateStream": "STREAM",
    "CreateTask": "TASK",
    "CreateUser": "ROLE",
    "CreateView": "VIEW",
    "Delete": "DELETE",
    "Describe": "DESC",
    "DescribeObject": "DESC",
    "DescribePipeline": "DESC",
    "DescribeSequence": "SEQUENCE",
    "DropObject": "DROP",
    "DropTable": "DROP",
    "ExecuteTask": "TASK",
    "GrantOwnership": "GRANT",
    "GrantRoleTo": "GRANT",
    "GrantToRole": "GRANT",
    "Insert": "INSERT",
    "Merge": "MERGE",
    "ListStage": "STAGE",
    "PutFile": "STAGE",
    "QueryStmt": "SELECT",
    "RemoveStage": "STAGE",
    "ShowGrants": "GRANT",
    "ShowObjects": "SHOW",
    "TruncateTable": "TRUNCATE",
    "Undrop": "UNDROP",
    "Update": "UPDATE",
    "UseObject": "USE",
    "BeginTransaction": "TRANSACTION",
    "CommitTransaction": "TRANSACTION",
    "RollbackTransaction": "TRANSACTION",
    "ShowParameters": "TRANSACTION",
    "ShowTransactions": "TRANSACTION",
}

BOOK = HelpBook(SUMMARY, HELP, ALIASES, KIND_WORDS, KINDS)
"""Snowflake's help."""
