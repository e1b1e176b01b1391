-- args: --dialect snowflake --on-error continue
-- Name conflicts (seeds/snowflake_cloning_considerations.txt, "Impact of DDL on Cloning"):
-- creating, renaming or undropping onto a name in use is `002002 (42710) ... already exists.`
CREATE DATABASE sales;
CREATE TABLE t_sales (numeric integer) data_retention_time_in_days=1;
CREATE TABLE t_sales_20170522 (numeric integer);
CREATE TABLE t_sales (numeric integer);
CREATE TABLE "T_SALES" (numeric integer);
ALTER TABLE sales.public.t_sales_20170522 RENAME TO sales.public.t_sales;

-- The seed's two statements, run in sequence: the dropped name is free again.
DROP TABLE sales.public.t_sales;
ALTER TABLE sales.public.t_sales_20170522 RENAME TO sales.public.t_sales;
SHOW TABLES HISTORY;

-- The dropped T_SALES cannot come back while the name is taken; rename, then UNDROP.
UNDROP TABLE sales.public.t_sales;
ALTER TABLE sales.public.t_sales RENAME TO sales.public.t_sales_renamed;
UNDROP TABLE sales.public.t_sales;
SHOW TABLES HISTORY;
CREATE TABLE IF NOT EXISTS t_sales (numeric integer);
