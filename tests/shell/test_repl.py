"""The interactive shell in a real pseudo-terminal (pexpect), over a fake session: banner,
prompt, Enter that waits for `;`, pasted statements, errors, Ctrl-C, `\\q` and Ctrl-D."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from cloneshell.shell.repl import should_submit, split_trailing_meta

DRIVER = Path(__file__).with_name("repl_driver.py")
PROMPT = "odps@ my_project> "


def send_control(child: pexpect.spawn, key: str) -> None:
    """Send Ctrl-<key> once the prompt is reading in raw mode: the prompt text appears a moment
    before that, and a control character sent in between is taken by the tty driver."""
    time.sleep(0.3)
    child.sendcontrol(key)


@pytest.fixture
def shell(isolated_env: Path) -> Iterator[pexpect.spawn]:
    env = dict(os.environ, TERM="dumb", PROMPT_TOOLKIT_NO_CPR="1", NO_COLOR="1")
    child = pexpect.spawn(
        sys.executable,
        [str(DRIVER)],
        env=env,
        encoding="utf-8",
        timeout=15,
        dimensions=(40, 120),
    )
    child.expect_exact("Type \\help for help.")
    child.expect_exact(PROMPT)
    yield child
    child.close(force=True)


def test_statement_runs_on_enter_after_semicolon(shell: pexpect.spawn) -> None:
    shell.send("SELECT 1;\r")
    shell.expect_exact("| 1  | 2024-01-15 |")
    shell.expect_exact(PROMPT)


def test_enter_inside_a_statement_continues_it(shell: pexpect.spawn) -> None:
    shell.send("SELECT\r")
    shell.send("  1\r")
    shell.send(";\r")
    shell.expect_exact("| id | d          |")
    shell.expect_exact(PROMPT)


def test_pasted_statements_each_run(shell: pexpect.spawn) -> None:
    shell.send("USE a; SELECT 2;\r")
    shell.expect_exact("OK")
    shell.expect_exact("| 1  | 2024-01-15 |")
    shell.expect_exact(PROMPT)


def test_error_is_shown_with_caret_and_the_shell_goes_on(shell: pexpect.spawn) -> None:
    shell.send("BAD;\r")
    shell.expect_exact("FAILED: P:Parse exception - invalid token")
    shell.expect_exact("at statement 1, line 1 of <input>")
    shell.expect_exact(PROMPT)
    shell.send("\\whoami\r")
    shell.expect_exact("Name: ALIYUN$odps_user@aliyun.com")


def test_ctrl_c_clears_the_buffer(shell: pexpect.spawn) -> None:
    shell.send("SELECT half")
    send_control(shell, "c")
    shell.expect_exact(PROMPT)
    shell.send("\\whoami\r")
    shell.expect_exact("Project: my_project")


def test_meta_command_inside_an_open_statement_keeps_the_statement(shell: pexpect.spawn) -> None:
    shell.send("SELECT\r")
    shell.send("\\whoami\r")
    shell.expect_exact("Name: ALIYUN$odps_user@aliyun.com")
    shell.expect_exact(PROMPT)
    shell.send(" 3;\r")
    shell.expect_exact("| 1  | 2024-01-15 |")


@pytest.mark.parametrize("stop", ["\\q\r", "quit;\r", "exit\r"])
def test_quit_commands_exit_0(shell: pexpect.spawn, stop: str) -> None:
    shell.send(stop)
    shell.expect(pexpect.EOF)
    shell.close()
    assert shell.exitstatus == 0


def test_ctrl_d_exits_0(shell: pexpect.spawn) -> None:
    send_control(shell, "d")
    shell.expect(pexpect.EOF)
    shell.close()
    assert shell.exitstatus == 0


def test_should_submit() -> None:
    assert should_submit("")
    assert should_submit("SELECT 1;")
    assert should_submit("SELECT 1; SELECT 2;")
    assert should_submit("\\whoami")
    assert should_submit("SELECT\n\\q")
    assert should_submit("exit")
    assert not should_submit("SELECT 1")
    assert not should_submit("SELECT ';")
    assert not should_submit("SELECT 1; SELECT")


def test_split_trailing_meta() -> None:
    assert split_trailing_meta("SELECT\n\\whoami") == ("SELECT", "\\whoami")
    assert split_trailing_meta("SELECT 1;\n\\whoami") == ("", "SELECT 1;\n\\whoami")
    assert split_trailing_meta("\\whoami") == ("", "\\whoami")
