"""The Snowflake v1 REST API as snowflake-connector-python, the Snowflake CLI and dbt speak it:
login, queries (bindings, multi-statement, describe-only, async), abort, session renewal and
logout (shared/reference/clients.md §2). Every SQL error, and every unexpected failure, is an
HTTP 200 reply with `success: false` and Snowflake's code, sqlState and queryId: the clients retry
4xx/5xx replies, which would turn an error into a hang."""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import re
import threading
import uuid
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cloneshell.engine import Result, Rows, Session
from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError
from cloneshell.server import binding, parsed, sfresult
from cloneshell.server.sessions import ClientSession, SessionGone, Sessions, StoredResult

log = logging.getLogger("cloneshell.server")

# statementTypeId values the connectors read (cursor.py STATEMENT_TYPE_ID_*): the DML ones make
# the cursor's rowcount the sum of the `number of rows …` columns.
_SELECT, _DDL, _MULTI = 0x1000, 0x6000, 0xA000
_INSERT, _UPDATE, _DELETE, _MERGE = 0x3100, 0x3200, 0x3300, 0x3400

_HEADER = re.compile(r'^Snowflake Token="([^"]*)"$')
_ERROR_TEXT = re.compile(r"^(\d{6}) \(([0-9A-Z]{5})\): ", re.S)
# What connector 4.x sends to fetch an async query's result (cursor.py get_results_from_sfqid).
_RESULT_SCAN = re.compile(
    r"(?is)^\s*select\s+\*\s+from\s+table\s*\(\s*result_scan\s*\(\s*'([^']*)'\s*\)\s*\)\s*;?\s*$"
)
# A multi-row INSERT's VALUES tuple: an array binding repeats it once per row (one statement).
_VALUES_TUPLE = re.compile(r"(?is)^(.*\bVALUES\s*)(\(.*\))(\s*;?\s*)$")

# What the login reply tells the client about the session (the connectors read these).
_LOGIN_PARAMETERS: list[dict[str, object]] = [
    {"name": "AUTOCOMMIT", "value": True},
    {"name": "TIMEZONE", "value": "UTC"},
    {"name": "CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY", "value": 3600},
    {"name": "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD", "value": 0},
]


def _parameters(session: Session) -> list[dict[str, object]]:
    """The session parameters every reply tells the client: the connector keeps them (its
    context manager commits on exit only while AUTOCOMMIT is off)."""
    autocommit = session.flag_bool("autocommit", True)
    return [
        {"name": p["name"], "value": autocommit if p["name"] == "AUTOCOMMIT" else p["value"]}
        for p in _LOGIN_PARAMETERS
    ]


def _autocommit(parameters: dict[str, Any]) -> bool:
    """The AUTOCOMMIT a login asks for (the connector's `autocommit=` argument), default on."""
    value = parameters.get("AUTOCOMMIT", True)
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "off")
    return bool(value)


class SnowflakeApi:
    """The routes of the Snowflake API over the server's sessions."""

    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions

    def routes(self) -> list[Route]:
        """Every Snowflake route (paths as the clients send them, slashes collapsed)."""
        return [
            Route("/session/v1/login-request", self.login, methods=["POST"]),
            Route("/session", self.session, methods=["POST"]),
            Route("/session/heartbeat", self.heartbeat, methods=["POST"]),
            Route("/session/token-request", self.token_request, methods=["POST"]),
            Route("/queries/v1/query-request", self.query, methods=["POST"]),
            Route("/queries/v1/abort-request", self.abort, methods=["POST"]),
            Route("/queries/{query_id}/result", self.result, methods=["GET"]),
            Route("/monitoring/queries/{query_id}", self.monitoring, methods=["GET"]),
            Route("/telemetry/send", self.telemetry, methods=["POST"]),
        ]

    # ------------------------------------------------------------------ session

    async def login(self, request: Request) -> Response:
        """`POST /session/v1/login-request`: open an engine session as the user."""
        body = await _json_body(request)
        data = body.get("data") or {}
        user = str(data.get("LOGIN_NAME") or "")
        password = str(data.get("PASSWORD") or "")
        query = request.query_params
        parameters = {str(k).upper(): v for k, v in (data.get("SESSION_PARAMETERS") or {}).items()}
        return _reply(
            await run_in_threadpool(
                self._login,
                user,
                password,
                str(data.get("CLIENT_APP_ID") or ""),
                query.get("databaseName"),
                query.get("schemaName"),
                query.get("roleName"),
                parameters,
            )
        )

    def _login(
        self,
        user: str,
        password: str,
        app: str,
        database: str | None,
        schema: str | None,
        role: str | None,
        parameters: dict[str, Any],
    ) -> dict[str, Any]:
        if not user:
            return _failure("390100", "Incorrect username or password was specified.")
        try:
            client = self.sessions.open(user, None, "snowflake", new_user=False)
        except CloneshellError as err:
            log.info("login of %s refused: %s", user, err.text)
            return _failure("390100", "Incorrect username or password was specified.")
        with client.statement() as session:
            # A user created with PASSWORD = '…' must give it; others any (simulated).
            authentic = session.authenticate(password)
        if not authentic:
            log.info("login of %s refused: wrong password", user)
            self.sessions.close(client)
            return _failure("390100", "Incorrect username or password was specified.")
        client.parameters.update(parameters)
        client.parameters["CLIENT_APP_ID"] = app
        with client.statement() as session:
            refused = False
            if role:
                try:
                    session.execute(f"USE ROLE {_ident(role)}")
                except CloneshellError:
                    refused = True
            # As Snowflake: a database or schema that cannot be used leaves the session
            # without one (the client warns), it does not refuse the login.
            for kind, name in (("DATABASE", database), ("SCHEMA", schema)):
                if name and not refused:
                    with contextlib.suppress(CloneshellError):
                        session.execute(f"USE {kind} {_ident(name)}")
            autocommit = _autocommit(parameters)
            if not refused and not autocommit:
                # connect(autocommit=False): DML and queries open transactions (the engine's).
                session.execute("ALTER SESSION SET AUTOCOMMIT = FALSE")
            info = _session_info(session)
        if refused:
            self.sessions.close(client)
            return _failure(
                "390189",
                f"Role '{str(role).upper()}' specified in the connect string is not granted to "
                "this user. Contact your local system administrator, or attempt to login with "
                "another role, e.g. PUBLIC.",
            )
        return {
            "success": True,
            "code": None,
            "message": None,
            "data": {
                "token": client.token,
                "masterToken": client.master_token,
                "sessionId": client.session_id,
                "validityInSeconds": int(self.sessions.token_validity),
                "masterValidityInSeconds": int(self.sessions.master_validity),
                "serverVersion": "9.0.0",
                "displayUserName": session.principal,
                "firstLogin": False,
                "parameters": _parameters(session),
                "sessionInfo": info,
                "idToken": None,
                "healthCheckInterval": 45,
            },
        }

    async def session(self, request: Request) -> Response:
        """`POST /session?delete=true`: log out (the client's `close()`; an expired token
        still ends its session)."""
        token = _token(request)
        client = None if token is None else self.sessions.by_token(token)
        if request.query_params.get("delete", "").lower() == "true" and client is not None:
            await run_in_threadpool(self.sessions.close, client)
        return _reply({"success": True, "code": None, "message": None, "data": None})

    async def heartbeat(self, request: Request) -> Response:
        """`POST /session/heartbeat`: the session is kept (its token still expires)."""
        client = self._client(request)
        if not isinstance(client, ClientSession):
            return _reply(client)
        return _reply({"success": True, "code": None, "message": None, "data": None})

    async def token_request(self, request: Request) -> Response:
        """`POST /session/token-request`: renew a session token with the master token."""
        body = await _json_body(request)
        master = _token(request)
        client = self.sessions.by_master(master or "", str(body.get("oldSessionToken") or ""))
        if client is None:
            return _reply(_failure("390114", "Authentication token has expired."))
        new = self.sessions.renew(client)
        return _reply(
            {
                "success": True,
                "code": None,
                "message": None,
                "data": {
                    "sessionToken": new,
                    "validityInSecondsST": int(self.sessions.token_validity),
                    "masterToken": client.master_token,
                    "validityInSecondsMT": int(self.sessions.master_validity),
                    "sessionId": client.session_id,
                },
            }
        )

    async def telemetry(self, request: Request) -> Response:
        """`POST /telemetry/send`: accepted and dropped."""
        await request.body()
        return _reply({"success": True, "code": None, "message": None, "data": None})

    # ------------------------------------------------------------------ queries

    async def query(self, request: Request) -> Response:
        """`POST /queries/v1/query-request`: run the statement(s) of `sqlText`."""
        body = await _json_body(request)
        client = self._client(request)
        if not isinstance(client, ClientSession):
            return _reply(client)
        request_id = request.query_params.get("requestId")
        if body.get("asyncExec"):
            stored = StoredResult(_new_query_id())
            client.keep(stored)
            thread = threading.Thread(
                target=self._run_stored,
                args=(client, body, request_id, stored),
                name=f"query-{stored.query_id}",
                daemon=True,
            )
            thread.start()
            return _reply(
                {
                    "success": True,
                    "code": "333334",
                    "message": "Asynchronous execution in progress. Use provided query id to "
                    "perform query monitoring and management.",
                    "data": {
                        "queryId": stored.query_id,
                        "getResultUrl": f"/queries/{stored.query_id}/result",
                    },
                }
            )
        return _reply(await run_in_threadpool(self._run_safely, client, body, request_id))

    def _run_stored(
        self,
        client: ClientSession,
        body: dict[str, Any],
        request_id: str | None,
        stored: StoredResult,
    ) -> None:
        reply = self._run_safely(client, body, request_id, stored.query_id)
        stored.reply = reply
        stored.failed = not reply["success"]
        stored.done.set()

    def _run_safely(
        self,
        client: ClientSession,
        body: dict[str, Any],
        request_id: str | None,
        query_id: str | None = None,
    ) -> dict[str, Any]:
        """The reply to one query request; never raises (an unexpected failure is logged and
        answered with Snowflake's internal-error code)."""
        try:
            with client.statement(request_id) as session:
                return self._run(client, session, body, query_id)
        except SessionGone:
            return _bad_token()
        except Exception:
            log.exception("query request failed")
            return _failure(
                "000603",
                "SQL execution internal error: Processing aborted due to error 300010.",
                "XX000",
                query_id or _new_query_id(),
            )

    def _run(
        self,
        client: ClientSession,
        session: Session,
        body: dict[str, Any],
        query_id: str | None,
    ) -> dict[str, Any]:
        sql = str(body.get("sqlText") or "")
        bindings: dict[str, Any] = body.get("bindings") or {}
        parameters = {str(k).upper(): v for k, v in (body.get("parameters") or {}).items()}
        scan = _RESULT_SCAN.match(sql)
        if scan is not None:
            return self._result_scan(client, scan.group(1), query_id)
        before = len(session.query_ids)
        try:
            text = _bound_text(sql, bindings)
            statements = parsed.statements(session, text)
            count = len(statements)
            wanted = int(
                parameters.get(
                    "MULTI_STATEMENT_COUNT", client.parameters.get("MULTI_STATEMENT_COUNT", 1)
                )
            )
            if wanted and count != wanted:
                return _failure(
                    "000008",
                    f"Actual statement count {count} did not match the desired statement "
                    f"count {wanted}.",
                    "0A000",
                    query_id or _new_query_id(),
                )
            arrow = _wants_arrow(client, parameters)
            if body.get("describeOnly"):
                results = self._describe(session, text, statements)
            else:
                results = session.execute(text, statements, arrow=arrow)
        except CloneshellError as err:
            ran = session.query_ids[before:]
            return _error(err, query_id or (ran[-1] if ran else _new_query_id()))
        if not results:  # only comments: Snowflake says so
            return _failure("000900", "SQL compilation error:\nEmpty SQL statement.", "42000")
        replies = [_data(session, r, arrow) for r in results]
        if len(replies) == 1:
            reply = replies[0]
            if query_id is not None:
                reply["queryId"] = query_id
            self._keep(client, reply)
            return _success(reply)
        for child in replies:
            self._keep(client, child)
        parent_id = query_id or _new_query_id()
        table = sfresult.Table(
            [sfresult.text_column("multiple statement execution")],
            [("Multiple statements executed successfully.",)],
        )
        parent = _table_data(session, table, parent_id, _MULTI, False)
        parent["resultIds"] = ",".join(r["queryId"] for r in replies)
        parent["resultTypes"] = ",".join(str(r["statementTypeId"]) for r in replies)
        self._keep(client, parent)
        return _success(parent)

    def _result_scan(self, client: ClientSession, of: str, query_id: str | None) -> dict[str, Any]:
        """`SELECT * FROM TABLE(RESULT_SCAN('<id>'))`: a finished query's result again, under a
        query id of its own (the form connector 4.x fetches async results with)."""
        stored = client.results.get(of)
        if stored is None or stored.reply is None:
            return _unknown_query(of)
        if stored.failed:
            return stored.reply
        data = dict(stored.reply["data"])
        data["queryId"] = query_id or _new_query_id()
        return _success(data)

    def _describe(
        self, session: Session, text: str, statements: list[ast.Statement]
    ) -> list[Result]:
        """describeOnly: a query's columns without its rows; other statements are not run
        (they are described by the one `status` column their reply has)."""
        from cloneshell.engine import Column

        if all(isinstance(s, ast.QueryStmt) for s in statements):
            return [
                Rows(r.columns, [], r.statement_id) if isinstance(r, Rows) else r
                for r in session.execute(text, statements)
            ]
        return [Rows((Column("status", "TEXT"),), []) for _ in statements]

    def _keep(self, client: ClientSession, reply: dict[str, Any]) -> None:
        stored = StoredResult(reply["queryId"])
        stored.reply = _success(reply)
        stored.done.set()
        client.keep(stored)

    async def abort(self, request: Request) -> Response:
        """`POST /queries/v1/abort-request`: cancel the session's running statement (the engine
        rolls it back: nothing of it stays)."""
        body = await _json_body(request)
        client = self._client(request)
        if not isinstance(client, ClientSession):
            return _reply(client)
        client.abort(body.get("requestId"))
        return _reply({"success": True, "code": None, "message": None, "data": None})

    async def result(self, request: Request) -> Response:
        """`GET /queries/<id>/result`: a multi-statement child's or an async query's result,
        once it is done."""
        client = self._client(request)
        if not isinstance(client, ClientSession):
            return _reply(client)
        stored = client.results.get(request.path_params["query_id"])
        if stored is None:
            return _reply(_unknown_query(request.path_params["query_id"]))
        await run_in_threadpool(stored.done.wait, 30)
        if stored.reply is None:
            return _reply(
                {
                    "success": True,
                    "code": "333334",
                    "message": "Query execution in progress.",
                    "data": {
                        "queryId": stored.query_id,
                        "getResultUrl": f"/queries/{stored.query_id}/result",
                    },
                }
            )
        return _reply(stored.reply)

    async def monitoring(self, request: Request) -> Response:
        """`GET /monitoring/queries/<id>`: the status of one of the session's queries."""
        client = self._client(request)
        if not isinstance(client, ClientSession):
            return _reply(client)
        query_id = request.path_params["query_id"]
        stored = client.results.get(query_id)
        if stored is None:
            return _reply({"success": True, "data": {"queries": []}, "code": None})
        entry: dict[str, Any] = {"id": query_id}
        if not stored.done.is_set():
            entry["status"] = "RUNNING"
        elif stored.failed and stored.reply is not None:
            entry["status"] = "FAILED_WITH_ERROR"
            entry["errorCode"] = stored.reply.get("code")
            entry["errorMessage"] = stored.reply.get("message")
        else:
            entry["status"] = "SUCCESS"
        return _reply({"success": True, "code": None, "data": {"queries": [entry]}})

    def _client(self, request: Request) -> ClientSession | dict[str, Any]:
        """The request's session, or the failure to answer: 390104 for an unknown (or logged
        out) token, 390112 for an expired one (the connectors then renew it with the master
        token, `POST /session/token-request`, and send the request again)."""
        token = _token(request)
        client = None if token is None else self.sessions.by_token(token)
        if client is None:
            return _bad_token()
        if client.token_expired():
            return _failure("390112", "Your session has expired. Please login again.")
        return client


# ---------------------------------------------------------------------- replies


def _reply(payload: dict[str, Any]) -> Response:
    return JSONResponse(payload)


def _success(data: dict[str, Any]) -> dict[str, Any]:
    return {"success": True, "code": None, "message": None, "data": data}


def _failure(
    code: str, message: str, sql_state: str | None = None, query_id: str | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {"errorCode": code, "internalError": False, "age": 0}
    if sql_state is not None:
        data["sqlState"] = sql_state
    if query_id is not None:
        data["queryId"] = query_id
    return {"success": False, "code": code, "message": message, "data": data, "headers": None}


def error_reply(code: str, message: str) -> Response:
    """A coded Snowflake error reply (HTTP 200, `success: false`) with a new query id."""
    return _reply(_failure(code, message, "XX000", _new_query_id()))


def _bad_token() -> dict[str, Any]:
    return _failure("390104", "User must login again to access the service.")


def _unknown_query(query_id: str) -> dict[str, Any]:
    return _failure(
        "000709",
        f"Statement {query_id} not found",
        "02000",
        query_id,
    )


def _error(err: CloneshellError, query_id: str) -> dict[str, Any]:
    """An engine error in Snowflake's reply: `002003 (42S02): SQL compilation error: …` is
    code 002003, sqlState 42S02 and the message after them."""
    match = _ERROR_TEXT.match(err.text)
    if match is None:
        return _failure("000603", err.text, "XX000", query_id)
    return _failure(match.group(1), err.text[match.end() :], match.group(2), query_id)


def _data(session: Session, result: Result, arrow: bool) -> dict[str, Any]:
    table = sfresult.as_table(result)
    kind = _statement_type(result)
    # A DML count is read from the JSON rowset by the connector, whatever the format asked.
    return _table_data(session, table, result.statement_id, kind, arrow and kind == _SELECT)


def _table_data(
    session: Session, table: sfresult.Table, query_id: str, kind: int, arrow: bool
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "parameters": _parameters(session),
        "rowtype": table.columns,
        "total": table.count,
        "returned": table.count,
        "queryId": query_id or _new_query_id(),
        "databaseProvider": None,
        "finalDatabaseName": session.project,
        "finalSchemaName": session.schema if session.project else None,
        "finalWarehouseName": None,
        "finalRoleName": session.role,
        "numberOfBinds": 0,
        "arrayBindSupported": False,
        "statementTypeId": kind,
        "version": 1,
        "queryResultFormat": "arrow" if arrow else "json",
    }
    if arrow:
        data["rowsetBase64"] = sfresult.arrow_rowset(table) if table.count else ""
        data["rowset"] = []
    else:
        data["rowset"] = sfresult.json_rowset(table)
    return data


def _statement_type(result: Result) -> int:
    """The statementTypeId of a result, read from its columns: Snowflake's DML results are the
    `number of rows …` columns."""
    if not isinstance(result, Rows):
        return _DDL
    names = {c.name for c in result.columns}
    if "number of rows inserted" in names and len(names) > 1:
        return _MERGE
    if "number of rows inserted" in names:
        return _INSERT
    if "number of rows updated" in names:
        return _UPDATE
    if "number of rows deleted" in names:
        return _DELETE
    return _SELECT


def _session_info(session: Session) -> dict[str, Any]:
    return {
        "databaseName": session.project,
        "schemaName": session.schema if session.project else None,
        "warehouseName": None,
        "roleName": session.role,
    }


def _wants_arrow(client: ClientSession, parameters: dict[str, Any]) -> bool:
    """Arrow unless the client asks for JSON: `PYTHON_CONNECTOR_QUERY_RESULT_FORMAT` (in the
    request or the session) defaults to ARROW for the Python connector, as in Snowflake (its
    `fetch_pandas_all`/`fetch_arrow_all` need Arrow); other clients get JSON."""
    default = "arrow" if client.parameters.get("CLIENT_APP_ID") == "PythonConnector" else "json"
    fmt = parameters.get(
        "PYTHON_CONNECTOR_QUERY_RESULT_FORMAT",
        client.parameters.get("PYTHON_CONNECTOR_QUERY_RESULT_FORMAT", default),
    )
    return str(fmt).lower() == "arrow"


# ---------------------------------------------------------------------- requests


async def _json_body(request: Request) -> dict[str, Any]:
    """The request's JSON body (gzip-encoded by connector 4.x); {} when it is not JSON."""
    raw = await request.body()
    if request.headers.get("content-encoding", "").lower() == "gzip" or raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):
            return {}
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _token(request: Request) -> str | None:
    match = _HEADER.match(request.headers.get("authorization", ""))
    return match.group(1) if match else None


def _bound_text(sql: str, bindings: dict[str, Any]) -> str:
    """The statement text with its bind variables written in; an array binding (executemany)
    repeats an INSERT's VALUES tuple once per row, so the rows go in as one statement."""
    if not bindings:
        return sql
    rows = binding.rows_of(bindings)
    if rows == 1 and not any(isinstance(b.get("value"), list) for b in bindings.values()):
        return binding.bind(sql, bindings)
    match = _VALUES_TUPLE.match(sql)
    if match is None:
        raise binding.BindError("Array bind is supported for INSERT … VALUES (…) only.")
    head, row, tail = match.groups()
    return head + ", ".join(binding.bind(row, bindings, i) for i in range(rows)) + tail


def _ident(name: str) -> str:
    """A connect parameter's name as an identifier: as given when it is quoted or a plain
    name, quoted otherwise (so no text of the client's is read as SQL)."""
    if re.fullmatch(r'"(?:[^"]|"")+"', name) or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_$]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def _new_query_id() -> str:
    return str(uuid.uuid4())
