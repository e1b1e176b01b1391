"""The prompt_toolkit adapter over suggest(): Completion objects from a Document, and the
SnapshotHolder's background refresh (never blocking the caller, coalescing, surviving errors)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from prompt_toolkit.completion import CompleteEvent, Completion, ThreadedCompleter
from prompt_toolkit.document import Document

from cloneshell.engine.core.snapshot import CatalogSnapshot, TableEntry
from cloneshell.engine.maxcompute.snapshot import EMPTY
from cloneshell.shell.completer import (
    CloneshellCompleter,
    SnapshotHolder,
    make_completer,
    needs_refresh,
)


def snapshot(version: int, *tables: str) -> CatalogSnapshot:
    return CatalogSnapshot(
        principal="ALIYUN$owner@aliyun.com",
        current_project="sales_proj",
        projects=("sales_proj",),
        tables=tuple(
            TableEntry("sales_proj", t, (("id", "bigint"), ("amount", "double")), ())
            for t in tables
        ),
        principals=("ALIYUN$owner@aliyun.com",),
        roles=("admin",),
        flags=(),
        version=version,
    )


class SlowSession:
    """snapshot() blocks until `gate` is set, then returns the next numbered snapshot."""

    def __init__(self, *tables: str, fail: bool = False) -> None:
        self.tables = tables
        self.gate = threading.Event()
        self.entered = threading.Event()  # set once a snapshot() call is waiting at the gate
        self.calls = 0
        self.fail = fail

    def snapshot(self) -> CatalogSnapshot:
        self.calls += 1
        self.entered.set()
        if not self.gate.wait(timeout=10):
            raise TimeoutError("test gate never opened")
        if self.fail:
            raise RuntimeError("catalog unreadable")
        return snapshot(self.calls, *self.tables)


def ready_holder(*tables: str) -> SnapshotHolder:
    session = SlowSession(*tables)
    session.gate.set()
    holder = SnapshotHolder(session)
    assert holder.wait_idle(timeout=10)
    return holder


def completions(completer: object, text: str, cursor: int | None = None) -> list[Completion]:
    document = Document(text, cursor_position=len(text) if cursor is None else cursor)
    return list(completer.get_completions(document, CompleteEvent()))  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------ completer


def test_completions_carry_text_position_display_and_meta() -> None:
    completer = CloneshellCompleter(ready_holder("sales", "sales_data"), meta_commands=())
    got = completions(completer, "SELECT * FROM sal")
    assert [c.text for c in got] == ["sales", "sales_data", "sales_proj"]
    assert all(c.start_position == -3 for c in got)
    assert got[0].display_text == "sales"
    assert got[0].display_meta_text == "table"


def test_text_after_the_cursor_is_used() -> None:
    completer = CloneshellCompleter(ready_holder("sales"), meta_commands=())
    text = "SELECT  FROM sales"
    got = completions(completer, text, cursor=len("SELECT "))
    assert [c.text for c in got][:2] == ["id", "amount"]
    assert got[0].display_meta_text == "bigint"


def test_meta_commands_default_to_the_registry() -> None:
    completer = CloneshellCompleter(ready_holder("sales"))
    assert [c.text for c in completions(completer, "\\logi")] == ["\\login"]


def test_make_completer_runs_in_a_thread_and_yields_the_same() -> None:
    holder = ready_holder("sales", "sales_data")
    threaded = make_completer(holder, meta_commands=())
    assert isinstance(threaded, ThreadedCompleter)

    async def collect() -> list[str]:
        document = Document("SELECT * FROM sd")
        return [c.text async for c in threaded.get_completions_async(document, CompleteEvent())]

    assert asyncio.run(collect()) == ["sales_data"]


def test_recency_from_the_holder_reorders_completions() -> None:
    holder = ready_holder("sales", "sales_data")
    completer = CloneshellCompleter(holder, meta_commands=())
    assert completions(completer, "SELECT * FROM sa")[0].text == "sales"
    holder.note_statement("SELECT * FROM sales_proj.sales_data")
    assert completions(completer, "SELECT * FROM sa")[0].text == "sales_data"
    assert holder.recency["sales_data"] > 0 and "sales_proj.sales_data" in holder.recency
    holder.note_used("SALES")
    assert completions(completer, "SELECT * FROM sa")[0].text == "sales"


def test_recency_forgets_the_oldest_beyond_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    import cloneshell.shell.completer as completer_module

    monkeypatch.setattr(completer_module, "MAX_RECENT", 3)
    holder = ready_holder()
    for name in ("a", "b", "c", "d"):
        holder.note_used(name)
    assert list(holder.recency) == ["b", "c", "d"]


# --------------------------------------------------------------------------------- holder


def test_refresh_does_not_block_and_current_later_returns_the_new_snapshot() -> None:
    session = SlowSession("sales")
    started = time.perf_counter()
    holder = SnapshotHolder(session)  # starts a refresh, which blocks in snapshot()
    holder.refresh_async()
    assert time.perf_counter() - started < 0.5
    assert holder.current() is EMPTY
    assert holder.refreshing
    assert not holder.wait_idle(timeout=0.05)  # still building
    session.gate.set()
    assert holder.wait_idle(timeout=10)
    assert [t.name for t in holder.current().tables] == ["sales"]
    assert not holder.refreshing


def test_requests_during_a_rebuild_coalesce_into_one_more() -> None:
    session = SlowSession("sales")
    holder = SnapshotHolder(session)
    assert session.entered.wait(timeout=10)  # the first build is running
    for _ in range(5):
        holder.refresh_async()
    session.gate.set()
    assert holder.wait_idle(timeout=10)
    assert session.calls == 2  # the running build plus one for all the requests after it
    assert holder.current().version == 2


def test_a_failed_rebuild_keeps_the_old_snapshot(caplog: pytest.LogCaptureFixture) -> None:
    session = SlowSession("sales")
    session.gate.set()
    holder = SnapshotHolder(session)
    assert holder.wait_idle(timeout=10)
    before = holder.current()
    session.fail = True
    holder.refresh_async()
    assert holder.wait_idle(timeout=10)
    assert holder.current() is before
    assert "completion refresh failed" in caplog.text
    session.fail = False
    holder.refresh_async()  # and the next one works again
    assert holder.wait_idle(timeout=10)
    assert holder.current() is not before


def test_on_refresh_is_called_after_each_new_snapshot() -> None:
    session = SlowSession("sales")
    session.gate.set()
    seen: list[int] = []
    holder = SnapshotHolder(session, on_refresh=lambda: seen.append(holder.current().version))
    assert holder.wait_idle(timeout=10)
    holder.refresh_async()
    assert holder.wait_idle(timeout=10)
    assert seen == [1, 2]


def test_no_refresh_until_asked_without_autostart() -> None:
    session = SlowSession("sales")
    session.gate.set()
    holder = SnapshotHolder(session, autostart=False)
    assert holder.wait_idle(timeout=1)
    assert session.calls == 0 and holder.current() is EMPTY


# ---------------------------------------------------------------------------- needs_refresh


@pytest.mark.parametrize(
    "text",
    [
        "CREATE TABLE t (id BIGINT)",
        "drop table t;",
        "USE hr_proj",
        "GRANT Select ON TABLE t TO USER RAM$a:b",
        "REVOKE admin FROM RAM$a:b",
        "ADD USER RAM$a:b",
        "REMOVE USER RAM$a:b",
        "CLONE TABLE a TO b",
        "ALTER TABLE t ADD PARTITION (ds='1')",
        "INSERT INTO t PARTITION (ds='1') VALUES (1)",
        "SELECT 1; DROP TABLE t;",
        "-- a comment\nTRUNCATE TABLE t",
        "\\login RAM$a:b",
    ],
)
def test_statements_that_change_the_catalog_need_a_refresh(text: str) -> None:
    assert needs_refresh(text)
    assert SnapshotHolder.needs_refresh(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM t",
        "select 1;",
        "(SELECT 1) UNION (SELECT 2)",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "DESC t",
        "SHOW TABLES",
        "WHOAMI",
        "SET odps.sql.allow.fullscan=true",
        "LIST USERS",
        "\\format csv",
        "",
    ],
)
def test_reads_need_no_refresh(text: str) -> None:
    assert not needs_refresh(text)
