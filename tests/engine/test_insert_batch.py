"""`Session.execute_many`: consecutive single-row INSERTs share one transaction, and every
outcome — results, errors, rows, versions, the commit log, partitions — is the one of running
each statement alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from engine_helpers import OWNER_A, RAM_A, START, rows, run

from cloneshell.engine import Session
from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.engine.core.clock import FixedClock
from cloneshell.engine.maxcompute.handlers import dml
from cloneshell.grammar.errors import CloneshellError

SETUP = """
CREATE PROJECT proj_a;
USE proj_a;
CREATE TABLE t1 (id BIGINT, name STRING, amount DECIMAL(10,2));
CREATE TABLE t2 (id BIGINT, at DATETIME, ok BOOLEAN);
CREATE TABLE p (id BIGINT, v STRING) PARTITIONED BY (ds STRING, hh STRING);
"""

Outcome = list[tuple[str, object]]


def _open(root: Path) -> Session:
    s = Session.open(root, principal=OWNER_A, clock=FixedClock(START))
    run(s, SETUP)
    return s


def alone(s: Session, texts: list[str]) -> Outcome:
    """Each statement through `execute`, going on after errors (`--on-error continue`)."""
    out: Outcome = []
    for text in texts:
        try:
            out.append(("ok", [repr(r) for r in s.execute(text)]))
        except CloneshellError as e:
            out.append(("error", e.text))
    return out


def many(s: Session, texts: list[str]) -> Outcome:
    """The same through `execute_many`, resuming after each failure as the shell does."""
    out: Outcome = []
    i = 0
    while i < len(texts):
        o = s.execute_many(texts[i:])
        assert len(o.results) == len(o.elapsed)
        out += [("ok", [repr(r) for r in results]) for results in o.results]
        i += len(o.results)
        if o.error is not None:
            assert isinstance(o.error, CloneshellError), o.error
            out.append(("error", o.error.text))
            i += 1
    return out


def state(s: Session) -> dict[str, object]:
    """Every table's rows with their versions, and the metadata (the commit log without the
    random statement ids, which are checked apart)."""
    wh = s.warehouse
    got: dict[str, object] = {}
    for info in wh.list_projects():
        alias = wh.attach_project(info)
        cat = ProjectCatalog(wh.con, alias, info.name)
        got[f"{info.name}.commits"] = wh.con.execute(
            f'SELECT version, ts, principal, kind, detail FROM "{alias}".__cs.commits '
            "ORDER BY version"
        ).fetchall()
        ids = wh.con.execute(f'SELECT statement_id FROM "{alias}".__cs.commits').fetchall()
        assert len(set(ids)) == len(ids)
        for meta in ("tables", "partitions"):
            got[f"{info.name}.{meta}"] = sorted(
                map(repr, wh.con.execute(f'SELECT * FROM "{alias}".__cs.{meta}').fetchall())
            )
        for t in cat.list_tables():
            got[f"{info.name}.{t.name}"] = sorted(
                map(repr, wh.con.execute(f"SELECT * FROM {cat.physical(t)}").fetchall())
            )
    return got


@pytest.fixture
def pair(tmp_path: Path) -> Callable[[list[str]], tuple[Outcome, Outcome]]:
    """Run a script alone (one warehouse) and batched (another); check both end the same."""
    sessions: list[Session] = []

    def both(texts: list[str]) -> tuple[Outcome, Outcome]:
        a, b = _open(tmp_path / "alone"), _open(tmp_path / "many")
        sessions.extend((a, b))
        got_alone, got_many = alone(a, texts), many(b, texts)
        assert got_many == got_alone
        assert state(b) == state(a)
        return got_alone, got_many

    yield both
    for s in sessions:
        s.close()


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the batches that ran in one transaction."""
    sizes: list[int] = []
    real = dml.insert_many

    def spy(contexts: list[object], stmts: list[object]) -> int | None:
        ran = real(contexts, stmts)  # type: ignore[arg-type]
        if ran:
            sizes.append(ran)
        return ran

    monkeypatch.setattr(dml, "insert_many", spy)
    return sizes


LITERALS = [
    "INSERT INTO t1 VALUES (1, 'a', 1.5)",
    "INSERT INTO t1 VALUES (2, 'it''s', -0.005)",
    "INSERT INTO t1 VALUES (3, NULL, NULL)",
    'INSERT INTO t1 VALUES (4, "dq", 12345678.125)',
    "INSERT INTO TABLE t1 VALUES (5, 'x', 1e2)",
    "insert into T1 values (6 + 1, concat('a', 'b'), 2.675)",
    "INSERT INTO t1 VALUES (8, '', '3.14')",
    "INSERT INTO proj_a.t1 VALUES (9, 'qualified', 0)",
]


def test_single_row_inserts_run_as_one_batch_with_a_version_each(pair, batches) -> None:
    got, _ = pair(LITERALS)
    assert [kind for kind, _ in got] == ["ok"] * len(LITERALS)
    # `t1` and `proj_a.t1` are the same table, but the batch key compares names as written
    assert batches == [len(LITERALS) - 1]


def test_versions_follow_the_statements(tmp_path: Path, batches) -> None:
    s = _open(tmp_path / "wh")
    texts = [f"INSERT INTO t1 VALUES ({i}, 'n{i}', {i}.5)" for i in range(5)]
    outcome = s.execute_many(texts)
    assert outcome.error is None and len(outcome.results) == 5
    assert batches == [5]
    got = rows(s, "SELECT id, name, amount FROM t1 ORDER BY id LIMIT 100")
    assert [r[0] for r in got] == [0, 1, 2, 3, 4]
    info = s.warehouse.get_project("proj_a")
    assert info is not None
    alias = s.warehouse.attach_project(info)
    versions = s.warehouse.con.execute(f'SELECT id, __cs_v FROM "{alias}".main.t1 ORDER BY id')
    by_id = versions.fetchall()
    log = s.warehouse.con.execute(
        f'SELECT version, detail FROM "{alias}".__cs.commits ORDER BY version DESC LIMIT 5'
    ).fetchall()
    assert sorted(log) == [(v, texts[i]) for i, (_, v) in enumerate(by_id)]
    assert [v for _, v in by_id] == list(range(by_id[0][1], by_id[0][1] + 5))
    s.close()


def test_mixed_tables_columns_and_partitions(pair, batches) -> None:
    texts = [
        "INSERT INTO t1 VALUES (1, 'a', 1)",
        "INSERT INTO t1 VALUES (2, 'b', 2)",
        "INSERT INTO t2 VALUES (1, '2024-01-15 10:00:00', true)",
        "INSERT INTO t2 VALUES (2, NULL, false)",
        "INSERT INTO t1 (id) VALUES (3)",
        "INSERT INTO t1 (id) VALUES (4)",
        "INSERT INTO t1 (amount, id) VALUES (9.99, 5)",
        "INSERT INTO p PARTITION (ds='20240115', hh='01') VALUES (1, 'x')",
        "INSERT INTO p PARTITION (ds='20240115', hh='01') VALUES (2, 'y')",
        "INSERT INTO p PARTITION (ds='20240115', hh='02') VALUES (3, 'z')",
        "INSERT INTO p PARTITION (ds='20240115', hh='02') VALUES (4, 'w')",
        "INSERT INTO t1 VALUES (6, 'c', 3), (7, 'd', 4)",  # several rows: runs alone
        "INSERT INTO t1 VALUES (8, 'e', 5)",
    ]
    got, _ = pair(texts)
    assert all(kind == "ok" for kind, _ in got)
    assert batches == [2, 2, 2, 2, 2]


@pytest.mark.parametrize(
    "bad",
    [
        "INSERT INTO t1 VALUES (3, 'c', 'not a number')",  # fails in DuckDB
        "INSERT INTO t1 VALUES (3, 'c')",  # too few values
        "INSERT INTO t1 VALUES (3, 'c', 1, 2)",  # too many
        "INSERT INTO t1 VALUES (3, 'c', 1",  # a syntax error
        "INSERT INTO t1 VALUES (3, 'c', nope)",  # an unknown column
        "INSERT INTO t1 VALUES (3, 'c', 1e40)",  # overflows DECIMAL(10,2)
    ],
)
def test_a_failure_in_the_middle_is_its_own(pair, bad: str) -> None:
    texts = [f"INSERT INTO t1 VALUES ({i}, 'v{i}', {i})" for i in range(3)]
    texts += [bad] + [f"INSERT INTO t1 VALUES ({i}, 'v{i}', {i})" for i in range(4, 8)]
    got, _ = pair(texts)
    assert [kind for kind, _ in got] == ["ok"] * 3 + ["error"] + ["ok"] * 4


def test_stop_keeps_exactly_the_statements_before_the_failure(tmp_path: Path) -> None:
    s = _open(tmp_path / "wh")
    texts = [f"INSERT INTO t1 VALUES ({i}, 'v', 1)" for i in range(6)]
    texts[4] = "INSERT INTO t1 VALUES (4, 'v', 'x')"
    outcome = s.execute_many(texts)
    assert len(outcome.results) == 4
    assert isinstance(outcome.error, CloneshellError)
    alone_error = None
    try:
        s.execute(texts[4])
    except CloneshellError as e:
        alone_error = e.text
    assert outcome.error.text == alone_error
    assert rows(s, "SELECT id FROM t1 ORDER BY id LIMIT 100") == [(0,), (1,), (2,), (3,)]
    s.close()


def test_a_failing_first_statement_changes_nothing(tmp_path: Path) -> None:
    s = _open(tmp_path / "wh")
    before = state(s)
    outcome = s.execute_many(["INSERT INTO nope VALUES (1)", "INSERT INTO nope VALUES (2)"])
    assert outcome.results == [] and isinstance(outcome.error, CloneshellError)
    assert "nope" in outcome.error.text
    assert state(s) == before
    s.close()


def test_privilege_errors_mid_script(pair, tmp_path: Path) -> None:
    # A RAM user may update t1 but not t2: its INSERTs into t2 fail, each on its own, between
    # batches into t1 that succeed.
    grant = f"""
    ADD USER {RAM_A};
    GRANT CreateInstance ON PROJECT proj_a TO USER {RAM_A};
    GRANT Update ON TABLE t1 TO USER {RAM_A};
    """
    texts = [f"INSERT INTO t1 VALUES ({i}, 'v', 1)" for i in range(3)]
    texts += ["INSERT INTO t2 VALUES (1, NULL, true)", "INSERT INTO t2 VALUES (2, NULL, true)"]
    texts += [f"INSERT INTO t1 VALUES ({i}, 'v', 1)" for i in range(3, 6)]
    a, b = _open(tmp_path / "alone"), _open(tmp_path / "many")
    for s in (a, b):
        run(s, grant)
        s.login(RAM_A)
    got_alone, got_many = alone(a, texts), many(b, texts)
    assert got_many == got_alone
    assert [kind for kind, _ in got_many] == ["ok"] * 3 + ["error"] * 2 + ["ok"] * 3
    assert "Update" in str(got_many[3][1])
    for s in (a, b):
        s.login(OWNER_A)
    assert state(b) == state(a)
    a.close()
    b.close()


def test_a_row_reading_the_table_sees_the_rows_before_it(pair, batches) -> None:
    texts = [
        "INSERT INTO t1 VALUES (1, 'a', 1)",
        "INSERT INTO t1 VALUES (2, 'b', 1)",
        "INSERT INTO t1 VALUES ((SELECT count(*) FROM t1) + 10, 'count', 1)",
        "INSERT INTO t1 VALUES (4, 'c', 1)",
        "INSERT INTO t1 VALUES (5, 'd', 1)",
    ]
    _, _ = pair(texts)
    assert batches == [2, 2]


def test_snowflake_statements_run_one_at_a_time(tmp_path: Path, batches) -> None:
    s = Session.open(tmp_path / "wh", dialect="snowflake", clock=FixedClock(START))
    run(s, "CREATE DATABASE d; CREATE TABLE t (id INT)")
    texts = [f"INSERT INTO t VALUES ({i})" for i in range(3)]
    outcome = s.execute_many(texts)
    assert outcome.error is None
    assert [len(r) for r in outcome.results] == [1, 1, 1]
    assert batches == []
    assert rows(s, "SELECT count(*) FROM t") == [(3,)]
    s.close()


@pytest.mark.parametrize(
    "make",
    [KeyboardInterrupt, lambda: RuntimeError("Query interrupted")],
    ids=["KeyboardInterrupt", "DuckDB SIGINT"],
)
def test_ctrl_c_in_duckdb_is_not_replayed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[], BaseException]
) -> None:
    # A new exception per test: one kept by the parametrization would keep its traceback, and
    # with it the session's DuckDB connection, alive until the interpreter exits.
    interrupt = make()
    s = _open(tmp_path / "wh")
    before = state(s)

    def interrupted(self: ProjectCatalog, commits: object) -> None:
        raise interrupt

    monkeypatch.setattr(ProjectCatalog, "record_commits", interrupted)
    outcome = s.execute_many([f"INSERT INTO t1 VALUES ({i}, 'v', 1)" for i in range(3)])
    assert outcome.results == []
    assert outcome.error is interrupt
    assert state(s) == before
    s.close()
