"""Prototypes of constant-time table clones on cloneshell's storage, measured (docs/zero-copy.md).

Not wired into the product: it builds a Snowflake table through the engine (so the rows, types
and the `__cs_v` version column are stored exactly as a user's are), makes today's clone of it
through the engine (the re-encoding copy, the baseline), then works on the database file with
DuckDB directly, the way each design's engine code would:

A. *reference clone*: the clone is a catalog row naming its source table and the source
   version it was cloned at, plus an empty table of its own rows. Its present is the source as
   of that version (live rows written at or before it, plus history rows alive at it: the
   existing Time Travel read) plus its own rows. The source keeps the history a clone still
   reads (a pin, as streams already extend retention); the clone's first UPDATE/DELETE copies
   the rows it reads into its own table (copy on first write).
B. *shared segments*: a table's settled rows are an immutable Parquet file (a segment) plus a
   small DuckDB table of rows written since and a tombstone table of segment row numbers
   deleted since. A clone is a catalog row listing the same segments, and empty delta and
   tombstone tables of its own.

Each figure is the median of `--repeat` runs (wall-clock seconds). `--rows` defaults to 10M.
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

COLS = '"ID", "K", "X", "S"'
READ = 'SELECT sum("ID"), sum("K"), sum("X"), count(*) FROM ({rel})'
SELECTIVE = 'SELECT count(*), sum("X") FROM ({rel}) WHERE "K" = 7'


def timed(fn: Callable[[], object], repeat: int) -> float:
    """The median wall-clock seconds of `repeat` runs of `fn`."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def build(root: Path, rows: int) -> tuple[Path, Path, float]:
    """A warehouse with DB.PUBLIC.T (`rows` rows, retention 1) and today's clone of it, C.
    Returns the warehouse, the database file and the engine's CLONE seconds (one run)."""
    from cloneshell.engine import Session

    wh = root / "wh"
    s = Session.open(wh, dialect="snowflake")
    s.execute("CREATE DATABASE zc_db")
    s.execute(
        "CREATE TABLE t (id NUMBER, k NUMBER, x FLOAT, s VARCHAR) DATA_RETENTION_TIME_IN_DAYS = 1"
    )
    s.execute("CREATE TABLE digits (i BIGINT)")
    s.execute("INSERT INTO digits VALUES " + ", ".join(f"({i})" for i in range(10)))
    digits = max(1, round(math.log10(rows)))
    ident = "(" + " + ".join(f"d{k}.i * {10**k}" for k in range(digits)) + ")"
    froms = ", ".join(f"digits d{k}" for k in range(digits))
    s.execute(
        f"INSERT INTO t SELECT {ident}, {ident} % 1000, {ident} * 0.5, "
        f"'row-' || ({ident} % 100000) FROM {froms}"
    )
    s.idle()
    start = time.perf_counter()
    s.execute("CREATE TABLE c CLONE t")
    s.idle()
    clone_seconds = time.perf_counter() - start
    s.close()
    import duckdb

    reg = duckdb.connect(str(wh / "warehouse.duckdb"), read_only=True)
    row = reg.execute("SELECT file FROM databases WHERE name = 'ZC_DB'").fetchone()
    reg.close()
    assert row is not None
    return wh, wh / "projects" / f"{row[0]}.duckdb", clone_seconds


def physical(con: Any, name: str) -> tuple[str, int]:
    row = con.execute(
        "SELECT physical_schema, physical_name, table_id FROM __cs.tables WHERE name = ? "
        "AND dropped_version IS NULL",
        [name],
    ).fetchone()
    assert row is not None, name
    return f'"{row[0]}"."{row[1]}"', int(row[2])


def latest_version(con: Any) -> int:
    return int(con.execute("SELECT max(version) FROM __cs.commits").fetchone()[0])


def as_of(live: str, hist: str | None, version: int) -> str:
    """The engine's Time Travel read (storage.read_sql) of a table at `version`."""
    sql = f"SELECT {COLS} FROM {live} WHERE __cs_v <= {version}"
    if hist is not None:
        sql += (
            f" UNION ALL SELECT {COLS} FROM {hist} WHERE __cs_v <= {version} "
            f"AND __cs_vto > {version}"
        )
    return sql


def design_a(db_file: Path, repeat: int, out: dict[str, float]) -> None:
    """The reference clone, in the source's own file and from another database's file."""
    import duckdb

    con = duckdb.connect(str(db_file))
    t, tid = physical(con, "T")
    copied_table, _ = physical(con, "C")
    copied = f"SELECT {COLS} FROM {copied_table}"
    hist = f'__cs."h_{tid}"'
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {hist} AS SELECT {COLS}, __cs_v, 0::BIGINT AS __cs_vto "
        f"FROM {t} LIMIT 0"
    )
    con.execute("CREATE TABLE IF NOT EXISTS __cs.clone_pins (table_id BIGINT, version BIGINT)")

    def clone(n: int) -> None:
        con.execute("BEGIN")
        base = latest_version(con)
        con.execute("INSERT INTO __cs.clone_pins VALUES (?, ?)", [tid, base])
        con.execute(f"CREATE TABLE main.zc_own{n} AS SELECT {COLS}, __cs_v FROM {t} LIMIT 0")
        con.execute("COMMIT")

    counter = iter(range(1_000_000))
    out["A clone (catalog row + pin + empty own table)"] = timed(
        lambda: clone(next(counter)), repeat
    )
    base = latest_version(con)
    own = "main.zc_own0"
    rel = f"{as_of(t, hist, base)} UNION ALL SELECT {COLS} FROM {own}"
    out["copied table: read"] = timed(
        lambda: con.execute(READ.format(rel=copied)).fetchall(), repeat
    )
    out["A clone: read, source unchanged"] = timed(
        lambda: con.execute(READ.format(rel=rel)).fetchall(), repeat
    )
    out["copied table: selective read"] = timed(
        lambda: con.execute(SELECTIVE.format(rel=copied)).fetchall(), repeat
    )
    out["A clone: selective read, source unchanged"] = timed(
        lambda: con.execute(SELECTIVE.format(rel=rel)).fetchall(), repeat
    )
    # The source changes 10% of its rows: its history keeps the old versions (the pin keeps
    # them past retention), its live rows carry the new version.
    new = base + 1
    pred = '"ID" % 10 = 3'

    def source_update() -> None:
        con.execute("BEGIN")
        con.execute(f"INSERT INTO {hist} SELECT {COLS}, __cs_v, {new} FROM {t} WHERE {pred}")
        con.execute(f'UPDATE {t} SET "X" = "X" + 1, __cs_v = {new} WHERE {pred}')
        con.execute(
            f"INSERT INTO __cs.commits VALUES ({new}, 'proto', now()::TIMESTAMP, 'proto', "
            "'UPDATE', NULL)"
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")

    def plain_update() -> None:
        con.execute(f'UPDATE {copied_table} SET "X" = "X" + 1 WHERE {pred}')
        con.execute("CHECKPOINT")

    out["source UPDATE 10%, history kept (pinned)"] = timed(source_update, 1)
    out["copied table UPDATE 10%, no history"] = timed(plain_update, 1)
    out["A clone: read after the source's UPDATE"] = timed(
        lambda: con.execute(READ.format(rel=rel)).fetchall(), repeat
    )
    out["A clone: selective read after the source's UPDATE"] = timed(
        lambda: con.execute(SELECTIVE.format(rel=rel)).fetchall(), repeat
    )
    # Writes on the clone: an INSERT goes to its own table; its first UPDATE/DELETE copies the
    # rows it reads into its own table (the cost of today's clone, paid later, once).
    out["A clone: INSERT of 1,000 rows"] = timed(
        lambda: con.execute(
            f"INSERT INTO {own} SELECT i, 1, 0.5, 'new', {new} FROM range(1000) r(i)"
        ),
        repeat,
    )

    def materialise() -> None:
        con.execute("BEGIN")
        con.execute(f"CREATE TABLE main.zc_mat AS {rel}")
        con.execute("DELETE FROM __cs.clone_pins WHERE version = ?", [base])
        con.execute("COMMIT")
        con.execute("CHECKPOINT")

    out["A clone: first UPDATE/DELETE materialises (copy on first write)"] = timed(materialise, 1)
    con.close()
    # From another database: the clone's file attaches the source's file read-only.
    other = db_file.with_name("zc_other.duckdb")
    ocon = duckdb.connect(str(other))

    def cross_read() -> None:
        ocon.execute(f"ATTACH '{db_file}' AS src (READ_ONLY)")
        ocon.execute(READ.format(rel=as_of(f"src.{t}", f"src.{hist}", base))).fetchall()
        ocon.execute("DETACH src")

    out["A clone in another database: attach + read"] = timed(cross_read, repeat)
    ocon.close()


def design_b(db_file: Path, root: Path, repeat: int, out: dict[str, float]) -> None:
    """Shared immutable Parquet segments."""
    import duckdb

    con = duckdb.connect(str(db_file))
    t, _ = physical(con, "C")
    seg = root / "segments" / "t-000001.parquet"
    seg.parent.mkdir()
    out["B: write the settled rows as a segment (once, at checkpoint)"] = timed(
        lambda: con.execute(
            f"COPY (SELECT {COLS}, __cs_v FROM {t}) TO '{seg}' (FORMAT PARQUET, "
            "ROW_GROUP_SIZE 122880)"
        ),
        1,
    )
    out["B: segment MB (DuckDB file MB beside it)"] = seg.stat().st_size / 1e6
    out["B: DuckDB file MB"] = db_file.stat().st_size / 1e6

    def clone(n: int) -> None:
        con.execute("BEGIN")
        con.execute(f"CREATE TABLE main.zb_delta{n} AS SELECT {COLS}, __cs_v FROM {t} LIMIT 0")
        con.execute(f"CREATE TABLE main.zb_tomb{n} (seg VARCHAR, row_number BIGINT)")
        con.execute("COMMIT")

    counter = iter(range(1_000_000))
    out["B clone (catalog row + empty delta and tombstones)"] = timed(
        lambda: clone(next(counter)), repeat
    )
    segment = f"read_parquet('{seg}', file_row_number = true)"
    delta, tomb = "main.zb_delta0", "main.zb_tomb0"
    plain = f"SELECT {COLS} FROM {segment} UNION ALL SELECT {COLS} FROM {delta}"
    masked = (
        f"SELECT {COLS} FROM {segment} p WHERE NOT EXISTS (SELECT 1 FROM {tomb} d "
        f"WHERE d.row_number = p.file_row_number) UNION ALL SELECT {COLS} FROM {delta}"
    )
    out["B clone: read, no tombstones"] = timed(
        lambda: con.execute(READ.format(rel=plain)).fetchall(), repeat
    )
    out["B clone: selective read, no tombstones"] = timed(
        lambda: con.execute(SELECTIVE.format(rel=plain)).fetchall(), repeat
    )
    pred = '"ID" % 10 = 3'

    def clone_update() -> None:
        # UPDATE 10% on the clone: tombstone the rows' segment positions, write their new
        # versions to the delta (the segment is never written).
        con.execute("BEGIN")
        con.execute(
            f"CREATE TEMP TABLE zb_u AS SELECT file_row_number, {COLS} FROM {segment} WHERE {pred}"
        )
        con.execute(f"INSERT INTO {tomb} SELECT '{seg.name}', file_row_number FROM zb_u")
        con.execute(f'INSERT INTO {delta} SELECT "ID", "K", "X" + 1, "S", 99 FROM zb_u')
        con.execute("DROP TABLE zb_u")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")

    out["B clone: UPDATE 10% (tombstones + delta)"] = timed(clone_update, 1)
    out["B clone: read after its UPDATE 10%"] = timed(
        lambda: con.execute(READ.format(rel=masked)).fetchall(), repeat
    )
    out["B clone: selective read after its UPDATE 10%"] = timed(
        lambda: con.execute(SELECTIVE.format(rel=masked)).fetchall(), repeat
    )
    con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="cs-zerocopy-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        wh, db_file, clone_seconds = build(root, args.rows)
        print(f"built {args.rows:,} rows in {time.perf_counter() - start:.1f}s", flush=True)
        out["today: CREATE TABLE c CLONE t (engine, re-encodes)"] = clone_seconds
        snapshot = root / "a.duckdb"
        shutil.copyfile(db_file, snapshot)
        design_a(snapshot, args.repeat, out)
        snapshot_b = root / "b.duckdb"
        shutil.copyfile(db_file, snapshot_b)
        design_b(snapshot_b, root, args.repeat, out)
        del wh
    width = max(map(len, out))
    for key, value in out.items():
        unit = " MB" if "MB" in key else " s"
        print(f"{key:<{width}}  {value:9.3f}{unit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
