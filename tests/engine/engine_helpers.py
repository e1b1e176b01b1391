"""Helpers for engine tests: run scripts, expect failures, snapshot everything a failed
statement must leave unchanged."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest

from cloneshell.engine import Result, Rows, Session, Text
from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.split import split_script

OWNER_A = "ALIYUN$alice@aliyun.com"
OWNER_B = "ALIYUN$bob@aliyun.com"
RAM_A = "RAM$alice@aliyun.com:dev"
START = datetime(2024, 1, 15, 10, 0, 0)


def run(session: Session, script: str) -> list[Result]:
    """Run every statement of a script; any error fails the test with its text."""
    results: list[Result] = []
    for item in split_script(script):
        if item.kind == "meta":
            cmd, _, arg = item.text.partition(" ")
            assert cmd == "\\login", item.text
            session.login(arg.strip())
            continue
        results.extend(session.execute(item.text))
    return results


def fails(session: Session, statement: str) -> CloneshellError:
    """Run one statement that must fail; return its error."""
    with pytest.raises(CloneshellError) as info:
        session.execute(statement)
    return info.value


def snapshot(session: Session) -> dict[str, object]:
    """Everything a statement could change: per project, every table's rows, every metadata
    table, and (after detaching) the bytes of every file."""
    wh = session.warehouse
    state: dict[str, object] = {}
    for info in wh.list_projects():
        alias = wh.attach_project(info)
        cat = ProjectCatalog(wh.con, alias, info.name)
        meta_tables = ["tables", "partitions", "members", "roles", "role_members", "acl", "commits"]
        for mt in meta_tables:
            state[f"{info.name}.__cs.{mt}"] = sorted(
                map(repr, wh.con.execute(f'SELECT * FROM "{alias}".__cs.{mt}').fetchall())
            )
        for t in cat.list_tables():
            if t.kind != "managed":
                continue
            state[f"{info.name}.{t.name}"] = sorted(
                map(repr, wh.con.execute(f"SELECT * FROM {cat.physical(t)}").fetchall())
            )
    state["registry"] = [repr(p) for p in wh.list_projects()]
    state.update(_snowflake_state(session))
    session.idle()
    for path in sorted(Path(wh.root).rglob("*.duckdb")):
        state[f"file:{path.name}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def rows(session: Session, sql: str) -> list[tuple[object, ...]]:
    """The rows of one query."""
    (result,) = session.execute(sql)
    assert isinstance(result, Rows), result
    return result.rows


def lines(session: Session, sql: str) -> tuple[str, ...]:
    """The text lines of one SHOW/LIST statement."""
    (result,) = session.execute(sql)
    assert isinstance(result, Text), result
    return result.lines


SF_META_TABLES = [
    "project",
    "tables",
    "schemas",
    "sf_grants",
    "commits",
    "sf_objects",
    "load_history",
    "task_runs",
    "row_links",
]
SF_ACCOUNT_TABLES = ["databases", "sf_users", "sf_roles", "sf_role_grants", "sf_account_grants"]


def _snowflake_state(session: Session) -> dict[str, object]:
    """The Snowflake side of a snapshot: account tables, and per database (live or dropped)
    its metadata, every table's live rows and every history table."""
    wh = session.warehouse
    wh.attach_warehouse()
    state: dict[str, object] = {}
    for t in SF_ACCOUNT_TABLES:
        state[f"account.{t}"] = sorted(
            map(repr, wh.con.execute(f"SELECT * FROM __wh.{t}").fetchall())
        )
    for info in wh.list_databases(history=True):
        alias = wh.attach_project(info)
        for mt in SF_META_TABLES:
            state[f"{info.file}.__cs.{mt}"] = sorted(
                map(repr, wh.con.execute(f'SELECT * FROM "{alias}".__cs.{mt}').fetchall())
            )
        names = wh.con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
            "AND (schema_name <> '__cs' OR table_name LIKE 'h\\_%' ESCAPE '\\')",
            [alias],
        ).fetchall()
        for schema, table in names:
            state[f"{info.file}.{schema}.{table}"] = sorted(
                map(
                    repr, wh.con.execute(f'SELECT * FROM "{alias}"."{schema}"."{table}"').fetchall()
                )
            )
    return state


def sf_rows(session: Session, sql: str) -> list[tuple[object, ...]]:
    """The rows of one Snowflake query (alias of `rows`)."""
    return rows(session, sql)


def status(session: Session, sql: str) -> str:
    """The status message of one statement."""
    from cloneshell.engine import Status

    (result,) = session.execute(sql)
    assert isinstance(result, Status), result
    return result.message


# Two sessions of one process taking turns: each call lets go of the session's files afterwards
# (as a shell does while it waits for input), so that the other session can attach them.


def turn_run(session: Session, sql: str) -> None:
    try:
        run(session, sql)
    finally:
        session.idle()


def turn_rows(session: Session, sql: str) -> list[tuple[object, ...]]:
    try:
        return rows(session, sql)
    finally:
        session.idle()


def turn_fails(session: Session, sql: str) -> CloneshellError:
    try:
        return fails(session, sql)
    finally:
        session.idle()


def turn_status(session: Session, sql: str) -> str:
    try:
        return status(session, sql)
    finally:
        session.idle()
