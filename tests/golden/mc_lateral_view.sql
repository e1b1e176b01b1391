-- MaxCompute LATERAL VIEW: explode an array and a map, posexplode, OUTER keeping rows whose
-- array is empty, and a standalone explode in the select list.
CREATE TABLE pageviews (uid BIGINT, pages ARRAY<STRING>, props MAP<STRING,BIGINT>);
INSERT INTO pageviews SELECT 1, array('home', 'cart'), map('clicks', 3, 'scrolls', 7);
INSERT INTO pageviews SELECT 2, array('home'), map('clicks', 1);
INSERT INTO pageviews SELECT 3, array(), map();
SELECT uid, pages[0] AS first_page, size(pages) AS n, props['clicks'] AS clicks FROM pageviews
    ORDER BY uid LIMIT 10;
SELECT uid, page FROM pageviews LATERAL VIEW explode(pages) p AS page ORDER BY uid, page LIMIT 10;
SELECT uid, page FROM pageviews LATERAL VIEW OUTER explode(pages) p AS page
    ORDER BY uid, page LIMIT 10;
SELECT uid, pos, page FROM pageviews LATERAL VIEW posexplode(pages) p AS pos, page
    ORDER BY uid, pos LIMIT 10;
SELECT uid, k, v FROM pageviews LATERAL VIEW explode(props) p AS k, v ORDER BY uid, k LIMIT 10;
SELECT explode(pages) AS page FROM pageviews WHERE uid = 1;
SELECT page, count(*) AS views FROM pageviews LATERAL VIEW explode(pages) p AS page
    GROUP BY page ORDER BY page LIMIT 10;
SELECT uid FROM pageviews LATERAL VIEW explode(pages) p AS page LATERAL VIEW explode(props) q AS k, v
    WHERE page = 'cart' AND k = 'scrolls';
SELECT upper(uid) FROM pageviews LATERAL VIEW upper(pages) p AS x;
