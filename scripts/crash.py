"""Crash atomicity harness (docs/trust.md "Crash atomicity"; run through scripts/crash).

For each statement kind it builds a warehouse through the engine, measures one unkilled run of
the real `cloneshell -e` (its echo line marks the statement's start on stdout, its exit the end,
the checkpoint at close included), then, kill after kill, copies the fixture, starts
`cloneshell` again, kills it with SIGKILL at a random instant (seeded: the same seed gives the
same kill offsets) and reopens the warehouse through the engine, as a user would, with no
manual step. The warehouse must then be exactly the state before the statement or exactly the
state after it — every table of every file and of the registry, counted and checksummed
independently of row order, and every staged file, whole — and consistent: every file
registered, no physical table without its metadata (or the reverse), no row of an
uncommitted version, every partition value in the data listed in the partition metadata, no
leftover (a compaction's copy, a PUT's partial file, a scratch folder).

    scripts/crash [--kills N] [--rows N] [--seed S] [--kinds a,b] [--keep] [--work DIR]

tests/trust/test_crash.py runs the same code with small data and a few kills per kind.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.warehouse import WAREHOUSE_ALIAS

ROOT = Path(__file__).resolve().parent.parent
CLONESHELL = ROOT / ".venv" / "bin" / "cloneshell"
START = datetime(2024, 1, 15, 10, 0, 0)
RUN_CLOCK = "2024-01-15T11:00:00"
OWNER = "ALIYUN$owner@aliyun.com"
BOB = "ALIYUN$bob@aliyun.com"
UNKILLED_TIMEOUT = 300  # seconds: an unkilled run that takes longer is a failure

# A fingerprint: for every table of every file (and of the registry), its row count and an
# order-independent checksum of its rows, keyed `file-key/schema.table`.
Fingerprint = dict[str, tuple[int, int]]


# ---------------------------------------------------------------------------- fixtures


def _double_up(s: Session, table: str, rows: int, maxcompute: bool) -> None:
    """Fill `table` (id, name, amount) with `rows` rows (rounded up to a power of two) by
    doubling it through the engine itself."""
    s.execute(f"INSERT INTO {table} VALUES (1, 'a', 1.5), (2, 'b', 2.5)")
    n = 2
    name = "concat(name, CAST(id % 7 AS STRING))" if maxcompute else "NAME || (ID % 7)::VARCHAR"
    while n < rows:
        s.execute(f"INSERT INTO {table} SELECT id + {n}, {name}, amount * 1.01 FROM {table}")
        n *= 2


def build_maxcompute(root: Path, rows: int) -> None:
    """Two projects: src_proj (big, partitioned pt, a member with grants) and dst_proj (an
    existing plain and partitioned destination with other data, a table to drop)."""
    s = Session.open(root, principal=OWNER, clock=FixedClock(START))
    try:
        for sql in (
            "CREATE PROJECT src_proj",
            "CREATE PROJECT dst_proj",
            "USE src_proj",
            "CREATE TABLE big (id BIGINT, name STRING, amount DOUBLE)",
        ):
            s.execute(sql)
        _double_up(s, "big", rows, maxcompute=True)
        for sql in (
            "CREATE TABLE pt (id BIGINT, name STRING) PARTITIONED BY (ds STRING)",
            "INSERT INTO pt PARTITION (ds) SELECT id, name, "
            "concat('p', CAST(id % 8 AS STRING)) FROM big",
            f"ADD USER {BOB}",
            f"GRANT CreateInstance ON PROJECT src_proj TO USER {BOB}",
            f"GRANT Select ON TABLE big TO USER {BOB}",
            "USE dst_proj",
            "CREATE TABLE old_big (id BIGINT, name STRING, amount DOUBLE)",
            "INSERT INTO old_big SELECT id * 3, name, amount FROM src_proj.big WHERE id % 2 = 0",
            "CREATE TABLE old_pt (id BIGINT, name STRING) PARTITIONED BY (ds STRING)",
            "INSERT INTO old_pt PARTITION (ds) SELECT id * 5, name, "
            "concat('p', CAST(id % 12 AS STRING)) FROM src_proj.big WHERE id % 3 = 0",
            "CREATE TABLE victim (id BIGINT, name STRING, amount DOUBLE)",
            "INSERT INTO victim SELECT id, name, amount FROM src_proj.big",
            "CREATE TABLE wlog (n BIGINT)",  # what drop_project_writer's writer inserts into
            f"ADD USER {BOB}",
            f"GRANT Select, Drop ON TABLE victim TO USER {BOB}",
        ):
            s.execute(sql)
    finally:
        s.close()


# Rows of PURGED.PUBLIC.T_GONE whatever --rows: enough for its file to be compacted (1 MB).
_GONE_ROWS = 1 << 17


def build_snowflake(root: Path, rows: int) -> None:
    """Database SALES (T_BIG with a grant, T_SMALL changed 40 minutes later, a dropped
    T_DROPPED, an internal stage ST), a dropped database OLD_DB, and database PURGED whose
    big T_GONE was dropped with a one-day retention (a statement two days later purges it,
    and the shell compacts the file when it goes idle); the run's clock is an hour after the
    start. A local file for PUT sits beside the warehouse (`put_source`)."""
    s = Session.open(root, dialect="snowflake", clock=FixedClock(START))
    try:
        for sql in (
            "CREATE DATABASE SALES",
            "CREATE TABLE T_BIG (ID INT, NAME VARCHAR, AMOUNT FLOAT)",
        ):
            s.execute(sql)
        _double_up(s, "T_BIG", rows, maxcompute=False)
        for sql in (
            "CREATE TABLE T_SMALL AS SELECT * FROM T_BIG WHERE ID % 10 = 0",
            "CREATE TABLE T_DROPPED AS SELECT * FROM T_BIG",
            "DROP TABLE T_DROPPED",
            "CREATE ROLE ANALYST",
            "GRANT SELECT ON TABLE T_BIG TO ROLE ANALYST",
            "CREATE STAGE SALES.PUBLIC.ST",
            "CREATE TASK TK AS INSERT INTO T_SMALL SELECT ID + 1000000, NAME, AMOUNT FROM T_BIG",
            "CREATE DATABASE OLD_DB",
            "CREATE TABLE T_OLD AS SELECT * FROM SALES.PUBLIC.T_BIG",
            "DROP DATABASE OLD_DB",
            "CREATE DATABASE PURGED DATA_RETENTION_TIME_IN_DAYS = 1",
            "CREATE TABLE T_KEEP (ID INT)",
            "INSERT INTO T_KEEP VALUES (1)",
            "CREATE TABLE T_GONE (ID INT, H VARCHAR)",
            "INSERT INTO T_GONE VALUES (1, 'x')",
        ):
            s.execute(sql)
        n = 1
        while n < _GONE_ROWS:
            s.execute(f"INSERT INTO T_GONE SELECT ID + {n}, MD5(H || ID) || MD5(H) FROM T_GONE")
            n *= 2
        s.execute("DROP TABLE T_GONE")
        s.move_clock(timedelta(minutes=40))
        s.execute(
            "INSERT INTO SALES.PUBLIC.T_SMALL SELECT ID + 1, NAME, AMOUNT FROM SALES.PUBLIC.T_BIG"
        )
    finally:
        s.close()
    with put_source(root).open("w") as f:
        f.writelines(f"{i},name{i % 97},{i * 1.5}\n" for i in range(max(rows, 4096) * 8))


def put_source(root: Path) -> Path:
    """The local file the PUT scenario uploads: beside the warehouse `root`."""
    return root.parent / "put_source.csv"


def build_snowflake_streams(root: Path, rows: int) -> None:
    """Database SRC: table T (rows) with stream S, and changes after the stream's offset
    (inserts, an update, a delete); database SINK with the table the stream is consumed into
    (the cross-database consumption of issue 13, defect 5: two files commit one after the
    other)."""
    s = Session.open(root, dialect="snowflake", clock=FixedClock(START))
    try:
        for sql in ("CREATE DATABASE SINK", "CREATE TABLE T2 (ID INT, NAME VARCHAR)"):
            s.execute(sql)
        for sql in ("CREATE DATABASE SRC", "CREATE TABLE T (ID INT, NAME VARCHAR, AMOUNT FLOAT)"):
            s.execute(sql)
        _double_up(s, "T", rows // 2, maxcompute=False)
        s.execute("CREATE STREAM S ON TABLE T")
        s.execute(f"INSERT INTO T SELECT ID + {rows}, NAME, AMOUNT FROM T")
        s.execute("UPDATE T SET AMOUNT = AMOUNT + 1 WHERE ID % 4 = 0")
        s.execute("DELETE FROM T WHERE ID % 4 = 1")
    finally:
        s.close()


@dataclass(frozen=True)
class Scenario:
    """One statement kind: the fixture it runs on and the statement."""

    name: str
    dialect: str  # maxcompute | snowflake
    statement: str
    project: str | None = None
    # Pairs of fingerprint keys whose data (without the version column) must be equal in the
    # state after the statement: the clone and its source.
    same_data: tuple[tuple[str, str], ...] = ()
    clock: str = RUN_CLOCK
    # The run must leave projects/ smaller than the fixture's (it compacts a file).
    shrinks: bool = False
    # The builder of its fixture (BUILDERS), when not the dialect's own.
    fixture: str = ""
    # A concurrent writer: another cloneshell process, started with the statement, runs this
    # statement (`{n}`: 1, 2, …) WRITES times. The file it writes (`volatile`, a fingerprint
    # key prefix) is left out of the states; the writer's output is checked against it instead
    # (`writer_problems`).
    writer: str = ""
    volatile: str = ""

    @property
    def builder(self) -> str:
        """The key of the fixture this scenario runs on."""
        return self.fixture or self.dialect

    def command(self, root: Path) -> list[str]:
        """The cloneshell command line of this scenario (`{source}` in the statement: the
        fixture's local file, `put_source`)."""
        cmd = [str(CLONESHELL), "-w", str(root), "--clock", self.clock, "--echo", "--no-color"]
        if self.dialect == "snowflake":
            cmd += ["--dialect", "snowflake"]
        else:
            cmd += ["-u", OWNER]
        if self.project:
            cmd += ["-p", self.project]
        return [*cmd, "-e", self.statement.format(source=put_source(root))]


SCENARIOS = [
    Scenario(
        "clone_new",
        "maxcompute",
        "CLONE TABLE src_proj.big TO dst_proj.big_copy;",
        "dst_proj",
        (("mc:dst_proj/main.big_copy", "mc:src_proj/main.big"),),
    ),
    Scenario(
        "clone_overwrite",
        "maxcompute",
        "CLONE TABLE src_proj.big TO dst_proj.old_big IF EXISTS OVERWRITE;",
        "dst_proj",
        (("mc:dst_proj/main.old_big", "mc:src_proj/main.big"),),
    ),
    Scenario(
        "clone_partitions_overwrite",
        "maxcompute",
        "CLONE TABLE src_proj.pt TO dst_proj.old_pt IF EXISTS OVERWRITE;",
        "dst_proj",
    ),
    Scenario(
        "insert_overwrite_partition",
        "maxcompute",
        "INSERT OVERWRITE TABLE old_pt PARTITION (ds='p3') SELECT id, name FROM src_proj.big;",
        "dst_proj",
    ),
    Scenario("drop_table", "maxcompute", "DROP TABLE dst_proj.victim;", "dst_proj"),
    Scenario("remove_user", "maxcompute", f"REMOVE USER {BOB};", "src_proj"),
    Scenario("drop_project", "maxcompute", "DROP PROJECT dst_proj;", "src_proj"),
    # Defect 3 under kill -9: no INSERT of the other shell says OK and lands in a deleted file.
    Scenario(
        "drop_project_writer",
        "maxcompute",
        "DROP PROJECT dst_proj;",
        "src_proj",
        writer="INSERT INTO dst_proj.wlog VALUES ({n});",
        volatile="mc:dst_proj/",
    ),
    Scenario(
        "sf_clone_database",
        "snowflake",
        "CREATE DATABASE SALES_COPY CLONE SALES;",
        None,
        (
            ("sf:SALES_COPY/main.t1", "sf:SALES/main.t1"),
            ("sf:SALES_COPY/main.t2", "sf:SALES/main.t2"),
        ),
    ),
    Scenario(
        "sf_clone_database_at",
        "snowflake",
        "CREATE DATABASE SALES_PAST CLONE SALES AT(OFFSET => -1800);",
        None,
        (("sf:SALES_PAST/main.t1", "sf:SALES/main.t1"),),
    ),
    Scenario("sf_undrop_table", "snowflake", "UNDROP TABLE SALES.PUBLIC.T_DROPPED;"),
    Scenario("sf_undrop_database", "snowflake", "UNDROP DATABASE OLD_DB;"),
    # The task's INSERT and its TASK_HISTORY record: both or neither (defect 16).
    Scenario("sf_execute_task", "snowflake", "EXECUTE TASK SALES.PUBLIC.TK;"),
    Scenario(
        "sf_put",
        "snowflake",
        "PUT file://{source} @SALES.PUBLIC.ST AUTO_COMPRESS = FALSE;",
    ),
    Scenario(
        "sf_purge_and_compact",
        "snowflake",
        "INSERT INTO PURGED.PUBLIC.T_KEEP VALUES (2);",
        clock="2024-01-17T11:00:00",
        shrinks=True,
    ),
]
SCENARIOS.append(
    Scenario(
        "sf_stream_other_db",
        "snowflake",
        "INSERT INTO SINK.PUBLIC.T2 SELECT ID, NAME FROM SRC.PUBLIC.S;",
        fixture="snowflake_streams",
    )
)
BUILDERS: dict[str, Callable[[Path, int], None]] = {
    "maxcompute": build_maxcompute,
    "snowflake": build_snowflake,
    "snowflake_streams": build_snowflake_streams,
}


# ---------------------------------------------------------------------------- inspection


def _checksum(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> tuple[int, int]:
    """Row count and an order-independent checksum of `columns` of `table`."""
    cols = ", ".join(quote_ident(c) for c in columns)
    row = con.execute(
        f"SELECT count(*), coalesce(sum(hash({cols})::HUGEINT), 0) FROM {table}"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _tables(con: duckdb.DuckDBPyConnection, alias: str) -> list[tuple[str, str, list[str]]]:
    rows = con.execute(
        "SELECT schema_name, table_name, list(column_name ORDER BY column_index) "
        "FROM duckdb_columns() WHERE database_name = ? GROUP BY ALL ORDER BY ALL",
        [alias],
    ).fetchall()
    return [(str(r[0]), str(r[1]), list(r[2])) for r in rows]


# Columns that legitimately differ between two runs of the same statement: random ids.
_VOLATILE = {
    ("__cs", "commits", "statement_id"),
    ("__cs", "task_runs", "query_id"),
    ("main", "databases", "file"),
}


def inspect(root: Path, dialect: str) -> tuple[Fingerprint, list[str]]:
    """Open the warehouse through the engine (recovery included) and return its fingerprint
    and every broken invariant found."""
    s = Session.open(root, principal=None if dialect == "snowflake" else OWNER, dialect=dialect)
    problems: list[str] = []
    fp: Fingerprint = {}
    try:
        wh = s.warehouse
        con = wh.con
        wh.attach_warehouse()
        for schema, table, cols in _tables(con, WAREHOUSE_ALIAS):
            keep = [c for c in cols if (schema, table, c) not in _VOLATILE]
            name = f"{WAREHOUSE_ALIAS}.{quote_ident(schema)}.{quote_ident(table)}"
            fp[f"registry/{schema}.{table}"] = _checksum(con, name, keep)
        files: dict[str, str] = {}
        for info in wh.list_projects():
            files[info.file] = f"mc:{info.name}"
        for info in wh.list_databases(history=True):
            dropped = "" if info.dropped_at is None else f"@dropped{info.dropped_at:%H%M%S}"
            files[info.file] = f"sf:{info.name}{dropped}"
        for path in sorted((root / "stages").rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                digest = int(hashlib.md5(data, usedforsecurity=False).hexdigest()[:15], 16)
                fp[f"stage/{path.relative_to(root / 'stages')}"] = (len(data), digest)
        for path in sorted((root / "tmp").iterdir()):
            problems.append(f"leftover tmp/{path.name}")
        if (root / "streams").is_dir():  # markers of cross-database stream consumption
            for path in sorted((root / "streams").iterdir()):
                problems.append(f"leftover streams/{path.name}")
        on_disk = {p.name for p in (root / "projects").iterdir()}
        for name in sorted(on_disk):
            base = name.split(".", 1)[0]
            if base not in files:
                problems.append(f"orphan file projects/{name} (not in the registry)")
            elif not name.endswith((".duckdb", ".duckdb.wal")):
                problems.append(f"leftover file projects/{name}")
        for file, key in sorted(files.items(), key=lambda kv: kv[1]):
            if f"{file}.duckdb" not in on_disk:
                problems.append(f"{key}: registered file {file}.duckdb is missing")
                continue
            infos = [i for i in wh.list_projects() + wh.list_databases(True) if i.file == file]
            alias = wh.attach_project(infos[0])
            _inspect_file(con, alias, key, dialect, fp, problems)
    finally:
        s.close()
    return fp, problems


def _inspect_file(
    con: duckdb.DuckDBPyConnection,
    alias: str,
    key: str,
    dialect: str,
    fp: Fingerprint,
    problems: list[str],
) -> None:
    """Fingerprint one project file and check its metadata against its data."""
    a = quote_ident(alias)
    tables = _tables(con, alias)
    for schema, table, cols in tables:
        keep = [c for c in cols if (schema, table, c) not in _VOLATILE]
        name = f"{a}.{quote_ident(schema)}.{quote_ident(table)}"
        fp[f"{key}/{schema}.{table}"] = _checksum(con, name, keep)
        if "__cs_v" in cols:
            data = [c for c in cols if c != "__cs_v"]
            fp[f"{key}/{schema}.{table}#data"] = _checksum(con, name, data)

    def q(sql: str) -> list[tuple[object, ...]]:
        return con.execute(sql).fetchall()

    (last,) = q(f"SELECT coalesce(max(version), 0) FROM {a}.__cs.commits")[0]
    meta = q(
        f"SELECT table_id, physical_schema, physical_name, dropped_version IS NOT NULL, "
        f"partition_columns FROM {a}.__cs.tables WHERE kind = 'managed'"
    )
    physical = {(s, t) for s, t, _ in tables if s != "__cs"}
    expected = {
        (str(ps), str(pn))
        for _, ps, pn, dropped, _ in meta
        # A Snowflake table keeps its data while dropped (UNDROP); a database is Snowflake's
        # whichever dialect inspects the warehouse.
        if dialect == "snowflake" or key.startswith("sf:") or not dropped
    }
    for s, t in sorted(physical - expected):
        problems.append(f"{key}: table {s}.{t} has no (live) metadata row")
    for s, t in sorted(expected - physical):
        problems.append(f"{key}: metadata row for {s}.{t} has no table")
    ids = {int(str(r[0])) for r in q(f"SELECT table_id FROM {a}.__cs.tables")}
    for s, t, _ in tables:
        if s == "__cs" and t.startswith("h_") and int(t[2:]) not in ids:
            problems.append(f"{key}: history table {t} of an unknown table")
    for s, t, cols in tables:
        if s == "__cs" or "__cs_v" not in cols:
            continue
        (top,) = q(f"SELECT coalesce(max(__cs_v), 0) FROM {a}.{quote_ident(s)}.{quote_ident(t)}")[0]
        if int(str(top)) > int(str(last)):
            problems.append(f"{key}: {s}.{t} holds rows of version {top} > last commit {last}")

    for table_id, ps, pn, dropped, pcols in meta:
        parts = [c["name"] for c in json.loads(str(pcols))]
        if not parts or dropped or (str(ps), str(pn)) not in physical:
            continue
        spec = " || '/' || ".join(f"'{c}=' || CAST({quote_ident(c)} AS VARCHAR)" for c in parts)
        in_data = {
            str(r[0])
            for r in q(
                f"SELECT DISTINCT {spec} FROM {a}.{quote_ident(str(ps))}.{quote_ident(str(pn))}"
            )
        }
        listed = {
            str(r[0])
            for r in q(f"SELECT spec FROM {a}.__cs.partitions WHERE table_id = {table_id}")
        }
        for missing in sorted(in_data - listed):
            problems.append(f"{key}: {pn} has rows in partition {missing}, not in its metadata")


def differences(a: Fingerprint, b: Fingerprint) -> list[str]:
    """Keys whose fingerprints differ between two states."""
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


# ---------------------------------------------------------------------------- running


@dataclass
class Run:
    """One cloneshell run: when its statement started (echo seen), when it exited."""

    started: float  # spawn time (monotonic)
    echo: float | None = None
    ended: float | None = None
    returncode: int | None = None
    output: list[str] = field(default_factory=list)


def _spawn(scenario: Scenario, root: Path) -> tuple[subprocess.Popen[bytes], Run, threading.Event]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", NO_COLOR="1")
    env.pop("CLONESHELL_LOCK_TIMEOUT", None)
    run = Run(time.monotonic())
    proc = subprocess.Popen(
        scenario.command(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    seen = threading.Event()
    marker = scenario.statement.split()[0].encode()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if run.echo is None and marker in line:
                run.echo = time.monotonic()
                seen.set()
            run.output.append(line.decode(errors="replace").rstrip())
        seen.set()

    threading.Thread(target=reader, daemon=True).start()
    return proc, run, seen


# How many statements the concurrent writer runs (enough to outlast the statement).
WRITES = 400


@dataclass
class Writer:
    """The concurrent writer's process and where its output goes."""

    proc: subprocess.Popen[bytes]
    output: Path


def start_writer(scenario: Scenario, root: Path) -> Writer | None:
    """Start the scenario's concurrent writer (None without one) and wait for its first
    commit: `\\timing on` keeps its INSERTs apart (batch mode sends a run of INSERTs to the
    engine together otherwise)."""
    if not scenario.writer:
        return None
    script = root.parent / f"{root.name}.writer.sql"
    lines = ["\\timing on"] + [scenario.writer.format(n=n) for n in range(1, WRITES + 1)]
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = root.parent / f"{root.name}.writer.out"
    env = dict(os.environ, PYTHONUNBUFFERED="1", NO_COLOR="1")
    env.pop("CLONESHELL_LOCK_TIMEOUT", None)
    cmd = [str(CLONESHELL), "-w", str(root), "--clock", scenario.clock, "--echo", "--no-color"]
    cmd += ["-u", OWNER, "-p", scenario.project or "", "--on-error", "continue"]
    with output.open("wb") as out:
        proc = subprocess.Popen(
            [*cmd, "-f", str(script)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )
    # The statement starts once the writer is writing: its first INSERT has committed.
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if b"\nOK" in output.read_bytes():
            break
        time.sleep(0.01)
    return Writer(proc, output)


def finish_writer(writer: Writer | None) -> list[tuple[int, str]]:
    """Wait for the writer to end; each statement's n and outcome (`OK` or its error)."""
    if writer is None:
        return []
    try:
        writer.proc.wait(UNKILLED_TIMEOUT)
    except subprocess.TimeoutExpired:
        writer.proc.kill()
        writer.proc.wait()
    outcomes: list[tuple[int, str]] = []
    current: int | None = None
    for line in writer.output.read_text(encoding="utf-8", errors="replace").splitlines():
        if "VALUES (" in line and not line.startswith(("FAILED", " ")):
            current = int(line.rsplit("VALUES (", 1)[1].split(")", 1)[0])
        elif current is not None and (line == "OK" or line.startswith("FAILED")):
            outcomes.append((current, line))
            current = None
    return outcomes


def writer_problems(
    scenario: Scenario, root: Path, outcomes: list[tuple[int, str]], exists: bool
) -> list[str]:
    """What the writer's output says that must not be: a statement without an outcome; an
    error other than "project not found"; an OK after a not-found (a write into a deleted
    file); while its project exists, any failure, or its rows differing from the OKs."""
    if not scenario.writer:
        return []
    problems: list[str] = []
    if [n for n, _ in outcomes] != list(range(1, WRITES + 1)):
        problems.append(f"writer: {len(outcomes)} of {WRITES} statements reported an outcome")
    gone = False
    for n, outcome in outcomes:
        if outcome != "OK":
            if "not found" not in outcome:
                problems.append(f"writer statement {n}: {outcome}")
            gone = True
        elif gone:
            problems.append(f"writer statement {n}: OK after the project was gone")
    if exists:
        oks = sorted(n for n, outcome in outcomes if outcome == "OK")
        if len(oks) != len(outcomes):
            problems.append("writer: failures although its project still exists")
        s = Session.open(root, principal=OWNER)
        try:
            (result,) = s.execute("SELECT n FROM dst_proj.wlog;")
            kept = sorted(int(r[0]) for r in result.rows)  # type: ignore[attr-defined]
        finally:
            s.close()
        if kept != oks:
            lost = sorted(set(oks) - set(kept))[:5]
            extra = sorted(set(kept) - set(oks))[:5]
            problems.append(f"writer: rows differ from the OKs (lost {lost}, extra {extra})")
    return problems


def checked_state(
    scenario: Scenario, root: Path, writer: Writer | None
) -> tuple[Fingerprint, list[str]]:
    """`inspect` once the writer (if any) is done, its file left out of the fingerprint and
    its output checked."""
    outcomes = finish_writer(writer)
    state, problems = inspect(root, scenario.dialect)
    if scenario.volatile:
        exists = any(k.startswith(scenario.volatile) for k in state)
        problems += writer_problems(scenario, root, outcomes, exists)
        state = {k: v for k, v in state.items() if not k.startswith(scenario.volatile)}
    return state, problems


def run_unkilled(scenario: Scenario, root: Path) -> Run:
    """Run the statement to its end; its echo and exit times give the window to kill in."""
    proc, run, seen = _spawn(scenario, root)
    try:
        proc.wait(UNKILLED_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        run.output.append(f"(killed: still running after {UNKILLED_TIMEOUT}s)")
    run.ended = time.monotonic()
    run.returncode = proc.returncode
    seen.wait(5)
    return run


@dataclass
class Kill:
    """The outcome of one kill."""

    scenario: str
    index: int
    offset: float  # seconds after the statement's echo (negative: before it)
    landed: str  # before | during | after (the process had already exited)
    state: str = ""  # before | after | broken
    problems: list[str] = field(default_factory=list)


@dataclass
class Calibrated:
    """A scenario's fixture, its expected states and the measured statement window."""

    scenario: Scenario
    fixture: Path
    before: Fingerprint
    after: Fingerprint
    startup: float  # spawn -> echo
    window: float  # echo -> exit (statement plus closing checkpoint)


def fingerprint_fixture(fixture: Path, dialect: str, work: Path) -> Fingerprint:
    """The state before every statement: the fixture's fingerprint (it must be consistent)."""
    root = _copy(fixture, work / f"{fixture.name}-before")
    before, problems = inspect(root, dialect)
    if problems:
        raise SystemExit(f"{fixture.name} is inconsistent: {problems}")
    shutil.rmtree(root)
    return before


def calibrate(
    scenario: Scenario, fixture: Path, before: Fingerprint, work: Path, runs: int = 2
) -> Calibrated:
    """Run the statement unkilled `runs` times on copies of the fixture: the state after,
    and the window to kill in (two runs must also agree)."""
    windows, startups = [], []
    after: Fingerprint = {}
    if scenario.volatile:
        before = {k: v for k, v in before.items() if not k.startswith(scenario.volatile)}
    for i in range(runs):
        root = _copy(fixture, work / f"{scenario.name}-after{i}")
        writer = start_writer(scenario, root)
        run = run_unkilled(scenario, root)
        if run.returncode != 0 or run.echo is None or run.ended is None:
            finish_writer(writer)
            out = "\n".join(run.output)
            raise SystemExit(f"{scenario.name}: the unkilled run failed ({run.returncode}):\n{out}")
        windows.append(run.ended - run.echo)
        startups.append(run.echo - run.started)
        state, problems = checked_state(scenario, root, writer)
        if problems:
            raise SystemExit(f"{scenario.name}: the state after is inconsistent: {problems}")
        if i == 0:
            after = state
        elif state != after:
            raise SystemExit(
                f"{scenario.name}: two unkilled runs differ: {differences(after, state)}"
            )
        shutil.rmtree(root)
    if after == before:
        raise SystemExit(f"{scenario.name}: the statement changed nothing")
    if scenario.shrinks:
        root = _copy(fixture, work / f"{scenario.name}-shrinks")
        old = _size(root / "projects")
        run_unkilled(scenario, root)
        if _size(root / "projects") >= old:
            raise SystemExit(f"{scenario.name}: the run compacted nothing")
        shutil.rmtree(root)
    for left, right in scenario.same_data:
        if after.get(left + "#data") != after.get(right + "#data"):
            raise SystemExit(f"{scenario.name}: after the statement {left} != {right}")
    return Calibrated(scenario, fixture, before, after, statistics.median(startups), max(windows))


def kill_once(cal: Calibrated, index: int, rng: random.Random, work: Path, keep: bool) -> Kill:
    """Copy the fixture, run the statement, SIGKILL it at a random instant, reopen, check."""
    s = cal.scenario
    # Most kills land inside the statement (the window includes the closing checkpoint, where
    # data reaches the main file); one in twenty during start-up, one in ten just after.
    pick = rng.random()
    if pick < 0.05:
        offset = -rng.uniform(0.0, cal.startup)
    else:
        offset = rng.uniform(0.0, cal.window * (1.1 if pick < 0.9 else 1.4))
    root = _copy(cal.fixture, work / f"{s.name}-kill{index}")
    writer = start_writer(s, root)
    proc, run, seen = _spawn(s, root)
    if offset < 0:
        target = run.started + cal.startup + offset
    else:
        seen.wait(60)
        target = (run.echo if run.echo is not None else time.monotonic()) + offset
    delay = target - time.monotonic()
    if delay > 0:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        landed = "before" if run.echo is None else "during"
    else:
        landed = "after"
        if run.echo is not None:
            # The machine got faster since the window was measured (it is shared): aim the
            # next kills at this run's own length.
            seen.wait(5)
            cal.window = min(cal.window, time.monotonic() - run.echo)
    proc.wait()
    kill = Kill(s.name, index, offset, landed)
    try:
        state, kill.problems = checked_state(s, root, writer)
    except Exception as exc:  # the warehouse must open: anything else is a failure
        kill.state = "broken"
        kill.problems = [f"cannot reopen: {type(exc).__name__}: {exc}"]
    else:
        if state == cal.before:
            kill.state = "before"
        elif state == cal.after:
            kill.state = "after"
        else:
            kill.state = "mixed"
            near = min(
                (cal.before, "before"),
                (cal.after, "after"),
                key=lambda x: len(differences(x[0], state)),
            )
            kill.problems.append(
                f"neither before nor after; vs {near[1]}: {differences(near[0], state)}"
            )
    if kill.problems or kill.state not in ("before", "after"):
        print(f"  FAILED {s.name} kill {index} at {offset:+.3f}s: kept in {root}", flush=True)
        for p in kill.problems:
            print(f"    {p}", flush=True)
    elif not keep:
        shutil.rmtree(root, ignore_errors=True)
        if writer is not None:
            writer.output.unlink(missing_ok=True)
            writer.output.with_suffix(".sql").unlink(missing_ok=True)
    return kill


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


def _copy(src: Path, dst: Path) -> Path:
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    return dst


# ---------------------------------------------------------------------------- the run


def run_all(
    kills: int,
    rows: int,
    seed: int,
    work: Path,
    kinds: list[str] | None = None,
    keep: bool = False,
    say: Callable[[str], None] = print,
    calibration_runs: int = 2,
) -> list[Kill]:
    """Build the fixtures, calibrate each scenario, then kill `kills` times per scenario."""
    scenarios = [s for s in SCENARIOS if kinds is None or s.name in kinds]
    fixtures: dict[str, Path] = {}
    befores: dict[str, Fingerprint] = {}
    for key in sorted({s.builder for s in scenarios}):
        dialect = next(s.dialect for s in scenarios if s.builder == key)
        fixtures[key] = work / f"fixture-{key}"
        shutil.rmtree(fixtures[key], ignore_errors=True)
        BUILDERS[key](fixtures[key], rows)
        befores[key] = fingerprint_fixture(fixtures[key], dialect, work)
    results: list[Kill] = []
    rng = random.Random(seed)
    for s in scenarios:
        started = time.monotonic()
        cal = calibrate(s, fixtures[s.builder], befores[s.builder], work, calibration_runs)
        say(f"{s.name}: statement window {cal.window:.3f}s after a {cal.startup:.3f}s start-up")
        for i in range(kills):
            results.append(kill_once(cal, i, random.Random(rng.random()), work, keep))
        mine = [k for k in results if k.scenario == s.name]
        say("  " + summary_line(s.name, mine, time.monotonic() - started))
    return results


def summary_line(name: str, kills: list[Kill], seconds: float) -> str:
    """`name: N kills (landed b/d/a before/during/after exit) -> states; failures`."""
    landed = {w: sum(k.landed == w for k in kills) for w in ("before", "during", "after")}
    states = {w: sum(k.state == w for k in kills) for w in ("before", "after")}
    failed = sum(bool(k.problems) or k.state not in ("before", "after") for k in kills)
    return (
        f"{name:<28} {len(kills):>4} kills  landed {landed['before']}/{landed['during']}/"
        f"{landed['after']} before/during/after exit  found {states['before']} before, "
        f"{states['after']} after  failures {failed}  {seconds:.1f}s"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/crash", description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=24, help="kills per statement kind")
    parser.add_argument("--rows", type=int, default=1 << 20, help="rows of the big tables")
    parser.add_argument("--seed", type=int, default=None, help="seed of the kill instants")
    parser.add_argument("--kinds", help="comma-separated statement kinds (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep every killed warehouse")
    parser.add_argument("--work", type=Path, help="work directory (default: a temporary one)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    kinds = args.kinds.split(",") if args.kinds else None
    unknown = set(kinds or ()) - {s.name for s in SCENARIOS}
    if unknown:
        parser.error(f"unknown kinds {sorted(unknown)}; known: {[s.name for s in SCENARIOS]}")
    work = args.work or Path(tempfile.mkdtemp(prefix="cloneshell-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"seed {seed} (rerun: scripts/crash --seed {seed}), rows {args.rows}, work {work}")
    started = time.monotonic()
    results = run_all(args.kills, args.rows, seed, work, kinds, args.keep)
    elapsed = time.monotonic() - started
    print(f"== {len(results)} kills in {elapsed:.0f}s (seed {seed})")
    for s in SCENARIOS:
        mine = [k for k in results if k.scenario == s.name]
        if mine:
            print("   " + summary_line(s.name, mine, 0.0).rsplit("  ", 1)[0])
    failed = [k for k in results if k.problems or k.state not in ("before", "after")]
    print(f"   failures: {len(failed)}")
    if not failed and not args.work and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
