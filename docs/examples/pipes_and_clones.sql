-- Stages, pipes, streams and tasks, and exactly what a clone does to each: the rules of
-- Snowflake's "Cloning Considerations", one after the other. From the repository root:
--
--     ./scripts/shell --echo -f docs/examples/pipes_and_clones.sql
--     ./scripts/shell < docs/examples/pipes_and_clones.sql
--
-- It makes databases DEMO_SRC, DEMO_DEV and DEMO_LIMITED (replacing them if they exist) and a
-- role DEMO_CLONER, as the warehouse's account administrator. docs/examples/data/landing/ plays the cloud bucket of an external stage:
-- day1/ holds the orders that arrived before the clone, day2/ the ones after it.
-- The last statement fails on purpose: it is the one rule that is an error.
\echo on
ALTER SESSION SET DIALECT = snowflake;
USE ROLE accountadmin;

CREATE OR REPLACE DATABASE demo_src;
CREATE TABLE orders (id INT, item STRING, amount NUMBER(10,2));
CREATE TABLE orders_q (id INT, item STRING, amount NUMBER(10,2));
CREATE TABLE returns (id INT, item STRING, amount NUMBER(10,2));

-- Stages: an external one (its files live at its URL) and an internal one (its files live in
-- the warehouse, put there with PUT). Every table also has its own stage, @%table.
CREATE STAGE landing URL = 'file://docs/examples/data/landing/'
  FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);
CREATE STAGE uploads FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);
PUT file://docs/examples/data/returns.csv @uploads;
PUT file://docs/examples/data/returns.csv @%returns;
COPY INTO returns FROM @uploads;
-- COPY remembers what it loaded: the same file is not loaded twice.
COPY INTO returns FROM @uploads;

-- Pipes: one names its table unqualified, one fully qualified; a third reads the internal
-- stage. ALTER PIPE ... REFRESH sends a pipe the stage's files (here: day 1's; MODIFIED_AFTER
-- because REFRESH only looks at files from the last 7 days by default, and these files are
-- as old as your checkout).
CREATE PIPE load_orders AS COPY INTO orders FROM @landing;
CREATE PIPE load_orders_q AS COPY INTO demo_src.public.orders_q FROM @landing;
CREATE PIPE load_returns AS COPY INTO returns FROM @uploads;
ALTER PIPE load_orders REFRESH PREFIX = 'day1/' MODIFIED_AFTER = '2000-01-01';
ALTER PIPE load_orders_q REFRESH PREFIX = 'day1/' MODIFIED_AFTER = '2000-01-01';

-- A stream on orders, and a task that moves its changes into an audit table.
CREATE TABLE order_audit (id INT, item STRING, action STRING);
CREATE STREAM order_changes ON TABLE orders;
CREATE TASK audit_orders SCHEDULE = '60 MINUTE' WHEN SYSTEM$STREAM_HAS_DATA('order_changes')
  AS INSERT INTO order_audit SELECT id, item, METADATA$ACTION FROM order_changes;
ALTER TASK audit_orders RESUME;
UPDATE orders SET amount = 8.00 WHERE id = 2;
SELECT id, item, amount, METADATA$ACTION, METADATA$ISUPDATE FROM order_changes ORDER BY id, 4;

-- ------------------------------------------------------------------ the clone
CREATE OR REPLACE DATABASE demo_dev CLONE demo_src;

-- Stages. "Individual external named stages can be cloned; internal named stages cannot be
-- cloned." "When cloning a database or schema: External named stages [...] are cloned.
-- [...] Internal named stages are not cloned." LANDING is here, UPLOADS is not:
SHOW TERSE STAGES IN DATABASE demo_dev;
-- "Tables are cloned, which means their internal stages are also cloned." and "all cloned
-- stages are empty": the clone's @%returns has no file, the source's still has one.
LIST @demo_dev.public.%returns;
LIST @demo_src.public.%returns;

-- Streams. "when a database or schema that contains source tables and streams is cloned, any
-- unconsumed records in the streams (in the clone) are inaccessible." The source's stream
-- still holds the update; the clone's starts empty, at the clone.
SELECT count(*) FROM demo_src.public.order_changes;
SELECT count(*) FROM demo_dev.public.order_changes;

-- Tasks. "When a database or schema that contains tasks is cloned, the tasks in the clone are
-- suspended by default. The tasks can be resumed individually (using ALTER TASK … RESUME)."
SHOW TASKS LIKE 'AUDIT%' IN ACCOUNT;
ALTER TASK demo_dev.public.audit_orders RESUME;
-- A task runs as its owner in its own schema: the clone's task reads the clone's stream (empty:
-- its WHEN is false, the run is SKIPPED), the source's task the source's. EXECUTE TASK runs
-- one now.
EXECUTE TASK demo_src.public.audit_orders;
EXECUTE TASK demo_dev.public.audit_orders;
SELECT name, database_name, state FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())
  WHERE state <> 'SCHEDULED' ORDER BY database_name;
SELECT id, item, action FROM demo_src.public.order_audit ORDER BY id, action;
ALTER TASK demo_src.public.audit_orders SUSPEND;
ALTER TASK demo_dev.public.audit_orders SUSPEND;


-- Pipes. "any pipes in the source container that reference an internal (i.e. Snowflake)
-- stage are not cloned. However, any pipes that reference an external stage are cloned."
-- They arrive paused.
SHOW TERSE PIPES IN DATABASE demo_dev;
SELECT SYSTEM$PIPE_STATUS('demo_dev.public.load_orders');
ALTER PIPE demo_dev.public.load_orders SET PIPE_EXECUTION_PAUSED = FALSE;
ALTER PIPE demo_dev.public.load_orders_q SET PIPE_EXECUTION_PAUSED = FALSE;
-- Day 2's orders arrive in the bucket: every pipe on it gets them.
ALTER PIPE demo_src.public.load_orders REFRESH PREFIX = 'day2/' MODIFIED_AFTER = '2000-01-01';
ALTER PIPE demo_src.public.load_orders_q REFRESH PREFIX = 'day2/' MODIFIED_AFTER = '2000-01-01';
ALTER PIPE demo_dev.public.load_orders REFRESH PREFIX = 'day2/' MODIFIED_AFTER = '2000-01-01';
ALTER PIPE demo_dev.public.load_orders_q REFRESH PREFIX = 'day2/' MODIFIED_AFTER = '2000-01-01';
-- "If the target table is fully qualified in the COPY statement in the pipe definition [...],
-- this can result in duplicate data getting loaded into the target table in the source
-- database or schema by each pipe." Order 3 is in DEMO_SRC.ORDERS_Q twice, DEMO_DEV's
-- ORDERS_Q never got it:
SELECT id, item, count(*) AS copies FROM demo_src.public.orders_q GROUP BY id, item ORDER BY id;
SELECT id, item, count(*) AS copies FROM demo_dev.public.orders_q GROUP BY id, item ORDER BY id;
-- "If the target table is not fully qualified in the pipe definition, then the data is loaded
-- into the target table (e.g. mytable) in the source and cloned databases/schemas."
SELECT id, item FROM demo_src.public.orders ORDER BY id;
SELECT id, item FROM demo_dev.public.orders ORDER BY id;

-- Privileges. Cloning needs SELECT on a table, USAGE on a stage and OWNERSHIP of a pipe,
-- stream or task; a database clone includes only what the cloning role may clone.
CREATE ROLE IF NOT EXISTS demo_cloner;
GRANT ROLE demo_cloner TO ROLE accountadmin;
GRANT CREATE DATABASE ON ACCOUNT TO ROLE demo_cloner;
GRANT USAGE ON DATABASE demo_src TO ROLE demo_cloner;
GRANT USAGE ON SCHEMA demo_src.public TO ROLE demo_cloner;
GRANT SELECT ON ALL TABLES IN SCHEMA demo_src.public TO ROLE demo_cloner;
GRANT USAGE ON STAGE demo_src.public.landing TO ROLE demo_cloner;
USE ROLE demo_cloner;
CREATE OR REPLACE DATABASE demo_limited CLONE demo_src;
SHOW TERSE STAGES;
SHOW TERSE PIPES;
SHOW TERSE STREAMS;
SHOW TERSE TASKS;
USE ROLE accountadmin;

-- The one rule that is an error: an internal named stage cannot be cloned on its own.
CREATE STAGE demo_src.public.uploads_copy CLONE demo_src.public.uploads;
