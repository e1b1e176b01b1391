"""The REPL's pieces as plain functions, without a terminal: when Enter submits, what a paste
runs, the history trim, the toolbar and prompt, the pager rule, the progress line and running
a statement so that Ctrl-C cancels it."""

from __future__ import annotations

import _thread
import io
import threading
import time
from pathlib import Path

import pytest
from shell_fakes import FakeSession

from cloneshell.engine.core.result import Status
from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.context import Cancelled, OutputState
from cloneshell.shell.history import trim_history
from cloneshell.shell.pager import DEFAULT_PAGER, PagerError, page, pager_command, too_big
from cloneshell.shell.progress import ProgressLine, read_progress, run_cancellable
from cloneshell.shell.repl import (
    prompt_fragments,
    should_submit,
    split_trailing_meta,
    submittable_part,
    toolbar_fragments,
)


def test_should_submit() -> None:
    assert should_submit("")
    assert should_submit("SELECT 1;")
    assert should_submit("SELECT 1; SELECT 2;")
    assert should_submit("\\whoami")
    assert should_submit("SELECT\n\\q")
    assert should_submit("exit")
    assert should_submit("quit;")
    assert should_submit("q")
    assert should_submit("SELECT * FROM t\\G")
    assert should_submit("SELECT * FROM t\n\\G")
    assert not should_submit("SELECT 1")
    assert not should_submit("SELECT ';")
    assert not should_submit("SELECT 1; SELECT")
    assert not should_submit("SELECT '\\G")  # inside a string
    assert not should_submit("SELECT 1 -- \\G")  # inside a comment


def test_split_trailing_meta() -> None:
    assert split_trailing_meta("SELECT\n\\whoami") == ("SELECT\n", "\\whoami")
    assert split_trailing_meta("SELECT 1;\n\\whoami") == ("", "SELECT 1;\n\\whoami")
    assert split_trailing_meta("\\whoami") == ("", "\\whoami")


def test_submittable_part_keeps_an_unfinished_last_statement() -> None:
    assert submittable_part("SELECT 1;\nSELECT 2;\n") == ("SELECT 1;\nSELECT 2;\n", "")
    assert submittable_part("SELECT 1;\nSELECT 2") == ("SELECT 1;\n", "SELECT 2")
    assert submittable_part("SELECT 1; SELECT 'a;") == ("SELECT 1; ", "SELECT 'a;")
    assert submittable_part("SELECT 2") == ("", "SELECT 2")


def history_file(path: Path, entries: list[str]) -> None:
    text = "".join(
        f"\n# 2024-01-15 10:00:0{i}\n" + "".join(f"+{line}\n" for line in entry.split("\n"))
        for i, entry in enumerate(entries)
    )
    path.write_text(text)


def entries_in(path: Path) -> list[str]:
    from prompt_toolkit.history import FileHistory

    return list(reversed(list(FileHistory(str(path)).load_history_strings())))


def test_history_is_trimmed_to_the_newest_entries(tmp_path: Path) -> None:
    path = tmp_path / "history"
    history_file(path, ["SELECT 1;", "SELECT\n  2;", "SELECT 3;", "SELECT 4;"])
    trim_history(path, 2)
    assert entries_in(path) == ["SELECT 3;", "SELECT 4;"]
    trim_history(path, 5)  # short enough: untouched
    assert entries_in(path) == ["SELECT 3;", "SELECT 4;"]
    history_file(path, ["SELECT 1;", "SELECT\n  2;", "SELECT 3;"])
    trim_history(path, 2)
    assert entries_in(path) == ["SELECT\n  2;", "SELECT 3;"]


def test_prompt_fragments_split_user_project_and_arrow() -> None:
    assert prompt_fragments("odps@ my_project>") == [
        ("class:prompt.user", "odps@ "),
        ("class:prompt.project", "my_project"),
        ("class:prompt.arrow", ">"),
        ("class:prompt", " "),
    ]


def test_toolbar_says_who_and_where_and_drops_hints_that_do_not_fit() -> None:
    session = FakeSession()
    state = OutputState(fmt="vertical", timing=True)
    wide = "".join(t for _, t, *_ in toolbar_fragments(session, state, 200))
    assert "ALIYUN$odps_user@aliyun.com │ my_project │ maxcompute │ vertical │ timing on" in wide
    assert "[F2] emacs" in wide and "[Ctrl-R] history" in wide and "[\\help]" in wide
    narrow = "".join(t for _, t, *_ in toolbar_fragments(session, state, 80))
    assert "my_project" in narrow and "[Ctrl-R]" not in narrow
    assert len(narrow) <= 80
    busy = "".join(t for _, t, *_ in toolbar_fragments(session, state, 200, refreshing=True))
    assert "refreshing completions" in busy


def test_pager_command_and_the_too_big_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAGER", raising=False)
    assert pager_command() == DEFAULT_PAGER.split()
    monkeypatch.setenv("PAGER", "more -d")
    assert pager_command() == ["more", "-d"]
    assert pager_command("less -S") == ["less", "-S"]  # the settings file wins
    monkeypatch.setenv("PAGER", "")
    assert pager_command() == []  # PAGER= means no pager
    assert not too_big("a\n" * 39, rows=40, columns=80)
    assert too_big("a\n" * 40, rows=40, columns=80)
    assert not too_big("a" * 80 + "\n", rows=40, columns=80)
    assert too_big("a" * 81 + "\n", rows=40, columns=80)
    assert too_big("表" * 41 + "\n", rows=40, columns=80)  # double-width characters count twice


def test_missing_pager_raises_before_showing_anything() -> None:
    with pytest.raises(PagerError, match="cannot run pager 'no-such-pager-here'"):
        page("x\n", ["no-such-pager-here"])


def test_progress_line_draws_in_place_and_erases_itself() -> None:
    stream = io.StringIO()
    line = ProgressLine(stream, columns=60)
    line.draw(1.23, None, "Ctrl-C cancels")
    line.draw(2.5, 0.5, "Ctrl-C cancels")
    text = stream.getvalue()
    assert text.startswith("\r")
    assert "1.2s  Ctrl-C cancels" in text
    assert "2.5s  [##########----------] 50%  Ctrl-C cancels" in text
    widest = max(len(part) for part in text.split("\r"))
    line.clear()
    # Erased over the last width drawn, plus two columns for a `^C` the terminal echoed.
    assert stream.getvalue() == text + "\r" + " " * (widest + 2) + "\r"
    assert all(len(part) < 60 for part in stream.getvalue().split("\r"))


def test_progress_is_read_only_when_the_engine_offers_it() -> None:
    class WithProgress(FakeSession):
        def progress(self) -> float | None:
            return 0.25

    class Broken(FakeSession):
        def progress(self) -> float | None:
            raise RuntimeError("no")

    assert read_progress(FakeSession()) is None
    assert read_progress(WithProgress()) == 0.25
    assert read_progress(Broken()) is None


class SlowSession(FakeSession):
    """execute() blocks until interrupt() (then raises as the engine does) or `release`."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.interrupted = threading.Event()
        self.running = threading.Event()

    def execute(self, text: str) -> list[Status]:  # type: ignore[override]
        self.running.set()
        while not self.release.is_set():
            if self.interrupted.is_set():
                err = CloneshellError("Statement cancelled", code="ODPS-0130000")
                raise err
            time.sleep(0.01)
        return [Status("OK")]

    def interrupt(self) -> None:
        self.interrupted.set()


def press_ctrl_c_when_running(session: SlowSession) -> None:
    def press() -> None:
        session.running.wait(5)
        time.sleep(0.05)
        _thread.interrupt_main()  # what SIGINT does to the main thread

    threading.Thread(target=press, daemon=True).start()


def test_ctrl_c_interrupts_the_statement_and_raises_cancelled() -> None:
    session = SlowSession()
    press_ctrl_c_when_running(session)
    started = time.monotonic()
    with pytest.raises(Cancelled, match="cancelled"):
        run_cancellable(session, "SELECT 1;", io.StringIO(), show_progress=False)
    assert session.interrupted.is_set()
    assert time.monotonic() - started < 1


def test_a_statement_that_finishes_returns_its_results() -> None:
    session = SlowSession()
    session.release.set()
    finished = run_cancellable(session, "SELECT 1;", io.StringIO(), show_progress=False)
    assert finished.results == [Status("OK")]
    assert not finished.cancel_requested


def test_engine_errors_pass_through_unchanged() -> None:
    boom = CloneshellError("Table not found", code="ODPS-0130131")
    session = FakeSession({"SELECT": boom})
    with pytest.raises(CloneshellError) as raised:
        run_cancellable(session, "SELECT 1;", io.StringIO(), show_progress=False)
    assert raised.value is boom
