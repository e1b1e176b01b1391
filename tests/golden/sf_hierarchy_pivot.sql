-- args: --dialect snowflake --on-error continue
-- CONNECT BY (LEVEL, SYS_CONNECT_BY_PATH, CONNECT_BY_ROOT) and PIVOT/UNPIVOT as SnowSQL prints
-- them: pivot columns are named by the quoted value, unless given an alias.
CREATE DATABASE d;
CREATE TABLE employees (title VARCHAR, employee_ID INTEGER, manager_ID INTEGER);
INSERT INTO employees VALUES ('President', 1, NULL), ('Vice President Engineering', 10, 1),
    ('Programmer', 100, 10), ('QA Engineer', 101, 10), ('Vice President HR', 20, 1),
    ('Health Insurance Analyst', 200, 20);
SELECT employee_ID, LEVEL, SYS_CONNECT_BY_PATH(title, ' -> ') AS path,
       CONNECT_BY_ROOT title AS root
  FROM employees START WITH title = 'President' CONNECT BY manager_ID = PRIOR employee_ID
  ORDER BY employee_ID;
SELECT PRIOR title FROM employees;
CREATE TABLE quarterly_sales (empid INT, amount INT, quarter TEXT);
INSERT INTO quarterly_sales VALUES (1, 10000, '2023_Q1'), (1, 400, '2023_Q1'),
    (2, 4500, '2023_Q1'), (1, 5000, '2023_Q2'), (3, 2700, '2023_Q3');
SELECT * FROM quarterly_sales PIVOT(SUM(amount) FOR quarter IN (ANY ORDER BY quarter))
  ORDER BY empid;
SELECT * FROM quarterly_sales PIVOT(SUM(amount) FOR quarter IN ('2023_Q1' AS q1, '2023_Q2' AS q2)
  DEFAULT ON NULL (0)) ORDER BY empid;
SELECT * FROM (SELECT 1 AS id, 10 AS jan, 20 AS feb) UNPIVOT (sales FOR month IN (jan, feb))
  ORDER BY month;
