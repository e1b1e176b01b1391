-- args: --on-error continue
-- The seed's RAM-user variant: a RAM user needs exactly Select on the source table and
-- CreateTable + CreateInstance on the destination project (seeds/maxcompute_clone_table.txt).
\login ALIYUN$data_owner@aliyunid.com
CREATE PROJECT project_analytics;
CREATE PROJECT project_reporting;
USE project_analytics;
CREATE TABLE sales_data (id BIGINT, order_date STRING, amount DECIMAL(10,2));
INSERT INTO sales_data VALUES (1, '2024-01-15', 299.00), (2, '2024-01-16', 450.50);
ADD USER RAM$data_owner@aliyunid.com:migrator;
USE project_reporting;
ADD USER RAM$data_owner@aliyunid.com:migrator;

-- Without the permissions the RAM user is refused.
\login RAM$data_owner@aliyunid.com:migrator
USE project_analytics;
CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE;

-- The owner grants exactly the seed's three permissions.
\login ALIYUN$data_owner@aliyunid.com
USE project_analytics;
GRANT Select ON TABLE sales_data TO USER RAM$data_owner@aliyunid.com:migrator;
USE project_reporting;
GRANT CreateTable, CreateInstance ON PROJECT project_reporting TO USER RAM$data_owner@aliyunid.com:migrator;

-- With these permissions, a RAM user runs CLONE TABLE the same way as the account.
\login RAM$data_owner@aliyunid.com:migrator
\whoami
USE project_analytics;
SET odps.namespace.schema=false;
CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE;
USE project_reporting;
SELECT * FROM sales_data LIMIT 2;
-- The RAM user owns the clone it made.
DESC sales_data;
-- ...but holds nothing else: the source table stays closed to DESC.
DESC project_analytics.sales_data;
