"""cloneshell.engine.open_session: Session.open with DuckDB started while the engine imports."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cloneshell.engine import open_session
from cloneshell.engine.core.duck import duckdb as engine_duckdb
from cloneshell.engine.core.errors import EngineError
from cloneshell.engine.core.result import Rows
from cloneshell.engine.core.session import Session


def test_open_session_opens_a_working_session(tmp_path: Path) -> None:
    session = open_session(tmp_path / "wh", project="my_project")
    try:
        assert session.prompt() == "odps@ my_project>"
        (rows,) = session.execute("SELECT 1 AS x")
        assert isinstance(rows, Rows) and rows.rows == [(1,)]
    finally:
        session.close()
    sf = open_session(tmp_path / "wh", dialect="snowflake")
    try:
        assert sf.prompt() == "CLONESHELL#(no warehouse)@(no database).(no schema)>"
    finally:
        sf.close()


def test_a_refused_open_closes_the_connection_it_was_given(tmp_path: Path) -> None:
    connection = duckdb.connect(":memory:")
    with pytest.raises(EngineError):
        Session.open(tmp_path / "wh", dialect="oracle", connection=connection)
    with pytest.raises(duckdb.ConnectionException):
        connection.execute("SELECT 1")
    connection = duckdb.connect(":memory:")
    with pytest.raises(Exception, match="nope"):
        Session.open(tmp_path / "wh", project="nope", connection=connection)
    with pytest.raises(duckdb.ConnectionException):
        connection.execute("SELECT 1")


def test_without_an_early_connection_the_session_connects_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The engine's DuckDB module (engine/core/duck.py: the native one, which `duckdb` re-exports).
    real = engine_duckdb.connect
    calls: list[str] = []

    def failing_once(database: str = ":memory:", *args: object, **kwargs: object) -> object:
        calls.append(database)
        if len(calls) == 1:
            raise duckdb.IOException("no memory today")
        return real(database, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_duckdb, "connect", failing_once)
    session = open_session(tmp_path / "wh")
    try:
        assert session.execute("SELECT 1") and len(calls) == 2
    finally:
        session.close()
