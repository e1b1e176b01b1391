"""Snowflake transactions ("Transactions" page): BEGIN … COMMIT | ROLLBACK over several
statements, invisible to other sessions until COMMIT, one Time Travel point per commit, a DDL
statement's implicit commit, a failing statement undone alone, AUTOCOMMIT = FALSE, and a session
that ends (or is killed) with a transaction open leaving nothing of it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from engine_helpers import START
from engine_helpers import turn_fails as fails
from engine_helpers import turn_rows as rows
from engine_helpers import turn_run as run
from engine_helpers import turn_status as status

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock

OK = "Statement executed successfully."


def ids(s: Session, table: str = "t") -> list[object]:
    return [r[0] for r in rows(s, f"SELECT id FROM {table} ORDER BY id")]


@pytest.fixture
def other(warehouse_dir: Path, sf: Session) -> Iterator[Session]:
    """A second session of the same user, in database D (table T holds 1 and 2)."""
    run(sf, "CREATE DATABASE d; CREATE TABLE t (id INT); INSERT INTO t VALUES (1), (2)")
    s = Session.open(
        warehouse_dir, dialect="snowflake", clock=FixedClock(START), project="d", lock_timeout=1
    )
    yield s
    s.close()


@pytest.mark.parametrize(
    "begin", ["BEGIN", "BEGIN WORK", "BEGIN TRANSACTION", "BEGIN NAME t1", "START TRANSACTION"]
)
def test_uncommitted_rows_are_the_sessions_own(sf: Session, other: Session, begin: str) -> None:
    assert status(sf, begin) == OK
    run(sf, "INSERT INTO t VALUES (3)")
    run(sf, "DELETE FROM t WHERE id = 1")
    assert ids(sf) == [2, 3]
    assert ids(other) == [1, 2]
    assert status(sf, "COMMIT") == OK
    assert ids(other) == [2, 3]


def test_rollback_undoes_inserts_updates_and_deletes(sf: Session, other: Session) -> None:
    run(sf, "BEGIN; INSERT INTO t VALUES (3); UPDATE t SET id = 20 WHERE id = 2")
    run(
        sf,
        "DELETE FROM t WHERE id = 1; MERGE INTO t USING (SELECT 3 AS k) s ON t.id = s.k "
        "WHEN MATCHED THEN UPDATE SET id = 30",
    )
    assert ids(sf) == [20, 30]
    assert status(sf, "ROLLBACK WORK") == OK
    assert ids(sf) == [1, 2]
    assert ids(other) == [1, 2]


def test_rollback_of_a_table_without_time_travel(sf: Session, other: Session) -> None:
    run(sf, "CREATE TRANSIENT TABLE z (id INT) DATA_RETENTION_TIME_IN_DAYS = 0")
    run(sf, "INSERT INTO z VALUES (1), (2)")
    run(sf, "BEGIN; DELETE FROM z WHERE id = 1; UPDATE z SET id = 5")
    assert ids(sf, "z") == [5]
    assert ids(other, "z") == [1, 2]
    run(sf, "ROLLBACK")
    assert ids(sf, "z") == [1, 2]


def test_a_failing_statement_is_undone_alone(sf: Session, other: Session) -> None:
    run(sf, "BEGIN; INSERT INTO t VALUES (3)")
    err = fails(sf, "INSERT INTO t SELECT 4 UNION ALL SELECT 'x'::INT")
    assert err.code == "100038"
    assert ids(sf) == [1, 2, 3]  # the transaction stays open, with what it did
    assert ids(other) == [1, 2]
    run(sf, "COMMIT")
    assert ids(other) == [1, 2, 3]


def test_ddl_commits_the_open_transaction_first(sf: Session, other: Session) -> None:
    run(sf, "BEGIN; INSERT INTO t VALUES (3)")
    run(sf, "CREATE TABLE u (a INT)")  # implicit commit, then the DDL on its own
    assert ids(other) == [1, 2, 3]
    run(sf, "INSERT INTO t VALUES (4)")  # autocommit again: no transaction is open
    assert ids(other) == [1, 2, 3, 4]
    assert status(sf, "ROLLBACK") == OK  # nothing open: nothing to do
    assert ids(sf) == [1, 2, 3, 4]


def test_begin_inside_a_transaction_is_ignored(sf: Session, other: Session) -> None:
    run(sf, "BEGIN; INSERT INTO t VALUES (3); BEGIN; INSERT INTO t VALUES (4)")
    run(sf, "ROLLBACK")
    assert ids(sf) == [1, 2]
    assert status(sf, "COMMIT") == OK


def test_one_time_travel_point_per_commit(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (id INT); INSERT INTO t VALUES (1)")
    sf.move_clock(timedelta(minutes=1))
    run(sf, "BEGIN")
    sf.execute("INSERT INTO t VALUES (2)")
    first = sf.query_ids[-1]
    sf.move_clock(timedelta(minutes=1))
    run(sf, "INSERT INTO t VALUES (3)")
    sf.move_clock(timedelta(minutes=1))
    run(sf, "COMMIT")
    # Between the two inserts (by the clock) the transaction had not committed.
    between = "2024-01-15 10:01:30"
    assert ids(sf, f"t AT(TIMESTAMP => '{between}'::TIMESTAMP)") == [1]
    assert ids(sf, "t AT(TIMESTAMP => '2024-01-15 10:03:00'::TIMESTAMP)") == [1, 2, 3]
    # A statement of the transaction stands for the whole transaction.
    assert ids(sf, f"t AT(STATEMENT => '{first}')") == [1, 2, 3]
    assert ids(sf, f"t BEFORE(STATEMENT => '{first}')") == [1]


def test_other_sessions_wait_to_write_the_database(sf: Session, other: Session) -> None:
    run(sf, "BEGIN; INSERT INTO t VALUES (3)")
    err = fails(other, "INSERT INTO t VALUES (9)")
    assert err.code == "000630"
    run(sf, "COMMIT")
    run(other, "INSERT INTO t VALUES (9)")
    assert ids(sf) == [1, 2, 3, 9]


def test_autocommit_false_opens_transactions(sf: Session, other: Session) -> None:
    run(sf, "ALTER SESSION SET AUTOCOMMIT = FALSE")
    run(sf, "INSERT INTO t VALUES (3)")
    assert ids(other) == [1, 2]
    run(sf, "COMMIT")
    assert ids(other) == [1, 2, 3]
    run(sf, "DELETE FROM t")
    run(sf, "ROLLBACK")
    assert ids(sf) == [1, 2, 3]
    run(sf, "INSERT INTO t VALUES (4)")
    run(sf, "ALTER SESSION SET AUTOCOMMIT = TRUE")  # commits the open transaction
    assert ids(other) == [1, 2, 3, 4]


def test_session_end_rolls_back(warehouse_dir: Path, sf: Session, other: Session) -> None:
    run(other, "BEGIN; INSERT INTO t VALUES (3)")
    other.close()
    assert ids(sf) == [1, 2]
    run(sf, "INSERT INTO t VALUES (4)")
    assert ids(sf) == [1, 2, 4]


_KILLED = """
import os, signal, sys
from datetime import datetime
from cloneshell.engine import Session
s = Session.open(sys.argv[1], dialect="snowflake", project="d", clock=datetime(2024, 1, 15, 10))
s.execute("BEGIN")
s.execute("INSERT INTO t VALUES (3), (4)")
s.execute("DELETE FROM t WHERE id = 1")
s.idle()
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_session_leaves_nothing(warehouse_dir: Path, sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (id INT); INSERT INTO t VALUES (1), (2)")
    sf.idle()
    done = subprocess.run(
        [sys.executable, "-c", _KILLED, str(warehouse_dir)], capture_output=True, check=False
    )
    assert done.returncode == -9, done.stderr
    assert ids(sf) == [1, 2]  # its marked versions are not read
    run(sf, "INSERT INTO t VALUES (5)")  # the writer rolls the dead transaction back
    insert = sf.query_ids[-1]
    assert ids(sf) == [1, 2, 5]
    assert ids(sf, f"t BEFORE(STATEMENT => '{insert}')") == [1, 2]


def test_stream_offset_comes_back_on_rollback(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (id INT); CREATE TABLE sink (id INT)")
    run(sf, "CREATE STREAM s ON TABLE t; INSERT INTO t VALUES (1)")
    run(sf, "BEGIN; INSERT INTO sink SELECT id FROM s")
    assert rows(sf, "SELECT count(*) FROM s") == [(0,)]
    run(sf, "ROLLBACK")
    assert rows(sf, "SELECT id FROM s") == [(1,)]
    assert rows(sf, "SELECT count(*) FROM sink") == [(0,)]


def test_maxcompute_has_no_transactions(open_session: Callable[..., Session]) -> None:
    err = fails(open_session(), "BEGIN")
    assert err.text.startswith("ODPS-0130071:[1,1] ")
    assert "Snowflake" in err.text


def test_current_transaction_and_show_parameters(sf: Session) -> None:
    assert rows(sf, "SELECT CURRENT_TRANSACTION()") == [(None,)]
    run(sf, "BEGIN")
    (txn,) = rows(sf, "SELECT CURRENT_TRANSACTION()")[0]
    assert isinstance(txn, str) and txn.isdigit()
    run(sf, "COMMIT")
    assert rows(sf, "SELECT CURRENT_TRANSACTION()") == [(None,)]
    assert rows(sf, "SELECT CURRENT_VERSION()") == [("9.0.0",)]
    # dbt reads the query tag back before setting it for a model (`get_current_query_tag`).
    shown = rows(sf, "SHOW PARAMETERS LIKE 'query_tag' IN SESSION")
    assert [(r[0], r[1], r[3]) for r in shown] == [("QUERY_TAG", "", "")]
    run(sf, "ALTER SESSION SET QUERY_TAG = 'nightly'; ALTER SESSION SET AUTOCOMMIT = FALSE")
    shown = rows(sf, "SHOW PARAMETERS LIKE 'query_tag' IN SESSION")
    assert [(r[0], r[1], r[2], r[3]) for r in shown] == [("QUERY_TAG", "nightly", "", "SESSION")]
    assert [r[1] for r in rows(sf, "SHOW PARAMETERS LIKE 'AUTOCOMMIT'")] == ["false"]
    assert [r[1] for r in rows(sf, "SHOW PARAMETERS LIKE 'AUTOCOMMIT' IN ACCOUNT")] == ["true"]


def test_clones_of_another_sessions_open_transaction_take_none_of_it(
    sf: Session, other: Session
) -> None:
    run(sf, "BEGIN; INSERT INTO t VALUES (3); DELETE FROM t WHERE id = 1")
    run(other, "CREATE DATABASE e; CREATE TABLE e.public.c CLONE d.public.t")
    run(other, "CREATE DATABASE d2 CLONE d")
    assert ids(other, "e.public.c") == [1, 2]
    assert ids(other, "d2.public.t") == [1, 2]
    run(sf, "COMMIT")
    assert ids(other, "d.public.t") == [2, 3]
    assert ids(other, "d2.public.t") == [1, 2]
    run(other, "INSERT INTO d2.public.t VALUES (7)")  # the copy holds no transaction's marks
    assert ids(other, "d2.public.t") == [1, 2, 7]


def test_streams_of_other_sessions_see_only_committed_changes(sf: Session, other: Session) -> None:
    run(sf, "CREATE STREAM s ON TABLE t; INSERT INTO t VALUES (5)")
    run(sf, "BEGIN; INSERT INTO t VALUES (6)")
    assert ids(sf, "s") == [5, 6]
    assert ids(other, "s") == [5]
    run(sf, "COMMIT")
    assert ids(other, "s") == [5, 6]


def test_show_transactions(sf: Session, other: Session) -> None:
    assert rows(sf, "SHOW TRANSACTIONS") == []
    run(sf, "BEGIN NAME nightly_load")
    run(other, "START TRANSACTION")
    (txn,) = rows(sf, "SELECT CURRENT_TRANSACTION()")[0]
    mine = rows(sf, "SHOW TRANSACTIONS")
    assert len(mine) == 2  # both sessions are the same user's
    named = [r for r in mine if r[3] == "NIGHTLY_LOAD"]
    unnamed = [r for r in mine if r[3] != "NIGHTLY_LOAD"]
    first = named[0]
    assert (str(first[0]), first[1], first[3], first[5], first[6]) == (
        txn,
        "CLONESHELL",
        "NIGHTLY_LOAD",
        "running",
        0,
    )
    assert len(str(unnamed[0][3])) == 36  # no name given: a generated UUID
    run(sf, "COMMIT")
    run(other, "ROLLBACK")
    assert rows(sf, "SHOW TRANSACTIONS IN ACCOUNT") == []
