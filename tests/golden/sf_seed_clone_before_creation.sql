-- args: --dialect snowflake --on-error continue
-- Cloning of historical objects (seed): the source did not exist 30 minutes ago.
CREATE DATABASE sales;
CREATE TABLE t_sales (numeric integer) data_retention_time_in_days=1;

CREATE OR REPLACE TABLE sales.public.t_sales_20170522 CLONE sales.public.t_sales at(offset => -60*30);

-- Nothing was created; a clone of the present works.
SHOW TABLES;
CREATE OR REPLACE TABLE sales.public.t_sales_20170522 CLONE sales.public.t_sales;
SHOW TABLES;
