"""The interactive shell: a prompt_toolkit prompt (multi-line, highlighted, completed, with
history, a toolbar and emacs/vi keys) whose input runs through the batch runner with the
terminal's hooks (`TerminalUI`: Ctrl-C cancels, slow statements show progress, destructive ones
ask first, tall results page), so the REPL and scripts print exactly the same things. Imported
only when stdin is a terminal."""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO, cast

from prompt_toolkit import PromptSession
from prompt_toolkit.application import Application, get_app
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory, ThreadedAutoSuggest
from prompt_toolkit.completion import DynamicCompleter
from prompt_toolkit.cursor_shapes import DynamicCursorShapeConfig, ModalCursorShapeConfig
from prompt_toolkit.enums import DEFAULT_BUFFER, EditingMode
from prompt_toolkit.filters import Condition, has_focus, is_done
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.key_binding.vi_state import InputMode
from prompt_toolkit.layout.processors import (
    ConditionalProcessor,
    HighlightMatchingBracketProcessor,
)
from prompt_toolkit.lexers import DynamicLexer
from prompt_toolkit.output import ColorDepth

from cloneshell.grammar.split import is_complete
from cloneshell.shell import settings as settings_file
from cloneshell.shell.batch import run_input, run_text
from cloneshell.shell.config import Config, version
from cloneshell.shell.context import Cancelled, OutputState, RunContext, ShellSession
from cloneshell.shell.dialect import dialect_of
from cloneshell.shell.failures import format_warning, log_internal_error
from cloneshell.shell.history import make_history
from cloneshell.shell.keybindings import build_key_bindings, should_submit, submittable_part
from cloneshell.shell.opening import OpenFailed, PendingSession
from cloneshell.shell.pager import pager_command
from cloneshell.shell.pager import show as show_paged
from cloneshell.shell.progress import run_cancellable
from cloneshell.shell.width import display_width

if TYPE_CHECKING:
    from prompt_toolkit.completion import Completer
    from prompt_toolkit.lexers import Lexer
    from prompt_toolkit.styles import BaseStyle

    from cloneshell.engine import Result
    from cloneshell.shell.completer import SnapshotHolder, SnapshotSource

__all__ = ["run_repl", "should_submit", "split_trailing_meta", "submittable_part"]

# Ctrl-J within this long of a prompt appearing was typed ahead (see keybindings._ctrl_j).
TYPE_AHEAD_WINDOW = 0.3
# While the prompt waits, the session goes idle this often: scheduled Snowflake tasks that
# came due run then (engine/snowflake/tasks.py), and files are released again.
IDLE_TICK_SECONDS = 15.0


def _idle_ticks(session: ShellSession, stop: threading.Event) -> None:
    """Call `session.idle()` every IDLE_TICK_SECONDS until `stop` (the session's lock keeps
    it from overlapping a statement). Failures go to the log, never to the screen."""
    while not stop.wait(IDLE_TICK_SECONDS):
        try:
            session.idle()
        except Exception as e:
            log_internal_error(e, "running scheduled tasks while idle")


def split_trailing_meta(text: str) -> tuple[str, str]:
    """(`head`, `meta`) when `text` is an unfinished statement followed by a meta-command line,
    else (`""`, `text`). The REPL runs the meta-command and keeps `head` in the buffer, as psql
    keeps its query buffer across `\\` commands: with its line break, so what is typed next
    starts a line of its own (`head` ends with a newline)."""
    body = text.rstrip()
    head, sep, last = body.rpartition("\n")
    if sep and last.lstrip().startswith("\\") and head.strip() and not is_complete(head):
        return head + "\n", last.strip()
    return "", text


def history_entry(text: str) -> str:
    """What the history keeps of an accepted input: a meta-command typed under an unfinished
    statement alone (the statement is kept when it is finished and run)."""
    return split_trailing_meta(text)[1]


# ---------------------------------------------------------------------------------------------
# Completion, highlighting and style from the sibling modules


class Assist:
    """The completer (shell/completer.py) and the lexer (shell/lexer.py), loaded on a background
    thread once the first prompt is on the screen: both import the grammar's keyword tables,
    which would otherwise delay the prompt. Until then the prompt works without them; the
    prompt uses them through DynamicCompleter/DynamicLexer as soon as they exist."""

    def __init__(
        self,
        session: ShellSession,
        opening: PendingSession | None = None,
        on_loaded: Callable[[], None] | None = None,
    ) -> None:
        self.session = session
        self.opening = opening
        self.on_loaded = on_loaded
        self.invalidate: Callable[[], None] = lambda: None  # the prompt's, once it exists
        self.holder: SnapshotHolder | None = None
        self.completer: Completer | None = None
        self.lexer: Lexer | None = None
        self.loaded = threading.Event()

    def load(self) -> None:
        """Import and build the lexer, then the completer (keywords and meta-commands at once;
        names once the first catalog refresh lands), then warm the parser, then start that
        refresh as soon as the session is open. Runs on the warm-up thread; a failure here
        costs colours or completion, never the shell, and goes to the log, not the screen
        (which prompt_toolkit is drawing)."""
        try:
            from prompt_toolkit.lexers import PygmentsLexer

            from cloneshell.shell.lexer import CloneshellLexer

            self.lexer = PygmentsLexer(CloneshellLexer)
            self.invalidate()  # colour what is typed so far

            from cloneshell.shell.completer import SnapshotHolder, make_completer

            holder = SnapshotHolder(
                cast("SnapshotSource", self.session),
                on_refresh=lambda: self.invalidate(),
                autostart=False,
            )
            self.completer = make_completer(holder)  # meta-commands with their help lines
            self.holder = holder
            warm_up()
            if self.opening is not None:
                try:
                    self.opening.wait()
                except (OpenFailed, KeyboardInterrupt):  # the REPL reports it and exits
                    return
            holder.refresh_async()
        except Exception as e:
            log_internal_error(e, "loading the lexer and completer")
        finally:
            self.loaded.set()
            if self.on_loaded is not None:
                self.on_loaded()

    def stop(self, timeout: float = 5.0) -> None:
        """Wait for background work that uses the session to finish, so the session can be
        closed under it (a DuckDB connection closed while another thread uses it aborts)."""
        self.loaded.wait(timeout)
        if self.holder is not None:
            self.holder.wait_idle(timeout)

    def refresh(self) -> None:
        """Rebuild the catalog snapshot in the background (requests coalesce; before the
        holder exists there is nothing to do: its first refresh is still to come)."""
        if self.holder is not None:
            self.holder.refresh_async()

    @property
    def opening_session(self) -> bool:
        """The session is still being opened (the toolbar says so)."""
        return self.opening is not None and self.opening.opening

    @property
    def refreshing(self) -> bool:
        """A rebuild is running or queued (the toolbar says so)."""
        return self.holder is not None and bool(self.holder.refreshing)

    def statement_ran(self, statement: str) -> None:
        """Names in a statement that ran rank higher from now on; DDL, USE, GRANT… refresh."""
        holder = self.holder
        if holder is None:
            return
        holder.note_statement(statement)
        if holder.needs_refresh(statement):
            holder.refresh_async()


def make_style(color: bool, syntax_style: str | None) -> BaseStyle | None:
    """The REPL's style (shell/style.py); with `syntax_style`, that Pygments style colours the
    input and shell/style.py the rest (prompt, toolbar, menus)."""
    try:
        from cloneshell.shell.style import UI_RULES, repl_style
    except ImportError:
        return None
    if not color or not syntax_style:
        return repl_style(color=color)
    from prompt_toolkit.styles import Style, merge_styles, style_from_pygments_cls
    from pygments.styles import get_style_by_name  # type: ignore[import-untyped]
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]

    try:
        pygments_style = style_from_pygments_cls(get_style_by_name(syntax_style))
    except ClassNotFound:
        return repl_style(color=color)
    return merge_styles([pygments_style, Style(list(UI_RULES))])


# ---------------------------------------------------------------------------------------------
# What only a terminal does (context.Interaction)


class TerminalUI:
    """The REPL's side of the statement-running path: Ctrl-C and the progress line, the confirm
    prompt, the pager, and keeping completion fresh."""

    def __init__(
        self,
        session: ShellSession,
        state: OutputState,
        streams: tuple[TextIO, TextIO, TextIO],
        assist: Assist,
        pager: str | None,
    ) -> None:
        self.session = session
        self.state = state
        self.stdin, self.out, self.err = streams
        self.assist = assist
        self.pager = pager_command(pager)
        self.pager_works = True
        self._stop_after = False
        self._before: tuple[str, str | None] = (session.principal, session.project)

    def execute(self, session: ShellSession, text: str) -> list[Result]:
        """Run on a worker thread; Ctrl-C interrupts it (see progress.run_cancellable)."""
        self._before = (session.principal, session.project)
        finished = run_cancellable(
            session,
            text,
            self.err,
            show_progress=_isatty(self.err),
            columns=shutil.get_terminal_size().columns,
        )
        # Ctrl-C came, but the statement had already finished: show its results, then stop.
        self._stop_after = finished.cancel_requested
        return finished.results

    def statement_done(self, statement: str) -> None:
        """Refresh completion after DDL, and when the project or principal changed (USE)."""
        self.assist.statement_ran(statement)
        if self._before != (self.session.principal, self.session.project):
            self.assist.refresh()  # USE, or a login inside a script
        if self._stop_after:
            self._stop_after = False
            raise Cancelled("cancelled (Ctrl-C came after that statement had finished)")

    def confirm(self, statement: str) -> bool:
        """odpscmd's `Confirm to "<stmt>" (yes/no)? `; only yes/y runs the statement."""
        self.out.flush()
        self.err.write(f'Confirm to "{statement.strip()}" (yes/no)? ')
        self.err.flush()
        try:
            answer = self.stdin.readline()
        except KeyboardInterrupt:
            answer = ""
        if not answer.endswith("\n"):  # Ctrl-D or Ctrl-C: end the prompt's line
            self.err.write("\n")
        return answer.strip().lower() in ("yes", "y")

    def show(self, text: str) -> None:
        """Print a result, through the pager when it is taller or wider than the terminal."""
        if not (self.state.pager and self.pager_works and _isatty(self.out)):
            self.out.write(text)
            self.out.flush()
            return
        size = shutil.get_terminal_size()
        self.pager_works = show_paged(
            text, self.out, self.err, command=self.pager, rows=size.lines, columns=size.columns
        )

    def refresh(self) -> None:
        """Reload completion metadata in the background."""
        self.assist.refresh()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (ValueError, AttributeError):
        return False


# ---------------------------------------------------------------------------------------------
# The prompt


_PROMPT_PARTS = re.compile(r"^(?P<user>\S+@ ?)?(?P<project>.*?)(?P<arrow>>?)$")


def prompt_fragments(prompt: str) -> StyleAndTextTuples:
    """`odps@ my_project> ` as styled fragments (user, project, arrow)."""
    match = _PROMPT_PARTS.match(prompt)
    if match is None:  # the pattern matches any line; kept for safety
        return [("class:prompt", prompt + " ")]
    return [
        ("class:prompt.user", match["user"] or ""),
        ("class:prompt.project", match["project"]),
        ("class:prompt.arrow", match["arrow"]),
        ("class:prompt", " "),
    ]


def toolbar_fragments(
    session: ShellSession,
    state: OutputState,
    columns: int = 120,
    refreshing: bool = False,
    opening: bool = False,
    vi_mode: str | None = None,
) -> StyleAndTextTuples:
    """The bottom toolbar: who, where, how results print, then as many key hints as fit in
    `columns` (a narrow terminal keeps the facts and drops the hints). While the session is
    `opening`, who and where are what it is expected to be, and a note says so. With vi keys,
    `vi_mode` (INSERT, NORMAL, …) follows the F2 hint, as pgcli's toolbar shows it."""
    base = "class:bottom-toolbar"
    value = "class:bottom-toolbar.value"
    facts: StyleAndTextTuples = [(base, " ")]
    for _label, shown in dialect_of(session).identity(session):
        facts += [(value, shown or "-"), (base, " │ ")]
    facts += [
        (value, session.dialect_name),
        (base, " │ "),
        (value, state.fmt),
        (base, " │ timing "),
        (value if state.timing else "class:bottom-toolbar.off", "on" if state.timing else "off"),
        (base, "  "),
    ]
    if opening:
        facts.append(("class:bottom-toolbar.off", "opening the warehouse…  "))
    elif refreshing:
        facts.append(("class:bottom-toolbar.off", "refreshing completions…  "))
    used = sum(display_width(fragment[1]) for fragment in facts)
    hints = (
        ("[F2]", f" {state.editing_mode} {vi_mode} " if vi_mode else f" {state.editing_mode} "),
        ("[Alt-Enter]", " newline "),
        ("[Ctrl-R]", " history "),
        ("[\\help]", " "),
    )
    for key, label in hints:
        width = display_width(key + label) + 1
        if used + width > columns:
            break
        facts += [(base, " "), ("class:bottom-toolbar.key", key), (base, label)]
        used += width
    return facts


def warm_up() -> None:
    """Load the parser in the background while the user reads the prompt, so the first
    statement (and the destructive-statement check) does not pay for it."""
    from cloneshell.grammar.parser import get_parser

    # Whatever is wrong with the parser, the first real statement will report it.
    with contextlib.suppress(Exception):
        get_parser()


def run_repl(
    session: ShellSession, config: Config, on_loaded: Callable[[], None] | None = None
) -> int:
    """Read statements from the terminal until `\\q`, `quit;`, `exit;` or Ctrl-D. Ctrl-C clears
    the line being typed, or cancels the running statement. Returns 0 (1 when a statement
    failed in a run typed by `--play`, `config.played`).

    A `PendingSession` (shell/opening.py) starts opening once the first prompt is on the
    screen; the first input waits for it. If it cannot be opened, `OpenFailed` ends the REPL
    (main() reports it), also while the prompt waits for input. `on_loaded` is called (on a
    background thread) once the session, lexer, completer and parser are loaded."""
    opening = session if isinstance(session, PendingSession) else None
    if config.clean:  # the defaults, and nothing remembered from earlier runs
        settings = settings_file.Settings(history_size=0, auto_suggest=False)
        created = False
    else:
        settings = settings_file.load()
        created = settings_file.write_default()
    color = config.color and settings.color and sys.stderr.isatty()
    state = OutputState(
        fmt=config.fmt,
        echo=config.echo,
        color=color,
        timing=settings.timing,
        row_count=settings.row_count,
        pager=settings.pager,
        confirm=settings.confirm,
        editing_mode=settings.editing_mode,
        header=config.header,
        summary=config.summary,
        quiet=config.quiet,
        null_text=config.null_text,
        frozen_timing=config.frozen_timing,
        variables=dict(config.variables),
        substitution=config.substitution,
    )
    assist = Assist(session, opening, on_loaded)
    streams = (sys.stdin, sys.stdout, sys.stderr)
    ui = TerminalUI(session, state, streams, assist, settings.pager_command)
    ctx = RunContext(session, state, sys.stdout, sys.stderr, ui=ui, run_text=run_text)
    if config.friendly:  # -o friendly=false: no banner
        ctx.write_err(
            f"cloneshell {version()} ({config.dialect} dialect)\n"
            f"Warehouse: {_warehouse_line(config)}\n"
            "Type \\help for help.\n"
        )
    if created:
        ctx.write_err(f"Wrote the default settings to {settings_file.config_path()}\n")
    for warning in settings.warnings:
        ctx.write_err(format_warning(warning, color))

    prompt_started = [0.0]
    prompt_session = _prompt_session(
        session, state, settings, assist, color, lambda: prompt_started[0]
    )
    app = prompt_session.app
    assist.invalidate = app.invalidate  # redraw when a refresh lands
    first = [True]

    def opened() -> None:  # on the opening thread
        try:
            if opening is not None:
                opening.wait()
        except BaseException as e:  # the prompt waiting for input ends with it
            _end_prompt(app, e)
        else:
            app.invalidate()  # the session's own prompt and toolbar

    def start_background_work() -> None:
        if opening is not None:
            opening.start()
            opening.when_done(opened)
        threading.Thread(target=assist.load, name="cloneshell-warm-up", daemon=True).start()

    def pre_run() -> None:
        prompt_started[0] = time.monotonic()
        if first[0]:
            first[0] = False
            # pre_run runs just before the first prompt is drawn, and what it queues on the
            # event loop just after: the threads then do not compete with drawing it.
            asyncio.get_running_loop().call_soon(start_background_work)

    pending = ""  # an unfinished statement kept across a meta-command or a paste
    failed = False  # a statement failed (the exit status of a --play run)
    stop_ticks = threading.Event()
    ticker = threading.Thread(
        target=_idle_ticks, args=(session, stop_ticks), name="cloneshell-idle", daemon=True
    )
    ticker.start()
    try:
        while not state.quit:
            try:
                text = prompt_session.prompt(
                    lambda: prompt_fragments(session.prompt()),
                    default=pending,
                    prompt_continuation=" " * (display_width(session.prompt()) + 1),
                    editing_mode=_editing_mode(state),
                    pre_run=pre_run,
                )
            except KeyboardInterrupt:
                pending = ""
                continue
            except EOFError:
                break
            pending, text = split_trailing_meta(text)
            if not pending:
                text, pending = submittable_part(text)
            if not text.strip():
                continue
            try:
                if opening is not None:
                    opening.wait()  # the first input waits for the session
                # A paste stops at its first failure; what it did not run waits in the input.
                outcome = run_input(ctx, text, on_error="stop", source_name="<input>", typed=True)
                failed = failed or outcome.status != 0
                if outcome.skipped:
                    pending = outcome.rest + pending
                    ctx.write_err(_not_run(outcome.skipped))
            except Cancelled as e:
                ctx.write_err(f"{e}\n")
            except KeyboardInterrupt:  # between statements, or while printing a result
                ctx.write_err("cancelled\n")
    finally:
        stop_ticks.set()
        ticker.join(timeout=5.0)
        ctx.close_spool()
        if not first[0]:  # the warm-up thread was started
            assist.stop()
    return 1 if failed and config.played else 0


def _not_run(skipped: int) -> str:
    what = (
        "1 statement not run after the failure; it is"
        if skipped == 1
        else (f"{skipped} statements not run after the failure; they are")
    )
    return f"{what} in the input (Ctrl-C clears it)\n"


def _warehouse_line(config: Config) -> str:
    if config.temporary_warehouse:
        return "a fresh one, removed at exit (--clean)"
    return str(config.warehouse)


def _end_prompt(app: Application[Any], error: BaseException) -> None:
    """Make the prompt now waiting for input (if any) raise `error`; from any thread."""

    def end() -> None:
        if app.is_running and not app.is_done:
            app.exit(exception=error)

    loop = app.loop
    if loop is not None and app.is_running:
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(end)


def _columns() -> int:
    from prompt_toolkit.application import get_app

    return get_app().output.get_size().columns


_VI_MODES = {
    InputMode.INSERT: "INSERT",
    InputMode.INSERT_MULTIPLE: "INSERT",
    InputMode.NAVIGATION: "NORMAL",
    InputMode.REPLACE: "REPLACE",
    InputMode.REPLACE_SINGLE: "REPLACE",
}


def _vi_mode(state: OutputState) -> str | None:
    """The vi input mode for the toolbar (None with emacs keys)."""
    if state.editing_mode != "vi":
        return None
    app = get_app()
    if app.current_buffer.selection_state is not None:
        return "VISUAL"
    return _VI_MODES.get(app.vi_state.input_mode, "NORMAL")


def _editing_mode(state: OutputState) -> EditingMode:
    return EditingMode.VI if state.editing_mode == "vi" else EditingMode.EMACS


def _prompt_session(
    session: ShellSession,
    state: OutputState,
    settings: settings_file.Settings,
    assist: Assist,
    color: bool,
    prompt_started: Callable[[], float],
) -> PromptSession[str]:
    def typed_ahead() -> bool:
        return time.monotonic() - prompt_started() < TYPE_AHEAD_WINDOW

    in_input = has_focus(DEFAULT_BUFFER) & ~is_done
    cursor = DynamicCursorShapeConfig(
        lambda: ModalCursorShapeConfig() if state.editing_mode == "vi" else None
    )
    auto_suggest = ThreadedAutoSuggest(AutoSuggestFromHistory()) if settings.auto_suggest else None
    processors: Sequence[Any] = [
        ConditionalProcessor(HighlightMatchingBracketProcessor(chars="[](){}"), in_input)
    ]
    return PromptSession(
        history=make_history(settings.history_size, history_entry),
        key_bindings=build_key_bindings(state, typed_ahead=typed_ahead),
        multiline=True,
        lexer=DynamicLexer(lambda: assist.lexer),
        style=make_style(color, settings.syntax_style),
        include_default_pygments_style=False,
        color_depth=None if color else ColorDepth.MONOCHROME,
        completer=DynamicCompleter(lambda: assist.completer),
        complete_while_typing=Condition(lambda: settings.complete_while_typing),
        auto_suggest=auto_suggest,
        enable_history_search=False,  # Up walks the history; Ctrl-R searches it
        search_ignore_case=True,
        bottom_toolbar=lambda: toolbar_fragments(
            session, state, _columns(), assist.refreshing, assist.opening_session, _vi_mode(state)
        ),
        enable_open_in_editor=True,
        tempfile_suffix=".sql",
        input_processors=list(processors),
        cursor=cursor,
        mouse_support=False,
    )
