"""No DuckDB text reaches a user (engine/core/duckerrors.py): every function of each dialect's
table, called with arguments of the wrong types and counts, either runs or fails with a coded
error in the dialect's format whose text names no DuckDB function, type or phrase."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from engine_helpers import START

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock
from cloneshell.engine.core.duck import duckdb
from cloneshell.grammar.errors import CloneshellError

# DuckDB's words: its error classes, its type names, its advice.
_PHRASES = (
    "You might need",
    "explicit type cast",
    "Candidate functions",
    "best candidate",
    "Binder Error",
    "Catalog Error",
    "Conversion Error",
    "Invalid Input Error",
    "Out of Range Error",
    "LINE 1",
    "Unimplemented",
    "HUGEINT",
    "INT64",
    "INT32",
    "BLOB",
    "_LITERAL",
    "Macro ",
    "DuckDB",
    "Values list",
    "does not exist!",
    "syntax error at or near",
    "__cs",
)

_ARGS = {
    "snowflake": ("X'FF'", "TRUE", "'abc'", "DATE '2024-01-01'"),
    "maxcompute": ("CAST('a' AS BINARY)", "TRUE", "'abc'", "array(1, 2)"),
}


def _duckdb_names() -> frozenset[str]:
    con = duckdb.connect()
    rows = con.execute("SELECT DISTINCT function_name FROM duckdb_functions()").fetchall()
    con.close()
    return frozenset(str(r[0]).lower() for r in rows)


def _leaks(text: str, sql: str, own: frozenset[str], duck: frozenset[str]) -> list[str]:
    """DuckDB's phrases in `text`, and DuckDB functions it names that the dialect does not
    have and the statement does not mention."""
    found = [p for p in _PHRASES if p in text]
    for quoted, called in re.findall(r"""['"]([A-Za-z_0-9]+)['"(]|([A-Za-z_0-9]+)\(""", text):
        word = (quoted or called).lower()
        if word in duck and word not in own and word not in sql.lower():
            found.append(word)
    return found


@pytest.fixture
def session_of(tmp_path: Path) -> Callable[[str], Session]:
    def make(dialect: str) -> Session:
        return Session.open(tmp_path / "wh", dialect=dialect, clock=FixedClock(START))

    return make


@pytest.mark.parametrize("dialect", ["snowflake", "maxcompute"])
def test_wrong_arguments_never_show_duckdb_words(
    session_of: Callable[[str], Session], dialect: str
) -> None:
    s = session_of(dialect)
    own = s.dialect.translation.function_names()
    duck = _duckdb_names()
    leaks: dict[str, str] = {}
    failed = 0
    for name in sorted(own):
        if name.startswith("system$"):
            continue
        for arity in (1, 2, 3):
            for arg in _ARGS[dialect]:
                sql = f"SELECT {name}({', '.join([arg] * arity)})"
                try:
                    s.execute(sql)
                except CloneshellError as err:
                    failed += 1
                    assert err.code and err.dialect == dialect, (sql, err.text)
                    found = _leaks(err.text, sql, own, duck)
                    if found:
                        leaks.setdefault(sql, f"{err.text!r} {found}")
    s.close()
    assert failed > 1000  # the calls do fail: the check reads real error texts
    assert not leaks, "\n".join(f"{k}: {v}" for k, v in list(leaks.items())[:40])


@pytest.mark.parametrize(
    ("sql", "name"),
    [
        # the texts the corpora showed, each naming DuckDB's function instead of the user's
        ("SELECT BITAND(X'FF', 'a')", "BITAND"),
        ("SELECT TO_TIMESTAMP(X'FF', 'yyyy')", "TO_TIMESTAMP"),
        ("SELECT REGEXP_COUNT(X'FF', 'a')", "REGEXP_COUNT"),
        ("SELECT UPPER(DATE_FROM_PARTS('a', 'b', 'c'))", "DATE_FROM_PARTS"),
    ],
)
def test_an_argument_error_names_the_users_function(
    session_of: Callable[[str], Session], sql: str, name: str
) -> None:
    s = session_of("snowflake")
    with pytest.raises(CloneshellError) as info:
        s.execute(sql)
    s.close()
    assert info.value.text == (
        f"001044 (42P13): SQL compilation error:\nInvalid argument types for function '{name}'"
    )


def test_a_missing_column_of_a_table_alias_is_an_invalid_identifier(
    session_of: Callable[[str], Session],
) -> None:
    s = session_of("snowflake")
    with pytest.raises(CloneshellError) as info:
        s.execute("SELECT * FROM (SELECT 1 AS a) AS x WHERE x.b = 1")
    s.close()
    assert info.value.code == "000904"
    assert info.value.text.endswith("invalid identifier 'X.B'")


@pytest.mark.parametrize("sql", ["SELECT MAX(x)", "SELECT x % y", "SELECT session"])
def test_a_column_without_a_from_clause_is_an_invalid_identifier(
    session_of: Callable[[str], Session], sql: str
) -> None:
    # Snowflake: 000904 invalid identifier, not an argument error of the call around it.
    s = session_of("snowflake")
    with pytest.raises(CloneshellError) as info:
        s.execute(sql)
    s.close()
    assert info.value.code == "000904" and "invalid identifier" in info.value.text
