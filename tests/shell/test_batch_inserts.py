"""A script's INSERTs go to the engine in runs (`execute_many`); what the user sees — OK
lines, results, errors with their statement numbers and lines, the exit status — is byte for
byte what running each statement alone prints."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock
from cloneshell.engine.maxcompute.handlers import dml
from cloneshell.shell import batch
from cloneshell.shell.batch import run_script

START = datetime(2024, 1, 15, 10, 0, 0)

SCRIPT = """\
CREATE TABLE t (id BIGINT, name STRING, amount DECIMAL(10,2));
CREATE TABLE p (id BIGINT) PARTITIONED BY (ds STRING);
INSERT INTO t VALUES (1, 'a', 1.5);
INSERT INTO t VALUES (2, 'b', 2.5);
-- a comment between statements
INSERT INTO t VALUES (3, 'c',
    3.5);
insert into t values (4, 'd', 'four');
INSERT INTO t VALUES (5, 'e', 5.5);
INSERT INTO p PARTITION (ds='1') VALUES (1);
INSERT INTO p PARTITION (ds='1') VALUES (2);
INSERT INTO t VALUES (6, 'f');
INSERT INTO t VALUES (7, 'g', 7.5);
SELECT count(*) FROM t;
INSERT INTO t VALUES (8, 'h', 8.5); INSERT INTO nope VALUES (1); INSERT INTO t VALUES (9, 'i', 9);
INSERT INTO t VALUES (10, 'j', 10)\\G
INSERT INTO t VALUES (11, 'k', 11)
"""


def transcript(root: Path, script: str, **options: object) -> tuple[int, str, str]:
    session = Session.open(root, clock=FixedClock(START))
    out, err = io.StringIO(), io.StringIO()
    try:
        code = run_script(session, script, out, err, source_name="s.sql", **options)  # type: ignore[arg-type]
        (rows,) = session.execute("SELECT id, amount FROM t ORDER BY id LIMIT 100")
    finally:
        session.close()
    return code, out.getvalue() + repr(getattr(rows, "rows", None)), err.getvalue()


@pytest.mark.parametrize("echo", [False, True])
@pytest.mark.parametrize("on_error", ["stop", "continue"])
def test_output_is_that_of_one_statement_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, echo: bool, on_error: str
) -> None:
    ran: list[int] = []
    real = dml.insert_many

    def spy(contexts: list[object], stmts: list[object]) -> int | None:
        n = real(contexts, stmts)  # type: ignore[arg-type]
        ran.append(n or 0)
        return n

    monkeypatch.setattr(dml, "insert_many", spy)
    batched = transcript(tmp_path / "a", SCRIPT, echo=echo, on_error=on_error)
    assert on_error == "stop" or any(n > 1 for n in ran)  # batches did run
    ran.clear()
    monkeypatch.setattr(batch, "_MAX_RUN", 1)  # every statement alone
    alone = transcript(tmp_path / "b", SCRIPT, echo=echo, on_error=on_error)
    assert ran == []
    assert batched == alone
    code, _, err = batched
    assert code == 1
    assert "at statement 6, line 8 of s.sql" in err
    if on_error == "continue":
        assert "at statement 10, line 12 of s.sql" in err
        assert "at statement 14, line 15 of s.sql" in err


def test_timing_runs_each_statement_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(dml, "insert_many", lambda *a: calls.append(a) or 0)
    code, _, err = transcript(
        tmp_path / "wh",
        "\\timing on\nCREATE TABLE t (id BIGINT, amount DOUBLE);\n"
        "INSERT INTO t VALUES (1, 1);\nINSERT INTO t VALUES (2, 2);\n",
    )
    assert code == 0 and calls == []
    assert err.count("Time: ") == 3
