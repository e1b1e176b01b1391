"""The clients' sessions: one engine `Session` each, found by token, run one statement at a time.

Each client session is an engine Session in the server's one shared DuckDB database
(`engine.share_files`): the files it attaches stay attached for every session, each statement
holding what it reads shared and what it writes alone, so statements of different sessions run
at the same time wherever the engine lets them (reads of any files, writes of different files)
and queue where it must (two writers of one file), with the same file protocol that lets
several shells share a warehouse (engine/core/warehouse.py): a shell process opening the
warehouse while the server runs is one more participant, and gets a file as soon as no
statement of the server holds it. A session that has been quiet for `IDLE_RELEASE` seconds
lets go of the files (Session.idle), as a shell does at its prompt, so another process waiting
for them is not kept waiting by clients that went quiet.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cloneshell.engine import Session, SharedFiles

log = logging.getLogger("cloneshell.server")

IDLE_RELEASE = 0.2  # seconds without a request after which a session releases its files
TOKEN_VALIDITY = 3600.0  # seconds a session token is good for (then renewed: 390112)
MASTER_VALIDITY = 14400.0  # seconds a master token can renew session tokens for
KEPT_RESULTS = 64  # results per session that can be fetched again by query id


class StoredResult:
    """A finished (or running) statement of a session, by query id: what `GET /queries/<id>/
    result`, `/monitoring/queries/<id>` and RESULT_SCAN return."""

    def __init__(self, query_id: str) -> None:
        self.query_id = query_id
        self.done = threading.Event()
        self.reply: dict[str, Any] | None = None  # the `data`/error reply once done
        self.failed = False


class ClientSession:
    """One client's session: the engine Session, its tokens, its recent results."""

    def __init__(
        self,
        session: Session,
        session_id: int,
        dialect: str,
        token_validity: float = TOKEN_VALIDITY,
        master_validity: float = MASTER_VALIDITY,
    ) -> None:
        self.session = session
        self.session_id = session_id
        self.dialect = dialect
        self.token = secrets.token_urlsafe(24)
        self.master_token = secrets.token_urlsafe(24)
        now = time.monotonic()
        self.token_expires = now + token_validity
        self.master_expires = now + master_validity
        self.parameters: dict[str, Any] = {}
        self.results: OrderedDict[str, StoredResult] = OrderedDict()
        self.lock = threading.Lock()  # one statement at a time, as in one shell
        self.last_used = time.monotonic()
        self.released = True
        self.running_request: str | None = None
        self.closed = False

    def token_expired(self) -> bool:
        """Whether the session token is past its validity (the master token may renew it)."""
        return time.monotonic() >= self.token_expires

    def keep(self, result: StoredResult) -> None:
        """Remember a result by its query id (the oldest are forgotten)."""
        self.results[result.query_id] = result
        while len(self.results) > KEPT_RESULTS:
            self.results.popitem(last=False)

    @contextlib.contextmanager
    def statement(self, request_id: str | None = None) -> Iterator[Session]:
        """Hold the session for one request's statements (others of the session wait)."""
        with self.lock:
            if self.closed:
                raise SessionGone
            self.running_request = request_id
            self.released = False
            try:
                yield self.session
            finally:
                self.running_request = None
                self.last_used = time.monotonic()

    def abort(self, request_id: str | None) -> bool:
        """Cancel the running statement (of request `request_id`, or any): True if one ran."""
        if self.running_request is None:
            return False
        if request_id and request_id != self.running_request:
            return False
        self.session.interrupt()
        return True


class SessionGone(Exception):  # noqa: N818 - a signal, not an error of the user's
    """The session was closed (logout, server stop) while a request waited for it."""


class Sessions:
    """Every open client session of the server, by token and by session id."""

    def __init__(
        self,
        warehouse: Path,
        lock_timeout: float | None,
        opener: Callable[..., Session] | None = None,
        token_validity: float = TOKEN_VALIDITY,
        master_validity: float = MASTER_VALIDITY,
    ) -> None:
        from cloneshell.engine import open_session

        self.warehouse = warehouse
        self._shared: SharedFiles | None = None  # made by the first session (`_shared_files`)
        self.lock_timeout = lock_timeout
        self.token_validity = token_validity
        self.master_validity = master_validity
        self._open = opener or open_session
        self._by_token: dict[str, ClientSession] = {}
        self._by_key: dict[str, ClientSession] = {}
        self._ids = itertools.count(1_000_001)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._reaper = threading.Thread(target=self._release_idle, name="release", daemon=True)
        self._reaper.start()

    def open(
        self, principal: str, project: str | None, dialect: str, new_user: bool = False
    ) -> ClientSession:
        """Open an engine session (CloneshellError, rendered, when it cannot be)."""
        shared = self._shared_files(dialect)
        session = self._open(
            self.warehouse,
            principal,
            project,
            dialect,
            lock_timeout=self.lock_timeout,
            new_user=new_user,
            shared=shared,
        )
        client = ClientSession(
            session, next(self._ids), dialect, self.token_validity, self.master_validity
        )
        with self._lock:
            self._by_token[client.token] = client
        return client

    def by_token(self, token: str) -> ClientSession | None:
        """The session a token belongs to (None: unknown or closed)."""
        with self._lock:
            return self._by_token.get(token)

    def by_master(self, master_token: str, old_token: str) -> ClientSession | None:
        """The session whose master token and (old) session token these are, or None (also
        when the master token is past its validity)."""
        with self._lock:
            client = self._by_token.get(old_token)
        if client is None or not secrets.compare_digest(client.master_token, master_token):
            return None
        return None if time.monotonic() >= client.master_expires else client

    def renew(self, client: ClientSession) -> str:
        """Give a session a new token, valid from now (the old one stops working)."""
        with self._lock:
            self._by_token.pop(client.token, None)
            client.token = secrets.token_urlsafe(24)
            client.token_expires = time.monotonic() + self.token_validity
            self._by_token[client.token] = client
            return client.token

    def keyed(self, key: str, make: Callable[[], ClientSession]) -> ClientSession:
        """The session kept under `key` (ODPS: one per access id and project), made once."""
        with self._lock:
            found = self._by_key.get(key)
        if found is not None and not found.closed:
            return found
        client = make()
        with self._lock:
            self._by_key[key] = client
        return client

    def close(self, client: ClientSession) -> None:
        """End a session: its running statement is cancelled, its files released."""
        with self._lock:
            self._by_token.pop(client.token, None)
            for key, other in list(self._by_key.items()):
                if other is client:
                    del self._by_key[key]
        client.abort(None)
        with client.lock:
            if not client.closed:
                client.closed = True
                client.session.close()

    def close_all(self) -> None:
        """Close every session (the server stops): each statement finishes or is cancelled
        (rolled back), then every file is detached and checkpointed."""
        self._stop.set()
        with self._lock:
            everyone = {id(c): c for c in [*self._by_token.values(), *self._by_key.values()]}
        for client in everyone.values():
            self.close(client)
        with self._lock:
            shared, self._shared = self._shared, None
        if shared is not None:
            shared.close()

    def _shared_files(self, dialect: str) -> SharedFiles:
        """The server's one DuckDB database, made on first use (a warehouse path it cannot
        use is the first login's error, in its dialect's format, as for any session)."""
        from cloneshell.engine import share_files

        with self._lock:
            if self._shared is None:
                self._shared = share_files(self.warehouse, dialect)
            return self._shared

    def _release_idle(self) -> None:
        while not self._stop.wait(IDLE_RELEASE / 2):
            with self._lock:
                everyone = {id(c): c for c in [*self._by_token.values(), *self._by_key.values()]}
                clients = list(everyone.values())
            now = time.monotonic()
            for client in clients:
                if client.released or now - client.last_used < IDLE_RELEASE:
                    continue
                if client.lock.acquire(blocking=False):
                    try:
                        if not client.closed:
                            client.session.idle()
                        client.released = True
                    except Exception:  # a file to compact held elsewhere: try again later
                        log.exception("releasing the files of session %s", client.session_id)
                    finally:
                        client.lock.release()
