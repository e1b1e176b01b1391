"""MaxCompute `ALTER TABLE t CHANGE [COLUMN] …` (engine/maxcompute/handlers/tables.py
`change_column`), with the example of MaxCompute's page on changing a column's name and comment."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import fails, rows

from cloneshell.engine import Session, TableDescription


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    session = open_session()
    session.execute(
        "CREATE TABLE sale_detail (customer_name STRING COMMENT '客户', total BIGINT) "
        "PARTITIONED BY (ds STRING)"
    )
    session.execute("INSERT INTO sale_detail PARTITION (ds='1') VALUES ('x', 1)")
    return session


def _columns(s: Session) -> list[tuple[str, str, str]]:
    (res,) = s.execute("DESC sale_detail")
    assert isinstance(res, TableDescription)
    return [(c.name, c.type, c.comment) for c in res.columns]


def test_the_documented_rename_with_a_comment(s: Session) -> None:
    # The page's example: customer_name becomes customer_newname, comment 'customer'.
    s.execute(
        "alter table sale_detail change column customer_name customer_newname STRING "
        "comment 'customer'"
    )
    assert _columns(s) == [("customer_newname", "string", "customer"), ("total", "bigint", "")]
    assert rows(s, "SELECT customer_newname FROM sale_detail WHERE ds = '1'") == [("x",)]
    assert fails(s, "SELECT customer_name FROM sale_detail WHERE ds = '1'").code.startswith("ODPS")


def test_comment_only(s: Session) -> None:
    s.execute("ALTER TABLE sale_detail CHANGE COLUMN total COMMENT 'the total'")
    assert _columns(s)[1] == ("total", "bigint", "the total")


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("CHANGE total total2 DOUBLE", "changing the type of column total"),
        ("CHANGE total customer_name BIGINT", "column customer_name already exists"),
        ("CHANGE nope x BIGINT", "column nope does not exist"),
        ("CHANGE ds d2 STRING", "partition column"),
    ],
)
def test_refused_changes_change_nothing(s: Session, sql: str, says: str) -> None:
    err = fails(s, f"ALTER TABLE sale_detail {sql}")
    assert err.code == "ODPS-0130071" and says in err.text
    assert _columns(s) == [("customer_name", "string", "客户"), ("total", "bigint", "")]
