"""The prompt_toolkit side of completion: a holder that keeps the catalog snapshot fresh in a
background thread, and a thin `Completer` over the pure `suggest()`.

API (what the REPL wires in):

    holder = SnapshotHolder(session)          # starts empty, refreshes in the background at once
    completer = make_completer(holder)        # a ThreadedCompleter; pass it to PromptSession
    ...
    # after each statement or meta-command ran (whether or not it succeeded):
    holder.note_statement(text)               # recency: names in it rank higher from now on
    if needs_refresh(text):
        holder.refresh_async()                # never blocks; requests coalesce
    # `\\refresh`-style commands may call holder.refresh_async() directly

    SnapshotHolder(session, on_refresh=None, autostart=True)
        .current() -> CatalogSnapshot        the latest snapshot (EMPTY_SNAPSHOT at first)
        .refresh_async() -> None             rebuild in a daemon thread; errors are logged
        .refreshing -> bool                  a rebuild is running or queued (for a toolbar)
        .wait_idle(timeout) -> bool          block until no rebuild is pending (tests, exit)
        .note_used(name) / .note_statement(text) / .recency -> Mapping[str, int]
    needs_refresh(statement_text) -> bool    (also SnapshotHolder.needs_refresh)
    CloneshellCompleter(holder, meta_commands=None)   the Completer (meta_commands defaults to
                                                     the names in shell.meta's registry)
    make_completer(holder, meta_commands=None) -> ThreadedCompleter

`on_refresh` is called from the refresh thread after each new snapshot is in place (the REPL
passes `app.invalidate` so a toolbar can drop its "refreshing" note).

`session.snapshot()` takes the engine session's lock, so a statement submitted while a rebuild
runs waits for it (~100 ms on a big warehouse); typing never does.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Protocol

from prompt_toolkit.completion import (
    CompleteEvent,
    Completer,
    Completion,
    PathCompleter,
    ThreadedCompleter,
)
from prompt_toolkit.document import Document

from cloneshell.engine import EMPTY_SNAPSHOT, CatalogSnapshot
from cloneshell.grammar.split import split_script
from cloneshell.shell.meta import COMMANDS, SETTINGS, setting_choices
from cloneshell.shell.suggest import prepare, suggest

_log = logging.getLogger(__name__)

# Statements that cannot change what completion offers (the first word, upper case).
_READ_ONLY = frozenset({"SELECT", "WITH", "DESC", "DESCRIBE", "SHOW", "WHOAMI", "SET", "LIST"})
# Meta-commands that change who is logged in, hence what they can see.
_REFRESHING_META = frozenset({"login"})
_FIRST_WORD = re.compile(r"[A-Za-z_]+")
_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*")

MAX_RECENT = 5_000
"""Names remembered for ranking; the least recently used are forgotten beyond this."""


class SnapshotSource(Protocol):
    """What the holder needs of `cloneshell.engine.Session`."""

    def snapshot(self) -> CatalogSnapshot:
        """What the current principal can see (thread-safe; may take a while)."""
        ...


def needs_refresh(statement_text: str) -> bool:
    """True when running `statement_text` (one statement or several, or a meta-command line) may
    change what completion should offer: anything but SELECT/WITH, DESC, SHOW, WHOAMI, SET and
    LIST; `\\login` too."""
    for item in split_script(statement_text):
        if item.kind == "meta":
            command = item.text[1:].split(maxsplit=1)
            if command and command[0].lower() in _REFRESHING_META:
                return True
            continue
        m = _FIRST_WORD.search(item.text.lstrip("( \t\n"))
        if m is None or m.group().upper() not in _READ_ONLY:
            return True
    return False


class SnapshotHolder:
    """The current `CatalogSnapshot`, rebuilt off the UI thread; and the recency counters."""

    needs_refresh = staticmethod(needs_refresh)

    def __init__(
        self,
        session: SnapshotSource,
        on_refresh: Callable[[], None] | None = None,
        autostart: bool = True,
    ) -> None:
        self._session = session
        self._on_refresh = on_refresh
        self._snapshot: CatalogSnapshot = EMPTY_SNAPSHOT
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = False  # a rebuild was asked for and has not started yet
        self._worker: threading.Thread | None = None
        self._recent: dict[str, int] = {}
        # Completion threads read a frozen copy, replaced after each change: a dict changing
        # while suggest() iterates it would fail that keystroke's completion.
        self._published: Mapping[str, int] = MappingProxyType({})
        self._clock = itertools.count(1)
        if autostart:
            self.refresh_async()

    def current(self) -> CatalogSnapshot:
        """The latest snapshot (EMPTY_SNAPSHOT until the first rebuild finishes)."""
        return self._snapshot

    @property
    def refreshing(self) -> bool:
        """A rebuild is running or waiting to run."""
        with self._lock:
            return self._pending or self._worker is not None

    def refresh_async(self) -> None:
        """Ask for a rebuild and return at once. Requests made while one runs coalesce into one
        more rebuild after it, so the last snapshot reflects the last request."""
        with self._lock:
            self._pending = True
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._run, name="cloneshell-completion-refresh", daemon=True
                )
                self._worker.start()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no rebuild is running or pending; False if `timeout` ran out first."""
        with self._idle:
            return self._idle.wait_for(
                lambda: not self._pending and self._worker is None, timeout=timeout
            )

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._worker = None
                    self._idle.notify_all()
                    return
                self._pending = False
            try:
                snapshot = self._session.snapshot()
                prepare(snapshot)
            except Exception:  # a failed rebuild keeps the old snapshot; typing goes on
                _log.exception("completion refresh failed")
                continue
            self._snapshot = snapshot
            if self._on_refresh is not None:
                try:
                    self._on_refresh()
                except Exception:
                    _log.exception("completion refresh callback failed")

    # -- recency ---------------------------------------------------------------------------

    @property
    def recency(self) -> Mapping[str, int]:
        """Lower-case name -> use counter (bigger is more recent), as `suggest()` takes it."""
        return self._published

    def note_used(self, name: str) -> None:
        """Remember that `name` (a table, `project.table`, column, keyword ...) was just used."""
        self._note(name)
        self._publish()

    def note_statement(self, text: str) -> None:
        """Note every name in a statement that ran: `p.t` counts as `p.t` and as `t`."""
        for name in _names(text):
            self._note(name)
        self._publish()

    def _publish(self) -> None:
        self._published = MappingProxyType(dict(self._recent))

    def _note(self, name: str) -> None:
        key = name.lower()
        recent = self._recent
        recent.pop(key, None)  # re-insert, so dict order stays least recent first
        recent[key] = next(self._clock)
        if len(recent) > MAX_RECENT:
            for old in list(itertools.islice(recent, len(recent) - MAX_RECENT)):
                recent.pop(old, None)


def _names(text: str) -> Iterable[str]:
    for m in _NAMES.finditer(text):
        dotted = m.group()
        yield dotted
        if "." in dotted:
            yield from dotted.split(".")


# A synopsis of alternatives, `[box|csv|json]` or `on|off`: the words a command's argument takes.
_CHOICES = re.compile(r"\[?([\w-]+(?:\|[\w-]+)+)\]?")


def argument_choices(command: str, args: list[str]) -> Sequence[str] | None:
    """The words that may follow `\\command ARGS…` at the cursor, from the command's synopsis
    (`\\format [box|csv|…]`, `\\dialect`, `\\echo on|off`) and, for `\\set`, its keys then the
    key's values; None when the command takes a file (FILE in its synopsis) or is unknown."""
    found = COMMANDS.get(command.lower())
    if found is None or "FILE" in found.args:
        return None
    if found.name == "set":
        if not args:
            return SETTINGS
        return setting_choices(args[0]) if len(args) == 1 else ()
    match = _CHOICES.fullmatch(found.args)
    return match[1].split("|") if match and not args else ()


class CloneshellCompleter(Completer):
    """prompt_toolkit's view of `suggest()` over the holder's current snapshot; the arguments of
    meta-commands (choices, file paths) are completed here."""

    def __init__(self, holder: SnapshotHolder, meta_commands: Sequence[str] | None = None) -> None:
        self._holder = holder
        self._meta_commands: Sequence[str] | Mapping[str, str]
        if meta_commands is None:  # each with its help line, for the menu
            self._meta_commands = {key: COMMANDS[key].help for key in sorted(COMMANDS)}
        else:
            self._meta_commands = tuple(meta_commands)
        self._paths = PathCompleter(expanduser=True)

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        """One Completion per suggestion, best first."""
        before = document.text_before_cursor
        line = before[before.rfind("\n") + 1 :].lstrip()
        if line.startswith("\\") and " " in line:
            command, _, rest = line[1:].partition(" ")
            if command.lower() in COMMANDS and command.lower() != "login":
                yield from self._arguments(command, rest, complete_event)
                return
        suggestions = suggest(
            document.text_before_cursor,
            self._holder.current(),
            self._holder.recency,
            self._meta_commands,
            full_text=document.text,
        )
        for s in suggestions:
            yield Completion(
                s.text,
                start_position=s.start_position,
                display=s.display,
                display_meta=s.display_meta,
            )

    def _arguments(
        self, command: str, rest: str, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        words = rest.split()
        typed = "" if rest.endswith(" ") or not words else words.pop()
        choices = argument_choices(command, words)
        if choices is None:  # a file: the path typed so far
            if not words:
                yield from self._paths.get_completions(Document(typed), complete_event)
            return
        for choice in choices:
            if choice.startswith(typed.lower()):
                yield Completion(choice, start_position=-len(typed))


def make_completer(
    holder: SnapshotHolder, meta_commands: Sequence[str] | None = None
) -> ThreadedCompleter:
    """The completer to give PromptSession: completions computed off the UI thread."""
    return ThreadedCompleter(CloneshellCompleter(holder, meta_commands))
