-- args: --on-error continue
-- ALTER TABLE … ADD COLUMNS: the new columns follow the existing ones; the rows already
-- written read NULL in them, and later writes fill them.
CREATE TABLE sale_detail (shop_name STRING, total_price DOUBLE) PARTITIONED BY (sale_date STRING);
INSERT INTO sale_detail PARTITION (sale_date='2013') VALUES ('s1', 100.1), ('s2', 100.2);
ALTER TABLE sale_detail ADD COLUMNS (customer_id STRING COMMENT 'the buyer', quantity BIGINT);
DESC sale_detail;
SELECT * FROM sale_detail WHERE sale_date = '2013';
INSERT INTO sale_detail PARTITION (sale_date='2014') VALUES ('s3', 100.3, 'c1', 2);
SELECT shop_name, customer_id, quantity, sale_date FROM sale_detail WHERE sale_date >= '2013';
-- IF NOT EXISTS skips a column that exists; without it, an existing name is an error.
ALTER TABLE sale_detail ADD COLUMNS IF NOT EXISTS (quantity BIGINT, region STRING);
ALTER TABLE sale_detail ADD COLUMNS (shop_name STRING);
SELECT shop_name, region FROM sale_detail WHERE sale_date = '2013';
