"""The `\\` meta-commands (`\\login`, `\\whoami`, `\\format`, …): a decorator registry and the
commands themselves. A command gets the run's `RunContext` and its arguments; it fails by raising
`CloneshellError`, which the runner prints like any failed statement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.context import FORMATS, Format, RunContext

Handler = Callable[[RunContext, list[str]], None]


@dataclass(frozen=True, slots=True)
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


def run_meta(ctx: RunContext, text: str) -> None:
    """Run one meta-command line (`\\format csv`). A trailing `;` is tolerated, since people
    type one out of habit. Raises CloneshellError for unknown commands and bad arguments."""
    words = text.strip().rstrip(";").split()
    word = words[0] if words else "\\"
    command = COMMANDS.get(word[1:].lower())
    if command is None:
        raise CloneshellError(f"unknown meta-command '{word}' (try \\help)")
    command.handler(ctx, words[1:])


def _usage(command: str, args: str) -> CloneshellError:
    return CloneshellError(f"usage: \\{command} {args}".rstrip())


def _expect(args: list[str], count: int, command: str, synopsis: str) -> None:
    if len(args) != count:
        raise _usage(command, synopsis)


# ---------------------------------------------------------------------------------------------
# The commands


@meta("login", args="PRINCIPAL", help="act as PRINCIPAL from now on (e.g. RAM$owner@x.com:dev1)")
def _login(ctx: RunContext, args: list[str]) -> None:
    _expect(args, 1, "login", "PRINCIPAL")
    ctx.session.login(args[0])
    ctx.write_err("OK\n")


@meta("whoami", help="show the current principal and project")
def _whoami(ctx: RunContext, args: list[str]) -> None:
    _expect(args, 0, "whoami", "")
    # The Name/Project lines of odpscmd's `whoami;` (reference §2.3), on stdout.
    ctx.write_out(f"Name: {ctx.session.principal}\nProject: {ctx.session.project or ''}\n")


@meta("format", args="[box|csv|tsv|json]", help="set the output format for query results")
def _format(ctx: RunContext, args: list[str]) -> None:
    if not args:
        ctx.write_out(f"format: {ctx.state.fmt}\n")
        return
    if len(args) != 1 or args[0].lower() not in FORMATS:
        raise _usage("format", "box|csv|tsv|json")
    ctx.state.fmt = cast(Format, args[0].lower())


@meta("echo", args="[on|off]", help="print each statement, after the prompt, before running it")
def _echo(ctx: RunContext, args: list[str]) -> None:
    if not args:
        ctx.write_out(f"echo: {'on' if ctx.state.echo else 'off'}\n")
        return
    if len(args) != 1 or args[0].lower() not in ("on", "off"):
        raise _usage("echo", "on|off")
    ctx.state.echo = args[0].lower() == "on"


@meta("q", aliases=("quit",), help="stop (a script ends here, successfully)")
def _quit(ctx: RunContext, args: list[str]) -> None:
    ctx.state.quit = True


_STATEMENTS = """\
Statements (end each with ;):
  USE project;                      SET key=value;          WHOAMI;
  SHOW TABLES [IN project];         SHOW PARTITIONS t;      DESC [EXTENDED] t [PARTITION (..)];
  CREATE TABLE … [PARTITIONED BY (..)] [LIFECYCLE n];       INSERT INTO|OVERWRITE TABLE t …;
  SELECT …;                         DROP TABLE [IF EXISTS] t;
  CLONE TABLE [p.]src [PARTITION (..)] TO [p.]dst [IF EXISTS OVERWRITE|IGNORE];
  ADD USER …; GRANT … ON PROJECT|TABLE … TO USER|ROLE …; REVOKE …; SHOW GRANTS [FOR …];
  quit; / exit;                     leave the shell
"""


@meta("help", aliases=("?", "h"), help="this list")
def _help(ctx: RunContext, args: list[str]) -> None:
    seen: list[MetaCommand] = []
    for command in COMMANDS.values():
        if command not in seen:
            seen.append(command)
    rows = []
    for command in sorted(seen, key=lambda c: c.name):
        names = ", ".join(f"\\{n}" for n in (command.name, *command.aliases))
        rows.append((f"{names} {command.args}".rstrip(), command.help))
    width = max(len(left) for left, _ in rows)
    lines = ["Meta-commands (one per line, no ;):"]
    lines += [f"  {left:<{width}}  {right}" for left, right in rows]
    ctx.write_out("\n".join(lines) + "\n\n" + _STATEMENTS)
