"""Each table's row count and logical size, stored in its file (`__cs.table_stats`) and changed
in the same DuckDB transaction as the table's rows.

SHOW TABLES, SHOW OBJECTS, INFORMATION_SCHEMA.TABLES and DESC print a table's row count and size
(`ProjectCatalog.table_size`'s logical bytes); counting them per table was a scan of every table
(8 s over 10,000 tables). So every write keeps them: a write notes what it changes while it runs
(`wrote`: rows stamped with its version; `removing`/`removed`: rows it ends; `emptied`,
`same_as`: the table's new totals), and `apply` adds it up just before the commit. Being part of
the write's DuckDB transaction, the numbers commit, roll back and replay after a crash with the
rows. A table with no stored row (none yet: views, external tables; or a path that could not
know) is counted when shown, never guessed.

The stored numbers are the present's. A reader that must not see another session's open
transaction (Snowflake's `read_cap`) counts the rows it may see instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from cloneshell.engine.core.catalog import VERSION_COLUMN, ProjectCatalog, TableMeta, row_width
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.grammar.records import record


@record(slots=True)
class Change:
    """What one write did to one table's totals: a new base (`emptied`, `same_as`), rows and
    bytes added or ended, and whether it stamped rows with its version (counted at `apply`)."""

    table: TableMeta
    base: tuple[int, int] | None = None
    rows: int = 0
    bytes: int = 0
    written: bool = False
    recount: bool = False


def _change(cat: ProjectCatalog, table: TableMeta) -> Change:
    found: Change | None = cat.stats_changes.get(table.table_id)
    if found is None:
        found = Change(table)
        cat.stats_changes[table.table_id] = found
    return found


def wrote(cat: ProjectCatalog, table: TableMeta) -> None:
    """The write stamps rows of `table` with its version (INSERT, UPDATE, COPY, CTAS …): the
    live rows carrying it are counted when it commits."""
    _change(cat, table).written = True


def removed(cat: ProjectCatalog, table: TableMeta, rows: int, size: int) -> None:
    """The write ends `rows` rows of `size` bytes that earlier versions wrote."""
    change = _change(cat, table)
    change.rows -= rows
    change.bytes -= size


def removing(
    cat: ProjectCatalog, table: TableMeta, where: str, params: Sequence[object], version: int
) -> None:
    """The write is about to end the live rows `where` selects: those earlier versions wrote
    are counted first."""
    v = quote_ident(VERSION_COLUMN)
    rows, size = cat.measure(table, f"WHERE ({where}) AND {v} <> {int(version)}", params)
    removed(cat, table, rows, size)


def removed_from(cat: ProjectCatalog, table: TableMeta, relation: str, width: str) -> None:
    """The write ends the rows of `relation` (one row each), whose column `width` holds each
    one's size (`width_of`, computed when they were read)."""
    row = cat.con.execute(f"SELECT count(*), coalesce(sum({width}), 0) FROM {relation}").fetchone()
    if row is not None:
        removed(cat, table, int(row[0]), int(row[1]))


def width_of(table: TableMeta, prefix: str = "") -> str:
    """SQL of a row's size, its columns read as `prefix` + name (for `removed_from`)."""
    return f"({row_width(table.all_columns, prefix)})"


def emptied(cat: ProjectCatalog, table: TableMeta) -> None:
    """Every row of `table` is gone (TRUNCATE, INSERT OVERWRITE, a clone over it)."""
    same_as(cat, table, 0, 0)


def same_as(cat: ProjectCatalog, table: TableMeta, rows: int, size: int) -> None:
    """`table` now holds exactly `rows` rows of `size` bytes, before what the write adds next."""
    change = _change(cat, table)
    change.base, change.rows, change.bytes = (rows, size), 0, 0


def recount(cat: ProjectCatalog, table: TableMeta) -> None:
    """The write changed `table` in a way it does not count (ALTER TABLE on its columns): its
    totals are counted again when it commits."""
    _change(cat, table).recount = True


def apply(cat: ProjectCatalog, first: int, last: int | None = None) -> None:
    """Add up the changes of the write committing versions `first`..`last` (one version by
    default) into the stored totals; called inside its transaction, just before the commit."""
    changes, cat.stats_changes = cat.stats_changes, {}
    last = first if last is None else last
    m = cat.meta_schema
    v = quote_ident(VERSION_COLUMN)
    for table_id, change in changes.items():
        if change.recount:
            rows, size = cat.measure(change.table)
            _store(cat, table_id, rows, size)
            continue
        rows, size = change.rows, change.bytes
        if change.written:
            added = cat.measure(change.table, f"WHERE {v} BETWEEN {int(first)} AND {int(last)}")
            rows, size = rows + added[0], size + added[1]
        if change.base is not None:
            _store(cat, table_id, change.base[0] + rows, change.base[1] + size)
        elif rows or size:
            # A table with no stored totals keeps none: it is counted when shown.
            cat.con.execute(
                f"UPDATE {m}.table_stats SET row_count = row_count + ?, bytes = bytes + ? "
                "WHERE table_id = ?",
                [rows, size, table_id],
            )


def discard(cat: ProjectCatalog) -> None:
    """The write rolled back: what it noted is forgotten."""
    cat.stats_changes = {}


def adjust(cat: ProjectCatalog, table_id: int, rows: int, size: int) -> None:
    """Change one table's stored totals now (a transaction's ROLLBACK, which is a write of its
    own)."""
    if rows or size:
        cat.con.execute(
            f"UPDATE {cat.meta_schema}.table_stats SET row_count = row_count + ?, "
            "bytes = bytes + ? WHERE table_id = ?",
            [rows, size, table_id],
        )


def forget(cat: ProjectCatalog, table_id: int) -> None:
    """A table's storage is gone (purged, dropped without Time Travel)."""
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.table_stats WHERE table_id = ?", [table_id])


def _store(cat: ProjectCatalog, table_id: int, rows: int, size: int) -> None:
    m = cat.meta_schema
    cat.con.execute(f"DELETE FROM {m}.table_stats WHERE table_id = ?", [table_id])
    cat.con.execute(f"INSERT INTO {m}.table_stats VALUES (?, ?, ?)", [table_id, rows, size])


def stored(cat: ProjectCatalog) -> dict[int, tuple[int, int]]:
    """The stored (row count, size) of every table that has them, by table id."""
    rows = cat.con.execute(
        f"SELECT table_id, row_count, bytes FROM {cat.meta_schema}.table_stats"
    ).fetchall()
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


def stored_one(cat: ProjectCatalog, table: TableMeta) -> tuple[int, int] | None:
    """The stored (row count, size) of one table, or None."""
    row = cat.con.execute(
        f"SELECT row_count, bytes FROM {cat.meta_schema}.table_stats WHERE table_id = ?",
        [table.table_id],
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def copied(
    cat: ProjectCatalog, table: TableMeta, source_cat: ProjectCatalog, source: TableMeta
) -> None:
    """`table` was filled with every live row of `source` (a clone of the present): the same
    totals (a logical size is equal for a table and its clone), counted if `source` has none."""
    found = stored_one(source_cat, source)
    if found is None:
        wrote(cat, table)
    else:
        same_as(cat, table, *found)


def totals(
    cat: ProjectCatalog,
    tables: Iterable[TableMeta],
    read: Callable[[TableMeta], str] | None = None,
) -> dict[int, tuple[int, int]]:
    """(row count, size) of each managed table of `tables`, by table id: the stored totals,
    counted for a table that has none. With `read` (a function of a table giving the SQL of
    the rows the reader may see, for a reader kept from another session's open transaction)
    every table is counted from those rows instead."""
    wanted = [t for t in tables if t.kind == "managed"]
    if read is not None:
        return {t.table_id: _count(cat, t, read(t)) for t in wanted}
    found = stored(cat) if wanted else {}
    return {t.table_id: found.get(t.table_id) or cat.measure(t) for t in wanted}


def _count(cat: ProjectCatalog, table: TableMeta, relation: str) -> tuple[int, int]:
    row = cat.con.execute(
        f"SELECT count(*), coalesce(sum({row_width(table.all_columns)}), 0) FROM {relation} AS r"
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
