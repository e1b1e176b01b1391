"""The SQL the engine generates never binds to a user's name (issue 13, defects 2 and 7): every
name it adds lives in the reserved `__cs` namespace, which no column can take, and DuckDB's
`rowid` is reachable neither through a user's alias nor hidden by a user's column.

The property test names a table's columns after every internal alias and pseudo-column the
engine's generated SQL has used (stream, UPDATE, history and link aliases), runs DML, stream,
clone and Time Travel paths, and compares each with a model kept in plain Python."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from engine_helpers import START, fails, rows, run, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock

# Names the engine's generated SQL has used for its own columns, aliases and CTEs.
INTERNAL = (
    "V_FROM", "K", "N", "IK", "DK", "IN_KEY", "INS_KEY", "OLD_KEY", "NEW_KEY", "OLD_FROM",
    "VERSION", "TABLE_ID", "I", "D", "M", "L", "P", "S", "T", "U", "CH", "NI", "ND", "J",
    "INS", "DELS", "PAIRS", "MATCHED", "CHAIN", "SRC", "IN", "Q",
)  # fmt: skip
# Names the engine keeps for itself: refused as column names.
RESERVED = ("ROWID", "rowid", "__CS_V", "__cs_v", "__cs_vto", "__CS_FROM", "__cs_rid")


def _sf(tmp: str, clock: FixedClock) -> Session:
    return Session.open(tmp, dialect="snowflake", clock=clock)


@pytest.mark.parametrize("name", RESERVED)
def test_a_reserved_column_name_is_refused_and_changes_nothing(sf: Session, name: str) -> None:
    run(sf, "CREATE DATABASE d")
    before = snapshot(sf)
    err = fails(sf, f'CREATE TABLE a ("{name}" INT, x INT)')
    assert name.lower() in str(err).lower() and err.span is not None, err
    err = fails(sf, f'CREATE TABLE a AS SELECT 1 AS "{name}", 2 AS x')
    assert name.lower() in str(err).lower() and err.span is not None, err
    assert snapshot(sf) == before


def test_rowid_in_a_statement_does_not_reach_duckdb_row_ids(sf: Session) -> None:
    """Defect 2's sibling: a user's `rowid` in UPDATE/DELETE named DuckDB's row identifier."""
    run(sf, "CREATE DATABASE d; CREATE TABLE a (x INT); INSERT INTO a VALUES (1), (2), (3)")
    before = snapshot(sf)
    for sql in (
        "UPDATE a SET x = 50 WHERE rowid = 0",
        "DELETE FROM a WHERE rowid = 1",
        "UPDATE a AS q SET x = 50 WHERE q.rowid = 0",
    ):
        err = fails(sf, sql)
        assert "rowid" in str(err).lower(), err
    assert snapshot(sf) == before


def test_update_and_delete_change_only_the_rows_they_match(sf: Session) -> None:
    """Defect 2: with a user column the engine's row identity could bind to, UPDATE changed
    every row sharing its value. Equal values in K (an old internal alias) must not matter."""
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE a (K INT, X INT);
        INSERT INTO a VALUES (7, 1), (7, 2), (8, 3)""",
    )
    assert rows(sf, "UPDATE a SET x = 50 WHERE x = 2") == [(1, 0)]
    assert sorted(rows(sf, "SELECT k, x FROM a")) == [(7, 1), (7, 50), (8, 3)]
    assert rows(sf, "DELETE FROM a WHERE x = 50") == [(1,)]
    assert sorted(rows(sf, "SELECT k, x FROM a")) == [(7, 1), (8, 3)]


@pytest.mark.parametrize("name", ["V_FROM", "K", "N", "IK", "DK"])
def test_a_stream_on_columns_named_like_internal_aliases(sf: Session, name: str) -> None:
    """Defect 7: a column V_FROM emptied the stream; K gave a type error."""
    run(
        sf,
        f"""CREATE DATABASE d; CREATE TABLE t (a INT, {name} INT);
        INSERT INTO t VALUES (1, 10), (2, 20); CREATE STREAM s ON TABLE t;
        UPDATE t SET a = 5 WHERE a = 1; INSERT INTO t VALUES (3, 30)""",
    )
    got = sorted(
        (int(str(r[0])), int(str(r[1])), r[2], r[3])
        for r in rows(sf, f"SELECT a, {name}, METADATA$ACTION, METADATA$ISUPDATE FROM s")
    )
    assert got == [
        (1, 10, "DELETE", True),
        (3, 30, "INSERT", False),
        (5, 10, "INSERT", True),
    ]


# ---------------------------------------------------------------------------- the property

Row = tuple[int, int, int]
COLS = ("V_FROM", "K", "N")
ops = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 3), st.integers(0, 2)),
    st.tuples(st.just("update"), st.integers(0, 3), st.integers(0, 2)),
    st.tuples(st.just("update_from"), st.integers(0, 3), st.integers(0, 2)),
    st.tuples(st.just("delete"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("delete_using"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("consume"), st.just(0), st.just(0)),
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.permutations(INTERNAL).map(lambda names: names[:3]),
    st.lists(ops, min_size=1, max_size=10),
)
def test_internal_names_as_columns_match_a_model(
    names: list[str], steps: list[tuple[str, int, int]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(START)
        s = _sf(tmp, clock)
        try:
            _check(s, clock, tuple(names), steps)
        finally:
            s.close()


def _bag(s: Session, sql: str) -> Counter[Row]:
    return Counter(tuple(int(str(v)) for v in r) for r in rows(s, sql))  # type: ignore[misc]


def _check(
    s: Session, clock: FixedClock, names: tuple[str, ...], steps: list[tuple[str, int, int]]
) -> None:
    a, b, c = (f'"{n}"' for n in names)
    cols = f"{a}, {b}, {c}"
    run(
        s,
        f"""CREATE DATABASE d; CREATE TABLE t ({a} INT, {b} INT, {c} INT);
        CREATE TABLE o ({a} INT, {b} INT); INSERT INTO o VALUES (0, 100), (2, 200);
        CREATE TABLE replica ({a} INT, {b} INT, {c} INT);
        CREATE TABLE changes ({a} INT, {b} INT, {c} INT, action STRING);
        CREATE STREAM st ON TABLE t""",
    )
    model: Counter[Row] = Counter()
    replica: Counter[Row] = Counter()
    other = {0: 100, 2: 200}
    states: list[tuple[datetime, Counter[Row]]] = []
    serial = 0
    for op, x, y in steps:
        clock.advance(timedelta(seconds=1))
        if op == "insert":
            serial += 1
            new = [(x, y, serial), (x, y, serial)]  # equal rows: duplicates on purpose
            run(s, f"INSERT INTO t VALUES ({x}, {y}, {serial}), ({x}, {y}, {serial})")
            model.update(new)
        elif op == "update":
            run(s, f"UPDATE t SET {b} = {b} + {y + 1} WHERE {a} = {x}")
            model = _map(
                model, lambda r, x=x, y=y: (r[0], r[1] + y + 1 if r[0] == x else r[1], r[2])
            )
        elif op == "update_from":
            run(s, f"UPDATE t SET {c} = o.{b} FROM o WHERE t.{a} = o.{a} AND t.{b} >= {y}")
            model = _map(
                model,
                lambda r, y=y: (r[0], r[1], other[r[0]] if r[0] in other and r[1] >= y else r[2]),
            )
        elif op == "delete":
            run(s, f"DELETE FROM t WHERE {a} = {x}")
            model = Counter({r: n for r, n in model.items() if r[0] != x})
        elif op == "delete_using":
            run(s, f"DELETE FROM t USING o WHERE t.{a} = o.{a} AND o.{b} > {x * 50}")
            gone = {k for k, v in other.items() if v > x * 50}
            model = Counter({r: n for r, n in model.items() if r[0] not in gone})
        else:
            changes = rows(s, f"SELECT {cols}, METADATA$ACTION FROM st")
            run(s, f"INSERT INTO changes SELECT {cols}, METADATA$ACTION FROM st")
            for r in changes:
                row = (int(str(r[0])), int(str(r[1])), int(str(r[2])))
                if r[3] == "DELETE":
                    replica[row] -= 1
                else:
                    replica[row] += 1
            replica = +replica
        assert _bag(s, f"SELECT {cols} FROM t") == +model
        # The stream: replica - deletes + inserts = the table, at every step.
        seen = Counter(replica)
        for r in rows(s, f"SELECT {cols}, METADATA$ACTION FROM st"):
            row = (int(str(r[0])), int(str(r[1])), int(str(r[2])))
            seen[row] += -1 if r[3] == "DELETE" else 1
        assert +seen == +model, (names, steps)
        states.append((clock.now(), Counter(model)))
    for ts, expected in states:
        at = f"AT(TIMESTAMP => '{ts.isoformat(sep=' ')}'::TIMESTAMP_NTZ)"
        assert _bag(s, f"SELECT {cols} FROM t {at}") == +expected, ts
        run(s, f"CREATE OR REPLACE TABLE c CLONE t {at}")
        assert _bag(s, f"SELECT {cols} FROM c") == +expected, ts


def _map(model: Counter[Row], change: Callable[[Row], Row]) -> Counter[Row]:
    """Every row of the bag changed by `change` (rows that become equal add up)."""
    out: Counter[Row] = Counter()
    for r, n in model.items():
        out[change(r)] += n
    return out
