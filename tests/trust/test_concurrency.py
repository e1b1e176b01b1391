"""Two shells, one warehouse (docs/trust.md): statements from several `cloneshell` processes
interleave; a writer waits up to the lock timeout and then fails with a coded error naming the
project; readers share a file; a shell between statements lets another in; a REVOKE or REMOVE
USER reaches an already-open shell at its next statement; afterwards everything matches the
log of successful statements (the short version of scripts/concurrency)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from crash_helpers import load_script

from cloneshell.engine import Session
from cloneshell.shell.config import UsageError, explicit_options, parse_args
from cloneshell.shell.settings import apply_to_config, from_mapping

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shell"))
from repl_driver import Terminal, cloneshell_argv, shell_env  # noqa: E402

OWNER = "ALIYUN$owner@aliyun.com"
BOB = "ALIYUN$bob@aliyun.com"


def cloneshell(warehouse: Path, *args: str, user: str = OWNER) -> subprocess.CompletedProcess[str]:
    """Run `cloneshell -w WAREHOUSE -u USER ARGS` to its end."""
    env = {k: v for k, v in os.environ.items() if k != "CLONESHELL_LOCK_TIMEOUT"}
    cmd = [*cloneshell_argv(warehouse, "-u", user), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Path]:
    """my_project (table t, one row; bob a member with Select on t) and other_proj (table u)."""
    root = tmp_path / "wh"
    s = Session.open(root, principal=OWNER)
    try:
        for sql in (
            "CREATE TABLE t (v BIGINT)",
            "INSERT INTO t VALUES (1)",
            f"ADD USER {BOB}",
            f"GRANT CreateInstance ON PROJECT my_project TO USER {BOB}",
            f"GRANT Select ON TABLE t TO USER {BOB}",
            "CREATE PROJECT other_proj",
            "USE other_proj",
            "CREATE TABLE u (v BIGINT)",
        ):
            s.execute(sql)
    finally:
        s.close()
    yield root


def hold(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Hold a file as another process would (this test process is not the shell's)."""
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{path}' AS held{' (READ_ONLY)' if read_only else ''}")
    return con


def test_random_mix_of_statements_matches_the_log(tmp_path: Path) -> None:
    conc = load_script("concurrency")
    report = conc.run(
        seconds=5, workers=3, seed=20240115, work=tmp_path, per_script=12, compaction=False
    )
    lines = conc.summary(report)
    print("\n".join(lines))
    assert report.problems == [], lines
    done = {
        kind: sum(1 for s in report.statements if s.kind == kind and s.ok)
        for kind in ("insert", "select", "clone", "grant")
    }
    assert all(done.values()), done


def test_drop_and_create_project_under_readers_and_writers_matches_the_log(
    tmp_path: Path,
) -> None:
    """Defect 3 in the mix: p_c dropped and created again (often, here) while the other
    workers insert into and read it; its last incarnation holds exactly the INSERTs that
    succeeded into it, none succeeds after its last DROP (concurrency.churn_problems)."""
    conc = load_script("concurrency")
    report = conc.run(
        seconds=8,
        workers=3,
        seed=20261207,
        work=tmp_path,
        per_script=12,
        churn=0.3,
        compaction=False,
    )
    lines = conc.summary(report)
    print("\n".join(lines))
    assert report.problems == [], lines
    churned = [s for s in report.statements if s.project == conc.CHURN and s.ok]
    kinds = {s.kind for s in churned}
    assert {"drop", "create", "create_table"} <= kinds, lines
    assert {"insert", "select"} & kinds, lines


def test_compaction_under_concurrent_readers_matches_the_log(tmp_path: Path) -> None:
    """Defect 9 in the mix: a Snowflake database's file is compacted (replaced by a copy)
    again and again while another process reads it in a loop and one MaxCompute worker runs
    its mix; every read is a snapshot holding every batch committed before it started
    (concurrency.compaction_problems)."""
    conc = load_script("concurrency")
    report = conc.run(seconds=20, workers=1, seed=20261208, work=tmp_path, per_script=12)
    lines = conc.summary(report)
    print("\n".join(lines))
    assert report.problems == [], lines
    assert report.compactions >= 1, lines
    reads = [s for s in report.statements if s.kind == "sf_select" and s.ok]
    assert len(reads) >= 10, lines


def test_a_writer_waits_then_fails_naming_the_project(warehouse: Path) -> None:
    con = hold(warehouse / "projects" / "my_project.duckdb")
    try:
        out = cloneshell(warehouse, "--lock-timeout", "0.5", "-e", "INSERT INTO t VALUES (2);")
        # Another project is not held: its statements run.
        other = cloneshell(warehouse, "-e", "INSERT INTO other_proj.u VALUES (7);")
    finally:
        con.close()
    assert out.returncode == 1
    assert (
        "FAILED: ODPS-0420051: Project my_project is busy: another cloneshell holds its file "
        "(waited 0.5s)" in out.stderr
    )
    assert "--lock-timeout" in out.stderr  # the hint
    assert other.returncode == 0, other.stderr
    after = cloneshell(warehouse, "--format", "csv", "-e", "SELECT count(*) FROM t;")
    assert after.stdout.splitlines()[-1] == "1"  # the failed INSERT changed nothing


def test_the_registry_held_fails_with_its_own_message(warehouse: Path) -> None:
    con = hold(warehouse / "warehouse.duckdb")
    try:
        out = cloneshell(warehouse, "--lock-timeout", "0.3", "-e", "SELECT 1;")
    finally:
        con.close()
    assert out.returncode == 2
    assert "The warehouse registry is busy" in out.stderr
    assert "(waited 0.3s)" in out.stderr


def test_snowflake_names_the_database(warehouse: Path) -> None:
    s = Session.open(warehouse, dialect="snowflake")
    try:
        s.execute("CREATE DATABASE sales")
        file = s.warehouse.get_database("SALES").file  # type: ignore[union-attr]
    finally:
        s.close()
    con = hold(warehouse / "projects" / f"{file}.duckdb")
    try:
        out = cloneshell(
            warehouse,
            "--dialect",
            "snowflake",
            "--lock-timeout",
            "0.2",
            "-e",
            "CREATE TABLE sales.public.t (v INT);",
            user="CLONESHELL",
        )
    finally:
        con.close()
    assert out.returncode == 1
    assert "000630 (57014): Database SALES is busy" in out.stderr


def test_readers_share_a_file_writers_wait_for(warehouse: Path) -> None:
    # A long CLONE holds its source read-only for its whole length: readers go on at once
    # (no waiting at all: --lock-timeout 0), a writer of the source waits for the clone.
    con = hold(warehouse / "projects" / "my_project.duckdb", read_only=True)
    try:
        read = cloneshell(
            warehouse, "--lock-timeout", "0", "--format", "csv", "-e", "SELECT count(*) FROM t;"
        )
        write = cloneshell(warehouse, "--lock-timeout", "0.3", "-e", "INSERT INTO t VALUES (3);")
    finally:
        con.close()
    assert read.returncode == 0, read.stderr
    assert read.stdout.splitlines()[-1] == "1"
    assert write.returncode == 1
    assert "Project my_project is busy" in write.stderr


def test_a_script_between_statements_lets_another_shell_in(warehouse: Path, tmp_path: Path) -> None:
    # Shell A reads t, then waits for more script (`\\i` of a named pipe), keeping the
    # project between its statements. Shell B's INSERT waits for it. A's next statement ends,
    # A lets the project go because B waits, and B gets in before A's statement after that.
    more = tmp_path / "more.sql"
    os.mkfifo(more)
    script = tmp_path / "a.sql"
    script.write_text(f"SELECT count(*) FROM t;\n\\i {more}\n")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("CLONESHELL_LOCK_TIMEOUT", None)
    argv = cloneshell_argv(warehouse, "-u", OWNER, "--lock-timeout", "60")
    a = subprocess.Popen(
        [*argv, "--format", "csv", "-f", str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    b: subprocess.Popen[str] | None = None
    try:
        assert a.stdout is not None
        assert [a.stdout.readline().strip() for _ in range(2)] == ["_c0", "1"]
        b = subprocess.Popen(
            [*argv, "-e", "INSERT INTO t VALUES (2);"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        marker = warehouse / "locks" / f"my_project.duckdb.{b.pid}"
        deadline = time.monotonic() + 60
        while not marker.exists() and b.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert marker.exists(), "B never waited for the project A holds"
        more.write_text("SELECT 1;\nSELECT count(*) FROM t;\n")
        _, b_errors = b.communicate(timeout=120)
        rest, a_errors = a.communicate(timeout=120)
    finally:
        for proc in (a, b):
            if proc is not None and proc.poll() is None:
                proc.kill()
    assert b.returncode == 0, b_errors
    assert a.returncode == 0, a_errors
    assert rest.splitlines()[-1] == "2"  # A's last read came after B's INSERT


@pytest.fixture
def bob_shell(warehouse: Path, tmp_path: Path) -> Iterator[Terminal]:
    """Bob's interactive shell, open in my_project."""
    term = Terminal(cloneshell_argv(warehouse, "-u", BOB), shell_env(tmp_path / "home"))
    try:
        term.expect_prompt()
        yield term
    finally:
        term.close()


def _select_t(term: Terminal) -> str:
    term.line("SELECT count(*) FROM t;")
    return term.expect_prompt()


def test_revoke_reaches_an_open_shell_at_its_next_statement(
    warehouse: Path, bob_shell: Terminal
) -> None:
    assert re.search(r"^\| 1 +\|$", _select_t(bob_shell), re.MULTILINE)
    out = cloneshell(warehouse, "-e", f"REVOKE Select ON TABLE t FROM USER {BOB};")
    assert out.returncode == 0, out.stderr
    assert "You have NO privilege 'odps:Select'" in _select_t(bob_shell)
    out = cloneshell(warehouse, "-e", f"GRANT Select ON TABLE t TO USER {BOB};")
    assert out.returncode == 0, out.stderr
    assert re.search(r"^\| 1 +\|$", _select_t(bob_shell), re.MULTILINE)


def test_remove_user_reaches_an_open_shell_at_its_next_statement(
    warehouse: Path, bob_shell: Terminal
) -> None:
    assert re.search(r"^\| 1 +\|$", _select_t(bob_shell), re.MULTILINE)
    out = cloneshell(warehouse, "-e", f"REMOVE USER {BOB};")
    assert out.returncode == 0, out.stderr
    assert "ODPS-0420095: Access Denied - You don't exist in project my_project" in _select_t(
        bob_shell
    )


# ---------------------------------------------------------------------------- the setting


def test_lock_timeout_flag() -> None:
    assert parse_args(["--lock-timeout", "2.5"]).lock_timeout == 2.5
    assert parse_args([]).lock_timeout is None
    for bad in ("-1", "soon", "nan"):
        with pytest.raises(UsageError, match="invalid number of seconds"):
            parse_args(["--lock-timeout", bad])


def test_lock_timeout_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLONESHELL_LOCK_TIMEOUT", raising=False)
    settings = from_mapping({"lock_timeout": 30})
    assert apply_to_config(parse_args([]), explicit_options([]), settings).lock_timeout == 30.0
    # The flag and the environment win over the file.
    assert (
        apply_to_config(
            parse_args(["--lock-timeout", "1"]), explicit_options([]), settings
        ).lock_timeout
        == 1
    )
    monkeypatch.setenv("CLONESHELL_LOCK_TIMEOUT", "5")
    assert apply_to_config(parse_args([]), explicit_options([]), settings).lock_timeout is None
    bad = from_mapping({"lock_timeout": "long"})
    assert bad.lock_timeout is None and "lock_timeout must be a number" in bad.warnings[0]


def test_lock_timeout_default_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLONESHELL_LOCK_TIMEOUT", raising=False)
    s = Session.open(tmp_path / "a")
    assert s.warehouse.lock_timeout == 10.0
    s.close()
    monkeypatch.setenv("CLONESHELL_LOCK_TIMEOUT", "3")
    s = Session.open(tmp_path / "a")
    assert s.warehouse.lock_timeout == 3.0
    s.close()
    s = Session.open(tmp_path / "a", lock_timeout=0.5)
    assert s.warehouse.lock_timeout == 0.5
    s.close()
