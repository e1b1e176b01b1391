"""Run by `.venv-sf5/bin/python` (snowflake-connector-python 5.x, which cannot share a venv with
4.x): the seed's procedures against a `cloneshell serve` on the port given, one procedure per
call (`sf5_procedures.py PORT NAME`). Prints one JSON object of what the client saw; the test in
tests/server/test_sf_connector5.py asserts on it. Needs nothing of cloneshell's."""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from typing import Any

import snowflake.connector
from snowflake.connector.errors import DatabaseError, ProgrammingError


def connect(port: int, user: str = "ALICE", password: str = "any", **kwargs: Any) -> Any:
    options: dict[str, Any] = {
        "account": "local",
        "user": user,
        "password": password,
        "host": "127.0.0.1",
        "port": port,
        "protocol": "http",
        "login_timeout": 10,
        "network_timeout": 10,
    }
    options.update(kwargs)
    return snowflake.connector.connect(**options)


def plain(value: Any) -> Any:
    """Rows as JSON can carry them, keeping which Python type the client made."""
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def error(exc: DatabaseError) -> dict[str, Any]:
    return {
        "class": type(exc).__name__,
        "errno": exc.errno,
        "sqlstate": exc.sqlstate,
        "sfqid": exc.sfqid,
        "msg": exc.msg,
    }


def walkthrough(port: int) -> dict[str, Any]:
    seen: dict[str, Any] = {"version": snowflake.connector.__version__}
    con = connect(port)
    cur = con.cursor()
    cur.execute("CREATE DATABASE sales")
    seen["database"] = cur.execute("SELECT CURRENT_DATABASE()").fetchone()
    cur.execute("CREATE TABLE orders (id INTEGER, amount NUMBER(10,2))")
    cur.execute("INSERT INTO orders VALUES (1, 10.50), (2, 20.00), (3, 5.25)")
    seen["inserted"] = cur.rowcount
    cur.execute("DELETE FROM orders WHERE id = 2")
    seen["deleted"] = cur.rowcount
    delete_id = cur.sfqid
    seen["delete_id"] = delete_id
    cur.execute(f"CREATE TABLE orders_before CLONE orders BEFORE(STATEMENT => '{delete_id}')")
    seen["before"] = plain(
        cur.execute("SELECT id, amount FROM orders_before ORDER BY id").fetchall()
    )
    seen["count_before"] = plain(
        cur.execute(f"SELECT COUNT(*) FROM orders BEFORE(STATEMENT => '{delete_id}')").fetchall()
    )
    cur.execute("CREATE DATABASE sales_dev CLONE sales")
    cur.execute("UPDATE sales_dev.public.orders SET amount = 0")
    seen["updated"] = cur.rowcount
    seen["source_sum"] = plain(
        cur.execute("SELECT SUM(amount) FROM sales.public.orders").fetchone()
    )
    cur.execute("DROP TABLE orders")
    try:
        cur.execute("SELECT * FROM orders")
    except ProgrammingError as exc:
        seen["dropped"] = error(exc)
    seen["undrop"] = cur.execute("UNDROP TABLE orders").fetchall()
    seen["restored"] = plain(cur.execute("SELECT id FROM orders ORDER BY id").fetchall())
    con.close()
    return seen


def errors(port: int) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    con = connect(port)
    cur = con.cursor()
    cur.execute("CREATE DATABASE db1")
    for name, sql in (
        ("missing", "SELECT * FROM nope"),
        ("syntax", "SELEC 1"),
        (
            "unsupported",
            "SELECT 1 FROM TABLE(GENERATOR(TIMELIMIT => 5))",
        ),
    ):
        started = time.monotonic()
        try:
            cur.execute(sql)
        except DatabaseError as exc:
            seen[name] = error(exc)
            seen[name]["seconds"] = time.monotonic() - started
            seen[name]["cursor_sfqid"] = cur.sfqid
    con.close()
    return seen


def users(port: int) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    admin = connect(port, "ALICE")
    cur = admin.cursor()
    cur.execute("CREATE DATABASE secret")
    cur.execute("CREATE TABLE t (a INT)")
    cur.execute("INSERT INTO t VALUES (1)")
    cur.execute("CREATE USER bob")
    cur.execute("CREATE USER dora PASSWORD = 'Sesame1'")
    bob = connect(port, "BOB")
    try:
        bob.cursor().execute("SELECT * FROM secret.public.t")
    except ProgrammingError as exc:
        seen["bob"] = error(exc)
    bob.close()
    for name, user, password in (
        ("carol", "CAROL", "any"),
        ("dora_wrong", "DORA", "wrong"),
    ):
        try:
            connect(port, user, password).close()
            seen[name] = "connected"
        except DatabaseError as exc:
            seen[name] = error(exc)
    dora = connect(port, "DORA", "Sesame1")
    seen["dora"] = dora.cursor().execute("SELECT CURRENT_USER()").fetchone()
    dora.close()
    admin.close()
    return seen


def async_query(port: int) -> dict[str, Any]:
    con = connect(port)
    cur = con.cursor()
    cur.execute_async("SELECT 42 AS answer")
    query_id = cur.sfqid
    deadline = time.monotonic() + 10
    while con.is_still_running(con.get_query_status(query_id)) and time.monotonic() < deadline:
        time.sleep(0.05)
    status = con.get_query_status(query_id).name
    cur.get_results_from_sfqid(query_id)
    seen = {"status": status, "rows": cur.fetchall()}
    con.close()
    return seen


def renewal(port: int) -> dict[str, Any]:
    """Against a server whose tokens expire after 2 s: a statement after that still runs."""
    con = connect(port)
    cur = con.cursor()
    seen: dict[str, Any] = {"first": cur.execute("SELECT 1").fetchone()}
    time.sleep(2.2)
    try:
        seen["after"] = cur.execute("SELECT 2").fetchone()
    except DatabaseError as exc:
        seen["after"] = error(exc)
    con.close()
    return seen


PROCEDURES = {
    "walkthrough": walkthrough,
    "errors": errors,
    "users": users,
    "async": async_query,
    "renewal": renewal,
}

if __name__ == "__main__":
    port, name = int(sys.argv[1]), sys.argv[2]
    print(json.dumps(PROCEDURES[name](port)))
