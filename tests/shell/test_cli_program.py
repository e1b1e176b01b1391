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


# ---------------------------------------------------------------------------------------------
# 3. \help is per dialect


def _help(tmp_path: Path, dialect: str, topic: str = "") -> subprocess.CompletedProcess[str]:
    meta = f"\\help {topic}".rstrip()
    return _run(tmp_path, "-w", str(tmp_path / "wh"), "--dialect", dialect, "-e", meta)


def test_snowflake_help_lists_snowflakes_statements(tmp_path: Path) -> None:
    done = _help(tmp_path, "snowflake")
    assert done.returncode == 0, done.stderr
    assert "UNDROP TABLE|SCHEMA|DATABASE" in done.stdout
    assert "USE ROLE r" in done.stdout
    assert "CLONE TABLE [p.]src" not in done.stdout  # MaxCompute's


@pytest.mark.parametrize(
    ("topic", "first_line"),
    [
        ("CLONE", "CREATE [OR REPLACE] TABLE [IF NOT EXISTS] t CLONE src"),
        ("UNDROP", "UNDROP TABLE | SCHEMA | DATABASE name;"),
        ("BEFORE", "SELECT ... FROM t {AT | BEFORE} (TIMESTAMP => ts"),
        ("USE ROLE", "USE [DATABASE] db;   USE SCHEMA [db.]s;   USE ROLE r;   USE WAREHOUSE w;"),
        ("SHOW TABLES HISTORY", "SHOW [TERSE] TABLES | SCHEMAS | DATABASES [HISTORY] [LIKE '...']"),
        ("GRANT OWNERSHIP", "GRANT privilege, ... ON ACCOUNT | DATABASE d | SCHEMA s | TABLE t"),
    ],
)
def test_snowflake_help_pages(tmp_path: Path, topic: str, first_line: str) -> None:
    done = _help(tmp_path, "snowflake", topic)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(first_line), done.stdout


def test_a_topic_of_the_other_dialect_says_how_to_switch(tmp_path: Path) -> None:
    done = _help(tmp_path, "maxcompute", "UNDROP")
    assert done.returncode == 1
    assert "'UNDROP' is a Snowflake statement; \\dialect snowflake switches" in done.stderr
    assert _help(tmp_path, "maxcompute", "CLONE").stdout.startswith("CLONE TABLE [project.]src")


# ---------------------------------------------------------------------------------------------
# 7. Snowflake batch stdout is data only, and SnowSQL's -o options


SF_SCRIPT = (
    "CREATE DATABASE d; CREATE TABLE t (a INT); INSERT INTO t VALUES (1), (2); SELECT a FROM t;"
)


def _snowflake(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    wh = str(tmp_path / "wh")
    return _run(tmp_path, "-w", wh, "--dialect", "snowflake", *args, "-e", SF_SCRIPT)


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "csv"),
        ("-o", "output_format=csv"),
        ("--format", "box", "-o", "output_format=csv"),
    ],
)
def test_snowflake_csv_stdout_is_data_only(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = _snowflake(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "number of rows inserted\n2\nA\n1\n2\n"
    assert "Table T successfully created." in done.stderr
    assert "Database D successfully created." in done.stderr


def test_snowflake_options_header_timing_quiet(tmp_path: Path) -> None:
    done = _snowflake(tmp_path, "-o", "output_format=csv", "-o", "header=false", "-o", "quiet=true")
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("2\n1\n2\n", "")
    box = _snowflake(tmp_path / "box", "-o", "timing=false")
    assert box.returncode == 0, box.stderr
    assert "Row(s) produced" not in box.stdout
    assert "| status                        |" in box.stdout  # SnowSQL's status table stays
    with_timing = _snowflake(tmp_path / "timed")
    assert with_timing.stdout.count("Row(s) produced. Time Elapsed:") == 4


def test_an_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    done = _run(tmp_path, "-o", "colour=blue", "-e", "SELECT 1;")
    assert done.returncode == 2
    assert "unknown option -o 'colour=blue'; known: output_format, header, timing" in done.stderr
    bad = _run(tmp_path, "-o", "header=maybe", "-e", "SELECT 1;")
    assert bad.returncode == 2 and "-o header=maybe: expected true or false" in bad.stderr
