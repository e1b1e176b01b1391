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
purges keep what the streams on it still need, for up to the table's
MAX_DATA_EXTENSION_TIME_IN_DAYS (retention.extension_days; 14 unless set); after that a stream
is stale.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cloneshell.engine.core.catalog import VERSION_COLUMN, ColumnMeta, ProjectCatalog, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.snowflake import objects
from cloneshell.engine.snowflake.objects import PipelineObject

ACTION = "METADATA$ACTION"
ISUPDATE = "METADATA$ISUPDATE"
ROW_ID = "METADATA$ROW_ID"
# The aliases `record_links` gives an updated row's live version and its match row.
OLD = "__cs_t"
MATCH = "__cs_u"


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


def stale_after(stream: PipelineObject, retention_days: int, extension: int) -> datetime:
    """When a stream's offset leaves the history kept for it: the instant the offset was set
    plus the table's retention, extended to `extension` days (its
    MAX_DATA_EXTENSION_TIME_IN_DAYS, retention.extension_days)."""
    offset_at = datetime.fromisoformat(str(stream.prop("offset_at")))
    return offset_at + timedelta(days=max(retention_days, extension))


def is_stale(
    stream: PipelineObject,
    retention_days: int,
    now: datetime,
    extension: int,
) -> bool:
    """True when a stream's unconsumed changes may have been purged."""
    return stale_after(stream, retention_days, extension) <= now


def needed_version(
    cat: ProjectCatalog, table: TableMeta, now: datetime, extension: int
) -> int | None:
    """The oldest offset of a live (not stale) stream on the table: history that ended after it
    must be kept."""
    offsets = [
        int(s.prop("offset"))
        for s in streams_on(cat, table.table_id)
        if not is_stale(s, table.retention_days, now, extension)
    ]
    return min(offsets) if offsets else None


def change_sql(
    cat: ProjectCatalog,
    table: TableMeta,
    offset: int,
    current: int,
    append_only: bool,
    *,
    past: bool = False,
) -> str:
    """A FROM-able subquery: the table's changes from `offset` to `current` (the latest
    version; with `past`, an earlier one: another session's open transaction wrote the later
    ones), its columns then METADATA$ACTION, METADATA$ISUPDATE, METADATA$ROW_ID.

    Every name the query adds is in the engine's namespace (`__cs_…`, which no column can
    take), so no user column can shadow one. Its size is linear in the rows changed: equal row
    versions are counted, not joined pairwise (see `_pairs`)."""
    o, c, tid = int(offset), int(current), int(table.table_id)
    cols = [quote_ident(col.name) for col in table.all_columns]
    col_list = ", ".join(cols)
    v = quote_ident(VERSION_COLUMN)
    has_history = cat.has_history(table)
    live = f"SELECT {col_list}, {v} AS __cs_from FROM {cat.physical(table)}"
    key = row_key_sql(table.all_columns, version="__cs_from")
    links = f"{cat.meta_schema}.row_links"
    meta = (
        f"CAST({{action}} AS VARCHAR) AS {quote_ident(ACTION)}, "
        f"CAST({{update}} AS BOOLEAN) AS {quote_ident(ISUPDATE)}, "
        f"md5(concat({tid}, ':', {{row}})) AS {quote_ident(ROW_ID)}"
    )
    if append_only:
        history = (
            f" UNION ALL SELECT {col_list}, {v} AS __cs_from FROM {cat.history_name(table)}"
            if has_history
            else ""
        )
        inserted = (
            f"SELECT *, {key} AS __cs_k FROM ({live}{history}) "
            f"WHERE __cs_from > {o} AND __cs_from <= {c}"
        )
        products = f"SELECT new_key FROM {links} WHERE table_id = {tid} AND version > {o}"
        select = meta.format(action="'INSERT'", update="FALSE", row="__cs_k")
        return f"(SELECT {col_list}, {select} FROM ({inserted}) WHERE __cs_k NOT IN ({products}))"
    ins = f"SELECT *, {key} AS __cs_k FROM ({live}) WHERE __cs_from > {o}"
    if past:
        # Rows alive at `current`: live ones written by then, and those ended after it.
        ended = (
            f" UNION ALL SELECT {col_list}, {v} AS __cs_from FROM {cat.history_name(table)} "
            f"WHERE __cs_vto > {c}"
            if has_history
            else ""
        )
        ins = (
            f"SELECT *, {key} AS __cs_k FROM ({live}{ended}) "
            f"WHERE __cs_from > {o} AND __cs_from <= {c}"
        )
    if has_history:
        dels = (
            f"SELECT {col_list}, {v} AS __cs_from, {key} AS __cs_k FROM "
            f"{cat.history_name(table)} WHERE {v} <= {o} AND __cs_vto > {o} AND __cs_vto <= {c}"
        )
    else:
        dels = (
            f"SELECT {col_list}, 0 AS __cs_from, '' AS __cs_k FROM {cat.physical(table)} "
            "WHERE FALSE"
        )
    # Walk UPDATE links back from each inserted version to the version alive at the offset.
    # UNION (not UNION ALL): equal rows updated alike leave equal links, walked once.
    chain = (
        "__cs_chain(ins_key, old_key, old_from) AS ("
        f"SELECT new_key, old_key, old_from FROM {links} "
        f"WHERE table_id = {tid} AND version > {o} AND version <= {c} "
        "AND new_key IN (SELECT __cs_k FROM __cs_ins) "
        f"UNION SELECT ch.ins_key, l.old_key, l.old_from FROM __cs_chain ch JOIN {links} l "
        f"ON l.table_id = {tid} AND l.new_key = ch.old_key AND l.version = ch.old_from "
        f"WHERE ch.old_from > {o})"
    )
    numbered_ins = "SELECT *, row_number() OVER (PARTITION BY __cs_k) AS __cs_n FROM __cs_ins"
    numbered_del = "SELECT *, row_number() OVER (PARTITION BY __cs_k) AS __cs_n FROM __cs_del"
    insert_meta = meta.format(
        action="'INSERT'",
        update="m.__cs_dk IS NOT NULL",
        row="coalesce(m.__cs_dk || ':' || m.__cs_dn, i.__cs_k || ':' || i.__cs_n)",
    )
    delete_meta = meta.format(
        action="'DELETE'",
        update="m.__cs_ik IS NOT NULL",
        row="d.__cs_k || ':' || d.__cs_n",
    )
    ins_cols = ", ".join(f"i.{c_}" for c_ in cols)
    del_cols = ", ".join(f"d.{c_}" for c_ in cols)
    return (
        f"(WITH RECURSIVE __cs_ins AS ({ins}), __cs_del AS ({dels}), {chain}, "
        f"__cs_ni AS ({numbered_ins}), __cs_nd AS ({numbered_del}), "
        f"__cs_m AS ({_pairs(o)}) "
        f"SELECT {ins_cols}, {insert_meta} FROM __cs_ni i LEFT JOIN __cs_m m "
        "ON m.__cs_ik = i.__cs_k AND m.__cs_in = i.__cs_n "
        f"UNION ALL SELECT {del_cols}, {delete_meta} FROM __cs_nd d LEFT JOIN __cs_m m "
        "ON m.__cs_dk = d.__cs_k AND m.__cs_dn = d.__cs_n)"
    )


def _pairs(offset: int) -> str:
    """The UPDATE pairs among the change rows, one-to-one: rows (__cs_ik, __cs_in) of the
    inserted versions and (__cs_dk, __cs_dn) of the deleted ones (key, number among equal rows).

    An inserted key K descends (by `__cs_chain`) from deleted keys D1, D2, … and a deleted key
    from several inserted ones. K's rows are dealt out to its Ds in key order, each D a slot as
    long as D's row count; D's rows likewise to its Ks. A pair (K, D) then matches rows at the
    same place in K's slot for D and D's slot for K, as many as both slots hold; the pairs are
    generated (not found by joining equal keys with each other), so the work is linear in the
    rows paired."""
    counted_ins = "SELECT __cs_k, count(*) AS __cs_c FROM __cs_ins GROUP BY __cs_k"
    counted_del = "SELECT __cs_k, count(*) AS __cs_c FROM __cs_del GROUP BY __cs_k"
    before = "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING"
    slots = (
        "SELECT p.ins_key AS __cs_ik, p.old_key AS __cs_dk, ci.__cs_c AS __cs_ci, "
        "cd.__cs_c AS __cs_cd, "
        "coalesce(sum(cd.__cs_c) OVER (PARTITION BY p.ins_key ORDER BY p.old_key "
        f"{before}), 0) AS __cs_is, "
        "coalesce(sum(ci.__cs_c) OVER (PARTITION BY p.old_key ORDER BY p.ins_key "
        f"{before}), 0) AS __cs_ds "
        "FROM (SELECT DISTINCT ins_key, old_key FROM __cs_chain "
        f"WHERE old_from <= {int(offset)}) p "
        f"JOIN ({counted_ins}) ci ON ci.__cs_k = p.ins_key "
        f"JOIN ({counted_del}) cd ON cd.__cs_k = p.old_key"
    )
    return (
        "SELECT s.__cs_ik, s.__cs_is + j.__cs_j AS __cs_in, s.__cs_dk, "
        f"s.__cs_ds + j.__cs_j AS __cs_dn FROM ({slots}) s, "
        "unnest(range(1, CAST(greatest(least(s.__cs_cd - s.__cs_ds, s.__cs_ci - s.__cs_is), 0) "
        "+ 1 AS BIGINT))) AS j(__cs_j)"
    )


def record_links(
    cat: ProjectCatalog,
    table: TableMeta,
    match_table: str,
    new_values: list[str],
    version: int,
    *,
    read_version: str = "",
) -> None:
    """For an UPDATE at `version`: link each updated row's old version (its live row, aliased
    `OLD`, found by rowid in `match_table`'s __cs_rid) to its new one (`new_values`, SQL over
    the match table aliased `MATCH` and the old row, one per column).

    With `read_version` (the match table's column holding the version that wrote each row),
    the match table holds the old rows' columns itself and `new_values` refer to `MATCH` only:
    no lookup of the live rows by rowid (measured on 10M rows, the join cost half of a 1M-row
    UPDATE's link step)."""
    old = MATCH if read_version else OLD
    old_version = f"{MATCH}.{read_version}" if read_version else ""
    old_key = row_key_sql(table.all_columns, prefix=f"{old}.", version=old_version)
    values = [f"CAST({nv} AS VARCHAR)" for nv in new_values]
    values.append(f"CAST({int(version)} AS VARCHAR)")
    new_key = f"md5(to_json([{', '.join(values)}]))"
    source = (
        f"{match_table} {MATCH}"
        if read_version
        else f"{cat.physical(table)} {OLD} JOIN {match_table} {MATCH} "
        f"ON {OLD}.rowid = {MATCH}.__cs_rid"
    )
    written = old_version or f"{OLD}.{quote_ident(VERSION_COLUMN)}"
    cat.con.execute(
        f"INSERT INTO {cat.meta_schema}.row_links SELECT {int(table.table_id)}, {int(version)}, "
        f"{old_key}, {new_key}, {written} FROM {source}"
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
