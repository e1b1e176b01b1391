-- args: --dialect snowflake --on-error continue
-- MERGE with every kind of clause (the MERGE doc's t1/t2 example), then the nondeterministic
-- merge error (ERROR_ON_NONDETERMINISTIC_MERGE defaults to TRUE): nothing changes.
CREATE DATABASE d;
CREATE TABLE t1 (t1Key INT, val INT, status INT);
CREATE TABLE t2 (t2Key INT, marked INT, isNewStatus INT, newVal INT, newStatus INT);
INSERT INTO t1 VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0), (4, 40, 0);
INSERT INTO t2 VALUES (1, 1, 0, 11, 1), (2, 0, 1, 21, 2), (3, 0, 0, 31, 3), (5, 0, 0, 51, 5);
MERGE INTO t1 USING t2 ON t1.t1Key = t2.t2Key
    WHEN MATCHED AND t2.marked = 1 THEN DELETE
    WHEN MATCHED AND t2.isNewStatus = 1 THEN UPDATE SET val = t2.newVal, status = t2.newStatus
    WHEN MATCHED THEN UPDATE SET val = t2.newVal
    WHEN NOT MATCHED THEN INSERT (t1Key, val, status) VALUES (t2.t2Key, t2.newVal, t2.newStatus);
SELECT * FROM t1 ORDER BY t1Key;
INSERT INTO t2 VALUES (2, 0, 0, 99, 9);
MERGE INTO t1 USING t2 ON t1.t1Key = t2.t2Key WHEN MATCHED THEN UPDATE SET val = t2.newVal;
SELECT * FROM t1 ORDER BY t1Key;
