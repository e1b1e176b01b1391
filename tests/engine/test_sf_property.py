"""Property: random INSERT/UPDATE/DELETE/TRUNCATE/RENAME/DROP/UNDROP sequences with clock moves;
at every recorded instant, `SELECT … AT(TIMESTAMP => p)`, `BEFORE(TIMESTAMP => p)` and a clone
at p equal a model kept in plain Python."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import datetime, timedelta

from engine_helpers import START, rows, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock

Op = tuple[str, int]

ops = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 9)),
    st.tuples(st.just("update"), st.integers(0, 9)),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("truncate"), st.just(0)),
    st.tuples(st.just("rename"), st.just(0)),
    st.tuples(st.just("drop"), st.just(0)),
    st.tuples(st.just("tick"), st.integers(1, 90)),
)


def _ts(t: datetime) -> str:
    return f"'{t.isoformat(sep=' ')}'::TIMESTAMP_NTZ"


def _bag(s: Session, sql: str) -> Counter[int]:
    return Counter(int(str(r[0])) for r in rows(s, sql))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(ops, min_size=1, max_size=12))
def test_time_travel_matches_a_model(steps: list[Op]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(START)
        s = Session.open(tmp, dialect="snowflake", clock=clock)
        try:
            _check(s, clock, steps)
        finally:
            s.close()


def _check(s: Session, clock: FixedClock, steps: list[Op]) -> None:
    run(s, "CREATE DATABASE d; CREATE TABLE t0 (v INT)")
    model: Counter[int] = Counter()
    name, dropped = "t0", False
    # The state at the end of each instant, in order: AT(ts) sees it, BEFORE(next ts) too.
    states: list[tuple[datetime, Counter[int]]] = []
    for kind, arg in steps:
        if kind == "tick":
            states.append((clock.now(), Counter(model)))
            clock.advance(timedelta(minutes=arg))
            continue
        if kind == "drop":
            run(s, f"UNDROP TABLE {name}" if dropped else f"DROP TABLE {name}")
            dropped = not dropped
            continue
        if dropped:  # every other statement needs the table: bring it back first
            run(s, f"UNDROP TABLE {name}")
            dropped = False
        if kind == "insert":
            run(s, f"INSERT INTO {name} VALUES ({arg}), ({arg + 1})")
            model.update([arg, arg + 1])
        elif kind == "update":
            run(s, f"UPDATE {name} SET v = v + 10 WHERE v = {arg}")
            if model[arg]:
                model[arg + 10] += model.pop(arg)
        elif kind == "delete":
            run(s, f"DELETE FROM {name} WHERE v = {arg}")
            model.pop(arg, None)
        elif kind == "truncate":
            run(s, f"TRUNCATE TABLE {name}")
            model.clear()
        elif kind == "rename":
            new = "t1" if name == "t0" else "t0"
            run(s, f"ALTER TABLE {name} RENAME TO {new}")
            name = new
    if dropped:
        run(s, f"UNDROP TABLE {name}")
    states.append((clock.now(), Counter(model)))
    clock.advance(timedelta(minutes=1))
    assert _bag(s, f"SELECT v FROM {name}") == +model
    previous: Counter[int] = Counter()
    for ts, expected in states:
        assert _bag(s, f"SELECT v FROM {name} AT(TIMESTAMP => {_ts(ts)})") == +expected, ts
        if ts > START:
            assert _bag(s, f"SELECT v FROM {name} BEFORE(TIMESTAMP => {_ts(ts)})") == +previous
        previous = expected
    # Clones at the first, a middle and the last instant.
    chosen = {states[i][0]: states[i] for i in (0, len(states) // 2, -1)}
    for ts, expected in chosen.values():
        run(s, f"CREATE OR REPLACE TABLE c CLONE {name} AT(TIMESTAMP => {_ts(ts)})")
        assert _bag(s, "SELECT v FROM c") == +expected
