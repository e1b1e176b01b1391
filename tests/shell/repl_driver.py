"""Driving `cloneshell` in a real pseudo-terminal, for the REPL tests. Not a test module.

Run as a script, it is `cloneshell` over a FakeSession (the REPL needs a real terminal on stdin,
so the fake runs in a subprocess): for what the real engine cannot be made to do on demand, such
as a statement that ignores Ctrl-C. Imported, it offers `Terminal`: a process in a pty whose
output is read continuously by a thread that feeds a pyte screen (so the bottom toolbar and the
completion menu can be looked at, and prompt_toolkit's cursor-position requests get answers, as
from a real terminal) and a plain transcript (escape sequences removed) that `expect` searches
forward through, as pexpect does.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pexpect
import pyte

ROWS, COLUMNS = 40, 120
PROMPT = "odps@ my_project>"
CLOCK = "2024-01-15T10:00:00"

# CSI/OSC/charset sequences and carriage returns: what is left is the text a user reads.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\r"
)
# An escape sequence cut off at the end of a read: kept for the next one.
_PARTIAL_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07]*|[()])?$")
# prompt_toolkit turns bracketed paste on when it starts reading a new input, once per prompt
# (redraws while typing repeat the prompt text, not this), so the transcript marks it: READY.
_PROMPT_STARTS = "\x1b[?2004h"
READY = "\x00ready\x00"

BRACKETED_PASTE = ("\x1b[200~", "\x1b[201~")


def shell_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment with its own home and XDG directories, so nothing is read from or
    written to the real ones."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "CLONESHELL_WAREHOUSE", "PAGER", "LESS")
        and not k.startswith(("XDG_", "PROMPT_TOOLKIT"))
    }
    env.update(
        HOME=str(home),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        TERM="xterm-256color",
        COLUMNS=str(COLUMNS),
        LINES=str(ROWS),
    )
    env.update(extra)
    return env


class Terminal:
    """One `cloneshell` (or driver script) in a pty of `rows` x `columns` (ROWS x COLUMNS)."""

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        timeout: float = 15,
        rows: int = ROWS,
        columns: int = COLUMNS,
    ) -> None:
        self.timeout = timeout
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.screen.write_process_input = self._answer  # type: ignore[method-assign]
        self.transcript = ""
        self.pos = 0  # where the next expect starts searching
        self.lock = threading.Condition()
        self.eof = False
        self.child = pexpect.spawn(
            argv[0], argv[1:], env=env, timeout=timeout, dimensions=(rows, columns)
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # -- reading

    def _answer(self, data: str) -> None:
        # pyte answers a cursor-position request (ESC [6n) as a terminal would.
        self.child.send(data.encode())

    def _read(self) -> None:
        pending = b""
        while True:
            try:
                chunk = self.child.read_nonblocking(65536, timeout=0.05)
            except pexpect.TIMEOUT:
                continue
            except (pexpect.EOF, OSError, ValueError):
                with self.lock:
                    self.eof = True
                    self.lock.notify_all()
                return
            with self.lock:
                self.stream.feed(chunk)
                data = pending + chunk
                try:
                    text = data.decode("utf-8")
                    pending = b""
                except UnicodeDecodeError as e:  # a character split across reads
                    text, pending = data[: e.start].decode("utf-8"), data[e.start :]
                cut = _PARTIAL_ESCAPE.search(text)
                if cut is not None:
                    pending = text[cut.start() :].encode("utf-8") + pending
                    text = text[: cut.start()]
                text = text.replace(_PROMPT_STARTS, READY)
                self.transcript += _ESCAPES.sub("", text)
                self.lock.notify_all()

    def expect(self, text: str | re.Pattern[str], timeout: float | None = None) -> str:
        """Wait until `text` (a string, or a compiled pattern) appears in the transcript after
        the previous match; return what came before it. Fails with the transcript's tail."""
        deadline = time.monotonic() + (timeout or self.timeout)
        with self.lock:
            while True:
                if isinstance(text, str):
                    at = self.transcript.find(text, self.pos)
                    end = at + len(text)
                else:
                    match = text.search(self.transcript, self.pos)
                    at, end = (match.start(), match.end()) if match else (-1, -1)
                if at >= 0:
                    before = self.transcript[self.pos : at]
                    self.pos = end
                    return before
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    tail = self.transcript[self.pos :][-2000:]
                    state = "exited" if self.eof else "timed out"
                    raise AssertionError(f"{text!r} not seen ({state}); after last match:\n{tail}")
                self.lock.wait(min(left, 0.1))

    def expect_prompt(self, timeout: float | None = None) -> str:
        """Wait for the next new prompt (not a redraw of the current one); return the output
        before it. prompt_toolkit puts the terminal in raw mode before it draws the prompt, so
        keys (Ctrl-C too) sent from here on reach it as keys."""
        before = self.expect(READY, timeout)
        self.expect(PROMPT, timeout)
        return before

    def output_since(self, mark: int) -> str:
        """The transcript from position `mark` (take `mark = term.mark()` first)."""
        with self.lock:
            return self.transcript[mark:]

    def mark(self) -> int:
        """The current end of the transcript."""
        with self.lock:
            return len(self.transcript)

    def wait_screen(self, predicate_text: str, timeout: float | None = None) -> str:
        """Wait until the visible screen shows `predicate_text`; return the screen."""
        deadline = time.monotonic() + (timeout or self.timeout)
        with self.lock:
            while True:
                shown = self.display()
                if predicate_text in shown:
                    return shown
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    raise AssertionError(f"{predicate_text!r} not on screen:\n{shown}")
                self.lock.wait(min(left, 0.1))

    def display(self) -> str:
        """The visible screen, one line per row, right-trimmed."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    # -- writing

    def send(self, text: str) -> None:
        """Type `text` (\\r is Enter)."""
        self.child.send(text.encode("utf-8"))

    def line(self, text: str) -> None:
        """Type a line and Enter."""
        self.send(text + "\r")

    def paste(self, text: str) -> None:
        """Paste `text` as a terminal with bracketed paste does (one write, marked)."""
        start, end = BRACKETED_PASTE
        self.send(start + text + end)

    def control(self, key: str) -> None:
        """Send Ctrl-<key>."""
        self.child.sendcontrol(key)

    def wait_exit(self, timeout: float | None = None) -> int:
        """Wait for the process to end; its exit status."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while self.child.isalive():
            if time.monotonic() > deadline:
                raise AssertionError("the shell did not exit")
            time.sleep(0.05)
        self.child.wait() if self.child.exitstatus is None else None
        self.reader.join(2)
        status = self.child.exitstatus
        return status if status is not None else 128 + (self.child.signalstatus or 0)

    def close(self) -> None:
        """Stop the process if it still runs."""
        if self.child.isalive():
            self.child.close(force=True)


def cloneshell_argv(warehouse: Path, *args: str) -> list[str]:
    """`cloneshell -w WAREHOUSE --clock … ARGS`, run by this interpreter."""
    code = "import sys; from cloneshell.shell.main import main; sys.exit(main())"
    return [sys.executable, "-c", code, "-w", str(warehouse), "--clock", CLOCK, *args]


# ---------------------------------------------------------------------------------------------
# The fake-session shell (run as a script)

if __name__ == "__main__":
    from shell_fakes import FakeSession

    from cloneshell.engine.core.result import Column, Rows
    from cloneshell.grammar.errors import CloneshellError, Span
    from cloneshell.shell.main import main

    def stuck(text: str) -> list[object]:
        time.sleep(60)  # a statement that ignores interrupts (the fake has no interrupt())
        return []

    def nap(text: str) -> list[object]:
        time.sleep(1.0)  # long enough to type ahead while it runs
        return []

    answers = {
        "NAP": nap,
        "SELECT": [Rows((Column("id", "bigint"), Column("d", "date")), [(1, date(2024, 1, 15))])],
        "BAD": CloneshellError("Parse exception - invalid token", Span(0, 3, 1, 1, 1, 4), code="P"),
        "STUCK": stuck,
    }

    def open_session(config: object) -> FakeSession:
        # FAKE_OPEN_DELAY: a session slow to open, to see the REPL before it is open.
        time.sleep(float(os.environ.get("FAKE_OPEN_DELAY", "0")))
        return FakeSession(answers)

    sys.exit(main(sys.argv[1:], open_session=open_session))
