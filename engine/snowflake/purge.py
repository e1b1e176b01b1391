"""Retention purges (reference/snowflake.md §2.2-§2.4): history that left Time Travel and dropped
objects past their retention are deleted for good.

When: at the start of a Snowflake write transaction (at most once per database per minute of
the session's clock: purging only reclaims storage, reads check retention by time), at SHOW …
HISTORY and UNDROP, and for dropped databases at SHOW DATABASES, CREATE and UNDROP DATABASE.
Reads never purge. Each step is cheap when there is nothing to do: a table's history is only
scanned when the retention boundary moved past its last purge (history rows are appended in
version order, so the delete reads few row groups).
Space: deleted history rows and dropped tables free their blocks at the next checkpoint, for
reuse. DuckDB only truncates a file whose free blocks are at its end, so a database that purged
something is compacted when the session goes idle if at least half of its file is free
(Warehouse.compact): the file shrinks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import META
from cloneshell.engine.core.context import Db
from cloneshell.engine.snowflake import catalog, streams, temporary
from cloneshell.engine.snowflake.retention import (
    account,
    account_of,
    database_retention,
    effective_retention,
    extension_days,
    schema_retention,
)

if TYPE_CHECKING:
    from cloneshell.engine.snowflake.context import SnowflakeContext


def expired(dropped_at: datetime | None, retention_days: int, now: datetime) -> bool:
    """True once a drop is older than the retention period (0: at once)."""
    if dropped_at is None:
        return False
    return retention_days <= 0 or dropped_at + timedelta(days=retention_days) <= now


def purge_database(db: Db, now: datetime) -> bool:
    """Purge one database's expired history and dropped objects (inside a transaction); True
    if anything was deleted (the file may then be worth compacting: Warehouse.compact)."""
    cat = db.cat
    freed = False
    acct = account_of(db)
    schemas = {s.schema_id: s for s in cat.list_schemas(history=True)}
    for s in list(schemas.values()):
        # A dropped container keeps its children for its own retention (snowflake.md §2.2).
        if s.dropped_version is not None and expired(
            s.dropped_at, schema_retention(db, s, acct), now
        ):
            catalog.forget_schema(cat, s)
            del schemas[s.schema_id]
            freed = True
    histories = {
        r[0]
        for r in cat.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = ?",
            [cat.alias, META],
        ).fetchall()
    }
    boundary: dict[int, int] = {}
    for t in cat.all_tables():
        schema = schemas.get(t.schema_id)
        if schema is None:
            continue
        if temporary.stale(t, cat.viewer):
            catalog.forget_table(cat, t)  # its session's process died: its end never ran
            freed = True
            continue
        retention = effective_retention(db, schema, t, acct)
        if t.dropped_version is not None:
            if expired(t.dropped_at, retention, now):
                catalog.forget_table(cat, t)
                freed = True
            continue
        if f"h_{t.table_id}" not in histories:
            continue
        if retention not in boundary:
            boundary[retention] = cat.version_at(now - timedelta(days=retention), inclusive=False)
        v_p = boundary[retention]
        # What a stream on the table has not consumed stays (streams.py), whatever the
        # retention: Snowflake extends retention for streams.
        needed = streams.needed_version(
            cat, replace(t, retention_days=retention), now, extension_days(t, acct)
        )
        if needed is not None:
            v_p = min(v_p, needed)
        if v_p > t.history_from:
            freed = storage.purge_history(cat, t, v_p) > 0 or freed
            streams.purge_links(cat, t, v_p)
            cat.update_table(t.table_id, history_from=v_p)
        elif needed is not None and v_p > 0:
            # Retention 0 moves history_from at every change: purge by the streams' needs.
            freed = storage.purge_history(cat, t, v_p) > 0 or freed
            streams.purge_links(cat, t, v_p)
    return freed


def purge_databases(ctx: SnowflakeContext) -> None:
    """Forget dropped databases whose retention has passed (registry row and file)."""
    wh = ctx.session.warehouse
    acct = account(wh)
    for info in wh.list_databases(history=True):
        if info.dropped_at is not None and expired(
            info.dropped_at, database_retention(info, acct), ctx.now
        ):
            wh.purge_database(info)


def purge_now(ctx: SnowflakeContext, db: Db) -> None:
    """Purge one database in a transaction of its own (SHOW … HISTORY, UNDROP), under the
    file's write lock like any write: a file held read-only is attached again read-write
    first (the statement starts again if another shell wrote it meanwhile)."""
    wh = ctx.session.warehouse
    wh.writable(db.cat.alias)
    con = wh.con
    con.execute("BEGIN TRANSACTION")
    try:
        if purge_database(db, ctx.now):
            ctx.session.compact_candidates.add(db.info.file)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
