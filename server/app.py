"""The ASGI application: both vendors' APIs on one port over one set of client sessions."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from cloneshell.server.odps import OdpsApi
from cloneshell.server.sessions import Sessions
from cloneshell.server.snowflake import SnowflakeApi

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


def build_app(sessions: Sessions) -> Any:
    """The server's application over `sessions` (closed when the application stops)."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            sessions.close_all()

    snowflake = SnowflakeApi(sessions)
    odps = OdpsApi(sessions)
    app = Starlette(routes=[*snowflake.routes(), *odps.routes()], lifespan=lifespan)
    return _CollapseSlashes(app)
