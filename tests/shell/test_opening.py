"""shell/opening.py: the session opened on a background thread, and what the shell shows until
it is open."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from shell_fakes import FakeSession

from cloneshell.engine.core.session import Session
from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.config import Config, parse_args
from cloneshell.shell.opening import OpenFailed, PendingSession, expected_prompt


def _config(warehouse: Path, *args: str) -> Config:
    return parse_args(["-w", str(warehouse), *args])


def _real_prompt(config: Config) -> str:
    session = Session.open(
        config.warehouse, principal=config.user, project=config.project, dialect=config.dialect
    )
    try:
        return session.prompt()
    finally:
        session.close()


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("-p", "my_project"),
        ("-p", "My_Project"),
        ("-u", "RAM$owner@aliyun.com:bob"),
        ("--dialect", "snowflake"),
        ("--dialect", "snowflake", "-u", "alice"),
        ("--dialect", "snowflake", "-u", '"Alice"'),
    ],
)
def test_the_expected_prompt_is_the_one_the_session_shows(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    config = _config(tmp_path / "wh", *args)
    assert expected_prompt(config) == _real_prompt(config)


def test_the_expected_prompt_of_a_snowflake_database(tmp_path: Path) -> None:
    session = Session.open(tmp_path / "wh", dialect="snowflake")
    session.execute("CREATE DATABASE sales")
    session.close()
    config = _config(tmp_path / "wh", "--dialect", "snowflake", "-p", "sales")
    assert (
        expected_prompt(config) == _real_prompt(config) == "CLONESHELL#(no warehouse)@SALES.PUBLIC>"
    )


def test_placeholders_until_open_then_the_session_itself(tmp_path: Path) -> None:
    release = threading.Event()
    real = FakeSession(principal="ALIYUN$x@y.com", project="p")

    def opener() -> FakeSession:
        release.wait(5)
        return real

    pending = PendingSession(opener, _config(tmp_path, "-u", "bob"))
    pending.start()
    assert pending.opening and not pending.failed
    assert (pending.principal, pending.project, pending.dialect_name) == (
        "bob",
        "my_project",
        "maxcompute",
    )
    assert pending.prompt() == "odps@ my_project>"
    pending.idle()  # nothing to release yet; does not wait
    release.set()
    assert pending.wait() is real
    assert (pending.principal, pending.project, pending.prompt()) == (
        "ALIYUN$x@y.com",
        "p",
        "odps@ p>",
    )
    pending.execute("SELECT 1")
    assert real.executed == ["SELECT 1"]
    assert pending.calls == real.calls  # other attributes come from the session
    pending.close()
    assert real.calls[-1] == "close"


def test_a_failure_is_raised_where_the_session_is_needed(tmp_path: Path) -> None:
    refusal = CloneshellError("Project not found - 'nope'.", code="ODPS-0420111")

    def opener() -> FakeSession:
        raise refusal

    pending = PendingSession(opener, _config(tmp_path, "-p", "nope"))
    assert pending.prompt() == "odps@ nope>"
    with pytest.raises(OpenFailed) as info:
        pending.execute("SELECT 1")  # starts opening, waits, fails
    assert info.value.cause is refusal
    assert pending.failed and not pending.opening
    with pytest.raises(OpenFailed):
        pending.snapshot()  # an optional attribute waits too
    pending.close()  # nothing to close


def test_an_interrupt_while_opening_stays_an_interrupt(tmp_path: Path) -> None:
    def opener() -> FakeSession:
        raise KeyboardInterrupt

    pending = PendingSession(opener, _config(tmp_path))
    with pytest.raises(KeyboardInterrupt):
        pending.wait()


def test_when_done_runs_once_before_or_after_the_end(tmp_path: Path) -> None:
    release = threading.Event()
    calls: list[str] = []

    def opener() -> FakeSession:
        release.wait(5)
        return FakeSession()

    called = threading.Event()

    def early() -> None:
        calls.append("early")
        called.set()

    pending = PendingSession(opener, _config(tmp_path))
    pending.when_done(early)
    pending.start()
    pending.start()  # once
    release.set()
    pending.wait()
    assert called.wait(5)  # on the opening thread, once it is done
    pending.when_done(lambda: calls.append("late"))  # at once
    assert calls == ["early", "late"]


def test_closing_a_session_that_never_started_opening_does_nothing(tmp_path: Path) -> None:
    def opener() -> FakeSession:
        raise AssertionError("opened")

    PendingSession(opener, _config(tmp_path)).close()
