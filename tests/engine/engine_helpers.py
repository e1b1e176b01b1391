"""Helpers for engine tests: run scripts, expect failures, snapshot everything a failed
statement must leave unchanged."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest

from cloneshell.engine import Result, Rows, Session, Text
from cloneshell.engine.catalog import ProjectCatalog
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
