-- args: --dialect snowflake --on-error continue
-- VARIANT paths and LATERAL FLATTEN (issue 14), after the FLATTEN and "Querying semi-structured
-- data" doc pages: `:` paths with `.`, `:` and `[ ]` steps, casts out of a VARIANT, FLATTEN of an
-- object and an array (KEY, PATH, INDEX, VALUE), OUTER => TRUE, and LATERAL FLATTEN over a column.
CREATE DATABASE d;
CREATE TABLE persons (id INT, c VARIANT);
INSERT INTO persons SELECT 12712555, PARSE_JSON('{"name": {"first": "John", "last": "Smith"}, "contact": [{"business": [{"type": "phone", "content": "555-1234"}, {"type": "email", "content": "j.smith@company.com"}]}]}');
INSERT INTO persons SELECT 98127771, PARSE_JSON('{"name": {"first": "Jane", "last": "Doe"}, "contact": [{"business": [{"type": "phone", "content": "555-1236"}, {"type": "email", "content": "j.doe@company.com"}]}]}');
SELECT id, c:name.first::VARCHAR AS first, c:name:last::VARCHAR AS last, c:contact[0].business[1]:content AS email FROM persons ORDER BY id;
SELECT f.key, f.path, f.index, f.value FROM TABLE(FLATTEN(input => PARSE_JSON('{"a":1, "b":[77,88]}'))) f ORDER BY f.key;
SELECT f.path, f.index, f.value FROM TABLE(FLATTEN(input => PARSE_JSON('{"a":1, "b":[77,88]}'), path => 'b')) f ORDER BY f.index;
SELECT f.key, f.value FROM TABLE(FLATTEN(input => PARSE_JSON('[]'), outer => TRUE)) f;
SELECT COUNT(*) FROM TABLE(FLATTEN(input => PARSE_JSON('[]')));
SELECT p.id, b.value:type::VARCHAR AS type, b.value:content::VARCHAR AS content
  FROM persons p, LATERAL FLATTEN(input => p.c:contact[0].business) b
  ORDER BY p.id, b.index;
SELECT * FROM TABLE(FLATTEN(input => PARSE_JSON('[1, ,77]'))) f;
