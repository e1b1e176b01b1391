"""Fixtures for engine tests: a fresh warehouse per test and a fixed clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from engine_helpers import OWNER_A, START, run

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock


@pytest.fixture
def warehouse_dir(tmp_path: Path) -> Path:
    return tmp_path / "wh"


@pytest.fixture
def open_session(warehouse_dir: Path) -> Iterator[Callable[..., Session]]:
    sessions: list[Session] = []

    def factory(principal: str = OWNER_A, project: str | None = None) -> Session:
        s = Session.open(warehouse_dir, principal=principal, project=project, clock=START)
        sessions.append(s)
        return s

    yield factory
    for s in sessions:
        s.close()


@pytest.fixture
def two_projects(open_session: Callable[..., Session]) -> Session:
    """The seed's set-up: project_analytics with sales_data, and project_reporting, both owned by
    alice; the session acts as alice in project_analytics."""
    s = open_session()
    run(
        s,
        """
        CREATE PROJECT project_analytics;
        CREATE PROJECT project_reporting;
        USE project_analytics;
        CREATE TABLE sales_data (id BIGINT, order_date STRING, amount DECIMAL(10,2));
        INSERT INTO sales_data VALUES (1, '2024-01-15', 299.00), (2, '2024-01-16', 450.50),
            (3, '2024-01-17', 12.25);
        """,
    )
    return s


@pytest.fixture
def sf(warehouse_dir: Path) -> Iterator[Session]:
    """A Snowflake session as the warehouse's first user (CLONESHELL, ACCOUNTADMIN) with a
    frozen clock at START (move it with `sf.move_clock`)."""
    s = Session.open(warehouse_dir, dialect="snowflake", clock=FixedClock(START))
    yield s
    s.close()


@pytest.fixture
def sf_factory(warehouse_dir: Path) -> Iterator[Callable[..., Session]]:
    """More Snowflake sessions on the same warehouse (each with its own frozen clock)."""
    sessions: list[Session] = []

    def factory(user: str | None = None, clock: datetime = START) -> Session:
        s = Session.open(
            warehouse_dir, principal=user, dialect="snowflake", clock=FixedClock(clock)
        )
        sessions.append(s)
        return s

    yield factory
    for s in sessions:
        s.close()
