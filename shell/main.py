"""The `cloneshell` command: parse the arguments, open the session, hand over to the batch runner
or the REPL, and turn the outcome into an exit status (0 ok, 1 a statement failed or something
unexpected happened, 2 usage or configuration, 130 interrupted). Nothing heavy is imported
before it is needed, so `cloneshell -e "SELECT 1;"` never loads prompt_toolkit, Pygments or
tabulate. Start-up time is budgeted (DESIGN.md): the session opens on a background thread
(shell/opening.py) while a script's first statement is parsed or the REPL draws its prompt,
the garbage collector sits start-up out, and the command ends its process as soon as the run
is over."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.config import Config, UsageError, explicit_options, parse_args, version
from cloneshell.shell.context import ShellSession
from cloneshell.shell.dialect import shell_dialect
from cloneshell.shell.failures import log_internal_error
from cloneshell.shell.opening import OpenFailed, PendingSession
from cloneshell.shell.topics import help_topic

SessionOpener = Callable[[Config], ShellSession]
_WARM_TEXT = 4096  # how much of a script is searched for the first statement to warm up with


def main(argv: list[str] | None = None, *, open_session: SessionOpener | None = None) -> int:
    """Run the shell; return the exit status. `open_session` replaces the engine (tests).

    Called without `argv`, as the `cloneshell` command, it ends the process itself once the
    run is over (see _exit_now), and does without interegular (see _no_interegular)."""
    args = sys.argv[1:] if argv is None else argv
    command = _command(args[0]) if args and not args[0].startswith("-") else None
    if command is not None:
        return command(args[1:])
    if argv is None:
        _no_interegular()
    status = _run(args, open_session)
    if argv is None:
        _exit_now(status)
    return status


def _command(name: str) -> Callable[[list[str]], int] | None:
    """The sub-command `name` (`cloneshell serve …`) another package registers under the
    `cloneshell.commands` entry points, or None: the shell knows none of them by name and
    imports none unless asked, so `cloneshell -e` never pays for them."""
    from importlib.metadata import entry_points

    for point in entry_points(group="cloneshell.commands", name=name):
        command: Callable[[list[str]], int] = point.load()
        return command
    return None


def _no_interegular() -> None:
    """Keep the `cloneshell` process from importing interegular (installed with the test
    extras), ~4 ms of `cloneshell -e`: Lark's lexer imports it when it can, only to check that
    terminals do not collide while a grammar is built, which the tests do in strict mode and
    the command never needs (its parser is built once, then loaded from its snapshot). A
    module set to None in sys.modules is one Python treats as not installed."""
    sys.modules.setdefault("interegular", None)  # type: ignore[arg-type]


def _exit_now(status: int) -> NoReturn:
    """End the `cloneshell` process with `status` at once.

    By now everything that must reach a disk or the terminal has been written and closed: the
    session closed its database files, spools and logs are closed, the terminal is restored;
    what remains is the interpreter's teardown, a full garbage collection and the freeing of
    every object one by one, ~8 % of the instructions of `cloneshell -e "SELECT 1;"` (valgrind)
    for memory the process gives back as it ends anyway. The standard streams are flushed."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # closed, or a gone pipe
            stream.flush()  # type: ignore[union-attr]
    os._exit(status)


def _run(args: list[str], open_session: SessionOpener | None) -> int:
    start_up = _StartUp()
    try:
        return _main(args, open_session, start_up)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our stdout went away (`cloneshell -f x.sql | head`): stop quietly, and
        # point stdout at /dev/null so the interpreter's final flush does not complain.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 1
    except Exception as e:  # the last line of defence (e.g. a broken install): never a traceback
        sys.stderr.write(log_internal_error(e, "cloneshell " + " ".join(args)))
        return 1
    finally:
        start_up.end()


class _StartUp:
    """Keeps the garbage collector out of start-up.

    Start-up makes a few hundred thousand objects that live as long as the process: modules,
    classes, the parser (grammar/parser.py). The collector walked them over and over while
    they were being made (~4 % of the instructions of `cloneshell -e "SELECT 1;"`, valgrind),
    and would again at every full collection of a long script. It is paused until the session
    is open (batch) or the REPL's background loading is over; then what start-up made is
    frozen out of its sight (gc.freeze), until the run ends: the collection at exit must see
    everything again, or DuckDB's bindings report its objects still alive as leaks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paused = gc.isenabled()
        self._frozen = False
        gc.disable()

    def done(self) -> None:
        """Start-up is over (safe to call more than once, from any thread)."""
        with self._lock:
            if self._paused:
                self._paused = False
                gc.freeze()
                self._frozen = True
                gc.enable()

    def end(self) -> None:
        """The run is over (a later done() does nothing)."""
        with self._lock:
            if self._paused:
                self._paused = False
                gc.enable()
            if self._frozen:
                self._frozen = False
                gc.unfreeze()


def _main(argv: list[str], open_session: SessionOpener | None, start_up: _StartUp) -> int:
    if argv[:1] == ["help"]:  # `cloneshell help [TOPIC]`
        text, status = help_topic(argv[1:])
        (sys.stdout if status == 0 else sys.stderr).write(text)
        return status
    try:
        config = parse_args(argv)
    except UsageError as e:
        _complain(f"{e} (see cloneshell --help)")
        return 2
    except SystemExit as e:  # --help prints and "exits"; keep main() returning an int
        return e.code if isinstance(e.code, int) else 0
    if config.version:
        print(f"cloneshell {version()}")
        return 0
    if config.record is not None:
        # The recorder runs the shell itself in a pseudo-terminal and records what it shows.
        from cloneshell.shell.record import run_recording

        return run_recording(config, argv)

    if config.temporary_warehouse:  # --clean without -w
        import tempfile
        from dataclasses import replace

        with tempfile.TemporaryDirectory(prefix="cloneshell-") as scratch:
            return _session_run(
                replace(config, warehouse=Path(scratch) / "warehouse"), argv, open_session, start_up
            )
    return _session_run(config, argv, open_session, start_up)


def _session_run(
    config: Config, argv: list[str], open_session: SessionOpener | None, start_up: _StartUp
) -> int:
    batch = config.execute is not None or config.file is not None or not _stdin_is_tty()
    if not batch and not config.clean:
        # The settings file shapes interactive sessions only (shell/settings.py).
        from cloneshell.shell.settings import apply_to_config, load

        config = apply_to_config(config, explicit_options(argv), load())
    try:
        script, source_name = _read_script(config) if batch else ("", "")
        _prepare_warehouse(config.warehouse)
    except UsageError as e:
        _complain(str(e))
        return 2

    # The session opens on a background thread (shell/opening.py): a script's first statement
    # is parsed meanwhile, and the REPL draws its prompt before it even starts opening.
    pending = PendingSession(lambda: _open_session(config, open_session), config)
    if batch:
        pending.start()
        _warm_parser(script, config.dialect)
        from cloneshell.shell.batch import run_script  # also while the session opens

        try:
            session = pending.wait()
        except OpenFailed as e:
            return _open_failed(config, e.cause)
        start_up.done()
        try:
            return run_script(
                session,
                script,
                sys.stdout,
                sys.stderr,
                echo=config.echo,
                on_error=config.on_error,
                fmt=config.fmt,
                source_name=source_name,
                header=config.header,
                summary=config.summary,
                quiet=config.quiet,
                null_text=config.null_text,
                frozen_timing=config.frozen_timing,
                variables=dict(config.variables),
                substitution=config.substitution,
            )
        finally:
            _close(session)
    try:
        from cloneshell.shell.repl import run_repl

        return run_repl(pending, config, on_loaded=start_up.done)
    except OpenFailed as e:
        return _open_failed(config, e.cause)
    finally:
        _close(pending)


def _complain(message: str) -> None:
    print(f"cloneshell: error: {message}", file=sys.stderr)


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, AttributeError):  # closed or replaced stdin
        return False


def _read_script(config: Config) -> tuple[str, str]:
    """The script text and the name errors use for it (`<command line>`, the file, `<stdin>`)."""
    if config.execute is not None:
        return config.execute, "<command line>"
    if config.file is not None and config.file != "-":
        try:
            data = Path(config.file).read_bytes()
        except OSError as e:
            raise UsageError(f"cannot read {config.file}: {e.strerror or e}") from None
        return _decode(data, config.file), config.file
    stream = sys.stdin
    if stream is None:
        raise UsageError("no script: stdin is closed")
    buffer = getattr(stream, "buffer", None)
    text = _decode(buffer.read(), "stdin") if buffer is not None else stream.read()
    return text, "<stdin>"


def _decode(data: bytes, what: str) -> str:
    # utf-8-sig: scripts saved by Windows editors start with a BOM, which is not SQL.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(f"{what} is not UTF-8 text (byte {e.start})") from None


def _prepare_warehouse(path: Path) -> None:
    """Create the warehouse directory if missing; fail clearly if it cannot be used."""
    # The engine refuses these as well (Warehouse.open); here, before the directory is made.
    if any(ch in str(path.resolve()) for ch in "?\\"):
        raise UsageError(
            f"warehouse {path}: its path contains ? or \\, which DuckDB cannot use in a file "
            "name; choose another directory"
        )
    if path.exists() and not path.is_dir():
        raise UsageError(f"warehouse {path} is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create warehouse {path}: {e.strerror or e}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"warehouse {path} is not writable")


def _open_session(config: Config, open_session: SessionOpener | None) -> ShellSession:
    if open_session is not None:
        return open_session(config)
    from cloneshell.engine import open_session as open_engine_session

    session = open_engine_session(
        config.warehouse,
        principal=config.user,
        project=config.project,
        dialect=config.dialect,
        clock=config.clock,
        lock_timeout=config.lock_timeout,
    )
    for notice in session.notices:
        print(f"cloneshell: warning: {notice}", file=sys.stderr)
    return session


def _open_failed(config: Config, error: BaseException) -> int:
    """Say why the session could not be opened; the exit status: 2 for a refusal (bad
    warehouse or project), 1 for an unexpected failure (logged)."""
    missing = str(getattr(error, "kind", "")) in ("project_not_found", "database_not_found")
    if isinstance(error, CloneshellError) and missing:
        # `-p NAME` names no project (database): say so in the user's words, not the engine's.
        container = shell_dialect(config.dialect).container
        _complain(f"{container} {config.project!r} not found; SHOW {container.upper()}S lists them")
    elif isinstance(error, CloneshellError):
        _complain(f"cannot open warehouse {config.warehouse}: {error.text}")
    elif isinstance(error, OSError):
        _complain(f"cannot open warehouse {config.warehouse}: {error.strerror or error}")
    else:
        sys.stderr.write(log_internal_error(error, f"opening warehouse {config.warehouse}"))
        return 1
    return 2


def _warm_parser(script: str, dialect: str) -> None:
    """Load the parser and parse the script's first statement, while the session opens: the
    lexer states that statement needs are then built when the session runs it. Errors are for
    the run to report."""
    from cloneshell.grammar.parser import parse
    from cloneshell.grammar.split import split_script

    first = next((i for i in split_script(script[:_WARM_TEXT]) if i.kind == "sql"), None)
    if first is not None:
        with contextlib.suppress(Exception):
            parse(first.text, dialect)


def _close(session: ShellSession) -> None:
    try:
        session.close()
    except Exception as e:  # closing must not hide the run's own status
        sys.stderr.write(log_internal_error(e, "closing the session"))
