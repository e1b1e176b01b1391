"""The `cloneshell` command: parse the arguments, open the session, hand over to the batch runner
or the REPL, and turn the outcome into an exit status (0 ok, 1 a statement failed or something
unexpected happened, 2 usage or configuration, 130 interrupted). Nothing heavy is imported
before it is needed, so `cloneshell -e "SELECT 1;"` never loads prompt_toolkit, Pygments or
tabulate."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.config import Config, UsageError, parse_args, version
from cloneshell.shell.context import ShellSession
from cloneshell.shell.failures import log_internal_error

SessionOpener = Callable[[Config], ShellSession]


def main(argv: list[str] | None = None, *, open_session: SessionOpener | None = None) -> int:
    """Run the shell; return the exit status. `open_session` replaces the engine (tests)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        return _main(args, open_session)
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


def _main(argv: list[str], open_session: SessionOpener | None) -> int:
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

    batch = config.execute is not None or config.file is not None or not _stdin_is_tty()
    if not batch:  # the settings file shapes interactive sessions only (shell/settings.py)
        from cloneshell.shell.settings import apply_to_config, load

        config = apply_to_config(config, argv, load())
    try:
        script, source_name = _read_script(config) if batch else ("", "")
        _prepare_warehouse(config.warehouse)
    except UsageError as e:
        _complain(str(e))
        return 2

    session = _open(config, open_session)
    if isinstance(session, int):
        return session
    try:
        if batch:
            from cloneshell.shell.batch import run_script

            return run_script(
                session,
                script,
                sys.stdout,
                sys.stderr,
                echo=config.echo,
                on_error=config.on_error,
                fmt=config.fmt,
                source_name=source_name,
            )
        from cloneshell.shell.repl import run_repl

        return run_repl(session, config)
    finally:
        _close(session)


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
    if path.exists() and not path.is_dir():
        raise UsageError(f"warehouse {path} is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create warehouse {path}: {e.strerror or e}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"warehouse {path} is not writable")


def _open(config: Config, open_session: SessionOpener | None) -> ShellSession | int:
    """The session, or the exit status after printing why it could not be opened: 2 for a
    refusal (bad warehouse or project), 1 for an unexpected failure (logged)."""
    try:
        if open_session is not None:
            return open_session(config)
        from cloneshell.engine import Session

        return Session.open(
            config.warehouse,
            principal=config.user,
            project=config.project,
            dialect=config.dialect,
            clock=config.clock,
            lock_timeout=config.lock_timeout,
        )
    except CloneshellError as e:
        _complain(f"cannot open warehouse {config.warehouse}: {e.text}")
    except OSError as e:
        _complain(f"cannot open warehouse {config.warehouse}: {e.strerror or e}")
    except Exception as e:
        sys.stderr.write(log_internal_error(e, f"opening warehouse {config.warehouse}"))
        return 1
    return 2


def _close(session: ShellSession) -> None:
    try:
        session.close()
    except Exception as e:  # closing must not hide the run's own status
        sys.stderr.write(log_internal_error(e, "closing the session"))
