"""Snowflake pipes: CREATE PIPE, ALTER PIPE … REFRESH / PIPE_EXECUTION_PAUSED, SHOW PIPES,
SYSTEM$PIPE_STATUS (reference/snowflake.md §7.2; engine/snowflake/handlers/pipes.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from engine_helpers import fails, rows, run, snapshot, status

from cloneshell.engine import Rows, Session


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    """A local directory an external stage points at (the "bucket")."""
    d = tmp_path / "landing"
    d.mkdir()
    (d / "a.csv").write_text("id,amount\n1,10\n2,20\n")
    return d


@pytest.fixture
def piped(sf: Session, landing: Path) -> Session:
    run(
        sf,
        f"""CREATE DATABASE src;
        CREATE TABLE orders (id INT, amount NUMBER(10,2));
        CREATE STAGE ext URL = 'file://{landing}/' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);
        CREATE PIPE p AS COPY INTO orders FROM @ext;""",
    )
    return sf


def pipe_status(s: Session, name: str) -> dict[str, object]:
    (value,) = rows(s, f"SELECT SYSTEM$PIPE_STATUS('{name}')")[0]
    parsed = json.loads(str(value))
    assert isinstance(parsed, dict)
    return parsed


def refresh(s: Session, name: str) -> list[tuple[object, ...]]:
    (result,) = s.execute(f"ALTER PIPE {name} REFRESH")
    assert isinstance(result, Rows)
    assert [c.name for c in result.columns] == ["File", "Status"]
    return result.rows


def test_refresh_loads_new_files_once(piped: Session, landing: Path) -> None:
    assert pipe_status(piped, "p") == {"executionState": "RUNNING", "pendingFileCount": 0}
    assert refresh(piped, "p") == [("a.csv", "SENT")]
    assert rows(piped, "SELECT count(*) FROM orders") == [(2,)]
    assert refresh(piped, "p") == []
    (landing / "b.csv").write_text("id,amount\n3,30\n")
    assert refresh(piped, "p") == [("b.csv", "SENT")]
    assert rows(piped, "SELECT count(*) FROM orders") == [(3,)]
    state = pipe_status(piped, "p")
    assert state["lastIngestedFilePath"] == f"file://{landing}/b.csv"
    assert state["lastIngestedTimestamp"] == "2024-01-15T10:00:00.000Z"


def test_each_pipe_has_its_own_load_history(piped: Session) -> None:
    # Two pipes over one location each load every file: the mechanism behind the seed's
    # duplicate-data hazard for cloned pipes.
    run(piped, "CREATE PIPE p2 AS COPY INTO src.public.orders FROM @ext")
    refresh(piped, "p")
    refresh(piped, "p2")
    assert rows(piped, "SELECT count(*) FROM orders") == [(4,)]
    # COPY INTO keeps its own history too.
    run(piped, "COPY INTO orders FROM @ext")
    assert rows(piped, "SELECT count(*) FROM orders") == [(6,)]
    # A re-created pipe starts a new history, and loads the files again.
    run(piped, "CREATE OR REPLACE PIPE p AS COPY INTO orders FROM @ext")
    assert refresh(piped, "p") == [("a.csv", "SENT")]
    assert rows(piped, "SELECT count(*) FROM orders") == [(8,)]


def test_a_paused_pipe_queues_files_until_resumed(piped: Session) -> None:
    run(piped, "ALTER PIPE p SET PIPE_EXECUTION_PAUSED = TRUE")
    assert refresh(piped, "p") == [("a.csv", "SENT")]
    assert rows(piped, "SELECT count(*) FROM orders") == [(0,)]
    assert pipe_status(piped, "p") == {"executionState": "PAUSED", "pendingFileCount": 1}
    assert refresh(piped, "p") == []  # already queued
    run(piped, "ALTER PIPE p SET PIPE_EXECUTION_PAUSED = FALSE")
    assert rows(piped, "SELECT count(*) FROM orders") == [(2,)]
    assert pipe_status(piped, "p")["pendingFileCount"] == 0


def test_a_bad_file_is_skipped(piped: Session, landing: Path) -> None:
    (landing / "bad.csv").write_text("id,amount\nx,1\n")
    assert refresh(piped, "p") == [("a.csv", "SENT"), ("bad.csv", "SENT")]
    # A pipe's COPY skips a bad file (ON_ERROR = SKIP_FILE) instead of failing the refresh.
    assert rows(piped, "SELECT count(*) FROM orders") == [(2,)]
    assert pipe_status(piped, "p")["lastIngestedFilePath"] == f"file://{landing}/a.csv"


def test_names_in_the_pipe_resolve_in_its_own_schema(piped: Session) -> None:
    run(
        piped,
        """CREATE SCHEMA other;
        CREATE TABLE orders (id INT, amount NUMBER(10,2));""",
    )
    refresh(piped, "src.public.p")
    assert rows(piped, "SELECT count(*) FROM src.other.orders") == [(0,)]
    assert rows(piped, "SELECT count(*) FROM src.public.orders") == [(2,)]


def test_create_pipe_checks_its_copy(piped: Session) -> None:
    run(piped, "CREATE STAGE internal")
    before = snapshot(piped)
    err = fails(piped, "CREATE PIPE x AS COPY INTO nope FROM @ext")
    assert "Object 'SRC.PUBLIC.NOPE' does not exist or not authorized." in err.text
    err = fails(piped, "CREATE PIPE x AS COPY INTO orders FROM @ext FILES = ('a.csv')")
    assert "copy option FILES is not supported in a pipe's COPY" in err.text
    err = fails(piped, "CREATE PIPE x AUTO_INGEST = TRUE AS COPY INTO orders FROM @internal")
    assert "AUTO_INGEST = TRUE needs an external stage" in err.text
    assert "already exists" in fails(piped, "CREATE PIPE p AS COPY INTO orders FROM @ext").text
    assert "Object 'SRC.PUBLIC.NOPE' does not exist" in fails(piped, "ALTER PIPE nope REFRESH").text
    assert snapshot(piped) == before


def test_show_pipes(piped: Session) -> None:
    (show,) = piped.execute("SHOW PIPES")
    assert isinstance(show, Rows)
    assert [c.name for c in show.columns] == [
        "created_on", "name", "database_name", "schema_name", "definition", "owner",
        "notification_channel", "comment", "integration", "pattern", "error_integration",
        "owner_role_type", "invalid_reason",
    ]  # fmt: skip
    (row,) = show.rows
    assert row[1:6] == ("P", "SRC", "PUBLIC", "COPY INTO orders FROM @ext", "ACCOUNTADMIN")
    assert status(piped, "DROP PIPE p") == "P successfully dropped."
    assert rows(piped, "SHOW PIPES") == []


def test_pipe_privileges(piped: Session) -> None:
    run(
        piped,
        """CREATE ROLE operator;
        GRANT ROLE operator TO USER cloneshell;
        GRANT USAGE ON DATABASE src TO ROLE operator;
        GRANT USAGE ON SCHEMA src.public TO ROLE operator;
        USE ROLE operator;""",
    )
    assert "does not exist or not authorized" in fails(piped, "ALTER PIPE p REFRESH").text
    run(piped, "USE ROLE accountadmin; GRANT MONITOR ON PIPE p TO ROLE operator; USE ROLE operator")
    assert pipe_status(piped, "p")["executionState"] == "RUNNING"
    err = fails(piped, "ALTER PIPE p REFRESH")
    assert err.text.endswith("Insufficient privileges to operate on pipe 'P'")
    run(piped, "USE ROLE accountadmin; GRANT OPERATE ON PIPE p TO ROLE operator; USE ROLE operator")
    # OPERATE is enough: the load itself runs as the pipe's owner (it holds INSERT and USAGE).
    assert refresh(piped, "p") == [("a.csv", "SENT")]
    run(piped, "USE ROLE accountadmin")
    assert rows(piped, "SELECT count(*) FROM src.public.orders") == [(2,)]
