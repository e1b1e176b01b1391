"""`SET odps.sql.allow.fullscan=false` (engine/maxcompute/fullscan.py): a read of a partitioned
table without a partition filter is refused with MaxCompute's text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import fails, rows

from cloneshell.engine import Session

REFUSED = (
    "physical plan generation failed:java.lang.RuntimeException:Table(my_project,sale)is full "
    "scan with all partitions,please specify partition predicates."
)


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    session = open_session()
    session.execute("CREATE TABLE sale (shop STRING, amount BIGINT) PARTITIONED BY (ds STRING)")
    session.execute("INSERT INTO sale PARTITION (ds='1') VALUES ('a', 1)")
    session.execute("CREATE TABLE plain (x BIGINT)")
    session.execute("INSERT INTO plain VALUES (1)")
    session.execute("SET odps.sql.allow.fullscan=false")
    return session


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM sale",
        "SELECT * FROM sale WHERE amount > 0",
        "SELECT * FROM plain p JOIN sale s ON p.x = s.amount",
        "SELECT * FROM (SELECT * FROM sale) t WHERE t.ds = '1'",
        "CREATE TABLE copy AS SELECT * FROM sale",
        "INSERT INTO plain SELECT amount FROM sale",
    ],
)
def test_unfiltered_reads_are_refused(s: Session, sql: str) -> None:
    err = fails(s, sql)
    assert err.code == "ODPS-0130071" and REFUSED in err.text


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM sale WHERE ds = '1'",
        "SELECT * FROM sale s WHERE s.ds > '0' AND s.amount > 0",
        "SELECT s.shop FROM sale s JOIN plain p ON s.ds = '1' AND p.x = s.amount",
        "SELECT * FROM (SELECT * FROM sale WHERE ds = '1') t",
        "SELECT * FROM plain",
    ],
)
def test_filtered_reads_and_unpartitioned_tables_run(s: Session, sql: str) -> None:
    assert len(rows(s, sql)) == 1


def test_the_default_allows_full_scans(s: Session) -> None:
    s.execute("SET odps.sql.allow.fullscan=true")
    assert rows(s, "SELECT shop FROM sale") == [("a",)]
