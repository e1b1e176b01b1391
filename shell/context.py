"""What one run of statements shares: the session it talks to, the output settings meta-commands
may change, and the two writers. Plain data; the batch runner, the REPL and meta-commands all
take a `RunContext` instead of reaching for globals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, TextIO

if TYPE_CHECKING:  # keeps `cloneshell --help` from importing the engine
    from cloneshell.engine.result import Result

Format = Literal["box", "csv", "tsv", "json"]
FORMATS: tuple[Format, ...] = ("box", "csv", "tsv", "json")
OnError = Literal["stop", "continue"]


class ShellSession(Protocol):
    """The part of `cloneshell.engine.Session` the shell uses (a protocol, so tests can pass a
    small fake and the shell never depends on how the engine builds its session)."""

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


@dataclass(slots=True)
class OutputState:
    """Settings a script or the user may change while running (`\\format`, `\\echo`, `\\q`)."""

    fmt: Format = "box"
    echo: bool = False
    color: bool = False
    quit: bool = False  # set by \\q, `quit;`: stop after the current item, successfully


@dataclass(slots=True)
class RunContext:
    """The session, the output state and the two streams (results on `out`, status and errors
    on `err`, as odpscmd does)."""

    session: ShellSession
    state: OutputState
    out: TextIO
    err: TextIO

    def write_out(self, text: str) -> None:
        """Write to the result stream and flush, so stdout and stderr interleave in order when
        both go to one file (`2>&1`)."""
        self.out.write(text)
        self.out.flush()

    def write_err(self, text: str) -> None:
        """Write to the status/error stream and flush (see `write_out`)."""
        self.err.write(text)
        self.err.flush()
