"""Snowflake PIVOT and UNPIVOT: the PIVOT and UNPIVOT pages' examples (quarterly_sales,
monthly_sales) with their documented results and column names."""

from __future__ import annotations

import pytest
from engine_helpers import fails, run

from cloneshell.engine import Rows, Session

SALES = """
CREATE DATABASE d;
CREATE OR REPLACE TABLE quarterly_sales(empid INT, amount INT, quarter TEXT);
INSERT INTO quarterly_sales VALUES
    (1, 10000, '2023_Q1'), (1, 400, '2023_Q1'), (2, 4500, '2023_Q1'), (2, 35000, '2023_Q1'),
    (1, 5000, '2023_Q2'), (1, 3000, '2023_Q2'), (2, 200, '2023_Q2'), (2, 90500, '2023_Q2'),
    (1, 6000, '2023_Q3'), (1, 5000, '2023_Q3'), (2, 2500, '2023_Q3'), (2, 9500, '2023_Q3'),
    (3, 2700, '2023_Q3'),
    (1, 8000, '2023_Q4'), (1, 10000, '2023_Q4'), (2, 800, '2023_Q4'), (2, 4500, '2023_Q4'),
    (3, 2700, '2023_Q4'), (3, 16000, '2023_Q4'), (3, 10200, '2023_Q4');
CREATE OR REPLACE TABLE ad_campaign_types_by_quarter(quarter VARCHAR, television BOOLEAN,
  radio BOOLEAN, print BOOLEAN);
INSERT INTO ad_campaign_types_by_quarter VALUES
    ('2023_Q1', TRUE, FALSE, FALSE), ('2023_Q2', FALSE, TRUE, TRUE),
    ('2023_Q3', FALSE, TRUE, FALSE), ('2023_Q4', TRUE, FALSE, TRUE);
"""

ALL_QUARTERS = ["EMPID", "'2023_Q1'", "'2023_Q2'", "'2023_Q3'", "'2023_Q4'"]
ALL_ROWS = [
    (1, 10400, 8000, 11000, 18000),
    (2, 39500, 90700, 12000, 5300),
    (3, None, None, 2700, 28900),
]


@pytest.fixture
def sales(sf: Session) -> Session:
    run(sf, SALES)
    return sf


def _result(s: Session, sql: str) -> tuple[list[str], list[tuple[object, ...]]]:
    (result,) = s.execute(sql)
    assert isinstance(result, Rows)
    return [c.name for c in result.columns], [tuple(r) for r in result.rows]


def test_doc_pivot_any_order_by(sales: Session) -> None:
    names, got = _result(
        sales,
        "SELECT * FROM quarterly_sales PIVOT(SUM(amount) FOR quarter IN (ANY ORDER BY quarter)) "
        "ORDER BY empid",
    )
    assert names == ALL_QUARTERS
    assert got == ALL_ROWS


def test_doc_pivot_any_descending_orders_the_columns(sales: Session) -> None:
    names, got = _result(
        sales,
        "SELECT * FROM quarterly_sales "
        "PIVOT(SUM(amount) FOR quarter IN (ANY ORDER BY quarter DESC)) ORDER BY empid",
    )
    assert names == ["EMPID", "'2023_Q4'", "'2023_Q3'", "'2023_Q2'", "'2023_Q1'"]
    assert got[0] == (1, 18000, 11000, 8000, 10400)


def test_doc_pivot_subquery(sales: Session) -> None:
    names, got = _result(
        sales,
        "SELECT * FROM quarterly_sales PIVOT(SUM(amount) FOR quarter IN (SELECT DISTINCT quarter "
        "FROM ad_campaign_types_by_quarter WHERE television = TRUE ORDER BY quarter)) "
        "ORDER BY empid",
    )
    assert names == ["EMPID", "'2023_Q1'", "'2023_Q4'"]
    assert got == [(1, 10400, 18000), (2, 39500, 5300), (3, None, 28900)]


def test_doc_pivot_static_list(sales: Session) -> None:
    names, got = _result(
        sales,
        "SELECT * FROM quarterly_sales "
        "PIVOT(SUM(amount) FOR quarter IN ('2023_Q1', '2023_Q2', '2023_Q3', '2023_Q4')) "
        "ORDER BY empid",
    )
    assert names == ALL_QUARTERS
    assert got == ALL_ROWS


def test_doc_pivot_aliases_and_dynamic_columns_selected(sales: Session) -> None:
    names, got = _result(
        sales,
        "SELECT empid, q1, q4 FROM quarterly_sales "
        "PIVOT(SUM(amount) FOR quarter IN ('2023_Q1' AS q1, '2023_Q4' AS q4)) AS p "
        "ORDER BY empid",
    )
    assert names == ["EMPID", "Q1", "Q4"]
    assert got == [(1, 10400, 18000), (2, 39500, 5300), (3, None, 28900)]


def test_doc_pivot_default_on_null(sales: Session) -> None:
    names, got = _result(
        sales,
        "SELECT * FROM quarterly_sales PIVOT(SUM(amount) FOR quarter IN "
        "('2023_Q1', '2023_Q2', '2023_Q3', '2023_Q4', '2024_Q1') DEFAULT ON NULL (0)) "
        "ORDER BY empid",
    )
    assert names == [*ALL_QUARTERS, "'2024_Q1'"]
    assert got == [
        (1, 10400, 8000, 11000, 18000, 0),
        (2, 39500, 90700, 12000, 5300, 0),
        (3, 0, 0, 2700, 28900, 0),
    ]


def test_pivot_other_aggregates_keep_their_meaning(sales: Session) -> None:
    _, got = _result(
        sales,
        "SELECT * FROM quarterly_sales PIVOT(COUNT(amount) FOR quarter IN ('2023_Q4')) "
        "ORDER BY empid",
    )
    assert got == [(1, 2), (2, 2), (3, 3)]
    _, got = _result(
        sales,
        "SELECT * FROM quarterly_sales PIVOT(MAX(amount) FOR quarter IN ('2023_Q3')) "
        "ORDER BY empid",
    )
    assert got == [(1, 6000), (2, 9500), (3, 2700)]


def test_pivot_over_a_subquery_and_errors(sales: Session) -> None:
    _, got = _result(
        sales,
        "SELECT * FROM (SELECT empid, amount, quarter FROM quarterly_sales WHERE empid = 3) "
        "PIVOT(SUM(amount) FOR quarter IN (ANY ORDER BY quarter))",
    )
    assert got == [(3, 2700, 28900)]
    err = fails(
        sales, "SELECT * FROM quarterly_sales PIVOT(SUM(amount) FOR quarter IN (ANY)) x, nope"
    )
    assert "NOPE" in str(err)
    err = fails(
        sales,
        "SELECT * FROM quarterly_sales PIVOT(SUM(amount) OVER () FOR quarter IN ('a'))",
    )
    assert "PIVOT takes one aggregate" in str(err)


MONTHLY = """
CREATE DATABASE d;
CREATE OR REPLACE TABLE monthly_sales(empid INT, dept TEXT, jan INT, feb INT, mar INT, apr INT);
INSERT INTO monthly_sales VALUES
    (1, 'electronics', 100, 200, 300, 100),
    (2, 'clothes', 100, 300, 150, 200),
    (3, 'cars', 200, 400, 100, 50),
    (4, 'appliances', 100, NULL, 100, 50);
"""


def test_doc_unpivot(sf: Session) -> None:
    run(sf, MONTHLY)
    names, got = _result(
        sf,
        "SELECT * FROM monthly_sales UNPIVOT (sales FOR month IN (jan, feb, mar, apr)) "
        "ORDER BY empid, month",
    )
    assert names == ["EMPID", "DEPT", "MONTH", "SALES"]
    assert len(got) == 15  # employee 4's NULL February is left out
    assert got[:4] == [
        (1, "electronics", "APR", 100),
        (1, "electronics", "FEB", 200),
        (1, "electronics", "JAN", 100),
        (1, "electronics", "MAR", 300),
    ]
    assert [r for r in got if r[0] == 4] == [
        (4, "appliances", "APR", 50),
        (4, "appliances", "JAN", 100),
        (4, "appliances", "MAR", 100),
    ]


def test_doc_unpivot_include_nulls_and_aliases(sf: Session) -> None:
    run(sf, MONTHLY)
    _, got = _result(
        sf,
        "SELECT * FROM monthly_sales UNPIVOT INCLUDE NULLS (sales FOR month IN "
        "(jan AS 'January', feb AS 'February', mar, apr)) WHERE empid = 4 ORDER BY month",
    )
    assert got == [
        (4, "appliances", "APR", 50),
        (4, "appliances", "February", None),
        (4, "appliances", "January", 100),
        (4, "appliances", "MAR", 100),
    ]


def test_pivot_then_unpivot(sales: Session) -> None:
    _, got = _result(
        sales,
        "SELECT * FROM quarterly_sales PIVOT(SUM(amount) FOR quarter IN ('2023_Q3' AS q3, "
        "'2023_Q4' AS q4)) UNPIVOT(total FOR quarter IN (q3, q4)) ORDER BY empid, quarter",
    )
    assert got[:2] == [(1, "Q3", 11000), (1, "Q4", 18000)]


def test_pivot_any_over_no_rows_gives_the_groups_alone(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE q (empid INT, amount INT, quarter TEXT);")
    names, got = _result(sf, "SELECT * FROM q PIVOT(SUM(amount) FOR quarter IN (ANY))")
    assert (names, got) == (["EMPID"], [])
