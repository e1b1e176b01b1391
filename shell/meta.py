"""The `\\` meta-commands (`\\login`, `\\format`, `\\set`, `\\i`, `\\o`, `\\help`, …): a decorator
registry and the commands themselves. A command gets the run's `RunContext` and its arguments;
it fails by raising `CloneshellError`, which the runner prints like any failed statement, or by
returning False after printing its own errors (`\\i` of a script that failed)."""

from __future__ import annotations

import os
import re
import shlex
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import cast

from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.records import record
from cloneshell.shell.context import EDITING_MODES, FORMATS, Format, RunContext
from cloneshell.shell.dialect import DIALECTS, dialect_of
from cloneshell.shell.variables import parse_definition

Handler = Callable[[RunContext, list[str]], bool | None]

# `\i` scripts may include others; this many levels means a script includes itself.
MAX_INCLUDE_DEPTH = 16


@record(frozen=True, slots=True)
class MetaCommand:
    """One registered command: its name, aliases, argument synopsis and help line."""

    name: str
    aliases: tuple[str, ...]
    args: str
    help: str
    handler: Handler


# Filled once, at import, by the decorators below; read-only afterwards.
COMMANDS: dict[str, MetaCommand] = {}


def meta(
    name: str, *, aliases: tuple[str, ...] = (), args: str = "", help: str = ""
) -> Callable[[Handler], Handler]:
    """Register the decorated function as `\\<name>` (and `\\<alias>`)."""

    def register(handler: Handler) -> Handler:
        command = MetaCommand(name, aliases, args, help, handler)
        for key in (name, *aliases):
            COMMANDS[key] = command
        return handler

    return register


def run_meta(ctx: RunContext, text: str) -> bool:
    """Run one meta-command line (`\\format csv`). A trailing `;` is tolerated, since people
    type one out of habit. Raises CloneshellError for unknown commands and bad arguments;
    returns False when the command failed and has already said why."""
    words = _split_words(text.strip().rstrip(";"))
    word = words[0] if words else "\\"
    if word.startswith("\\!") and len(word) > 2:  # `\\!ls`: the command word is just `\\!`
        words, word = ["\\!", word[2:], *words[1:]], "\\!"
    # a command may need its line as typed (`\\d+` vs `\\d`, `\\! cmd | grep x`)
    ctx.state.last_meta = text.strip()[1:]
    command = COMMANDS.get(word[1:].lower())
    if command is None:
        raise CloneshellError(f"unknown meta-command '{word}' (try \\help)")
    return command.handler(ctx, words[1:]) is not False


def _split_words(text: str) -> list[str]:
    """The command word, then its arguments split as a shell splits them (quotes group, so
    `\\i "my script.sql"` works; backslashes are kept, they are not escapes here). Text with an
    unbalanced quote falls back to splitting on blanks."""
    parts = text.split(maxsplit=1)
    if len(parts) < 2:
        return parts
    lexer = shlex.shlex(parts[1], posix=True)
    lexer.whitespace_split = True
    lexer.escape = ""
    lexer.commenters = ""
    try:
        return [parts[0], *lexer]
    except ValueError:
        return text.split()


def _usage(command: str, args: str) -> CloneshellError:
    return CloneshellError(f"usage: \\{command} {args}".rstrip())


def _expect(args: list[str], count: int, command: str, synopsis: str) -> None:
    if len(args) != count:
        raise _usage(command, synopsis)


_TRUE = frozenset({"on", "true", "yes", "1"})
_FALSE = frozenset({"off", "false", "no", "0"})


def parse_switch(value: str) -> bool | None:
    """`on`/`off` (also true/false, yes/no, 1/0) as a bool; None for anything else."""
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return None


def _on_off(value: bool) -> str:
    return "on" if value else "off"


# ---------------------------------------------------------------------------------------------
# Identity and output


@meta("login", args="PRINCIPAL", help="act as PRINCIPAL from now on (e.g. RAM$owner@x.com:dev1)")
def _login(ctx: RunContext, args: list[str]) -> None:
    _expect(args, 1, "login", "PRINCIPAL")
    ctx.session.login(args[0])
    ctx.write_err("OK\n")
    if ctx.ui is not None:  # what completion may offer depends on who is asking
        ctx.ui.refresh()


@meta("whoami", help="show the current principal and project")
def _whoami(ctx: RunContext, args: list[str]) -> None:
    _expect(args, 0, "whoami", "")
    # odpscmd's Name/Project lines; SnowSQL users get user, role, database and schema.
    pairs = dialect_of(ctx.session).identity(ctx.session)
    ctx.write_out("".join(f"{label}: {value}\n" for label, value in pairs))


# ---------------------------------------------------------------------------------------------
# Dialect and clock

_DIALECT_CHOICES = "|".join(DIALECTS)


@meta("dialect", args=f"[{_DIALECT_CHOICES}]", help="show or switch the SQL dialect")
def _dialect(ctx: RunContext, args: list[str]) -> None:
    if not args:
        ctx.write_out(f"dialect: {ctx.session.dialect_name}\n")
        return
    if len(args) != 1 or args[0].lower() not in DIALECTS:
        raise _usage("dialect", _DIALECT_CHOICES)
    switch = getattr(ctx.session, "switch_dialect", None)
    if switch is None:
        raise CloneshellError("this session cannot switch dialects")
    switch(args[0].lower())
    if ctx.ui is not None:  # names and keywords to complete differ per dialect
        ctx.ui.refresh()


# `+30m`, `-1h`, `+2d`, `+1h30m`: a sign, then one or more number-unit pairs.
_OFFSET = re.compile(r"([+-])((?:\d+[smhd])+)")
_OFFSET_PART = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_clock_offset(text: str) -> timedelta | None:
    """`+30m` -> 30 minutes, `-1h` -> minus an hour, `+1h30m`; None when `text` is no offset."""
    match = _OFFSET.fullmatch(text.strip().lower())
    if match is None:
        return None
    delta = sum(
        (timedelta(**{_UNITS[unit]: int(n)}) for n, unit in _OFFSET_PART.findall(match[2])),
        timedelta(),
    )
    return -delta if match[1] == "-" else delta


def _clock_text(instant: datetime) -> str:
    return instant.isoformat(sep=" ", timespec="seconds")


@meta(
    "clock",
    args="[+30m|-1h|+45s|+2d|INSTANT]",
    help="show the session clock, move a frozen one (--clock) or set it to an ISO instant",
)
def _clock(ctx: RunContext, args: list[str]) -> None:
    session = ctx.session
    if not args:
        clock = getattr(session, "clock", None)
        if clock is None:
            raise CloneshellError("this session has no clock to show")
        state = "frozen" if getattr(clock, "frozen", False) else "real time"
        ctx.write_out(f"clock: {_clock_text(clock.now())} UTC ({state})\n")
        return
    text = " ".join(args)  # `\clock 2024-01-15 11:00:00` arrives as two words
    delta = parse_clock_offset(text)
    move, set_to = getattr(session, "move_clock", None), getattr(session, "set_clock", None)
    if move is None or set_to is None:
        raise CloneshellError("this session's clock cannot be moved")
    if delta is not None:
        instant = move(delta)
    else:
        try:
            target = datetime.fromisoformat(text)
        except ValueError:
            raise _usage("clock", "[+30m|-1h|+45s|+2d|2024-01-15T11:00:00]") from None
        instant = set_to(target)
    ctx.write_err(f"Clock set to {_clock_text(instant)} UTC.\n")


_FORMAT_CHOICES = "|".join(FORMATS)


@meta("format", args=f"[{_FORMAT_CHOICES}]", help="set the output format for query results")
def _format(ctx: RunContext, args: list[str]) -> None:
    if not args:
        ctx.write_out(f"format: {ctx.state.fmt}\n")
        return
    if len(args) != 1 or args[0].lower() not in FORMATS:
        raise _usage("format", _FORMAT_CHOICES)
    ctx.state.fmt = cast(Format, args[0].lower())


@meta("echo", args="[on|off]", help="print each statement, after the prompt, before running it")
def _echo(ctx: RunContext, args: list[str]) -> None:
    if not args:
        ctx.write_out(f"echo: {_on_off(ctx.state.echo)}\n")
        return
    ctx.state.echo = _switch_arg(args, "echo")


def _switch_arg(args: list[str], command: str) -> bool:
    value = parse_switch(args[0]) if len(args) == 1 else None
    if value is None:
        raise _usage(command, "on|off")
    return value


@meta("timing", args="[on|off]", help="print how long each statement took (on stderr)")
def _timing(ctx: RunContext, args: list[str]) -> None:
    # With no argument it toggles, as psql's \timing does, and says the new state.
    ctx.state.timing = _switch_arg(args, "timing") if args else not ctx.state.timing
    ctx.write_err(f"Timing is {_on_off(ctx.state.timing)}.\n")


@meta(
    "pager", args="[on|off]", help="page results taller or wider than the terminal ($PAGER, less)"
)
def _pager(ctx: RunContext, args: list[str]) -> None:
    ctx.state.pager = _switch_arg(args, "pager") if args else not ctx.state.pager
    ctx.write_err(f"Pager is {_on_off(ctx.state.pager)}.\n")


@meta(
    "o",
    aliases=("out", "spool"),
    args="[FILE]",
    help="also append results to FILE; \\o alone (SnowSQL: !spool off) stops",
)
def _spool(ctx: RunContext, args: list[str]) -> None:
    if not args or (args == ["off"] and ctx.state.last_meta.lower().startswith("spool")):
        if ctx.spool_path is None:
            ctx.write_err("Results go to the terminal only.\n")
            return
        path = ctx.spool_path
        ctx.close_spool()
        ctx.write_err(f"Stopped writing results to {path}.\n")
        return
    _expect(args, 1, "o", "[FILE]")
    target = Path(args[0]).expanduser()
    try:
        handle = target.open("a", encoding="utf-8")
    except OSError as e:
        raise CloneshellError(f"cannot write {target}: {e.strerror or e}") from None
    ctx.close_spool()
    ctx.spool, ctx.spool_path = handle, str(target)
    ctx.write_err(f"Results are also appended to {target} until \\o.\n")


# ---------------------------------------------------------------------------------------------
# Scripts and settings


@meta(
    "i",
    aliases=("include", "source", "load"),
    args="FILE",
    help="run the statements in FILE, here, now (SnowSQL: !source FILE)",
)
def _include(ctx: RunContext, args: list[str]) -> bool:
    _expect(args, 1, "i", "FILE")
    path = Path(args[0]).expanduser()
    if ctx.state.include_depth >= MAX_INCLUDE_DEPTH:
        raise CloneshellError(f"\\i nested more than {MAX_INCLUDE_DEPTH} deep (at {path})")
    try:
        # utf-8-sig: scripts saved by Windows editors start with a BOM, which is not SQL.
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise CloneshellError(f"cannot read {path}: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise CloneshellError(f"{path} is not UTF-8 text (byte {e.start})") from None
    # The batch path itself (RunContext.run_text). The script stops at its first failure, as
    # `cloneshell -f` does; its errors name the file and line.
    run_text = ctx.run_text
    assert run_text is not None, "RunContext.run_text is set where contexts are made"
    ctx.state.include_depth += 1
    try:
        return run_text(ctx, text, on_error="stop", source_name=str(path)) == 0
    finally:
        ctx.state.include_depth -= 1


# ---------------------------------------------------------------------------------------------
# psql's habits: \d, \dt, \d+, \x, \conninfo, \! (each maps onto what the shell already does)


def _run_sql(ctx: RunContext, text: str, command: str) -> bool:
    run_text = ctx.run_text
    assert run_text is not None, "RunContext.run_text is set where contexts are made"
    return run_text(ctx, text + ";", on_error="stop", source_name=f"\\{command}") == 0


@meta("d", aliases=("dt", "d+"), args="[TABLE]", help="list tables (SHOW TABLES), or DESC TABLE")
def _describe(ctx: RunContext, args: list[str]) -> bool:
    dialect = dialect_of(ctx.session)
    if len(args) > 1:
        raise _usage("d", "[TABLE]")
    if not args:
        return _run_sql(ctx, dialect.list_tables, "d")
    plain, extended = dialect.describe
    # the command word is not passed to the handler: `\d+` is told apart by the text it ran as
    template = extended if ctx.state.last_meta.startswith("d+") else plain
    return _run_sql(ctx, template.format(name=args[0]), "d")


@meta(
    "x",
    args="[on|off|auto]",
    help="vertical output on, off, or auto (only for results wider than the terminal)",
)
def _expanded(ctx: RunContext, args: list[str]) -> None:
    if len(args) > 1 or (args and args[0].lower() not in ("on", "off", "auto")):
        raise _usage("x", "[on|off|auto]")
    state = ctx.state
    on = state.fmt == "vertical" or state.expanded_auto
    word = args[0].lower() if args else ("off" if on else "on")
    if word == "on" and state.fmt != "vertical":
        state.fmt_before_expanded, state.fmt = state.fmt, "vertical"
    elif word != "on" and state.fmt == "vertical":
        state.fmt = state.fmt_before_expanded
    state.expanded_auto = word == "auto"
    shown = "used automatically" if word == "auto" else word
    ctx.write_err(f"Expanded display is {shown}.\n")


@meta("conninfo", help="say which warehouse, principal, project and dialect the shell uses")
def _conninfo(ctx: RunContext, args: list[str]) -> None:
    _expect(args, 0, "conninfo", "")
    session = ctx.session
    where = getattr(getattr(session, "warehouse", None), "root", None)
    pairs = dialect_of(session).identity(session)
    who = ", ".join(f"{label.lower()} {value or '-'}" for label, value in pairs)
    place = f'warehouse "{where}"' if where is not None else "the warehouse"
    ctx.write_out(f"You are connected to {place} as {who} (dialect {session.dialect_name}).\n")


@meta("!", args="[COMMAND]", help="run a shell command (interactively only, never in a script)")
def _shell_command(ctx: RunContext, args: list[str]) -> None:
    if ctx.ui is None:
        raise CloneshellError("\\! runs shell commands interactively only, never in a script")
    import subprocess  # only here: batch runs never start a shell

    command = ctx.state.last_meta[1:].strip() or os.environ.get("SHELL", "/bin/sh")
    subprocess.run(command, shell=True, check=False)  # noqa: S602 - the user's own command


def _interactive(ctx: RunContext, command: str) -> None:
    if ctx.ui is None:
        raise CloneshellError(f"\\{command} works interactively only, never in a script")


def _last_statement(ctx: RunContext, command: str) -> str:
    if not ctx.state.last_statement:
        raise CloneshellError(f"\\{command}: no statement has run yet")
    return ctx.state.last_statement


@meta("e", aliases=("edit",), help="edit the last statement in $EDITOR, then run it (!edit)")
def _edit(ctx: RunContext, args: list[str]) -> bool:
    _interactive(ctx, "e")
    _expect(args, 0, "e", "")
    import subprocess  # only here: batch runs never start an editor
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="cloneshell-") as scratch:
        path = Path(scratch) / "statement.sql"
        path.write_text(_last_statement(ctx, "e") + "\n", encoding="utf-8")
        try:
            subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as e:
            raise CloneshellError(f"cannot run editor '{editor}': {e.strerror or e}") from None
        text = path.read_text(encoding="utf-8")
    if not text.strip():
        ctx.write_err("Nothing to run.\n")
        return True
    run_text = ctx.run_text
    assert run_text is not None, "RunContext.run_text is set where contexts are made"
    return run_text(ctx, text, on_error="stop", source_name="\\e") == 0


@meta("watch", args="[SECONDS]", help="run the last statement every SECONDS (2) until Ctrl-C")
def _watch(ctx: RunContext, args: list[str]) -> bool:
    _interactive(ctx, "watch")
    try:
        seconds = float(args[0]) if args else 2.0
    except ValueError:
        seconds = -1.0
    if len(args) > 1 or not 0 < seconds < 1e6:
        raise _usage("watch", "[SECONDS]")
    text = _last_statement(ctx, "watch")
    run_text = ctx.run_text
    assert run_text is not None, "RunContext.run_text is set where contexts are made"
    try:
        while run_text(ctx, text, on_error="stop", source_name="\\watch") == 0:
            ctx.write_err(f"(every {seconds:g}s; Ctrl-C stops)\n")
            time.sleep(seconds)
    except KeyboardInterrupt:
        ctx.write_err("\n")
        return True
    return False


# `\set KEY VALUE`: the settings a session may change, each with how to read a value.
SETTINGS: tuple[str, ...] = (
    "format", "timing", "pager", "confirm", "editing_mode", "echo", "row_count",
    "variable_substitution",
)  # fmt: skip


def setting_values(ctx: RunContext) -> list[tuple[str, str]]:
    """(key, value) for every `\\set` key, as `\\set` lists them."""
    s = ctx.state
    return [
        ("format", s.fmt),
        ("timing", _on_off(s.timing)),
        ("pager", _on_off(s.pager)),
        ("confirm", _on_off(s.confirm)),
        ("editing_mode", s.editing_mode),
        ("echo", _on_off(s.echo)),
        ("row_count", _on_off(s.row_count)),
        ("variable_substitution", _on_off(s.substitution)),
    ]


def setting_choices(key: str) -> tuple[str, ...]:
    """The values `\\set KEY` accepts (for completion); () for an unknown key."""
    key = key.lower().replace("-", "_")
    if key == "format":
        return FORMATS
    if key == "editing_mode":
        return EDITING_MODES
    return ("on", "off") if key in SETTINGS else ()


def apply_setting(ctx: RunContext, key: str, value: str) -> None:
    """Set one `\\set` key; raises CloneshellError naming the accepted values."""
    key = key.lower().replace("-", "_")
    if key == "output_format":  # SnowSQL's name (`!set output_format=csv`)
        key = "format"
    word = value.strip().lower()
    if key == "variable_substitution":
        switch = parse_switch(word)
        if switch is None:
            raise CloneshellError("variable_substitution must be on or off (true or false)")
        ctx.state.substitution = switch
    elif key == "format":
        if word not in FORMATS:
            raise CloneshellError(f"format must be one of {', '.join(FORMATS)}")
        ctx.state.fmt = word
    elif key == "editing_mode":
        if word not in EDITING_MODES:
            raise CloneshellError("editing_mode must be emacs or vi")
        ctx.state.editing_mode = word
    elif key in ("timing", "pager", "confirm", "echo", "row_count"):
        switch = parse_switch(word)
        if switch is None:
            raise CloneshellError(f"{key} must be on or off")
        setattr(ctx.state, key, switch)
    else:
        raise CloneshellError(f"unknown setting '{key}' (settings: {', '.join(SETTINGS)})")


@meta(
    "set",
    args="[KEY [VALUE]]",
    help="show or change a shell setting: " + ", ".join(SETTINGS),
)
def _set(ctx: RunContext, args: list[str]) -> None:
    if len(args) == 1 and "=" in args[0]:  # `\set pager=off` reads like SQL's SET
        args = args[0].split("=", 1)
    values = dict(setting_values(ctx))
    if not args:
        width = max(len(k) for k in values)
        ctx.write_out("".join(f"{k:<{width}}  {v}\n" for k, v in values.items()))
        return
    key = args[0].lower().replace("-", "_").replace("output_format", "format")
    if len(args) == 1:
        if key not in values:
            raise CloneshellError(f"unknown setting '{key}' (settings: {', '.join(SETTINGS)})")
        ctx.write_out(f"{key}  {values[key]}\n")
        return
    if len(args) != 2:
        raise _usage("set", "[KEY [VALUE]]")
    apply_setting(ctx, key, args[1])


@meta(
    "define",
    args="NAME=VALUE",
    help="define a client variable, used as &NAME while variable_substitution is on (SnowSQL)",
)
def _define(ctx: RunContext, args: list[str]) -> None:
    text = ctx.state.last_meta.split(maxsplit=1)[1] if args else ""
    pair = parse_definition(text.rstrip().rstrip(";"))
    if pair is None:
        raise _usage("define", "NAME=VALUE")
    ctx.state.variables[pair[0]] = pair[1]


@meta("variables", aliases=("vars",), help="list the client variables (!define, -D)")
def _variables(ctx: RunContext, args: list[str]) -> None:
    _expect(args, 0, "variables", "")
    pairs = sorted(ctx.state.variables.items())
    if not pairs:
        ctx.write_err("No variables defined (!define NAME=VALUE, or -D NAME=VALUE).\n")
        return
    width = max(len(name) for name, _ in pairs)
    ctx.write_out("".join(f"{name:<{width}}  {value}\n" for name, value in pairs))


@meta("refresh", help="reload the table and column names offered by Tab completion")
def _refresh(ctx: RunContext, args: list[str]) -> None:
    _expect(args, 0, "refresh", "")
    if ctx.ui is not None:  # scripts have no completion to refresh
        ctx.ui.refresh()
        ctx.write_err("Refreshing completions in the background.\n")


@meta("q", aliases=("quit", "exit"), help="stop (a script ends here, successfully; !quit, !exit)")
def _quit(ctx: RunContext, args: list[str]) -> None:
    ctx.state.quit = True


# ---------------------------------------------------------------------------------------------
# Help

KEYS = """\
Keys at the prompt:
  Enter           run the statement(s) once they end with ; (or \\G); else a new line
  Alt-Enter       a new line, always (also Esc Enter, Ctrl-J)
  Tab             complete names and keywords        Right arrow  accept the grey suggestion
  Up / Down       previous / next line or statement  Ctrl-R       search the history
  Ctrl-C          clear the input; cancel a running statement
  Ctrl-D          leave (on an empty line)           F2           switch emacs / vi keys
  Ctrl-X Ctrl-E   edit the statement in $EDITOR
"""


def command_lines() -> list[str]:
    """One line per meta-command, sorted by name: its names, synopsis and help line (for
    `\\help` and `cloneshell help meta`)."""
    seen: list[MetaCommand] = []
    for command in COMMANDS.values():
        if command not in seen:
            seen.append(command)
    rows = []
    for command in sorted(seen, key=lambda c: c.name):
        names = ", ".join(f"\\{n}" for n in (command.name, *command.aliases))
        rows.append((f"{names} {command.args}".rstrip(), command.help))
    width = max(len(left) for left, _ in rows)
    return [f"  {left:<{width}}  {right}" for left, right in rows]


@meta("help", aliases=("?", "h"), args="[STATEMENT]", help="this list, or one statement's syntax")
def _help(ctx: RunContext, args: list[str]) -> None:
    if args:
        ctx.write_result(_topic_help(ctx, " ".join(args)))
        return
    lines = ["Meta-commands (one per line, no ;):", *command_lines()]
    text = "\n".join(lines) + "\n\n" + dialect_of(ctx.session).help().summary
    if ctx.ui is not None:
        text += "\n" + KEYS
    ctx.write_result(text)  # at a terminal, paged when taller than the screen


def _topic_help(ctx: RunContext, topic: str) -> str:
    dialect = dialect_of(ctx.session)
    book = dialect.help()
    word = topic.strip()
    command = COMMANDS.get(word.lstrip("\\").lower())
    if word.startswith("\\") or (command is not None and book.lookup(word) is None):
        if command is None:
            raise CloneshellError(f"unknown meta-command '{word}' (try \\help)")
        names = ", ".join(f"\\{n}" for n in (command.name, *command.aliases))
        return f"{names} {command.args}".rstrip() + f"\n  {command.help}\n"
    text = book.lookup(word)
    if text is not None:
        return text
    for other in DIALECTS.values():
        if other is not dialect and other.help().lookup(word) is not None:
            raise CloneshellError(
                f"'{word}' is a {other.title} statement; \\dialect {other.name} switches, "
                f"then \\help {word}"
            )
    topics = " ".join(sorted(book.pages))
    raise CloneshellError(f"no help for '{word}' in {dialect.title}; try one of: {topics}")
