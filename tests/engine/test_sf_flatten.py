"""Snowflake FLATTEN / LATERAL FLATTEN (the FLATTEN doc page's examples, and the column names
the generated SQL must never bind to)."""

from __future__ import annotations

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text


def _rows(s: Session, sql: str) -> list[tuple[str, ...]]:
    (result,) = s.execute(sql)
    assert isinstance(result, Rows)
    types = [c.type for c in result.columns]
    return [tuple(sf_value_text(v, t) for v, t in zip(r, types, strict=True)) for r in result.rows]


DOC = 'parse_json(\'{"a":1, "b":[77,88]}\')'


def test_flatten_of_an_object_gives_its_keys(sf: Session) -> None:
    # FLATTEN doc: KEY/PATH are the keys, INDEX NULL, VALUE the value.
    rows = _rows(
        sf,
        f"SELECT f.key, f.path, f.index, f.value FROM TABLE(FLATTEN(input => {DOC})) f "
        "ORDER BY f.key",
    )
    assert rows == [("a", "a", "NULL", "1"), ("b", "b", "NULL", "[\n  77,\n  88\n]")]


def test_flatten_with_a_path_gives_the_array_elements(sf: Session) -> None:
    rows = _rows(
        sf,
        f"SELECT f.path, f.index, f.value FROM TABLE(FLATTEN(input => {DOC}, path => 'b')) f "
        "ORDER BY f.index",
    )
    assert rows == [("b[0]", "0", "77"), ("b[1]", "1", "88")]


def test_outer_keeps_a_row_for_an_empty_array(sf: Session) -> None:
    rows = _rows(
        sf,
        "SELECT f.index, f.value FROM TABLE(FLATTEN(input => parse_json('[]'), outer => true)) f",
    )
    assert rows == [("NULL", "NULL")]


def test_lateral_flatten_over_columns_named_like_the_engines_aliases(sf: Session) -> None:
    # A column named V (or K, P, I, E) once bound to FLATTEN's own aliases: "Column V
    # referenced that exists in the SELECT clause …".
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE j (v VARIANT, k INT, p INT, i INT, e INT)")
    sf.execute('INSERT INTO j SELECT parse_json(\'{"a": {"b": [1, 2]}}\'), 1, 2, 3, 4')
    rows = _rows(
        sf,
        "SELECT j.k, f.index, f.value FROM j, LATERAL FLATTEN(input => v:a.b) f ORDER BY f.index",
    )
    assert rows == [("1", "0", "1"), ("1", "1", "2")]
