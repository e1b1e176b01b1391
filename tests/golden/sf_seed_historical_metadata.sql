-- args: --dialect snowflake --on-error continue
-- Cloning of historical object metadata (seed): the schema cloned 30 minutes back holds the
-- table under its current name, with the data of that point. `\clock` moves the session clock
-- (the script starts at 2024-01-15 10:00:00) so that the point is meaningful.
USE ROLE sysadmin;
CREATE DATABASE sales;
CREATE OR REPLACE TABLE t_sales (numeric integer) data_retention_time_in_days=1;

INSERT INTO  t_sales (numeric)
VALUES (1),(2),(3);

\clock +20m
ALTER TABLE sales.public.t_sales RENAME TO sales.public.t_sales_20170522;

INSERT INTO  t_sales_20170522 (numeric)
VALUES (4);

\clock +20m
CREATE OR REPLACE SCHEMA sales.private CLONE sales.public at(offset => -60*30);

USE SCHEMA sales.private;

SHOW TABLES;

SELECT * FROM t_sales_20170522 ORDER BY numeric;

-- The source has all four rows, and its own history of the rename.
SELECT * FROM sales.public.t_sales_20170522 ORDER BY numeric;
SELECT count(*) FROM sales.public.t_sales_20170522 AT(offset => -60*30);
