"""scripts/bench still runs every budget line end to end (on tiny data, one round): a smoke
test of the benchmark, never of its timings (those live in scripts/bench's own output)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEYS = (
    "clone",
    "partitions",
    "sfclone",
    "dbclone",
    "history",
    "script",
    "startup",
    "first-prompt",
    # after the clone (issue 17); merge prints a line only once MERGE runs
    "query-ma-join+group",
    "query-sn-partitions+join",
    "update",
    "delete",
    "depth",
    "depth-past",
    "stream",
    "copy-csv",
    "copy-parquet",
    "scale-open",
    "json",  # issue 14
)


def test_bench_all_prints_every_line() -> None:
    # --scale 1000 shrinks the data a hundred times below --quick, to keep CI cheap.
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "all", "--scale", "1000",
         "--rounds", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    for key in KEYS:
        header = next((line for line in out.splitlines() if line.startswith(f"== {key}: ")), None)
        assert header is not None, f"no {key} line in:\n{out}"
        block = out[out.index(header) :]
        assert "peak RSS" in block.splitlines()[1]
        assert block.splitlines()[4].split()[0] in ("ratio", "rate")
    assert "== complete: " in out and "target p99 <= 30 ms" in out
    table = [line for line in out.splitlines() if line.startswith("| ")]
    # the header and rule rows, then one row per line (6 queries per dialect) and completion
    merge = int("== merge: Snowflake MERGE" in out)
    assert len(table) == 2 + len(KEYS) + 10 + merge + 1, table
    assert "== scale-show: SHOW TABLES IN ACCOUNT over 10 tables" in out
    assert "curve (versions: present ratio / past ratio): 10: " in out
    assert "linear: µs per table row " in out
    assert "CPU ratio cloneshell/anchor" in out  # the clone lines' CPU budget
    assert all(line.count(" | ") == 6 for line in table), table
    assert "CLONE TABLE of 10 of 1,000 partitions" in out
    assert "peak memory: cloneshell" in out
