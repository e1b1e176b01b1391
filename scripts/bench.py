"""Side-by-side benchmarks for the performance budget (run through scripts/bench).

Each benchmark alternates its two sides (A B A B ...) after a warm-up round, on data it builds
itself, and prints median and min-max of each side and of the per-round ratio A/B. Timing
targets live here, never in unit tests: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from cloneshell.engine import CatalogSnapshot, Session
from cloneshell.shell.meta import COMMANDS
from cloneshell.shell.suggest import prepare, suggest

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


def raw_ctas(src: Path, dst: Path, i: int) -> float:
    """The anchor of every clone line: attach two plain files, CTAS across them, detach (the
    checkpoint counts, as our side's does); the copy is dropped outside the timing."""
    start = time.perf_counter()
    c = duckdb.connect()
    c.execute(f"ATTACH '{src}' AS a (READ_ONLY)")
    c.execute(f"ATTACH '{dst}' AS b")
    c.execute(f"CREATE TABLE b.t{i} AS SELECT * FROM a.t")
    c.execute("DETACH a")
    c.execute("DETACH b")
    elapsed = time.perf_counter() - start
    c.execute(f"ATTACH '{dst}' AS b")
    c.execute(f"DROP TABLE b.t{i}")
    c.close()
    return elapsed


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

        a, b = alternate(rounds, ours, lambda i: raw_ctas(raw_src, raw_dst, i))
        s.close()
    report(
        f"clone: CLONE TABLE of {rows:,} rows into another project",
        "cloneshell CLONE TABLE",
        "raw DuckDB CTAS across attached files",
        a,
        b,
        "<= 1.10",
    )


# ---------------------------------------------------------------------------------------------
# complete: suggest() latency over a big catalog

BENCH_PRINCIPAL = "ALIYUN$bench@aliyun.com"
COMPLETE_PROJECTS = (
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


def _complete_warehouse(root: Path, projects: int, tables: int) -> tuple[Session, float | None]:
    """Open the benchmark warehouse, building it on first use (kept under the temp dir: a
    rebuild takes minutes). Returns the session and the build time (None when reused)."""
    marker = root / "complete-bench.ok"
    if marker.exists():
        return Session.open(root, principal=BENCH_PRINCIPAL, project=COMPLETE_PROJECTS[0]), None
    if root.exists():
        shutil.rmtree(root)
    start = time.perf_counter()
    s = Session.open(root, principal=BENCH_PRINCIPAL)
    names = _complete_table_names(tables)
    for p in range(projects):
        project = COMPLETE_PROJECTS[p] if p < len(COMPLETE_PROJECTS) else f"project_{p:03d}"
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
    s.execute(f"USE {COMPLETE_PROJECTS[0]}")
    s.idle()
    marker.write_text(f"{projects}x{tables}\n")
    return s, time.perf_counter() - start


def _typing(statement: str, cursor_from: int = 0) -> list[tuple[str, str]]:
    """(text before cursor, full text) for each character of `statement` typed at the end."""
    return [(statement[:i], statement[:i]) for i in range(cursor_from, len(statement) + 1)]


def _complete_positions(snap: CatalogSnapshot, count: int) -> list[tuple[str, str]]:
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


def bench_complete(projects: int, tables: int, rounds: int) -> None:
    """suggest() latency at >= 2,000 cursor positions over a snapshot of projects x tables."""
    root = Path(tempfile.gettempdir()) / f"cloneshell-bench-complete-{projects}x{tables}"
    print(f"== complete: warehouse of {projects} projects x {tables:,} tables under {root}")
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
    p99 = _percentile(times, 0.99)
    print(f"   tables in snapshot: {len(snap.tables):,} in {len(snap.projects)} projects")
    print(f"   warehouse build      {'reused' if built is None else f'{built:.1f}s'}")
    print(
        f"   session.snapshot()   median {statistics.median(snapshot_times):.3f}s  "
        f"(min {min(snapshot_times):.3f}s, max {max(snapshot_times):.3f}s)"
    )
    print(f"   suggest.prepare()    {prepared:.3f}s (once per snapshot, in the refresh thread)")
    print(
        f"   suggest() over {len(positions):,} cursor positions x {rounds} rounds after warm-up: "
        f"p50 {_percentile(times, 0.5):.2f}ms  p90 {_percentile(times, 0.9):.2f}ms  "
        f"p99 {p99:.2f}ms  max {times[-1]:.2f}ms   target p99 <= 30 ms "
        f"({'met' if p99 <= 30 else 'MISSED'})"
    )
    for elapsed, before in sorted(samples, reverse=True)[:3]:
        print(f"   slowest {elapsed * 1000:6.2f}ms  {before[-70:]!r}")


def _run_once(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def _litecli() -> Path:
    """litecli in its own environment (.venv-bench), so its pins never touch ours."""
    venv = Path(__file__).resolve().parent.parent / ".venv-bench"
    exe = venv / "bin" / "litecli"
    if not exe.exists():
        print("   installing litecli into .venv-bench (once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "litecli"],
            check=True,
        )
    return exe


def _first_prompt(cmd: list[str], prompt: str, env: dict[str, str]) -> float:
    """Seconds from spawning `cmd` in a pseudo-terminal until `prompt` is on the screen."""
    import pexpect

    ansi = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][A-Z0-9]|[=>])")
    start = time.perf_counter()
    child = pexpect.spawn(cmd[0], cmd[1:], env=env, dimensions=(30, 100), encoding="utf-8")
    seen = ""
    try:
        while prompt not in ansi.sub("", seen):  # prompts are styled: escapes split the text
            if time.perf_counter() - start > 30:
                raise TimeoutError(f"no prompt {prompt!r} from {cmd[0]}: {seen[-200:]!r}")
            try:
                seen += child.read_nonblocking(4096, timeout=0.05)
            except pexpect.TIMEOUT:
                continue
        return time.perf_counter() - start
    finally:
        child.terminate(force=True)


def bench_startup(rounds: int) -> None:
    """`cloneshell -e "SELECT 1;"` vs `python -c "import duckdb"`, and the first interactive
    prompt vs litecli's, each pair alternated in the same run."""
    with tempfile.TemporaryDirectory(prefix="cs-bench-startup-") as tmp:
        root = Path(tmp)
        env = dict(
            os.environ,
            HOME=str(root),
            XDG_CONFIG_HOME=str(root / "config"),
            XDG_STATE_HOME=str(root / "state"),
            XDG_DATA_HOME=str(root / "data"),
            PROMPT_TOOLKIT_NO_CPR="1",
            TERM="xterm-256color",
        )
        exe = str(Path(sys.executable).parent / "cloneshell")
        wh = str(root / "wh")
        subprocess.run(
            [exe, "-w", wh, "-e", "SELECT 1;"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        a, b = alternate(
            rounds,
            lambda _: _run_once([exe, "-w", wh, "-e", "SELECT 1;"], env),
            lambda _: _run_once([sys.executable, "-c", "import duckdb"], env),
        )
        report(
            "startup: batch",
            'cloneshell -e "SELECT 1;"',
            'python -c "import duckdb"',
            a,
            b,
            "<= 1.6",
        )
        lite = _litecli()
        db = str(root / "lite.db")
        a, b = alternate(
            rounds,
            lambda _: _first_prompt([exe, "-w", wh], "my_project>", env),
            lambda _: _first_prompt([str(lite), "-R", "litecli> ", db], "litecli>", env),
        )
        report(
            "startup: first interactive prompt",
            "cloneshell prompt",
            "litecli prompt",
            a,
            b,
            "<= 1.0",
        )


def _sf_session(root: Path) -> Session:
    return Session.open(root, dialect="snowflake")


def _sf_fill(s: Session, table: str, rows: int) -> None:
    """`rows` rows (a power of ten) into `table`, generated through the engine itself."""
    digits = round(math.log10(rows))
    s.execute("CREATE TABLE IF NOT EXISTS digits (i BIGINT)")
    s.execute("DELETE FROM digits")
    s.execute("INSERT INTO digits VALUES " + ", ".join(f"({i})" for i in range(10)))
    terms = " + ".join(f"d{k}.i * {10**k}" for k in range(digits))
    froms = ", ".join(f"digits d{k}" for k in range(digits))
    s.execute(
        f"INSERT INTO {table} SELECT {terms}, ({terms}) % 1000, ({terms}) * 0.5, "
        f"'row-' || (({terms}) % 100000) FROM {froms}"
    )


def bench_snowflake(rows: int, rounds: int) -> None:
    """The three Snowflake lines of the budget: present reads of a table with history, a table
    clone into another database, and a database clone against `cp` of its file."""
    cols = "(id NUMBER, k NUMBER, x FLOAT, s VARCHAR)"
    with tempfile.TemporaryDirectory(prefix="cs-bench-sf-") as tmp:
        root = Path(tmp)
        s = _sf_session(root / "wh")
        s.execute("CREATE DATABASE src_db")
        s.execute(f"CREATE TABLE t {cols} DATA_RETENTION_TIME_IN_DAYS = 1")
        _sf_fill(s, "t", rows)
        # history: 10% of the rows updated twice
        for _ in range(2):
            s.execute("UPDATE t SET x = x + 1 WHERE id % 10 = 0")
        s.execute("CREATE DATABASE dst_db")
        s.execute("USE DATABASE src_db")
        s.idle()
        # The anchor holds exactly our current rows, in the same order and with the same types
        # (Snowflake NUMBER is DECIMAL(38,0)): copied out of our file, without the version
        # column and without history, so the ratio measures only what history costs a read.
        raw = root / "plain.duckdb"
        con = duckdb.connect(str(raw))
        con.execute(f"ATTACH '{root / 'wh' / 'warehouse.duckdb'}' AS w (READ_ONLY)")
        (db_file,) = con.execute(
            "SELECT file FROM w.databases WHERE name = 'SRC_DB' AND dropped_at IS NULL"
        ).fetchone() or ("",)
        con.execute(f"ATTACH '{root / 'wh' / 'projects' / (db_file + '.duckdb')}' AS p (READ_ONLY)")
        phys_schema, phys_name = con.execute(
            "SELECT physical_schema, physical_name FROM p.__cs.tables WHERE name = 'T' "
            "AND dropped_version IS NULL"
        ).fetchone() or ("", "")
        con.execute(f'CREATE TABLE t AS SELECT id, k, x, s FROM p."{phys_schema}"."{phys_name}"')
        con.close()
        query = "SELECT sum(id), sum(k), sum(x), count(DISTINCT s) FROM t"

        def ours_read(_: int) -> float:
            start = time.perf_counter()
            s.execute(query)
            return time.perf_counter() - start

        plain = duckdb.connect(str(raw), read_only=True)

        def raw_read(_: int) -> float:
            start = time.perf_counter()
            plain.execute(query).fetchall()
            return time.perf_counter() - start

        a, b = alternate(rounds, ours_read, raw_read)
        plain.close()
        report(
            f"history: reading the present of {rows:,} rows with 10% updated twice",
            "cloneshell SELECT",
            "plain DuckDB table, same rows",
            a,
            b,
            "<= 1.10",
        )

        def ours_clone(i: int) -> float:
            start = time.perf_counter()
            s.execute(f"CREATE TABLE dst_db.public.t{i} CLONE src_db.public.t")
            s.idle()
            elapsed = time.perf_counter() - start
            s.execute(f"DROP TABLE dst_db.public.t{i}")
            s.idle()
            return elapsed

        raw_dst = root / "raw_dst.duckdb"
        duckdb.connect(str(raw_dst)).close()

        a, b = alternate(rounds, ours_clone, lambda i: raw_ctas(raw, raw_dst, i))
        report(
            f"sfclone: CREATE TABLE ... CLONE of {rows:,} rows into another database",
            "cloneshell CREATE TABLE CLONE",
            "raw DuckDB CTAS across attached files",
            a,
            b,
            "<= 1.10",
        )

        # database clone: 10 tables of rows/10 each
        s.execute("CREATE DATABASE many_db")
        s.execute(f"CREATE TABLE t0 {cols}")
        _sf_fill(s, "t0", rows // 10)
        for i in range(1, 10):
            s.execute(f"CREATE TABLE t{i} CLONE t0")
        s.idle()
        files = sorted((root / "wh" / "projects").glob("*.duckdb"), key=lambda p: p.stat().st_mtime)
        source_file = files[-1]

        def ours_dbclone(i: int) -> float:
            start = time.perf_counter()
            s.execute(f"CREATE DATABASE copy_{i} CLONE many_db")
            s.idle()
            elapsed = time.perf_counter() - start
            s.execute(f"DROP DATABASE copy_{i}")
            s.idle()
            return elapsed

        def cp(i: int) -> float:
            target = root / f"cp_{i}.duckdb"
            start = time.perf_counter()
            subprocess.run(["cp", str(source_file), str(target)], check=True)
            elapsed = time.perf_counter() - start
            target.unlink()
            return elapsed

        a, b = alternate(rounds, ours_dbclone, cp)
        s.close()
    report(
        f"dbclone: CREATE DATABASE ... CLONE of {rows:,} rows in 10 tables",
        "cloneshell CREATE DATABASE CLONE",
        f"cp of the project file ({source_file.stat().st_size / 1e6:.0f} MB)"
        if source_file.exists()
        else "cp of the project file",
        a,
        b,
        "<= 3",
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument(
        "what",
        choices=["clone", "snowflake", "complete", "startup", "all"],
        help="which benchmark to run",
    )
    parser.add_argument("--quick", action="store_true", help="1/10 of the data (smoke run)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds per side")
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    if args.what in ("clone", "all"):
        bench_clone(ROWS // scale, args.rounds)
    if args.what in ("snowflake", "all"):
        bench_snowflake(ROWS // scale, args.rounds)
    if args.what in ("startup", "all"):
        bench_startup(max(args.rounds, 5))
    if args.what in ("complete", "all"):
        bench_complete(len(COMPLETE_PROJECTS), 1000 // scale, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
