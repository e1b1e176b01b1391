"""Paging results that do not fit the terminal: the pager command (the settings file's
`pager_command`, else `$PAGER`, else `less -SRXF`), the "does it fit" rule, and piping text
through it. Interactive only; a pager that cannot start is reported and the text printed."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
from typing import TextIO

from cloneshell.shell.width import display_width

# -S chops long lines (scroll sideways instead of wrapping a wide table), -R passes colours,
# -X leaves the result on the screen after quitting, -F quits at once if it fits.
DEFAULT_PAGER = "less -SRXF"


def pager_command(configured: str | None = None) -> list[str]:
    """The pager's argv; an empty list when the user set the pager to the empty string (which
    means "no pager", as in git)."""
    text = configured if configured is not None else os.environ.get("PAGER")
    if text is None:
        text = DEFAULT_PAGER
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: take the words as they are
        return text.split()


def too_big(text: str, rows: int, columns: int) -> bool:
    """Whether `text` would scroll off a terminal of `rows` lines (one line is kept for the
    prompt that follows) or has a line wider than its `columns`: a wrapped table is unreadable
    (the dbcli tools' users' complaint, reference/sql_shells.md), while `less -S` shows it
    chopped and scrolls sideways — and does not quit at once under -F when a line is too long."""
    if text.count("\n") > max(rows - 1, 1):
        return True
    # a character is at most two columns wide: only lines that could be too wide are measured
    lines = text.split("\n")
    return any(2 * len(line) > columns and display_width(line) > columns for line in lines)


class PagerError(Exception):
    """The pager could not be started."""


def page(text: str, command: list[str]) -> None:
    """Show `text` in the pager and wait until the user leaves it. Raises PagerError when the
    pager cannot be started (missing binary), before anything is shown."""
    if not command:
        raise PagerError("no pager command")
    env = dict(os.environ)
    if os.path.basename(command[0]) == "less" and "LESS" not in env:
        env["LESS"] = "-SRXF"  # what pgcli does when LESS is unset: the flags above
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=env, encoding="utf-8")
    except OSError as e:
        raise PagerError(f"cannot run pager '{command[0]}': {e.strerror or e}") from None
    stdin = proc.stdin
    assert stdin is not None  # stdin=PIPE
    try:
        stdin.write(text)
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the user left the pager (q) before reading everything
    finally:
        with contextlib.suppress(BrokenPipeError):
            stdin.close()
    while True:
        # Ctrl-C belongs to the pager while it runs (less uses it to stop a search); it goes to
        # the whole foreground process group, so the shell just keeps waiting.
        try:
            proc.wait()
            return
        except KeyboardInterrupt:
            continue


def show(
    text: str, out: TextIO, err: TextIO, *, command: list[str], rows: int, columns: int
) -> bool:
    """Write `text` to `out`, through the pager when it does not fit `rows` x `columns`.
    Returns False when the pager could not start (the text is then printed, after a one-line
    note on `err`, and the caller may stop trying)."""
    if not too_big(text, rows, columns) or not command:
        out.write(text)
        out.flush()
        return True
    out.flush()
    try:
        page(text, command)
        return True
    except PagerError as e:
        err.write(f"{e}; printing instead (\\pager off stops paging)\n")
        err.flush()
        out.write(text)
        out.flush()
        return False
