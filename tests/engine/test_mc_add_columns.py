"""MaxCompute `ALTER TABLE t ADD COLUMNS [IF NOT EXISTS] (…)` (engine/maxcompute/handlers/tables.py
`add_columns`, engine/core/catalog.py `add_columns`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import OWNER_A, RAM_A, fails, rows, run

from cloneshell.engine import Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    session = open_session()
    session.execute("CREATE TABLE t (a BIGINT) PARTITIONED BY (ds STRING)")
    session.execute("INSERT INTO t PARTITION (ds='1') VALUES (1), (2)")
    return session


def test_new_columns_follow_and_read_null_in_old_rows(s: Session) -> None:
    s.execute("ALTER TABLE t ADD COLUMNS (b STRING COMMENT 'bee', c DOUBLE)")
    s.execute("INSERT INTO t PARTITION (ds='2') VALUES (3, 'x', 1.5)")
    assert sorted(rows(s, "SELECT * FROM t WHERE ds > '0'")) == [
        (1, None, None, "1"),
        (2, None, None, "1"),
        (3, "x", 1.5, "2"),
    ]
    # Deleting and overwriting keep working with the wider table.
    s.execute("INSERT OVERWRITE TABLE t PARTITION (ds='1') SELECT a, 'y', 2.5 FROM t WHERE ds='1'")
    assert sorted(rows(s, "SELECT a, b, c FROM t WHERE ds = '1'")) == [(1, "y", 2.5), (2, "y", 2.5)]


def test_existing_names_and_if_not_exists(s: Session) -> None:
    s.execute("ALTER TABLE t ADD COLUMNS IF NOT EXISTS (a BIGINT, b STRING)")
    assert [c[0] for c in rows(s, "SELECT * FROM t WHERE ds = '1' LIMIT 1")] == [1]
    assert len(rows(s, "SELECT a, b, ds FROM t WHERE ds = '1'")) == 2
    for bad, says in (
        ("(a BIGINT)", "column a already exists"),
        ("(ds STRING)", "column ds already exists"),
        ("(x BIGINT, x STRING)", "column x already exists"),
        ("(y BIGINT NOT NULL)", "NOT NULL or DEFAULT"),
    ):
        err = fails(s, f"ALTER TABLE t ADD COLUMNS {bad}")
        assert err.code.startswith("ODPS-") and says in err.text, bad
    # Nothing was added by the failures.
    assert len(rows(s, "SELECT * FROM t WHERE ds = '1' LIMIT 1")[0]) == 3


def test_needs_alter(s: Session) -> None:
    run(
        s,
        f"""ADD USER {RAM_A};
        GRANT CreateInstance ON PROJECT my_project TO USER {RAM_A};
        GRANT Select ON TABLE t TO USER {RAM_A};""",
    )
    s.login(RAM_A)
    err = fails(s, "ALTER TABLE t ADD COLUMNS (z STRING)")
    assert "Alter" in err.text
    s.login(OWNER_A)
    run(s, f"GRANT Alter ON TABLE t TO USER {RAM_A}")
    s.login(RAM_A)
    s.execute("ALTER TABLE t ADD COLUMNS (z STRING)")


def test_snowflake_does_not_run_it(sf: Session) -> None:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE t (a NUMBER)")
    err = fails(sf, "ALTER TABLE t ADD COLUMNS (b NUMBER)")
    assert "MaxCompute" in err.text or "maxcompute" in err.text
