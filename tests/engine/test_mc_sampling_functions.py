"""MaxCompute's SAMPLE, ISNAN, COUNT(DISTINCT a, b) and NTH_VALUE(…, skip_nulls)
(engine/maxcompute/functions.py), with the rules their pages give."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import fails, rows

from cloneshell.engine import Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    session = open_session()
    # The SAMPLE page's table mf_sample.
    session.execute(
        "CREATE TABLE mf_sample (id BIGINT, col1 STRING, col2 STRING, col3 STRING, col4 STRING)"
    )
    session.execute(
        "INSERT INTO mf_sample VALUES (3, 'eee', 'rrr', 'tttt', 'ggggg'), "
        "(4, 'yyy', 'uuuu', 'iiiii', 'ccccccc'), (1, 'abc', 'bcd', 'rthg', 'ahgjeog'), "
        "(2, 'a1bc', 'bc1d', 'rt1hg', 'ahgjeog')"
    )
    return session


def _ids(s: Session, where: str) -> set[int]:
    return {r[0] for r in rows(s, f"SELECT id FROM mf_sample WHERE {where}")}


def test_sample_by_columns_splits_the_rows_into_x_portions(s: Session) -> None:
    # sample(2, 1, id) and sample(2, 2, id): every row in exactly one portion, the same each time.
    first, second = _ids(s, "sample(2, 1, id)"), _ids(s, "sample(2, 2, id)")
    assert first | second == {1, 2, 3, 4} and not first & second
    assert _ids(s, "sample(2, 1, id)") == first
    assert _ids(s, "sample(4, 1, id, col1)") | _ids(s, "sample(4, 2, id, col1)") | _ids(
        s, "sample(4, 3, id, col1)"
    ) | _ids(s, "sample(4, 4, id, col1)") == {1, 2, 3, 4}
    # sample(1) keeps everything: one portion.
    assert _ids(s, "sample(1)") == {1, 2, 3, 4}
    assert _ids(s, "sample(1, 1)") == {1, 2, 3, 4}


def test_sample_rules(s: Session) -> None:
    # NULL x or y: NULL (no row kept); y > x, x <= 0, a non-constant or a NULL column: errors.
    assert rows(s, "SELECT sample(2, null, id) FROM mf_sample WHERE id = 1") == [(None,)]
    for bad in ("sample(2, 3, id)", "sample(0, 1)", "sample(id, 1)", "sample(2, 1, null)"):
        err = fails(s, f"SELECT * FROM mf_sample WHERE {bad}")
        assert err.code == "ODPS-0130071" and "sample" in err.text, bad


def test_isnan(s: Session) -> None:
    got = rows(
        s,
        "SELECT isnan(CAST('NaN' AS DOUBLE)), isnan(1.5), isnan(100), isnan(CAST(NULL AS DOUBLE))",
    )
    assert got == [(True, False, False, None)]


def test_count_distinct_of_several_columns_skips_rows_with_a_null(s: Session) -> None:
    s.execute("CREATE TABLE pairs (a BIGINT, b BIGINT)")
    s.execute("INSERT INTO pairs VALUES (1, 2), (1, 2), (1, NULL), (2, 3), (NULL, 3)")
    assert rows(s, "SELECT COUNT(DISTINCT a, b), COUNT(DISTINCT a), COUNT(a) FROM pairs") == [
        (2, 2, 4)
    ]
    err = fails(s, "SELECT COUNT(a, b) FROM pairs")
    assert err.code == "ODPS-0130071" and "DISTINCT" in err.text


def test_nth_value_skips_nulls_when_asked(s: Session) -> None:
    s.execute("CREATE TABLE seq (i BIGINT, x BIGINT)")
    s.execute("INSERT INTO seq VALUES (1, NULL), (2, 5), (3, 7)")
    whole = "OVER (ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
    got = rows(
        s,
        f"SELECT DISTINCT nth_value(x, 2, true) {whole}, nth_value(x, 2, false) {whole}, "
        f"nth_value(x, 2) {whole} FROM seq",
    )
    assert got == [(7, 5, 5)]
    err = fails(s, "SELECT nth_value(x, 2) FROM seq")
    assert "OVER" in err.text
