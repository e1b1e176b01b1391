"""Watching a running statement at the terminal: it runs on a worker thread so that Ctrl-C can
cancel it (`session.interrupt()`, which makes the engine roll back), and after a second one
stderr line shows the elapsed time (and how far along it is, when the engine can say), erased
when the statement ends. The REPL watches each statement so (`run_cancellable`); batch mode
runs each on a worker thread too, so that Ctrl-C stops a script at once (`run_interruptible`)."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TextIO, TypeVar, cast

from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.records import record
from cloneshell.shell.context import Cancelled, ShellSession
from cloneshell.shell.width import display_width

if TYPE_CHECKING:
    from cloneshell.engine import Result

SHOW_AFTER = 1.0  # seconds before the progress line appears: quick statements show nothing
TICK = 0.1  # how often the line is redrawn and Ctrl-C is noticed
REINTERRUPT = 0.25  # while cancelling, interrupt again this often (see `_Watch.cancel`)
QUIT_PRESSES = 3  # this many Ctrl-C presses on a statement that will not stop leave the shell
BATCH_GRACE = 0.8  # batch mode: how long Ctrl-C waits for the rollback before the process ends

T = TypeVar("T")

_SPINNERS = ("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏", "|/-\\")


class ProgressLine:
    """One status line on a terminal stream, redrawn in place with `\\r` and erased with
    spaces (no escape sequences, so it also works on a dumb terminal)."""

    def __init__(self, stream: TextIO, columns: int = 80) -> None:
        self.stream = stream
        self.columns = max(columns, 20)
        self.shown = 0  # display width of what is on the line now
        self.frame = 0
        encoding = getattr(stream, "encoding", None) or "ascii"
        self.spinner = next(s for s in _SPINNERS if _encodes(s, encoding))

    def draw(self, elapsed: float, fraction: float | None, note: str) -> None:
        """Show `⠹ 3.2s  [#####-----] 45%  Ctrl-C cancels`."""
        self.frame += 1
        glyph = self.spinner[self.frame % len(self.spinner)]
        parts = [f"{glyph} {elapsed:.1f}s"]
        if fraction is not None:
            filled = round(max(0.0, min(fraction, 1.0)) * 20)
            parts.append(f"[{'#' * filled}{'-' * (20 - filled)}] {fraction:.0%}")
        parts.append(note)
        text = "  ".join(parts)[: self.columns - 1]  # never wrap: \r only rewinds one line
        width = display_width(text)
        pad = " " * max(self.shown - width, 0)
        # Recorded before writing: a Ctrl-C landing in the write must still leave `clear` with
        # the width to erase.
        self.shown = max(self.shown, width)
        self.stream.write("\r" + text + pad)
        self.stream.flush()
        self.shown = width

    def clear(self) -> None:
        """Erase the line and put the cursor back at its start (two more columns than drawn:
        the terminal echoes a Ctrl-C pressed meanwhile as `^C` after the text)."""
        if self.shown:
            blank = min(self.shown + 2, self.columns - 1)
            self.stream.write("\r" + " " * blank + "\r")
            self.stream.flush()
            self.shown = 0


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def read_progress(session: ShellSession) -> float | None:
    """The running statement's progress in [0, 1] when the engine offers
    `Session.progress() -> float | None` (DuckDB's query_progress), else None."""
    probe = getattr(session, "progress", None)
    if not callable(probe):
        return None
    try:
        value = probe()
    except Exception:  # a progress probe must never break the statement it watches
        return None
    if isinstance(value, int | float) and 0.0 <= value <= 1.0:
        return float(value)
    return None


class _Watch(Generic[T]):
    """The worker thread running one statement (`work`), and what it produced."""

    def __init__(self, session: ShellSession, work: Callable[[], T]) -> None:
        self.session = session
        self.work = work
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None
        self.cancelling = False
        self.last_interrupt = 0.0
        # A daemon: if the user leaves with Ctrl-C x3 the process must not wait for it.
        self.thread = threading.Thread(target=self._work, name="cloneshell-statement", daemon=True)

    def _work(self) -> None:
        try:
            self.value = self.work()
        except BaseException as e:  # handed to the main thread, which raises it there
            self.error = e
        finally:
            self.done.set()

    def cancel(self) -> None:
        """Ask the engine to stop. Repeated while cancelling: an interrupt that arrives before
        the engine has started the statement's DuckDB work (still parsing) does nothing."""
        self.cancelling = True
        self.last_interrupt = time.monotonic()
        interrupt = getattr(self.session, "interrupt", None)
        if callable(interrupt):
            # If the interrupt itself fails there is nothing better to do: the statement runs on.
            with contextlib.suppress(Exception):
                interrupt()


@record(frozen=True, slots=True)
class Finished:
    """A statement that ran to its end: its results, and whether Ctrl-C was pressed while it
    ran (it finished before the interrupt took effect, so it did apply)."""

    results: list[Result]
    cancel_requested: bool = False


def run_cancellable(
    session: ShellSession,
    text: str,
    err: TextIO,
    *,
    show_progress: bool,
    columns: int = 80,
) -> Finished:
    """Run `text` on a worker thread and wait for it in the main thread, where Ctrl-C arrives
    (SIGINT reaches the main thread only, and a DuckDB call does not return to Python until it
    ends). Ctrl-C interrupts the statement and raises `Cancelled` once the engine has rolled
    back; the third Ctrl-C on a statement that does not stop leaves the shell (exit 130).
    Other errors are raised as the engine raised them."""
    watch = _Watch(session, lambda: session.execute(text))
    line = ProgressLine(err, columns) if show_progress else None
    started = time.monotonic()
    presses = 0
    watch.thread.start()
    try:
        while not watch.done.is_set():
            try:
                if watch.done.wait(TICK):
                    break
                now = time.monotonic()
                if watch.cancelling and now - watch.last_interrupt >= REINTERRUPT:
                    watch.cancel()
                if line is not None and now - started >= SHOW_AFTER:
                    line.draw(now - started, read_progress(session), _note(watch, presses))
            except KeyboardInterrupt:
                presses += 1
                if presses >= QUIT_PRESSES:
                    _leave(err, line)
                watch.cancel()
    finally:
        if line is not None:
            line.clear()
    if watch.error is not None:
        # The engine reports an interrupted statement as an error (kind "cancelled").
        if watch.cancelling and isinstance(watch.error, CloneshellError):
            raise Cancelled("cancelled")
        raise watch.error
    return Finished(watch.value or [], watch.cancelling)


def run_interruptible(session: ShellSession, work: Callable[[], T], err: TextIO) -> T:
    """Batch mode: run `work` (one statement, or a run of INSERTs) on a worker thread and wait
    for it in the main thread, where Ctrl-C arrives. Ctrl-C interrupts the statement, waits up
    to BATCH_GRACE for the engine to roll it back, writes `cancelled` and raises
    KeyboardInterrupt (the command exits 130); a statement that has not stopped by then is
    left to die with the process, which ends with 130 at once (its transaction never
    commits). Other errors are raised as `work` raised them."""
    watch = _Watch(session, work)
    watch.thread.start()
    try:
        watch.done.wait()
    except KeyboardInterrupt:
        _stop_within_grace(watch, err)
        err.write("cancelled\n")
        raise
    if watch.error is not None:
        raise watch.error
    return cast(T, watch.value)  # set whenever no error was


def _stop_within_grace(watch: _Watch[T], err: TextIO) -> None:
    """Interrupt until the worker ends; past BATCH_GRACE, or on another Ctrl-C, end the
    process with 130."""
    deadline = time.monotonic() + BATCH_GRACE
    try:
        watch.cancel()
        while not watch.done.wait(REINTERRUPT):
            if time.monotonic() >= deadline:
                _leave(err, None)
            watch.cancel()
    except KeyboardInterrupt:
        _leave(err, None)


def _note(watch: _Watch[list[Result]], presses: int) -> str:
    if not watch.cancelling:
        return "Ctrl-C cancels"
    if presses < QUIT_PRESSES - 1:
        return "cancelling…"
    return "cancelling… (Ctrl-C again leaves the shell)"


def _leave(err: TextIO, line: ProgressLine | None) -> None:
    """Exit at once, without waiting for the statement (the engine's transaction is lost, so
    nothing is half-applied) or for interpreter shutdown, which would wait for DuckDB."""
    if line is not None:
        line.clear()
    try:
        err.write("cancelled; leaving the shell\n")
        err.flush()
    finally:
        os._exit(130)
