"""Two shells, one warehouse (docs/trust.md; run through scripts/concurrency).

N workers each run `cloneshell -f` scripts of random statements against one warehouse, one
script after another, for a given time: INSERT (a batch of rows with a unique batch id),
SELECT (rows per batch), CLONE TABLE into a new table, CLONE TABLE … IF EXISTS OVERWRITE into
the worker's own mirror, GRANT, and USE, across two projects. The driver reads each shell's
echo and outcome as they come (when each statement started and ended, whether it failed, what
a SELECT returned). Afterwards the warehouse must open, be consistent (scripts/crash.py's
checks), and hold exactly what the log of successful statements says:

- each `events` table holds exactly the batches of the successful INSERTs into it;
- every table a successful CLONE made, every mirror (from its last successful clone) and every
  SELECT result is a snapshot of its source: whole batches only, all from successful INSERTs,
  including every batch whose INSERT ended before the clone or SELECT started;
- a failed CLONE made nothing; every successful GRANT is in the ACL, and nothing else is;
- a statement fails only by waiting longer than the lock timeout, with the coded error that
  names the project (the count is reported);
- a third project, p_c, is dropped and created again (DROP PROJECT, CREATE PROJECT, CREATE
  TABLE) while others insert into it and read it: its final table holds exactly the batches
  of the successful INSERTs into its last incarnation, no INSERT succeeds after its last DROP
  (none lands in a deleted file), every SELECT of it sees whole batches of successful INSERTs,
  and its statements fail only with "not found" / "already exists" (`churn_problems`).

    scripts/concurrency [--seconds S] [--workers N] [--seed S] [--lock-timeout T] [--work DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import crash  # noqa: E402  (scripts/crash.py: the consistency checks)

from cloneshell.engine import Session  # noqa: E402

OWNER = crash.OWNER
PROJECTS = ("p_a", "p_b")
# The project that is dropped and created again while others read and write it (defect 3).
CHURN = "p_c"
CHURN_SQL = {
    "drop": f"DROP PROJECT {CHURN};",
    "create": f"CREATE PROJECT {CHURN};",
    "create_table": f"CREATE TABLE {CHURN}.events (id BIGINT, batch BIGINT, worker BIGINT);",
}
# How a statement on the churned project may fail (it is gone, or it was made meanwhile).
_CHURN_ERRORS = ("not found", "already exists")
USERS = tuple(f"ALIYUN$u{k}@aliyun.com" for k in range(4))
TABLE_ACTIONS = ("Select", "Describe", "Alter", "Update", "Drop", "ShowHistory", "Download")
PROJECT_ACTIONS = ("Read", "Write", "List", "CreateTable", "CreateInstance")
LOCK_CODE = "ODPS-0420051"
_ECHO = re.compile(r"^odps@ (\w*)> (.*)$")
# Compaction under concurrent readers: a Snowflake database (a day of retention) where one
# process makes, fills and drops a table FILL in every other script (the next script's first
# write, two days later on its clock, forgets the dropped table, and its idle step compacts
# the file), while it inserts batches into EVENTS and another process reads them.
SF_DB = "CDB"
SF_EVENTS = f"{SF_DB}.PUBLIC.EVENTS"
SF_SEED_ROWS = 50_000
SF_LOCK_CODE = "000630"
_SF_ECHO = re.compile(r"^CLONESHELL#.*?> (.*)$")
_SF_ERROR = re.compile(r"^\d{6} \(\w{5}\):")


def build(root: Path) -> None:
    """Two projects with an `events` table each and four members."""
    s = Session.open(root, principal=OWNER)
    try:
        for p in PROJECTS:
            s.execute(f"CREATE PROJECT {p}")
            s.execute(f"USE {p}")
            s.execute("CREATE TABLE events (id BIGINT, batch BIGINT, worker BIGINT)")
            for u in USERS:
                s.execute(f"ADD USER {u}")
        s.execute(CHURN_SQL["create"])
        s.execute(CHURN_SQL["create_table"])
    finally:
        s.close()
    s = Session.open(root, dialect="snowflake")
    try:
        s.execute(f"CREATE DATABASE {SF_DB} DATA_RETENTION_TIME_IN_DAYS = 1")
        s.execute(f"CREATE TABLE {SF_EVENTS} (ID BIGINT, BATCH BIGINT, WORKER BIGINT)")
        s.execute(f"CREATE TABLE {SF_DB}.PUBLIC.SEED (ID BIGINT, A BIGINT, B BIGINT)")
        s.execute(f"INSERT INTO {SF_DB}.PUBLIC.SEED VALUES (1, 1, 1)")
        n = 1
        while n < SF_SEED_ROWS:
            s.execute(
                f"INSERT INTO {SF_DB}.PUBLIC.SEED SELECT ID + {n}, A * 7 % 1000003, "
                f"B + ID FROM {SF_DB}.PUBLIC.SEED"
            )
            n *= 2
    finally:
        s.close()


@dataclass
class Stmt:
    """One generated statement and, once run, what happened."""

    worker: int
    kind: str  # insert | select | clone | mirror | grant | use | drop | create | create_table
    sql: str
    project: str = ""  # the project read (insert/select/clone source) or used
    target: str = ""  # clone/mirror: `project.table`; grant: the ACL row
    batch: int = 0
    rows: int = 0
    start: float = 0.0
    end: float = 0.0
    ok: bool | None = None
    error: str = ""
    result: dict[int, int] = field(default_factory=dict)  # select: batch -> count


class Generator:
    """Random statements for one worker (seeded)."""

    def __init__(self, worker: int, seed: int, per_script: int, churn: float = 0.03) -> None:
        self.worker = worker
        self.churn = churn  # how often a DROP / CREATE PROJECT / CREATE TABLE of p_c starts
        self.per_script = per_script
        self.rng = random.Random(seed)
        self.seq = 0
        self.current = PROJECTS[0]
        self.pending: list[Stmt] = []  # the rest of a DROP / CREATE PROJECT / CREATE TABLE

    def script(self) -> list[Stmt]:
        """The statements of one script; it starts in p_a (`-p p_a`)."""
        self.current = PROJECTS[0]
        return [self.next() for _ in range(self.per_script)]

    def next(self) -> Stmt:
        """One statement of the mix."""
        self.seq += 1
        rng, w = self.rng, self.worker
        if self.pending:
            return self.pending.pop(0)
        if rng.random() < self.churn:
            first, *rest = (Stmt(w, k, CHURN_SQL[k], CHURN) for k in CHURN_SQL)
            self.pending = rest
            return first
        x = rng.choice(PROJECTS)
        pick = rng.random()
        if pick < 0.65 and rng.random() < 0.25:
            x = CHURN  # inserts and reads of the churned project
        if pick < 0.40:
            batch = (w + 1) * 1_000_000 + self.seq
            n = rng.randint(1, 20)
            values = ", ".join(f"({batch * 100 + i}, {batch}, {w})" for i in range(n))
            sql = f"INSERT INTO {x}.events VALUES {values};"
            return Stmt(w, "insert", sql, x, batch=batch, rows=n)
        if pick < 0.65:
            sql = f"SELECT batch, count(*) FROM {x}.events GROUP BY batch;"
            return Stmt(w, "select", sql, x)
        if pick < 0.78:
            y = rng.choice(PROJECTS)
            name = f"snap_{w}_{self.seq}"
            sql = f"CLONE TABLE {x}.events TO {y}.{name};"
            return Stmt(w, "clone", sql, x, target=f"{y}.{name}")
        if pick < 0.88:
            sql = f"CLONE TABLE {x}.events TO p_a.mirror_{w} IF EXISTS OVERWRITE;"
            return Stmt(w, "mirror", sql, x, target=f"p_a.mirror_{w}")
        if pick < 0.93 and x != self.current:
            self.current = x
            return Stmt(w, "use", f"USE {x};", x)
        user = rng.choice(USERS)
        if rng.random() < 0.5:
            action = rng.choice(TABLE_ACTIONS)
            sql = f"GRANT {action} ON TABLE events TO USER {user};"
            acl = f"{self.current}|{user}|TABLE|events|{action}"
        else:
            action = rng.choice(PROJECT_ACTIONS)
            sql = f"GRANT {action} ON PROJECT {self.current} TO USER {user};"
            acl = f"{self.current}|{user}|PROJECT|{self.current}|{action}"
        return Stmt(w, "grant", sql, self.current, target=acl)


class SfGenerator:
    """Snowflake scripts for the compaction mix: the compactor's (fill, empty, insert
    batches) or a reader's (SELECT rows per batch)."""

    def __init__(self, worker: int, compactor: bool) -> None:
        self.worker = worker
        self.compactor = compactor
        self.seq = 0
        self.round = 0
        self.start = datetime.now()

    def clock(self) -> str | None:
        """The compactor's `--clock`: two days further each script (its commits' instants move
        forward; a reader's statements need no clock)."""
        if not self.compactor:
            return None
        return (self.start + timedelta(days=2 * self.round)).strftime("%Y-%m-%dT%H:%M:%S")

    def script(self) -> list[Stmt]:
        w = self.worker
        select = f"SELECT BATCH, COUNT(*) FROM {SF_EVENTS} GROUP BY BATCH;"
        if not self.compactor:
            return [Stmt(w, "sf_select", select, SF_DB) for _ in range(10)]
        # Every other script makes, fills and drops FILL; the next one (two days later on its
        # clock: past the day of retention) forgets it at its first write and compacts.
        self.round += 1
        stmts: list[Stmt] = []
        if self.round % 2:
            fill = f"INSERT INTO {SF_DB}.PUBLIC.FILL SELECT * FROM {SF_DB}.PUBLIC.SEED;"
            make = f"CREATE TABLE {SF_DB}.PUBLIC.FILL (ID BIGINT, A BIGINT, B BIGINT);"
            stmts.append(Stmt(w, "sf_fill", make, SF_DB))
            stmts += [Stmt(w, "sf_fill", fill, SF_DB) for _ in range(12)]
            stmts.append(Stmt(w, "sf_fill", f"DROP TABLE {SF_DB}.PUBLIC.FILL;", SF_DB))
        for _ in range(5):  # short scripts: each one's first write purges, its end compacts
            self.seq += 1
            batch = (w + 1) * 1_000_000 + self.seq
            values = ", ".join(f"({batch * 100 + i}, {batch}, {w})" for i in range(5))
            sql = f"INSERT INTO {SF_EVENTS} VALUES {values};"
            stmts.append(Stmt(w, "sf_insert", sql, SF_DB, batch=batch, rows=5))
        return stmts


def run_script(
    root: Path,
    stmts: list[Stmt],
    lock_timeout: float | None,
    work: Path,
    sf: bool = False,
    clock: str | None = None,
) -> None:
    """Run one script in one cloneshell, timing each statement from the echoed lines (`sf`:
    in the Snowflake dialect)."""
    path = work / f"w{stmts[0].worker}-{id(stmts)}.sql"
    path.write_text("\n".join(s.sql for s in stmts) + "\n")
    cmd = [str(crash.CLONESHELL), "-w", str(root)]
    cmd += ["--dialect", "snowflake"] if sf else ["-u", OWNER, "-p", PROJECTS[0]]
    cmd += ["-f", str(path), "--echo", "--on-error", "continue", "--format", "csv", "--no-color"]
    echo, failed = (_SF_ECHO, _SF_ERROR) if sf else (_ECHO, re.compile("^FAILED"))
    if clock is not None:
        cmd += ["--clock", clock]
    if lock_timeout is not None:
        cmd += ["--lock-timeout", str(lock_timeout)]
    env = dict(os.environ, PYTHONUNBUFFERED="1", NO_COLOR="1")
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
    )
    assert proc.stdout is not None
    i = -1
    for raw in proc.stdout:
        now = time.monotonic()
        line = raw.decode(errors="replace").rstrip("\n")
        if echo.match(line) and i + 1 < len(stmts) and line.endswith(stmts[i + 1].sql):
            if i >= 0:
                _finish(stmts[i], now)
            i += 1
            stmts[i].start = now
            continue
        if i < 0:
            continue
        s = stmts[i]
        if failed.match(line):
            s.ok = False
            s.error = s.error or line
        elif s.kind in ("select", "sf_select") and re.fullmatch(r"\d+,\d+", line):
            batch, count = line.split(",")
            s.result[int(batch)] = int(count)
    proc.wait()
    if i >= 0:
        _finish(stmts[i], time.monotonic())
    for s in stmts[i + 1 :]:
        s.ok, s.error = False, f"never ran (cloneshell exited {proc.returncode})"
    path.unlink()


def _finish(s: Stmt, now: float) -> None:
    s.end = now
    if s.ok is None:
        s.ok = True


@dataclass
class Report:
    """What a run did and found."""

    statements: list[Stmt]
    seconds: float
    problems: list[str]
    compactions: int = 0  # how many times CDB's file was replaced by a compacted copy


def run(
    seconds: float,
    workers: int,
    seed: int,
    work: Path,
    lock_timeout: float | None = None,
    per_script: int = 40,
    churn: float = 0.03,
    compaction: bool = True,
) -> Report:
    """Build a warehouse, run the workers for `seconds`, then check everything."""
    root = work / "warehouse"
    shutil.rmtree(root, ignore_errors=True)
    build(root)
    log: list[Stmt] = []
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds

    def worker(w: int) -> None:
        gen = Generator(w, seed * 1000 + w, per_script, churn)
        while time.monotonic() < deadline:
            stmts = gen.script()
            run_script(root, stmts, lock_timeout, work)
            with lock:
                log.extend(stmts)

    def sf_worker(w: int, compactor: bool) -> None:
        gen = SfGenerator(w, compactor)
        while time.monotonic() < deadline:
            stmts = gen.script()
            run_script(root, stmts, lock_timeout, work, sf=True, clock=gen.clock())
            with lock:
                log.extend(stmts)

    generations: set[tuple[int, int]] = set()

    def watch() -> None:  # every file CDB's path named: a compaction gives it a new one
        path = _sf_file(root)
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                st = os.stat(path)
                generations.add((st.st_dev, st.st_ino))
            time.sleep(0.02)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    if compaction:
        threads += [
            threading.Thread(target=sf_worker, args=(workers, True)),
            threading.Thread(target=sf_worker, args=(workers + 1, False)),
            threading.Thread(target=watch),
        ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    report = Report(log, elapsed, check(root, log))
    report.compactions = max(len(generations) - 1, 0)
    return report


def _sf_file(root: Path) -> Path:
    s = Session.open(root, dialect="snowflake")
    try:
        info = s.warehouse.get_database(SF_DB)
        assert info is not None
        return s.warehouse.project_path(info)
    finally:
        s.close()


def check(root: Path, log: list[Stmt]) -> list[str]:
    """Everything the module docstring promises, as a list of what is broken."""
    _, problems = crash.inspect(root, "maxcompute")
    s = Session.open(root, principal=OWNER)
    try:
        wh = s.warehouse
        tables: dict[str, dict[int, int]] = {}
        acl: set[str] = set()
        for info in wh.list_projects():
            alias = wh.attach_project(info)
            for (name,) in wh.con.execute(
                f'SELECT name FROM "{alias}".__cs.tables WHERE dropped_version IS NULL'
            ).fetchall():
                rows = wh.con.execute(
                    f'SELECT batch, count(*) FROM "{alias}".main."{name}" GROUP BY batch'
                ).fetchall()
                tables[f"{info.name}.{name}"] = {int(b): int(c) for b, c in rows}
            for g in wh.con.execute(
                f'SELECT grantee, object_type, object_name, action FROM "{alias}".__cs.acl'
            ).fetchall():
                acl.add("|".join([info.name, *map(str, g)]))
    finally:
        s.close()

    for st in log:
        churned = st.project == CHURN and any(e in st.error for e in _CHURN_ERRORS)
        locked = LOCK_CODE in st.error or st.error.startswith(SF_LOCK_CODE)
        if st.ok is False and not locked and not churned:
            problems.append(f"worker {st.worker}: {st.sql[:60]} failed: {st.error}")
    problems += churn_problems(log, tables)
    problems += compaction_problems(root, [st for st in log if st.project == SF_DB])
    log = [st for st in log if st.project not in (CHURN, SF_DB)]
    inserts = [st for st in log if st.kind == "insert"]
    committed = {
        p: {st.batch: st.rows for st in inserts if st.ok and st.project == p} for p in PROJECTS
    }
    for p in PROJECTS:
        if tables.get(f"{p}.events") != committed[p]:
            have, want = tables.get(f"{p}.events", {}), committed[p]
            extra = sorted(set(have) - set(want))[:5]
            missing = sorted(set(want) - set(have))[:5]
            problems.append(f"{p}.events: extra batches {extra}, missing {missing}")

    def snapshot_problem(st: Stmt, seen: dict[int, int]) -> str | None:
        done = committed[st.project]
        for batch, count in seen.items():
            if done.get(batch) != count:
                return f"batch {batch}: {count} rows, its INSERT committed {done.get(batch)}"
        for ins in inserts:
            if (
                ins.ok
                and ins.project == st.project
                and ins.end < st.start
                and ins.batch not in seen
            ):
                return f"misses batch {ins.batch}, committed before it started"
        return None

    last_mirror: dict[str, Stmt] = {}
    for st in log:
        if st.kind == "select" and st.ok:
            why = snapshot_problem(st, st.result)
            if why:
                problems.append(f"SELECT by worker {st.worker} on {st.project}: {why}")
        elif st.kind == "clone":
            if st.ok:
                if st.target not in tables:
                    problems.append(f"{st.target}: its CLONE succeeded, the table is missing")
                elif why := snapshot_problem(st, tables[st.target]):
                    problems.append(f"{st.target}: {why}")
            elif st.target in tables:
                problems.append(f"{st.target}: its CLONE failed, the table exists")
        elif st.kind == "mirror" and st.ok:
            last_mirror[st.target] = st  # one worker's statements run in order
    for target, st in last_mirror.items():
        if target not in tables:
            problems.append(f"{target}: its CLONE succeeded, the table is missing")
        elif why := snapshot_problem(st, tables[target]):
            problems.append(f"{target} (last cloned from {st.project}): {why}")
    granted = {st.target for st in log if st.kind == "grant" and st.ok}
    for entry in sorted(granted - acl):
        problems.append(f"GRANT succeeded but is not in the ACL: {entry}")
    for entry in sorted(acl - granted):
        problems.append(f"in the ACL without a successful GRANT: {entry}")
    return problems


def churn_problems(log: list[Stmt], tables: dict[str, dict[int, int]]) -> list[str]:
    """The churned project: dropped and created again while others read and write it. Its
    final `events` holds exactly the batches of successful INSERTs into its last incarnation:
    none that ended before that table was created, every one that started after; no INSERT
    succeeds after the project's last DROP (a write into a deleted file); a SELECT sees whole
    batches of successful INSERTs only."""
    problems: list[str] = []
    ok = [st for st in log if st.project == CHURN and st.ok]
    inserts = {st.batch: st for st in ok if st.kind == "insert"}
    for st in ok:
        if st.kind == "select":
            for batch, count in st.result.items():
                ins = inserts.get(batch)
                if ins is None or ins.rows != count:
                    problems.append(f"SELECT on {CHURN} by worker {st.worker}: batch {batch}")
    final = tables.get(f"{CHURN}.events")
    drops = [st for st in ok if st.kind == "drop"]
    if final is None:
        if drops:
            last = max(drops, key=lambda st: st.end)
            late = [b for b, st in inserts.items() if st.start > last.end]
            if late and not any(st.kind == "create_table" and st.end > last.end for st in ok):
                problems.append(f"{CHURN}: INSERTs succeeded after its last DROP: {late[:5]}")
        return problems
    creates = [st for st in ok if st.kind == "create_table"]
    made = max(creates, key=lambda st: st.end) if creates else None
    made_start, made_end = (made.start, made.end) if made else (0.0, 0.0)
    if any(st.start > made_end for st in drops):
        problems.append(f"{CHURN}.events outlived a DROP PROJECT that came after it was made")
    for batch, count in final.items():
        ins = inserts.get(batch)
        if ins is None or ins.rows != count:
            problems.append(f"{CHURN}.events: batch {batch} ({count} rows) was not inserted")
        elif ins.end < made_start:
            problems.append(f"{CHURN}.events: batch {batch} is from an earlier incarnation")
    lost = sorted(b for b, st in inserts.items() if st.start > made_end and b not in final)
    if lost:
        problems.append(f"{CHURN}.events: successful INSERTs lost {lost[:5]}")
    return problems


def compaction_problems(root: Path, log: list[Stmt]) -> list[str]:
    """The compacted database: EVENTS holds exactly the successful INSERTs' batches, and every
    SELECT of it, however its file was replaced meanwhile, is a snapshot: whole batches of
    successful INSERTs, every one that ended before it started (defect 9's promise)."""
    if not log:
        return []
    s = Session.open(root, dialect="snowflake")
    try:
        (result,) = s.execute(f"SELECT BATCH, COUNT(*) FROM {SF_EVENTS} GROUP BY BATCH")
        final = {int(b): int(c) for b, c in result.rows}  # type: ignore[attr-defined]
    finally:
        s.close()
    problems: list[str] = []
    inserts = [st for st in log if st.kind == "sf_insert"]
    committed = {st.batch: st.rows for st in inserts if st.ok}
    if final != committed:
        extra = sorted(set(final) - set(committed))[:5]
        missing = sorted(set(committed) - set(final))[:5]
        problems.append(f"{SF_EVENTS}: extra batches {extra}, missing {missing}")
    for st in log:
        if st.kind != "sf_select" or not st.ok:
            continue
        wrong = [b for b, c in st.result.items() if committed.get(b) != c]
        missed = [
            ins.batch
            for ins in inserts
            if ins.ok and ins.end < st.start and ins.batch not in st.result
        ]
        if wrong or missed:
            problems.append(
                f"SELECT of {SF_EVENTS}: wrong batches {wrong[:5]}, missed {missed[:5]}"
            )
    return problems


def summary(report: Report) -> list[str]:
    """Counts per kind, latencies and problems, as lines."""
    out = []
    log = report.statements
    out.append(
        f"{len(log)} statements in {report.seconds:.1f}s "
        f"({len(log) / report.seconds:.1f}/s across the workers)"
    )
    kinds = ("insert", "select", "clone", "mirror", "grant", "use", *CHURN_SQL)
    for kind in (*kinds, "sf_fill", "sf_insert", "sf_select"):
        mine = [s for s in log if s.kind == kind]
        if not mine:
            continue
        ok = sum(bool(s.ok) for s in mine)
        locked = sum(LOCK_CODE in s.error or s.error.startswith(SF_LOCK_CODE) for s in mine)
        took = [s.end - s.start for s in mine if s.ok]
        median = statistics.median(took) if took else 0.0
        top = max(took) if took else 0.0
        out.append(
            f"  {kind:<12} {len(mine):>5} run  {ok:>5} ok  {locked:>3} lock timeouts  "
            f"median {median * 1000:.0f} ms  max {top * 1000:.0f} ms"
        )
    out.append(f"  compactions of {SF_DB}'s file: {report.compactions}")
    out.append(f"  problems: {len(report.problems)}")
    out += [f"    {p}" for p in report.problems[:40]]
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/concurrency", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the workers run")
    parser.add_argument("--workers", type=int, default=4, help="cloneshell processes at once")
    parser.add_argument("--seed", type=int, default=None, help="seed of the statement mixes")
    parser.add_argument("--lock-timeout", type=float, default=None, help="--lock-timeout")
    parser.add_argument("--work", type=Path, help="work directory (default: a temporary one)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    work = args.work or Path(tempfile.mkdtemp(prefix="cloneshell-concurrency-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"seed {seed}, {args.workers} workers, {args.seconds:g}s, work {work}")
    report = run(args.seconds, args.workers, seed, work, args.lock_timeout)
    print("\n".join(summary(report)))
    if not report.problems and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
