-- args: --dialect snowflake --on-error continue
-- A temporary table is its session's only: it shadows the permanent ORDERS while the session
-- lasts, and is gone when the session ends (a second session finds neither temporary table).
CREATE DATABASE d;
CREATE TABLE orders (id INT);
INSERT INTO orders VALUES (1);
CREATE TEMPORARY TABLE scratch (id INT);
INSERT INTO scratch VALUES (10), (20);
CREATE TEMPORARY TABLE orders (id INT, note STRING);
INSERT INTO orders VALUES (2, 'temporary');
SELECT * FROM orders;
SHOW TERSE TABLES;
CREATE TABLE copy CLONE scratch;
-- session
USE DATABASE d;
SELECT * FROM scratch;
SELECT * FROM orders;
SHOW TERSE TABLES;
