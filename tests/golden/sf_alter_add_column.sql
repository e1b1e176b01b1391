-- args: --dialect snowflake --on-error continue
-- ALTER TABLE ADD COLUMN, then a historical read: Time Travel returns the table's current
-- columns, the added one NULL in the past (Snowflake's Time Travel docs); a clone starts with
-- automatic clustering suspended.
CREATE DATABASE d;
CREATE TABLE orders (id INT, amount NUMBER(10,2)) CLUSTER BY (id);
INSERT INTO orders VALUES (1, 10.00), (2, 20.00);
\clock +10m
ALTER TABLE orders ADD COLUMN region VARCHAR(10) DEFAULT 'EU';
INSERT INTO orders VALUES (3, 30.00, 'US');
SELECT * FROM orders ORDER BY id;
SELECT * FROM orders AT(OFFSET => -60*5) ORDER BY id;
ALTER TABLE orders RENAME COLUMN amount TO total;
ALTER TABLE orders ALTER total SET DATA TYPE VARCHAR(5);
CREATE TABLE orders_copy CLONE orders;
SHOW TABLES;
