-- Cross-account CLONE TABLE, as in the MaxCompute documentation ("Migrate data across
-- different Alibaba Cloud accounts"), rehearsed on a local warehouse. Played by the recorder
-- for docs/demo.cast; a `--` comment right before a statement is typed along with it.
\login ALIYUN$source_owner@aliyunid.com
-- Set-up: the source account's project and table.
CREATE PROJECT project_analytics;
USE project_analytics;
CREATE TABLE sales_data (
    id BIGINT, order_date STRING, amount DECIMAL(10,2)
) COMMENT 'daily sales' LIFECYCLE 365;
INSERT INTO sales_data VALUES
    (1, '2024-01-15', 299.00),
    (2, '2024-01-16', 450.50),
    (3, '2024-01-17', 120.00);
\login ALIYUN$destination_owner@aliyunid.com
-- The destination account's project.
CREATE PROJECT project_reporting;

\login ALIYUN$source_owner@aliyunid.com
-- Step 1: in the source project, let the destination owner in.
USE project_analytics;
ADD USER ALIYUN$destination_owner@aliyunid.com;
GRANT CreateTable, CreateInstance ON PROJECT project_analytics
    TO USER ALIYUN$destination_owner@aliyunid.com;
GRANT Select ON TABLE sales_data
    TO USER ALIYUN$destination_owner@aliyunid.com;

\login ALIYUN$destination_owner@aliyunid.com
-- Step 2: in the destination project, clone the table.
USE project_reporting;
CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data
    IF EXISTS OVERWRITE;
-- Step 3: verify the clone.
SELECT * FROM sales_data LIMIT 2;
DESC sales_data;

\login ALIYUN$source_owner@aliyunid.com
-- Clean up: remove the destination owner from the source project.
USE project_analytics;
REMOVE USER ALIYUN$destination_owner@aliyunid.com;

\login ALIYUN$destination_owner@aliyunid.com
USE project_reporting;
-- The source is closed again...
SELECT * FROM project_analytics.sales_data LIMIT 2;
-- ...while the clone stays theirs.
SELECT count(*) AS n FROM sales_data;
