"""The `cloneshell` program itself, run as a user runs it (a subprocess, real engine, real
signals and streams): what issue 16 found a newcomer tripping on in batch mode."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).with_name("cloneshell"))


def _env(tmp_path: Path) -> dict[str, str]:
    return dict(
        os.environ,
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path / "home"),
    )


def _run(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        check=False,
        timeout=120,
    )


# ---------------------------------------------------------------------------------------------
# 1. Ctrl-C stops a script at once


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """A warehouse with `t`, 3000 rows: a three-way cross join of it runs for minutes."""
    wh = tmp_path / "wh"
    rows = ",".join(f"({i})" for i in range(3000))
    done = _run(
        tmp_path, "-w", str(wh), "-e", f"CREATE TABLE t (a BIGINT); INSERT INTO t VALUES {rows};"
    )
    assert done.returncode == 0, done.stderr
    return wh


@pytest.mark.parametrize("source", ["-e", "-f", "stdin"])
def test_ctrl_c_interrupts_a_batch_statement_within_a_second(
    tmp_path: Path, big: Path, source: str
) -> None:
    slow = "INSERT INTO t SELECT x.a FROM t x, t y, t z;"
    args = ["-w", str(big)]
    if source == "-e":
        args += ["-e", slow]
    elif source == "-f":
        script = tmp_path / "slow.sql"
        script.write_text(slow)
        args += ["-f", str(script)]
    proc = subprocess.Popen(
        [EXE, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
    )
    assert proc.stdin is not None
    if source == "stdin":
        proc.stdin.write(slow.encode())
    proc.stdin.close()
    proc.stdin = None  # closed: communicate() must not flush it
    time.sleep(3)  # past start-up, inside the query
    pressed = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    took = time.monotonic() - pressed
    assert proc.returncode == 130, err
    assert took < 1.5, took  # a second, plus the test's own settling on a loaded machine
    assert b"cancelled" in err
    assert b"internal error" not in err and b"Traceback" not in err
    # The statement's transaction rolled back: nothing was inserted.
    count = _run(tmp_path, "-w", str(big), "--format", "csv", "-e", "SELECT count(*) AS n FROM t;")
    assert count.stdout.splitlines() == ["n", "3000"], count.stderr
