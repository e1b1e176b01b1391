"""Snowflake query clauses: ASOF JOIN (the closest earlier match, NULLs without one, a missing
qualified column as Snowflake's 000904), FLATTEN RECURSIVE => TRUE (the FLATTEN page's example)
and its SEQ, and SAMPLE with a session variable as its size."""

from __future__ import annotations

import pytest
from engine_helpers import fails, rows, run

from cloneshell.engine import Session

DOC = 'parse_json(\'{"a":1, "b":[77,88], "c": {"d":"X"}}\')'


@pytest.fixture
def trades(sf: Session) -> Session:
    run(
        sf,
        """
        CREATE DATABASE d;
        CREATE TABLE trades (ticker VARCHAR, ts INT, price INT);
        CREATE TABLE quotes (ticker VARCHAR, ts INT, bid INT);
        INSERT INTO trades VALUES ('SNOW', 10, 100), ('SNOW', 20, 101), ('AAPL', 5, 50);
        INSERT INTO quotes VALUES ('SNOW', 9, 99), ('SNOW', 15, 98), ('SNOW', 25, 97),
            ('AAPL', 7, 49);
        """,
    )
    return sf


def test_asof_join_takes_the_closest_earlier_match_per_ticker(trades: Session) -> None:
    got = rows(
        trades,
        "SELECT t.ticker, t.ts, q.ts, q.bid FROM trades t ASOF JOIN quotes q "
        "MATCH_CONDITION (t.ts >= q.ts) ON t.ticker = q.ticker ORDER BY t.ticker, t.ts",
    )
    # AAPL at 5 has no quote at or before it: NULLs, the trade row kept.
    assert got == [("AAPL", 5, None, None), ("SNOW", 10, 9, 99), ("SNOW", 20, 15, 98)]


def test_asof_join_with_an_alias_named_like_a_keyword(trades: Session) -> None:
    got = rows(
        trades,
        "SELECT t.ts, offset.ts FROM trades t ASOF JOIN quotes AS offset "
        "MATCH_CONDITION (t.ts < offset.ts) ON t.ticker = offset.ticker ORDER BY t.ts",
    )
    assert got == [(5, 7), (10, 15), (20, 25)]


def test_a_missing_qualified_column_is_invalid_identifier(trades: Session) -> None:
    err = fails(
        trades, "SELECT * FROM trades t ASOF JOIN quotes q MATCH_CONDITION (t.nope >= q.ts)"
    )
    assert err.code == "000904"
    assert "invalid identifier 'T.NOPE'" in str(err.text)


def test_doc_flatten_recursive(sf: Session) -> None:
    got = rows(
        sf,
        f"SELECT seq, key, path, index, value::STRING, this::STRING "
        f"FROM TABLE(FLATTEN(input => {DOC}, recursive => true)) f",
    )
    whole = '{"a":1,"b":[77,88],"c":{"d":"X"}}'
    assert got == [
        (1, "a", "a", None, "1", whole),
        (1, "b", "b", None, "[77,88]", whole),
        (1, None, "b[0]", 0, "77", "[77,88]"),
        (1, None, "b[1]", 1, "88", "[77,88]"),
        (1, "c", "c", None, '{"d":"X"}', whole),
        (1, "d", "c.d", None, "X", '{"d":"X"}'),
    ]


def test_flatten_recursive_in_object_mode_does_not_enter_arrays(sf: Session) -> None:
    got = rows(
        sf,
        f"SELECT path FROM TABLE(FLATTEN(input => {DOC}, recursive => true, mode => 'object'))",
    )
    assert got == [("a",), ("b",), ("c",), ("c.d",)]


def test_flatten_seq_tells_the_input_records_apart(sf: Session) -> None:
    run(
        sf,
        "CREATE DATABASE d; CREATE TABLE j (id INT, v VARIANT);"
        "INSERT INTO j SELECT 1, parse_json('[1, 2]');"
        "INSERT INTO j SELECT 2, parse_json('[3]');",
    )
    got = rows(
        sf,
        "SELECT j.id, COUNT(DISTINCT f.seq), COUNT(*) FROM j, LATERAL FLATTEN(input => j.v) f "
        "GROUP BY j.id ORDER BY j.id",
    )
    assert got == [(1, 1, 2), (2, 1, 1)]
    (distinct,) = rows(sf, "SELECT COUNT(DISTINCT f.seq) FROM j, LATERAL FLATTEN(input => j.v) f")
    assert distinct == (2,)


def test_sample_size_from_a_session_variable(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (a INT); INSERT INTO t VALUES (1), (2), (3), (4);")
    run(sf, "SET s = 100; SET r = 2; SET z = 0; SET w = 'x';")
    assert rows(sf, "SELECT COUNT(*) FROM t SAMPLE BERNOULLI ($s) SEED (0)") == [(4,)]
    assert rows(sf, "SELECT COUNT(*) FROM t TABLESAMPLE ($z)") == [(0,)]
    assert rows(sf, "SELECT COUNT(*) FROM t SAMPLE ($r ROWS)") == [(2,)]
    assert "does not exist" in str(fails(sf, "SELECT * FROM t SAMPLE ($nope)"))
    assert "constant" in str(fails(sf, "SELECT * FROM t SAMPLE ($w)"))


def test_flatten_alias_names_its_columns(sf: Session) -> None:
    got = rows(
        sf,
        "SELECT _u['x']::INT, idx FROM TABLE(FLATTEN(INPUT => [OBJECT_CONSTRUCT('x', 1), "
        "OBJECT_CONSTRUCT('x', 2)])) AS _t0(seq, key, path, idx, _u, this) ORDER BY idx",
    )
    assert got == [(1, 0), (2, 1)]
    # fewer names than columns rename the first ones
    assert rows(sf, "SELECT s FROM TABLE(FLATTEN(INPUT => [7])) f (s)") == [(1,)]
    assert rows(sf, "SELECT b FROM (SELECT 1, 2) AS t (a, b)") == [(2,)]
