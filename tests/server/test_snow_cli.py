"""The Snowflake CLI (`snow sql`, snowflake-cli 3.30.0 from `.venv-snowcli`), unmodified, against
`cloneshell serve` through a connection with `protocol = "http"` in its config: the seed's
clone / Time Travel / UNDROP walkthrough (BEFORE(STATEMENT => the DELETE's query id, read with
LAST_QUERY_ID()), errors with their code, SQL state and query id, a second user denied."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from clientvenv import venv_bin


class Snow:
    """`snow sql` against one server, with a config file of its own."""

    def __init__(self, served: Any, home: Path) -> None:
        self.program = venv_bin("snowcli", "snow")
        self.home = home
        self.config = home / "config.toml"
        connection = (
            'account = "local"\nhost = "127.0.0.1"\n'
            f'port = {served.port}\nprotocol = "http"\npassword = "any"\n'
        )
        self.config.write_text(
            f'[connections.local]\nuser = "ALICE"\n{connection}\n'
            f'[connections.bob]\nuser = "BOB"\n{connection}'
        )
        self.config.chmod(0o600)  # snow refuses a config others can read

    def sql(self, text: str, connection: str = "local") -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "SNOWFLAKE_HOME": str(self.home), "NO_COLOR": "1", "COLUMNS": "200"}
        return subprocess.run(
            [str(self.program), "--config-file", str(self.config), "sql", "-c", connection]
            + ["--format", "json", "-q", text],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    def results(self, text: str, connection: str = "local") -> list[list[dict[str, Any]]]:
        done = self.sql(text, connection)
        assert done.returncode == 0, done.stdout + done.stderr
        parsed: list[list[dict[str, Any]]] = json.loads(done.stdout)
        return parsed


def _error_text(done: subprocess.CompletedProcess[str]) -> str:
    """The CLI's error box as one line of text."""
    boxed = done.stdout + done.stderr
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", boxed).split())


def test_walkthrough_through_snow_sql(served, tmp_path):
    snow = Snow(served, tmp_path)
    setup = snow.results(
        "CREATE DATABASE sales; "
        "CREATE TABLE orders (id INTEGER, amount NUMBER(10,2)); "
        "INSERT INTO orders VALUES (1, 10.50), (2, 20.00), (3, 5.25); "
        "DELETE FROM orders WHERE id = 2; "
        "SELECT LAST_QUERY_ID() AS qid"
    )
    assert setup[2] == [{"number of rows inserted": 3}]
    assert setup[3] == [{"number of rows deleted": 1}]
    delete_id = setup[4][0]["QID"]
    assert re.fullmatch(r"[0-9a-f-]{36}", delete_id)
    walk = snow.results(
        "USE DATABASE sales; "
        f"CREATE TABLE orders_before CLONE orders BEFORE(STATEMENT => '{delete_id}'); "
        "SELECT id, amount FROM orders_before ORDER BY id; "
        f"SELECT COUNT(*) AS n FROM orders BEFORE(STATEMENT => '{delete_id}'); "
        "CREATE DATABASE sales_dev CLONE sales; "
        "UPDATE sales_dev.public.orders SET amount = 0; "
        "SELECT SUM(amount) AS total FROM sales.public.orders; "
        "DROP TABLE sales.public.orders; "
        "UNDROP TABLE sales.public.orders; "
        "SELECT id FROM sales.public.orders ORDER BY id"
    )
    # The CLI prints NUMBER(10,2) values (Decimals) as strings at their scale.
    assert walk[2] == [
        {"ID": 1, "AMOUNT": "10.50"},
        {"ID": 2, "AMOUNT": "20.00"},
        {"ID": 3, "AMOUNT": "5.25"},
    ]
    assert walk[3] == [{"N": 3}]
    assert walk[5][0]["number of rows updated"] == 2
    assert walk[6] == [{"TOTAL": "15.75"}]
    assert walk[8] == [{"status": "Table ORDERS successfully restored."}]
    assert walk[9] == [{"ID": 1}, {"ID": 3}]


def test_errors_and_a_second_user_through_snow_sql(served, tmp_path):
    snow = Snow(served, tmp_path)
    snow.results("CREATE DATABASE secret; CREATE TABLE t (a INT); CREATE USER bob")
    missing = snow.sql("USE DATABASE secret; SELECT * FROM nope")
    assert missing.returncode == 1
    text = _error_text(missing)
    assert re.search(
        r"002003 \(42S02\): [0-9a-f-]{36}: SQL compilation error: "
        r"Object 'SECRET.PUBLIC.NOPE' does not exist or not authorized\.",
        text,
    ), text
    syntax = snow.sql("SELEC 1")
    assert syntax.returncode == 1
    assert re.search(r"001003 \(42000\): [0-9a-f-]{36}: SQL compilation error", _error_text(syntax))
    denied = snow.sql("SELECT * FROM secret.public.t", "bob")
    assert denied.returncode == 1
    assert "002003" in _error_text(denied)
    stranger = Snow(served, tmp_path)
    stranger.config.write_text(stranger.config.read_text().replace('"BOB"', '"CAROL"'))
    refused = stranger.sql("SELECT 1", "bob")
    assert refused.returncode == 1
    assert "390100 (28000)" in _error_text(refused)
