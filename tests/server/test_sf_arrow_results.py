"""Large query results go from DuckDB to the client as Arrow without becoming Python objects
(engine/core/duck.py fetch_rows_or_arrow, server/sfresult.py): through connector 4.8.1 the
values are the same as the JSON rowset's, for every type and NULL, below and above the row
count from which Arrow is used, and fetch_arrow_all sees the whole result."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest

from cloneshell.engine.core.duck import ARROW_FROM

pytest.importorskip("snowflake.connector")

_SETUP = (
    "CREATE DATABASE IF NOT EXISTS arrowdb",
    "CREATE OR REPLACE TABLE arrowdb.public.digits (x INTEGER)",
    "INSERT INTO arrowdb.public.digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
    "CREATE OR REPLACE TABLE arrowdb.public.seq AS SELECT a.x + b.x * 10 + c.x * 100 "
    "+ d.x * 1000 AS i FROM arrowdb.public.digits a, arrowdb.public.digits b, "
    "arrowdb.public.digits c, arrowdb.public.digits d",
)
_QUERY = (
    "SELECT i, i * 1.25 AS d, -i AS m, 'v' || i AS s, "
    "i % 2 = 0 AS b, DATEADD(day, i, '2024-01-01'::date) AS dt, "
    "DATEADD(second, i, '2024-01-01 00:00:00'::timestamp_ntz) AS ts, "
    "'12:34:56'::time AS tm, 'ABCD'::binary AS bin, "
    "IFF(i % 7 = 0, NULL, i) AS n, 1.5::float AS f, CAST(-i * 0.0000001 AS NUMBER(20, 7)) AS tiny, "
    "IFF(i % 3 = 0, NULL, i - 2.5) AS half "
    "FROM arrowdb.public.seq WHERE i < {rows} ORDER BY i"
)


def _fetch(served: Any, fmt: str, rows: int) -> list[tuple[Any, ...]]:
    con: Any = served.snowflake(
        session_parameters={
            "CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False,
            "PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": fmt,
        }
    )
    try:
        for statement in _SETUP:
            con.cursor().execute(statement)
        got: list[tuple[Any, ...]] = con.cursor().execute(_QUERY.format(rows=rows)).fetchall()
        return got
    finally:
        con.close()


@pytest.mark.parametrize("rows", [3, ARROW_FROM, ARROW_FROM + 1, 5_000])
def test_arrow_and_json_results_agree(served: Any, rows: int) -> None:
    arrow = _fetch(served, "arrow", rows)
    assert arrow == _fetch(served, "json", rows)
    assert len(arrow) == rows
    last = rows - 1
    assert arrow[last][:3] == (last, Decimal(last) * Decimal("1.25"), -last)
    assert isinstance(arrow[last][1], Decimal) and isinstance(arrow[last][2], int)
    assert arrow[last][3:8] == (
        f"v{last}",
        last % 2 == 0,
        date.fromordinal(date(2024, 1, 1).toordinal() + last),
        datetime(2024, 1, 1) + (datetime(2024, 1, 1, 0, 0, 1) - datetime(2024, 1, 1)) * last,
        time(12, 34, 56),
    )
    assert isinstance(arrow[last][8], bytes | bytearray)  # its value: the same as JSON's
    assert arrow[0][9] is None and arrow[1][9] == 1
    assert arrow[last][10] == 1.5
    assert arrow[last][11] == -Decimal(last) * Decimal("0.0000001") and arrow[1][11] == Decimal(
        "-1E-7"
    )
    assert arrow[0][12] is None and arrow[1][12] == Decimal("-1.5")


def test_fetch_arrow_all_has_every_row(served: Any) -> None:
    con: Any = served.snowflake()
    try:
        for statement in _SETUP:
            con.cursor().execute(statement)
        table = con.cursor().execute(_QUERY.format(rows=ARROW_FROM * 3)).fetch_arrow_all()
    finally:
        con.close()
    assert table.num_rows == ARROW_FROM * 3
    assert table.column("I").to_pylist() == list(range(ARROW_FROM * 3))
    assert table.column("N").null_count == len(range(0, ARROW_FROM * 3, 7))


def test_the_engine_gives_arrow_only_when_asked_and_from_arrow_from_rows(tmp_path: Any) -> None:
    from cloneshell.engine import open_session

    session = open_session(tmp_path / "wh", "ALICE", None, "snowflake")
    try:
        for statement in _SETUP:
            session.execute(statement)
        (big,) = session.execute(_QUERY.format(rows=5_000), arrow=True)
        (small,) = session.execute(_QUERY.format(rows=ARROW_FROM), arrow=True)
        (plain,) = session.execute(_QUERY.format(rows=5_000))
    finally:
        session.close()
    assert big.arrow is not None and len(big.rows) == ARROW_FROM  # type: ignore[union-attr]
    assert big.arrow.num_rows == 5_000 - ARROW_FROM  # type: ignore[union-attr]
    assert small.arrow is None and len(small.rows) == ARROW_FROM  # type: ignore[union-attr]
    assert plain.arrow is None and len(plain.rows) == 5_000  # type: ignore[union-attr]
