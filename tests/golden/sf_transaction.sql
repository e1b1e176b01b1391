-- args: --dialect snowflake --on-error continue
-- Snowflake transactions: a failing statement inside one is undone alone (the transaction stays
-- open), ROLLBACK undoes everything since BEGIN, COMMIT applies it as one unit, and a session
-- that ends with a transaction open leaves nothing of it for the next session to see.
CREATE DATABASE d;
CREATE TABLE orders (id INT, amount NUMBER(10,2));
INSERT INTO orders VALUES (1, 10.00), (2, 20.00);
BEGIN TRANSACTION NAME load_orders;
INSERT INTO orders VALUES (3, 30.00);
UPDATE orders SET amount = amount * 2 WHERE id = 1;
INSERT INTO orders VALUES (4, 'forty');
SELECT * FROM orders ORDER BY id;
ROLLBACK;
SELECT * FROM orders ORDER BY id;
BEGIN;
INSERT INTO orders VALUES (3, 30.00);
DELETE FROM orders WHERE id = 2;
COMMIT WORK;
SELECT * FROM orders ORDER BY id;
START TRANSACTION;
INSERT INTO orders VALUES (5, 50.00);
SELECT count(*) FROM orders;
-- session
USE DATABASE d;
SELECT * FROM orders ORDER BY id;
INSERT INTO orders VALUES (6, 60.00);
SELECT * FROM orders ORDER BY id;
