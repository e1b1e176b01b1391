"""`cloneshell serve [-w DIR] [--host HOST] [--port PORT]`: serve the warehouse to real clients
until SIGINT/SIGTERM (uvicorn's graceful shutdown: requests finish, then every session is
closed and its files checkpointed)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
from pathlib import Path

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def default_warehouse() -> Path:
    """`$CLONESHELL_WAREHOUSE`, else `$XDG_DATA_HOME/cloneshell/warehouse`, else
    `~/.local/share/cloneshell/warehouse`: the shell's default (shell/config.py), repeated
    because the server and the shell never import each other."""
    explicit = os.environ.get("CLONESHELL_WAREHOUSE", "")
    if explicit:
        return Path(explicit).expanduser()
    data = os.environ.get("XDG_DATA_HOME", "")
    root = Path(data) if data and os.path.isabs(data) else Path.home() / ".local" / "share"
    return root / "cloneshell" / "warehouse"


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on `host`:`port` (0: a free port). Made with protocol
    IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets whose `proto` says TCP, and
    without it every reply waits ~40 ms for the client's delayed ACK (measured: a trivial
    request took 44 ms with proto 0, 0.2 ms with IPPROTO_TCP)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cloneshell serve",
        description="Serve the warehouse over the Snowflake and MaxCompute HTTP APIs.",
    )
    parser.add_argument("-w", "--warehouse", type=Path, default=None, help="warehouse directory")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8080, help="port (0: any free port)")
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["debug", "info", "warning", "error"],
        help="info logs one line per request",
    )
    parser.add_argument(
        "--lock-timeout",
        type=float,
        default=None,
        help="seconds a statement waits for a file another process holds",
    )
    return parser


def main(argv: list[str]) -> int:
    """Run the server; the exit status."""
    args = _parser().parse_args(argv)
    try:
        import uvicorn

        from cloneshell.server.app import build_app
        from cloneshell.server.sessions import Sessions
    except ImportError as exc:
        print(
            f"cloneshell serve needs the server extra ({exc.name} is missing): "
            "pip install 'cloneshell[server]'",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(message)s")
    if args.host not in LOOPBACK:
        print(
            f"warning: listening on {args.host}, not loopback: anyone who can reach it can act "
            "as any user (no TLS, simulated identities)",
            file=sys.stderr,
        )
    try:
        sock = listen(args.host, args.port)  # IPPROTO_TCP: replies not held by Nagle
    except OSError as exc:
        print(
            f"cloneshell serve: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    port = sock.getsockname()[1]
    warehouse = (args.warehouse or default_warehouse()).expanduser()
    sessions = Sessions(warehouse, args.lock_timeout)
    config = uvicorn.Config(
        build_app(sessions),
        log_level=args.log_level,
        access_log=args.log_level in ("debug", "info"),
        timeout_graceful_shutdown=10,
    )
    server = uvicorn.Server(config)

    def stop(_signal: int, _frame: object) -> None:
        server.should_exit = True

    # Before the ready line, so a signal never finds the default handler; uvicorn installs its
    # own while it runs and, when done, raises the signal it caught again: here, so the process
    # ends with status 0 after its clean stop instead of being killed by the signal.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    host = f"[{args.host}]" if sock.family == socket.AF_INET6 else args.host
    print(f"listening on http://{host}:{port}", flush=True)
    print(_snippets(args.host, port), flush=True)
    server.run(sockets=[sock])
    return 0


def _snippets(host: str, port: int) -> str:
    return (
        "  snowflake: snowflake.connector.connect(account='local', user='ME', password='x', "
        f"host='{host}', port={port}, protocol='http')\n"
        f"  maxcompute: ODPS('ALIYUN$me@aliyun.com', 'x', 'my_project', "
        f"endpoint='http://{host}:{port}/api')"
    )
