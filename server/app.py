"""The ASGI application: both vendors' APIs on one port over one set of client sessions."""

from __future__ import annotations

import contextlib
import importlib
import logging
import re
import threading
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from cloneshell.server.odps import OdpsApi
from cloneshell.server.odps import error as odps_error
from cloneshell.server.sessions import Sessions
from cloneshell.server.snowflake import SnowflakeApi
from cloneshell.server.snowflake import error_reply as snowflake_error

log = logging.getLogger("cloneshell.server")

_SLASHES = re.compile(r"/{2,}")


class _CollapseSlashes:
    """`//` in a path is `/`: connector 5.x asks for `/monitoring/queries//<id>` (its URL
    library's join), and ODPS clients may double the slash after their endpoint."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "//" in scope["path"]:
            scope = dict(scope)
            scope["path"] = _SLASHES.sub("/", scope["path"])
            scope["raw_path"] = scope["path"].encode()
        await self.app(scope, receive, send)


async def _unexpected(request: Request, exc: Exception) -> Response:
    """Any failure a route did not answer: logged, and answered in the client's protocol as a
    coded error, never a bare 500 (the Snowflake clients retry 5xx, turning a bug into a hang)."""
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    if request.url.path.startswith("/api/"):
        return odps_error(400, "ODPS-0010000", "System internal error - see the server's log")
    return snowflake_error("000603", "SQL execution internal error: see the server's log.")


def build_app(sessions: Sessions) -> Any:
    """The server's application over `sessions` (closed when the application stops)."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # pyarrow (Arrow results) takes ~1 s to import: on a thread from the start, not in the
        # first query a Python connector sends.
        threading.Thread(
            target=importlib.import_module, args=("pyarrow",), name="import", daemon=True
        ).start()
        try:
            yield
        finally:
            sessions.close_all()

    snowflake = SnowflakeApi(sessions)
    odps = OdpsApi(sessions)
    app = Starlette(
        routes=[*snowflake.routes(), *odps.routes()],
        lifespan=lifespan,
        exception_handlers={Exception: _unexpected},
    )
    return _CollapseSlashes(app)
