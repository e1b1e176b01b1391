"""Running a script: split it into statements and meta-commands, run each, render each result,
report each failure, and decide the exit status. The one error boundary for batch mode (and for
each input the REPL submits): no traceback ever reaches the terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.split import ScriptItem, split_script
from cloneshell.shell.context import Format, OnError, OutputState, RunContext, ShellSession
from cloneshell.shell.failures import format_error, log_internal_error
from cloneshell.shell.meta import run_meta
from cloneshell.shell.render import render_result
from cloneshell.shell.width import display_width

# Statements that end the run in odpscmd's interactive mode (`q;`, `quit;`) and in most SQL
# shells (`exit;`). They never reach the engine.
_QUIT_WORDS = frozenset({"q", "quit", "exit"})


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
) -> int:
    """Run every statement of `text`; return 0 when all succeeded, 1 when any failed.

    `on_error="stop"` ends the run at the first failure (odpscmd's -e/-f behaviour);
    `"continue"` runs the rest and still returns 1.
    """
    ctx = RunContext(session, OutputState(fmt=fmt, echo=echo, color=color), out, err)
    return run_text(ctx, text, on_error=on_error, source_name=source_name)


def run_text(ctx: RunContext, text: str, *, on_error: OnError, source_name: str) -> int:
    """`run_script` over an existing context, so `\\format` and `\\echo` set in one REPL input
    still hold in the next. Calls `session.idle()` at the end. Returns 0 or 1."""
    failed = False
    statement_no = 0  # counts SQL statements only, for "at statement N"
    lines: list[str] = []

    def script_lines() -> list[str]:  # split once, on the first error that needs it
        if not lines:
            lines.extend(text.split("\n"))
        return lines

    try:
        for item in split_script(text):
            if item.kind == "sql" and not _is_quit(item.text):
                statement_no += 1
            ok = _run_item(ctx, item, script_lines, statement_no, source_name)
            if not ok:
                failed = True
                if on_error == "stop":
                    break
            if ctx.state.quit:
                break
    finally:
        try:
            ctx.session.idle()
        except CloneshellError as e:
            ctx.write_err(format_error(e, "", 1, 1, statement_no, source_name, ctx.state.color))
            failed = True
        except Exception as e:
            ctx.write_err(log_internal_error(e, f"{source_name}: session.idle()"))
            failed = True
    return 1 if failed else 0


def _run_item(
    ctx: RunContext,
    item: ScriptItem,
    script_lines: Callable[[], list[str]],
    statement_no: int,
    source_name: str,
) -> bool:
    """Run one item inside the error boundary; True when it succeeded."""
    try:
        if ctx.state.echo:
            ctx.write_out(echo_text(ctx.session.prompt(), item))
        if item.kind == "meta":
            run_meta(ctx, item.text)
        elif _is_quit(item.text):
            ctx.state.quit = True
        else:
            # The statement's own `;` goes along, so an error at its end reads
            # "invalid token ';'" as MaxCompute's does, not "<EOF>".
            text = item.text + ";" if item.terminated else item.text
            for result in ctx.session.execute(text):
                render_result(result, ctx)
        return True
    except CloneshellError as e:
        ctx.write_err(
            format_error(
                e,
                item.text,
                item.line,
                item.column,
                statement_no,
                source_name,
                ctx.state.color,
                script_lines=script_lines(),
            )
        )
        return False
    except BrokenPipeError:
        raise  # the reader went away (`| head`): nothing more can be shown; main() handles it
    except Exception as e:
        where = f"{source_name}, line {item.line}: {item.text}"
        ctx.write_err(log_internal_error(e, where))
        return False


def echo_text(prompt: str, item: ScriptItem) -> str:
    """`odps@ proj> SELECT …;` as if typed at the prompt; continuation lines are indented to
    start under the first line's text. A statement that had no `;` in the script gets none."""
    indent = " " * (display_width(prompt) + 1)
    body = item.text + (";" if item.kind == "sql" and item.terminated else "")
    return prompt + " " + body.replace("\n", "\n" + indent) + "\n"


def _is_quit(text: str) -> bool:
    return text.strip().lower() in _QUIT_WORDS
