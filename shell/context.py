"""What one run of statements shares: the session it talks to, the output settings meta-commands
may change, the two writers, and (interactively only) the terminal's hooks. Plain data; the batch
runner, the REPL and meta-commands all take a `RunContext` instead of reaching for globals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING, Literal, Protocol, TextIO

from cloneshell.grammar.records import record

if TYPE_CHECKING:  # keeps `cloneshell --help` from importing the engine
    from cloneshell.engine import Result

Format = Literal["box", "csv", "tsv", "json", "vertical", "jsonl", "markdown", "github"]
FORMATS: tuple[Format, ...] = (
    "box", "csv", "tsv", "json", "vertical", "jsonl", "markdown", "github"
)  # fmt: skip
OnError = Literal["stop", "continue"]
EditingMode = Literal["emacs", "vi"]
EDITING_MODES: tuple[EditingMode, ...] = ("emacs", "vi")


class ShellSession(Protocol):
    """The part of `cloneshell.engine.Session` the shell uses (a protocol, so tests can pass a
    small fake and the shell never depends on how the engine builds its session). The REPL also
    uses `interrupt()` and `snapshot()` when the session has them."""

    @property
    def dialect_name(self) -> str:
        """The dialect statements are read in now: `maxcompute` or `snowflake`."""
        ...

    @property
    def principal(self) -> str:
        """The principal statements run as."""
        ...

    @property
    def project(self) -> str | None:
        """The current project, if any."""
        ...

    def execute(self, text: str) -> list[Result]:
        """Run one statement (no trailing `;`); raises CloneshellError."""
        ...

    def login(self, principal: str) -> None:
        """Act as `principal` from now on."""
        ...

    def prompt(self) -> str:
        """The prompt for the current state, e.g. `odps@ my_project>`."""
        ...

    def idle(self) -> None:
        """Release project files while the shell waits."""
        ...

    def close(self) -> None:
        """Release everything."""
        ...


class Interaction(Protocol):
    """What only a person at a terminal gets: the REPL implements it, batch mode has none (so
    scripts never prompt, page, or draw a progress line)."""

    def execute(self, session: ShellSession, text: str) -> list[Result]:
        """Run one statement so that Ctrl-C cancels it (raising `Cancelled`) and a slow one
        shows its elapsed time."""
        ...

    def confirm(self, statement: str) -> bool:
        """Ask before running a destructive statement; False cancels it."""
        ...

    def show(self, text: str) -> None:
        """Show result text on the terminal, through the pager when it is taller or wider than the
        screen."""
        ...

    def statement_done(self, statement: str) -> None:
        """A statement succeeded (the REPL refreshes completions after DDL, USE, …)."""
        ...

    def refresh(self) -> None:
        """Reload completion metadata now (`\\refresh`, `\\login`)."""
        ...


class Cancelled(Exception):
    """The user cancelled the running statement (Ctrl-C); the engine rolled it back."""


@record(slots=True)
class OutputState:
    """Settings a script or the user may change while running (`\\format`, `\\set`, `\\q`).
    `pager`, `confirm` and `editing_mode` only matter at a terminal; scripts ignore them."""

    fmt: Format = "box"
    echo: bool = False
    color: bool = False
    quit: bool = False  # set by \\q, `quit;`: stop after the current item, successfully
    timing: bool = False  # print `Time: 0.012s` on err after each statement
    pager: bool = True
    confirm: bool = True
    editing_mode: EditingMode = "emacs"
    include_depth: int = 0  # nesting of `\\i` scripts, to stop a script that includes itself
    # SnowSQL's -o options: header rows in results (`header`), the `N Row(s) produced. Time
    # Elapsed` line after a Snowflake result (`timing`), status messages at all (`quiet`).
    header: bool = True
    summary: bool = True
    quiet: bool = False
    null_text: str = ""  # how csv and tsv write NULL (`--null-text`)
    frozen_timing: bool = False  # elapsed times show as 0.000s (`--frozen-timing`)
    row_count: bool = False  # a `(N rows)` line after a MaxCompute box (`\\set row_count`)
    # SnowSQL's client variables (shell/variables.py): `-D`, `!define`; replaced in statements
    # only while `variable_substitution` is on.
    variables: dict[str, str] = field(default_factory=dict)
    substitution: bool = False
    fmt_before_expanded: Format = "box"  # what `\\x off` goes back to
    expanded_auto: bool = False  # `\\x auto`: a box wider than the terminal prints vertically
    # The input being run was typed at the prompt, so it is on the screen already: `\\echo`
    # does not print it again, and an error in a one-line input needs no "at line 1 of".
    typed: bool = False
    last_statement: str = ""  # the last SQL statement run, with its `;` (`\\e`, `\\watch`)
    last_meta: str = ""  # the meta-command line being run, as typed, without its backslash
    # Failures reported after their statement had committed (a full disk at its checkpoint):
    # a run whose every failure is one of these exits 3, not 1 (batch.run_input).
    kept_failures: int = 0


@record(slots=True)
class RunContext:
    """The session, the output state and the two streams (results on `out`, status and errors
    on `err`, as odpscmd does); `spool` receives a copy of `out` while `\\o FILE` is on; `ui`
    is the terminal, None in batch mode."""

    session: ShellSession
    state: OutputState
    out: TextIO
    err: TextIO
    ui: Interaction | None = None
    spool: TextIO | None = None
    spool_path: str | None = None
    # How `\\i FILE` runs a script's text (shell/batch.py run_text, which builds on the
    # meta-commands: handed in, so meta.py needs no import of batch.py).
    run_text: Callable[..., int] | None = None

    def write_out(self, text: str) -> None:
        """Write to the result stream and flush, so stdout and stderr interleave in order when
        both go to one file (`2>&1`)."""
        self.out.write(text)
        self.out.flush()
        self._spool(text)

    def write_result(self, text: str) -> None:
        """Write a result (a table, DESC box, server text): like `write_out`, but at a terminal
        a result taller or wider than the screen goes through the pager."""
        if self.ui is None:
            self.write_out(text)
            return
        self.ui.show(text)
        self._spool(text)

    def write_err(self, text: str) -> None:
        """Write to the status/error stream and flush (see `write_out`)."""
        self.err.write(text)
        self.err.flush()

    def _spool(self, text: str) -> None:
        if self.spool is not None:
            self.spool.write(text)
            self.spool.flush()

    def close_spool(self) -> None:
        """Stop `\\o` spooling (at `\\o` with no file, and when the run ends)."""
        if self.spool is not None:
            try:
                self.spool.close()
            finally:
                self.spool = None
                self.spool_path = None
