"""snowflake-connector-python 4.x against `cloneshell serve`: `con.commit()`, `con.rollback()`,
`con.autocommit(False)`, `connect(autocommit=False)` and the connection's context manager run the
engine's Snowflake transactions; another connection sees nothing uncommitted, and a connection
closed with a transaction open leaves nothing of it."""

from __future__ import annotations

import pytest

sc = pytest.importorskip("snowflake.connector")


def _ids(con: object, table: str = "d.public.t") -> list[int]:
    cur = con.cursor()  # type: ignore[attr-defined]
    return [r[0] for r in cur.execute(f"SELECT id FROM {table} ORDER BY id").fetchall()]


@pytest.fixture
def pair(served):
    first = served.snowflake()
    first.cursor().execute("CREATE DATABASE d")
    first.cursor().execute("CREATE TABLE d.public.t (id INT)")
    first.cursor().execute("INSERT INTO d.public.t VALUES (1)")
    second = served.snowflake()
    yield first, second
    second.close()


def test_begin_commit_and_rollback_methods(pair):
    first, second = pair
    cur = first.cursor()
    cur.execute("BEGIN")
    cur.execute("INSERT INTO d.public.t VALUES (2)")
    assert cur.execute("SELECT CURRENT_TRANSACTION()").fetchone()[0] is not None
    assert _ids(second) == [1]
    first.commit()
    assert _ids(second) == [1, 2]
    cur.execute("BEGIN")
    cur.execute("DELETE FROM d.public.t")
    first.rollback()
    assert _ids(first) == [1, 2]
    first.close()


def test_autocommit_false(pair):
    first, second = pair
    first.autocommit(False)
    first.cursor().execute("INSERT INTO d.public.t VALUES (3)")
    assert _ids(second) == [1]
    first.commit()
    assert _ids(second) == [1, 3]
    first.cursor().execute("UPDATE d.public.t SET id = 30 WHERE id = 3")
    first.rollback()
    assert _ids(first) == [1, 3]
    first.autocommit(True)
    first.cursor().execute("INSERT INTO d.public.t VALUES (4)")
    assert _ids(second) == [1, 3, 4]
    first.close()


def test_connect_with_autocommit_false_and_the_context_manager(served, pair):
    first, second = pair
    first.close()
    with served.snowflake(autocommit=False) as con:
        con.cursor().execute("INSERT INTO d.public.t VALUES (5)")
        assert _ids(second) == [1]
    # Leaving the block without an error commits (the connector's __exit__).
    assert _ids(second) == [1, 5]
    con = served.snowflake(autocommit=False)
    con.cursor().execute("INSERT INTO d.public.t VALUES (6)")
    con.close()  # closed with the transaction open: rolled back
    assert _ids(second) == [1, 5]
