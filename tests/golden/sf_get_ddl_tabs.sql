-- args: --dialect snowflake
-- GET_DDL indents each column with a tab; the box expands it to the next 8-column tab stop,
-- as SnowSQL (and psql) print it, so the right border stays straight. A tab inside a value
-- lines up the same way, wide characters counted as two columns.
CREATE DATABASE sales;
CREATE TABLE t (id INT, name VARCHAR(16) COMMENT '名前');
SELECT GET_DDL('TABLE', 't');
SELECT 'a' || CHR(9) || 'b' AS x, '名前' || CHR(9) || '|' AS y;
