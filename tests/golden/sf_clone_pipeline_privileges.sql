-- args: --dialect snowflake --on-error continue
-- What cloning stages, pipes, streams and tasks requires (reference/snowflake.md §1.5, from
-- CREATE <object> ... CLONE): "Privilege needed on the source: Table SELECT; Alert, pipe,
-- stream, task OWNERSHIP; Other objects (stage, file format, sequence) USAGE", and a database
-- or schema clone includes "only objects the cloning role has the required privileges on".
CREATE ROLE engineer;
CREATE ROLE cloner;
GRANT ROLE engineer TO ROLE sysadmin;
GRANT ROLE cloner TO USER cloneshell;
GRANT CREATE DATABASE ON ACCOUNT TO ROLE engineer;
GRANT CREATE DATABASE ON ACCOUNT TO ROLE cloner;
USE ROLE engineer;
CREATE DATABASE sales;
CREATE TABLE orders (id INT, item STRING);
CREATE STAGE landing URL = 'file://data/landing/' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);
CREATE PIPE load_orders AS COPY INTO orders FROM @landing;
CREATE STREAM order_changes ON TABLE orders;
CREATE TASK report SCHEDULE = '60 MINUTE' AS SELECT count(*) FROM orders;
GRANT USAGE ON DATABASE sales TO ROLE cloner;
GRANT USAGE ON SCHEMA sales.public TO ROLE cloner;
GRANT SELECT ON TABLE orders TO ROLE cloner;
GRANT USAGE ON STAGE landing TO ROLE cloner;
GRANT MONITOR ON PIPE load_orders TO ROLE cloner;
GRANT SELECT ON STREAM order_changes TO ROLE cloner;
GRANT OPERATE ON TASK report TO ROLE cloner;

-- The cloner may read the table and use the stage, but owns no pipe, stream or task: its
-- clone of the database leaves those out.
USE ROLE cloner;
CREATE DATABASE sales_copy CLONE sales;
SHOW TERSE TABLES;
SHOW TERSE STAGES;
SHOW TERSE PIPES;
SHOW TERSE STREAMS;
SHOW TERSE TASKS;

-- Cloning one object: USAGE on a stage is enough, a stream needs OWNERSHIP; and the cloner
-- needs the CREATE privilege on the target schema (its own schema here).
CREATE SCHEMA work;
CREATE STAGE landing_copy CLONE sales.public.landing;
CREATE STREAM changes_copy CLONE sales.public.order_changes;
CREATE TASK report_copy CLONE sales.public.report;

-- ACCOUNTADMIN inherits ENGINEER (through SYSADMIN), so it owns everything: its clone has all
-- of them. "For pipes, the cloning role takes OWNERSHIP of the cloned pipes" (§1.3); the
-- other children keep their owner and their grants (seed: "the clone replicates all granted
-- privileges on the corresponding child objects").
USE ROLE accountadmin;
CREATE DATABASE sales_admin CLONE sales;
SHOW TERSE PIPES;
SHOW GRANTS ON PIPE sales_admin.public.load_orders;
SHOW GRANTS ON STREAM sales_admin.public.order_changes;
SHOW GRANTS ON TASK sales_admin.public.report;
