"""The MaxCompute (ODPS) REST API as PyODPS speaks it: SQL instances (submit, status, task
status, result, source), table metadata and listing, and ODPS's XML error bodies, so PyODPS
raises its own exception classes (shared/reference/clients.md §3). The access id of the
request's `Authorization: ODPS <access_id>:<signature>` names the principal; identities are
simulated, so any secret (signature) is accepted."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import secrets
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cloneshell.engine import PartitionInfo, Result, Rows, TableDescription, Text
from cloneshell.grammar.errors import CloneshellError
from cloneshell.server.sessions import ClientSession, Sessions

log = logging.getLogger("cloneshell.server")

_AUTH = re.compile(r"^ODPS ([^:]+):")
RESULT_LIMIT = 10_000  # rows the result API returns, as on the service (more: TRUNCATED)
KEPT_INSTANCES = 1024
# ODPS codes whose REST errors are the NoPermission / NoSuchObject classes PyODPS raises.
_NO_PERMISSION = ("ODPS-0420095", "ODPS-0130013")
_NO_SUCH_OBJECT = ("ODPS-0130131", "ODPS-0420111")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# One `column=value` of a partition spec: the value quoted with ' or ", or bare.
_SPEC_PART = re.compile(
    r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"
    r"(?:'([^'\\,]*)'|\"([^\"\\,]*)\"|([^'\"\\,]*?))\s*"
)


class Instance:
    """One SQL instance: its text, its owner, and when done its result or error."""

    def __init__(self, instance_id: str, project: str, owner: str, task: str, sql: str) -> None:
        self.id = instance_id
        self.project = project
        self.owner = owner
        self.task = task
        self.sql = sql
        self.started = datetime.now(UTC)
        self.ended: datetime | None = None
        self.done = threading.Event()
        self.result: Result | None = None
        self.error: str | None = None


class OdpsApi:
    """The routes of the ODPS API (under `/api`, PyODPS's endpoint path)."""

    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions
        self.instances: OrderedDict[str, Instance] = OrderedDict()
        self._lock = threading.Lock()

    def routes(self) -> list[Route]:
        """Every ODPS route."""
        return [
            Route("/api/projects/{project}/instances", self.submit, methods=["POST"]),
            Route("/api/projects/{project}/instances/{instance}", self.instance, methods=["GET"]),
            Route("/api/projects/{project}/tables", self.list_tables, methods=["GET"]),
            Route("/api/projects/{project}/tables/{table}", self.table, methods=["GET"]),
            Route("/api/projects/{project}/tunnel", self.tunnel, methods=["GET"]),
            Route("/api/projects/{project}", self.project, methods=["GET"]),
        ]

    # ------------------------------------------------------------------ instances

    async def submit(self, request: Request) -> Response:
        """`POST /projects/{p}/instances`: start an SQL task; 201 with the instance's
        `Location` (an empty body: the client polls the instance, as on the service)."""
        project = request.path_params["project"]
        principal = _principal(request)
        if principal is None:
            return error(401, "Unauthorized", "Authorization header missing or malformed.")
        try:
            task, sql, settings = _parse_job(await request.body())
        except ValueError as exc:
            return error(400, "InvalidArgument", f"Bad instance XML: {exc}")
        client = await run_in_threadpool(self._client, principal, project)
        if isinstance(client, Response):
            return client
        instance = Instance(_instance_id(), project, principal, task, sql)
        with self._lock:
            self.instances[instance.id] = instance
            while len(self.instances) > KEPT_INSTANCES:
                self.instances.popitem(last=False)
        threading.Thread(
            target=self._run,
            args=(client, instance, settings),
            name=f"instance-{instance.id}",
            daemon=True,
        ).start()
        location = f"{request.base_url}api/projects/{project}/instances/{instance.id}"
        return Response(status_code=201, headers={"Location": location, **_headers(instance)})

    def _run(self, client: ClientSession, instance: Instance, settings: dict[str, str]) -> None:
        try:
            with client.statement(instance.id) as session:
                session.project = instance.project
                saved = dict(session.flags)
                session.flags.update({k.lower(): v for k, v in settings.items()})
                try:
                    results = session.execute(instance.sql)
                finally:
                    session.flags.clear()
                    session.flags.update(saved)
            instance.result = results[-1] if results else None
        except CloneshellError as err:
            instance.error = err.text
        except Exception:
            log.exception("instance %s failed", instance.id)
            instance.error = "ODPS-0010000:System internal error - see the server's log"
        finally:
            instance.ended = datetime.now(UTC)
            instance.done.set()

    async def instance(self, request: Request) -> Response:
        """`GET …/instances/{id}` with `?taskstatus`, `?result`, `?source`, or none (status)."""
        with self._lock:
            instance = self.instances.get(request.path_params["instance"])
        if instance is None or instance.project != request.path_params["project"]:
            return error(404, "NoSuchObject", "Instance not found.")
        query = request.query_params
        if "source" in query:
            return _xml(_job(instance), _headers(instance))
        if "result" in query:
            await run_in_threadpool(instance.done.wait, 60)
            return _xml(_task_result(instance), _headers(instance))
        if "taskstatus" in query:
            return _xml(_task_status(instance), _headers(instance))
        root = ET.Element("Instance")
        ET.SubElement(root, "Status").text = "Terminated" if instance.done.is_set() else "Running"
        return _xml(root, _headers(instance))

    # ------------------------------------------------------------------ metadata

    async def table(self, request: Request) -> Response:
        """`GET /projects/{p}/tables/{t}`: a table's schema, owner, comment, times, lifecycle
        and size; with `?partitions` its partitions (those matching `partition=`, a prefix of
        the spec), with `partition=<spec>` alone that one partition (NoSuchObject when there
        is none: PyODPS's `exist_partition`)."""
        project, name = request.path_params["project"], request.path_params["table"]
        principal = _principal(request)
        if principal is None:
            return error(401, "Unauthorized", "Authorization header missing or malformed.")
        query = request.query_params
        if "partitions" in query:
            return await run_in_threadpool(
                self._partitions, principal, project, name, query.get("partition", "")
            )
        if "partition" in query:
            return await run_in_threadpool(
                self._partition, principal, project, name, query["partition"]
            )
        return await run_in_threadpool(self._table, principal, project, name)

    def _describe(
        self, principal: str, project: str, name: str, *statements: str
    ) -> list[Result] | Response:
        """Run `statements` about table `name` as the principal (the error reply if one
        fails, or if the name is no table name)."""
        client = self._client(principal, project)
        if isinstance(client, Response):
            return client
        if not _NAME.fullmatch(name):
            return error(404, "NoSuchObject", f"Table not found - {project}.{name}")
        try:
            with client.statement() as session:
                session.project = project
                return [session.execute(sql)[0] for sql in statements]
        except CloneshellError as err:
            return _engine_error(err)

    def _table(self, principal: str, project: str, name: str) -> Response:
        found = self._describe(principal, project, name, f"DESC {project}.{name}")
        if isinstance(found, Response):
            return found
        described = found[0]
        assert isinstance(described, TableDescription)
        return _xml(_table_xml(name, described))

    def _partitions(self, principal: str, project: str, name: str, prefix: str) -> Response:
        wanted = _spec(prefix) if prefix else []
        if wanted is None:
            return error(400, "InvalidArgument", f"Invalid partition spec: {prefix}")
        found = self._describe(principal, project, name, f"SHOW PARTITIONS {project}.{name}")
        if isinstance(found, Response):
            return found
        shown = found[0]
        specs = [
            pairs
            for line in (shown.lines if isinstance(shown, Text) else ())
            if (pairs := _shown_spec(line))[: len(wanted)] == wanted
        ]
        described = self._describe(
            principal,
            project,
            name,
            *(f"DESC {project}.{name} PARTITION ({_spec_sql(p)})" for p in specs),
        )
        if isinstance(described, Response):
            return described
        root = ET.Element("Partitions")
        for pairs, one in zip(specs, described, strict=True):
            assert isinstance(one, TableDescription) and one.partition is not None
            root.append(_partition_xml(pairs, one.partition, listed=True))
        ET.SubElement(root, "Marker")
        ET.SubElement(root, "MaxItems").text = str(max(len(specs), 1))
        return _xml(root)

    def _partition(self, principal: str, project: str, name: str, text: str) -> Response:
        pairs = _spec(text)
        if not pairs:
            return error(400, "InvalidArgument", f"Invalid partition spec: {text}")
        found = self._describe(
            principal, project, name, f"DESC {project}.{name} PARTITION ({_spec_sql(pairs)})"
        )
        if isinstance(found, Response):
            return found
        described = found[0]
        assert isinstance(described, TableDescription) and described.partition is not None
        return _xml(_partition_xml(pairs, described.partition, listed=False))

    async def list_tables(self, request: Request) -> Response:
        """`GET /projects/{p}/tables`: the tables the principal can see, one page; `name=` a
        prefix of their names, `owner=` their owner (PyODPS `list_tables(prefix=, owner=)`)."""
        project = request.path_params["project"]
        principal = _principal(request)
        if principal is None:
            return error(401, "Unauthorized", "Authorization header missing or malformed.")
        query = request.query_params
        return await run_in_threadpool(
            self._list_tables, principal, project, query.get("name", ""), query.get("owner")
        )

    def _list_tables(
        self, principal: str, project: str, prefix: str = "", owner_filter: str | None = None
    ) -> Response:
        client = self._client(principal, project)
        if isinstance(client, Response):
            return client
        try:
            with client.statement() as session:
                session.project = project
                shown = session.execute("SHOW TABLES")[0]
        except CloneshellError as err:
            return _engine_error(err)
        root = ET.Element("Tables")
        for line in shown.lines if isinstance(shown, Text) else ():
            owner, _, name = line.rpartition(":")
            if not name.startswith(prefix.lower()) or owner_filter not in (None, owner):
                continue
            table = ET.SubElement(root, "Table")
            ET.SubElement(table, "Name").text = name
            ET.SubElement(table, "Owner").text = owner
        ET.SubElement(root, "Marker")
        ET.SubElement(root, "MaxItems").text = "1000"
        return _xml(root)

    async def project(self, request: Request) -> Response:
        """`GET /projects/{p}`: the project, if the principal may open it."""
        project = request.path_params["project"]
        principal = _principal(request)
        if principal is None:
            return error(401, "Unauthorized", "Authorization header missing or malformed.")
        client = await run_in_threadpool(self._client, principal, project)
        if isinstance(client, Response):
            return client
        root = ET.Element("Project")
        ET.SubElement(root, "Name").text = project
        ET.SubElement(root, "Status").text = "AVAILABLE"
        return _xml(root)

    async def tunnel(self, request: Request) -> Response:
        """`GET /projects/{p}/tunnel`: no Instance Tunnel here. InvalidArgument is one of the
        errors PyODPS answers by reading through the result API instead (instance.py
        result_fallback_errors), so a plain `open_reader()` works."""
        return error(400, "InvalidArgument", "The Instance Tunnel is not emulated.")

    def _client(self, principal: str, project: str) -> ClientSession | Response:
        """The principal's session (one per access id and project), or the error reply."""
        try:
            return self.sessions.keyed(
                f"odps\0{principal}\0{project}",
                lambda: self.sessions.open(principal, project, "maxcompute"),
            )
        except CloneshellError as err:
            return _engine_error(err)


# ---------------------------------------------------------------------- XML bodies


def _parse_job(body: bytes) -> tuple[str, str, dict[str, str]]:
    """The SQL task's name, query and settings of an instance submission."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(str(exc)) from None
    sql_task = root.find("./Job/Tasks/SQL")
    if sql_task is None:
        raise ValueError("only SQL tasks are emulated")
    name = sql_task.findtext("Name") or "AnonymousSQLTask"
    query = sql_task.findtext("Query") or ""
    settings: dict[str, str] = {}
    for prop in sql_task.findall("./Config/Property"):
        if prop.findtext("Name") == "settings":
            try:
                values = json.loads(prop.findtext("Value") or "{}")
            except ValueError:
                raise ValueError("settings are not JSON") from None
            settings.update({str(k): str(v) for k, v in values.items()})
    return name, query, settings


def _job(instance: Instance) -> ET.Element:
    job = ET.Element("Job")
    ET.SubElement(job, "Priority").text = "9"
    tasks = ET.SubElement(job, "Tasks")
    sql = ET.SubElement(tasks, "SQL")
    ET.SubElement(sql, "Name").text = instance.task
    ET.SubElement(sql, "Query").text = instance.sql
    return job


def _task_status(instance: Instance) -> ET.Element:
    root = ET.Element("Instance")
    task = ET.SubElement(ET.SubElement(root, "Tasks"), "Task", Type="SQL")
    ET.SubElement(task, "Name").text = instance.task
    ET.SubElement(task, "Status").text = _status(instance)
    return root


def _status(instance: Instance) -> str:
    if not instance.done.is_set():
        return "Running"
    return "Failed" if instance.error is not None else "Success"


def _task_result(instance: Instance) -> ET.Element:
    root = ET.Element("Instance")
    task = ET.SubElement(ET.SubElement(root, "Tasks"), "Task", Type="SQL")
    ET.SubElement(task, "Name").text = instance.task
    ET.SubElement(task, "Status").text = _status(instance)
    result = ET.SubElement(task, "Result", Format="csv", Transform="")
    if instance.error is not None:
        result.attrib["Format"] = "text"
        result.text = instance.error
        return root
    value = instance.result
    if isinstance(value, Rows):
        truncated = len(value.rows) > RESULT_LIMIT
        result.text = _csv(value, value.rows[:RESULT_LIMIT])
        descriptor = {
            "IsSelect": True,
            "SelectResultStatus": "TRUNCATED" if truncated else "OK",
            "Schema": {"Columns": [{"Name": c.name, "Type": c.type} for c in value.columns]},
        }
        ET.SubElement(task, "ResultDescriptor").text = json.dumps(descriptor)
    elif isinstance(value, Text):
        result.attrib["Format"] = "text"
        result.text = "\n".join(value.lines)
    else:
        result.text = ""
    return root


def _csv(rows: Rows, values: list[tuple[object, ...]]) -> str:
    """A result as the result API's CSV: a header row, `\\N` for NULL."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in rows.columns])
    for row in values:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def _csv_value(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") + (
            f".{value.microsecond // 1000:03d}" if value.microsecond else ""
        )
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _table_xml(name: str, described: TableDescription) -> ET.Element:
    epoch = _epoch
    schema = {
        "tableName": name,
        "owner": described.owner,
        "comment": described.comment,
        "createTime": epoch(described.create_time),
        "lastDDLTime": epoch(described.ddl_time),
        "lastModifiedTime": epoch(described.modified_time),
        "isVirtualView": False,
        "isExternal": described.external,
        "lifecycle": described.lifecycle if described.lifecycle is not None else -1,
        "size": described.size,
        "columns": [_column(c) for c in described.columns],
        "partitionKeys": [_column(c) for c in described.partition_columns],
    }
    root = ET.Element("Table")
    ET.SubElement(root, "Name").text = name
    ET.SubElement(root, "TableId").text = ""
    ET.SubElement(root, "Owner").text = described.owner
    ET.SubElement(root, "Comment").text = described.comment
    ET.SubElement(root, "Schema").text = json.dumps(schema)
    return root


def _spec(text: str) -> list[tuple[str, str]] | None:
    """A partition spec as PyODPS sends it (`ds='20240101',hr='01'`, quotes optional) as
    (column, value) pairs, names lower case; None if it is not one (values holding a quote,
    a backslash or a comma are not)."""
    pairs = []
    for part in text.split(","):
        m = _SPEC_PART.fullmatch(part)
        if m is None:
            return None
        value = next(v for v in m.group(2, 3, 4) if v is not None)
        pairs.append((m.group(1).lower(), value))
    return pairs


def _shown_spec(line: str) -> list[tuple[str, str]]:
    """A partition as SHOW PARTITIONS lists it (`ds=20240101/hr=01`) as (column, value) pairs."""
    return [(k.lower(), v) for k, _, v in (p.partition("=") for p in line.split("/"))]


def _spec_sql(pairs: list[tuple[str, str]]) -> str:
    """Pairs as a PARTITION clause's inside (values are quote-free: `_spec`, SHOW PARTITIONS)."""
    return ", ".join(f"{k}='{v}'" for k, v in pairs)


def _partition_xml(pairs: list[tuple[str, str]], info: PartitionInfo, listed: bool) -> ET.Element:
    """One partition as ODPS returns it: in a listing its columns, times (epoch seconds) and
    size as elements; alone (`?partition=`) its columns and a `Schema` JSON of the same."""
    root = ET.Element("Partition")
    for key, value in pairs:
        ET.SubElement(root, "Column", Name=key, Value=value)
    times = {
        "createTime": _epoch(info.create_time),
        "lastDDLTime": _epoch(info.ddl_time),
        "lastModifiedTime": _epoch(info.modified_time),
        "partitionSize": info.size,
    }
    if listed:
        ET.SubElement(root, "CreationTime").text = str(times["createTime"])
        ET.SubElement(root, "LastDDLTime").text = str(times["lastDDLTime"])
        ET.SubElement(root, "LastModifiedTime").text = str(times["lastModifiedTime"])
        ET.SubElement(root, "PartitionSize").text = str(info.size)
    else:
        ET.SubElement(root, "Schema").text = json.dumps(times)
    return root


def _epoch(moment: datetime) -> int:
    """An instant as ODPS's metadata gives it: whole seconds since the epoch (a naive time is
    the server's local time, as the engine records it)."""
    aware = moment if moment.tzinfo else moment.astimezone()
    return int(aware.timestamp())


def _column(column: Any) -> dict[str, Any]:
    """A column as ODPS's table schema JSON has it (type names lower case: `bigint`,
    `decimal(10,2)`, `array<string>`)."""
    return {
        "name": column.name,
        "type": column.type.lower(),
        "comment": column.comment,
        "isNullable": column.nullable,
    }


# ---------------------------------------------------------------------- replies


def _xml(root: ET.Element, headers: dict[str, str] | None = None) -> Response:
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
    return Response(body, media_type="application/xml", headers=headers)


def error(status: int, code: str, message: str) -> Response:
    """ODPS's REST error body: PyODPS raises the class named by `Code` (NoSuchObject,
    NoPermission, …; an `ODPS-` code picks its class by number)."""
    root = ET.Element("Error")
    ET.SubElement(root, "Code").text = code
    ET.SubElement(root, "Message").text = message
    ET.SubElement(root, "RequestId").text = secrets.token_hex(12).upper()
    ET.SubElement(root, "HostId").text = "localhost"
    response = _xml(root)
    response.status_code = status
    return response


def _engine_error(err: CloneshellError) -> Response:
    """An engine error as a REST error: missing objects are NoSuchObject (404), refusals
    NoPermission (403), anything else ODPSError (400) with the ODPS code text."""
    code = err.code or ""
    if code.startswith(_NO_PERMISSION):
        return error(403, "NoPermission", err.text)
    text = err.text.lower()
    if code.startswith(_NO_SUCH_OBJECT) or "not found" in text or "does not exist" in text:
        return error(404, "NoSuchObject", err.text)
    return error(400, code or "InvalidArgument", err.text)


def _headers(instance: Instance) -> dict[str, str]:
    headers = {
        "x-odps-owner": instance.owner,
        "x-odps-start-time": format_datetime(instance.started, usegmt=True),
    }
    if instance.ended is not None:
        headers["x-odps-end-time"] = format_datetime(instance.ended, usegmt=True)
    return headers


def _principal(request: Request) -> str | None:
    match = _AUTH.match(request.headers.get("authorization", ""))
    return match.group(1) if match else None


def _instance_id() -> str:
    """An instance id as the service writes them: UTC time to the second, then 12 hex
    digits."""
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + secrets.token_hex(6)
