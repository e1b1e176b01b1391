"""What differs between the dialects at the terminal, held by one `ShellDialect` per dialect and
looked up by name in one registry (`shell_dialect`, or `dialect_of(session)` for the session's
current one). Shell code asks this object; it never compares dialect names.

Each object binds: the renderer (which streams get data, status and summary lines, and how they
look), the label before an error's text, the words and quoting of names (completion, `\\whoami`),
the prompt and identity shown while the session opens, the rule for which statements ask before
they run, and the `\\help` pages. The renderers are imported with the registry (batch mode needs
them at once); the grammar (for the destructive-statement rule) and the help pages load on
first use, so drawing the first prompt does not wait for them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import TYPE_CHECKING

from cloneshell.grammar.records import record
from cloneshell.shell.context import Format, RunContext, ShellSession
from cloneshell.shell.render import maxcompute, snowflake
from cloneshell.shell.width import display_width

if TYPE_CHECKING:
    from cloneshell.engine import Result
    from cloneshell.grammar.ast import Ident
    from cloneshell.shell.destructive import Lookup, ObjectKind
    from cloneshell.shell.help.common import HelpBook

Renderer = Callable[["Result", RunContext, Format | None, float], None]


@record(frozen=True, slots=True)
class ShellDialect:
    """The shell's side of one dialect."""

    name: str
    title: str
    """How the dialect is named in messages: `MaxCompute`, `Snowflake`."""
    render: Renderer
    """Write one result: `render(result, ctx, fmt, elapsed)` (`fmt` overrides the session's
    format, `elapsed` is the statement's time for a summary line)."""
    error_label: str
    """Printed before an error's text: odpscmd's `FAILED:`; SnowSQL prints Snowflake's own
    `002003 (02000): …` bare (reference/snowflake.md §3)."""
    container: str
    """What USE switches between: `project` or `database` (completion menus, messages)."""
    quote: str
    """The identifier quote completion puts around a name that needs it."""
    schemas: bool
    """Table names have a schema level: `db.schema.table`, `schema.table` in the current
    database, bare in the current schema (else `project.table`)."""
    expected_principal: Callable[[str | None], str]
    """The principal a session opened with `--user VALUE` (None: none given) will act as."""
    expected_project: Callable[[str | None], str | None]
    """The project (database) a session opened with `--project VALUE` will be in."""
    expected_prompt: Callable[[str, str | None], str]
    """The prompt of a session acting as that principal in that project (database)."""
    destructive: Callable[[str, ShellSession], bool]
    """Whether statement text destroys data that exists in the session's warehouse, so a
    terminal asks before running it."""
    help: Callable[[], HelpBook]
    """The `\\help` pages."""
    list_tables: str
    """The statement psql's `\\d` and `\\dt` run: the tables of the current project/schema."""
    describe: tuple[str, str]
    """The statements `\\d NAME` and `\\d+ NAME` run (`{name}` is the table as typed)."""
    identity: Callable[[ShellSession], tuple[tuple[str, str], ...]]
    """Who and where the session is, as (label, value) pairs in the dialect's words: `\\whoami`
    prints them, the toolbar shows the values."""
    use_keywords: frozenset[str]
    """The keywords completion offers after `USE ` (the grammar, shared by both dialects,
    accepts more than the dialect runs)."""


# ---------------------------------------------------------------------------------------------
# MaxCompute (odpscmd). Defaults as in engine/core/session.py.

_MAXCOMPUTE_PRINCIPAL = "ALIYUN$odps_user@aliyun.com"
_MAXCOMPUTE_PROJECT = "my_project"


def _maxcompute_project(project: str | None) -> str:
    # Project names are case-insensitive; the registry keeps them in lower case.
    return (project or _MAXCOMPUTE_PROJECT).lower()


def _maxcompute_prompt(principal: str, project: str | None) -> str:
    return f"odps@ {project or ''}>"


# ---------------------------------------------------------------------------------------------
# Snowflake (SnowSQL). Default user as in engine/snowflake/security.py.

_SNOWFLAKE_USER = "CLONESHELL"


def _snowflake_name(text: str) -> str:
    # Snowflake folds an unquoted identifier to upper case; a quoted one is kept as written.
    quoted = len(text) >= 2 and text[0] == text[-1] == '"'
    return text[1:-1] if quoted else text.upper()


def _snowflake_user(user: str | None) -> str:
    return _snowflake_name(user) if user else _SNOWFLAKE_USER


def _snowflake_database(database: str | None) -> str | None:
    return _snowflake_name(database) if database else None


def _snowflake_prompt(user: str, database: str | None) -> str:
    if database is None:
        return f"{user}#(no warehouse)@(no database).(no schema)>"
    return f"{user}#(no warehouse)@{database}.PUBLIC>"


# ---------------------------------------------------------------------------------------------
# What loads on first use


def _maxcompute_identity(session: ShellSession) -> tuple[tuple[str, str], ...]:
    # The Name/Project lines of odpscmd's `whoami;` (reference/maxcompute.md §2.3).
    return (("Name", session.principal), ("Project", session.project or ""))


def _snowflake_identity(session: ShellSession) -> tuple[tuple[str, str], ...]:
    # What SnowSQL's prompt shows: user, role, database and schema (CURRENT_ROLE() etc.).
    return (
        ("User", session.principal),
        ("Role", str(getattr(session, "role", "") or "")),
        ("Database", session.project or ""),
        ("Schema", str(getattr(session, "schema", "") or "")),
    )


def _destructive_in(
    dialect: str, name: Callable[[Ident], str]
) -> Callable[[str, ShellSession], bool]:
    def destructive(text: str, session: ShellSession) -> bool:
        # loads the parser
        from cloneshell.shell.destructive import is_destructive, snapshot_lookup

        snapshot = getattr(session, "snapshot", None)
        if snapshot is None:  # a session that cannot tell: every object counts as there
            return is_destructive(text, dialect)
        cache: list[Lookup] = []

        def lookup(kind: ObjectKind, parts: tuple[Ident, ...]) -> bool | None:
            if not cache:  # the snapshot only when a statement's target needs looking up
                cache.append(snapshot_lookup(snapshot(), getattr(session, "schema", None), name))
            return cache[0](kind, parts)

        return is_destructive(text, dialect, lookup)

    return destructive


def _maxcompute_help() -> HelpBook:
    from cloneshell.shell.help.maxcompute import BOOK

    return BOOK


def _snowflake_help() -> HelpBook:
    from cloneshell.shell.help.snowflake import BOOK

    return BOOK


MAXCOMPUTE = ShellDialect(
    name="maxcompute",
    title="MaxCompute",
    render=maxcompute.render,
    error_label="FAILED:",
    container="project",
    quote="`",
    schemas=False,
    expected_principal=lambda user: user or _MAXCOMPUTE_PRINCIPAL,
    expected_project=_maxcompute_project,
    expected_prompt=_maxcompute_prompt,
    destructive=_destructive_in("maxcompute", lambda i: i.name.lower()),
    help=_maxcompute_help,
    list_tables="SHOW TABLES",
    describe=("DESC {name}", "DESC EXTENDED {name}"),
    identity=_maxcompute_identity,
    use_keywords=frozenset(),  # USE project; only
)

SNOWFLAKE = ShellDialect(
    name="snowflake",
    title="Snowflake",
    render=snowflake.render,
    error_label="",
    container="database",
    quote='"',
    schemas=True,
    expected_principal=_snowflake_user,
    expected_project=_snowflake_database,
    expected_prompt=_snowflake_prompt,
    destructive=_destructive_in("snowflake", lambda i: i.name if i.quoted else i.name.upper()),
    help=_snowflake_help,
    list_tables="SHOW TABLES",
    describe=("DESC TABLE {name}", "DESC TABLE {name}"),
    identity=_snowflake_identity,
    use_keywords=frozenset({"DATABASE", "SCHEMA", "ROLE", "WAREHOUSE"}),
)

DIALECTS: dict[str, ShellDialect] = {d.name: d for d in (MAXCOMPUTE, SNOWFLAKE)}
"""Every dialect the shell speaks, by name (the engine's `dialect_name`)."""


def shell_dialect(name: str) -> ShellDialect:
    """The dialect called `name`; raises KeyError for one the shell does not know."""
    return DIALECTS[name]


def dialect_of(session: ShellSession) -> ShellDialect:
    """The dialect `session` speaks now (`\\dialect` and `ALTER SESSION SET DIALECT` change it
    mid-script, so ask at each use)."""
    return DIALECTS[session.dialect_name]


def render_result(
    result: Result, ctx: RunContext, fmt: Format | None = None, elapsed: float = 0.0
) -> None:
    """Write one result as the session's current dialect prints it (under `\\x auto`, a box
    wider than the terminal prints vertically)."""
    if fmt is None and ctx.state.expanded_auto and ctx.ui is not None and _too_wide(result):
        fmt = "vertical"
    dialect_of(ctx.session).render(result, ctx, fmt, elapsed)


def _too_wide(result: Result) -> bool:
    """Whether `result`'s rows, as a box (`| a | b |`), are wider than the terminal."""
    rows, columns = getattr(result, "rows", None), getattr(result, "columns", None)
    if not rows or columns is None:  # not a row result (render/common.py knows them all)
        return False
    widths = [display_width(c.name) for c in columns]
    for row in rows:
        widths = [max(w, display_width(str(v))) for w, v in zip(widths, row, strict=False)]
    return sum(w + 3 for w in widths) + 1 > shutil.get_terminal_size().columns
