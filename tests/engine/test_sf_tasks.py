"""Snowflake tasks: schedules, graphs, WHEN, EXECUTE TASK, TASK_HISTORY, and when scheduled
runs happen (reference/snowflake.md §7.4; engine/snowflake/tasks.py,
engine/snowflake/handlers/tasks.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from engine_helpers import START, fails, rows, run, status

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock
from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.snowflake.tasks import parse_schedule

HISTORY = (
    "SELECT name, state, scheduled_time FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) "
    "ORDER BY scheduled_time, name"
)


def logged(s: Session) -> list[tuple[object, ...]]:
    return rows(s, "SELECT at, n FROM d.public.log ORDER BY at, n")


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def scheduled(sf: Session) -> Session:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE log (at TIMESTAMP, n INT);
        CREATE TASK k SCHEDULE = '10 MINUTE' AS INSERT INTO log SELECT CURRENT_TIMESTAMP, 1;""",
    )
    return sf


def test_a_task_starts_suspended_and_runs_on_schedule_once_resumed(scheduled: Session) -> None:
    assert rows(scheduled, "SHOW TASKS")[0][10] == "suspended"
    scheduled.move_clock(timedelta(minutes=30))
    assert logged(scheduled) == []  # suspended: nothing ran
    assert status(scheduled, "ALTER TASK k RESUME") == "Statement executed successfully."
    assert rows(scheduled, "SHOW TASKS")[0][10] == "started"
    scheduled.move_clock(timedelta(minutes=25))
    # Each due instant ran, with the clock at that instant.
    assert logged(scheduled) == [(at(40), 1), (at(50), 1)]
    assert rows(scheduled, HISTORY) == [
        ("K", "SUCCEEDED", at(40)),
        ("K", "SUCCEEDED", at(50)),
        ("K", "SCHEDULED", at(60)),
    ]
    run(scheduled, "ALTER TASK k SUSPEND")
    scheduled.move_clock(timedelta(hours=1))
    assert len(logged(scheduled)) == 2
    show = rows(scheduled, "SHOW TASKS")[0]
    assert (show[10], show[21]) == ("suspended", "USER_SUSPENDED")


def test_a_graph_runs_children_after_their_predecessors(scheduled: Session) -> None:
    run(
        scheduled,
        """CREATE TASK child AFTER k AS INSERT INTO log SELECT CURRENT_TIMESTAMP, 2;
        CREATE TASK idle_child AFTER k AS INSERT INTO log SELECT CURRENT_TIMESTAMP, 3;
        ALTER TASK child RESUME;
        ALTER TASK k RESUME;""",
    )
    scheduled.move_clock(timedelta(minutes=10))
    # The suspended child is skipped.
    assert logged(scheduled) == [(at(10), 1), (at(10), 2)]
    err = fails(scheduled, "ALTER TASK child MODIFY AS SELECT 1")
    assert "Unable to update graph with root task D.PUBLIC.K since that root task is not " in (
        err.text
    )
    err = fails(scheduled, "EXECUTE TASK child")
    assert "is a child task" in err.text


def test_a_failed_root_stops_its_graph_and_failures_suspend_it(scheduled: Session) -> None:
    run(
        scheduled,
        """CREATE TASK bad SCHEDULE = '1 MINUTE' SUSPEND_TASK_AFTER_NUM_FAILURES = 2
            AS INSERT INTO nope VALUES (1);
        CREATE TASK after_bad AFTER bad AS INSERT INTO log SELECT CURRENT_TIMESTAMP, 9;
        ALTER TASK after_bad RESUME;
        ALTER TASK bad RESUME;""",
    )
    scheduled.move_clock(timedelta(minutes=5))
    failed = rows(
        scheduled,
        "SELECT name, state, error_code FROM TABLE(TASK_HISTORY(TASK_NAME => 'bad')) "
        "ORDER BY scheduled_time",
    )
    assert failed == [("BAD", "FAILED", 2003), ("BAD", "FAILED", 2003)]
    assert logged(scheduled) == []
    show = {r[1]: r for r in rows(scheduled, "SHOW TASKS")}
    assert (show["BAD"][10], show["BAD"][21]) == ("suspended", "SUSPENDED_DUE_TO_ERRORS")
    errors = rows(
        scheduled, "SELECT count(*) FROM TABLE(TASK_HISTORY(ERROR_ONLY => TRUE, RESULT_LIMIT => 1))"
    )
    assert errors == [(1,)]


def test_when_false_skips_the_run_and_a_stream_feeds_a_task(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE src (id INT);
        CREATE TABLE dst (id INT);
        CREATE STREAM s ON TABLE src;
        CREATE TASK k SCHEDULE = '5 MINUTE' WHEN SYSTEM$STREAM_HAS_DATA('s')
            AS INSERT INTO dst SELECT id FROM s;
        ALTER TASK k RESUME;""",
    )
    sf.move_clock(timedelta(minutes=5))
    assert rows(sf, "SELECT state FROM TABLE(TASK_HISTORY()) WHERE state <> 'SCHEDULED'") == [
        ("SKIPPED",)
    ]
    run(sf, "INSERT INTO src VALUES (1), (2)")
    sf.move_clock(timedelta(minutes=5))
    assert rows(sf, "SELECT id FROM dst ORDER BY id") == [(1,), (2,)]
    assert rows(sf, "SELECT * FROM s") == []  # the task's INSERT consumed the stream
    sf.move_clock(timedelta(minutes=5))
    assert rows(sf, "SELECT count(*) FROM dst") == [(2,)]


def test_execute_task_runs_a_suspended_root_now(scheduled: Session) -> None:
    assert status(scheduled, "EXECUTE TASK k") == "Statement executed successfully."
    assert logged(scheduled) == [(at(0), 1)]
    assert rows(scheduled, "SHOW TASKS")[0][10] == "suspended"


def test_the_owner_needs_execute_task(sf: Session) -> None:
    run(
        sf,
        """USE ROLE sysadmin;
        CREATE DATABASE d;
        CREATE TASK k SCHEDULE = '1 MINUTE' AS SELECT 1;""",
    )
    err = fails(sf, "ALTER TASK k RESUME")
    assert err.text == (
        "003001 (42501): SQL access control error:\nCannot execute task , EXECUTE TASK "
        "privilege must be granted to owner role"
    )
    run(sf, "USE ROLE accountadmin; GRANT EXECUTE TASK ON ACCOUNT TO ROLE sysadmin")
    run(sf, "USE ROLE sysadmin")
    assert status(sf, "ALTER TASK k RESUME") == "Statement executed successfully."


def test_runs_missed_while_no_shell_was_open_are_not_replayed(
    warehouse_dir: Path, sf_factory: Callable[..., Session]
) -> None:
    first = sf_factory()
    run(
        first,
        """CREATE DATABASE d;
        CREATE TABLE log (at TIMESTAMP, n INT);
        CREATE TASK k SCHEDULE = '10 MINUTE' AS INSERT INTO log SELECT CURRENT_TIMESTAMP, 1;
        ALTER TASK k RESUME;""",
    )
    first.move_clock(timedelta(minutes=10))
    first.idle()
    assert logged(first) == [(at(10), 1)]
    first.close()
    # The next shell opens at 11:05: 10:20 … 11:00 passed with no shell open.
    later = sf_factory(clock=at(65))
    assert logged(later) == [(at(10), 1)]
    later.move_clock(timedelta(minutes=10))
    assert logged(later) == [(at(10), 1), (at(70), 1)]


def test_drop_task_stops_its_schedule(scheduled: Session) -> None:
    run(scheduled, "ALTER TASK k RESUME")
    assert status(scheduled, "DROP TASK k") == "K successfully dropped."
    scheduled.move_clock(timedelta(minutes=30))
    assert logged(scheduled) == []
    assert scheduled.warehouse.next_task_due() is None


def test_task_checks(scheduled: Session) -> None:
    err = fails(scheduled, "CREATE TASK x SCHEDULE = 'every hour' AS SELECT 1")
    assert "invalid schedule 'every hour'" in err.text
    err = fails(scheduled, "CREATE TASK x SCHEDULE = '1 MINUTE' AFTER k AS SELECT 1")
    assert "SCHEDULE or AFTER, not both" in err.text
    assert "needs AS <statement>" in fails(scheduled, "CREATE TASK x").text
    err = fails(scheduled, "CREATE TASK x AFTER nope AS SELECT 1")
    assert "Object 'D.PUBLIC.NOPE' does not exist or not authorized." in err.text
    assert status(scheduled, "CREATE TASK k2 CLONE k") == "Task K2 successfully created."
    assert [r[10] for r in rows(scheduled, "SHOW TASKS")] == ["suspended", "suspended"]


# ---------------------------------------------------------------------------- schedules


@pytest.mark.parametrize(
    ("text", "after", "expected"),
    [
        ("USING CRON 0 * * * * UTC", "2024-01-15 10:00", "2024-01-15 11:00"),
        ("USING CRON */15 9-17 * * MON-FRI UTC", "2024-01-19 17:50", "2024-01-22 09:00"),
        ("USING CRON 30 2 1 * * UTC", "2024-01-15 10:00", "2024-02-01 02:30"),
        ("USING CRON 0 9 * * * America/Los_Angeles", "2024-01-15 10:00", "2024-01-15 17:00"),
        ("USING CRON 0 0 29 FEB * UTC", "2024-03-01 00:00", "2028-02-29 00:00"),
    ],
)
def test_cron_schedules(text: str, after: str, expected: str) -> None:
    schedule = parse_schedule(text)
    start = datetime.fromisoformat(after)
    assert schedule.next_after(start, start) == datetime.fromisoformat(expected)


def test_interval_schedules_count_from_the_resume() -> None:
    schedule = parse_schedule("90 SECONDS")
    anchor = datetime(2024, 1, 15, 10, 0, 0)
    assert schedule.next_after(anchor, anchor) == datetime(2024, 1, 15, 10, 1, 30)
    assert schedule.next_after(datetime(2024, 1, 15, 10, 2), anchor) == datetime(
        2024, 1, 15, 10, 3, 0
    )
    for bad in ("0 MINUTE", "USING CRON 61 * * * * UTC", "USING CRON * * * * * Mars/Base"):
        with pytest.raises(SemanticError):
            parse_schedule(bad)


def test_a_frozen_clock_started_later(warehouse_dir: Path) -> None:
    s = Session.open(warehouse_dir, dialect="snowflake", clock=FixedClock(START))
    try:
        assert s.opened_at == START
    finally:
        s.close()


def test_an_internal_failure_is_recorded_without_python_details(
    scheduled: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: ERROR_MESSAGE read "internal error: RuntimeError: secret /path/inside" — the
    # Python class and text, visible to anyone who can read TASK_HISTORY.
    from cloneshell.engine.snowflake.handlers import tasks

    def boom(*_: object) -> None:
        raise RuntimeError("secret /path/inside")

    monkeypatch.setattr(tasks, "handler_for", lambda *_: boom)
    run(scheduled, "EXECUTE TASK k")
    got = rows(
        scheduled,
        "SELECT state, error_code, error_message FROM TABLE(TASK_HISTORY(TASK_NAME => 'k'))",
    )
    assert got == [("FAILED", 603, tasks._INTERNAL)]
    assert "secret" not in str(got) and "RuntimeError" not in str(got)
