"""The interactive shell: a prompt_toolkit prompt that submits on Enter once the buffer holds
complete statements, and runs what was typed (or pasted) through the batch runner, so the REPL
and scripts print exactly the same things. Imported only when stdin is a terminal."""

from __future__ import annotations

import sys

from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

from cloneshell.grammar.split import is_complete
from cloneshell.shell.batch import run_text
from cloneshell.shell.config import Config, version
from cloneshell.shell.context import OutputState, RunContext, ShellSession
from cloneshell.shell.failures import state_dir
from cloneshell.shell.width import display_width

_QUIT_WORDS = frozenset({"q", "quit", "exit"})


def should_submit(text: str) -> bool:
    """Whether Enter runs the buffer (True) or starts a new line (False): the buffer holds only
    complete statements and meta-commands, or is empty, or its last line is a meta-command
    (`\\q` must work even in the middle of a statement), or it is a bare `quit`/`exit`."""
    stripped = text.strip()
    if not stripped or stripped.lower() in _QUIT_WORDS:
        return True
    if text.rstrip().rsplit("\n", 1)[-1].lstrip().startswith("\\"):
        return True
    return is_complete(text)


def split_trailing_meta(text: str) -> tuple[str, str]:
    """(`head`, `meta`) when `text` is an unfinished statement followed by a meta-command line,
    else (`""`, `text`). The REPL runs the meta-command and keeps `head` in the buffer, as psql
    keeps its query buffer across `\\` commands."""
    body = text.rstrip()
    head, sep, last = body.rpartition("\n")
    if sep and last.lstrip().startswith("\\") and head.strip() and not is_complete(head):
        return head, last.strip()
    return "", text


def _bindings() -> KeyBindings:
    kb = KeyBindings()

    # c-j too: a newline typed ahead while the terminal was still in cooked mode (or piped by a
    # test harness) arrives as \n rather than \r.
    @kb.add("enter")
    @kb.add("c-j")
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if should_submit(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    return kb


def _history() -> History:
    """Statements typed in earlier runs (`$XDG_STATE_HOME/cloneshell/history`), or an in-memory
    history when that directory cannot be written."""
    path = state_dir() / "history"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
        return FileHistory(str(path))
    except OSError:
        return InMemoryHistory()


def run_repl(session: ShellSession, config: Config) -> int:
    """Read statements from the terminal until `\\q`, `quit;`, `exit;` or Ctrl-D. Ctrl-C clears
    the line being typed, or cancels the running statement. Returns 0."""
    color = config.color and sys.stderr.isatty()
    state = OutputState(fmt=config.fmt, echo=config.echo, color=color)
    ctx = RunContext(session, state, sys.stdout, sys.stderr)
    ctx.write_err(
        f"cloneshell {version()} ({config.dialect} dialect)\n"
        f"Warehouse: {config.warehouse}\n"
        "Type \\help for help.\n"
    )
    prompt_session: PromptSession[str] = PromptSession(
        history=_history(),
        key_bindings=_bindings(),
        multiline=True,
    )
    pending = ""  # an unfinished statement kept across a meta-command
    while not state.quit:
        try:
            prompt = session.prompt() + " "
            indent = " " * display_width(prompt)
            text = prompt_session.prompt(
                prompt,
                default=pending,
                prompt_continuation=indent,
            )
        except KeyboardInterrupt:
            pending = ""
            continue
        except EOFError:
            break
        pending, text = split_trailing_meta(text)
        if not text.strip():
            continue
        try:
            run_text(ctx, text, on_error="continue", source_name="<input>")
        except KeyboardInterrupt:
            ctx.write_err("Statement cancelled.\n")
    return 0
