"""Snowflake syntax that pasted code uses (issue 14): `v:a:b` path steps, structured types,
TRY_CAST, DATE_PART(part FROM x); each with the value Snowflake documents."""

from __future__ import annotations

import datetime

import pytest
from engine_helpers import fails

from cloneshell.engine import Rows, Session


def _rows(s: Session, sql: str) -> list[tuple[object, ...]]:
    *_, result = s.execute(sql)
    assert isinstance(result, Rows)
    return result.rows


def test_path_steps_may_be_written_with_colons_and_blanks(sf: Session) -> None:
    doc = 'PARSE_JSON(\'{"level1": {"level2": {"level3": "value"}}, "a": [{"n": 1}]}\')'
    rows = _rows(
        sf,
        f"WITH t AS (SELECT {doc} AS data) "
        "SELECT data:   level1 : level2 : level3::VARCHAR, data:level1.level2:level3::VARCHAR, "
        "data:a[0]:n FROM t",
    )
    assert rows == [("value", "value", "1")]


def test_structured_types_in_casts_and_columns(sf: Session) -> None:
    sf.execute("CREATE DATABASE d")
    sf.execute(
        "CREATE TABLE st (a ARRAY(INT), o OBJECT(x INT, y VARCHAR NOT NULL), m MAP(VARCHAR, INT))"
    )
    types = [row[1] for row in _rows(sf, "DESC TABLE st")]
    assert types == [
        "ARRAY(NUMBER(38,0))",
        "OBJECT(x NUMBER(38,0), y VARCHAR(16777216))",
        "MAP(VARCHAR(16777216), NUMBER(38,0))",
    ]
    assert _rows(sf, "SELECT CAST([1, 2, 3] AS ARRAY(INT))") == [("[1,2,3]",)]
    assert _rows(sf, "SELECT OBJECT_CONSTRUCT('a', 1)::MAP(VARCHAR, INT)") == [('{"a":1}',)]


def test_a_map_key_must_be_text_or_an_integer(sf: Session) -> None:
    assert "Unsupported data type 'MAP'" in fails(sf, "SELECT [1]::MAP(FLOAT, INT)").text


def test_try_cast_gives_null_where_cast_fails(sf: Session) -> None:
    # TRY_CAST docs: TRY_CAST('05-Mar-2016' AS TIMESTAMP) is a timestamp, a bad string NULL.
    rows = _rows(sf, "SELECT TRY_CAST('12:30:00' AS TIME) IS NULL, TRY_CAST('abc' AS INT)")
    assert rows == [(False, None)]
    assert _rows(sf, "SELECT TRY_CAST('123' AS INT)") == [(123,)]


@pytest.mark.parametrize(
    "sql", ["DATE_PART(year FROM '2024-04-08'::DATE)", "DATE_PART('year' FROM '2024-04-08'::DATE)"]
)
def test_date_part_with_from(sf: Session, sql: str) -> None:
    assert _rows(sf, f"SELECT {sql}") == [(2024,)]


def test_from_belongs_only_to_extract_and_date_part(sf: Session) -> None:
    assert "FROM" in fails(sf, "SELECT UPPER(year FROM CURRENT_DATE())").text


@pytest.fixture
def thousand(sf: Session) -> Session:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE t AS SELECT SEQ4() AS i FROM TABLE(GENERATOR(ROWCOUNT => 1000))")
    return sf


def test_sample_a_fixed_number_of_rows(thousand: Session) -> None:
    # SAMPLE docs: `SAMPLE (10 ROWS)` returns exactly 10 rows of a larger table.
    assert _rows(thousand, "SELECT COUNT(*) FROM t SAMPLE (10 ROWS)") == [(10,)]
    assert _rows(thousand, "SELECT COUNT(*) FROM t TABLESAMPLE ROW (0)") == [(0,)]
    assert _rows(thousand, "SELECT COUNT(*) FROM t AS x SAMPLE BERNOULLI (100)") == [(1000,)]


def test_a_seed_repeats_the_sample(thousand: Session) -> None:
    picks = {
        _rows(thousand, f"SELECT SUM(i), COUNT(*) FROM t SAMPLE (10) {kw} (42)")[0]
        for kw in ("SEED", "REPEATABLE", "SEED")
    }
    assert len(picks) == 1
    (total, count) = picks.pop()
    assert 30 < count < 200 and total != sum(range(count))  # a sample, not the first rows


def test_sample_of_a_subquery_and_a_join(thousand: Session) -> None:
    rows = _rows(
        thousand,
        "SELECT COUNT(*) FROM (SELECT * FROM t WHERE i < 500) SAMPLE (10 ROWS) "
        "JOIN t AS u TABLESAMPLE (100) ON TRUE",
    )
    assert rows == [(10 * 1000,)]


@pytest.mark.parametrize(
    ("clause", "text"),
    [
        ("SAMPLE (101)", "sample probability must be 0 to 100"),
        ("SAMPLE (2000000 ROWS)", "sample rows must be an integer 0 to 1000000"),
        ("SAMPLE BLOCK (5 ROWS)", "SYSTEM | BLOCK sampling takes a percentage"),
        ("SAMPLE (i)", "sample size must be a constant"),
        ("SAMPLE (5) SEED (1.5)", "seed must be an integer"),
    ],
)
def test_bad_samples_are_refused(thousand: Session, clause: str, text: str) -> None:
    assert text in fails(thousand, f"SELECT * FROM t {clause}").text


@pytest.fixture
def ticks(sf: Session) -> Session:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE trades (sym TEXT, t INT, px INT)")
    sf.execute("CREATE TABLE quotes (sym TEXT, t INT, bid INT)")
    sf.execute("INSERT INTO trades VALUES ('A', 5, 100), ('A', 1, 90), ('B', 3, 50)")
    sf.execute("INSERT INTO quotes VALUES ('A', 0, 1), ('A', 4, 2), ('A', 6, 3), ('B', 9, 7)")
    return sf


def test_asof_join_takes_the_closest_earlier_row(ticks: Session) -> None:
    # ASOF JOIN docs: each left row with the right row closest by MATCH_CONDITION among those
    # the ON condition pairs it with; a left row with none gets NULLs.
    rows = _rows(
        ticks,
        "SELECT tr.sym, tr.t, q.t, q.bid FROM trades tr ASOF JOIN quotes q "
        "MATCH_CONDITION (tr.t >= q.t) ON tr.sym = q.sym ORDER BY tr.sym, tr.t",
    )
    assert [tuple(None if v is None else str(v) for v in r) for r in rows] == [
        ("A", "1", "0", "1"),
        ("A", "5", "4", "2"),
        ("B", "3", None, None),
    ]


def test_asof_join_looking_forward(ticks: Session) -> None:
    rows = _rows(
        ticks,
        "SELECT tr.t, q.t FROM trades tr ASOF JOIN quotes q MATCH_CONDITION (tr.t < q.t) "
        "ORDER BY tr.t",
    )
    assert [tuple(str(v) for v in r) for r in rows] == [("1", "4"), ("3", "4"), ("5", "6")]


@pytest.mark.parametrize(
    ("sql", "text"),
    [
        ("SELECT * FROM trades ASOF JOIN quotes", "ASOF JOIN takes MATCH_CONDITION"),
        (
            "SELECT * FROM trades tr ASOF JOIN quotes q MATCH_CONDITION (tr.t = q.t)",
            "MATCH_CONDITION compares with >=, >, <= or <",
        ),
        (
            "SELECT * FROM trades tr JOIN quotes q MATCH_CONDITION (tr.t >= q.t)",
            "ASOF JOIN takes MATCH_CONDITION",
        ),
    ],
)
def test_bad_asof_joins_are_refused(ticks: Session, sql: str, text: str) -> None:
    assert text in fails(ticks, sql).text


def test_star_exclude_leaves_columns_out(sf: Session) -> None:
    # SELECT docs: `* EXCLUDE col` and `* EXCLUDE (col, …)`, also after `t.`.
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE t (a INT, b INT, c INT)")
    sf.execute("INSERT INTO t VALUES (1, 2, 3)")
    *_, r = sf.execute("SELECT * EXCLUDE (a, c), t.* EXCLUDE b FROM t")
    assert isinstance(r, Rows) and [c.name for c in r.columns] == ["B", "A", "C"]
    assert "NOPE" in fails(sf, "SELECT * EXCLUDE nope FROM t").text


def test_object_construct_keep_null_keeps_null_values_but_not_null_keys(sf: Session) -> None:
    # OBJECT_CONSTRUCT_KEEP_NULL docs: a NULL value is kept as JSON null; a pair whose key is
    # NULL is left out. OBJECT_CONSTRUCT leaves out both.
    sql = (
        "SELECT OBJECT_CONSTRUCT('key_1', 'one', 'key_2', NULL), "
        "OBJECT_CONSTRUCT_KEEP_NULL('key_1', 'one', 'key_2', NULL), "
        "OBJECT_CONSTRUCT_KEEP_NULL('key_1', 'one', NULL, 'two')"
    )
    assert _rows(sf, sql) == [
        ('{"key_1":"one"}', '{"key_1":"one","key_2":null}', '{"key_1":"one"}')
    ]


def test_a_number_cast_to_timestamp_counts_seconds_since_the_epoch(sf: Session) -> None:
    # `::TIMESTAMP` reads a value as TO_TIMESTAMP does (its docs): a number is seconds since the
    # epoch, text of an integer too; a date or timestamp keeps its value.
    assert _rows(sf, "SELECT 1748179630::TIMESTAMP, '1748179630'::TIMESTAMP_NTZ") == [
        (datetime.datetime(2025, 5, 25, 13, 27, 10), datetime.datetime(2025, 5, 25, 13, 27, 10))
    ]
    sf.execute("CREATE DATABASE epochs_db")
    sf.execute("CREATE TABLE epochs (n INT, v VARIANT, d DATE)")
    sf.execute("INSERT INTO epochs SELECT 1748179630, PARSE_JSON('{\"ts\": 1}'), '2024-01-02'")
    assert _rows(
        sf, "SELECT n::TIMESTAMP, TO_TIMESTAMP(n), v:ts::TIMESTAMP, d::TIMESTAMP FROM epochs"
    ) == [
        (
            datetime.datetime(2025, 5, 25, 13, 27, 10),
            datetime.datetime(2025, 5, 25, 13, 27, 10),
            datetime.datetime(1970, 1, 1, 0, 0, 1),
            datetime.datetime(2024, 1, 2, 0, 0),
        )
    ]
    assert fails(sf, "SELECT TRUE::TIMESTAMP").code == "100035"


def test_comment_on_sets_the_comment_alter_sets(sf: Session) -> None:
    # COMMENT docs: COMMENT [IF EXISTS] ON <object_type> <name> IS '<string_literal>', and
    # COMMENT ON COLUMN <table>.<column> IS '…'.
    sf.execute("CREATE DATABASE notes")
    sf.execute("CREATE TABLE ingredients (c INT)")
    sf.execute("COMMENT ON TABLE ingredients IS 'pepperoni'")
    sf.execute("COMMENT IF EXISTS ON TABLE public.ingredients IS 'mushrooms'")
    sf.execute("COMMENT ON COLUMN ingredients.c IS 'col c'")
    sf.execute("COMMENT ON SCHEMA public IS 'sch'")
    tables = "SELECT comment FROM information_schema.tables WHERE table_name = 'INGREDIENTS'"
    assert _rows(sf, tables) == [("mushrooms",)]
    columns = "SELECT comment FROM information_schema.columns WHERE table_name = 'INGREDIENTS'"
    assert _rows(sf, columns) == [("col c",)]
    schemata = "SELECT comment FROM information_schema.schemata WHERE schema_name = 'PUBLIC'"
    assert _rows(sf, schemata) == [("sch",)]
    assert fails(sf, "COMMENT ON TABLE nope IS 'x'").code == "002003"
    sf.execute("COMMENT IF EXISTS ON TABLE nope IS 'x'")  # no such table: nothing to do
    assert fails(sf, "COMMENT ON COLUMN c IS 'x'").code == "001003"
