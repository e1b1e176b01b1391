"""Side-by-side benchmarks for the performance budget (run through scripts/bench).

Each benchmark alternates its two sides (A B A B ...) after a warm-up round, on data it builds
itself, and prints median and min-max of each side and of the per-round ratio A/B. Timing
targets live here, never in unit tests: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from cloneshell.engine import Session

ROWS = 10_000_000
GEN = (
    "SELECT range AS id, range % 1000 AS k, random() * 1000 AS x, "
    "'row-' || (range % 100000)::VARCHAR AS s FROM range({n})"
)


def report(
    name: str, a_name: str, b_name: str, a: list[float], b: list[float], target: str
) -> None:
    """Print one benchmark's figures."""
    ratios = [x / y for x, y in zip(a, b, strict=True)]

    def fmt(values: list[float], unit: str = "s") -> str:
        return (
            f"median {statistics.median(values):.3f}{unit}  "
            f"(min {min(values):.3f}{unit}, max {max(values):.3f}{unit})"
        )

    print(f"== {name}: {len(a)} rounds after warm-up")
    print(f"   {a_name:<38} {fmt(a)}")
    print(f"   {b_name:<38} {fmt(b)}")
    print(
        f"   ratio {a_name.split()[0]}/{b_name.split()[0]:<28} {fmt(ratios, '')}   target {target}"
    )


def alternate(
    rounds: int, side_a: Callable[[int], float], side_b: Callable[[int], float]
) -> tuple[list[float], list[float]]:
    """Warm up both sides once, then alternate A B A B ... `rounds` times."""
    side_a(0)
    side_b(0)
    a: list[float] = []
    b: list[float] = []
    for i in range(1, rounds + 1):
        a.append(side_a(i))
        b.append(side_b(i))
    return a, b


def bench_clone(rows: int, rounds: int) -> None:
    """CLONE TABLE into another project vs raw CTAS across two attached DuckDB files."""
    with tempfile.TemporaryDirectory(prefix="cs-bench-") as tmp:
        root = Path(tmp)
        # cloneshell side: a warehouse with src_proj.t and an empty dst_proj
        wh = root / "wh"
        s = Session.open(wh, principal="ALIYUN$bench@aliyun.com")
        s.execute("CREATE PROJECT src_proj")
        s.execute("CREATE PROJECT dst_proj")
        s.execute("CREATE TABLE src_proj.t (id BIGINT, k BIGINT, x DOUBLE, s STRING)")
        s.execute("SELECT count(*) FROM src_proj.t")  # attaches src_proj
        s.warehouse.con.execute(
            f'INSERT INTO "prj_src_proj".main.t SELECT *, 1 FROM ({GEN.format(n=rows)})'
        )
        s.idle()
        # raw side: the same data in a plain DuckDB file
        raw_src, raw_dst = root / "raw_src.duckdb", root / "raw_dst.duckdb"
        con = duckdb.connect(str(raw_src))
        con.execute(f"CREATE TABLE t AS {GEN.format(n=rows)}")
        con.close()
        duckdb.connect(str(raw_dst)).close()

        def ours(i: int) -> float:
            start = time.perf_counter()
            s.execute(f"CLONE TABLE src_proj.t TO dst_proj.t{i}")
            s.idle()  # detach: the file is checkpointed, as the raw side's DETACH does
            elapsed = time.perf_counter() - start
            s.execute(f"DROP TABLE dst_proj.t{i}")
            s.idle()
            return elapsed

        def raw(i: int) -> float:
            start = time.perf_counter()
            c = duckdb.connect()
            c.execute(f"ATTACH '{raw_src}' AS a")
            c.execute(f"ATTACH '{raw_dst}' AS b")
            c.execute(f"CREATE TABLE b.t{i} AS SELECT * FROM a.t")
            c.execute("DETACH a")
            c.execute("DETACH b")
            elapsed = time.perf_counter() - start
            c.execute(f"ATTACH '{raw_dst}' AS b")
            c.execute(f"DROP TABLE b.t{i}")
            c.close()
            return elapsed

        a, b = alternate(rounds, ours, raw)
        s.close()
    report(
        f"clone: CLONE TABLE of {rows:,} rows into another project",
        "cloneshell CLONE TABLE",
        "raw DuckDB CTAS across attached files",
        a,
        b,
        "<= 1.10",
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument("what", choices=["clone", "all"], help="which benchmark to run")
    parser.add_argument("--quick", action="store_true", help="1/10 of the data (smoke run)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds per side")
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    if args.what in ("clone", "all"):
        bench_clone(ROWS // scale, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
