"""MaxCompute `TABLESAMPLE (n PERCENT | m ROWS | BUCKET x OUT OF y ON …)` (engine/core/translate.py
`Translator.table_sample`), with the rules of MaxCompute's TABLESAMPLE page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import fails, rows

from cloneshell.engine import Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    session = open_session()
    session.execute("CREATE TABLE tblsample_test (a BIGINT, b STRING, c STRING)")
    values = ", ".join(f"({i}, 'b{i}', 'c{i % 3}')" for i in range(1, 101))
    session.execute(f"INSERT INTO tblsample_test VALUES {values}")
    return session


def _count(s: Session, sql: str) -> int:
    ((n,),) = rows(s, sql)
    assert isinstance(n, int)
    return n


def test_percent_keeps_about_that_share(s: Session) -> None:
    assert _count(s, "SELECT count(*) FROM tblsample_test t TABLESAMPLE (100 PERCENT)") == 100
    assert _count(s, "SELECT count(*) FROM tblsample_test TABLESAMPLE (0 PERCENT)") == 0
    assert 0 < _count(s, "SELECT count(*) FROM tblsample_test TABLESAMPLE (50 PERCENT)") < 100


def test_rows_returns_m_random_rows_or_all_of_a_smaller_table(s: Session) -> None:
    assert _count(s, "SELECT count(*) FROM tblsample_test t1 TABLESAMPLE (10 ROWS)") == 10
    assert _count(s, "SELECT count(*) FROM tblsample_test TABLESAMPLE (1000 ROWS)") == 100
    got = rows(s, "SELECT t1.a FROM tblsample_test t1 TABLESAMPLE (3 ROWS) WHERE t1.a > 0")
    assert len(got) == 3


def test_buckets_split_the_rows(s: Session) -> None:
    counts = [
        _count(
            s,
            f"SELECT count(*) FROM tblsample_test TABLESAMPLE (BUCKET {x} OUT OF 4 ON a, b)",
        )
        for x in range(1, 5)
    ]
    assert sum(counts) == 100 and all(0 < n < 100 for n in counts)
    # The same bucket every time; the alias names the sampled table.
    once = rows(s, "SELECT t.a FROM tblsample_test t TABLESAMPLE (BUCKET 2 OUT OF 4 ON t.a)")
    again = rows(s, "SELECT t.a FROM tblsample_test t TABLESAMPLE (BUCKET 2 OUT OF 4 ON t.a)")
    assert sorted(once) == sorted(again)
    assert (
        _count(s, "SELECT count(*) FROM tblsample_test TABLESAMPLE (BUCKET 1 OUT OF 1 ON rand())")
        == 100
    )


@pytest.mark.parametrize(
    ("clause", "says"),
    [
        ("BUCKET 3 OUT OF 2 ON a", "1 <= x <= y"),
        ("BUCKET 0 OUT OF 2 ON a", "1 <= x <= y"),
        ("BUCKET 1 OUT OF 2", "ON columns or ON rand()"),
        ("101 PERCENT", "must be 0 to 100"),
        # one sample clause for both dialects since the merge: its row limit is Snowflake's
        ("1000001 ROWS", "integer 0 to 1000000"),
        ("1.5 ROWS", "integer 0 to 1000000"),
    ],
)
def test_bad_samples_are_coded_errors(s: Session, clause: str, says: str) -> None:
    err = fails(s, f"SELECT * FROM tblsample_test TABLESAMPLE ({clause})")
    assert err.code == "ODPS-0130071" and says in err.text
