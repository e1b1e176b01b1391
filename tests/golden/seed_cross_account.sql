-- args: --on-error continue
-- The seed's cross-account migration (seeds/maxcompute_clone_table.txt, "Migrate data across
-- different Alibaba Cloud accounts"). Set-up (emulator extension): each account makes its
-- project; the source owner loads the table.
\login ALIYUN$source_owner@aliyunid.com
CREATE PROJECT project_analytics;
USE project_analytics;
CREATE TABLE sales_data (id BIGINT, order_date STRING, amount DECIMAL(10,2))
    COMMENT 'daily sales' LIFECYCLE 365;
INSERT INTO sales_data VALUES
    (1, '2024-01-15', 299.00),
    (2, '2024-01-16', 450.50),
    (3, '2024-01-17', 120.00);
\login ALIYUN$destination_owner@aliyunid.com
CREATE PROJECT project_reporting;

-- Before step 1 the destination owner is a stranger to the source project.
CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE;

-- Step 1: grant permissions in the source project. Log in as the source project owner.
\login ALIYUN$source_owner@aliyunid.com
-- Run in the source project (project_analytics)
USE project_analytics;
-- Add the destination project owner to the source project
ADD USER ALIYUN$destination_owner@aliyunid.com;
-- Grant project-level permissions
GRANT CreateTable, CreateInstance ON PROJECT project_analytics TO USER ALIYUN$destination_owner@aliyunid.com;
-- Grant read access to the source table
GRANT Select ON TABLE sales_data TO USER ALIYUN$destination_owner@aliyunid.com;
SHOW GRANTS FOR ALIYUN$destination_owner@aliyunid.com;

-- Step 2: run CLONE TABLE in the destination project. Log in as the destination project owner.
\login ALIYUN$destination_owner@aliyunid.com
-- Run in the destination project (project_reporting)
USE project_reporting;
-- Clone the table from project_analytics to project_reporting
CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE;

-- Step 3: verify the cloned data.
-- Check a sample of rows
SELECT * FROM sales_data LIMIT 2;
-- Check the table structure and size
DESC sales_data;

-- Clean up cross-account access: remove the destination owner from the source project.
\login ALIYUN$source_owner@aliyunid.com
USE project_analytics;
REMOVE USER ALIYUN$destination_owner@aliyunid.com;
LIST USERS;

-- Afterwards the destination owner can no longer read the source...
\login ALIYUN$destination_owner@aliyunid.com
USE project_reporting;
SELECT * FROM project_analytics.sales_data LIMIT 2;
-- ...while the clone stays theirs.
SELECT count(*) AS n FROM sales_data;
