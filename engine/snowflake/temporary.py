"""Snowflake temporary tables and views: session-scoped objects.

A temporary table (or view) is an ordinary catalog row of its database whose properties carry
the creating session's token (`Session.token`): the catalog's schema lookups show it to that
session only (ProjectCatalog.viewer), where it shadows a permanent object of the same name, as
Snowflake's "Working with Temporary and Transient Tables" page describes. It is gone when the
session ends (the dialect's `end` hook, `mine` below); one left by a process that died is
purged with the database's next purge (`stale`). Like a transient table it keeps at most one day
of Time Travel. The clone rules between permanent, transient and temporary tables are those of
the CREATE … CLONE docs: a temporary or transient table clones only to a transient or
temporary one; a database or schema clone leaves temporary tables out.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from cloneshell.engine.core.catalog import ProjectCatalog, TableMeta
from cloneshell.engine.core.errors import SemanticError
from cloneshell.grammar import ast

if TYPE_CHECKING:
    from cloneshell.engine.snowflake.context import SnowflakeContext, Target

KEY = "temporary"


def is_temporary(t: TableMeta | None) -> bool:
    """True for a temporary table's (or view's) catalog row."""
    return t is not None and KEY in t.properties


def kind(t: TableMeta) -> str:
    """SHOW TABLES' kind: TEMPORARY, TRANSIENT or TABLE."""
    if is_temporary(t):
        return "TEMPORARY"
    return "TRANSIENT" if t.transient else "TABLE"


def mark(ctx: SnowflakeContext, target: Target) -> dict[str, str]:
    """The properties that make a new object at `target` this session's temporary one (the
    session remembers the file, to drop it at its end)."""
    ctx.session.scoped.add(target.db.info.file)
    return {KEY: ctx.session.token}


def check_clone(source: TableMeta, temporary: bool, transient: bool, span: ast.Span | None) -> None:
    """A temporary or transient table clones only to a temporary or transient one (CREATE …
    CLONE docs: "Temp table can not be cloned to a permanent table; clone to a transient table
    instead.")."""
    if temporary or transient:
        return
    if is_temporary(source):
        what = "Temp"
    elif source.transient:
        what = "Transient"
    else:
        return
    raise SemanticError(
        "semantic",
        span,
        message=f"{what} table can not be cloned to a permanent table; clone to a transient "
        "table instead.",
    )


def stale(t: TableMeta, token: str | None) -> bool:
    """A temporary object whose session's process is gone (purged with its database)."""
    owner = t.properties.get(KEY)
    if owner is None or owner == token:
        return False
    pid = owner.split(":", 1)[0]
    if not pid.isdigit():
        return True
    if int(pid) == os.getpid():
        return False  # a session of this process: it drops its own at its end
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def mine(tables: list[TableMeta], token: str) -> list[TableMeta]:
    """The temporary objects (live or dropped) of the session with `token`."""
    return [t for t in tables if t.properties.get(KEY) == token]


def same_scope(cat: ProjectCatalog, schema_id: int, name: str, temp: bool) -> TableMeta | None:
    """The live object named `name` that a CREATE of a temporary (`temp`) or permanent object
    competes with: a temporary one shadows a permanent one of the same name, so each kind
    only meets its own."""
    if not temp:
        found = cat.get_live_table(schema_id, name)
        if found is None or not is_temporary(found):
            return found
    for t in cat.tables_of_schema(schema_id):
        if t.name == name and is_temporary(t) == temp:
            return t
    return None
