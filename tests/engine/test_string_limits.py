"""The vendors' string limits (issue 13, defect 22): Snowflake VARCHAR 16 MB (16,777,216
bytes), MaxCompute STRING 8 MB (8,388,608), enforced by guards the translator writes
(engine/core/strings.py) before a string is built, and DuckDB's memory limit
(engine/core/memory.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_helpers import OWNER_A, fails, rows, run

from cloneshell.engine import Session
from cloneshell.engine.core import memory
from cloneshell.engine.core.errors import EngineError

SF_LIMIT = 16_777_216
MC_LIMIT = 8_388_608


def sf_error(size: int) -> str:
    return (
        f"100082 (22000): Max LOB size ({SF_LIMIT}) exceeded, "
        f"actual size of parsed column is {size}"
    )


def mc_error(size: int) -> str:
    return (
        f"ODPS-0121095:Invalid argument - string length {size} exceeds the STRING limit of "
        f"{MC_LIMIT} bytes"
    )


@pytest.fixture
def mc(tmp_path: Path) -> Iterator[Session]:
    s = Session.open(tmp_path / "mc", principal=OWNER_A)
    run(s, "CREATE PROJECT limits; USE limits")
    yield s
    s.close()


def test_repeat_of_three_billion_fails_at_once(sf: Session, mc: Session) -> None:
    """Took 52 s and 3 GB before the fix (DuckDB built the string, folding the constant)."""
    for s, error in ((sf, sf_error), (mc, mc_error)):
        started = time.monotonic()
        assert fails(s, "SELECT length(repeat('x', 3000000000))").text == error(3_000_000_000)
        assert time.monotonic() - started < 5


def test_repeat_at_the_limit(sf: Session, mc: Session) -> None:
    assert rows(sf, f"SELECT length(repeat('x', {SF_LIMIT}))") == [(SF_LIMIT,)]
    assert fails(sf, f"SELECT repeat('x', {SF_LIMIT + 1})").text == sf_error(SF_LIMIT + 1)
    assert rows(mc, f"SELECT length(repeat('x', {MC_LIMIT}))") == [(MC_LIMIT,)]
    assert fails(mc, f"SELECT repeat('x', {MC_LIMIT + 1})").text == mc_error(MC_LIMIT + 1)


def test_every_string_builder_is_guarded(sf: Session) -> None:
    # Sizes are bytes of the result: 'é' is two.
    cases = {
        "lpad('a', 20000000, 'xy')": 20_000_000,
        f"rpad('ab', {SF_LIMIT}, 'é')": 2 + (SF_LIMIT - 2) * 2,
        "replace(repeat('a', 1000), 'a', repeat('b', 100000))": 100_000_000,
        "concat(repeat('a', 9000000), repeat('b', 9000000))": 18_000_000,
        "repeat('a', 9000000) || 'x' || repeat('b', 9000000)": 18_000_001,
        "concat_ws(',', repeat('a', 9000000), repeat('b', 9000000))": 18_000_001,
        "repeat(repeat(repeat('x', 1000), 1000), 1000)": 1_000_000_000,
    }
    for expr, size in cases.items():
        assert fails(sf, f"SELECT length({expr})").text == sf_error(size), expr
    # Under the limit, results are unchanged (and NULLs stay NULL).
    run(
        sf,
        "CREATE DATABASE d; CREATE TABLE t (s VARCHAR, n INT); "
        "INSERT INTO t VALUES ('ab', 3), (NULL, 2)",
    )
    assert rows(sf, "SELECT repeat(s, 3), lpad(s, 5, '0'), s || '!' FROM t ORDER BY n") == [
        (None, None, None),
        ("ababab", "000ab", "ab!"),
    ]
    assert rows(sf, "SELECT length(repeat(upper(s), 3000)) FROM t WHERE s IS NOT NULL") == [(6000,)]


def test_vendor_examples(sf: Session, mc: Session) -> None:
    """Snowflake REPEAT, LPAD and RPAD pages; MaxCompute REPEAT, LPAD and RPAD pages."""
    assert rows(sf, "SELECT REPEAT('xyz', 5)") == [("xyzxyzxyzxyzxyz",)]
    assert rows(sf, "SELECT LPAD('123.50', 19, '*'), RPAD('123.50', 19, '*')") == [
        ("*************123.50", "123.50*************")
    ]
    assert rows(mc, "SELECT repeat('abc', 5)") == [("abcabcabcabcabc",)]
    assert rows(mc, "SELECT lpad('abcdefgh', 10, '12'), rpad('abcdefgh', 10, '12')") == [
        ("12abcdefgh", "abcdefgh12")
    ]
    assert rows(mc, "SELECT lpad('abcdefgh', 5, '12'), rpad('abcdefgh', 5, '12')") == [
        ("abcde", "abcde")
    ]


def test_a_refused_statement_uses_little_memory(tmp_path: Path) -> None:
    script = (
        "import resource, sys\n"
        "from cloneshell.engine import Session\n"
        f"s = Session.open({str(tmp_path / 'wh')!r}, dialect='snowflake')\n"
        "try:\n"
        "    s.execute(\"SELECT length(repeat('x', 3000000000))\")\n"
        "except Exception as e:\n"
        "    print(type(e).__name__)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    name, peak_mb = out.stdout.split()
    assert name != "MemoryError"
    assert int(peak_mb) < 1024, out.stdout


def test_the_memory_limit(monkeypatch: pytest.MonkeyPatch, sf: Session) -> None:
    total = memory.machine_memory()
    assert total is not None
    monkeypatch.delenv(memory.ENV, raising=False)
    assert memory.memory_limit() == max(int(total * 0.25), 256 << 20)
    for text, want in (("4GB", 4 * 1000**3), ("512MiB", 512 << 20), ("50%", total // 2)):
        monkeypatch.setenv(memory.ENV, text)
        assert abs(memory.memory_limit() - want) <= 1, text
    for bad in ("lots", "0", "-1GB", "150%"):
        monkeypatch.setenv(memory.ENV, bad)
        with pytest.raises(EngineError):
            memory.memory_limit()
    # The session's DuckDB runs under it.
    (value,) = sf.warehouse.con.execute("SELECT current_setting('memory_limit')").fetchone() or (
        "",
    )
    assert str(value).endswith(("GiB", "MiB")), value
