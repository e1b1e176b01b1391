"""The error root shared by every layer, and the source span errors point at."""

from __future__ import annotations

from cloneshell.grammar.records import record


@record(frozen=True, slots=True)
class Span:
    """A region of statement text: 0-based offsets, 1-based line and column (inclusive start)."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    @staticmethod
    def point(offset: int, line: int, column: int) -> Span:
        """A zero-width span at one position (used for 'unexpected end of input')."""
        return Span(offset, offset, line, column, line, column)


class CloneshellError(Exception):
    """Root of every error a user can see. Carries a code, a span and an optional hint.

    `text` is the server-style message in the active dialect's format (set by the engine's
    dialect, e.g. ``ODPS-0130131:[1,15] Table not found - ...``); the shell only adds chrome
    such as ``FAILED: `` and a caret line. `dialect` names the dialect whose format `code` and
    `text` are in (empty until the engine renders the error); `sqlstate` is Snowflake's
    five-character SQL state (empty in MaxCompute). `committed` is True for a failure that
    came after its statement had committed (a disk full when its file was checkpointed): the
    statement's changes are kept, and the shell's exit status says so.
    """

    committed: bool = False

    def __init__(
        self,
        message: str,
        span: Span | None = None,
        code: str = "",
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.code = code
        self.hint = hint
        self.text = f"{code}:{message}" if code else message
        self.dialect = ""
        self.sqlstate = ""


class SqlSyntaxError(CloneshellError):
    """A statement that does not parse. `expected` lists the token names that would have fit."""

    def __init__(
        self,
        message: str,
        span: Span | None = None,
        token: str | None = None,
        expected: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, span)
        self.token = token  # the offending token text, None at end of input
        self.expected = expected
