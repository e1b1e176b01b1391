"""Opening the engine session on a background thread, so that start-up work overlaps it.

Opening a session imports DuckDB and the engine, starts a DuckDB database and attaches the
warehouse: about half of a batch run's start-up and more than the whole time it takes to draw
an interactive prompt. `PendingSession` runs that on a thread. The batch runner warms the parser
meanwhile and then waits; the REPL draws its prompt first and starts the thread afterwards,
showing the prompt and toolbar the session is expected to have until it is open. Whatever
needs the real session (running a statement, the completion catalog, closing) waits for it.
If opening fails, `wait()` raises `OpenFailed` with the original error, which main() reports
as it always did (exit status 2 for a refusal)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cloneshell.shell.config import Config
from cloneshell.shell.context import ShellSession
from cloneshell.shell.dialect import shell_dialect

if TYPE_CHECKING:
    from cloneshell.engine import Result


class OpenFailed(Exception):
    """Opening the session failed; `cause` is what the opener raised."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def expected_prompt(config: Config) -> str:
    """The prompt the session will most likely show (its dialect's prompt over the engine's
    defaults); tests/shell/test_opening.py compares it with the real one."""
    dialect = shell_dialect(config.dialect)
    principal = dialect.expected_principal(config.user)
    return dialect.expected_prompt(principal, dialect.expected_project(config.project))


class PendingSession:
    """A `ShellSession` whose engine session `opener()` makes on a background thread.

    `principal`, `project`, `dialect_name` and `prompt()` never block: until the session is
    open they answer what it is expected to be (`opening` tells which). Everything else waits
    for the session, and raises `OpenFailed` when it could not be opened.
    """

    def __init__(self, opener: Callable[[], ShellSession], config: Config) -> None:
        self._opener = opener
        self._config = config
        self._session: ShellSession | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._started = False
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    # ------------------------------------------------------------------ opening

    def start(self) -> None:
        """Start opening (once)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._open, name="cloneshell-open", daemon=True).start()

    def _open(self) -> None:
        try:
            self._session = self._opener()
        except BaseException as e:  # reported by wait(), on the thread that needs the session
            self._error = e
        finally:
            with self._lock:
                self._done.set()
                callbacks, self._callbacks = self._callbacks, []
            for callback in callbacks:
                callback()

    def when_done(self, callback: Callable[[], None]) -> None:
        """Call `callback` (on the opening thread) when opening ends, well or not; at once if it
        has already ended."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
        callback()

    @property
    def opening(self) -> bool:
        """True until the session is open (or failed to open)."""
        return not self._done.is_set()

    @property
    def failed(self) -> bool:
        """True when opening ended with an error."""
        return self._done.is_set() and self._error is not None

    def wait(self) -> ShellSession:
        """The open session; starts opening if nobody has. Raises OpenFailed (its `cause` is
        the opener's error; a KeyboardInterrupt from the opener is raised as itself)."""
        self.start()
        self._done.wait()
        if self._error is not None:
            if isinstance(self._error, KeyboardInterrupt):
                raise KeyboardInterrupt
            raise OpenFailed(self._error)
        assert self._session is not None
        return self._session

    # ------------------------------------------------------------------ never blocking

    @property
    def principal(self) -> str:
        """Who statements run as (the expected principal while opening)."""
        if self._session is not None:
            return self._session.principal
        return shell_dialect(self._config.dialect).expected_principal(self._config.user)

    @property
    def project(self) -> str | None:
        """The current project (the expected one while opening)."""
        if self._session is not None:
            return self._session.project
        return shell_dialect(self._config.dialect).expected_project(self._config.project)

    @property
    def dialect_name(self) -> str:
        """`maxcompute` or `snowflake`."""
        if self._session is not None:
            return self._session.dialect_name
        return self._config.dialect

    def prompt(self) -> str:
        """The session's prompt, or the one it is expected to have while it opens."""
        if self._session is not None:
            return self._session.prompt()
        return expected_prompt(self._config)

    # ------------------------------------------------------------------ waiting

    def execute(self, text: str) -> list[Result]:
        """Run statement text on the session (waits for it to open)."""
        return self.wait().execute(text)

    def login(self, principal: str) -> None:
        """Act as `principal` (waits for the session to open)."""
        self.wait().login(principal)

    def idle(self) -> None:
        """Release project files while the shell waits; nothing to release while opening."""
        if self._session is not None:
            self._session.idle()

    def close(self) -> None:
        """Close the session once it is open; nothing to close if it could not be opened (or
        never started opening)."""
        if not self._started:
            return
        self._done.wait()
        if self._session is not None:
            self._session.close()

    def __getattr__(self, name: str) -> Any:
        # The optional parts of a session (interrupt, snapshot, clock, switch_dialect, ...):
        # only used once a statement runs or completion refreshes, so waiting is right.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.wait(), name)
