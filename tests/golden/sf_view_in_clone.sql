-- args: --dialect snowflake --on-error continue
-- A view in a database clone keeps its stored text: the name it qualified still points at the
-- source database, an unqualified name resolves in the clone (Snowflake's cloning docs).
CREATE DATABASE src;
CREATE TABLE mytable (id INT, region STRING);
INSERT INTO mytable VALUES (1, 'EU'), (2, 'US');
CREATE VIEW qualified_v AS SELECT id, region FROM src.public.mytable;
CREATE VIEW relative_v AS SELECT id, region FROM mytable;
CREATE DATABASE dst CLONE src;
INSERT INTO src.public.mytable VALUES (3, 'APAC');
SELECT * FROM dst.public.qualified_v ORDER BY id;
SELECT * FROM dst.public.relative_v ORDER BY id;
SHOW TERSE VIEWS IN DATABASE dst;
INSERT INTO dst.public.qualified_v VALUES (4, 'EU');
