"""MaxCompute's screen display limit: a SELECT shows at most 10,000 rows (SQL limitations page),
with or without LIMIT; Snowflake returns every row."""

from __future__ import annotations

from collections.abc import Callable

from engine_helpers import rows

from cloneshell.engine import Session

# 12,000 rows: n is 0 … 11999.
ROWS_12000 = "(SELECT posexplode(split(space(11999), ' ')) AS (n, v)) t"


def test_maxcompute_shows_at_most_10000_rows(open_session: Callable[..., Session]) -> None:
    s = open_session()
    assert len(rows(s, f"SELECT * FROM {ROWS_12000}")) == 10_000
    assert len(rows(s, f"SELECT * FROM {ROWS_12000} LIMIT 20000")) == 10_000
    assert rows(s, f"SELECT count(*) FROM {ROWS_12000}") == [(12_000,)]


def test_maxcompute_limit_keeps_the_order(open_session: Callable[..., Session]) -> None:
    s = open_session()
    top = rows(s, f"SELECT n FROM {ROWS_12000} ORDER BY n DESC LIMIT 12000")
    assert top[0] == (11_999,) and top[-1] == (2_000,)


def test_snowflake_returns_every_row(sf: Session) -> None:
    assert len(rows(sf, "SELECT seq4() FROM TABLE(GENERATOR(ROWCOUNT => 12000))")) == 12_000
