"""`cloneshell serve` as a user starts it: the ready line, a client served, a clean stop on
SIGTERM with the files released, and the warning for a non-loopback address."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
sc = pytest.importorskip("snowflake.connector")

CLONESHELL = str(Path(sys.executable).with_name("cloneshell"))


def _start(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [CLONESHELL, "serve", "-w", str(tmp_path / "wh"), "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.fullmatch(r"listening on http://([^:]+):(\d+)\n", line)
    assert match, line
    if "--host" not in extra:  # loopback unless asked otherwise
        assert match.group(1) == "127.0.0.1"
    return process, int(match.group(2))


def test_serve_prints_ready_line_serves_and_stops_on_sigterm(tmp_path):
    process, port = _start(tmp_path)
    try:
        con = sc.connect(
            account="local",
            user="ME",
            password="x",
            host="127.0.0.1",
            port=port,
            protocol="http",
        )
        cur = con.cursor()
        cur.execute("CREATE DATABASE db1")
        cur.execute("CREATE TABLE t (a INT)")
        cur.execute("INSERT INTO t VALUES (1), (2)")
        con.close()
    finally:
        process.send_signal(signal.SIGTERM)
        status = process.wait(15)
    assert status == 0
    # The files are released: a shell of another process opens the same warehouse at once.
    shell = subprocess.run(
        [
            CLONESHELL,
            "-w",
            str(tmp_path / "wh"),
            "--dialect",
            "snowflake",
            "-u",
            "ME",
            "--lock-timeout",
            "0",
            "-e",
            "SELECT COUNT(*) FROM db1.public.t;",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.splitlines()[-1] == "2"


def test_non_loopback_host_warns(tmp_path):
    process, _ = _start(tmp_path, "--host", "0.0.0.0")
    process.send_signal(signal.SIGINT)
    assert process.wait(15) == 0
    assert process.stderr is not None
    assert "not loopback" in process.stderr.read()


def test_serve_help_is_the_servers(tmp_path):
    shown = subprocess.run([CLONESHELL, "serve", "--help"], capture_output=True, text=True)
    assert shown.returncode == 0
    assert "--port" in shown.stdout and "usage: cloneshell serve" in shown.stdout
