"""Casts out of a VARIANT path (`v:a.b::string`, `v:c[0]::NUMBER`), which the engine reads in
one extraction: the values of Snowflake's "Querying Semi-structured Data" page (its car_sales
table), and the edge values the one-step reading must keep (JSON null, an absent key, an
object, a quoted key)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from engine_helpers import sf_rows

from cloneshell.engine import Session

CAR_SALES = (
    '{"date": "2017-04-28", "dealership": "Valley View Auto Sales", '
    '"salesperson": {"id": "55", "name": "Frank Beasley"}, '
    '"customer": [{"name": "Joyce Ridgely", "phone": "16504378889"}], '
    '"vehicle": [{"make": "Honda", "model": "Civic", "price": "20275", '
    '"extras": ["ext warranty", "paint protection"]}]}',
    '{"date": "2017-04-28", "dealership": "Tindel Toyota", '
    '"salesperson": {"id": "274", "name": "Greg Northrup"}, '
    '"customer": [{"name": "Bradley Greenbloom", "phone": "12127593751"}], '
    '"vehicle": [{"make": "Toyota", "model": "Camry", "price": "23500", '
    '"extras": ["ext warranty", "rust proofing", "fabric protection"]}]}',
)


@pytest.fixture
def cars(sf: Session) -> Session:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE car_sales (src VARIANT)")
    for row in CAR_SALES:
        sf.execute(f"INSERT INTO car_sales SELECT PARSE_JSON('{row}')")
    return sf


def test_doc_salesperson_name_as_string(cars: Session) -> None:
    # doc: src:salesperson.name is the VARIANT "Frank Beasley"; ::string drops the quotes
    assert sf_rows(cars, "SELECT src:salesperson.name FROM car_sales ORDER BY 1") == [
        ('"Frank Beasley"',),
        ('"Greg Northrup"',),
    ]
    assert sf_rows(cars, "SELECT src:salesperson.name::string FROM car_sales ORDER BY 1") == [
        ("Frank Beasley",),
        ("Greg Northrup",),
    ]


def test_doc_vehicle_price_as_number(cars: Session) -> None:
    # doc: SELECT src:vehicle[0].price::NUMBER * 0.10 AS tax … → 2027.500, 2350.000
    rows = sf_rows(
        cars, "SELECT src:vehicle[0].price::NUMBER * 0.10 AS tax FROM car_sales ORDER BY tax"
    )
    assert rows == [(Decimal("2027.500"),), (Decimal("2350.000"),)]


def test_doc_nested_array_element_as_string(cars: Session) -> None:
    rows = sf_rows(
        cars,
        "SELECT src:customer[0].name::string, src:vehicle[0].extras[1]::string "
        "FROM car_sales ORDER BY 1",
    )
    assert rows == [
        ("Bradley Greenbloom", "rust proofing"),
        ("Joyce Ridgely", "paint protection"),
    ]


def test_absent_null_object_and_quoted_key(sf: Session) -> None:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE j (v VARIANT)")
    sf.execute('INSERT INTO j SELECT PARSE_JSON(\'{"n": null, "o": {"x": 1}, "a b": 7}\')')
    rows = sf_rows(
        sf,
        "SELECT v:missing::string, v:n::string, v:o::string, v['a b']::NUMBER, "
        "v:o.x::VARCHAR FROM j",
    )
    assert rows == [(None, None, '{"x":1}', Decimal("7"), "1")]
