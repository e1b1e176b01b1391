"""Issue 16, the rest of items 15, 17, 18 and 19: each checked by driving the real `cloneshell`
— in a pseudo-terminal (repl_driver.Terminal) for what only happens interactively, as a
subprocess for scripts."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from repl_driver import READY, Terminal, cloneshell_argv, shell_env

Start = Callable[..., Terminal]
_ANY_PROMPT = re.compile(r">")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def start(home: Path, tmp_path: Path) -> Iterator[Start]:
    """start(*args, rows=…, **env) -> a shell on a fresh warehouse at its first prompt."""
    started: list[Terminal] = []

    def run(*args: str, rows: int = 40, **env: str) -> Terminal:
        environ = shell_env(home, LINES=str(rows), **env)
        term = Terminal(cloneshell_argv(tmp_path / "wh", *args), environ, rows=rows)
        started.append(term)
        prompt(term)
        return term

    yield run
    for term in started:
        term.close()


def prompt(term: Terminal) -> str:
    """Wait for the next new prompt of either dialect; the output before it."""
    before = term.expect(READY)
    term.expect(_ANY_PROMPT)
    return before


def run(term: Terminal, line: str) -> str:
    """Type a line at the prompt; what it printed before the next prompt."""
    term.line(line)
    return prompt(term)


def batch(
    tmp_path: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`cloneshell ARGS` on the test's warehouse, as a script runs it."""
    return subprocess.run(
        cloneshell_argv(tmp_path / "wh", *args),
        input=stdin,
        env=shell_env(tmp_path / "home", **env),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def capturing_pager(tmp_path: Path) -> tuple[str, Path]:
    """A PAGER that saves what it is given to a file (so a test sees the pager was used)."""
    caught = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(f"import sys\nopen({str(caught)!r}, 'a').write(sys.stdin.read())\n")
    return f"{sys.executable} {script}", caught


# ---------------------------------------------------------------------------------------------
# 15. \help is paged when taller than the terminal; the summaries list the project/database
# statements


def test_help_taller_than_the_terminal_is_paged(start: Start, tmp_path: Path) -> None:
    pager, caught = capturing_pager(tmp_path)
    mc = start(rows=20, PAGER=pager)
    out = run(mc, "\\help")
    assert "Meta-commands" not in out  # not printed past the top of a 20-line screen
    paged = caught.read_text()
    assert paged.startswith("Meta-commands (one per line, no ;):")
    assert "CREATE PROJECT p; SHOW PROJECTS; DROP PROJECT p;" in paged


def test_help_that_fits_is_printed(start: Start, tmp_path: Path) -> None:
    pager, caught = capturing_pager(tmp_path)
    mc = start(rows=40, PAGER=pager)
    out = run(mc, "\\help \\q")
    assert "\\q, \\quit" in out
    assert not caught.exists()


def test_snowflake_help_summary_lists_the_database_statements(tmp_path: Path) -> None:
    done = batch(tmp_path, "--dialect", "snowflake", "-e", "\\help")
    assert done.returncode == 0, done.stderr
    assert "CREATE [OR REPLACE] DATABASE|SCHEMA|TABLE" in done.stdout
    assert "SHOW TABLES|SCHEMAS|DATABASES" in done.stdout
    assert "UNDROP TABLE|SCHEMA|DATABASE" in done.stdout
    assert "PROJECT" not in done.stdout
