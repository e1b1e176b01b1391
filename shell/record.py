"""Session recording: `cloneshell --record demo.cast [--play script.sql]` writes what the terminal
showed as an asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2).

A pseudo-terminal proxy, independent of the REPL's internals: it runs the same `cloneshell` (the
command line minus the recording options) in a pty of the terminal's size (`COLUMNS`/`LINES`,
else the real terminal's, else 100x30), copies keystrokes to it and its output to our stdout, and
records every chunk of output as an `"o"` event, as a terminal received it (escape sequences and
the pty's `\\r\\n` line ends included). A `"m"` marker labelled with the statement marks each
submission, so players can jump from statement to statement.

- Interactive (no `--play`): the real terminal goes into raw mode (restored on every exit path);
  Enter submits when the text typed so far holds complete statements (`is_complete`) or ends in a
  meta-command line, as the REPL decides. The text is followed keystroke by keystroke, so a
  statement recalled from history or edited with the arrow keys is marked by what was typed,
  not by what was run: markers are a best effort there.
- `--play SCRIPT`, or a script piped into stdin: no keyboard. Each statement and meta-command of
  the script (`split_script`) is typed character by character, `--typing-delay` apart, once the
  shell is ready: its prompt (`odps@ …>`) has appeared since the last Enter, its output has been
  quiet for a moment and the pty is in raw mode, i.e. prompt_toolkit is reading keys. Lines of a
  multi-line statement are separated by Enter, as a person types them; `--` comment lines right
  before a statement are typed with it; a `(yes/no)?` confirmation is answered `yes` (the script
  asked for the statement). At the end Ctrl-D; the exit status is the shell's. The shell runs
  with `--clean` (shell/config.py), so the cast is the same from run to run apart from its
  timing.

Events are written and flushed one line at a time, so a crash leaves a valid prefix. Times are
seconds since the start (monotonic clock, 6 decimals); `--idle-limit` caps every gap between
consecutive events, as the file is written.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import json
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
import tty
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TextIO

from cloneshell.grammar.records import record
from cloneshell.grammar.split import is_complete, split_script
from cloneshell.shell.config import Config

DEFAULT_SIZE = (100, 30)
"""Columns and rows when neither COLUMNS/LINES nor a terminal says otherwise."""
PROMPT_TIMEOUT = 60.0
"""Seconds to wait for the shell's prompt after a statement (and at start) when playing."""
EXIT_TIMEOUT = 30.0
"""Seconds to wait for the shell to exit after the end of the script."""
QUIET = 0.05
"""Seconds of silence after the prompt before the player types (lets the screen settle)."""

# The prompt of either dialect: `odps@ project>`, `USER#(no warehouse)@DB.SCHEMA>`. Loose on
# purpose: the player also requires the pty to be in raw mode, which only the prompt sets.
PROMPT = re.compile(r"[^\s@]+@ ?[^\s>]*>")
# odpscmd's `Confirm to "<statement>" (yes/no)? `, at the end of the output.
_QUESTION = re.compile(r"\((?:yes/no|y/n)\)\?\s*$", re.IGNORECASE)
# CSI, OSC and two-character escape sequences, removed before looking for the prompt.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -~])")
# The recording options (each takes a value), removed from the child's command line.
_RECORDING_OPTIONS = ("--record", "--play", "--typing-delay", "--idle-limit")
_CHILD_CODE = "from cloneshell.shell.main import main; raise SystemExit(main())"
_ENTER = "\r"  # what a terminal sends for the Enter key
_EOF = b"\x04"  # Ctrl-D


class RecordingError(Exception):
    """The recording could not be made (unreadable script, unwritable file, a shell that stops
    answering): main prints one line."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


# ------------------------------------------------------------------------------ the cast file


class CastWriter:
    """Writes an asciicast v2 file: the header, then one flushed JSON line per event."""

    def __init__(
        self,
        stream: TextIO,
        *,
        width: int,
        height: int,
        env: dict[str, str],
        idle_limit: float | None = None,
        title: str = "cloneshell",
        clock: float | None = None,
    ) -> None:
        self._stream = stream
        self._idle_limit = idle_limit
        self._start = time.monotonic() if clock is None else clock
        self._last_real = self._start
        self._last_time = 0.0  # the time written for the previous event
        header: dict[str, object] = {
            "version": 2,
            "width": width,
            "height": height,
            "timestamp": int(time.time()),
            "env": env,
            "title": title,
        }
        if idle_limit is not None:
            header["idle_time_limit"] = idle_limit
        self._write_line(json.dumps(header, ensure_ascii=False))

    def event(self, code: str, data: str, now: float | None = None) -> float:
        """Append `[time, code, data]`; returns the time written. `now` is a `time.monotonic()`
        reading (default: the current one)."""
        real = time.monotonic() if now is None else now
        gap = max(0.0, real - self._last_real)
        if self._idle_limit is not None:
            gap = min(gap, self._idle_limit)
        self._last_real = max(real, self._last_real)
        t = round(self._last_time + gap, 6)
        self._last_time = t
        self._write_line(f"[{t:.6f}, {_json_string(code)}, {_json_string(data)}]")
        return t

    def close(self) -> None:
        """Close the file."""
        self._stream.close()

    def _write_line(self, line: str) -> None:
        self._stream.write(line + "\n")
        self._stream.flush()


def _json_string(text: str) -> str:
    # U+2028/U+2029 are valid in JSON strings but some line readers split on them.
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# ------------------------------------------------------------------------------ the child


def child_argv(argv: Sequence[str]) -> list[str]:
    """`argv` without the recording options and their values (also `--opt=value` and the
    unambiguous abbreviations argparse accepts, such as `--rec`)."""
    out: list[str] = []
    skip_value = False
    for i, arg in enumerate(argv):
        if skip_value:
            skip_value = False
            continue
        if arg == "--":
            out.extend(argv[i:])
            break
        name, eq, _ = arg.partition("=")
        if (
            len(name) > 2
            and name.startswith("--")
            and any(o.startswith(name) for o in _RECORDING_OPTIONS)
        ):
            skip_value = not eq
            continue
        out.append(arg)
    return out


def _child_env(play: bool) -> dict[str, str]:
    env = dict(os.environ)
    # The child sizes itself from the pty; inherited COLUMNS/LINES would override that.
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    term = env.get("TERM", "")
    if play or not term or term == "dumb":
        # A player replays an xterm; a dumb terminal would turn prompt_toolkit's editing off.
        env["TERM"] = "xterm-256color"
    if play:
        # Nobody answers cursor-position requests when playing; without this prompt_toolkit
        # waits for the answer and then prints a warning into the recording.
        env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return env


def _set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _make_controlling_terminal() -> None:  # runs in the child, after setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyChild:
    """A command running in a new pseudo-terminal; our end is `master`."""

    def __init__(self, command: list[str], env: dict[str, str], columns: int, rows: int) -> None:
        master, slave = os.openpty()
        try:
            _set_size(slave, columns, rows)
            # The child leads a new session with the pty as its controlling terminal, so the
            # line discipline's Ctrl-C (SIGINT) reaches it while a statement runs.
            self.process = subprocess.Popen(
                command,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                start_new_session=True,
                preexec_fn=_make_controlling_terminal,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self.master = master

    def read(self) -> bytes:
        """What the child wrote (blocks unless select() said it is ready); b"" once the child's
        side is closed."""
        try:
            return os.read(self.master, 65536)
        except OSError:  # EIO: every slave descriptor is closed
            return b""

    def write(self, data: bytes) -> None:
        """Send keystrokes."""
        while data:
            try:
                n = os.write(self.master, data)
            except OSError as e:
                raise RecordingError("the shell stopped reading its input") from e
            data = data[n:]

    def reading_keys(self) -> bool:
        """True when the pty is in raw mode (prompt_toolkit is reading key by key). Linux reports
        the slave's modes on the master; where it does not, assume yes."""
        try:
            lflag = termios.tcgetattr(self.master)[3]
        except termios.error:
            return True
        return not lflag & termios.ICANON

    def resize(self, columns: int, rows: int) -> None:
        """Tell the child its terminal changed size (it gets SIGWINCH)."""
        with contextlib.suppress(OSError):
            _set_size(self.master, columns, rows)

    def wait(self, timeout: float) -> int:
        """The exit status (128+N for signal N), killing the child after `timeout` seconds."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        return 128 - code if code < 0 else code

    def close(self) -> None:
        """Stop the child if it still runs and release the pty."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(2)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(OSError):
            os.close(self.master)


# ------------------------------------------------------------------------------ the proxy


class Recorder:
    """Moves output from the child to our stdout and the cast, keystrokes to the child."""

    def __init__(self, child: PtyChild, cast: CastWriter, echo_fd: int | None) -> None:
        self.child = child
        self.cast = cast
        self._echo_fd = echo_fd
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.finished = False  # the child's output has ended
        self.last_output = time.monotonic()
        self.screen_since_enter = ""  # output since the last Enter, without escape sequences

    def pump(self, timeout: float) -> None:
        """Copy what the child writes for `timeout` seconds (with 0: what is ready now)."""
        deadline = time.monotonic() + max(0.0, timeout)
        while not self.finished:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.child.master], [], [], max(0.0, remaining))
            if ready:
                self._take(self.child.read())
            if time.monotonic() >= deadline:
                return

    def _take(self, data: bytes) -> None:
        now = time.monotonic()
        if not data:
            self.finished = True
            rest = self._decoder.decode(b"", final=True)
            if rest:
                self.cast.event("o", rest, now)
            return
        self.last_output = now
        self._echo(data)
        text = self._decoder.decode(data)
        if text:
            self.cast.event("o", text, now)
            self.screen_since_enter = (self.screen_since_enter + text)[-8192:]

    def _echo(self, data: bytes) -> None:
        if self._echo_fd is None:
            return
        try:
            while data:
                data = data[os.write(self._echo_fd, data) :]
        except OSError:  # our stdout went away: keep recording
            self._echo_fd = None

    def send(self, data: bytes) -> None:
        """Keystrokes to the child."""
        self.child.write(data)

    def submitted(self, label: str) -> None:
        """Mark a statement being submitted (call just before sending its Enter)."""
        self.cast.event("m", label)
        self.screen_since_enter = ""

    def prompt_seen(self) -> bool:
        """Whether the prompt has appeared since the last Enter."""
        return bool(PROMPT.search(_ESCAPE.sub("", self.screen_since_enter)))

    def asks_confirmation(self) -> bool:
        """Whether the output ends with a `(yes/no)?` question."""
        return bool(_QUESTION.search(_ESCAPE.sub("", self.screen_since_enter[-400:])))


# ------------------------------------------------------------------------------ playing a script


@record(frozen=True, slots=True)
class Keystrokes:
    """One script item as typed: the keys, the marker label for its Enter (the statement on one
    line) and the item's line in the script."""

    text: str
    label: str
    line: int


def keystrokes(script: str) -> list[Keystrokes]:
    """What to type for each statement and meta-command of `script`: its text, with the `;`
    (added when the script left it off), after the `--` comment lines just before it, as a
    person annotating a demo would type them. Comments before a meta-command are not typed: the
    REPL would keep them in its buffer while it runs the command."""
    items = split_script(script)
    out = []
    end = 0  # where the previous item ended
    for item in items:
        text = item.text if item.kind == "meta" else item.text + ";"
        typed = text
        if item.kind == "sql":
            between = script[end : item.offset].splitlines()
            comments = [line.strip() for line in between if line.strip().startswith("--")]
            typed = "\n".join([*comments, text])
        out.append(Keystrokes(typed, " ".join(text.split()), item.line))
        end = item.offset + len(item.text)
    return out


def _wait_ready(rec: Recorder, what: str, typing_delay: float) -> None:
    """Wait until the shell reads keys at its prompt, answering `yes` to a confirmation."""
    deadline = time.monotonic() + PROMPT_TIMEOUT
    while True:
        now = time.monotonic()
        if rec.finished:
            raise _ChildExited(what)
        quiet = now - rec.last_output >= QUIET
        if quiet and rec.prompt_seen() and rec.child.reading_keys():
            return
        if quiet and rec.asks_confirmation():
            # The script says to run the statement; odpscmd asks before destructive ones.
            rec.screen_since_enter = ""
            _type(rec, "yes\n", typing_delay)
            continue
        if now >= deadline:
            raise RecordingError(f"no prompt within {PROMPT_TIMEOUT:g} s {what}")
        rec.pump(min(QUIET, deadline - now))


def _type(rec: Recorder, text: str, typing_delay: float) -> None:
    for ch in text:
        rec.send((_ENTER if ch == "\n" else ch).encode("utf-8"))
        rec.pump(typing_delay)


class _ChildExited(Exception):
    """The shell exited while the player waited for its prompt."""


def play(rec: Recorder, script: Sequence[Keystrokes], typing_delay: float) -> None:
    """Type `script` into the shell, then Ctrl-D (unless the script's last item ended the
    shell, e.g. `\\q`). Raises RecordingError, or _ChildExited when the shell ended early."""
    _wait_ready(rec, "before the first statement", typing_delay)
    for n, item in enumerate(script, 1):
        _type(rec, item.text, typing_delay)
        rec.submitted(item.label)
        rec.send(_ENTER.encode())
        try:
            _wait_ready(rec, f"after statement {n} (line {item.line})", typing_delay)
        except _ChildExited:
            if n < len(script):
                raise
            return
    rec.send(_EOF)


# ------------------------------------------------------------------------------ interactive


class InputTracker:
    """Follows the keys typed to tell when Enter submits a statement (for the markers)."""

    def __init__(self) -> None:
        self.buffer = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._escape = ""  # an escape sequence being read
        self._pasting = False

    def feed(self, data: bytes) -> list[str]:
        """Take keystrokes; return the statements (marker labels) that Enter submitted."""
        submitted: list[str] = []
        for ch in self._decoder.decode(data):
            if self._escape:
                self._escape += ch
                if _escape_done(self._escape):
                    if self._escape in ("\x1b[200~", "\x1b[201~"):  # bracketed paste
                        self._pasting = self._escape == "\x1b[200~"
                    self._escape = ""
            elif ch == "\x1b":
                self._escape = ch
            elif ch in "\r\n":
                if not self._pasting and _submits(self.buffer):
                    label = " ".join(self.buffer.split())
                    if label:
                        submitted.append(label)
                    self.buffer = ""
                else:
                    self.buffer += "\n"
            elif ch in "\x7f\x08":
                self.buffer = self.buffer[:-1]
            elif ch == "\x03":  # Ctrl-C clears the prompt
                self.buffer = ""
            elif ch == "\x15":  # Ctrl-U: the line so far
                self.buffer = self.buffer[: self.buffer.rfind("\n") + 1]
            elif ch == "\t" or ch >= " ":
                self.buffer += ch
        return submitted


def _escape_done(seq: str) -> bool:
    if len(seq) < 2:
        return False
    if seq[1] in "[O":  # CSI / SS3: ends with a final byte
        return len(seq) > 2 and ("@" <= seq[-1] <= "~") and not (seq[1] == "[" and seq[-1] == "[")
    return True  # Alt+key


def _submits(text: str) -> bool:
    """Whether Enter runs the buffer, by the REPL's rule (`repl.should_submit`, not imported:
    it would load prompt_toolkit into the proxy): an empty buffer, complete statements, a
    meta-command on the last line, or a bare `q`/`quit`/`exit`."""
    stripped = text.strip()
    if not stripped or stripped.lower() in ("q", "quit", "exit"):
        return True
    if text.rstrip().rsplit("\n", 1)[-1].lstrip().startswith("\\"):
        return True
    return is_complete(text)


def interact(rec: Recorder, stdin_fd: int, size: tuple[int, int]) -> None:
    """Copy our stdin to the child until its output ends; mark submitted statements; follow
    window size changes when stdin is a terminal."""
    tracker = InputTracker()
    watching = [rec.child.master, stdin_fd]
    resized = False

    def on_winch(signum: int, frame: FrameType | None) -> None:
        nonlocal resized
        resized = True

    is_tty = os.isatty(stdin_fd)
    with _raw_terminal(stdin_fd) if is_tty else contextlib.nullcontext():
        old = signal.signal(signal.SIGWINCH, on_winch) if is_tty else None
        try:
            while not rec.finished:
                ready, _, _ = select.select(watching, [], [], 0.2)
                if rec.child.master in ready:
                    rec.pump(0)
                if stdin_fd in ready:
                    data = os.read(stdin_fd, 4096)
                    if not data:  # our input ended: end the shell's too
                        watching.remove(stdin_fd)
                        rec.send(_EOF)
                        continue
                    for label in tracker.feed(data):
                        rec.cast.event("m", label)
                    rec.send(data)
                if resized:
                    resized = False
                    try:
                        now = os.get_terminal_size(stdin_fd)
                    except OSError:
                        continue
                    new = (now.columns, now.lines)
                    if new != size:
                        size = new
                        rec.child.resize(*size)
                        rec.cast.event("r", f"{size[0]}x{size[1]}")
        finally:
            if old is not None:
                signal.signal(signal.SIGWINCH, old)


@contextlib.contextmanager
def _raw_terminal(fd: int) -> Iterator[None]:
    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSAFLUSH, saved)


# ------------------------------------------------------------------------------ entry point


def _terminal_size() -> tuple[int, int]:
    size = shutil.get_terminal_size(DEFAULT_SIZE)
    return (size.columns or DEFAULT_SIZE[0], size.lines or DEFAULT_SIZE[1])


def _read_script(path: str) -> list[Keystrokes]:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise RecordingError(f"cannot read {path}: {e.strerror or e}", 2) from None
    return keystrokes(_decode(data, path))


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RecordingError(f"{what} is not UTF-8 text (byte {e.start})", 2) from None


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, AttributeError):  # closed or replaced stdin
        return False


def _open_cast(path: str) -> TextIO:
    try:
        return open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 (closed by caller)
    except OSError as e:
        raise RecordingError(f"cannot write {path}: {e.strerror or e}", 2) from None


def run_recording(config: Config, argv: list[str]) -> int:
    """Record the interactive shell to `config.record` (typing `config.play` if given); returns
    the shell's exit status, 2 for an unreadable script or unwritable file, 1 when the recording
    broke off, 130 when interrupted."""
    assert config.record is not None
    try:
        if config.play is not None:
            script: list[Keystrokes] | None = _read_script(config.play)
        elif not _stdin_is_terminal():
            # Nobody types into a pipe: play what it holds, as --play would.
            if sys.stdin is None:
                raise RecordingError("no script: stdin is closed", 2)
            script = keystrokes(_decode(sys.stdin.buffer.read(), "stdin"))
        else:
            script = None
        return _record(config.record, script, config, argv)
    except RecordingError as e:
        print(f"cloneshell: error: {e}", file=sys.stderr)
        return e.status


def _record(
    cast_path: str, script: list[Keystrokes] | None, config: Config, argv: list[str]
) -> int:
    columns, rows = _terminal_size()
    env = _child_env(play=script is not None)
    stream = _open_cast(cast_path)
    try:
        cast = CastWriter(
            stream,
            width=columns,
            height=rows,
            env={"SHELL": os.environ.get("SHELL", "/bin/sh"), "TERM": env["TERM"]},
            idle_limit=config.idle_limit,
        )
        command = [sys.executable, "-c", _CHILD_CODE, *child_argv(argv)]
        if script is not None:
            # A played cast shows only what the script does: the defaults, no history (nor grey
            # suggestions from it), and a fresh warehouse unless -w names one.
            command += ["--clean", "--played"]  # --played: exit 1 when a statement failed
        try:
            child = PtyChild(command, env, columns, rows)
        except OSError as e:
            raise RecordingError(f"cannot start the shell: {e.strerror or e}") from None
        try:
            return _drive(child, cast, script, config, (columns, rows))
        finally:
            child.close()
    finally:
        stream.close()


def _drive(
    child: PtyChild,
    cast: CastWriter,
    script: list[Keystrokes] | None,
    config: Config,
    size: tuple[int, int],
) -> int:
    rec = Recorder(child, cast, echo_fd=_stdout_fd())
    try:
        if script is None:
            interact(rec, sys.stdin.fileno(), size)
        else:
            try:
                play(rec, script, config.typing_delay)
            except _ChildExited as e:
                code = child.wait(EXIT_TIMEOUT)
                raise RecordingError(
                    f"the shell exited (status {code}) {e}, before the end of the script",
                    code or 1,
                ) from None
        deadline = time.monotonic() + EXIT_TIMEOUT
        while not rec.finished and time.monotonic() < deadline:
            rec.pump(min(0.2, deadline - time.monotonic()))
        # Output ends when the shell closes the terminal, a moment before it exits.
        return child.wait(EXIT_TIMEOUT if rec.finished else 0.5)
    except KeyboardInterrupt:
        return 130


def _stdout_fd() -> int | None:
    try:
        sys.stdout.flush()
        return sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        return None
