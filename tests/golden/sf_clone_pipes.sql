-- args: --dialect snowflake --on-error continue
-- Cloning and Pipes (seed, "Cloning Considerations"). data/landing/ is the "bucket" of an
-- external stage: day1/ holds the files that arrived before the clone, day2/ one that arrives
-- after it (ALTER PIPE ... REFRESH PREFIX sends each day's files to a pipe).
CREATE DATABASE sales;
CREATE TABLE orders_fq (id INT, item STRING, amount NUMBER(10,2));
CREATE TABLE orders_rel (id INT, item STRING, amount NUMBER(10,2));
CREATE STAGE landing URL = 'file://data/landing/' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);
CREATE STAGE uploads FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);
-- Its COPY names its target fully qualified (db_name.schema_name.table_name) ...
CREATE PIPE load_fq AS COPY INTO sales.public.orders_fq FROM @landing;
-- ... this one does not ...
CREATE PIPE load_rel AUTO_INGEST = TRUE AS COPY INTO orders_rel FROM @landing;
-- ... and this one reads an internal stage.
CREATE PIPE load_uploads AS COPY INTO orders_rel FROM @uploads;
ALTER PIPE load_fq REFRESH PREFIX = 'day1/';
ALTER PIPE load_rel REFRESH PREFIX = 'day1/';

-- "When a database or schema is cloned, any pipes in the source container that reference an
-- internal (i.e. Snowflake) stage are not cloned.
-- However, any pipes that reference an external stage are cloned."
CREATE DATABASE sales_dev CLONE sales;
SHOW PIPES;
-- The clones wait to be resumed: paused (AUTO_INGEST = FALSE) or STOPPED_CLONED (TRUE), and
-- owned by the role that cloned them (reference/snowflake.md §1.3, §7.5).
SELECT SYSTEM$PIPE_STATUS('load_fq');
SELECT SYSTEM$PIPE_STATUS('load_rel');
ALTER PIPE load_fq SET PIPE_EXECUTION_PAUSED = FALSE;
ALTER PIPE load_rel SET PIPE_EXECUTION_PAUSED = FALSE;

-- day2/orders.csv arrives; both the source's pipes and the clone's pipes are sent it.
ALTER PIPE sales.public.load_fq REFRESH PREFIX = 'day2/';
ALTER PIPE sales.public.load_rel REFRESH PREFIX = 'day2/';
ALTER PIPE sales_dev.public.load_fq REFRESH PREFIX = 'day2/';
ALTER PIPE sales_dev.public.load_rel REFRESH PREFIX = 'day2/';

-- "If the target table is fully qualified in the COPY statement in the pipe definition (in
-- the form of db_name.schema_name.table_name or schema_name.table_name), this can result in
-- duplicate data getting loaded into the target table in the source database or schema by
-- each pipe."
SELECT id, item, count(*) AS copies FROM sales.public.orders_fq GROUP BY id, item ORDER BY id;
SELECT count(*) FROM sales_dev.public.orders_fq;

-- "If the target table is not fully qualified in the pipe definition, then the data is loaded
-- into the target table (e.g. mytable) in the source and cloned databases/schemas."
SELECT id, item, count(*) AS copies FROM sales.public.orders_rel GROUP BY id, item ORDER BY id;
SELECT id, item, count(*) AS copies FROM sales_dev.public.orders_rel GROUP BY id, item ORDER BY id;
