"""Table streams read from the table's own history (storage.py), not from a change log of
their own.

A stream has an offset: a version of its table's database. Reading it returns the net change
between the offset and now (reference/snowflake.md §7.3; Snowflake's "delta" streams):
- rows alive now that were not at the offset: live rows written after it (INSERT);
- rows alive at the offset that are not now: history rows that were alive at it and ended
  after it (DELETE);
- a deleted and an inserted row that are the old and new versions of one row changed by UPDATE
  are a pair: both have METADATA$ISUPDATE = TRUE and one METADATA$ROW_ID. Which new version
  came from which old one is recorded by UPDATE in `__cs.row_links` (old key, new key), keys
  being a hash of a version's values and the version that wrote it; a row inserted and deleted
  (or updated and deleted) between the offset and now does not appear at all.
An APPEND_ONLY stream returns every row inserted after the offset (not the products of
UPDATE), even if deleted since.

The offset moves to the version read when a DML statement that read the stream commits
(context.py). A table with a stream keeps its history whatever its retention, and retention
purges keep what the streams on it still need, for up to 14 days (Snowflake's
MAX_DATA_EXTENSION_TIME_IN_DAYS default); after that a stream is stale.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cloneshell.engine.core.catalog import VERSION_COLUMN, ColumnMeta, ProjectCatalog, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.snowflake import objects
from cloneshell.engine.snowflake.objects import PipelineObject

# Snowflake extends a table's retention up to this many days for its unconsumed streams.
MAX_DATA_EXTENSION_DAYS = 14
ACTION = "METADATA$ACTION"
ISUPDATE = "METADATA$ISUPDATE"
ROW_ID = "METADATA$ROW_ID"


def row_key_sql(columns: tuple[ColumnMeta, ...], prefix: str = "", version: str = "") -> str:
    """SQL for a row version's key: a hash of its values and of the version that wrote it
    (`version`, default its `__cs_v`). Equal rows written by one version share a key; they are
    interchangeable."""
    values = [f"CAST({prefix}{quote_ident(c.name)} AS VARCHAR)" for c in columns]
    values.append(f"CAST({version or prefix + quote_ident(VERSION_COLUMN)} AS VARCHAR)")
    return f"md5(to_json([{', '.join(values)}]))"


def streams_on(cat: ProjectCatalog, table_id: int) -> list[PipelineObject]:
    """The streams of a database that track one table."""
    return [s for s in objects.list_objects(cat, "STREAM") if s.prop("table_id") == table_id]


def stale_after(stream: PipelineObject, retention_days: int) -> datetime:
    """When a stream's offset leaves the history kept for it: the instant the offset was set
    plus the table's retention, extended to 14 days."""
    offset_at = datetime.fromisoformat(str(stream.prop("offset_at")))
    return offset_at + timedelta(days=max(retention_days, MAX_DATA_EXTENSION_DAYS))


def is_stale(stream: PipelineObject, retention_days: int, now: datetime) -> bool:
    """True when a stream's unconsumed changes may have been purged."""
    return stale_after(stream, retention_days) <= now


def needed_version(cat: ProjectCatalog, table: TableMeta, now: datetime) -> int | None:
    """The oldest offset of a live (not stale) stream on the table: history that ended after it
    must be kept."""
    offsets = [
        int(s.prop("offset"))
        for s in streams_on(cat, table.table_id)
        if not is_stale(s, table.retention_days, now)
    ]
    return min(offsets) if offsets else None


def change_sql(
    cat: ProjectCatalog, table: TableMeta, offset: int, current: int, append_only: bool
) -> str:
    """A FROM-able subquery: the table's changes from `offset` to `current` (the latest
    version), its columns then METADATA$ACTION, METADATA$ISUPDATE, METADATA$ROW_ID."""
    o, c, tid = int(offset), int(current), int(table.table_id)
    cols = [quote_ident(col.name) for col in table.all_columns]
    col_list = ", ".join(cols)
    v = quote_ident(VERSION_COLUMN)
    has_history = cat.has_history(table)
    live = f"SELECT {col_list}, {v} AS v_from FROM {cat.physical(table)}"
    key = row_key_sql(table.all_columns, version="v_from")
    links = f"{cat.meta_schema}.row_links"
    meta = (
        f"CAST({{action}} AS VARCHAR) AS {quote_ident(ACTION)}, "
        f"CAST({{update}} AS BOOLEAN) AS {quote_ident(ISUPDATE)}, "
        f"md5(concat({tid}, ':', {{row}})) AS {quote_ident(ROW_ID)}"
    )
    if append_only:
        history = (
            f" UNION ALL SELECT {col_list}, {v} AS v_from FROM {cat.history_name(table)}"
            if has_history
            else ""
        )
        inserted = (
            f"SELECT *, {key} AS k FROM ({live}{history}) WHERE v_from > {o} AND v_from <= {c}"
        )
        products = f"SELECT new_key FROM {links} WHERE table_id = {tid} AND version > {o}"
        select = meta.format(action="'INSERT'", update="FALSE", row="k")
        return f"(SELECT {col_list}, {select} FROM ({inserted}) WHERE k NOT IN ({products}))"
    ins = f"SELECT *, {key} AS k FROM ({live}) WHERE v_from > {o}"
    if has_history:
        dels = (
            f"SELECT {col_list}, {v} AS v_from, {key} AS k FROM {cat.history_name(table)} "
            f"WHERE {v} <= {o} AND __cs_vto > {o} AND __cs_vto <= {c}"
        )
    else:
        dels = f"SELECT {col_list}, 0 AS v_from, '' AS k FROM {cat.physical(table)} WHERE FALSE"
    # Walk UPDATE links back from each inserted version to the version alive at the offset.
    chain = (
        f"chain(ins_key, old_key, old_from) AS ("
        f"SELECT l.new_key, l.old_key, l.old_from FROM {links} l "
        f"WHERE l.table_id = {tid} AND l.version > {o} AND l.version <= {c} "
        f"AND l.new_key IN (SELECT k FROM ins) "
        f"UNION ALL SELECT ch.ins_key, l.old_key, l.old_from FROM chain ch JOIN {links} l "
        f"ON l.table_id = {tid} AND l.new_key = ch.old_key AND l.version = ch.old_from "
        f"WHERE ch.old_from > {o})"
    )
    numbered_ins = "SELECT *, row_number() OVER (PARTITION BY k) AS n FROM ins"
    numbered_del = "SELECT *, row_number() OVER (PARTITION BY k) AS n FROM dels"
    pairs = (
        "SELECT DISTINCT ins_key, old_key AS del_key FROM chain WHERE old_from <= "
        f"{o} AND old_key IN (SELECT k FROM dels)"
    )
    matched = (
        "SELECT i.k AS ik, i.n AS n, d.k AS dk FROM ni i JOIN pairs p ON p.ins_key = i.k "
        "JOIN nd d ON d.k = p.del_key AND d.n = i.n"
    )
    insert_meta = meta.format(
        action="'INSERT'",
        update="m.dk IS NOT NULL",
        row="coalesce(m.dk, ni.k) || ':' || ni.n",
    )
    delete_meta = meta.format(
        action="'DELETE'",
        update="m.ik IS NOT NULL",
        row="nd.k || ':' || nd.n",
    )
    prefixed = ", ".join(f"ni.{c_}" for c_ in cols)
    prefixed_d = ", ".join(f"nd.{c_}" for c_ in cols)
    return (
        f"(WITH RECURSIVE ins AS ({ins}), dels AS ({dels}), {chain}, "
        f"ni AS ({numbered_ins}), nd AS ({numbered_del}), pairs AS ({pairs}), "
        f"matched AS ({matched}) "
        f"SELECT {prefixed}, {insert_meta} FROM ni LEFT JOIN matched m "
        f"ON m.ik = ni.k AND m.n = ni.n "
        f"UNION ALL SELECT {prefixed_d}, {delete_meta} FROM nd LEFT JOIN matched m "
        f"ON m.dk = nd.k AND m.n = nd.n)"
    )


def record_links(
    cat: ProjectCatalog, table: TableMeta, match_table: str, new_values: list[str], version: int
) -> None:
    """For an UPDATE at `version`: link each updated row's old version (its live row, found
    by rowid in `match_table`'s __cs_rid) to its new one (`new_values`, SQL over the match
    table aliased `u`, one per column)."""
    old_key = row_key_sql(table.all_columns, prefix="t.")
    values = [f"CAST({nv} AS VARCHAR)" for nv in new_values]
    values.append(f"CAST({int(version)} AS VARCHAR)")
    new_key = f"md5(to_json([{', '.join(values)}]))"
    cat.con.execute(
        f"INSERT INTO {cat.meta_schema}.row_links SELECT {int(table.table_id)}, {int(version)}, "
        f"{old_key}, {new_key}, t.{quote_ident(VERSION_COLUMN)} FROM {cat.physical(table)} t "
        f"JOIN {match_table} u ON t.rowid = u.__cs_rid"
    )


def purge_links(cat: ProjectCatalog, table: TableMeta, before_version: int) -> None:
    """Forget UPDATE links no stream can need any more."""
    cat.con.execute(
        f"DELETE FROM {cat.meta_schema}.row_links WHERE table_id = ? AND version <= ?",
        [table.table_id, before_version],
    )


def advance(db: Db, obj: PipelineObject, version: int, now: datetime) -> None:
    """Move a stream's offset to `version` (a DML statement consumed it at `now`)."""
    fresh = objects.by_id(db.cat, obj.object_id)
    if fresh is not None and int(fresh.prop("offset")) < version:
        objects.save(db.cat, fresh.with_props(offset=version, offset_at=now.isoformat()))
