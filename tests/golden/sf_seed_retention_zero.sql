-- args: --dialect snowflake --on-error continue
-- Impact of DML and data retention on cloning (seed): with DATA_RETENTION_TIME_IN_DAYS = 0 no
-- history is kept, so a clone of any earlier point finds no data: 000707.
CREATE DATABASE sales;
CREATE TABLE t_sales (numeric integer) data_retention_time_in_days=0;
INSERT INTO t_sales (numeric) VALUES (1), (2), (3);
DELETE FROM t_sales WHERE numeric = 3;
CREATE TABLE t_sales_copy CLONE t_sales BEFORE(STATEMENT => LAST_QUERY_ID());
SELECT * FROM t_sales BEFORE(STATEMENT => LAST_QUERY_ID(-2));

-- The seed's workaround: retention 1 before the DML, then the point is there.
ALTER TABLE t_sales SET data_retention_time_in_days = 1;
DELETE FROM t_sales WHERE numeric = 2;
CREATE TABLE t_sales_copy CLONE t_sales BEFORE(STATEMENT => LAST_QUERY_ID());
SELECT * FROM t_sales_copy ORDER BY numeric;
-- ... and back to 0 on the source purges its history at once.
ALTER TABLE t_sales SET data_retention_time_in_days = 0;
SELECT * FROM t_sales BEFORE(STATEMENT => LAST_QUERY_ID(-3));
SHOW TABLES;
