-- args: --dialect snowflake --on-error continue
-- Cloning and Streams (seed, "Cloning Considerations").
CREATE DATABASE sales;
CREATE TABLE orders (id INT, item STRING);
INSERT INTO orders VALUES (1, 'apples'), (2, 'pears');
CREATE STREAM order_changes ON TABLE orders;
\clock +10m
INSERT INTO orders VALUES (3, 'plums');
UPDATE orders SET item = 'green pears' WHERE id = 2;
-- Two changes the stream has not delivered yet: the source's stream holds them.
SELECT id, item, METADATA$ACTION, METADATA$ISUPDATE FROM order_changes ORDER BY id, METADATA$ACTION;

-- "Currently, when a database or schema that contains source tables and streams is cloned,
-- any unconsumed records in the streams (in the clone) are inaccessible."
CREATE DATABASE sales_dev CLONE sales;
SELECT id, item, METADATA$ACTION, METADATA$ISUPDATE FROM order_changes ORDER BY id, METADATA$ACTION;
SHOW TERSE STREAMS;

-- "This behavior is consistent with Time Travel for tables. If a table is cloned, historical
-- data for the table clone begins at the time/point when the clone was created."
SELECT count(*) FROM sales.public.orders AT(OFFSET => -60*5);
SELECT count(*) FROM sales_dev.public.orders AT(OFFSET => -60*5);

-- From its creation on, the clone's stream records the clone's table, and the source's stream
-- still holds what it had.
\clock +1m
DELETE FROM sales_dev.public.orders WHERE id = 1;
SELECT id, item, METADATA$ACTION, METADATA$ISUPDATE FROM sales_dev.public.order_changes;
SELECT count(*) FROM sales.public.order_changes;

-- A stream cloned on its own (CREATE STREAM ... CLONE) "inherits the current offset ... from
-- the source stream" (CREATE STREAM docs): its unconsumed records stay readable.
USE SCHEMA sales.public;
CREATE STREAM order_changes_2 CLONE order_changes;
SELECT count(*) FROM order_changes_2;
