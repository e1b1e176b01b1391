"""The shell's configuration: the command-line parser, the `Config` it produces, and where the
warehouse lives by default. No I/O beyond reading the environment."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from cloneshell.grammar.records import record
from cloneshell.shell.context import FORMATS, Format, OnError
from cloneshell.shell.dialect import DIALECTS
from cloneshell.shell.topics import epilog
from cloneshell.shell.variables import parse_definition


class UsageError(Exception):
    """Bad arguments or an unusable setting: main() prints one line and exits with 2."""


@record(frozen=True, slots=True)
class Config:
    """Everything the command line decides."""

    warehouse: Path
    user: str | None
    project: str | None
    dialect: str
    execute: str | None
    file: str | None
    fmt: Format
    echo: bool
    on_error: OnError
    color: bool
    clock: datetime | None
    version: bool
    record: str | None = None  # write an asciicast v2 recording of the session here
    play: str | None = None  # with record: type this script at the prompt
    typing_delay: float = 0.04  # seconds between keystrokes when playing
    idle_limit: float | None = None  # cap pauses in the recording to this many seconds
    # Seconds a statement waits for a file another shell holds (None: $CLONESHELL_LOCK_TIMEOUT,
    # else the engine's default, 10).
    lock_timeout: float | None = None
    # --clean: the defaults (no settings file, no history), as `psql -X` skips psqlrc; with
    # `temporary_warehouse` (no -w given) a fresh warehouse that is removed at exit.
    clean: bool = False
    temporary_warehouse: bool = False
    # SnowSQL's -o options (shell/config.py `OPTIONS`): header rows, the summary line after a
    # Snowflake result (`timing`), the banner (`friendly`), status messages (`quiet`).
    header: bool = True
    summary: bool = True
    friendly: bool = True
    quiet: bool = False
    null_text: str = ""  # --null-text: how csv and tsv write NULL
    frozen_timing: bool = False  # --frozen-timing: every elapsed time shows as 0.000s
    variables: tuple[tuple[str, str], ...] = ()  # -D NAME=VALUE (SnowSQL's client variables)
    substitution: bool = False  # -o variable_substitution=true: replace &NAME in statements
    played: bool = False  # typed by `--record --play` (the hidden --played): exit 1 on failure


def version() -> str:
    """The installed distribution's version."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("cloneshell")
    except PackageNotFoundError:
        return "unknown"


def default_warehouse() -> Path:
    """`$CLONESHELL_WAREHOUSE`, else `$XDG_DATA_HOME/cloneshell/warehouse`, else
    `~/.local/share/cloneshell/warehouse` (a relative XDG path is ignored, per the XDG spec)."""
    explicit = os.environ.get("CLONESHELL_WAREHOUSE", "")
    if explicit:
        return Path(explicit).expanduser()
    data = os.environ.get("XDG_DATA_HOME", "")
    root = Path(data) if data and os.path.isabs(data) else Path.home() / ".local" / "share"
    return root / "cloneshell" / "warehouse"


class _Parser(argparse.ArgumentParser):
    """argparse, but errors raise instead of printing usage and exiting, so main() can print
    one line and return 2 (and tests can call main() without catching SystemExit)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _clock(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid instant {text!r} (expected ISO 8601, e.g. 2024-01-15T10:00:00)"
        ) from None


def _duration(text: str) -> float:
    """`40ms`, `0.5s`, `2` (seconds) -> seconds."""
    t = text.strip().lower()
    try:
        if t.endswith("ms"):
            return float(t[:-2]) / 1000
        return float(t.removesuffix("s"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid duration {text!r} (e.g. 40ms, 0.5s, 2)"
        ) from None


def _seconds(text: str) -> float:
    """A non-negative number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"invalid number of seconds {text!r} (e.g. 10, 0.5)")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The `cloneshell` command line."""
    p = _Parser(
        prog="cloneshell",
        description="A local MaxCompute/Snowflake-style warehouse behind a SQL shell. "
        "Runs a script given with -e/-f or piped on stdin, else starts an interactive shell.",
        epilog=epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "-w",
        "--warehouse",
        metavar="DIR",
        help="warehouse directory (default: $CLONESHELL_WAREHOUSE, else "
        "$XDG_DATA_HOME/cloneshell/warehouse)",
    )
    p.add_argument("-u", "--user", metavar="PRINCIPAL", help="act as PRINCIPAL")
    p.add_argument("-p", "--project", metavar="PROJECT", help="start in PROJECT")
    p.add_argument(
        "--dialect",
        choices=tuple(DIALECTS),
        default="maxcompute",
        help="SQL dialect (default: maxcompute)",
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument("-e", "--execute", metavar="SQL", help="run SQL and exit")
    source.add_argument("-f", "--file", metavar="FILE", help="run the script FILE (- for stdin)")
    p.add_argument(
        "--format", dest="fmt", choices=FORMATS, default="box", help="result format (default: box)"
    )
    p.add_argument(
        "--null-text",
        metavar="TEXT",
        default="",
        help="how csv and tsv write NULL (default: an empty field; in csv an empty string is "
        'then written "")',
    )
    p.add_argument(
        "-o",
        "--option",
        dest="options",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a SnowSQL output option: output_format=psql|csv|tsv|json|expanded (or any "
        "--format), "
        "header=, timing=, friendly=, quiet= (true|false); may repeat",
    )
    p.add_argument("--echo", action="store_true", help="print each statement before running it")
    p.add_argument(
        "--on-error",
        choices=("stop", "continue"),
        default="stop",
        help="after a failed statement: stop (default) or run the rest",
    )
    p.add_argument("--no-color", action="store_true", help="never colour the output")
    p.add_argument(
        "--lock-timeout",
        metavar="SECONDS",
        type=_seconds,
        help="wait up to SECONDS for a project another cloneshell is using, then fail "
        "(default: $CLONESHELL_LOCK_TIMEOUT, else 10)",
    )
    p.add_argument(
        "--clock",
        metavar="ISO-INSTANT",
        type=_clock,
        help="start the warehouse clock at this instant and keep it still (tests, demos)",
    )
    p.add_argument(
        "--frozen-timing",
        action="store_true",
        help="show every elapsed time (Time Elapsed, \\timing) as 0.000s, so transcripts "
        "and recordings repeat exactly (golden tests, demos)",
    )
    p.add_argument(
        "--clean",
        action="store_true",
        help="run with the defaults: no settings file, no history; a fresh warehouse, removed "
        "at exit, unless -w is given (demos, bug reports; --play uses it)",
    )
    p.add_argument(
        "-D",
        "--variable",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="define a client variable, used as &NAME or &{NAME} while variable_substitution is "
        "on (-o variable_substitution=true, !set variable_substitution=true); may repeat",
    )
    # Given by --record --play to the shell it records, never by a user.
    p.add_argument("--played", action="store_true", help=argparse.SUPPRESS)
    rec = p.add_argument_group("recording a demo")
    rec.add_argument(
        "--record", metavar="FILE.cast", help="record the interactive session as asciicast v2"
    )
    rec.add_argument(
        "--play", metavar="SCRIPT", help="with --record: type SCRIPT at the prompt, then exit"
    )
    rec.add_argument(
        "--typing-delay",
        metavar="DELAY",
        type=_duration,
        default=0.04,
        help="pause between keystrokes when playing (default 40ms)",
    )
    rec.add_argument(
        "--idle-limit",
        metavar="SECONDS",
        type=_duration,
        help="cap every pause in the recording to SECONDS",
    )
    p.add_argument("--version", action="store_true", help="print the version and exit")
    return p


# SnowSQL's output_format values (and the shell's own names) -> the shell's formats.
_OUTPUT_FORMATS: dict[str, Format] = {
    "psql": "box",
    "box": "box",
    "csv": "csv",
    "tsv": "tsv",
    "json": "json",
    "jsonl": "jsonl",
    "markdown": "markdown",
    "github": "github",
    "expanded": "vertical",
    "vertical": "vertical",
}
# -o KEY -> the Config field a true/false value sets.
_SWITCHES = {
    "header": "header",
    "timing": "summary",
    "friendly": "friendly",
    "quiet": "quiet",
    "variable_substitution": "substitution",
}
OPTIONS = ("output_format", *_SWITCHES)
"""The keys `-o KEY=VALUE` accepts (SnowSQL's names)."""
_BOOLEANS = {"true": True, "on": True, "1": True, "false": False, "off": False, "0": False}


def _output_options(options: list[str], fmt: Format) -> dict[str, object]:
    """The Config fields `-o KEY=VALUE` options set; raises UsageError."""
    changes: dict[str, object] = {"fmt": fmt}
    for option in options:
        key, eq, value = option.partition("=")
        key, value = key.strip().lower(), value.strip().lower()
        if not eq or key not in OPTIONS:
            raise UsageError(f"unknown option -o {option!r}; known: {', '.join(OPTIONS)}")
        if key == "output_format":
            if value not in _OUTPUT_FORMATS:
                known = "|".join(_OUTPUT_FORMATS)
                raise UsageError(f"-o output_format={value}: expected one of {known}")
            changes["fmt"] = _OUTPUT_FORMATS[value]
        elif value in _BOOLEANS:
            changes[_SWITCHES[key]] = _BOOLEANS[value]
        else:
            raise UsageError(f"-o {key}={value}: expected true or false")
    return changes


def _variables(definitions: list[str]) -> tuple[tuple[str, str], ...]:
    """`-D NAME=VALUE` options as (name, value) pairs; raises UsageError."""
    pairs = []
    for text in definitions:
        pair = parse_definition(text)
        if pair is None:
            raise UsageError(f"-D {text!r}: expected NAME=VALUE")
        pairs.append(pair)
    return tuple(pairs)


def parse_args(argv: list[str]) -> Config:
    """A Config from the arguments; raises UsageError. `--help` exits through SystemExit(0)."""
    ns = build_parser().parse_args(argv)
    if ns.play and not ns.record:
        raise UsageError("--play needs --record FILE.cast")
    if ns.record and (ns.execute is not None or ns.file is not None):
        raise UsageError("--record records the interactive shell; it cannot be used with -e/-f")
    # NO_COLOR (https://no-color.org): any non-empty value turns colour off.
    color = not ns.no_color and not os.environ.get("NO_COLOR")
    warehouse = Path(ns.warehouse).expanduser() if ns.warehouse else default_warehouse()
    return Config(
        warehouse=warehouse,
        user=ns.user,
        project=ns.project,
        dialect=ns.dialect,
        execute=ns.execute,
        file=ns.file,
        echo=ns.echo,
        on_error=ns.on_error,
        color=color,
        clock=ns.clock,
        version=ns.version,
        record=ns.record,
        play=ns.play,
        typing_delay=ns.typing_delay,
        idle_limit=ns.idle_limit,
        lock_timeout=ns.lock_timeout,
        clean=ns.clean,
        null_text=ns.null_text,
        frozen_timing=ns.frozen_timing,
        played=ns.played,
        variables=_variables(ns.variable),
        temporary_warehouse=ns.clean and not ns.warehouse,
        **_output_options(ns.options, ns.fmt),  # type: ignore[arg-type]
    )


def explicit_options(argv: list[str]) -> set[str]:
    """Which of the `Config` fields `warehouse`, `user`, `project` and `fmt` the command line
    set itself, as opposed to their defaults (the options are parsed again with SUPPRESS as
    their default)."""
    parser = build_parser()
    parser.set_defaults(**dict.fromkeys(("warehouse", "user", "project", "fmt"), argparse.SUPPRESS))
    try:
        namespace = parser.parse_args(argv)
    except (Exception, SystemExit):  # main() has parsed argv already; this cannot differ
        return set()
    # set_defaults also records SUPPRESS as the parser-level default, which argparse then
    # stores for options that were not given: those are the ones to leave out.
    given = {key for key, value in vars(namespace).items() if value is not argparse.SUPPRESS}
    options = getattr(namespace, "options", None) or []
    if any(option.partition("=")[0].strip().lower() == "output_format" for option in options):
        given.add("fmt")  # -o output_format=… is a format given on the command line
    return given
