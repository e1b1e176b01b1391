"""The file lifecycle (docs/trust.md "One file lifecycle"): projects and Snowflake databases
share one file namespace no statement can collide in; every create, replace (compaction) and
delete of a project file takes its write lock like any writer; and a statement sees every commit
that ended before it started, also after its file was deleted or replaced under a shell that
held it (engine/core/warehouse.py: claim_file, retire_file, compact, the generation check)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from cloneshell.engine import Session
from cloneshell.engine.core import registry
from cloneshell.engine.core.clock import FixedClock
from cloneshell.grammar.errors import CloneshellError

OWNER = "ALIYUN$alice@aliyun.com"
START_SQL = "CREATE TABLE t (v BIGINT)"
START = datetime(2024, 1, 15, 10, 0, 0)


def _rows(s: Session, sql: str) -> list[tuple[object, ...]]:
    (result,) = s.execute(sql)
    return [tuple(r) for r in result.rows]  # type: ignore[attr-defined]


def _files(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "projects").iterdir())


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "wh"


# ------------------------------------------------------------------ 1: one file namespace


def test_create_project_never_replaces_a_database_file(root: Path) -> None:
    """Defect 1: CREATE PROJECT named after a Snowflake database's file (`db_<8 hex>`) printed
    OK, deleted the database's file and put an empty project in its place. The name is taken:
    refused with a coded error at the name, and the database keeps its rows."""
    sf = Session.open(root, dialect="snowflake")
    try:
        sf.execute("CREATE DATABASE SALES")
        sf.execute("CREATE TABLE T (X INT)")
        sf.execute("INSERT INTO T VALUES (7)")
        sf.idle()
        (file,) = [n.removesuffix(".duckdb") for n in _files(root) if n.startswith("db_")]
        mc = Session.open(root, principal=OWNER)
        try:
            for sql in (f"CREATE PROJECT {file}", f"CREATE PROJECT IF NOT EXISTS {file.upper()}"):
                with pytest.raises(CloneshellError) as info:
                    mc.execute(sql + ";")
                assert info.value.text == (
                    f"ODPS-0420061: Invalid parameter - project name '{file}' is taken by another "
                    "file of this warehouse (a Snowflake database's, or one left in projects/): "
                    "choose another name"
                )
                assert info.value.span is not None and info.value.span.start == sql.lower().index(
                    "db_"
                )
            assert [r[0] for r in _rows(mc, "SHOW PROJECTS")] == ["my_project"]
            mc.idle()
        finally:
            mc.close()
        assert _rows(sf, "SELECT X FROM SALES.PUBLIC.T") == [(7,)]
    finally:
        sf.close()


def test_create_project_never_replaces_a_file_it_did_not_make(root: Path) -> None:
    """A file in projects/ the registry does not list (a copy put back by hand, a leftover)
    makes its name taken too: no statement deletes a file it did not create."""
    Session.open(root, principal=OWNER).close()
    stray = root / "projects" / "restored.duckdb"
    stray.write_bytes(b"not yours to delete")
    for leftover in ("restored", "other.duckdb.wal", "third.compacting"):
        s = Session.open(root, principal=OWNER)
        try:
            name = leftover.split(".")[0]
            if leftover != "restored":
                (root / "projects" / leftover).write_bytes(b"x")
            with pytest.raises(CloneshellError) as info:
                s.execute(f"CREATE PROJECT {name};")
            assert f"project name '{name}' is taken" in info.value.text
        finally:
            s.close()
    assert stray.read_bytes() == b"not yours to delete"


def test_a_new_database_file_avoids_every_taken_name(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database's generated file name skips names a project, a dropped database or a stray
    file holds."""
    mc = Session.open(root, principal=OWNER)
    mc.execute("CREATE PROJECT db_00000000;")
    mc.close()
    (root / "projects" / "db_11111111.duckdb.wal").write_bytes(b"x")
    draws = iter(["00000000", "11111111", "22222222"])
    monkeypatch.setattr(registry.secrets, "token_hex", lambda n: next(draws))
    sf = Session.open(root, dialect="snowflake")
    try:
        sf.execute("CREATE DATABASE SALES")
        info = sf.warehouse.get_database("SALES")
        assert info is not None and info.file == "db_22222222"
    finally:
        sf.close()


# ------------------------------------------------------------------ 3 and 9: concurrent shells


# Shell B: another process running one statement after another until told to stop, printing
# each one's number, start and end (time.time()) and its outcome (rows or the error's code).
_LOOP = """
import json, sys, time
from pathlib import Path
from cloneshell.engine import Session
from cloneshell.grammar.errors import CloneshellError
root, project, template, stop, principal = sys.argv[1:6]
s = Session.open(root, principal=principal, project=project, lock_timeout=20)
i = 0
while not Path(stop).exists():
    i += 1
    started = time.time()
    try:
        (result,) = s.execute(template.format(i=i))
        outcome = [list(r) for r in getattr(result, "rows", [])]
    except CloneshellError as err:
        outcome = err.text.split(":")[0]
    print(json.dumps([i, started, time.time(), outcome]), flush=True)
s.close()
"""


@dataclass
class Loop:
    """Shell B's runs: (number, start, end, rows or error code)."""

    proc: subprocess.Popen[str]
    stop_file: Path
    runs: list[tuple[int, float, float, object]] = field(default_factory=list)

    def read_until(self, instant: float) -> None:
        """Read runs until three that started after `instant` have ended, then stop B."""
        assert self.proc.stdout is not None
        after = 0
        while after < 3:
            line = self.proc.stdout.readline()
            assert line, self.proc.stderr.read() if self.proc.stderr else "B ended"
            i, start, end, outcome = json.loads(line)
            self.runs.append((i, start, end, outcome))
            after += start > instant
        self.stop_file.touch()
        out, err = self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0, err
        for line in out.splitlines():
            i, start, end, outcome = json.loads(line)
            self.runs.append((i, start, end, outcome))


@contextlib.contextmanager
def looping(root: Path, project: str, template: str) -> Iterator[Loop]:
    """Shell B runs `template.format(i=…)` for i = 1, 2, … in its own process while the block
    runs (it has run once when the block starts)."""
    stop = root.parent / "stop"
    proc = subprocess.Popen(
        [sys.executable, "-c", _LOOP, str(root), project, template, str(stop), OWNER],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lp = Loop(proc, stop)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first, proc.stderr.read() if proc.stderr else ""
        lp.runs.append(tuple(json.loads(first)))  # type: ignore[arg-type]
        yield lp
    finally:
        stop.touch()
        if proc.poll() is None:
            proc.communicate(timeout=60)


def test_drop_project_under_a_concurrent_writer_loses_no_insert(root: Path) -> None:
    """Defect 3: shell B loops INSERTs on project p while shell A runs DROP PROJECT p; CREATE
    PROJECT p; CREATE TABLE t. B printed OK for INSERTs that landed in the deleted file (it
    kept holding it). Now DROP takes the file's write lock and B's next statement sees the
    project gone or the new one: every INSERT B reports done after A's statements ended is in
    the new table, and the new table holds nothing B did not report done."""
    a = Session.open(root, principal=OWNER, lock_timeout=20)
    try:
        a.execute("CREATE PROJECT pdrop;")
        a.execute("USE pdrop;")
        a.execute(START_SQL + ";")
        a.idle()
        with looping(root, "pdrop", "INSERT INTO t VALUES ({i});") as writer:
            time.sleep(0.3)
            for sql in ("USE my_project", "DROP PROJECT pdrop", "CREATE PROJECT pdrop"):
                a.execute(sql + ";")
            a.execute("USE pdrop;")
            a.execute(START_SQL + ";")
            a.idle()
            created = time.time()
            writer.read_until(created)
        done = {i for i, _, _, out in writer.runs if isinstance(out, list)}
        after = {i for i, start, _, _ in writer.runs if start > created}
        errors = {out for _, _, _, out in writer.runs if isinstance(out, str)}
        assert after and after <= done, writer.runs[-3:]
        landed = {int(r[0]) for r in _rows(a, "SELECT v FROM pdrop.t")}
        assert after <= landed, sorted(after - landed)[:10]
        assert landed <= done
        assert errors <= {"ODPS-0420111", "ODPS-0130131"}, errors  # project / table not found
    finally:
        a.close()


def _fill(s: Session) -> None:
    """A table of 2**16 rows of 64 hex digits, checkpointed into the file, then dropped: about
    half the file's blocks are then free (what idle compaction rewrites)."""
    s.execute("CREATE TABLE big (v BIGINT, s STRING);")
    s.execute("INSERT INTO big VALUES (1, 'x');")
    for _ in range(16):
        s.execute(
            "INSERT INTO big SELECT v + (SELECT max(v) FROM big), "
            "concat(md5(CAST(v AS STRING)), md5(s)) FROM big;"
        )
    s.idle()
    s.execute("DROP TABLE big;")
    s.idle()


def test_a_reader_sees_every_commit_after_compaction_replaced_its_file(root: Path) -> None:
    """Defect 9: shell B ran SELECTs in a loop while idle compaction replaced the file; shell
    C then inserted a row, and B's next SELECTs missed it (B read the replaced file). Every
    SELECT B starts after C's INSERT ended sees C's row."""
    a = Session.open(root, principal=OWNER, lock_timeout=20, clock=FixedClock(START))
    a.execute(START_SQL + ";")
    _fill(a)
    a.idle()
    c = Session.open(root, principal=OWNER, lock_timeout=20)
    path = root / "projects" / "my_project.duckdb"
    try:
        with looping(root, "my_project", "SELECT count(*) FROM t;") as reader:
            before = path.stat().st_ino
            wh = a.warehouse
            for _ in range(50):
                if wh.compact(wh.require_project("my_project"), min_bytes=0):
                    break
                time.sleep(0.1)
            a.idle()
            assert path.stat().st_ino != before  # replaced
            c.execute("INSERT INTO t VALUES (42);")
            c.idle()
            inserted = time.time()
            reader.read_until(inserted)
        late = [out for _, start, _, out in reader.runs if start > inserted]
        assert late and all(out == [[1]] for out in late), late[:3]
    finally:
        a.close()
        c.close()


# ------------------------------------------------------------------ 16: EXECUTE TASK


_TASK_KILLED = """
import os, signal, sys
from cloneshell.engine import Session
from cloneshell.engine.snowflake.context import SnowflakeContext
s = Session.open(sys.argv[1], dialect="snowflake")
s.execute("USE DATABASE D")
after = SnowflakeContext._after_commit
def die(self, cat, kind):
    after(self, cat, kind)
    if kind == "INSERT":
        os.kill(os.getpid(), signal.SIGKILL)
SnowflakeContext._after_commit = die
s.execute("EXECUTE TASK K")
"""


def test_a_task_run_killed_after_its_commit_keeps_its_history(root: Path) -> None:
    """Defect 16: kill -9 during EXECUTE TASK (an INSERT) could leave the rows without a
    TASK_HISTORY record (2 of 36 kills): the run was recorded in a transaction of its own after
    the statement's. Here the process dies right after the INSERT committed: the reopened
    warehouse has the row and its SUCCEEDED run."""
    s = Session.open(root, dialect="snowflake")
    try:
        for sql in (
            "CREATE DATABASE D",
            "CREATE TABLE LOG (N INT)",
            "CREATE TASK K AS INSERT INTO LOG VALUES (1)",
        ):
            s.execute(sql)
    finally:
        s.close()
    done = subprocess.run(
        [sys.executable, "-c", _TASK_KILLED, str(root)], capture_output=True, timeout=120
    )
    assert done.returncode == -9, done.stderr.decode()
    s = Session.open(root, dialect="snowflake")
    try:
        s.execute("USE DATABASE D")
        assert _rows(s, "SELECT N FROM LOG") == [(1,)]
        history = "SELECT NAME, STATE FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())"
        assert _rows(s, history) == [("K", "SUCCEEDED")]
        s.execute("EXECUTE TASK K")  # unkilled: one record per run, as before
        assert _rows(s, history + " ORDER BY 1") == [("K", "SUCCEEDED")] * 2
    finally:
        s.close()


# ------------------------------------------------------------------ S: purges upgrade properly


@pytest.mark.parametrize(
    "statement",
    ["SHOW TABLES HISTORY", "SHOW SCHEMAS HISTORY", "UNDROP TABLE GONE", "UNDROP SCHEMA OLD"],
)
def test_a_read_after_retention_passed_purges_under_a_write_lock(
    root: Path, statement: str
) -> None:
    """Defect S: a new shell opened after a dropped object's retention had passed failed on
    its first SHOW … HISTORY or UNDROP of that database (`Cannot execute statement of type
    "DROP" … attached in read-only mode!`): the purge ran inside the read-only attach. It now
    takes the file read-write first: the dropped object is gone for good, nothing else is."""
    s = Session.open(root, dialect="snowflake", clock=FixedClock(START))
    try:
        for sql in (
            "CREATE DATABASE D DATA_RETENTION_TIME_IN_DAYS = 1",
            "CREATE TABLE KEEP (X INT)",
            "CREATE TABLE GONE (X INT)",
            "DROP TABLE GONE",
            "CREATE SCHEMA OLD",
            "DROP SCHEMA OLD",
        ):
            s.execute(sql)
    finally:
        s.close()
    later = FixedClock(datetime(2024, 1, 17, 10, 0, 0))
    s = Session.open(root, dialect="snowflake", clock=later)
    try:
        s.execute("USE DATABASE D")
        if statement.startswith("SHOW"):
            names = [r[1] for r in _rows(s, statement)]
            assert "GONE" not in names and "OLD" not in names
            assert ("KEEP" in names) == ("TABLES" in statement)
        else:
            with pytest.raises(CloneshellError) as info:
                s.execute(statement)
            assert "did not exist or was purged" in info.value.text, info.value.text
        assert [r[1] for r in _rows(s, "SHOW TABLES HISTORY")] == ["KEEP"]
    finally:
        s.close()


# ------------------------------------------------------------------ 15: a damaged file


def _damage(path: Path, how: str) -> None:
    size = path.stat().st_size
    with path.open("r+b") as f:
        if how == "truncated":
            f.truncate(size // 2)
        else:  # overwritten from its start: not a database file any more
            f.write(b"\0garbage" * 4096)


@pytest.mark.parametrize("how", ["truncated", "overwritten"])
def test_a_damaged_database_affects_only_itself(root: Path, how: str) -> None:
    """Defect 15: a truncated database file made SHOW DATABASES and SHOW TABLES IN ACCOUNT
    fail for everyone (with DuckDB's message and the file's path), and DROP of that database
    failed. Now: reading it fails with a coded error naming it; SHOW DATABASES lists it as
    damaged, so does SHOW TABLES IN ACCOUNT (a row without a table name), every other
    database works, and DROP
    DATABASE removes it and its file."""
    s = Session.open(root, dialect="snowflake")
    try:
        for sql in (
            "CREATE DATABASE GOOD",
            "CREATE TABLE T (X INT)",
            "INSERT INTO T VALUES (1)",
            "CREATE DATABASE BAD",
            "CREATE TABLE U (X INT, S VARCHAR)",
            "INSERT INTO U VALUES (1, 'a')",
        ):
            s.execute(sql)
        for _ in range(12):
            s.execute("INSERT INTO U SELECT X + 1, S || S FROM U")
        info = s.warehouse.get_database("BAD")
        assert info is not None
    finally:
        s.close()
    bad = root / "projects" / f"{info.file}.duckdb"
    _damage(bad, how)
    s = Session.open(root, dialect="snowflake")
    try:
        damaged = (
            "000603 (XX000): Database 'BAD' is damaged: its file cannot be read; restore the "
            "file, or drop the database with DROP DATABASE BAD"
        )
        for sql in ("SELECT count(*) FROM BAD.PUBLIC.U", "SHOW TABLES IN DATABASE BAD"):
            with pytest.raises(CloneshellError) as err:
                s.execute(sql)
            assert err.value.text == damaged, err.value.text
        listed = {r[1]: r[6] for r in _rows(s, "SHOW DATABASES")}
        assert listed == {"BAD": "damaged: its file cannot be read", "GOOD": ""}
        # Listed as damaged, not left out (a listing that omits it hides that it exists).
        tables = [(r[2], r[1], r[4], r[5]) for r in _rows(s, "SHOW TABLES IN ACCOUNT")]
        assert tables == [
            ("GOOD", "T", "TABLE", ""),
            ("BAD", None, "DAMAGED", "damaged: its file cannot be read"),
        ]
        terse = [(r[3], r[1], r[2]) for r in _rows(s, "SHOW TERSE TABLES IN ACCOUNT")]
        assert terse == [("GOOD", "T", "TABLE"), ("BAD", None, "DAMAGED")]
        assert [r[2] for r in _rows(s, "SHOW TABLES IN DATABASE GOOD")] == ["GOOD"]
        assert _rows(s, "SELECT X FROM GOOD.PUBLIC.T") == [(1,)]
        s.execute("DROP DATABASE BAD")
        assert [r[1] for r in _rows(s, "SHOW DATABASES")] == ["GOOD"]
        assert [r[2] for r in _rows(s, "SHOW TABLES IN ACCOUNT")] == ["GOOD"]
        assert [r[1] for r in _rows(s, "SHOW DATABASES HISTORY")] == ["GOOD"]
    finally:
        s.close()
    assert not bad.exists() and not bad.with_name(bad.name + ".wal").exists()


def test_a_damaged_project_affects_only_itself(root: Path) -> None:
    """The same in MaxCompute: a coded error naming the project; SHOW PROJECTS marks it
    damaged; DROP PROJECT removes it."""
    s = Session.open(root, principal=OWNER)
    try:
        s.execute("CREATE PROJECT broken;")
        s.execute("USE broken;")
        s.execute(START_SQL + ";")
        s.execute("INSERT INTO t VALUES (1);")
    finally:
        s.close()
    path = root / "projects" / "broken.duckdb"
    _damage(path, "overwritten")
    s = Session.open(root, principal=OWNER)
    try:
        with pytest.raises(CloneshellError) as err:
            s.execute("SELECT * FROM broken.t;")
        assert err.value.text == (
            "ODPS-0010000: Project broken is damaged: its file cannot be read; restore the "
            "file, or drop the project with DROP PROJECT broken"
        )
        listed = {r[0]: r[3] for r in _rows(s, "SHOW PROJECTS")}
        assert listed == {"broken": "damaged: its file cannot be read", "my_project": ""}
        s.execute("DROP PROJECT broken;")
        assert [r[0] for r in _rows(s, "SHOW PROJECTS")] == ["my_project"]
    finally:
        s.close()
    assert not path.exists()


def test_a_file_whose_checkpoint_cut_free_blocks_off_its_end_is_not_damaged(root: Path) -> None:
    # A checkpoint after DROP (retention 0) shortens the file; its header still counts the
    # free blocks. Found by scripts/bench's sfclone line: the second round said "damaged".
    s = Session.open(root, dialect="snowflake")
    for q in (
        "CREATE DATABASE src_db",
        "CREATE TABLE t (id NUMBER)",
        "INSERT INTO t VALUES (1)",
        "CREATE DATABASE dst_db DATA_RETENTION_TIME_IN_DAYS = 0",
    ):
        s.execute(q)
    for i in range(3):
        s.execute(f"CREATE TABLE dst_db.public.t{i} CLONE src_db.public.t")
        s.idle()
        s.execute(f"DROP TABLE dst_db.public.t{i}")
        s.idle()
    s.execute("CREATE TABLE dst_db.public.last CLONE src_db.public.t")
    (shown,) = s.execute("SELECT count(*) FROM dst_db.public.last")
    s.close()
    assert shown.rows == [(1,)]
