"""The kept catalog and registry lookups (engine/core/lookups.py) never show a stale answer:
two sessions over one warehouse (each its own DuckDB database and lock markers, as two
processes) and another process (`cloneshell -e`) change tables, columns, rows, databases and
grants in random interleavings, and after each change both sessions' next statements see
exactly the state a model of the changes says."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloneshell.engine import Rows, Session
from cloneshell.grammar.errors import CloneshellError

TABLES = ("T0", "T1", "T2")
_NOT_FOUND = "002003"
_CLI = [
    sys.executable,
    "-c",
    "import sys; from cloneshell.shell.main import main; sys.exit(main())",
]


def _while_pumping(work: object, other: Session) -> None:
    """Run `work()` on a thread while `other` runs statements: a writer waits for the files
    the other session holds, which it lets go of at its next statement (as a shell does)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()  # type: ignore[operator]
        except BaseException as exc:  # re-raised on the test's thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    while thread.is_alive():
        other.execute("SELECT 1")
        thread.join(0.01)
    if failure:
        raise failure[0]


def _seen(s: Session, name: str) -> tuple[int, int] | None:
    """(columns, rows) of a table as `s` sees it, or None if it does not exist."""
    try:
        [result] = s.execute(f"SELECT * FROM {name}")
    except CloneshellError as err:
        assert err.code == _NOT_FOUND, err.text
        return None
    assert isinstance(result, Rows)
    return len(result.columns), len(result.rows)


def _open(root: Path) -> Session:
    s = Session.open(root, dialect="snowflake", lock_timeout=30)
    s.execute("USE DATABASE D")
    return s


_ops = st.lists(
    st.tuples(
        st.sampled_from(("create", "drop", "insert", "add_column", "rename", "db2", "no_db2")),
        st.integers(0, len(TABLES) - 1),
        st.integers(0, len(TABLES) - 1),
        st.sampled_from((0, 1)),  # which session writes
    ),
    min_size=1,
    max_size=10,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=_ops)
def test_both_sessions_see_every_change_at_their_next_statement(
    tmp_path_factory: object, ops: list[tuple[str, int, int, int]]
) -> None:
    root = tmp_path_factory.mktemp("wh")  # type: ignore[attr-defined]
    first = Session.open(root, dialect="snowflake", lock_timeout=30)
    first.execute("CREATE DATABASE D")
    first.close()
    sessions = [_open(root), _open(root)]
    model: dict[str, tuple[int, int]] = {}
    db2 = False
    try:
        for kind, i, j, who in ops:
            writer, other = sessions[who], sessions[1 - who]
            name, to = TABLES[i], TABLES[j]
            statements: list[str] = []
            if kind == "create":
                statements = [f"CREATE OR REPLACE TABLE {name} (a INT)"]
                model[name] = (1, 0)
            elif kind == "drop" and name in model:
                statements = [f"DROP TABLE {name}"]
                del model[name]
            elif kind == "insert" and name in model:
                statements = [f"INSERT INTO {name} (a) VALUES (1)"]
                model[name] = (model[name][0], model[name][1] + 1)
            elif kind == "add_column" and name in model:
                statements = [f"ALTER TABLE {name} ADD COLUMN c{model[name][0]} INT"]
                model[name] = (model[name][0] + 1, model[name][1])
            elif kind == "rename" and name in model and to not in model:
                statements = [f"ALTER TABLE {name} RENAME TO {to}"]
                model[to] = model.pop(name)
            elif kind == "db2":
                statements = ["CREATE OR REPLACE DATABASE D2", "CREATE TABLE D2.PUBLIC.X (a INT)"]
                statements.append("USE DATABASE D")
                db2 = True
            elif kind == "no_db2" and db2:
                statements = ["DROP DATABASE D2", "USE DATABASE D"]
                db2 = False

            def write(writer: Session = writer, statements: list[str] = statements) -> None:
                for text in statements:
                    writer.execute(text)

            _while_pumping(write, other)
            for k, s in enumerate(sessions):
                seen: dict[str, tuple[int, int] | None] = {}

                def read(s: Session = s, seen: dict[str, tuple[int, int] | None] = seen) -> None:
                    for t in (*TABLES, "D2.PUBLIC.X"):
                        seen[t] = _seen(s, t)

                _while_pumping(read, sessions[1 - k])
                expected = {t: model.get(t) for t in TABLES}
                expected["D2.PUBLIC.X"] = (1, 0) if db2 else None
                assert seen == expected, ops
    finally:
        for s in sessions:
            s.close()


def test_a_change_by_another_process_is_seen_at_the_next_statement(tmp_path: Path) -> None:
    s = Session.open(tmp_path, dialect="snowflake", lock_timeout=30)
    s.execute("CREATE DATABASE D")
    s.execute("CREATE TABLE D.PUBLIC.T (a INT)")
    s.execute("USE DATABASE D")
    assert _seen(s, "T") == (1, 0)  # the database file and the registry stay held read-only
    assert _seen(s, "T") == (1, 0)
    for change, expected in (
        ("ALTER TABLE D.PUBLIC.T ADD COLUMN b INT; INSERT INTO D.PUBLIC.T VALUES (1, 2);", (2, 1)),
        ("DROP TABLE D.PUBLIC.T;", None),
        ("CREATE TABLE D.PUBLIC.T (x INT, y INT, z INT);", (3, 0)),
    ):

        def other_process(change: str = change) -> None:
            subprocess.run(
                [*_CLI, "-w", str(tmp_path), "--dialect", "snowflake", "-e", change],
                text=True,
                check=True,
                capture_output=True,
                timeout=60,
            )

        _while_pumping(other_process, s)
        assert _seen(s, "T") == expected, change
    s.close()
