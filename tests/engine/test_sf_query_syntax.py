"""Snowflake query syntax pasted code uses (issue 14): VALUES tables in FROM, … each with the
rows Snowflake's pages document."""

from __future__ import annotations

from collections.abc import Callable

from engine_helpers import fails, rows

from cloneshell.engine import Rows, Session


def _named(s: Session, sql: str) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    *_, result = s.execute(sql)
    assert isinstance(result, Rows)
    return tuple(c.name for c in result.columns), result.rows


# ---------------------------------------------------------------- VALUES (constructs/values)


def test_values_in_from_names_its_columns_column1_column2(sf: Session) -> None:
    names, got = _named(sf, "SELECT * FROM (VALUES (1, 'one'), (2, 'two'), (3, 'three'))")
    assert names == ("COLUMN1", "COLUMN2")
    assert got == [(1, "one"), (2, "two"), (3, "three")]


def test_values_columns_by_name_or_position(sf: Session) -> None:
    names, got = _named(sf, "SELECT column1, $2 FROM (VALUES (1, 'one'), (2, 'two'), (3, 'three'))")
    assert names == ("COLUMN1", "$2")
    assert got == [(1, "one"), (2, "two"), (3, "three")]


def test_values_aliases_tell_two_tables_apart(sf: Session) -> None:
    got = rows(
        sf,
        "SELECT v1.$2, v2.$2 FROM (VALUES (1, 'one'), (2, 'two')) AS v1 "
        "INNER JOIN (VALUES (1, 'One'), (3, 'three')) AS v2 WHERE v2.$1 = v1.$1",
    )
    assert got == [("one", "One")]


def test_values_column_aliases(sf: Session) -> None:
    names, got = _named(sf, "SELECT c1, c2 FROM (VALUES (1, 'one'), (2, 'two')) AS v1 (c1, c2)")
    assert names == ("C1", "C2")
    assert got == [(1, "one"), (2, "two")]


def test_values_without_parentheses_and_in_a_comma_join(sf: Session) -> None:
    assert rows(sf, "SELECT * FROM VALUES (1), (2)") == [(1,), (2,)]
    got = rows(sf, "SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(x, y), (VALUES (3)) u ORDER BY x")
    assert got == [(1, "a", 3), (2, "b", 3)]


def test_values_rows_of_different_lengths_are_refused(sf: Session) -> None:
    err = fails(sf, "SELECT * FROM (VALUES (1), (2, 3))")
    assert err.code == "002000" and "VALUES rows differ in length" in err.text
    assert "3 column(s), 4 names" in fails(sf, "SELECT * FROM VALUES (1, 2, 3) t(a, b, c, d)").text


def test_maxcompute_values_table_needs_its_column_names(
    open_session: Callable[..., Session],
) -> None:
    mc = open_session()
    assert rows(mc, "SELECT a + b FROM VALUES (1, 2), (3, 4) t(a, b);") == [(3,), (7,)]
    assert "names its columns" in fails(mc, "SELECT * FROM VALUES (1, 2) t;").text
