"""Side-by-side benchmarks for the performance budget (DESIGN.md), run through scripts/bench.

One sub-command per budget line (clone, partitions, dbclone, history, script, startup,
first-prompt, complete) and `all`. Each line builds its own data, then runs its two sides —
cloneshell and the anchor — alternately (A B A B …) after one warm-up round of each, and prints
the median and min-max of each side and of the per-round ratio, and each side's peak memory.

How each side runs, so that its peak memory is its own (Linux):
- a *worker*: a child process (`bench.py _worker SIDE ARGS`) that sets the side up once, then
  runs one round per line it reads and answers the round's seconds (timed inside it, around
  the operation only). Both workers stay alive for the whole line, so both sides are equally
  warm. Its peak is its own VmHWM (/proc/self/status) when it ends: the interpreter, its
  imports and the operation, never the data generation, which runs before, in the parent.
- a *command* (the shell on a piped script, the DuckDB CLI, `cp`, `cloneshell -e`): a fresh
  process per round, started by a tiny launcher interpreter that times it from spawn to exit
  and reads its `ru_maxrss` from `wait4`; the line shows the largest over the rounds.
- a *prompt* (first-prompt): spawned in a pseudo-terminal and timed until its prompt shows; its
  peak is its VmHWM at that moment.
(`ru_maxrss` of a child spawned by the bench itself would be useless: Linux carries the
parent's high-water mark across fork and exec.)

Timing targets live here, never in unit tests: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / ".venv-bench"
# The anchors that are programs of their own, pinned, in their own environment (.venv-bench,
# gitignored) so their dependencies never touch ours. duckdb-cli's newest release is 1.5.6: its
# files are its own (the script line measures rates, not file compatibility).
BENCH_TOOLS = ("litecli==1.17.1", "duckdb-cli==1.5.6")
PRINCIPAL = "ALIYUN$bench@aliyun.com"
MB = 1 << 20

ROWS = 10_000_000
PARTITIONS = 1_000
CLONED_PARTITIONS = 10
SCRIPT_INSERTS = 10_000
COMPLETE_PROJECTS = 10
COMPLETE_TABLES = 1_000
GEN = (
    "SELECT range AS id, range % 1000 AS k, random() * 1000 AS x, "
    "'row-' || (range % 100000)::VARCHAR AS s FROM range({n})"
)


# ---------------------------------------------------------------------------------------------
# Measuring


Seconds = tuple[float, float]  # (wall-clock, CPU: user + system over all threads)


class Runner(Protocol):
    """One side of a line: `run(i)` runs round i (0 is the warm-up) and returns its seconds;
    `close()` ends it and returns its peak resident set in bytes."""

    label: str

    def run(self, i: int) -> Seconds: ...

    def close(self) -> int: ...


def _vm_hwm(pid: int | str = "self") -> int:
    """A live process's peak resident set so far (VmHWM), in bytes; 0 if unknown.

    Not `ru_maxrss`: Linux carries the parent's high-water mark into a forked child across
    exec, so a side spawned by this (large) process would report at least this process's size.
    VmHWM belongs to the process's own address space, which exec makes new."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    m = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(m.group(1)) * 1024 if m else 0


def _cpu_of(pid: int) -> float:
    """A live process's CPU seconds so far (user + system, /proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# Runs a command and reports its wall time and peak resident set (`ru_maxrss` from `wait4`,
# exact here: the command is spawned by this small interpreter, not by the bench).
_LAUNCHER = """
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
cpu = usage.ru_utime + usage.ru_stime
with open(report, "w") as f:
    f.write(f"{elapsed!r} {cpu!r} {usage.ru_maxrss * 1024} {os.waitstatus_to_exitcode(status)}")
"""


class Worker:
    """A side in a child process of its own (see the module docstring)."""

    def __init__(self, label: str, side: str, **args: Any) -> None:
        self.label = label
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "_worker", side, json.dumps(args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in: IO[str] = self.proc.stdin
        self._out: IO[str] = self.proc.stdout
        if self._out.readline().strip() != "ready":
            raise RuntimeError(f"bench worker {side} did not start")

    def run(self, i: int) -> Seconds:
        self._in.write(f"{i}\n")
        self._in.flush()
        answer = self._out.readline().split()
        if len(answer) != 2:
            raise RuntimeError(f"bench worker {self.label!r} died in round {i}")
        return float(answer[0]), float(answer[1])

    def close(self) -> int:
        self._in.close()  # the worker answers its peak resident set, then exits
        peak = int(self._out.readline() or 0)
        if self.proc.wait() != 0:
            raise RuntimeError(f"bench worker {self.label!r} failed")
        return peak


class Command:
    """A side that is one process per round: `make(i)` gives its argv and stdin file (after
    preparing what the round needs, untimed)."""

    def __init__(
        self,
        label: str,
        make: Callable[[int], tuple[list[str], Path | None]],
        env: dict[str, str] | None = None,
    ) -> None:
        self.label = label
        self.make = make
        self.env = env
        self.peak = 0

    def run(self, i: int) -> Seconds:
        argv, stdin = self.make(i)
        with tempfile.NamedTemporaryFile("r", suffix=".bench") as report:
            with open(stdin or os.devnull, "rb") as src:
                proc = subprocess.run(
                    [sys.executable, "-I", "-S", "-c", _LAUNCHER, report.name, *argv],
                    stdin=src,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    env=self.env,
                )
            figures = report.read().split()
        if proc.returncode != 0 or len(figures) != 4 or figures[3] != "0":
            tail = proc.stderr.decode(errors="replace")[-500:]
            raise RuntimeError(f"{self.label}: {argv[0]} failed: {figures} {tail}")
        self.peak = max(self.peak, int(figures[2]))
        return float(figures[0]), float(figures[1])

    def close(self) -> int:
        return self.peak


class Prompt:
    """A side that is an interactive program reaching its first prompt in a pseudo-terminal."""

    ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][A-Z0-9]|[=>])")

    def __init__(self, label: str, argv: list[str], prompt: str, env: dict[str, str]) -> None:
        self.label = label
        self.argv = argv
        self.prompt = prompt
        self.env = env
        self.peak = 0

    def run(self, i: int) -> Seconds:
        import pexpect

        start = time.perf_counter()
        child = pexpect.spawn(
            self.argv[0], self.argv[1:], env=self.env, dimensions=(30, 100), encoding="utf-8"
        )
        seen = ""
        try:
            # prompts are styled: escapes split the text
            while self.prompt not in self.ANSI.sub("", seen):
                if time.perf_counter() - start > 30:
                    raise TimeoutError(f"no prompt {self.prompt!r} from {self.argv[0]}: {seen!r}")
                try:
                    seen += child.read_nonblocking(4096, timeout=0.05)
                except pexpect.TIMEOUT:
                    continue
            elapsed = time.perf_counter() - start
            self.peak = max(self.peak, _vm_hwm(child.pid))
            return elapsed, _cpu_of(child.pid)
        finally:
            child.terminate(force=True)

    def close(self) -> int:
        return self.peak


@dataclass
class Measured:
    """Both sides' rounds: wall-clock and CPU seconds, and peak resident sets in bytes."""

    a: list[float]  # cloneshell
    b: list[float]  # the anchor
    a_cpu: list[float]
    b_cpu: list[float]
    a_peak: int
    b_peak: int


@dataclass
class Line:
    """One budget line's figures. Its verdict is on the median of the per-round wall-clock
    ratios; the CPU ratio is shown too, as a check that holds on a busy machine."""

    key: str
    what: str
    ours: str
    anchor: str
    m: Measured
    target: str
    limit: float
    higher_is_better: bool = False  # the script line compares rates
    note: str = ""
    cpu_limit: float | None = None  # a CPU budget of its own (the clone lines)

    def _ratios(self, a: list[float], b: list[float]) -> list[float]:
        pairs = zip(a, b, strict=True)
        return [y / x if self.higher_is_better else x / y for x, y in pairs]

    @property
    def ratios(self) -> list[float]:
        return self._ratios(self.m.a, self.m.b)

    @property
    def cpu_ratios(self) -> list[float]:
        return self._ratios(self.m.a_cpu, self.m.b_cpu)

    @property
    def met(self) -> bool:
        ratio = statistics.median(self.ratios)
        return ratio >= self.limit if self.higher_is_better else ratio <= self.limit


def alternate(rounds: int, a: Runner, b: Runner) -> Measured:
    """Warm both sides up once, then alternate A B A B … `rounds` times; close both."""
    xs: list[Seconds] = []
    ys: list[Seconds] = []
    try:
        a.run(0)
        b.run(0)
        for i in range(1, rounds + 1):
            xs.append(a.run(i))
            ys.append(b.run(i))
    finally:
        a_peak = a.close()
        b_peak = b.close()
    return Measured(
        [w for w, _ in xs],
        [w for w, _ in ys],
        [c for _, c in xs],
        [c for _, c in ys],
        a_peak,
        b_peak,
    )


def _spread(values: list[float], unit: str = "s", digits: int = 3) -> str:
    return (
        f"{statistics.median(values):.{digits}f}{unit} "
        f"({min(values):.{digits}f}–{max(values):.{digits}f})"
    )


def report(line: Line) -> None:
    """Print one line's figures."""
    m = line.m
    print(f"== {line.key}: {line.what} — {len(m.a)} rounds after a warm-up, alternating")
    print(f"   {'':<50} {'wall median (min–max)':<25} {'CPU median':<11} peak RSS")
    for name, wall, cpu, peak in (
        (line.ours, m.a, m.a_cpu, m.a_peak),
        (line.anchor, m.b, m.b_cpu, m.b_peak),
    ):
        cpu_text = f"{statistics.median(cpu):.3f}s"
        print(f"   {name:<50} {_spread(wall):<25} {cpu_text:<11} {peak / MB:,.0f} MB")
    kind = "rate cloneshell/anchor" if line.higher_is_better else "ratio cloneshell/anchor"
    verdict = "met" if line.met else "MISSED"
    cpu_ratio = statistics.median(line.cpu_ratios)
    print(
        f"   {kind:<50} {_spread(line.ratios, '', 2):<25} {cpu_ratio:<11.2f} "
        f"target {line.target}: {verdict}",
        flush=True,
    )
    if line.cpu_limit is not None:
        cpu_met = cpu_ratio <= line.cpu_limit
        print(
            f"   {'CPU ratio cloneshell/anchor':<50} {_spread(line.cpu_ratios, '', 2):<25} "
            f"{'':<11} target <= {line.cpu_limit}: {'met' if cpu_met else 'MISSED'}",
            flush=True,
        )
    if line.note:
        print(f"   {line.note}", flush=True)


# ---------------------------------------------------------------------------------------------
# Worker sides (run inside `bench.py _worker SIDE ARGS`)

SIDES: dict[str, Callable[[dict[str, Any]], Callable[[int], Seconds]]] = {}


def side(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a worker side: a function of the side's arguments that sets it up and returns
    the function running one round."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        SIDES[name] = fn
        return fn

    return register


def _now() -> Seconds:
    return time.perf_counter(), time.process_time()


def _since(start: Seconds) -> Seconds:
    """Wall-clock and CPU seconds (this process, all threads) since `start`."""
    wall, cpu = _now()
    return wall - start[0], cpu - start[1]


def _timed(*actions: Callable[[], object]) -> Seconds:
    start = _now()
    for action in actions:
        action()
    return _since(start)


@side("raw_ctas")
def _raw_ctas(args: dict[str, Any]) -> Callable[[int], Seconds]:
    """The anchor of every clone line: attach two plain files, CTAS across them (filtered by
    `where` if given), detach (the checkpoint counts, as our side's does); the copy is dropped
    outside the timing."""
    import duckdb

    src, dst, where = args["src"], args["dst"], args.get("where", "")

    def round_(i: int) -> Seconds:
        c = duckdb.connect()
        start = _now()
        c.execute(f"ATTACH '{src}' AS a (READ_ONLY)")
        c.execute(f"ATTACH '{dst}' AS b")
        c.execute(f"CREATE TABLE b.t{i} AS SELECT * FROM a.t {where}")
        c.execute("DETACH a")
        c.execute("DETACH b")
        elapsed = _since(start)
        c.execute(f"ATTACH '{dst}' AS b")
        c.execute(f"DROP TABLE b.t{i}")
        c.close()
        return elapsed

    return round_


@side("statement")
def _statement(args: dict[str, Any]) -> Callable[[int], Seconds]:
    """A cloneshell statement (`{i}` is the round) in a session over a warehouse, followed by
    `idle()` (which detaches, checkpointing, as the raw side's DETACH does); `undo` then runs
    untimed."""
    from cloneshell.engine import Session

    s = Session.open(
        args["warehouse"],
        principal=args.get("principal"),
        project=args.get("project"),
        dialect=args.get("dialect", "maxcompute"),
    )
    statement, undo, idle = args["statement"], args.get("undo"), args.get("idle", True)

    def round_(i: int) -> Seconds:
        run: list[Callable[[], object]] = [lambda: s.execute(statement.format(i=i))]
        if idle:
            run.append(s.idle)
        elapsed = _timed(*run)
        if undo:
            s.execute(undo.format(i=i))
            s.idle()
        return elapsed

    return round_


@side("raw_query")
def _raw_query(args: dict[str, Any]) -> Callable[[int], Seconds]:
    """A query on a plain DuckDB file through one read-only connection."""
    import duckdb

    con = duckdb.connect(args["db"], read_only=True)
    query = args["query"]
    return lambda i: _timed(lambda: con.execute(query).fetchall())


def worker_main(name: str, args_json: str) -> int:
    """Serve rounds of one side: one round number per stdin line, its seconds per stdout line."""
    run = SIDES[name](json.loads(args_json))
    print("ready", flush=True)
    for line in sys.stdin:
        wall, cpu = run(int(line))
        print(f"{wall!r} {cpu!r}", flush=True)
    print(_vm_hwm(), flush=True)
    return 0


# ---------------------------------------------------------------------------------------------
# Data sets


def _mc_session(root: Path) -> Any:
    from cloneshell.engine import Session

    return Session.open(root, principal=PRINCIPAL)


def _digits(s: Any, rows: int) -> tuple[str, str]:
    """(id expression, FROM list) generating `rows` rows (a power of ten) in the engine's own
    SQL: a cross join of a ten-row table with itself."""
    digits = max(1, round(math.log10(rows)))
    s.execute("CREATE TABLE digits (i BIGINT)")
    s.execute("INSERT INTO digits VALUES " + ", ".join(f"({i})" for i in range(10)))
    terms = " + ".join(f"d{k}.i * {10**k}" for k in range(digits))
    froms = ", ".join(f"digits d{k}" for k in range(digits))
    return f"({terms})", froms


def _raw_copy(out: Path, project_file: Path, select_from: Callable[[str], str]) -> None:
    """A plain DuckDB file holding table `t`, copied out of a project file."""
    import duckdb

    con = duckdb.connect(str(out))
    con.execute(f"ATTACH '{project_file}' AS p (READ_ONLY)")
    con.execute(f"CREATE TABLE t AS {select_from('p')}")
    con.close()


def _physical(project_file: Path, name: str) -> str:
    """`"schema"."table"` of a live table in a project file."""
    import duckdb

    con = duckdb.connect(str(project_file), read_only=True)
    row = con.execute(
        "SELECT physical_schema, physical_name FROM __cs.tables WHERE name = ? "
        "AND dropped_version IS NULL",
        [name],
    ).fetchone()
    con.close()
    assert row is not None, name
    return f'"{row[0]}"."{row[1]}"'


def _sf_database_file(wh: Path, name: str) -> Path:
    import duckdb

    con = duckdb.connect(str(wh / "warehouse.duckdb"), read_only=True)
    row = con.execute(
        "SELECT file FROM databases WHERE name = ? AND dropped_at IS NULL", [name]
    ).fetchone()
    con.close()
    assert row is not None, name
    return wh / "projects" / f"{row[0]}.duckdb"


def _sf_statement(wh: Path, **args: Any) -> Worker:
    """Our side of a Snowflake line: a `statement` worker over the warehouse `wh`."""
    return Worker("cloneshell", "statement", warehouse=str(wh), dialect="snowflake", **args)


@contextmanager
def _tempdir(name: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=f"cs-bench-{name}-") as tmp:
        yield Path(tmp)


# ---------------------------------------------------------------------------------------------
# The lines


def bench_clone(rows: int, rounds: int) -> Line:
    """CLONE TABLE into another project vs raw CTAS across two attached DuckDB files."""
    with _tempdir("clone") as root:
        wh = root / "wh"
        s = _mc_session(wh)
        s.execute("CREATE PROJECT src_proj")
        s.execute("CREATE PROJECT dst_proj")
        s.execute("CREATE TABLE src_proj.t (id BIGINT, k BIGINT, x DOUBLE, s STRING)")
        s.execute("SELECT count(*) FROM src_proj.t")  # attaches src_proj
        # Bulk data straight into storage, stamped with a committed version.
        s.warehouse.con.execute(
            f'INSERT INTO "prj_src_proj".main.t SELECT *, 1 FROM ({GEN.format(n=rows)})'
        )
        s.close()
        ours = Worker(
            "cloneshell",
            "statement",
            warehouse=str(wh),
            principal=PRINCIPAL,
            statement="CLONE TABLE src_proj.t TO dst_proj.t{i}",
            undo="DROP TABLE dst_proj.t{i}",
        )
        m = _against_raw_ctas(
            root,
            rounds,
            ours,
            wh / "projects" / "src_proj.duckdb",
            "SELECT id, k, x, s FROM {p}.main.t",
        )
    line = Line(
        "clone",
        f"CLONE TABLE, {rows:,} rows (BIGINT, BIGINT, DOUBLE, STRING), new destination in "
        "another project",
        "cloneshell CLONE TABLE src_proj.t TO dst_proj.tN",
        "raw DuckDB CTAS across attached files",
        m,
        "<= 1.10",
        1.10,
        cpu_limit=1.10,
    )
    a_peak, b_peak = m.a_peak, m.b_peak
    within = a_peak <= b_peak + 100 * MB
    line.note = (
        f"peak memory: cloneshell {a_peak / MB:,.0f} MB, raw CTAS {b_peak / MB:,.0f} MB + 100 MB "
        f"= {(b_peak + 100 * MB) / MB:,.0f} MB: {'met' if within else 'MISSED'}"
    )
    return line


def _against_raw_ctas(
    root: Path, rounds: int, ours: Worker, project_file: Path, select: str, where: str = ""
) -> Measured:
    """`ours` alternated with the anchor of the clone lines: a raw CTAS (filtered by `where`)
    from a plain DuckDB file holding `select` (`{p}` is the attached project file)."""
    raw_src, raw_dst = root / "raw_src.duckdb", root / "raw_dst.duckdb"
    _raw_copy(raw_src, project_file, lambda p: select.format(p=p))
    _touch_duckdb(raw_dst)
    raw = Worker("raw", "raw_ctas", src=str(raw_src), dst=str(raw_dst), where=where)
    return alternate(rounds, ours, raw)


def _touch_duckdb(path: Path) -> None:
    import duckdb

    duckdb.connect(str(path)).close()


def bench_partitions(rows: int, rounds: int) -> Line:
    """CLONE TABLE of 10 of 1,000 partitions vs a raw filtered CTAS of the same rows stored
    clustered by partition. Our table is filled as a user would: one dynamic-partition INSERT
    whose source interleaves the partitions."""
    rng = random.Random(7)
    chosen = sorted(rng.sample(range(PARTITIONS), CLONED_PARTITIONS))
    specs = [f"p{v:04d}" for v in chosen]
    with _tempdir("partitions") as root:
        wh = root / "wh"
        s = _mc_session(wh)
        s.execute("CREATE PROJECT src_proj")
        s.execute("CREATE PROJECT dst_proj")
        s.execute("USE src_proj")
        ident, froms = _digits(s, rows)
        s.execute(
            "CREATE TABLE pt (id BIGINT, k BIGINT, x DOUBLE, s STRING) PARTITIONED BY (ds STRING)"
        )
        s.execute(
            f"INSERT INTO pt PARTITION (ds) SELECT {ident}, {ident} % 1000, {ident} * 0.5, "
            f"concat('row-', CAST({ident} % 100000 AS STRING)), "
            f"concat('p', lpad(CAST({ident} % {PARTITIONS} AS STRING), 4, '0')) FROM {froms}"
        )
        s.close()
        project_file = wh / "projects" / "src_proj.duckdb"
        table = _physical(project_file, "pt")
        where = "WHERE ds IN (" + ", ".join(f"'{v}'" for v in specs) + ")"
        clone = (
            "CLONE TABLE src_proj.pt "
            + ", ".join(f"PARTITION (ds='{v}')" for v in specs)
            + " TO dst_proj.pt{i}"
        )
        ours = Worker(
            "cloneshell",
            "statement",
            warehouse=str(wh),
            principal=PRINCIPAL,
            statement=clone,
            undo="DROP TABLE dst_proj.pt{i}",
        )
        select = f"SELECT id, k, x, s, ds FROM {{p}}.{table} ORDER BY ds"
        m = _against_raw_ctas(root, rounds, ours, project_file, select, where)
    return Line(
        "partitions",
        f"CLONE TABLE of {CLONED_PARTITIONS} of {PARTITIONS:,} partitions ({rows:,} rows in all)",
        f"cloneshell CLONE TABLE pt PARTITION (…) x{CLONED_PARTITIONS}",
        "raw filtered CTAS, rows clustered by partition",
        m,
        "<= 1.5",
        1.5,
    )


def _sf_fill(s: Any, table: str, rows: int) -> None:
    """`rows` rows (a power of ten) into `table`, generated through the engine itself."""
    ident, froms = _digits(s, rows)
    s.execute(
        f"INSERT INTO {table} SELECT {ident}, {ident} % 1000, {ident} * 0.5, "
        f"'row-' || ({ident} % 100000) FROM {froms}"
    )


SF_COLUMNS = "(id NUMBER, k NUMBER, x FLOAT, s VARCHAR)"


def bench_dbclone(rows: int, rounds: int) -> Line:
    """Snowflake CREATE DATABASE … CLONE of 10 tables vs `cp` of the database's file."""
    from cloneshell.engine import Session

    with _tempdir("dbclone") as root:
        wh = root / "wh"
        s = Session.open(wh, dialect="snowflake")
        s.execute("CREATE DATABASE many_db")
        s.execute(f"CREATE TABLE t0 {SF_COLUMNS}")
        _sf_fill(s, "t0", rows // 10)
        for i in range(1, 10):
            s.execute(f"CREATE TABLE t{i} CLONE t0")
        s.close()
        source = _sf_database_file(wh, "MANY_DB")
        size = source.stat().st_size

        def cp(i: int) -> tuple[list[str], None]:
            target = root / "cp.duckdb"
            target.unlink(missing_ok=True)
            return ["cp", str(source), str(target)], None

        m = alternate(
            rounds,
            Worker(
                "cloneshell",
                "statement",
                warehouse=str(wh),
                dialect="snowflake",
                statement="CREATE DATABASE copy_{i} CLONE many_db",
                # Retention 0: the DROP deletes the copy's file, as `cp`'s side deletes its
                # copy before each round, so both write into page cache freed just before.
                # On these VMs memory left free for seconds goes back to the host and costs
                # ~3 ms/MB to touch again (`cp` keeping every copy: 0.20 s instead of 0.03 s);
                # a plain DROP keeps the file (Time Travel) and charged that to one side only.
                undo="ALTER DATABASE copy_{i} SET DATA_RETENTION_TIME_IN_DAYS = 0; "
                "DROP DATABASE copy_{i}",
            ),
            Command("cp", cp),
        )
    return Line(
        "dbclone",
        f"Snowflake CREATE DATABASE … CLONE, {rows:,} rows in 10 tables",
        "cloneshell CREATE DATABASE copy_N CLONE many_db",
        f"cp of the database file ({size / MB:,.0f} MB)",
        m,
        "<= 3",
        3.0,
        cpu_limit=3.0,
    )


def bench_sfclone(rows: int, rounds: int) -> Line:
    """Snowflake CREATE TABLE … CLONE (the present) into another database vs raw CTAS across
    two attached DuckDB files holding the same rows (issue 4's budget)."""
    from cloneshell.engine import Session

    with _tempdir("sfclone") as root:
        wh = root / "wh"
        s = Session.open(wh, dialect="snowflake")
        s.execute("CREATE DATABASE src_db")
        s.execute(f"CREATE TABLE t {SF_COLUMNS}")
        _sf_fill(s, "t", rows)
        # Retention 0: a dropped clone's storage goes at once, as the raw side drops its copy
        # (see bench_dbclone on memory left free on these VMs).
        s.execute("CREATE DATABASE dst_db DATA_RETENTION_TIME_IN_DAYS = 0")
        s.close()
        db_file = _sf_database_file(wh, "SRC_DB")
        table = _physical(db_file, "T")
        ours = _sf_statement(
            wh,
            statement="CREATE TABLE dst_db.public.t{i} CLONE src_db.public.t",
            undo="DROP TABLE dst_db.public.t{i}",
        )
        select = f"SELECT id, k, x, s FROM {{p}}.{table}"
        m = _against_raw_ctas(root, rounds, ours, db_file, select)
    return Line(
        "sfclone",
        f"Snowflake CREATE TABLE … CLONE, {rows:,} rows (NUMBER, NUMBER, FLOAT, VARCHAR), "
        "into another database",
        "cloneshell CREATE TABLE dst_db…tN CLONE src_db…t",
        "raw DuckDB CTAS across attached files",
        m,
        "<= 1.10",
        1.10,
    )


HISTORY_QUERY = "SELECT sum(id), sum(k), sum(x), count(DISTINCT s) FROM t"


def bench_history(rows: int, rounds: int) -> Line:
    """Reading the present of a Snowflake table with history vs the same read of a plain
    DuckDB table holding the same rows (same order and types, no version column)."""
    from cloneshell.engine import Session

    with _tempdir("history") as root:
        wh = root / "wh"
        s = Session.open(wh, dialect="snowflake")
        s.execute("CREATE DATABASE src_db")
        s.execute(f"CREATE TABLE t {SF_COLUMNS} DATA_RETENTION_TIME_IN_DAYS = 1")
        _sf_fill(s, "t", rows)
        for _ in range(2):  # history: 10% of the rows updated twice
            s.execute("UPDATE t SET x = x + 1 WHERE id % 10 = 0")
        s.close()
        db_file = _sf_database_file(wh, "SRC_DB")
        table = _physical(db_file, "T")
        plain = root / "plain.duckdb"
        _raw_copy(plain, db_file, lambda p: f"SELECT id, k, x, s FROM {p}.{table}")
        m = alternate(
            rounds,
            Worker(
                "cloneshell",
                "statement",
                warehouse=str(wh),
                dialect="snowflake",
                project="SRC_DB",
                statement=HISTORY_QUERY,
                idle=False,  # statements of one script: the file stays attached
            ),
            Worker("raw", "raw_query", db=str(plain), query=HISTORY_QUERY),
        )
    return Line(
        "history",
        f"Snowflake: reading the present of {rows:,} rows, 10% of them updated twice",
        "cloneshell SELECT (table with history)",
        "plain DuckDB table, same rows",
        m,
        "<= 1.10",
        1.10,
    )


def _isolated_env(root: Path) -> dict[str, str]:
    """An environment whose config, history and state live under `root`."""
    return dict(
        os.environ,
        HOME=str(root),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_STATE_HOME=str(root / "state"),
        XDG_DATA_HOME=str(root / "data"),
        PROMPT_TOOLKIT_NO_CPR="1",
        TERM="xterm-256color",
    )


def _cloneshell() -> str:
    return str(Path(sys.executable).parent / "cloneshell")


def bench_script(inserts: int, rounds: int) -> Line:
    """A piped script of single-row INSERTs: `cloneshell < script.sql` vs `duckdb db <
    script.sql` (the DuckDB CLI), each on a fresh database per round."""
    duckdb_cli = _bench_tool("duckdb")
    with _tempdir("script") as root:
        rng = random.Random(11)
        script = root / "inserts.sql"
        lines = ["CREATE TABLE t (id BIGINT, name STRING, amount DOUBLE);"]
        lines += [
            f"INSERT INTO t VALUES ({i}, 'customer-{rng.randrange(10**6)}', "
            f"{rng.randrange(10**6) / 100});"
            for i in range(inserts)
        ]
        script.write_text("\n".join(lines) + "\n")
        env = _isolated_env(root)
        template = root / "wh-template"
        subprocess.run(
            [_cloneshell(), "-w", str(template), "-e", "SELECT 1;"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )

        def ours(i: int) -> tuple[list[str], Path]:
            wh = root / "wh"
            shutil.rmtree(wh, ignore_errors=True)
            shutil.copytree(template, wh)
            return [_cloneshell(), "-w", str(wh)], script

        def cli(i: int) -> tuple[list[str], Path]:
            db = root / "cli.duckdb"
            for p in (db, db.with_name(db.name + ".wal")):
                p.unlink(missing_ok=True)
            return [duckdb_cli, str(db)], script

        m = alternate(rounds, Command("cloneshell", ours, env), Command("duckdb", cli, env))
    line = Line(
        "script",
        f"piped script of {inserts:,} single-row INSERTs",
        "cloneshell < script.sql",
        "DuckDB CLI (duckdb-cli 1.5.6) < script.sql",
        m,
        ">= 1.0 (rate)",
        1.0,
        higher_is_better=True,
    )
    line.note = (
        f"rates: cloneshell {inserts / statistics.median(m.a):,.0f}/s, "
        f"DuckDB CLI {inserts / statistics.median(m.b):,.0f}/s"
    )
    return line


def bench_startup(rounds: int) -> Line:
    """`cloneshell -e "SELECT 1;"` vs `python -c "import duckdb"`."""
    with _tempdir("startup") as root:
        env = _isolated_env(root)
        wh = str(root / "wh")
        subprocess.run(
            [_cloneshell(), "-w", wh, "-e", "SELECT 1;"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        m = alternate(
            rounds,
            Command(
                "cloneshell", lambda i: ([_cloneshell(), "-w", wh, "-e", "SELECT 1;"], None), env
            ),
            Command("python", lambda i: ([sys.executable, "-c", "import duckdb"], None), env),
        )
    return Line(
        "startup",
        '`cloneshell -e "SELECT 1;"` wall time',
        'cloneshell -e "SELECT 1;"',
        'python -c "import duckdb"',
        m,
        "<= 1.6",
        1.6,
    )


def bench_first_prompt(rounds: int) -> Line:
    """The first interactive prompt vs litecli's, in a pseudo-terminal."""
    litecli = _bench_tool("litecli")
    with _tempdir("prompt") as root:
        env = _isolated_env(root)
        wh = str(root / "wh")
        subprocess.run(
            [_cloneshell(), "-w", wh, "-e", "SELECT 1;"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        db = str(root / "lite.db")
        m = alternate(
            rounds,
            Prompt("cloneshell", [_cloneshell(), "-w", wh], "my_project>", env),
            Prompt("litecli", [litecli, "-R", "litecli> ", db], "litecli>", env),
        )
    return Line(
        "first-prompt",
        "first interactive prompt",
        "cloneshell (until `odps@ my_project>`)",
        "litecli 1.17.1 (until its prompt)",
        m,
        "<= 1.0",
        1.0,
    )


def _bench_tool(name: str) -> str:
    """A program from .venv-bench, installing the pinned tools there on first use."""
    stamp = BENCH_VENV / ".bench-tools"
    if not stamp.exists() or stamp.read_text().split() != list(BENCH_TOOLS):
        print(f"   installing {', '.join(BENCH_TOOLS)} into .venv-bench (once)", flush=True)
        if not (BENCH_VENV / "bin" / "pip").exists():
            subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(BENCH_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
            + list(BENCH_TOOLS),
            check=True,
        )
        stamp.write_text("\n".join(BENCH_TOOLS) + "\n")
    return str(BENCH_VENV / "bin" / name)


# ---------------------------------------------------------------------------------------------
# After the clone (issue 17): queries, DML with history, deep history, streams, loads, scale.
# Each builds its data through the engine (so it is stored exactly as a user's would be), makes
# the anchor's plain DuckDB copy of the same rows, and alternates both sides as above.


@side("raw_sql")
def _raw_sql(args: dict[str, Any]) -> Callable[[int], Seconds]:
    """Statements on a plain DuckDB file through one connection (`{i}` is the round), fetched
    and, with `checkpoint`, checkpointed (as our side's idle() detaches); `undo` untimed."""
    import duckdb

    con = duckdb.connect(args["db"], read_only=args.get("read_only", False))
    statement, undo, checkpoint = args["statement"], args.get("undo"), args.get("checkpoint")

    def round_(i: int) -> Seconds:
        def run() -> None:
            for one in statement.format(i=i).split(";"):
                if one.strip():
                    con.execute(one).fetchall()
            if checkpoint:
                con.execute("CHECKPOINT")

        elapsed = _timed(run)
        if undo:
            con.execute(undo.format(i=i))
        return elapsed

    return round_


def _memory_note(line: Line) -> Line:
    """Add the memory budget's verdict (cloneshell <= the anchor + 100 MB) to a line."""
    a, b = line.m.a_peak, line.m.b_peak
    verdict = "met" if a <= b + 100 * MB else "MISSED"
    memory = f"peak memory cloneshell {a / MB:,.0f} MB <= anchor + 100 MB: {verdict}"
    line.note = f"{line.note}; {memory}" if line.note else memory
    return line


def _plain_of(out: Path, project_file: Path, tables: dict[str, str]) -> None:
    """A plain DuckDB file holding each table of `tables` (our name -> `"schema"."table"` in
    the project file), with the user's columns only."""
    import duckdb

    con = duckdb.connect(str(out))
    con.execute(f"ATTACH '{project_file}' AS p (READ_ONLY)")
    for name, physical in tables.items():
        cols = [
            r[0]
            for r in con.execute(f"DESCRIBE p.{physical}").fetchall()
            if not r[0].startswith("__cs")
        ]
        select = ", ".join(f'"{c}"' for c in cols)
        con.execute(f'CREATE TABLE "{name}" AS SELECT {select} FROM p.{physical}')
    con.close()


# query: a star schema. The fact's ds takes 100 values; MaxCompute partitions by it.
QUERY_DIMS = {"dim_store": 1_000, "dim_item": 10_000, "dim_day": 100}
QUERIES = (
    ("join+group", "SELECT s.region, sum(f.amount) AS total, count(*) AS n FROM fact f "
     "JOIN dim_store s ON f.store_id = s.id GROUP BY s.region ORDER BY s.region LIMIT 100"),
    ("3 joins", "SELECT d.month, s.region, i.category, sum(f.amount * f.qty) AS v FROM fact f "
     "JOIN dim_store s ON f.store_id = s.id JOIN dim_item i ON f.item_id = i.id "
     "JOIN dim_day d ON f.ds = d.ds GROUP BY d.month, s.region, i.category "
     "ORDER BY v DESC LIMIT 20"),
    ("window", "SELECT store_id, total, rank() OVER (ORDER BY total DESC) AS r FROM "
     "(SELECT store_id, sum(amount) AS total FROM fact GROUP BY store_id) x "
     "ORDER BY r LIMIT 10"),
    ("filter", "SELECT count(*), sum(amount), max(qty) FROM fact WHERE amount > 900 "
     "AND qty BETWEEN 3 AND 5"),
    ("partition", "SELECT item_id, sum(amount) AS total FROM fact WHERE ds = 'd042' "
     "GROUP BY item_id ORDER BY total DESC LIMIT 10"),
    ("partitions+join", "SELECT i.category, avg(f.amount) AS a FROM fact f "
     "JOIN dim_item i ON f.item_id = i.id WHERE f.ds IN ('d010', 'd011', 'd012') "
     "GROUP BY i.category ORDER BY i.category LIMIT 100"),
)  # fmt: skip


def _query_data(s: Any, rows: int, dialect: str) -> None:
    """The fact and its 3 dimensions, through the engine."""
    text = "STRING" if dialect == "maxcompute" else "VARCHAR"
    number = "BIGINT"
    ident, froms = _digits(s, rows)
    part = " PARTITIONED BY (ds STRING)" if dialect == "maxcompute" else ""
    cols = f"(id {number}, store_id {number}, item_id {number}, amount DOUBLE, qty {number}"
    s.execute(f"CREATE TABLE fact {cols}{'' if part else f', ds {text}'}){part}")
    ds = f"concat('d', lpad(CAST({ident} % 100 AS {text}), 3, '0'))"
    target = "fact PARTITION (ds)" if part else "fact"
    s.execute(
        f"INSERT INTO {target} SELECT {ident}, {ident} % 1000, ({ident} * 7) % 10000, "
        f"({ident} % 100000) / 100.0, {ident} % 10, {ds} FROM {froms}"
    )
    s.execute(f"CREATE TABLE dim_store (id {number}, region {text})")
    s.execute(
        f"INSERT INTO dim_store SELECT {ident}, concat('r', CAST({ident} % 7 AS {text})) "
        f"FROM {froms} WHERE {ident} < 1000"
    )
    s.execute(f"CREATE TABLE dim_item (id {number}, category {text})")
    s.execute(
        f"INSERT INTO dim_item SELECT {ident}, concat('c', CAST({ident} % 50 AS {text})) "
        f"FROM {froms} WHERE {ident} < 10000"
    )
    s.execute(f"CREATE TABLE dim_day (ds {text}, month {text})")
    s.execute(
        f"INSERT INTO dim_day SELECT concat('d', lpad(CAST({ident} AS {text}), 3, '0')), "
        f"concat('m', CAST({ident} % 12 AS {text})) FROM {froms} WHERE {ident} < 100"
    )


def bench_query(rows: int, rounds: int, dialect: str) -> list[Line]:
    """6 analytic queries through cloneshell vs the same queries in raw DuckDB on the same
    rows: one line per query."""
    from cloneshell.engine import Session

    lines: list[Line] = []
    with _tempdir(f"query-{dialect}") as root:
        wh = root / "wh"
        if dialect == "maxcompute":
            s = _mc_session(wh)
            s.execute("CREATE PROJECT q_proj")
            s.execute("USE q_proj")
            opened = {"principal": PRINCIPAL, "project": "q_proj"}
        else:
            s = Session.open(wh, dialect="snowflake")
            s.execute("CREATE DATABASE q_db")
            opened = {"project": "Q_DB"}
        _query_data(s, rows, dialect)
        s.close()
        if dialect == "maxcompute":
            project_file = wh / "projects" / "q_proj.duckdb"
            names = ["fact", *QUERY_DIMS]
        else:
            project_file = _sf_database_file(wh, "Q_DB")
            names = [n.upper() for n in ["fact", *QUERY_DIMS]]
        plain = root / "plain.duckdb"
        _plain_of(plain, project_file, {n.lower(): _physical(project_file, n) for n in names})
        for key, query in QUERIES:
            m = alternate(
                rounds,
                Worker(
                    "cloneshell",
                    "statement",
                    warehouse=str(wh),
                    dialect=dialect,
                    statement=query,
                    idle=False,
                    **opened,
                ),
                Worker("raw", "raw_sql", db=str(plain), statement=query, read_only=True),
            )
            line = Line(
                f"query-{dialect[:2]}-{key}",
                f"{dialect} query '{key}' over a {rows:,}-row fact and 3 dimensions",
                f"cloneshell ({dialect})",
                "raw DuckDB, same rows",
                m,
                "<= 1.05",
                1.05,
            )
            lines.append(_memory_note(line))
    return lines


def _sf_dml_setup(root: Path, rows: int) -> tuple[Path, Path]:
    """A Snowflake table t (retention 1) of `rows` rows, and a plain DuckDB copy of it."""
    from cloneshell.engine import Session

    wh = root / "wh"
    s = Session.open(wh, dialect="snowflake")
    s.execute("CREATE DATABASE dml_db")
    s.execute(f"CREATE TABLE t {SF_COLUMNS} DATA_RETENTION_TIME_IN_DAYS = 1")
    _sf_fill(s, "t", rows)
    s.close()
    db_file = _sf_database_file(wh, "DML_DB")
    plain = root / "plain.duckdb"
    _plain_of(plain, db_file, {"t": _physical(db_file, "T")})
    return wh, plain


def bench_dml(rows: int, rounds: int, kind: str) -> Line:
    """Snowflake UPDATE or DELETE of 10% of the rows (a different tenth each round), with
    history kept (retention 1), vs the same statement in raw DuckDB; both checkpoint."""
    statement = {
        "update": "UPDATE t SET x = x + 1 WHERE id % 10 = {i}",
        "delete": "DELETE FROM t WHERE id % 10 = {i}",
    }[kind]
    with _tempdir(kind) as root:
        wh, plain = _sf_dml_setup(root, rows)
        m = alternate(
            rounds,
            _sf_statement(
                wh,
                project="DML_DB",
                statement=statement,
            ),
            Worker("raw", "raw_sql", db=str(plain), statement=statement, checkpoint=True),
        )
    line = Line(
        kind,
        f"Snowflake {kind.upper()} of 10% of {rows:,} rows, retention 1 (history kept)",
        f"cloneshell {statement.split()[0]} … WHERE id % 10 = N",
        f"raw DuckDB {kind.upper()}",
        m,
        "<= 1.5",
        1.5,
    )
    return _memory_note(line)


MERGE_SQL = (
    "MERGE INTO t USING src{i} s ON t.id = s.id "
    "WHEN MATCHED THEN UPDATE SET x = s.x "
    "WHEN NOT MATCHED THEN INSERT (id, k, x, s) VALUES (s.id, s.k, s.x, s.s)"
)


def bench_merge(rows: int, rounds: int) -> Line | None:
    """MERGE of rows/10 source rows (half updates, half inserts) into `rows`, vs raw DuckDB's
    own MERGE on the same rows. None (and a message) while MERGE is not supported."""
    from cloneshell.engine import Session

    source_rows = max(2, rows // 10)
    with _tempdir("merge") as root:
        wh, plain = _sf_dml_setup(root, rows)
        s = Session.open(wh, dialect="snowflake", project="DML_DB")
        half = source_rows // 2
        for i in range(rounds + 1):
            # updates: ids [i*half, (i+1)*half); inserts: new ids past the table's end
            s.execute(f"CREATE TABLE src{i} {SF_COLUMNS}")
            s.execute(
                f"INSERT INTO src{i} SELECT id, k, x + 1, s FROM t "
                f"WHERE id >= {i * half} AND id < {(i + 1) * half}"
            )
            s.execute(
                f"INSERT INTO src{i} SELECT id + {rows + i * half}, k, x, s FROM t "
                f"WHERE id < {half}"
            )
        try:
            # the probe merges into a scratch table (not into a round's source)
            s.execute(f"CREATE TABLE merge_probe {SF_COLUMNS}")
            s.execute(MERGE_SQL.format(i="0").replace("INTO t ", "INTO merge_probe AS t ", 1))
            s.execute("DROP TABLE merge_probe")
        except Exception as e:  # noqa: BLE001 - any refusal means: not built yet
            s.close()
            print(f"== merge: skipped: MERGE does not run yet ({str(e)[:120]})", flush=True)
            return None
        s.close()
        db_file = _sf_database_file(wh, "DML_DB")
        names = {f"src{i}": _physical(db_file, f"SRC{i}") for i in range(rounds + 1)}
        _plain_of(root / "plain_src.duckdb", db_file, names)
        import duckdb

        con = duckdb.connect(str(plain))
        con.execute(f"ATTACH '{root / 'plain_src.duckdb'}' AS ps (READ_ONLY)")
        for name in names:
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM ps.{name}")
        con.close()
        m = alternate(
            rounds,
            _sf_statement(
                wh,
                project="DML_DB",
                statement=MERGE_SQL,
            ),
            Worker("raw", "raw_sql", db=str(plain), statement=MERGE_SQL, checkpoint=True),
        )
    line = Line(
        "merge",
        f"Snowflake MERGE of {source_rows:,} rows (half updates, half inserts) into {rows:,}",
        "cloneshell MERGE INTO t USING srcN …",
        "raw DuckDB MERGE INTO, same rows",
        m,
        "<= 1.5",
        1.5,
    )
    return _memory_note(line)


DEPTH_QUERY = "SELECT sum(id), sum(k), sum(x), count(*) FROM t"
DEPTH_STEPS = (10, 100, 1_000)


def bench_depth(rows: int, rounds: int) -> list[Line]:
    """Reads after 10, 100 and 1,000 small DML statements (single-row UPDATEs and INSERTs,
    retention 1): the present, and the table AT the middle of its history, each vs a fresh
    plain table holding the same rows. Lines at 1,000; the curve in their notes."""
    from cloneshell.engine import Session

    curve: dict[int, tuple[float, float]] = {}
    lines: list[Line] = []
    with _tempdir("depth") as root:
        wh = root / "wh"
        s = Session.open(wh, dialect="snowflake")
        s.execute("CREATE DATABASE depth_db")
        s.execute(f"CREATE TABLE t {SF_COLUMNS} DATA_RETENTION_TIME_IN_DAYS = 1")
        _sf_fill(s, "t", rows)
        done = 0
        for step in DEPTH_STEPS:
            middle = ""
            while done < step:
                if done % 2:
                    s.execute(f"UPDATE t SET x = x + 1 WHERE id = {(done * 7919) % rows}")
                else:
                    s.execute(f"INSERT INTO t VALUES ({rows + done}, 1, 0.5, 'new')")
                done += 1
                if done == step // 2 or (not middle and done == step):
                    middle = s.query_ids[-1]
            past = f"SELECT sum(id), sum(k), sum(x), count(*) FROM t AT(STATEMENT => '{middle}')"
            s.idle()
            db_file = _sf_database_file(wh, "DEPTH_DB")
            plain = root / f"plain{step}.duckdb"
            _plain_of(plain, db_file, {"t": _physical(db_file, "T")})
            past_plain = root / f"past{step}.duckdb"
            s.execute(f"CREATE TABLE t_past CLONE t AT(STATEMENT => '{middle}')")
            s.idle()
            _plain_of(past_plain, db_file, {"t": _physical(db_file, "T_PAST")})
            s.execute("DROP TABLE t_past")
            s.idle()
            s.close()
            figures = []
            for what, ours_sql, anchor in (
                ("present", DEPTH_QUERY, plain),
                ("past", past, past_plain),
            ):
                m = alternate(
                    rounds,
                    _sf_statement(
                        wh,
                        project="DEPTH_DB",
                        statement=ours_sql,
                        idle=False,
                    ),
                    Worker("raw", "raw_sql", db=str(anchor), statement=DEPTH_QUERY, read_only=True),
                )
                limit = 1.2 if what == "present" else 2.0
                line = Line(
                    "depth" if what == "present" else "depth-past",
                    f"Snowflake read of the {what} after {step:,} small DML statements "
                    f"({rows:,} rows)",
                    f"cloneshell SELECT{' … AT(STATEMENT => mid)' if what == 'past' else ''}",
                    "a fresh plain table of the same rows",
                    m,
                    f"<= {limit}",
                    limit,
                )
                figures.append(statistics.median(line.ratios))
                if step == DEPTH_STEPS[-1]:
                    lines.append(_memory_note(line))
            curve[step] = (figures[0], figures[1])
            s = Session.open(wh, dialect="snowflake", project="DEPTH_DB")
        s.close()
    text = "curve (versions: present ratio / past ratio): " + ", ".join(
        f"{n:,}: {a:.2f} / {b:.2f}" for n, (a, b) in curve.items()
    )
    for line in lines:
        line.note = f"{text}; {line.note}"
    return lines


STREAM_QUERY = "SELECT * FROM s"


def bench_stream(rows: int, rounds: int) -> Line:
    """Reading a standard stream after an UPDATE of 25% of the table vs a plain scan of the
    table; also at a quarter and a half of the rows, to show it is linear."""
    from cloneshell.engine import Session

    per_row: dict[int, float] = {}
    final: Line | None = None
    with _tempdir("stream") as root:
        for n in (max(4, rows // 4), max(4, rows // 2), rows):
            wh = root / f"wh{n}"
            s = Session.open(wh, dialect="snowflake")
            s.execute("CREATE DATABASE st_db")
            s.execute(f"CREATE TABLE t {SF_COLUMNS} DATA_RETENTION_TIME_IN_DAYS = 1")
            ident, froms = _digits(s, 10 ** max(1, math.ceil(math.log10(n))))
            s.execute(
                f"INSERT INTO t SELECT {ident}, {ident} % 1000, {ident} * 0.5, "
                f"'row-' || ({ident} % 100000) FROM {froms} WHERE {ident} < {n}"
            )
            s.execute("CREATE STREAM s ON TABLE t")
            s.execute("UPDATE t SET x = x + 1 WHERE id % 4 = 0")
            s.close()
            db_file = _sf_database_file(wh, "ST_DB")
            plain = root / f"plain{n}.duckdb"
            _plain_of(plain, db_file, {"t": _physical(db_file, "T")})
            m = alternate(
                rounds,
                _sf_statement(
                    wh,
                    project="ST_DB",
                    statement=STREAM_QUERY,
                    idle=False,
                ),
                Worker(
                    "raw", "raw_sql", db=str(plain), statement="SELECT * FROM t", read_only=True
                ),
            )
            per_row[n] = statistics.median(m.a) / n * 1e6
            final = Line(
                "stream",
                f"Snowflake stream read after an UPDATE of 25% of {n:,} rows",
                "cloneshell SELECT * FROM s (2 rows per updated row)",
                "plain DuckDB SELECT * FROM t",
                m,
                "<= 3",
                3.0,
            )
    assert final is not None
    final.note = "linear: µs per table row " + ", ".join(
        f"{n:,}: {us:.2f}" for n, us in per_row.items()
    )
    return _memory_note(final)


def bench_copy(rows: int, rounds: int, kind: str) -> Line:
    """COPY INTO from an internal stage (FORCE, a new load each round) vs raw DuckDB
    `CREATE TABLE AS SELECT * FROM read_csv/read_parquet` of the same file."""
    import duckdb

    from cloneshell.engine import Session

    with _tempdir(f"copy-{kind}") as root:
        local = root / f"data.{kind}"
        gen = GEN.format(n=rows)
        fmt = "(FORMAT CSV, HEADER false)" if kind == "csv" else "(FORMAT PARQUET)"
        duckdb.connect().execute(f"COPY ({gen}) TO '{local}' {fmt}")
        wh = root / "wh"
        s = Session.open(wh, dialect="snowflake")
        s.execute("CREATE DATABASE load_db")
        s.execute(f"CREATE TABLE t {SF_COLUMNS}")
        s.execute("CREATE STAGE st")
        s.execute(f"PUT file://{local} @st AUTO_COMPRESS = FALSE")
        s.close()
        ftype = "CSV" if kind == "csv" else "PARQUET"
        match = "" if kind == "csv" else " MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE"
        copy = f"COPY INTO t FROM @st FILE_FORMAT = (TYPE = {ftype}){match} FORCE = TRUE"
        reader = (
            f"read_csv('{local}', header = false, columns = {{'id': 'BIGINT', 'k': 'BIGINT', "
            f"'x': 'DOUBLE', 's': 'VARCHAR'}})"
            if kind == "csv"
            else f"read_parquet('{local}')"
        )
        plain = root / "plain.duckdb"
        _touch_duckdb(plain)
        m = alternate(
            rounds,
            _sf_statement(
                wh,
                project="LOAD_DB",
                statement=copy,
                undo="TRUNCATE TABLE t",
            ),
            Worker(
                "raw",
                "raw_sql",
                db=str(plain),
                # (the statement is .format()ed with the round: the reader's braces escaped)
                statement="CREATE TABLE t{i} AS SELECT * FROM "
                + reader.replace("{", "{{").replace("}", "}}"),
                checkpoint=True,
                undo="DROP TABLE t{i}",
            ),
        )
    line = Line(
        f"copy-{kind}",
        f"Snowflake COPY INTO from a stage, {rows:,}-row {kind.upper()} file",
        "cloneshell COPY INTO t FROM @st … FORCE = TRUE",
        f"raw DuckDB CTAS FROM read_{kind}",
        m,
        "<= 1.2",
        1.2,
    )
    return _memory_note(line)


# json (issue 14): 3 VARIANT paths out of every row, vs DuckDB's own JSON functions.
JSON_QUERY = "SELECT max(v:a.b), max(v:c[0]), count(DISTINCT v:d::string) FROM j"
JSON_RAW = "SELECT max(v->'$.a.b'), max(v->'$.c[0]'), count(DISTINCT v->>'$.d') FROM j"


def bench_json(rows: int, rounds: int) -> Line:
    """A Snowflake query extracting 3 paths (`v:a.b`, `v:c[0]`, `v:d::string`) from `rows`
    VARIANT rows vs the same extraction in raw DuckDB JSON functions (`->`, `->>`) on a plain
    copy of the same JSON values."""
    from cloneshell.engine import Session

    with _tempdir("json") as root:
        wh = root / "wh"
        s = Session.open(wh, dialect="snowflake")
        s.execute("CREATE DATABASE json_db")
        s.execute("CREATE TABLE j (id NUMBER, v VARIANT)")
        ident, froms = _digits(s, rows)
        s.execute(
            f'INSERT INTO j SELECT {ident}, PARSE_JSON(\'{{"a": {{"b": \' || {ident} || '
            f'\'}}, "c": [\' || ({ident} % 100) || \', 2], "d": "s\' || ({ident} % 1000) || '
            f"'\"}}') FROM {froms}"
        )
        s.close()
        db_file = _sf_database_file(wh, "JSON_DB")
        plain = root / "plain.duckdb"
        _plain_of(plain, db_file, {"j": _physical(db_file, "J")})
        m = alternate(
            rounds,
            _sf_statement(wh, project="JSON_DB", statement=JSON_QUERY, idle=False),
            Worker("raw", "raw_sql", db=str(plain), statement=JSON_RAW, read_only=True),
        )
    line = Line(
        "json",
        f"Snowflake query of 3 VARIANT paths over {rows:,} rows",
        "cloneshell v:a.b, v:c[0], v:d::string",
        "raw DuckDB v->'$.a.b', v->'$.c[0]', v->>'$.d'",
        m,
        "<= 1.2",
        1.2,
    )
    return _memory_note(line)


def bench_scale(projects: int, tables: int, rounds: int) -> list[Line]:
    """The first statement of `cloneshell -e` on a warehouse of `projects` projects vs one of
    1 project; and SHOW TABLES IN ACCOUNT over `tables` Snowflake tables (absolute target)."""
    from cloneshell.engine import Session

    lines: list[Line] = []
    with _tempdir("scale") as root:
        env = _isolated_env(root)
        one, many = root / "one", root / "many"
        for wh, count in ((one, 1), (many, projects)):
            s = _mc_session(wh)
            for p in range(count):
                s.execute(f"CREATE PROJECT p{p:04d}")
            s.close()
        statement = "SELECT 1;"
        # as the projects' owner, in the first of them (another user may not enter it)
        who = ["-u", PRINCIPAL, "-p", "p0000"]
        m = alternate(
            rounds,
            Command(
                "cloneshell",
                lambda i: ([_cloneshell(), "-w", str(many), *who, "-e", statement], None),
                env,
            ),
            Command(
                "cloneshell",
                lambda i: ([_cloneshell(), "-w", str(one), *who, "-e", statement], None),
                env,
            ),
        )
        lines.append(
            _memory_note(
                Line(
                    "scale-open",
                    f"first statement (cloneshell -e) on a warehouse of {projects:,} projects",
                    f"{projects:,} projects",
                    "1 project",
                    m,
                    "<= 1.2",
                    1.2,
                )
            )
        )
        wh = root / "sf"
        s = Session.open(wh, dialect="snowflake")
        databases = 10
        per = max(1, tables // databases)
        for d in range(databases):
            s.execute(f"CREATE DATABASE db{d}")
            for i in range(0, per, 100):
                s.execute(
                    ";".join(
                        f"CREATE TABLE t{j} (id NUMBER, v VARCHAR)"
                        for j in range(i, min(per, i + 100))
                    )
                )
            s.idle()
        s.close()
        times: list[float] = []
        cpus: list[float] = []
        s = Session.open(wh, dialect="snowflake")
        s.execute("SHOW TABLES IN ACCOUNT")  # warm-up
        for _ in range(rounds):
            wall, cpu = _timed(lambda: s.execute("SHOW TABLES IN ACCOUNT"))
            times.append(wall)
            cpus.append(cpu)
        (shown,) = s.execute("SHOW TABLES IN ACCOUNT")
        s.close()
        count = len(getattr(shown, "rows", []))
        median = statistics.median(times)
        verdict = "met" if median <= 0.2 else "MISSED"
        print(
            f"== scale-show: SHOW TABLES IN ACCOUNT over {count:,} tables in {databases} "
            f"databases — {rounds} rounds after a warm-up\n"
            f"   wall {_spread(times)}   CPU median {statistics.median(cpus):.3f}s   "
            f"target <= 200 ms: {verdict}",
            flush=True,
        )
    return lines


# ---------------------------------------------------------------------------------------------
# complete: suggest() latency over a big catalog (no anchor: a p99 target)

COMPLETE_NAMES = (
    "sales_dw", "marketing", "finance", "hr_data", "logistics",
    "web_logs", "risk_ctrl", "crm_core", "ads_stats", "ops_metrics",
)  # fmt: skip
_LAYERS = ("ods", "dwd", "dws", "ads", "dim")
_SUBJECTS = (
    "orders", "users", "items", "payments", "sessions", "clicks", "refunds", "inventory",
    "shipments", "campaigns", "coupons", "reviews", "stores", "suppliers", "returns",
    "carts", "searches", "devices", "accounts", "invoices",
)  # fmt: skip
_GRAINS = ("di", "df", "hi", "1d", "7d", "30d", "snapshot", "detail", "summary", "daily")
_COLUMNS = (
    ("user_id", "BIGINT"), ("order_id", "BIGINT"), ("item_id", "BIGINT"), ("amount", "DOUBLE"),
    ("price", "DOUBLE"), ("quantity", "BIGINT"), ("status", "STRING"), ("region", "STRING"),
    ("channel", "STRING"), ("device_type", "STRING"), ("category", "STRING"),
    ("created_at", "DATETIME"), ("updated_at", "DATETIME"), ("event_time", "DATETIME"),
    ("store_id", "BIGINT"), ("coupon_code", "STRING"), ("is_valid", "BOOLEAN"),
    ("discount", "DOUBLE"), ("city", "STRING"), ("gmv", "DOUBLE"),
)  # fmt: skip
_DS_VALUES = tuple(f"202401{d:02d}" for d in range(1, 15))


def _complete_table_names(count: int) -> list[str]:
    """`count` realistic, distinct MaxCompute-style names: layer_subject_grain[_n]."""
    names = [f"{layer}_{s}_{g}" for s in _SUBJECTS for layer in _LAYERS for g in _GRAINS]
    out = names[:count]
    n = 2
    while len(out) < count:
        out += [f"{name}_{n}" for name in names[: count - len(out)]]
        n += 1
    return out


def _complete_ddl(project: str, name: str, i: int) -> str:
    columns = ["id BIGINT"] + [
        f"{c} {t}" for c, t in (_COLUMNS[(i * 7 + k * 3) % len(_COLUMNS)] for k in range(7))
    ]
    columns = list(dict.fromkeys(columns))  # the stride may repeat a column
    ddl = f"CREATE TABLE {project}.{name} ({', '.join(columns)})"
    if i % 3 == 0:
        ddl += " PARTITIONED BY (ds STRING)" if i % 2 else " PARTITIONED BY (ds STRING, hh STRING)"
    return ddl


def _complete_warehouse(root: Path, projects: int, tables: int) -> tuple[Any, float | None]:
    """Open the benchmark warehouse, building it on first use (kept under the temp dir: a
    rebuild takes minutes). Returns the session and the build time (None when reused)."""
    from cloneshell.engine import Session

    marker = root / "complete-bench.ok"
    if marker.exists():
        return Session.open(root, principal=PRINCIPAL, project=COMPLETE_NAMES[0]), None
    if root.exists():
        shutil.rmtree(root)
    start = time.perf_counter()
    s = Session.open(root, principal=PRINCIPAL)
    names = _complete_table_names(tables)
    for p in range(projects):
        project = COMPLETE_NAMES[p] if p < len(COMPLETE_NAMES) else f"project_{p:03d}"
        s.execute(f"CREATE PROJECT {project}")
        s.execute(f"USE {project}")
        s.execute(f"ADD USER RAM$bench@aliyun.com:dev{p}")
        s.execute(f"CREATE ROLE reader_{p}")
        for i in range(0, tables, 100):
            s.execute(
                ";".join(_complete_ddl(project, n, i + k) for k, n in enumerate(names[i : i + 100]))
            )
        # Existing partitions for a few partitioned tables (what `PARTITION (ds=` offers).
        for i in range(0, min(tables, 60), 6):
            specs = " ".join(
                f"PARTITION (ds='{ds}')" if i % 2 else f"PARTITION (ds='{ds}', hh='0{h}')"
                for ds in _DS_VALUES
                for h in range(1 if i % 2 else 2)
            )
            s.execute(f"ALTER TABLE {project}.{names[i]} ADD {specs}")
        s.idle()
        print(
            f"   built {project}: {tables} tables ({time.perf_counter() - start:.0f}s)", flush=True
        )
    s.execute(f"USE {COMPLETE_NAMES[0]}")
    s.idle()
    marker.write_text(f"{projects}x{tables}\n")
    return s, time.perf_counter() - start


def _typing(statement: str, cursor_from: int = 0) -> list[tuple[str, str]]:
    """(text before cursor, full text) for each character of `statement` typed at the end."""
    return [(statement[:i], statement[:i]) for i in range(cursor_from, len(statement) + 1)]


def _complete_positions(snap: Any, count: int) -> list[tuple[str, str]]:
    """At least `count` cursor positions from statements typed character by character."""
    rng = random.Random(42)
    local = [t for t in snap.tables if t.project == snap.current_project]
    others = [t for t in snap.tables if t.project != snap.current_project]
    partitioned = [t for t in snap.tables if t.partitions]
    positions: list[tuple[str, str]] = []
    while len(positions) < count:
        t, o, o2 = rng.choice(local), rng.choice(others), rng.choice(others)
        p = rng.choice(partitioned)
        c = [name for name, _ in t.columns]
        oc = [name for name, _ in o.columns]
        ds = rng.choice(p.partitions)["ds"]
        where = f" FROM {t.name} a JOIN {o.project}.{o.name} b ON a.id = b.id"
        select_list = f"SELECT a.{c[1]}, b.{oc[2]}, count(*)"
        statements = [
            f"SELECT * FROM {t.name[:6]}",
            f"SELECT {c[1]}, {c[2]} FROM {o.project}.{o.name} x WHERE x.{oc[3]} = 1",
            f"CLONE TABLE {o.project}.{o.name} TO {o2.project}.{o2.name}",
            f"GRANT Select, Describe ON TABLE {t.name} TO USER {snap.principals[-1]}",
            f"INSERT INTO {p.project}.{p.name} PARTITION (ds='{ds}') SELECT * FROM {t.name}",
            f"{select_list}{where} WHERE b.{oc[1]} > 0 GROUP BY a.{c[1]} ORDER BY a.{c[1]}",
            f"DESC {o.project}.{o.name}",
            f"USE {o.project}",
            f"SHOW PARTITIONS {p.project}.{p.name} PARTITION (ds='{ds}')",
            "SET odps.sql.allow.fullscan=true",
            "GRANT Sel",
            f"ALTER TABLE {p.project}.{p.name} DROP PARTITION (ds='{ds}')",
        ]
        for statement in statements:
            positions += _typing(statement)
        # Editing the select list of a statement whose FROM is already written.
        head = "SELECT "
        for i in range(len(c[3]) + 1):
            before = head + c[3][:i]
            positions.append((before, before + where))
    return positions


def _percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def complete_main(projects: int, tables: int, rounds: int) -> int:
    """The completion benchmark proper (in a child process, so its peak memory is its own):
    prints its figures and, last, one JSON line for the summary."""
    from cloneshell.shell.meta import COMMANDS
    from cloneshell.shell.suggest import prepare, suggest

    root = Path(tempfile.gettempdir()) / f"cloneshell-bench-complete-{projects}x{tables}"
    print(f"   warehouse of {projects} projects x {tables:,} tables under {root}", flush=True)
    s, built = _complete_warehouse(root, projects, tables)
    try:
        snapshot_times = []
        for _ in range(3):
            start = time.perf_counter()
            snap = s.snapshot()
            snapshot_times.append(time.perf_counter() - start)
    finally:
        s.close()
    start = time.perf_counter()
    prepare(snap)
    prepared = time.perf_counter() - start
    positions = _complete_positions(snap, 2_000)
    meta = sorted(COMMANDS)
    recency: dict[str, int] = {}
    for before, full in positions:  # warm-up (regex and keyword caches), as a session would
        suggest(before, snap, recency, meta, full_text=full)
    samples: list[tuple[float, str]] = []
    for _ in range(rounds):
        for before, full in positions:
            start = time.perf_counter()
            suggest(before, snap, recency, meta, full_text=full)
            samples.append((time.perf_counter() - start, before))
    times = sorted(t * 1000 for t, _ in samples)
    p50, p99 = _percentile(times, 0.5), _percentile(times, 0.99)
    print(f"   tables in snapshot: {len(snap.tables):,} in {len(snap.projects)} projects")
    print(f"   warehouse build      {'reused' if built is None else f'{built:.1f}s'}")
    print(f"   session.snapshot()   {_spread(snapshot_times)}")
    print(f"   suggest.prepare()    {prepared:.3f}s (once per snapshot, in the refresh thread)")
    print(
        f"   suggest() over {len(positions):,} cursor positions x {rounds} rounds after a "
        f"warm-up: p50 {p50:.2f}ms  p90 {_percentile(times, 0.9):.2f}ms  p99 {p99:.2f}ms  "
        f"max {times[-1]:.2f}ms"
    )
    for elapsed, before in sorted(samples, reverse=True)[:3]:
        print(f"   slowest {elapsed * 1000:6.2f}ms  {before[-70:]!r}")
    figures = {"p50": p50, "p99": p99, "max": times[-1], "peak": _vm_hwm()}
    print(json.dumps(figures))
    return 0


@dataclass
class Completion:
    """The completion line's figures."""

    what: str
    p50: float
    p99: float
    max: float
    peak: int

    @property
    def met(self) -> bool:
        return self.p99 <= 30


def bench_complete(projects: int, tables: int, rounds: int) -> Completion:
    """suggest() latency at >= 2,000 cursor positions over a snapshot of projects x tables."""
    what = f"completion, {projects} projects x {tables:,} tables"
    print(f"== complete: {what} — p99 of suggest() over {max(rounds, 1)} rounds after a warm-up")
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "_complete", str(projects), str(tables),
         str(max(rounds, 1))],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )  # fmt: skip
    assert proc.stdout is not None
    last = ""
    for row in proc.stdout:
        if row.startswith("{"):
            last = row
        else:
            print(row, end="", flush=True)
    if proc.wait() != 0 or not last:
        raise RuntimeError("the completion benchmark failed")
    figures = json.loads(last)
    peak = figures["peak"]
    result = Completion(what, figures["p50"], figures["p99"], figures["max"], peak)
    print(
        f"   p99 {result.p99:.2f} ms   target p99 <= 30 ms: {'met' if result.met else 'MISSED'}"
        f"   peak RSS {peak / MB:,.0f} MB",
        flush=True,
    )
    return result


# ---------------------------------------------------------------------------------------------
# Summary and main


def machine() -> str:
    """Where and when the figures were taken."""
    import duckdb

    memory = 0
    try:
        m = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        memory = int(m.group(1)) * 1024 if m else 0
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.date.today().isoformat()}, {platform.machine()} {os.cpu_count()} cores, "
        f"{memory / (1 << 30):.0f} GiB, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, duckdb {duckdb.__version__}, load average {load}"
    )


def summary(lines: list[Line], completion: Completion | None, rounds: int) -> None:
    """The table of every line run, as Markdown (the README's Performance table)."""
    print()
    print(f"Summary ({rounds} rounds after a warm-up per line; wall-clock medians):")
    print()
    print(
        "| what | cloneshell | anchor | ratio (median, min–max) | CPU ratio | "
        "peak RSS (cloneshell / anchor) | target |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for line in lines:
        mark = "✔" if line.met else "✘"
        ratio = _spread(line.ratios, "", 2)
        if line.higher_is_better:
            ratio += " (rate)"
        m = line.m
        print(
            f"| {line.what} | {statistics.median(m.a):.3f} s | {line.anchor} "
            f"{statistics.median(m.b):.3f} s | {ratio} | {statistics.median(line.cpu_ratios):.2f} "
            f"| {m.a_peak / MB:,.0f} / {m.b_peak / MB:,.0f} MB | {line.target} {mark} |"
        )
    if completion is not None:
        mark = "✔" if completion.met else "✘"
        print(
            f"| {completion.what} | p99 {completion.p99:.2f} ms (p50 {completion.p50:.2f}, "
            f"max {completion.max:.1f}) | — | — | — | {completion.peak / MB:,.0f} MB | "
            f"p99 <= 30 ms {mark} |"
        )
    print(flush=True)


# ---------------------------------------------------------------------------------------------
# serve: the Snowflake API through connector 4.x, `cloneshell serve` beside fakesnow's server

# fakesnow's server and the client both sides are measured with, pinned in .venv-bench
# (fakesnow cannot import next to connector 5.x: shared/reference/clients.md §0).
SERVE_TOOLS = ("fakesnow[server]==0.12.1", "snowflake-connector-python==4.8.1")
SERVE_ROWS = 100_000
SERVE_ROUNDTRIPS = 200  # SELECT 1 round trips per round (their median is the round's figure)
SERVE_CLIENTS, SERVE_STATEMENTS = 8, 200
_SERVE_CLIENT = ROOT / "scripts" / "bench_serve_client.py"


def _serve_tools() -> Path:
    """.venv-bench's Python, with SERVE_TOOLS installed there on first use."""
    stamp = BENCH_VENV / ".bench-serve-tools"
    if not stamp.exists() or stamp.read_text().split() != list(SERVE_TOOLS):
        print(f"   installing {', '.join(SERVE_TOOLS)} into .venv-bench (once)", flush=True)
        if not (BENCH_VENV / "bin" / "pip").exists():
            subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(BENCH_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
            + list(SERVE_TOOLS),
            check=True,
        )
        stamp.write_text("\n".join(SERVE_TOOLS) + "\n")
    return BENCH_VENV / "bin" / "python"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Served:
    """One side of the serve line: a server process and the bench client connected to it
    (scripts/bench_serve_client.py in .venv-bench), which has built its table."""

    def __init__(self, label: str, argv: list[str], port: int, rows: int, log: Path) -> None:
        import socket

        self.label = label
        self.log = log.open("w")
        self.server = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    self.log.flush()
                    raise RuntimeError(
                        f"{label} did not start (exit status {self.server.poll()}): "
                        f"{log.read_text()[-2000:] or 'its log is empty'}"
                    ) from None
                time.sleep(0.1)
        self.client = subprocess.Popen(
            [str(_serve_tools()), str(_SERVE_CLIENT), str(port), str(rows)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.client.stdin is not None and self.client.stdout is not None
        self._in: IO[str] = self.client.stdin
        self._out: IO[str] = self.client.stdout
        if self._out.readline().strip() != "ready":
            raise RuntimeError(f"the bench client of {label} did not start")

    def ask(self, command: str) -> list[str]:
        self._in.write(command + "\n")
        self._in.flush()
        answer = self._out.readline().split()
        if not answer:
            raise RuntimeError(f"the bench client of {self.label} died on {command!r}")
        return answer

    def runner(self, command: str) -> Runner:
        """A Runner whose round is one `command` of the client: the client's figure, and the
        server's CPU seconds over it; its peak is the server's."""
        served = self

        class _Round:
            label = served.label

            def run(self, i: int) -> Seconds:
                cpu = _cpu_of(served.server.pid)
                figure = float(served.ask(command)[0])
                return figure, _cpu_of(served.server.pid) - cpu

            def close(self) -> int:
                return _vm_hwm(served.server.pid)

        return _Round()

    def stop(self) -> None:
        self._in.close()
        self.client.wait(60)
        self.server.terminate()
        self.server.wait(60)
        self.log.close()


def bench_serve(rows: int, roundtrips: int, statements: int, rounds: int) -> list[Line]:
    """`SELECT 1` round trips and a fetch of `rows` rows through connector 4.x, `cloneshell
    serve` vs fakesnow's server (in memory, its default), alternating; then SERVE_CLIENTS
    clients at once × `statements` statements against cloneshell (no error is the target)."""
    import importlib.util

    if importlib.util.find_spec("uvicorn") is None:
        raise SystemExit("scripts/bench serve needs cloneshell's [server] extra in .venv")
    python = _serve_tools()
    with _tempdir("serve") as root:
        ours_port, theirs_port = _free_port(), _free_port()
        ours = _Served(
            "cloneshell serve",
            [_cloneshell(), "serve", "-w", str(root / "wh"), "--port", str(ours_port)],
            ours_port,
            rows,
            root / "cloneshell.log",
        )
        fakesnow = str(python.parent / "fakesnow")
        try:
            theirs = _Served(
                "fakesnow -s (0.12.1)",
                [fakesnow, "-s", "--host", "127.0.0.1", "-p", str(theirs_port)],
                theirs_port,
                rows,
                root / "fakesnow.log",
            )
        except BaseException:
            ours.stop()
            raise
        try:
            trip = alternate(
                rounds,
                ours.runner(f"roundtrip {roundtrips}"),
                theirs.runner(f"roundtrip {roundtrips}"),
            )
            fetch = alternate(rounds, ours.runner("fetch"), theirs.runner("fetch"))
            seconds, errors = ours.ask(f"concurrent {SERVE_CLIENTS} {statements} own")
        finally:
            ours.stop()
            theirs.stop()
    note = (
        f"{SERVE_CLIENTS} clients at once × {statements} statements (INSERT/SELECT, each "
        f"client on a database of its own) on cloneshell serve: {float(seconds):.1f} s, "
        f"{errors} errors (target: none): {'met' if errors == '0' else 'MISSED'}"
    )
    return [
        Line(
            "serve-roundtrip",
            f"SELECT 1 round trip p50 through connector 4.8.1 ({roundtrips} per round)",
            "cloneshell serve",
            "fakesnow -s (0.12.1)",
            trip,
            "<= 0.5",
            0.5,
        ),
        Line(
            "serve-fetch",
            f"fetch {rows:,} rows (INTEGER, VARCHAR, NUMBER) through connector 4.8.1",
            "cloneshell serve",
            "fakesnow -s (0.12.1)",
            fetch,
            "<= 0.7",
            0.7,
            note=note,
        ),
    ]


def serve_main(scale: int, rounds: int) -> int:
    """`scripts/bench serve`: both serve lines, their summary table, and exit status 0."""
    lines = bench_serve(
        max(10, SERVE_ROWS // scale),
        max(10, SERVE_ROUNDTRIPS // scale),
        max(10, SERVE_STATEMENTS // scale),
        rounds,
    )
    for line in lines:
        report(line)
    summary(lines, None, rounds)
    return 0


LINES = (
    "clone",
    "partitions",
    "sfclone",
    "dbclone",
    "history",
    "script",
    "startup",
    "first-prompt",
    # after the clone (issue 17)
    "query",
    "update",
    "delete",
    "merge",
    "depth",
    "stream",
    "copy",
    "scale",
    "json",  # issue 14
)
# Not in `all` (its lines are there already): the clone lines' CPU budget on its own.
ALIASES = {"clone-cpu": ("clone", "dbclone")}
SCALE_PROJECTS = 1_000
SCALE_TABLES = 10_000
DEPTH_ROWS = 1_000_000
STREAM_ROWS = 1_000_000
COPY_ROWS = 1_000_000
JSON_ROWS = 1_000_000


def main(argv: list[str]) -> int:
    if argv[:1] == ["_worker"]:
        return worker_main(argv[1], argv[2])
    if argv[:1] == ["_complete"]:
        return complete_main(int(argv[1]), int(argv[2]), int(argv[3]))
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "what", choices=[*LINES, *ALIASES, "complete", "serve", "all"], help="which budget line"
    )
    parser.add_argument("--quick", action="store_true", help="1/10 of the data (a smoke run)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds per side (5)")
    # Tests shrink the data further than --quick; the figures then mean nothing.
    parser.add_argument("--scale", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    scale = args.scale or (10 if args.quick else 1)
    rounds = max(1, args.rounds)
    print(f"scripts/bench {' '.join(argv)}: {machine()}", flush=True)
    if rounds < 5:
        print(f"   (a smoke run: {rounds} round(s); the budget asks for at least 5)")
    if args.what == "serve":  # not part of `all`: it needs the [server] extra and fakesnow
        return serve_main(scale, rounds)
    wanted = LINES + ("complete",) if args.what == "all" else ALIASES.get(args.what, (args.what,))
    rows = max(10, ROWS // scale)
    small = max(10, DEPTH_ROWS // scale)
    benches: dict[str, Callable[[], Line | list[Line] | None]] = {
        "clone": lambda: bench_clone(rows, rounds),
        "partitions": lambda: bench_partitions(rows, rounds),
        "sfclone": lambda: bench_sfclone(rows, rounds),
        "dbclone": lambda: bench_dbclone(rows, rounds),
        "history": lambda: bench_history(rows, rounds),
        "script": lambda: bench_script(max(10, SCRIPT_INSERTS // scale), rounds),
        "startup": lambda: bench_startup(rounds),
        "first-prompt": lambda: bench_first_prompt(rounds),
        "query": lambda: (
            bench_query(rows, rounds, "maxcompute") + bench_query(rows, rounds, "snowflake")
        ),
        "update": lambda: bench_dml(rows, rounds, "update"),
        "delete": lambda: bench_dml(rows, rounds, "delete"),
        "merge": lambda: bench_merge(rows, rounds),
        "depth": lambda: bench_depth(small, rounds),
        "stream": lambda: bench_stream(max(10, STREAM_ROWS // scale), rounds),
        "copy": lambda: [
            bench_copy(max(10, COPY_ROWS // scale), rounds, kind) for kind in ("csv", "parquet")
        ],
        "scale": lambda: bench_scale(
            max(2, SCALE_PROJECTS // scale), max(10, SCALE_TABLES // scale), rounds
        ),
        "json": lambda: bench_json(max(10, JSON_ROWS // scale), rounds),
    }
    lines: list[Line] = []
    completion = None
    for key in wanted:
        if key == "complete":
            tables = max(1, COMPLETE_TABLES // scale)
            completion = bench_complete(COMPLETE_PROJECTS, tables, rounds)
            continue
        produced = benches[key]()
        for line in [produced] if isinstance(produced, Line) else produced or []:
            report(line)
            lines.append(line)
    if args.what == "all":
        summary(lines, completion, rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
