"""Snowflake sessions: opening, switching dialects, the completion snapshot, users and roles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from engine_helpers import OWNER_A, START, fails, rows, run, status

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock
from cloneshell.grammar.errors import CloneshellError


def test_open_in_a_database(warehouse_dir: Path) -> None:
    s = Session.open(warehouse_dir, dialect="snowflake", clock=START)
    run(s, 'CREATE DATABASE sales; CREATE DATABASE "Mixed"')
    s.close()
    s = Session.open(warehouse_dir, dialect="snowflake", project="sales", clock=START)
    assert s.prompt() == "CLONESHELL#(no warehouse)@SALES.PUBLIC>"
    s.close()
    s = Session.open(warehouse_dir, dialect="snowflake", project='"Mixed"', clock=START)
    assert s.project == "Mixed"
    s.close()
    with pytest.raises(CloneshellError) as info:
        Session.open(warehouse_dir, dialect="snowflake", project="nosuch", clock=START)
    assert info.value.text.startswith("002003 (02000)")


def test_open_as_user(warehouse_dir: Path) -> None:
    s = Session.open(warehouse_dir, dialect="snowflake", principal="alice", clock=START)
    # The warehouse's first Snowflake user administers the account.
    assert (s.principal, s.role) == ("ALICE", "ACCOUNTADMIN")
    s.close()
    with pytest.raises(CloneshellError):
        Session.open(warehouse_dir, dialect="snowflake", principal="not a name", clock=START)


def test_switch_from_maxcompute_and_back(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(s, "CREATE TABLE mc_t (id BIGINT)")
    s.switch_dialect("snowflake")
    assert s.prompt() == "CLONESHELL#(no warehouse)@(no database).(no schema)>"
    run(s, "CREATE DATABASE d")
    s.switch_dialect("maxcompute")
    assert s.principal == OWNER_A
    assert rows(s, "SELECT count(*) FROM mc_t") == [(0,)]
    with pytest.raises(CloneshellError):
        s.switch_dialect("postgres")


def test_completion_snapshot(sf: Session) -> None:
    run(
        sf,
        """CREATE ROLE analyst; CREATE DATABASE d; CREATE SCHEMA s;
        CREATE TABLE t (a INT, b VARCHAR); CREATE DATABASE hidden; USE ROLE sysadmin;""",
    )
    snap = sf.snapshot()
    assert snap.dialect == "snowflake"
    assert snap.projects == ()  # SYSADMIN holds nothing on D or HIDDEN
    run(sf, "USE ROLE accountadmin")
    snap = sf.snapshot()
    assert snap.projects == ("D", "HIDDEN")
    assert ("D", "S") in snap.schemas
    (t,) = snap.tables
    assert (t.project, t.schema, t.name) == ("D", "S", "T")
    assert t.columns == (("A", "NUMBER(38,0)"), ("B", "VARCHAR(16777216)"))
    assert "ANALYST" in snap.roles and "CLONESHELL" in snap.principals


def test_users_and_roles(sf: Session) -> None:
    assert status(sf, "CREATE ROLE analyst") == "Role ANALYST successfully created."
    assert status(sf, "CREATE ROLE IF NOT EXISTS analyst") == (
        "ANALYST already exists, statement succeeded."
    )
    assert fails(sf, "CREATE ROLE analyst").text.endswith("Object 'ANALYST' already exists.")
    assert status(sf, "CREATE USER bob DEFAULT_ROLE = analyst") == "User BOB successfully created."
    run(sf, "GRANT ROLE analyst TO USER bob")
    (roles,) = sf.execute("SHOW ROLES")
    names = [r[1] for r in roles.rows]  # type: ignore[union-attr]
    assert names[:3] == ["ACCOUNTADMIN", "ANALYST", "ORGADMIN"]
    assert [c.name for c in roles.columns][:5] == [  # type: ignore[union-attr]
        "created_on",
        "name",
        "is_default",
        "is_current",
        "is_inherited",
    ]
    grants = rows(sf, "SHOW GRANTS TO USER bob")
    assert [(r[1], r[2], r[3]) for r in grants] == [("ANALYST", "USER", "BOB")]
    assert [r[0] for r in rows(sf, "SHOW USERS")] == ["BOB", "CLONESHELL"]
    run(sf, "REVOKE ROLE analyst FROM USER bob")
    assert rows(sf, "SHOW GRANTS TO USER bob") == []
    assert fails(
        sf, "GRANT ROLE accountadmin TO ROLE analyst; GRANT ROLE analyst TO ROLE accountadmin"
    ).text.startswith("002000")
    assert status(sf, "DROP ROLE analyst") == "ANALYST successfully dropped."


def test_show_grants_to_role_and_on_account(sf: Session) -> None:
    run(sf, "CREATE ROLE r; CREATE DATABASE d; GRANT USAGE ON DATABASE d TO ROLE r")
    run(sf, "GRANT CREATE DATABASE ON ACCOUNT TO ROLE r")
    got = {(row[1], row[2], row[3]) for row in rows(sf, "SHOW GRANTS TO ROLE r")}
    assert got == {("USAGE", "DATABASE", "D"), ("CREATE DATABASE", "ACCOUNT", "CLONESHELL")}
    account = {(row[1], row[5]) for row in rows(sf, "SHOW GRANTS ON ACCOUNT")}
    assert ("CREATE DATABASE", "SYSADMIN") in account and ("CREATE DATABASE", "R") in account


def test_sessions_take_turns_on_one_warehouse(sf_factory: Callable[..., Session]) -> None:
    a = sf_factory()
    run(a, "CREATE DATABASE d; CREATE TABLE t (v INT); INSERT INTO t VALUES (1)")
    a.idle()
    b = sf_factory(clock=START)
    assert rows(b, "SELECT count(*) FROM d.public.t") == [(1,)]
    assert isinstance(b.clock, FixedClock)
