-- args: --dialect snowflake --on-error continue
-- Access control privileges for cloned objects (seed): a clone carries no grants on itself; a
-- schema or database clone carries its children's grants; COPY GRANTS copies a table's grants
-- (never OWNERSHIP); the clone is owned by the role that made it.
CREATE ROLE analyst;
CREATE ROLE loader;
CREATE DATABASE sales;
CREATE SCHEMA crm;
CREATE TABLE orders (id integer, amount number(10,2));
INSERT INTO orders VALUES (1, 10.50), (2, 20.00);
GRANT USAGE ON DATABASE sales TO ROLE analyst;
GRANT USAGE ON SCHEMA sales.crm TO ROLE analyst;
GRANT SELECT ON TABLE sales.crm.orders TO ROLE analyst;
GRANT INSERT ON TABLE sales.crm.orders TO ROLE loader;
SHOW GRANTS ON TABLE sales.crm.orders;

-- A table clone: no grants but its owner's; with COPY GRANTS, all but OWNERSHIP.
CREATE TABLE orders_plain CLONE orders;
SHOW GRANTS ON TABLE orders_plain;
CREATE TABLE orders_copy CLONE orders COPY GRANTS;
SHOW GRANTS ON TABLE orders_copy;

-- A schema clone: the child table keeps its grants, the schema gets none of crm's.
CREATE SCHEMA crm_clone CLONE crm;
SHOW GRANTS ON SCHEMA sales.crm_clone;
SHOW GRANTS ON TABLE sales.crm_clone.orders;

-- A database clone, made by SYSADMIN: schemas and tables keep theirs, the database gets none
-- of SALES's and is owned by SYSADMIN.
GRANT USAGE ON DATABASE sales TO ROLE sysadmin;
GRANT USAGE ON SCHEMA sales.crm TO ROLE sysadmin;
GRANT USAGE ON SCHEMA sales.crm_clone TO ROLE sysadmin;
GRANT SELECT ON ALL TABLES IN SCHEMA sales.crm TO ROLE sysadmin;
USE ROLE sysadmin;
CREATE DATABASE sales_dev CLONE sales;
SHOW GRANTS ON DATABASE sales_dev;
SHOW GRANTS ON SCHEMA sales_dev.crm;
SHOW GRANTS ON TABLE sales_dev.crm.orders;
SHOW SCHEMAS;
-- CRM_CLONE's table was not readable by SYSADMIN: it was not cloned.
SHOW TABLES IN DATABASE sales_dev;
SELECT * FROM sales_dev.crm.orders ORDER BY id;
