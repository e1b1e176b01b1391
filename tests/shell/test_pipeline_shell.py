"""The shell's side of Snowflake stages, pipes, streams and tasks: `\\help` topics, the
confirmation before REMOVE @stage, and the idle ticks that run scheduled tasks while the
interactive prompt waits."""

from __future__ import annotations

import threading

import pytest

from cloneshell.shell import repl
from cloneshell.shell.destructive import is_destructive
from cloneshell.shell.help import maxcompute, snowflake


@pytest.mark.parametrize(
    ("topic", "entry"),
    [
        ("stage", "STAGE"),
        ("PUT file:///tmp/x.csv @s", "STAGE"),
        ("list @s", "STAGE"),
        ("remove @%t", "STAGE"),
        ("copy into t", "COPY"),
        ("create or replace pipe p", "PIPE"),
        ("show streams", "STREAM"),
        ("execute task k", "TASK"),
        ("alter task k resume", "TASK"),
        ("create table t2 clone t", "CLONE"),
        ("show grants to role r", "GRANT"),
        ("create role r", "ROLE"),
    ],
)
def test_help_topics(topic: str, entry: str) -> None:
    assert snowflake.BOOK.lookup(topic) == snowflake.HELP[entry]


@pytest.mark.parametrize(("topic", "entry"), [("list users", "LIST"), ("remove user x", "ADD")])
def test_maxcompute_keeps_its_own_list_and_remove(topic: str, entry: str) -> None:
    assert maxcompute.BOOK.lookup(topic) == maxcompute.HELP[entry]


def test_removing_staged_files_asks_first() -> None:
    assert is_destructive("REMOVE @s/in/", "snowflake")
    assert is_destructive("DROP STAGE s", "snowflake")
    assert not is_destructive("LIST @s", "snowflake")


class _CountingSession:
    def __init__(self) -> None:
        self.calls = 0
        self.ticked = threading.Event()

    def idle(self) -> None:
        self.calls += 1
        if self.calls == 2:
            self.ticked.set()
        if self.calls == 1:
            raise RuntimeError("a failure goes to the log, and ticking goes on")


def test_the_prompt_ticks_while_it_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repl, "IDLE_TICK_SECONDS", 0.01)
    logged: list[str] = []
    monkeypatch.setattr(repl, "log_internal_error", lambda e, where: logged.append(where) or "")
    session = _CountingSession()
    stop = threading.Event()
    thread = threading.Thread(target=repl._idle_ticks, args=(session, stop))  # type: ignore[arg-type]
    thread.start()
    try:
        assert session.ticked.wait(5)
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()
    assert logged == ["running scheduled tasks while idle"]
