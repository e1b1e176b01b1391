"""`scripts/bench serve --quick` still runs end to end under pytest (one round): both servers
start, the client measures both lines, the concurrent run reports no error. A smoke test of the
benchmark, never of its timings. (It was once dropped for "cloneshell serve did not start" under
pytest with an empty log; it passes under pytest now, and a server that does not start is now
reported with its exit status and its log.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("uvicorn")


def test_bench_serve_prints_both_lines_and_no_concurrent_error() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "serve", "--quick", "--rounds", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    for key in ("serve-roundtrip", "serve-fetch"):
        assert f"== {key}: " in out, out
    assert "fetch 10,000 rows" in out
    assert "8 clients at once × 20 statements" in out and ", 0 errors" in out, out
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert len(table) == 2 + 2, table
