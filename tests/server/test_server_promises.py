"""The server's promises (docs/trust.md, "The server"): a client that goes away in the middle of
a statement, or aborts it, never leaves it half-applied; sessions of many clients run side by
side without errors."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from http.client import HTTPConnection

import pytest

sc = pytest.importorskip("snowflake.connector")
from snowflake.connector.errors import ProgrammingError  # noqa: E402

_SLOW_INSERT = (
    "INSERT INTO big SELECT a.x FROM n a, n b, n c WHERE (a.x * 7 + b.x * 13 + c.x) % 101 = 17"
)


def _setup(served, rows: int) -> object:
    con = served.snowflake()
    cur = con.cursor()
    cur.execute("CREATE DATABASE db1")
    cur.execute("CREATE TABLE n (x INT)")
    cur.execute("INSERT INTO n VALUES (1)")
    while cur.execute("SELECT COUNT(*) FROM n").fetchone()[0] < rows:
        cur.execute("INSERT INTO n SELECT x + (SELECT COUNT(*) FROM n) FROM n")
    cur.execute("CREATE TABLE big (x INT)")
    cur.execute("INSERT INTO big VALUES (-1)")
    return con


def _post(port: int, path: str, body: dict[str, object], token: str | None) -> socket.socket:
    """Send one request on a raw socket and return the socket without reading the reply."""
    payload = gzip.compress(json.dumps(body).encode())
    headers = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        "Content-Encoding: gzip",
        f"Content-Length: {len(payload)}",
    ]
    if token:
        headers.append(f'Authorization: Snowflake Token="{token}"')
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(("\r\n".join(headers) + "\r\n\r\n").encode() + payload)
    return sock


def test_client_disconnect_mid_statement_leaves_before_or_after(served):
    con = _setup(served, 256)
    cur = con.cursor()
    expected = cur.execute(
        "SELECT COUNT(*) FROM n a, n b, n c WHERE (a.x * 7 + b.x * 13 + c.x) % 101 = 17"
    ).fetchone()[0]
    assert expected > 0
    # A second client sends the slow INSERT and hangs up while it runs.
    http = HTTPConnection("127.0.0.1", served.port)
    http.request("POST", "/session/v1/login-request", json.dumps({"data": {"LOGIN_NAME": "ALICE"}}))
    token = json.loads(http.getresponse().read())["data"]["token"]
    auth = {"Authorization": f'Snowflake Token="{token}"'}
    http.request("POST", "/queries/v1/query-request", '{"sqlText": "USE DATABASE db1"}', auth)
    assert json.loads(http.getresponse().read())["success"]
    http.close()
    gone = _post(served.port, "/queries/v1/query-request", {"sqlText": _SLOW_INSERT}, token)
    time.sleep(0.2)
    gone.close()
    counts = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        counts.add(cur.execute("SELECT COUNT(*) FROM big").fetchone()[0])
        if 1 + expected in counts or len(counts) > 1:
            break
        time.sleep(0.05)
    # Only ever the state before (1 row) or after (all rows): never part of the statement.
    assert counts <= {1, 1 + expected}
    con.close()


def test_abort_of_an_insert_leaves_the_table_as_it_was(served):
    con = _setup(served, 1024)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            con.cursor().execute(_SLOW_INSERT)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion below
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.5)
    con.rest.request("/queries/v1/abort-request", {"requestId": None}, method="post")
    worker.join(30)
    assert failure and isinstance(failure[0], ProgrammingError)
    assert failure[0].errno == 604
    assert con.cursor().execute("SELECT COUNT(*) FROM big").fetchone() == (1,)
    con.close()


def test_concurrent_clients_share_one_warehouse(served):
    admin = served.snowflake()
    admin.cursor().execute("CREATE DATABASE shared")
    admin.cursor().execute("CREATE TABLE shared.public.t (client INT, i INT)")
    errors: list[BaseException] = []

    def client(number: int) -> None:
        try:
            con = served.snowflake(database="shared")
            cur = con.cursor()
            for i in range(10):
                cur.execute(f"INSERT INTO t VALUES ({number}, {i})")
                assert cur.execute(
                    f"SELECT COUNT(*) FROM t WHERE client = {number}"
                ).fetchone() == (i + 1,)
            con.close()
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert admin.cursor().execute("SELECT COUNT(*) FROM shared.public.t").fetchone() == (80,)
    admin.close()
