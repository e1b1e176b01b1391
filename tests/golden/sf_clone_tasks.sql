-- args: --dialect snowflake --on-error continue
-- Cloning and Tasks (seed, "Cloning Considerations"). A task runs as its owner in its own
-- schema: an unqualified name in its statement means that schema's object, in a clone too.
CREATE DATABASE sales;
CREATE TABLE orders (id INT, item STRING);
CREATE TABLE order_counts (at TIMESTAMP, orders INT);
CREATE TASK count_orders SCHEDULE = '60 MINUTE'
  AS INSERT INTO order_counts SELECT CURRENT_TIMESTAMP, count(*) FROM orders;
CREATE TASK tidy_counts AFTER count_orders
  AS DELETE FROM order_counts WHERE at < DATEADD(hour, -2, CURRENT_TIMESTAMP);
ALTER TASK tidy_counts RESUME;
ALTER TASK count_orders RESUME;
INSERT INTO orders VALUES (1, 'apples'), (2, 'pears');
SHOW TERSE TASKS;

-- "When a database or schema that contains tasks is cloned, the tasks in the clone are
-- suspended by default."
CREATE DATABASE sales_dev CLONE sales;
SHOW TASKS IN ACCOUNT;
\clock +60m
SELECT name, database_name, state, scheduled_time FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())
  WHERE state <> 'SCHEDULED' ORDER BY database_name, scheduled_time, name;

-- "The tasks can be resumed individually (using ALTER TASK … RESUME)."
ALTER TASK sales_dev.public.tidy_counts RESUME;
ALTER TASK sales_dev.public.count_orders RESUME;
INSERT INTO sales_dev.public.orders VALUES (3, 'plums');
\clock +60m
SELECT name, database_name, state, scheduled_time FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())
  WHERE state <> 'SCHEDULED' ORDER BY database_name, scheduled_time, name;
SELECT * FROM sales.public.order_counts ORDER BY at;
SELECT * FROM sales_dev.public.order_counts ORDER BY at;

-- A clone made with AT | BEFORE leaves tasks out (reference/snowflake.md §1.3: "Not cloned at
-- all when the schema/database clone uses AT/BEFORE").
CREATE SCHEMA sales.public_then CLONE sales.public AT(OFFSET => -60*30);
SHOW TERSE TASKS IN SCHEMA sales.public_then;
SHOW TERSE TABLES IN SCHEMA sales.public_then;
