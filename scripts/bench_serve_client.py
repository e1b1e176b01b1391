"""The client side of `scripts/bench serve`, run by `.venv-bench/bin/python` (snowflake-connector-
python 4.8.1, the same client for both servers): `bench_serve_client.py PORT ROWS`.

It connects, builds a table of ROWS rows, prints `ready`, then answers one line per command read
from stdin: `roundtrip N` (N `SELECT 1` round trips: their median seconds), `fetch` (the seconds
to fetch every row of the table), `concurrent CLIENTS STATEMENTS shared|own` (that many
connections at once, each running that many statements on one shared table or on a database of
its own: `seconds errors`). Needs nothing of cloneshell's."""

from __future__ import annotations

import statistics
import sys
import threading
import time
from typing import Any

import snowflake.connector


def connect(port: int, **extra: Any) -> Any:
    return snowflake.connector.connect(
        account="local",
        user="BENCH",
        password="any",
        host="127.0.0.1",
        port=port,
        protocol="http",
        login_timeout=60,
        network_timeout=120,
        session_parameters={"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False},
        **extra,
    )


def setup(port: int, rows: int) -> Any:
    con = connect(port)
    cur = con.cursor()
    cur.execute("CREATE DATABASE bench")
    cur.execute("USE DATABASE bench")
    cur.execute("CREATE SCHEMA IF NOT EXISTS public")  # fakesnow makes none
    cur.execute("USE SCHEMA public")
    cur.execute("CREATE TABLE n (x INTEGER)")
    cur.execute("INSERT INTO n VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)")
    digits = max(1, len(str(rows - 1)))
    joins = ", ".join(f"n n{i}" for i in range(digits))
    number = " + ".join(f"n{i}.x * {10**i}" for i in range(digits))
    cur.execute(
        f"CREATE TABLE big AS SELECT id, 'row-' || id AS s, id * 0.5 AS f "
        f"FROM (SELECT {number} AS id FROM {joins}) WHERE id < {rows}"
    )
    cur.execute("CREATE TABLE c (client INTEGER, i INTEGER)")
    return con


def roundtrip(cur: Any, count: int) -> float:
    seconds = []
    for _ in range(count):
        start = time.perf_counter()
        cur.execute("SELECT 1").fetchone()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def fetch(cur: Any, rows: int) -> float:
    start = time.perf_counter()
    got = cur.execute("SELECT id, s, f FROM big").fetchall()
    elapsed = time.perf_counter() - start
    if len(got) != rows:
        raise RuntimeError(f"fetched {len(got)} rows, not {rows}")
    return elapsed


def concurrent(port: int, clients: int, statements: int, shared: bool) -> tuple[float, int]:
    """`clients` connections at once, each alternating an INSERT and a read of what it
    inserted: into one shared table (`shared`), or each into a table of a database of its
    own. Every error is counted (none is expected)."""
    errors: list[BaseException] = []
    ready = threading.Barrier(clients)
    if not shared:
        con = connect(port)
        for k in range(clients):
            con.cursor().execute(f"CREATE DATABASE IF NOT EXISTS own{k}")
            con.cursor().execute(f"CREATE OR REPLACE TABLE own{k}.public.c (client INT, i INT)")
        con.close()

    def client(k: int) -> None:
        try:
            con = connect(port, database="BENCH" if shared else f"OWN{k}", schema="PUBLIC")
            cur = con.cursor()
            ready.wait()
            for i in range(statements):
                if i % 2:
                    cur.execute("SELECT COUNT(*) FROM c WHERE client = %s", (k,)).fetchone()
                else:
                    cur.execute("INSERT INTO c VALUES (%s, %s)", (k, i))
            con.close()
        except BaseException as exc:  # noqa: BLE001 - counted and shown, never hidden
            errors.append(exc)
            print(f"client {k}: {exc!r}", file=sys.stderr)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, len(errors)


def main() -> int:
    port, rows = int(sys.argv[1]), int(sys.argv[2])
    con = setup(port, rows)
    cur = con.cursor()
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words[0] == "roundtrip":
            print(f"{roundtrip(cur, int(words[1]))!r}", flush=True)
        elif words[0] == "fetch":
            print(f"{fetch(cur, rows)!r}", flush=True)
        elif words[0] == "concurrent":
            shared = words[3] == "shared"
            seconds, errors = concurrent(port, int(words[1]), int(words[2]), shared)
            print(f"{seconds!r} {errors}", flush=True)
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
