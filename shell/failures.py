"""How failures look on the terminal: a `CloneshellError` in the words of the dialect that
rendered it (`err.dialect`: odpscmd's `FAILED: …`, SnowSQL's bare `002003 (02000): …`) with its
location, the source line and a caret; anything unexpected as one line, with the traceback in a
log file. Shared by the batch runner and the REPL, so both show errors the same way."""

from __future__ import annotations

import os
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.dialect import shell_dialect
from cloneshell.shell.width import display_width

_RED = "\x1b[1;31m"
_CYAN = "\x1b[36m"
_RESET = "\x1b[0m"


def format_error(
    err: CloneshellError,
    statement_text: str,
    item_line: int,
    item_column: int,
    statement_no: int,
    source_name: str,
    color: bool = False,
    *,
    script_lines: Sequence[str] | None = None,
    suggestion: str | None = None,
    located: bool = True,
) -> str:
    """The text to print for `err`, raised by statement number `statement_no` of a script.

    `item_line`/`item_column` locate the statement's first character in the script, so the
    reported line is the script's (`item_line + span.line - 1`). With `script_lines` (the
    script split on newlines) the whole script line is shown, even when it also holds an
    earlier statement; without it, the statement's own line. `suggestion` (shell/didyoumean.py)
    is a last hint line; `located=False` leaves out the `at statement N, line L of S` line.
    Ends with a newline.
    """
    paint = _Paint(color)
    # The dialect that rendered the error decides its label, whatever the session speaks now.
    # The shell's own errors (a meta-command's usage, a file that cannot be read) are not the
    # warehouse's: no `FAILED:`, as psql prints `\\x: extra argument` without `ERROR:`.
    # (An error with a code but no dialect is the warehouse's too: odpscmd's label.)
    label = shell_dialect(err.dialect).error_label if err.dialect else "FAILED:" * bool(err.code)
    out = [paint(_RED, label) + " " + err.text if label else paint(_RED, err.text)]
    span = err.span
    if span is not None:
        stmt_lines = statement_text.split("\n")
        index = min(max(span.line, 1), len(stmt_lines)) - 1
        # A span past the last line (end of input) puts the caret after the text.
        past_end = span.line > len(stmt_lines)
        column = len(stmt_lines[index]) + 1 if past_end else max(span.column, 1)
        line_no = item_line + index
        shown = stmt_lines[index]
        if script_lines is not None and 0 < line_no <= len(script_lines):
            shown = script_lines[line_no - 1]
            if index == 0:  # the statement starts at item_column of its first line
                column += item_column - 1
        if located:
            out.append(_location(statement_no, line_no, source_name))
        out.append("    " + shown.rstrip("\r"))
        out.append("    " + _caret_prefix(shown, column - 1) + paint(_RED, "^"))
    elif located:
        # No position (a denial, a missing project): still say which statement failed.
        out.append(_location(statement_no, item_line, source_name))
    if err.hint:
        out.append(paint(_CYAN, "  hint:") + " " + err.hint)
    if suggestion:
        out.append(paint(_CYAN, "  hint:") + " " + suggestion)
    return "\n".join(out) + "\n"


def _location(statement_no: int, line_no: int, source_name: str) -> str:
    """`  at statement 3, line 12 of x.sql`; meta-commands (number 0) have only a line."""
    where = f"statement {statement_no}, line {line_no}" if statement_no > 0 else f"line {line_no}"
    return f"  at {where} of {source_name}"


def _caret_prefix(line: str, chars_before: int) -> str:
    """Blank space as wide as `line[:chars_before]` on a terminal: tabs kept as tabs, wide
    characters as two spaces, so the caret lands under the right character."""
    before = line[:chars_before]
    if len(before) < chars_before:  # past the end of the line
        before += " " * (chars_before - len(before))
    return "".join("\t" if ch == "\t" else " " * display_width(ch) for ch in before)


class _Paint:
    """Wraps text in an ANSI style when colour is on (raw escapes: no pygments in batch)."""

    __slots__ = ("enabled",)

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if self.enabled else text


def format_warning(message: str, color: bool = False) -> str:
    """A warning without a statement location (a settings file the shell could not use):
    `cloneshell: warning: message`, as the command line's own messages read."""
    return _Paint(color)(_RED, "cloneshell: warning:") + " " + message + "\n"


# ---------------------------------------------------------------------------------------------
# Internal errors


def state_dir() -> Path:
    """`$XDG_STATE_HOME/cloneshell`, else `~/.local/state/cloneshell` (XDG base directory spec:
    a relative XDG path is ignored)."""
    base = os.environ.get("XDG_STATE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "state"
    return root / "cloneshell"


def log_path() -> Path:
    """Where internal-error tracebacks go."""
    return state_dir() / "cloneshell.log"


def log_internal_error(exc: BaseException, context: str) -> str:
    """Append `exc`'s traceback and `context` (what was running) to the log; return the one line
    to show the user: `FAILED: internal error: <Type>: <msg> (details in <log>)`."""
    first = str(exc).strip().splitlines()
    summary = f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().isoformat(timespec='seconds')} {context}\n")
            log.write("".join(traceback.format_exception(exc)))
        where = f"details in {path}"
    except OSError as log_err:  # a read-only home must not turn one failure into two
        where = f"no log written: {log_err.strerror or log_err}"
    return f"FAILED: internal error: {summary} ({where})\n"
