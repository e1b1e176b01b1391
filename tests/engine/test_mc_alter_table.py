"""MaxCompute `ALTER TABLE … SET COMMENT | SET LIFECYCLE | TOUCH | RENAME TO`
(engine/maxcompute/handlers/tables.py, views.py `alter_rename`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from engine_helpers import fails, lines, rows

from cloneshell.engine import Session, TableDescription


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    session = open_session()
    session.execute("CREATE TABLE sale (shop STRING) PARTITIONED BY (ds STRING) LIFECYCLE 10")
    session.execute("INSERT INTO sale PARTITION (ds='1') VALUES ('a')")
    return session


def _desc(s: Session, name: str = "sale") -> TableDescription:
    (res,) = s.execute(f"DESC {name}")
    assert isinstance(res, TableDescription)
    return res


def test_set_comment_and_lifecycle(s: Session) -> None:
    s.execute("ALTER TABLE sale SET COMMENT 'new comment'")
    s.execute("ALTER TABLE sale SET LIFECYCLE 30")
    desc = _desc(s)
    assert desc.comment == "new comment" and desc.lifecycle == 30
    err = fails(s, "ALTER TABLE sale SET LIFECYCLE 0")
    assert "lifecycle must be 1..37231 days" in err.text
    err = fails(s, "ALTER TABLE sale SET DATA_RETENTION_TIME_IN_DAYS = 1")
    assert err.code == "ODPS-0130071" and "not a MaxCompute statement" in err.text
    s.execute("ALTER TABLE IF EXISTS nope SET COMMENT 'x'")


def test_touch_moves_last_modified_time_only(s: Session) -> None:
    before = _desc(s)
    s.move_clock(timedelta(hours=1))
    s.execute("ALTER TABLE sale TOUCH")
    after = _desc(s)
    assert after.modified_time == before.modified_time + timedelta(hours=1)
    assert after.ddl_time == before.ddl_time
    s.execute("ALTER TABLE sale TOUCH PARTITION (ds='1')")
    err = fails(s, "ALTER TABLE sale TOUCH PARTITION (ds='2')")
    assert "partition ds=2 does not exist in table sale" in err.text
    assert rows(s, "SELECT shop FROM sale WHERE ds = '1'") == [("a",)]


def test_rename_table(s: Session) -> None:
    s.execute("ALTER TABLE sale RENAME TO sale2")
    assert rows(s, "SELECT shop FROM sale2 WHERE ds = '1'") == [("a",)]
    assert [line.split(":")[-1] for line in lines(s, "SHOW TABLES")] == ["sale2"]
    assert fails(s, "SELECT * FROM sale").code == "ODPS-0130131"
    err = fails(s, "ALTER VIEW sale2 RENAME TO x")
    assert "is a table, not a view" in err.text
    s.execute("CREATE TABLE other (a BIGINT)")
    assert fails(s, "ALTER TABLE other RENAME TO sale2").code.startswith("ODPS-")
