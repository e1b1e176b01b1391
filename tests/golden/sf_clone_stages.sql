-- args: --dialect snowflake --on-error continue
-- Cloning and Stages (seed, "Cloning Considerations"): "The following rules apply to cloning
-- stages or objects that contain stages (i.e. databases and schemas)". data/landing/ is the
-- "bucket" of an external stage (a local directory, file://); uploads is an internal stage.
CREATE DATABASE sales;
CREATE TABLE orders (id INT, item STRING, amount NUMBER(10,2));
CREATE STAGE landing URL = 'file://data/landing/' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);
CREATE STAGE uploads FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);
PUT file://data/orders_extra.csv @uploads;
PUT file://data/orders_extra.csv @%orders;

-- "Individual external named stages can be cloned; internal named stages cannot be cloned."
CREATE STAGE landing_copy CLONE landing;
CREATE STAGE uploads_copy CLONE uploads;

-- "When cloning a database or schema:
--   External named stages that were present in the source when the cloning operation
--   started are cloned. [...]
--   Internal named stages are not cloned."
CREATE DATABASE sales_dev CLONE sales;
SHOW TERSE STAGES;

-- "Tables are cloned, which means their internal stages are also cloned."
-- "Regardless of how a stage was cloned, the clone does not include any of the files from
-- the source. i.e. all cloned stages are empty."
LIST @%orders;
LIST @sales.public.%orders;
-- An external stage's files are in its location, not in the stage: the clone points at the
-- same URL (which is why cloned pipes on external stages see the same files).
COPY INTO orders FROM @landing PATTERN = '.*day1.*';

-- Internal named stages are cloned only when asked (reference/snowflake.md §1.2: INCLUDE
-- INTERNAL STAGES), and then empty.
CREATE SCHEMA sales.public_copy CLONE sales.public INCLUDE INTERNAL STAGES;
SHOW TERSE STAGES;
LIST @uploads;
LIST @sales.public.uploads;
