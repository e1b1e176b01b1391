"""The help that is not about one statement: `cloneshell --help`'s closing sections and
`cloneshell help [TOPIC]` (meta-commands, keys, the settings file, exit codes, variables), as
plain text built from the registries (the meta-commands, the settings file's template)."""

from __future__ import annotations

from collections.abc import Callable

from cloneshell.shell.meta import KEYS, command_lines

EXIT_CODES = """\
Exit codes:
  0    every statement succeeded (the interactive shell: it was left normally)
  1    a statement failed (a script stops at the first failure unless --on-error continue;
       a --record --play run when a played statement failed), or an internal error (logged)
  2    usage: a bad option, an unreadable script, a warehouse or -p project that cannot open
  3    the disk was full after a statement committed: its changes are kept, the rest did not run
  130  interrupted (Ctrl-C); the running statement was rolled back
"""

VARIABLES = """\
Client variables (SnowSQL's):
  -D NAME=VALUE, !define NAME=VALUE   define one; !variables lists them
  &NAME, &{NAME}                      replaced in statements while variable_substitution is on
                                      (-o variable_substitution=true,
                                      !set variable_substitution=true); && is a literal &
  An undefined &NAME fails the statement before it runs.
"""


def meta_commands() -> str:
    """Every meta-command with its synopsis and help line."""
    lines = ["Meta-commands (one per line, no ;; SnowSQL's !name works as \\name):"]
    lines += command_lines()
    return "\n".join(lines) + "\n"


def settings_file() -> str:
    """Where the settings file is and what it may say (its commented template)."""
    from cloneshell.shell.settings import DEFAULT_FILE, config_path

    return f"The settings file: {config_path()} (written on the first interactive run)\n\n" + (
        DEFAULT_FILE
    )


TOPICS: dict[str, Callable[[], str]] = {
    "meta": meta_commands,
    "keys": lambda: KEYS,
    "config": settings_file,
    "exit-codes": lambda: EXIT_CODES,
    "variables": lambda: VARIABLES,
}


def epilog() -> str:
    """The end of `cloneshell --help`: meta-commands, keys, the settings file, exit codes."""
    from cloneshell.shell.settings import config_path

    return (
        f"{meta_commands()}\n{KEYS}\n"
        f"Settings file: {config_path()} (cloneshell help config shows what it may say).\n\n"
        f"{EXIT_CODES}\n"
        "More: cloneshell help [meta|keys|config|exit-codes|variables]; at the prompt, \\help and "
        "\\help STATEMENT.\n"
    )


def help_topic(args: list[str]) -> tuple[str, int]:
    """`cloneshell help [TOPIC]`: (text for stdout, exit status); an unknown topic is a usage
    error (status 2) listing the topics."""
    if not args:
        return "".join(TOPICS[name]() + "\n" for name in TOPICS), 0
    if len(args) == 1 and args[0].lower() in TOPICS:
        return TOPICS[args[0].lower()](), 0
    return f"cloneshell help: topics are {', '.join(TOPICS)}\n", 2
