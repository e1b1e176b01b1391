"""The settings file, `$XDG_CONFIG_HOME/cloneshell/config.toml` (else
`~/.config/cloneshell/config.toml`): what it may say, reading it (tomllib), the commented default
written on the first interactive run, and laying it under the command line (flags win).

Only interactive sessions read it: a script (`-e`, `-f`, piped stdin) runs the same on every
machine, whatever the user's file says.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cloneshell.grammar.records import record
from cloneshell.shell.context import EDITING_MODES, FORMATS, EditingMode, Format

if TYPE_CHECKING:
    from cloneshell.shell.config import Config

DEFAULT_HISTORY_SIZE = 10_000


@record(frozen=True, slots=True)
class Settings:
    """Everything the file may set; None means "not set here" for the keys a flag can give."""

    warehouse: str | None = None
    principal: str | None = None
    project: str | None = None
    format: Format | None = None
    editing_mode: EditingMode = "emacs"
    pager: bool = True
    pager_command: str | None = None  # None: $PAGER, else less -SRXF
    confirm: bool = True
    timing: bool = False
    row_count: bool = False  # a `(N rows)` line after each MaxCompute box
    color: bool = True
    syntax_style: str | None = None  # a Pygments style name; None: the terminal's own colours
    history_size: int = DEFAULT_HISTORY_SIZE
    auto_suggest: bool = True
    complete_while_typing: bool = True
    lock_timeout: float | None = None  # None: $CLONESHELL_LOCK_TIMEOUT, else 10
    warnings: tuple[str, ...] = field(default=(), compare=False)


DEFAULT_FILE = """\
# cloneshell settings. Uncomment a line to change a default.
# Command-line options win over this file. Only the interactive shell reads it: scripts
# (-e, -f, piped stdin) behave the same on every machine.

# The warehouse directory (default: $CLONESHELL_WAREHOUSE, else
# ~/.local/share/cloneshell/warehouse), the principal to act as, the project to start in.
# warehouse = "~/cloneshell-warehouse"
# principal = "ALIYUN$odps_user@aliyun.com"
# project = "my_project"

# How query results print: "box" (odpscmd), "csv", "tsv", "json" or "vertical".
# format = "box"

# Keys: "emacs" or "vi" (F2 switches while typing).
# editing_mode = "emacs"

# Page results taller or wider than the terminal; the pager (default: $PAGER, else "less -SRXF").
# pager = true
# pager_command = "less -SRXF"

# Ask `Confirm to "..." (yes/no)?` before DROP, REMOVE USER, TRUNCATE, INSERT OVERWRITE,
# CLONE ... IF EXISTS OVERWRITE, ALTER TABLE ... DROP PARTITION and CREATE OR REPLACE.
# confirm = true

# Print how long each statement took.
# timing = false

# After each MaxCompute result box, a `(3 rows)` line (odpscmd prints none).
# row_count = false

# Colour (false: none). syntax_style names a Pygments style ("monokai", "solarized-dark", ...);
# unset, the input is coloured with the terminal's own palette.
# color = true
# syntax_style = "monokai"

# Statements kept in the history file; grey suggestions from history (Right arrow accepts);
# the completion menu opening as you type (Tab opens it either way).
# history_size = 10000
# auto_suggest = true
# complete_while_typing = true

# Seconds a statement waits for a project another cloneshell is using before it fails
# (--lock-timeout and $CLONESHELL_LOCK_TIMEOUT win; default 10).
# lock_timeout = 10
"""


def config_dir() -> Path:
    """`$XDG_CONFIG_HOME/cloneshell`, else `~/.config/cloneshell` (a relative XDG path is
    ignored, per the XDG base directory spec)."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"
    return root / "cloneshell"


def config_path() -> Path:
    """Where the settings file lives."""
    return config_dir() / "config.toml"


def write_default(path: Path | None = None) -> bool:
    """Write the commented default file if there is none; True when it was written. A home
    that cannot be written is not an error: the shell runs on its defaults."""
    target = path or config_path()
    if target.exists():
        return False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as f:  # "x": never clobber a racing writer's
            f.write(DEFAULT_FILE)
    except OSError:
        return False
    return True


_STRINGS = ("warehouse", "principal", "project", "pager_command", "syntax_style")
_BOOLS = (
    "pager", "confirm", "timing", "row_count", "color", "auto_suggest", "complete_while_typing"
)  # fmt: skip


def load(path: Path | None = None) -> Settings:
    """The settings in the file (defaults when it is missing). A file that is not valid TOML,
    or a key with a wrong value, does not stop the shell: it is skipped and described in
    `Settings.warnings`, which the REPL prints at start."""
    target = path or config_path()
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as e:
        return Settings(warnings=(f"{target}: cannot read: {e}",))
    except tomllib.TOMLDecodeError as e:
        return Settings(warnings=(f"{target}: not valid TOML ({e}); using the defaults",))
    return from_mapping(data, str(target))


def from_mapping(data: dict[str, Any], source: str = "settings") -> Settings:
    """Settings from a parsed TOML document; bad keys become warnings."""
    values: dict[str, Any] = {}
    warnings: list[str] = []
    known = {f.name for f in fields(Settings)} - {"warnings"}
    for key, value in data.items():
        problem = _check(key, value, known)
        if problem:
            warnings.append(f"{source}: {problem}; ignored")
            continue
        values[key] = value.lower() if key in ("format", "editing_mode") else value
    return Settings(**values, warnings=tuple(warnings))


def _check(key: str, value: object, known: set[str]) -> str | None:
    """Why `key = value` is unusable, or None."""
    if key not in known:
        return f"unknown setting '{key}'"
    if key in _STRINGS:
        return None if isinstance(value, str) else f"{key} must be a string"
    if key in _BOOLS:
        return None if isinstance(value, bool) else f"{key} must be true or false"
    if key == "format":
        ok = isinstance(value, str) and value.lower() in FORMATS
        return None if ok else f"format must be one of {', '.join(FORMATS)}"
    if key == "editing_mode":
        ok = isinstance(value, str) and value.lower() in EDITING_MODES
        return None if ok else 'editing_mode must be "emacs" or "vi"'
    if key == "lock_timeout":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1e9
        return None if ok else "lock_timeout must be a number of seconds, 0 or more"
    if key == "history_size":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else "history_size must be a whole number, 0 or more"
    return None


def apply_to_config(config: Config, given: set[str], settings: Settings) -> Config:
    """`config` with the file's warehouse, principal, project, format, colour and lock timeout
    where the command line did not decide (`-w` and `$CLONESHELL_WAREHOUSE` both beat the
    file's warehouse, `--lock-timeout` and `$CLONESHELL_LOCK_TIMEOUT` its lock_timeout;
    `--no-color` and `NO_COLOR` beat `color = true`). `given`: the options the command line
    set itself (config.explicit_options)."""
    changes: dict[str, object] = {}
    if (
        settings.warehouse
        and "warehouse" not in given
        and not os.environ.get("CLONESHELL_WAREHOUSE")
    ):
        changes["warehouse"] = Path(settings.warehouse).expanduser()
    if settings.principal and config.user is None:
        changes["user"] = settings.principal
    if settings.project and config.project is None:
        changes["project"] = settings.project
    if settings.format and "fmt" not in given:
        changes["fmt"] = settings.format
    if not settings.color:
        changes["color"] = False
    if (
        settings.lock_timeout is not None
        and config.lock_timeout is None
        and not os.environ.get("CLONESHELL_LOCK_TIMEOUT")
    ):
        changes["lock_timeout"] = float(settings.lock_timeout)
    return replace(config, **changes) if changes else config  # type: ignore[arg-type]
