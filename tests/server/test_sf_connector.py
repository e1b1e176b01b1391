"""snowflake-connector-python 4.x, unmodified, against `cloneshell serve`: the seed's clone /
Time Travel / UNDROP walkthrough, errors with errno/sqlstate/sfqid, privileges, value encodings,
bindings, multi-statement requests, async queries, abort and logout."""

from __future__ import annotations

import datetime
import threading
import time
from decimal import Decimal

import pytest

sc = pytest.importorskip("snowflake.connector")
from snowflake.connector.errors import DatabaseError, ProgrammingError  # noqa: E402


def test_clone_time_travel_undrop_walkthrough(served):
    con = served.snowflake()
    cur = con.cursor()
    cur.execute("CREATE DATABASE sales")
    assert con.database == "SALES" or cur.execute("SELECT CURRENT_DATABASE()").fetchone() == (
        "SALES",
    )
    cur.execute("CREATE TABLE orders (id INTEGER, amount NUMBER(10,2))")
    cur.execute("INSERT INTO orders VALUES (1, 10.50), (2, 20.00), (3, 5.25)")
    assert cur.rowcount == 3
    cur.execute("DELETE FROM orders WHERE id = 2")
    assert cur.rowcount == 1
    delete_id = cur.sfqid
    # Time Travel to just before the DELETE, by its query id (no clock needed).
    cur.execute(f"CREATE TABLE orders_before CLONE orders BEFORE(STATEMENT => '{delete_id}')")
    rows = cur.execute("SELECT id, amount FROM orders_before ORDER BY id").fetchall()
    assert rows == [(1, Decimal("10.50")), (2, Decimal("20.00")), (3, Decimal("5.25"))]
    rows = cur.execute(f"SELECT COUNT(*) FROM orders BEFORE(STATEMENT => '{delete_id}')").fetchall()
    assert rows == [(3,)]
    # A zero-copy clone of a database, independent of its source afterwards.
    cur.execute("CREATE DATABASE sales_dev CLONE sales")
    cur.execute("UPDATE sales_dev.public.orders SET amount = 0")
    assert cur.rowcount == 2
    assert cur.execute("SELECT SUM(amount) FROM sales.public.orders").fetchone() == (
        Decimal("15.75"),
    )
    # DROP then UNDROP brings the table back with its rows.
    cur.execute("DROP TABLE orders")
    with pytest.raises(ProgrammingError) as gone:
        cur.execute("SELECT * FROM orders")
    assert gone.value.errno == 2003
    cur.execute("UNDROP TABLE orders")
    assert cur.fetchall() == [("Table ORDERS successfully restored.",)]
    assert cur.execute("SELECT id FROM orders ORDER BY id").fetchall() == [(1,), (3,)]
    con.close()


def test_errors_carry_errno_sqlstate_and_sfqid(served):
    con = served.snowflake()
    cur = con.cursor()
    cur.execute("CREATE DATABASE db1")
    with pytest.raises(ProgrammingError) as missing:
        cur.execute("SELECT * FROM nope")
    err = missing.value
    assert (err.errno, err.sqlstate) == (2003, "42S02")
    assert "Object 'DB1.PUBLIC.NOPE' does not exist or not authorized." in err.msg
    assert err.sfqid and err.sfqid == cur.sfqid
    # The query id of the failed statement is one Time Travel can name: it is the engine's.
    assert len(err.sfqid) == 36
    con.close()


@pytest.mark.parametrize(
    ("sql", "errno", "sqlstate"),
    [
        ("SELEC 1", 1003, "42000"),
        ("SELECT 1 FROM TABLE(GENERATOR(TIMELIMIT => 5))", 2, "0A000"),
    ],
)
def test_syntax_and_unsupported_errors_arrive_within_one_second(served, sql, errno, sqlstate):
    con = served.snowflake()
    cur = con.cursor()
    cur.execute("CREATE DATABASE db1")
    started = time.monotonic()
    with pytest.raises(ProgrammingError) as caught:
        cur.execute(sql)
    assert time.monotonic() - started < 1.0  # no retry loop
    assert (caught.value.errno, caught.value.sqlstate) == (errno, sqlstate)
    assert caught.value.sfqid
    con.close()


def test_second_user_is_denied_and_unknown_user_cannot_log_in(served):
    admin = served.snowflake("ALICE")
    cur = admin.cursor()
    cur.execute("CREATE DATABASE secret")
    cur.execute("CREATE TABLE t (a INT)")
    cur.execute("INSERT INTO t VALUES (1)")
    cur.execute("CREATE USER bob")
    bob = served.snowflake("BOB")
    with pytest.raises(ProgrammingError) as denied:
        bob.cursor().execute("SELECT * FROM secret.public.t")
    assert denied.value.errno == 2003  # Snowflake hides what a role may not see
    assert denied.value.sfqid
    with pytest.raises(DatabaseError) as refused:
        served.snowflake("CAROL")
    assert refused.value.errno == 390100
    bob.close()
    admin.close()


def test_a_user_created_with_a_password_must_give_it(served):
    admin = served.snowflake("ALICE")
    admin.cursor().execute("CREATE USER dora PASSWORD = 'Sesame1'")
    with pytest.raises(DatabaseError) as refused:
        served.snowflake("DORA", password="sesame1")
    assert refused.value.errno == 390100
    dora = served.snowflake("DORA", password="Sesame1")
    assert dora.cursor().execute("SELECT CURRENT_USER()").fetchone() == ("DORA",)
    dora.close()
    # Replaced without one: any password again; dropped: no login at all.
    admin.cursor().execute("CREATE OR REPLACE USER dora")
    served.snowflake("DORA", password="anything").close()
    admin.cursor().execute("DROP USER dora")
    with pytest.raises(DatabaseError) as gone:
        served.snowflake("DORA", password="Sesame1")
    assert gone.value.errno == 390100
    admin.close()


def test_an_expired_token_is_renewed_by_the_connector(served_short_tokens):
    con = served_short_tokens.snowflake()
    cur = con.cursor()
    first = con.rest.token
    assert cur.execute("SELECT 1").fetchone() == (1,)
    time.sleep(2.2)
    # 390112 on the next request: the client renews with its master token and sends it again.
    assert cur.execute("SELECT 2").fetchone() == (2,)
    assert con.rest.token != first
    con.close()


def test_connect_parameters_set_database_schema_and_role(served):
    admin = served.snowflake()
    cur = admin.cursor()
    cur.execute("USE ROLE SYSADMIN")
    cur.execute("CREATE DATABASE db1")
    cur.execute("CREATE SCHEMA s1")
    admin.close()
    con = served.snowflake(database="db1", schema="s1", role="SYSADMIN")
    row = (
        con.cursor()
        .execute("SELECT CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_ROLE()")
        .fetchone()
    )
    assert row == ("DB1", "S1", "SYSADMIN")
    con.close()
    with pytest.raises(DatabaseError) as refused:
        served.snowflake(role="NO_SUCH_ROLE")
    assert refused.value.errno == 390189


@pytest.mark.parametrize("result_format", ["JSON", "ARROW"])
def test_value_encodings_reach_the_connector_exactly(served, result_format):
    con = served.snowflake(
        session_parameters={"PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": result_format}
    )
    cur = con.cursor()
    cur.execute("CREATE DATABASE db1")
    cur.execute(
        "CREATE TABLE v (i INTEGER, n NUMBER(10,3), f FLOAT, s VARCHAR(5), b BOOLEAN, "
        "d DATE, ts TIMESTAMP_NTZ, j VARIANT)"
    )
    cur.execute(
        "INSERT INTO v SELECT 12345678901234, -1.5, 0.1, 'héllo', FALSE, '1969-12-31', "
        "'2024-01-15 10:00:00.123456', 3::VARIANT"
    )
    cur.execute("INSERT INTO v (i) VALUES (NULL)")
    rows = cur.execute("SELECT * FROM v ORDER BY i NULLS LAST").fetchall()
    assert rows[0] == (
        12345678901234,
        Decimal("-1.500"),
        0.1,
        "héllo",
        False,
        datetime.date(1969, 12, 31),
        datetime.datetime(2024, 1, 15, 10, 0, 0, 123456),
        "3",
    )
    assert rows[1] == (None,) * 8
    names = [(d.name, d.type_code, d.precision, d.scale) for d in cur.description]
    assert names[:2] == [("I", 0, 38, 0), ("N", 0, 10, 3)]
    assert [d.type_code for d in cur.description] == [0, 0, 1, 2, 13, 3, 8, 5]
    con.close()


def test_arrow_results_for_pandas_and_arrow_fetches(served):
    con = served.snowflake()
    cur = con.cursor()
    cur.execute("CREATE DATABASE db1")
    cur.execute("CREATE TABLE t (i INTEGER, n NUMBER(10,2), s VARCHAR, ts TIMESTAMP_NTZ)")
    cur.execute(
        "INSERT INTO t VALUES (1, 1.25, 'a', '2024-01-15 10:00:00.5'), (2, NULL, NULL, NULL)"
    )
    table = cur.execute("SELECT * FROM t ORDER BY i").fetch_arrow_all()
    assert table.column_names == ["I", "N", "S", "TS"]
    assert table.column("I").to_pylist() == [1, 2]
    assert table.column("N").to_pylist() == [Decimal("1.25"), None]
    frame = cur.execute("SELECT * FROM t ORDER BY i").fetch_pandas_all()
    assert frame["S"].tolist()[0] == "a"
    assert str(frame["TS"][0]) == "2024-01-15 10:00:00.500000"
    assert cur.execute("SELECT * FROM t WHERE i > 5").fetch_arrow_all() is None
    con.close()


def test_bindings_qmark_numeric_and_array(served):
    con = served.snowflake(paramstyle="qmark")
    cur = con.cursor()
    cur.execute("CREATE DATABASE db1")
    cur.execute("CREATE TABLE t (a INTEGER, b VARCHAR, c DATE)")
    cur.execute("INSERT INTO t VALUES (?, ?, ?)", (1, "it's", datetime.date(2024, 2, 29)))
    cur.executemany(
        "INSERT INTO t VALUES (?, ?, ?)",
        [(2, "x", datetime.date(2001, 1, 1)), (3, None, datetime.date(2000, 1, 1))],
    )
    assert cur.rowcount == 2
    rows = cur.execute("SELECT * FROM t WHERE a >= ? ORDER BY a", (1,)).fetchall()
    assert rows == [
        (1, "it's", datetime.date(2024, 2, 29)),
        (2, "x", datetime.date(2001, 1, 1)),
        (3, None, datetime.date(2000, 1, 1)),
    ]
    assert cur.execute("SELECT :2, :1", ("one", 2)).fetchone() == (2, "one")
    con.close()


def test_client_side_pyformat_binding(served):
    con = served.snowflake()
    cur = con.cursor()
    row = cur.execute("SELECT %s, %s", ("a'b", 5)).fetchone()
    assert row == ("a'b", 5)
    con.close()


def test_multi_statement_request_returns_each_result(served):
    con = served.snowflake()
    cur = con.cursor()
    cur.execute("CREATE DATABASE db1")
    cur.execute(
        "CREATE TABLE t (a INT); INSERT INTO t VALUES (7); SELECT a FROM t", num_statements=3
    )
    assert cur.fetchall() == [("Table T successfully created.",)]
    assert cur.nextset()
    assert cur.rowcount == 1
    assert cur.nextset()
    assert cur.fetchall() == [(7,)]
    assert not cur.nextset()
    with pytest.raises(ProgrammingError) as wrong:
        cur.execute("SELECT 1; SELECT 2")
    assert wrong.value.errno == 8
    con.close()


def test_describe_only_runs_nothing(served):
    con = served.snowflake()
    cur = con.cursor()
    cur.execute("CREATE DATABASE db1")
    cur.execute("CREATE TABLE t (a INT, b VARCHAR)")
    described = cur.describe("SELECT a, b FROM t")
    assert [d.name for d in described] == ["A", "B"]
    cur.describe("INSERT INTO t VALUES (1, 'x')")
    assert cur.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)
    con.close()


def test_abort_cancels_the_running_statement(served):
    con = served.snowflake()
    cur = con.cursor()
    cur.execute("CREATE DATABASE db1")
    cur.execute("CREATE TABLE n (x INT)")
    cur.execute("INSERT INTO n VALUES (1)")
    for _ in range(10):  # 1,024 rows
        cur.execute("INSERT INTO n SELECT x + (SELECT COUNT(*) FROM n) FROM n")
    # 1,024³ rows to filter (distinct values: DuckDB's statistics cannot prove it empty).
    long = (
        "CREATE TABLE big AS SELECT a.x FROM n a, n b, n c "
        "WHERE (a.x * 7 + b.x * 13 + c.x) % 101 = 17"
    )
    failure: list[BaseException] = []

    def run() -> None:
        try:
            con.cursor().execute(long)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion below
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.5)
    con.rest.request(
        "/queries/v1/abort-request",
        {"sqlText": long, "requestId": None},
        method="post",
    )
    worker.join(10)
    assert not worker.is_alive()
    assert failure and isinstance(failure[0], ProgrammingError)
    assert (failure[0].errno, failure[0].sqlstate) == (604, "57014")
    # Nothing of the cancelled statement stays.
    with pytest.raises(ProgrammingError):
        cur.execute("SELECT * FROM big")
    con.close()


def test_async_query_and_result_by_id(served):
    con = served.snowflake()
    cur = con.cursor()
    cur.execute_async("SELECT 42 AS answer")
    query_id = cur.sfqid
    while con.is_still_running(con.get_query_status(query_id)):
        time.sleep(0.05)
    cur.get_results_from_sfqid(query_id)
    assert cur.fetchall() == [(42,)]
    con.close()


def test_logged_out_token_is_refused(served):
    con = served.snowflake()
    rest = con.rest
    token = rest.token
    con.close()
    import json
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{served.port}/queries/v1/query-request",
        data=json.dumps({"sqlText": "SELECT 1"}).encode(),
        headers={"Authorization": f'Snowflake Token="{token}"'},
    )
    with urllib.request.urlopen(request) as reply:
        assert reply.status == 200
        body = json.loads(reply.read())
    assert (body["success"], body["code"]) == (False, "390104")
