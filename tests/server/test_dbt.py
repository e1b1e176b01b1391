"""dbt-snowflake 1.11 (.venv-dbt, tests/server/clients/dbt.txt) builds tests/server/dbt_project
against `cloneshell serve`: `dbt build` passes (seed, table, view, incremental model,
not_null/unique tests), and a second build after the seed changed MERGEs into the incremental
model — a row the new seed lacks stays, a changed row is updated, a new one inserted, which a
rebuilt table would not show."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from clientvenv import venv_bin

pytest.importorskip("snowflake.connector")

PROJECT = Path(__file__).resolve().parent / "dbt_project"

_PROFILE = """\
cloneshell:
  target: dev
  outputs:
    dev:
      type: snowflake
      account: local
      user: ALICE
      password: any
      host: 127.0.0.1
      port: {port}
      protocol: http
      database: DEMO
      schema: ANALYTICS
      warehouse: WH
      role: ACCOUNTADMIN
      threads: 1
      connect_retries: 0
      connect_timeout: 10
"""


def _dbt(project: Path, *args: str) -> str:
    """`dbt <args>` in the project (its profile beside it); its output (it must succeed)."""
    env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",  # no network but the server's
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(project),
    }
    done = subprocess.run(
        [str(venv_bin("dbt", "dbt")), *args, "--project-dir", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
        cwd=project,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    return done.stdout


def _objects(cur: Any) -> dict[str, str]:
    """SHOW OBJECTS of the project's schema: name -> kind."""
    rows = cur.execute("SHOW OBJECTS IN demo.analytics").fetchall()
    names = [d[0] for d in cur.description]
    return {row[names.index("name")]: row[names.index("kind")] for row in rows}


def test_dbt_build_twice_merges_the_incremental_model(served: Any, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "profiles.yml").write_text(_PROFILE.format(port=served.port))
    con: Any = served.snowflake()
    con.cursor().execute("CREATE DATABASE demo")

    first = _dbt(project, "build")
    assert "PASS=8 WARN=0 ERROR=0 SKIP=0" in first, first[-3000:]
    cur = con.cursor()
    assert cur.execute(
        "SELECT customer, total, orders FROM demo.analytics.customer_totals ORDER BY customer"
    ).fetchall() == [("alice", 17.5, 2), ("bob", 20.25, 1)]
    assert cur.execute("SELECT id FROM demo.analytics.big_orders ORDER BY id").fetchall() == [
        (1,),
        (2,),
    ]
    assert _objects(cur) == {
        "RAW_ORDERS": "TABLE",
        "CUSTOMER_TOTALS": "TABLE",
        "BIG_ORDERS": "VIEW",
        "ORDERS_INCREMENTAL": "TABLE",
    }

    # The seed loses row 1, changes row 3 and gains row 4: the incremental model's MERGE
    # (rows with id >= the last one built: 3 and 4) keeps 1, updates 3 and inserts 4.
    (project / "seeds" / "raw_orders.csv").write_text(
        "id,customer,amount\n2,bob,20.25\n3,alice,9.0\n4,carol,4.5\n"
    )
    second = _dbt(project, "--debug", "build")
    assert "PASS=8 WARN=0 ERROR=0 SKIP=0" in second, second[-3000:]
    assert "merge into DEMO.ANALYTICS.orders_incremental" in second
    # The table model's query_tag: dbt reads the session's tag back, sets it, then unsets it.
    assert "show parameters like 'query_tag' in session" in second
    assert "Setting query_tag to 'cloneshell_dbt'" in second
    assert cur.execute(
        "SELECT id, customer, amount FROM demo.analytics.orders_incremental ORDER BY id"
    ).fetchall() == [(1, "alice", 10.5), (2, "bob", 20.25), (3, "alice", 9.0), (4, "carol", 4.5)]
    # The temporary view dbt merged from is gone (dbt drops it; it would end with the session).
    assert set(_objects(cur)) == {
        "RAW_ORDERS",
        "CUSTOMER_TOTALS",
        "BIG_ORDERS",
        "ORDERS_INCREMENTAL",
    }
    con.close()
