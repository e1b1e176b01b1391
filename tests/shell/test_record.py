"""Session recording (`--record`): a played script and a typed session in a real pty make valid
asciicast v2 files (checked line by line here, and by the `asciinema` package and `pyte`); the
pieces (argv filtering, the cast writer, the keystroke tracker) alone; docs/demo.cast stays valid.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pexpect
import pyte
import pytest

from cloneshell.shell.record import (
    CastWriter,
    InputTracker,
    Recorder,
    child_argv,
    keystrokes,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO_CAST = ROOT / "docs" / "demo.cast"
DEMO_SCRIPT = ROOT / "docs" / "examples" / "cross_account.sql"
ASCIINEMA = Path(sys.executable).with_name("asciinema")
# The prompt, whatever colours the REPL gives its parts.
PROMPT = r"odps@ (?:\x1b\[[0-9;]*m)*my_project(?:\x1b\[[0-9;]*m)*>"
MAIN = "from cloneshell.shell.main import main; raise SystemExit(main())"

SCRIPT = """\
-- a short session
CREATE TABLE t (id BIGINT, name STRING);
INSERT INTO t VALUES (1, 'zürich'), (2, 'b');
SELECT id,
       name
  FROM t
 ORDER BY id
 LIMIT 10;
SELECT * FROM nope;
\\whoami
DROP TABLE t;
"""
STATEMENTS = [
    "CREATE TABLE t (id BIGINT, name STRING);",
    "INSERT INTO t VALUES (1, 'zürich'), (2, 'b');",
    "SELECT id, name FROM t ORDER BY id LIMIT 10;",
    "SELECT * FROM nope;",
    "\\whoami",
    "DROP TABLE t;",
]

try:
    os.close(os.openpty()[0])
    HAVE_PTY = True
except OSError:
    HAVE_PTY = False
needs_pty = pytest.mark.skipif(not HAVE_PTY, reason="no pseudo-terminal available")


# ------------------------------------------------------------------------------ validation


@dataclass
class Cast:
    header: dict[str, Any]
    events: list[tuple[float, str, str]]

    @property
    def output(self) -> str:
        return "".join(d for _, c, d in self.events if c == "o")

    @property
    def markers(self) -> list[str]:
        return [d for _, c, d in self.events if c == "m"]

    def screen(self) -> list[str]:
        """What a viewer saw: the output replayed on a virtual terminal, the lines scrolled off
        the top followed by the final screen."""
        width = self.header["width"]
        screen = pyte.HistoryScreen(width, self.header["height"], history=10_000)
        pyte.Stream(screen).feed(self.output)
        scrolled = ["".join(row[x].data for x in range(width)) for row in screen.history.top]
        return [line.rstrip() for line in [*scrolled, *screen.display]]


def check_cast(path: Path, idle_limit: float | None = None) -> Cast:
    """Stricter than asciinema 2.4 (which forgives blank lines and time going backwards).
    Event codes: "o" output, "m" markers, "r" resizes (only in typed sessions)."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # strict: the file is UTF-8
    assert text.endswith("\n"), "the last line is not terminated"
    lines = text[:-1].split("\n")
    assert all(line.strip() for line in lines), "blank line in the cast"
    header = json.loads(lines[0])
    assert isinstance(header, dict)
    assert header["version"] == 2
    for key in ("width", "height"):
        assert type(header[key]) is int and header[key] > 0, key
    assert type(header["timestamp"]) is int and header["timestamp"] > 1_600_000_000
    assert header["title"] == "cloneshell"
    env = header["env"]
    assert set(env) == {"SHELL", "TERM"} and all(isinstance(v, str) for v in env.values())
    events: list[tuple[float, str, str]] = []
    previous = 0.0
    for n, line in enumerate(lines[1:], 2):
        event = json.loads(line)
        assert isinstance(event, list) and len(event) == 3, f"line {n}: {line[:80]}"
        t, code, data = event
        assert type(t) in (int, float) and math.isfinite(t) and t >= 0, f"line {n}: time {t}"
        assert t >= previous, f"line {n}: time goes back from {previous} to {t}"
        assert code in ("o", "m", "r"), f"line {n}: event code {code!r}"
        assert code != "r" or re.fullmatch(r"[1-9]\d*x[1-9]\d*", data), f"line {n}: {data!r}"
        assert isinstance(data, str) and (data or code == "m"), f"line {n}: data {data!r}"
        if idle_limit is not None:
            assert t - previous <= idle_limit + 1e-6, f"line {n}: a gap of {t - previous:.3f} s"
        previous = t
        events.append((float(t), code, data))
    assert events, "no events"
    return Cast(header, events)


def asciinema_cat(path: Path) -> str:
    """The output as the reference player prints it; fails when it cannot read the file."""
    done = subprocess.run(
        [str(ASCIINEMA), "cat", str(path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def check_markers(cast: Cast, statements: list[str]) -> None:
    """One marker per statement, in order, each before the output that answers it."""
    assert cast.markers == statements
    times = [t for t, c, _ in cast.events if c == "m"]
    last_output = max(t for t, c, _ in cast.events if c == "o")
    assert all(t < last_output for t in times)


# ------------------------------------------------------------------------------ running it


def run_recorder(
    tmp: Path, *args: str, env_extra: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(
        HOME=str(home),
        XDG_STATE_HOME=str(tmp / "state"),
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_DATA_HOME=str(tmp / "data"),
        **(env_extra or {}),
    )
    return subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


@dataclass
class Played:
    done: subprocess.CompletedProcess[str]
    cast_path: Path
    idle_limit: float


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Played:
    if not HAVE_PTY:
        pytest.skip("no pseudo-terminal available")
    tmp = tmp_path_factory.mktemp("play")
    script = tmp / "session.sql"
    script.write_text(SCRIPT, encoding="utf-8")
    cast_path = tmp / "session.cast"
    idle = 0.25
    done = run_recorder(
        tmp,
        "--rec",  # argparse's abbreviation: must not reach the recorded shell either
        str(cast_path),
        "--play",
        str(script),
        "--typing-delay",
        "1ms",
        f"--idle-limit={idle}",
        "-w",
        str(tmp / "warehouse"),
        "--clock",
        "2024-01-15T10:00:00",
    )
    return Played(done, cast_path, idle)


@needs_pty
def test_played_session_exits_with_the_shells_status(played: Played) -> None:
    # 1: the script's `SELECT * FROM nope;` failed (issue 16 item 18)
    assert played.done.returncode == 1, played.done.stderr
    assert played.done.stderr == ""
    # What was recorded was also shown on our stdout.
    assert "| id | name   |" in played.done.stdout


@needs_pty
def test_played_cast_is_valid_and_respects_the_idle_limit(played: Played) -> None:
    cast = check_cast(played.cast_path, idle_limit=played.idle_limit)
    assert (cast.header["width"], cast.header["height"]) == (100, 30)
    assert cast.header["idle_time_limit"] == played.idle_limit
    assert cast.header["env"]["TERM"] == "xterm-256color"
    assert {c for _, c, _ in cast.events} == {"o", "m"}
    # The pty's line ends, as a terminal receives them.
    assert "\r\n" in cast.output and "\n" not in cast.output.replace("\r\n", "")


@needs_pty
def test_played_cast_marks_each_statement(played: Played) -> None:
    cast = check_cast(played.cast_path)
    check_markers(cast, STATEMENTS)
    # The query's marker comes before the box that answers it.
    marker = next(t for t, c, d in cast.events if c == "m" and d.startswith("SELECT id"))
    box = next(t for t, c, d in cast.events if c == "o" and "| id | name" in d)
    assert marker <= box


@needs_pty
def test_asciinema_reads_the_played_cast(played: Played) -> None:
    out = asciinema_cat(played.cast_path)
    assert "| id | name   |" in out
    assert "| 1  | zürich |" in out
    assert "Table not found" in out


@needs_pty
def test_viewer_sees_the_session(played: Played) -> None:
    screen = check_cast(played.cast_path).screen()
    text = "\n".join(screen)
    # A comment before a statement is typed with it.
    assert "odps@ my_project> -- a short session" in screen
    assert any(line.strip() == "CREATE TABLE t (id BIGINT, name STRING);" for line in screen)
    # The multi-line statement was typed line by line, continuation lines indented by the REPL.
    assert "odps@ my_project> SELECT id," in screen
    assert any(line.strip() == "LIMIT 10;" for line in screen)
    assert "| 2  | b      |" in screen
    assert "FAILED: ODPS-0130131:[1,15] Table not found" in text
    # The player answers odpscmd's confirmation before a destructive statement.
    assert 'Confirm to "DROP TABLE t" (yes/no)? yes' in screen


def test_missing_script_is_a_usage_error(tmp_path: Path) -> None:
    cast_path = tmp_path / "x.cast"
    done = run_recorder(tmp_path, "--record", str(cast_path), "--play", str(tmp_path / "no.sql"))
    assert done.returncode == 2
    assert done.stderr.startswith("cloneshell: error: cannot read ")
    assert done.stderr.count("\n") == 1
    assert not cast_path.exists()


def test_unwritable_cast_is_a_usage_error(tmp_path: Path) -> None:
    script = tmp_path / "s.sql"
    script.write_text("SELECT 1;\n", encoding="utf-8")
    target = tmp_path / "missing-dir" / "x.cast"
    done = run_recorder(tmp_path, "--record", str(target), "--play", str(script))
    assert done.returncode == 2
    assert done.stderr.startswith(f"cloneshell: error: cannot write {target}")
    assert done.stderr.count("\n") == 1


def cooked(fd: int) -> bool:
    """Whether the terminal of the pty whose master is `fd` is in canonical (line) mode."""
    return bool(termios.tcgetattr(fd)[3] & termios.ICANON)


@needs_pty
def test_typed_session_in_a_terminal(tmp_path: Path) -> None:
    """Interactive recording: keystrokes pass through raw, Enter after `;` is marked, the
    recording has the terminal's size, and the terminal is restored afterwards."""
    cast_path = tmp_path / "typed.cast"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(
        HOME=str(tmp_path),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        TERM="xterm",
        PROMPT_TOOLKIT_NO_CPR="1",  # pexpect's terminal does not answer cursor queries
    )
    child = pexpect.spawn(
        sys.executable,
        ["-c", MAIN, "--record", str(cast_path), "-w", str(tmp_path / "wh")],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(24, 80),
    )
    try:
        child.expect(PROMPT)
        time.sleep(0.3)  # let the shell reach raw mode (see test_repl.send_control)
        assert not cooked(child.child_fd), "the recorder put its terminal in raw mode"
        child.send("SELECT 41")
        child.send("\x7f")  # backspace: the marker shows what was finally typed
        child.send("2 AS answer\r")  # Enter without `;` continues the statement
        child.send(";\r")
        child.expect_exact("| answer |")
        child.expect(PROMPT)
        child.setwinsize(30, 90)  # the window grows: SIGWINCH
        time.sleep(0.3)
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
        assert cooked(child.child_fd), "the recorder restored its terminal"
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    cast = check_cast(cast_path)
    assert (cast.header["width"], cast.header["height"]) == (80, 24)
    assert cast.markers == ["SELECT 42 AS answer ;"]
    assert [d for _, c, d in cast.events if c == "r"] == ["90x30"]
    assert "| 42     |" in asciinema_cat(cast_path)


# ------------------------------------------------------------------------------ the pieces


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--record", "a.cast", "-w", "wh"], ["-w", "wh"]),
        (["--record=a.cast", "--play", "s.sql", "--clock", "X"], ["--clock", "X"]),
        (["--rec", "a", "--pl=s", "--typing-delay", "1ms", "--idle", "2", "-u", "U"], ["-u", "U"]),
        (["-p", "proj", "--record", "a.cast", "--no-color"], ["-p", "proj", "--no-color"]),
    ],
)
def test_child_argv_drops_the_recording_options(argv: list[str], expected: list[str]) -> None:
    assert child_argv(argv) == expected


def test_keystrokes_add_the_semicolon_and_label_on_one_line() -> None:
    got = keystrokes("\\login X\nSELECT\n  1;\n-- two\n  -- lines\nSELECT 2")
    assert [k.text for k in got] == ["\\login X", "SELECT\n  1;", "-- two\n-- lines\nSELECT 2;"]
    assert [k.label for k in got] == ["\\login X", "SELECT 1;", "SELECT 2;"]
    assert [k.line for k in got] == [1, 2, 6]


def test_comments_before_a_meta_command_are_not_typed() -> None:
    got = keystrokes("SELECT 1; -- same line\n-- a note\n\\login X\n/* block */ SELECT 2;")
    assert [k.text for k in got] == ["SELECT 1;", "\\login X", "SELECT 2;"]


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def _lines(sink: _Sink) -> list[Any]:
    return [json.loads(line) for line in sink.text.splitlines()]


def test_cast_writer_caps_gaps_and_keeps_time_monotonic() -> None:
    sink = _Sink()
    w = CastWriter(sink, width=80, height=24, env={}, idle_limit=1.0, clock=100.0)  # type: ignore[arg-type]
    w.event("o", "a", now=100.5)
    w.event("o", "b", now=107.0)  # a 6.5 s pause becomes 1 s
    w.event("m", "SELECT 1;", now=107.25)
    w.event("o", "c", now=107.1)  # a clock reading from before the last event never goes back
    header, *events = _lines(sink)
    assert header["idle_time_limit"] == 1.0
    assert [e[0] for e in events] == [0.5, 1.5, 1.75, 1.75]
    assert sink.text.splitlines()[1] == '[0.500000, "o", "a"]'


def test_cast_writer_escapes_line_separators() -> None:
    sink = _Sink()
    w = CastWriter(sink, width=80, height=24, env={}, clock=0.0)  # type: ignore[arg-type]
    w.event("o", "a\u2028b\r\n\x1b[0mé", now=0.0)
    assert len(sink.text.splitlines()) == 2 and "\u2028" not in sink.text
    assert _lines(sink)[1][2] == "a\u2028b\r\n\x1b[0mé"
    assert "é" in sink.text  # readable UTF-8, not \\u escapes


def test_output_split_inside_a_character_is_not_corrupted() -> None:
    sink = _Sink()
    cast = CastWriter(sink, width=80, height=24, env={}, clock=0.0)  # type: ignore[arg-type]
    rec = Recorder(child=None, cast=cast, echo_fd=None)  # type: ignore[arg-type]
    data = "│ zürich │".encode()
    cut = data.index("ü".encode()) + 1
    rec._take(data[:cut])
    rec._take(data[cut:])
    rec._take(b"")  # the end
    assert "".join(e[2] for e in _lines(sink)[1:]) == "│ zürich │"
    assert rec.finished


@pytest.mark.parametrize(
    ("screen", "prompt", "question"),
    [
        ("\x1b[0;32modps@ \x1b[0;36;1mmy_project\x1b[0;1m>\x1b[17D\x1b[18C", True, False),
        ("OK\r\nADMIN#(no warehouse)@SALES.PUBLIC> ", True, False),
        ("odps@ > ", True, False),
        ("\x1b]0;title\x07OK\r\n", False, False),
        ('Confirm to "DROP TABLE t" (yes/no)? ', False, True),
        ('Confirm to "DROP TABLE t" (yes/no)? yes\r\nOK', False, False),
    ],
)
def test_prompt_and_question_detection(screen: str, prompt: bool, question: bool) -> None:
    cast = CastWriter(_Sink(), width=80, height=24, env={}, clock=0.0)  # type: ignore[arg-type]
    rec = Recorder(child=None, cast=cast, echo_fd=None)  # type: ignore[arg-type]
    rec.screen_since_enter = screen
    assert rec.prompt_seen() is prompt
    assert rec.asks_confirmation() is question


@pytest.mark.parametrize(
    ("keys", "submitted", "buffer"),
    [
        (b"SELECT 1;\r", ["SELECT 1;"], ""),
        (b"SELECT\r  1\r;\r", ["SELECT 1 ;"], ""),
        (b"SELECT 12\x7f;\r", ["SELECT 1;"], ""),
        (b"SELECT 1\x1b[D\x1b[C;\r", ["SELECT 1;"], ""),  # arrow keys are not text
        (b"\\login RAM$a:b\r", ["\\login RAM$a:b"], ""),
        (b"SELECT 'a;\rb';\r", ["SELECT 'a; b';"], ""),  # the ; inside quotes does not end it
        (b"junk\x03SELECT 2;\r", ["SELECT 2;"], ""),  # Ctrl-C clears the line
        (b"\r\r", [], ""),
        (b"\x1b[200~SELECT 1;\rSELECT 2;\x1b[201~\r", ["SELECT 1; SELECT 2;"], ""),  # a paste
        (b"SELECT 'caf\xc3", [], "SELECT 'caf"),
    ],
)
def test_input_tracker(keys: bytes, submitted: list[str], buffer: str) -> None:
    tracker = InputTracker()
    assert tracker.feed(keys) == submitted
    assert tracker.buffer == buffer


def test_input_tracker_joins_characters_split_across_reads() -> None:
    tracker = InputTracker()
    tracker.feed(b"SELECT 'caf\xc3")
    assert tracker.feed(b"\xa9';\r") == ["SELECT 'café';"]


# ------------------------------------------------------------------------------ the demo


def test_demo_cast_is_valid() -> None:
    """docs/demo.cast (README's demo) passes the same checks; regenerate it with the command in
    `docs/make_demo.py` after the shell's output changes."""
    cast = check_cast(DEMO_CAST, idle_limit=1.0)
    assert (cast.header["width"], cast.header["height"]) == (100, 30)
    script = DEMO_SCRIPT.read_text(encoding="utf-8")
    check_markers(cast, [k.label for k in keystrokes(script)])
    # the typed line is redrawn with highlighting: compare its text without the escapes
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", asciinema_cat(DEMO_CAST))
    assert "CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data" in out
    assert "| 1  | 2024-01-15 | 299.00 |" in out
    assert "Traceback" not in out


def test_demo_svg_is_a_reasonable_animation() -> None:
    svg = ROOT / "docs" / "demo.svg"
    data = svg.read_bytes()
    assert data.startswith(b"<svg") and data.rstrip().endswith(b"</svg>")
    assert len(data) < 2_000_000
    assert b"@keyframes" in data


PRIVATE_SCRIPT = """\
CREATE TABLE demo (id BIGINT);
INSERT INTO demo VALUES (7);
SELECT * FROM demo;
"""


def _user_home(tmp: Path) -> None:
    """A user with a history entry, a settings file and a table of their own, in the places
    run_recorder points the XDG directories at."""
    history = tmp / "state" / "cloneshell" / "history"
    history.parent.mkdir(parents=True)
    history.write_text("\n# 2024-01-01 00:00:00\n+SELECT secret_history_entry;\n")
    settings = tmp / "config" / "cloneshell" / "config.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('format = "csv"\n')
    done = run_recorder(tmp, "-e", "CREATE TABLE private_tbl (id BIGINT);")
    assert done.returncode == 0, done.stderr


def _play_private(tmp: Path, n: int) -> Cast:
    script = tmp / "private.sql"
    script.write_text(PRIVATE_SCRIPT)
    cast_path = tmp / f"private{n}.cast"
    done = run_recorder(
        tmp, "--record", str(cast_path), "--play", str(script), "--typing-delay", "2ms"
    )
    assert done.returncode == 0, done.stderr
    return check_cast(cast_path)


@needs_pty
def test_playback_is_private_and_reproducible(tmp_path: Path) -> None:
    _user_home(tmp_path)
    first = _play_private(tmp_path, 1)
    text = "\n".join(first.screen())
    # No grey suggestion from the user's history, no menu of the user's own tables.
    assert "secret_history_entry" not in first.output
    assert "private_tbl" not in first.output
    # The defaults, not the user's settings file (format = "csv"): odpscmd's box.
    assert "| id |" in text and "| 7  |" in text, text
    # The script ran in a fresh warehouse: the user's has no `demo`.
    tables = run_recorder(tmp_path, "--format", "csv", "-e", "SHOW TABLES;")
    assert "private_tbl" in tables.stdout and "demo" not in tables.stdout
    # Two runs show the same screens, whatever the timing (the bytes differ in how the
    # terminal redraws were batched, which depends on timing).
    second = _play_private(tmp_path, 2)
    assert second.screen() == first.screen()
    assert second.markers == first.markers


@needs_pty
def test_a_script_piped_into_the_recorder_is_played(tmp_path: Path) -> None:
    cast_path = tmp_path / "piped.cast"
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(HOME=str(home), XDG_STATE_HOME=str(tmp_path / "state"))
    done = subprocess.run(
        [sys.executable, "-c", MAIN, "--record", str(cast_path), "--typing-delay", "1ms"],
        input="SELECT 41 + 1 AS answer;\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    cast = check_cast(cast_path)
    assert cast.markers == ["SELECT 41 + 1 AS answer;"]
    assert "| 42     |" in cast.screen()
