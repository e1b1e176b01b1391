-- The seed's first procedure: migrate data within one Alibaba Cloud account, run by the
-- account itself from the source project (seeds/maxcompute_clone_table.txt).
-- Set-up (emulator extension): the account owns both projects; the source table has data.
\login ALIYUN$data_owner@aliyunid.com
CREATE PROJECT project_analytics;
CREATE PROJECT project_reporting;
USE project_analytics;
CREATE TABLE sales_data (id BIGINT, order_date STRING, amount DECIMAL(10,2))
    COMMENT 'daily sales';
INSERT INTO sales_data VALUES
    (1, '2024-01-15', 299.00),
    (2, '2024-01-16', 450.50),
    (3, '2024-01-17', 120.00);

-- Run in the source project
SET odps.namespace.schema=false;
-- Clone the sales_data table from project_analytics to project_reporting
CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE;

-- After cloning, verify the destination table.
USE project_reporting;
SELECT * FROM sales_data LIMIT 2;
DESC sales_data;

-- Running it again overwrites the destination with the source's current data.
USE project_analytics;
INSERT INTO sales_data VALUES (4, '2024-01-18', 75.25);
CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE;
SELECT count(*) AS copied FROM project_reporting.sales_data;
