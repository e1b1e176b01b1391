"""A `cloneshell serve` running in this process on a free port, over a fresh warehouse."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")

from cloneshell.server.app import build_app  # noqa: E402
from cloneshell.server.cli import listen  # noqa: E402
from cloneshell.server.sessions import Sessions  # noqa: E402


class Served:
    """A running server: its port and warehouse."""

    def __init__(self, port: int, warehouse: Path) -> None:
        self.port = port
        self.warehouse = warehouse

    def snowflake(self, user: str = "ALICE", **kwargs: object) -> object:
        """A connector 4.x connection to this server."""
        import snowflake.connector

        options: dict[str, object] = {
            "account": "local",
            "user": user,
            "password": "any",
            "host": "127.0.0.1",
            "port": self.port,
            "protocol": "http",
            "network_timeout": 10,
            "login_timeout": 10,
            "session_parameters": {"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False},
        }
        options.update(kwargs)
        return snowflake.connector.connect(**options)


@contextlib.contextmanager
def _serve(warehouse: Path, **options: float) -> Iterator[Served]:
    sock = listen("127.0.0.1", 0)
    sessions = Sessions(warehouse, 5.0, **options)  # type: ignore[arg-type]
    config = uvicorn.Config(build_app(sessions), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server did not start")
        threading.Event().wait(0.01)
    try:
        yield Served(sock.getsockname()[1], warehouse)
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with _serve(tmp_path / "wh") as running:
        yield running


@pytest.fixture
def served_short_tokens(tmp_path: Path) -> Iterator[Served]:
    """A server whose session tokens expire after 2 s (master tokens after 60 s)."""
    with _serve(tmp_path / "wh", token_validity=2.0, master_validity=60.0) as running:
        yield running
