"""Running a script: split it into statements and meta-commands, run each, render each result,
report each failure, and decide the exit status. The one statement-running path: batch mode
uses it directly, the REPL passes each input through it with its terminal hooks (`ctx.ui`), so
both print exactly the same things. No traceback ever reaches the terminal."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TextIO, cast

from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.records import record
from cloneshell.grammar.split import ScriptItem, is_complete, split_script
from cloneshell.shell.context import (
    Cancelled,
    Format,
    OnError,
    OutputState,
    RunContext,
    ShellSession,
)
from cloneshell.shell.dialect import dialect_of, render_result
from cloneshell.shell.didyoumean import suggestion
from cloneshell.shell.failures import format_error, log_internal_error
from cloneshell.shell.meta import run_meta
from cloneshell.shell.progress import run_interruptible
from cloneshell.shell.variables import substitute
from cloneshell.shell.width import display_width

if TYPE_CHECKING:  # keeps `cloneshell --help` from importing the engine
    from cloneshell.engine import ManyOutcome, Result

# Statements that end the run in odpscmd's interactive mode (`q;`, `quit;`) and in most SQL
# shells (`exit;`). They never reach the engine.
_QUIT_WORDS = frozenset({"q", "quit", "exit"})

# A `\G` at the end of a line: a candidate statement terminator (confirmed by the splitter).
_VERTICAL_END = re.compile(r"\\G(?=[ \t\r]*(?:\n|$))")


@record(frozen=True, slots=True)
class Piece:
    """One item of an input, and whether it ended in `\\G` (print this result vertically)."""

    item: ScriptItem
    vertical: bool = False
    comments: str = ""
    """The comment lines between the previous item and this one, as written (`--echo` shows
    them before the item, so a teaching transcript keeps its explanations)."""


def split_input(text: str) -> list[Piece]:
    """`split_script`, plus MySQL's `\\G` terminator: a statement that ends with `\\G` at the
    end of a line (outside quotes and comments) ends there and prints its rows vertically.

    The splitter knows only `;`, so each such `\\G` is replaced by `; ` (the same length, so
    every line and column the splitter reports stays right) before splitting.
    """
    if "\\G" not in text:
        items = split_script(text)
        marks: set[int] = set()
    else:
        work, marks = _mark_vertical_ends(text)
        items = split_script(work)
    pieces = []
    start = 0
    for item in items:
        end = item.offset + len(item.text)
        stop = end
        while stop < len(text) and text[stop].isspace():
            stop += 1
        vertical = item.kind == "sql" and stop in marks
        pieces.append(Piece(item, vertical, comments_between(text, start, item.offset)))
        start = end
    return pieces


def comments_between(text: str, start: int, end: int) -> str:
    """The comment lines of `text[start:end]` (the gap between two items, or after the last
    one), as written, each ending in a newline; "" when the gap has none. The `;` or `\\G`
    that ended the item before the gap is not part of it."""
    gap = text[start:end]
    if start:  # after an item: its terminator, on this line or a later one, goes
        after = gap.lstrip()
        if after.startswith((";", "\\G")):
            gap = after[1 if after.startswith(";") else 2 :].lstrip(" \t")
    lines = [line.rstrip() for line in gap.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "".join(line + "\n" for line in lines)


def _mark_vertical_ends(text: str) -> tuple[str, set[int]]:
    work = text
    marks: set[int] = set()
    for match in _VERTICAL_END.finditer(text):
        at = match.start()
        if ends_statement_vertically(work[: at + 2]):
            work = work[:at] + "; " + work[at + 2 :]
            marks.add(at)
    return work, marks


def ends_statement_vertically(text: str) -> bool:
    """True when `text` ends with a `\\G` that terminates an SQL statement: outside quotes and
    comments, not on a meta-command line, and with a statement before it."""
    body = text.rstrip()
    if not body.endswith("\\G"):
        return False
    head = body[:-2] + ";"
    if not is_complete(head):
        return False
    items = split_script(head)
    last = items[-1] if items else None
    # The `;` just added must be the one that closes the last item: a `\G` after a statement
    # that already had its `;` is a (meta-)command of its own, not a terminator.
    return (
        last is not None
        and last.kind == "sql"
        and head[last.offset + len(last.text) :].strip() == ";"
    )


def run_script(
    session: ShellSession,
    text: str,
    out: TextIO,
    err: TextIO,
    *,
    echo: bool = False,
    on_error: OnError = "stop",
    fmt: Format = "box",
    source_name: str = "<stdin>",
    color: bool = False,
    header: bool = True,
    summary: bool = True,
    quiet: bool = False,
    null_text: str = "",
    frozen_timing: bool = False,
    variables: dict[str, str] | None = None,
    substitution: bool = False,
) -> int:
    """Run every statement of `text`; return 0 when all succeeded, 1 when any failed (3 when
    every failure came after its statement committed: run_input).

    `on_error="stop"` ends the run at the first failure (odpscmd's -e/-f behaviour);
    `"continue"` runs the rest and still returns 1. `header`, `summary` and `quiet` are the
    `-o` options, `null_text` is `--null-text`, `frozen_timing` is `--frozen-timing`,
    `variables` and `substitution` SnowSQL's client variables (shell/context.py `OutputState`).
    """
    state = OutputState(
        fmt=fmt,
        echo=echo,
        color=color,
        header=header,
        summary=summary,
        quiet=quiet,
        null_text=null_text,
        frozen_timing=frozen_timing,
        variables=dict(variables or {}),
        substitution=substitution,
    )
    ctx = RunContext(session, state, out, err, run_text=run_text)
    try:
        return run_text(ctx, text, on_error=on_error, source_name=source_name)
    finally:
        ctx.close_spool()


def run_text(ctx: RunContext, text: str, *, on_error: OnError, source_name: str) -> int:
    """`run_script` over an existing context, so `\\format` and `\\echo` set in one REPL input
    still hold in the next. Calls `session.idle()` at the end. Returns 0, 1 or 3; `Cancelled`
    (Ctrl-C, or a declined confirmation) propagates to the REPL after the idle call."""
    return run_input(ctx, text, on_error=on_error, source_name=source_name).status


@record(frozen=True, slots=True)
class Outcome:
    """How an input ran: `status` 0, 1 or 3 (run_input); after a failure that stopped it,
    `rest` is the text of the items not run (from the first of them to the end) and `skipped`
    how many they are."""

    status: int
    rest: str = ""
    skipped: int = 0


def run_input(
    ctx: RunContext, text: str, *, on_error: OnError, source_name: str, typed: bool = False
) -> Outcome:
    """`run_text`, also saying what a stop at a failure left unrun. The status: 0, 1 when
    something failed, 3 when every failure came after its statement had committed (a full
    disk when its file was checkpointed: its changes are kept). `typed`: the REPL's input,
    on the screen already (OutputState.typed); a script it runs (`\\i`) is not."""
    outer, ctx.state.typed = ctx.state.typed, typed
    try:
        return _run_input(ctx, text, on_error=on_error, source_name=source_name)
    finally:
        ctx.state.typed = outer


def _run_input(ctx: RunContext, text: str, *, on_error: OnError, source_name: str) -> Outcome:
    failures = 0
    kept_before = ctx.state.kept_failures
    left: list[Piece] = []
    statement_no = 0  # counts SQL statements only, for "at statement N"
    lines: list[str] = []

    def script_lines() -> list[str]:  # split once, on the first error that needs it
        if not lines:
            lines.extend(text.split("\n"))
        return lines

    try:
        pieces = split_input(text)
        k = 0
        while k < len(pieces):
            many = _insert_run(ctx, pieces, k)
            if many:
                ran, ok = _run_many(ctx, many, script_lines, statement_no, source_name)
                statement_no += ran
                k += ran
                if not ok:
                    failures += 1
                    if on_error == "stop":
                        break
                continue
            piece = pieces[k]
            k += 1
            item = piece.item
            if item.kind == "sql" and not _is_quit(item.text):
                statement_no += 1
            ok = _run_item(ctx, piece, script_lines, statement_no, source_name)
            if not ok:
                failures += 1
                if on_error == "stop":
                    left = pieces[k:]
                    break
            if ctx.state.quit:
                break
        else:  # every item ran: the comments after the last one end the transcript
            end = pieces[-1].item.offset + len(pieces[-1].item.text) if pieces else 0
            if _echoing(ctx) and (trailing := comments_between(text, end, len(text))):
                ctx.write_out(trailing)
    finally:
        try:
            ctx.session.idle()
        except CloneshellError as e:
            ctx.write_err(format_error(e, "", 1, 1, statement_no, source_name, ctx.state.color))
            failures += 1
            ctx.state.kept_failures += e.committed
        except Exception as e:
            ctx.write_err(log_internal_error(e, f"{source_name}: session.idle()"))
            failures += 1
    kept = ctx.state.kept_failures - kept_before
    status = 0 if not failures else 3 if kept == failures else 1
    if not left:
        return Outcome(status)
    return Outcome(status, text[left[0].item.offset :], len(left))


def _echoing(ctx: RunContext) -> bool:
    return ctx.state.echo and not ctx.state.typed


def _run_item(
    ctx: RunContext,
    piece: Piece,
    script_lines: Callable[[], list[str]],
    statement_no: int,
    source_name: str,
) -> bool:
    """Run one item inside the error boundary; True when it succeeded."""
    item = piece.item
    try:
        if _echoing(ctx):
            ctx.write_out(
                piece.comments + echo_text(ctx.session.prompt(), item, vertical=piece.vertical)
            )
        if item.kind == "meta":
            return run_meta(ctx, _substituted(ctx, item.text, meta=True))
        if _is_quit(item.text):
            ctx.state.quit = True
            return True
        _run_statement(ctx, piece)
        return True
    except (BrokenPipeError, Cancelled):
        raise  # the reader went away (`| head`), or the user said stop: main()/the REPL handle it
    except Exception as e:
        _report_failure(ctx, piece, e, script_lines, statement_no, source_name)
        return False


def _report_failure(
    ctx: RunContext,
    piece: Piece,
    e: Exception,
    script_lines: Callable[[], list[str]],
    statement_no: int,
    source_name: str,
) -> None:
    """An item's error with its location; anything but a `CloneshellError` is an internal
    failure: one line here, the traceback in the log."""
    item = piece.item
    if isinstance(e, CloneshellError):
        ctx.state.kept_failures += e.committed
        ctx.write_err(
            format_error(
                e,
                item.text,
                item.line,
                item.column,
                # a meta-command is not a numbered statement: its location is just its line
                statement_no if item.kind == "sql" else 0,
                source_name,
                ctx.state.color,
                script_lines=script_lines(),
                suggestion=suggestion(e, item.text, ctx.session) if item.kind == "sql" else None,
                # a one-line input typed at the prompt: the caret line is enough
                located=not (ctx.state.typed and len(script_lines()) == 1 and statement_no <= 1),
            )
        )
    else:
        where = f"{source_name}, line {item.line}: {item.text}"
        ctx.write_err(log_internal_error(e, where))


def _statement_text(item: ScriptItem) -> str:
    # The statement's own `;` goes along, so an error at its end reads "invalid token ';'" as
    # MaxCompute's does, not "<EOF>".
    return item.text + ";" if item.terminated else item.text


def _substituted(ctx: RunContext, text: str, *, meta: bool = False) -> str:
    """`text` with SnowSQL's `&NAME` references replaced, while variable_substitution is on
    (not in the `!define` / `!set` lines that change the variables themselves)."""
    if not ctx.state.substitution:
        return text
    if meta and text[1:].split(maxsplit=1)[:1] in (["define"], ["set"], ["variables"]):
        return text
    return substitute(text, ctx.state.variables)


def _run_statement(ctx: RunContext, piece: Piece) -> None:
    item = piece.item
    text = _substituted(ctx, _statement_text(item))
    ctx.state.last_statement = _statement_text(item)
    ui = ctx.ui
    asks = (
        ui is not None
        and ctx.state.confirm
        and dialect_of(ctx.session).destructive(text, ctx.session)
    )
    if asks and ui is not None and not ui.confirm(item.text):
        raise Cancelled("Cancelled.")
    started = time.perf_counter()
    if ui is not None:
        results = ui.execute(ctx.session, text)
    else:  # on a worker thread, so that Ctrl-C stops it at once
        results = run_interruptible(ctx.session, lambda: ctx.session.execute(text), ctx.err)
    elapsed = time.perf_counter() - started
    _show_results(ctx, piece, results, elapsed)
    if ui is not None:
        ui.statement_done(item.text)


def _show_results(ctx: RunContext, piece: Piece, results: list[Result], elapsed: float) -> None:
    fmt: Format | None = "vertical" if piece.vertical else None
    # `--frozen-timing` runs are for transcripts and demos that must repeat exactly.
    shown = 0.0 if ctx.state.frozen_timing else elapsed
    for result in results:
        render_result(result, ctx, fmt, shown)
    if ctx.state.timing:
        ctx.write_err(f"Time: {shown:.3f}s\n")


# A script's runs of INSERTs go to the engine together (`Session.execute_many`), which runs
# consecutive single-row INSERTs into one table in one transaction. This only picks the
# candidates (a first word is enough: the engine decides what batches and runs anything else
# on its own); a run is capped so its OK lines, printed once it committed, are not held long.
_INSERT = re.compile(r"\s*insert\b", re.IGNORECASE)
_MAX_RUN = 1000


class _ManySession(Protocol):
    def execute_many(self, texts: list[str]) -> ManyOutcome: ...


def _insert_run(ctx: RunContext, pieces: list[Piece], start: int) -> list[Piece]:
    """The INSERT statements from `start` on that go to the engine together: in batch mode
    only (a terminal runs each statement so Ctrl-C, confirmation and progress work), and not
    under `\\timing` (which reports each statement's own time) or variable substitution."""
    if ctx.ui is not None or ctx.state.timing or not hasattr(ctx.session, "execute_many"):
        return []
    if ctx.state.substitution:  # each statement is substituted (and may fail) on its own
        return []
    end = start
    while end < len(pieces) and end - start < _MAX_RUN:
        piece = pieces[end]
        if piece.item.kind != "sql" or piece.vertical or not _INSERT.match(piece.item.text):
            break
        end += 1
    return pieces[start:end] if end - start > 1 else []


def _run_many(
    ctx: RunContext,
    pieces: list[Piece],
    script_lines: Callable[[], list[str]],
    statement_no: int,
    source_name: str,
) -> tuple[int, bool]:
    """Run statements through `execute_many` and show what each did exactly as `_run_item`
    would. Returns how many statements ran (the failing one included) and whether all
    succeeded; a failure ends the run, the caller goes on after it or stops."""
    session = cast(_ManySession, ctx.session)
    texts = [_statement_text(p.item) for p in pieces]
    outcome = run_interruptible(ctx.session, lambda: session.execute_many(texts), ctx.err)
    for piece, results, elapsed in zip(pieces, outcome.results, outcome.elapsed, strict=False):
        if _echoing(ctx):
            ctx.write_out(piece.comments + echo_text(ctx.session.prompt(), piece.item))
        _show_results(ctx, piece, results, elapsed)
    done = len(outcome.results)
    error = outcome.error
    if error is None:
        return done, True
    if not isinstance(error, Exception) or isinstance(error, (BrokenPipeError, Cancelled)):
        raise error  # an interrupt: main() handles it, as when a lone statement is interrupted
    piece = pieces[done]
    if _echoing(ctx):
        ctx.write_out(piece.comments + echo_text(ctx.session.prompt(), piece.item))
    _report_failure(ctx, piece, error, script_lines, statement_no + done + 1, source_name)
    return done + 1, False


def echo_text(prompt: str, item: ScriptItem, *, vertical: bool = False) -> str:
    """`odps@ proj> SELECT …;` as if typed at the prompt; continuation lines are indented to
    start under the first line's text. A statement that had no `;` in the script gets none;
    one that ended with `\\G` shows it."""
    indent = " " * (display_width(prompt) + 1)
    end = ""
    if item.kind == "sql" and item.terminated:
        end = "\\G" if vertical else ";"
    # A `;` after a line comment would read as part of it: it goes on a line of its own.
    body = item.text + ("\n" if end and "--" in item.text.rsplit("\n", 1)[-1] else "") + end
    return prompt + " " + body.replace("\n", "\n" + indent) + "\n"


def _is_quit(text: str) -> bool:
    return text.strip().lower() in _QUIT_WORDS
