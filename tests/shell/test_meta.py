"""Meta-commands as functions of a RunContext: `\\set`, `\\timing`, `\\pager`, `\\refresh`,
`\\login`'s refresh, `\\help` and `\\help STATEMENT`, and the argument splitting."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from shell_fakes import FakeSession

from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.batch import run_text
from cloneshell.shell.context import OutputState, RunContext
from cloneshell.shell.help.maxcompute import BOOK, HELP
from cloneshell.shell.meta import COMMANDS, parse_clock_offset, run_meta


class Recorder:
    """Just enough of the REPL's hooks for meta-commands: counts refreshes, keeps what it was
    asked to show (the REPL's show() pages it)."""

    refreshed = 0

    def __init__(self) -> None:
        self.shown: list[str] = []

    def refresh(self) -> None:
        self.refreshed += 1

    def show(self, text: str) -> None:
        self.shown.append(text)


def context(ui: object | None = None) -> tuple[RunContext, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return RunContext(FakeSession(), OutputState(), out, err, ui=ui, run_text=run_text), out, err  # type: ignore[arg-type]


def test_set_lists_shows_and_changes_settings() -> None:
    ctx, out, _ = context()
    run_meta(ctx, "\\set")
    assert out.getvalue() == (
        "format                 box\n"
        "timing                 off\n"
        "pager                  on\n"
        "confirm                on\n"
        "editing_mode           emacs\n"
        "echo                   off\n"
        "row_count              off\n"
        "variable_substitution  off\n"
    )
    run_meta(ctx, "\\set editing_mode vi")
    run_meta(ctx, "\\set timing ON")
    run_meta(ctx, "\\set confirm=off")
    run_meta(ctx, "\\set format vertical")
    run_meta(ctx, "\\set pager false")
    s = ctx.state
    assert (s.editing_mode, s.timing, s.confirm, s.fmt, s.pager) == (
        "vi",
        True,
        False,
        "vertical",
        False,
    )
    out.truncate(0)
    out.seek(0)
    run_meta(ctx, "\\set editing-mode")
    assert out.getvalue() == "editing_mode  vi\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("\\set colour on", "unknown setting 'colour'"),
        ("\\set timing maybe", "timing must be on or off"),
        ("\\set format xml", "format must be one of box, csv, tsv, json, vertical"),
        ("\\set editing_mode nano", "editing_mode must be emacs or vi"),
        ("\\set a b c", "usage: \\set [KEY [VALUE]]"),
    ],
)
def test_set_refuses_what_it_does_not_know(line: str, message: str) -> None:
    ctx, _, _ = context()
    with pytest.raises(CloneshellError, match=message.replace("\\", "\\\\").replace("[", "\\[")):
        run_meta(ctx, line)


def test_timing_and_pager_toggle_without_an_argument() -> None:
    ctx, _, err = context()
    run_meta(ctx, "\\timing")
    run_meta(ctx, "\\timing")
    run_meta(ctx, "\\timing on")
    run_meta(ctx, "\\pager")
    assert err.getvalue() == ("Timing is on.\nTiming is off.\nTiming is on.\nPager is off.\n")
    assert ctx.state.timing and not ctx.state.pager


def test_refresh_and_login_reload_completion_at_a_terminal() -> None:
    ui = Recorder()
    ctx, _, err = context(ui)
    run_meta(ctx, "\\refresh")
    run_meta(ctx, "\\login RAM$owner@aliyun.com:dev1")
    assert ui.refreshed == 2
    assert err.getvalue() == "Refreshing completions in the background.\nOK\n"
    script_ctx, _, script_err = context()
    run_meta(script_ctx, "\\refresh")  # a script has nothing to refresh, and says nothing
    assert script_err.getvalue() == ""


def test_help_clone_explains_the_statement() -> None:
    ctx, out, _ = context()
    run_meta(ctx, "\\help CLONE")
    text = out.getvalue()
    assert text.startswith("CLONE TABLE [project.]src [PARTITION (col = value, ...)")
    assert "IF EXISTS OVERWRITE  replaces the table" in text
    assert "Select on the source table; CreateTable and CreateInstance" in text


@pytest.mark.parametrize(
    ("topic", "entry"),
    [
        ("create", "CREATE"),
        ("describe", "DESC"),
        ("REVOKE", "GRANT"),
        ("remove user", "ADD"),
        ("clone table;", "CLONE"),
        ("set", "SET"),  # the SQL statement, not \set
    ],
)
def test_help_topics_and_aliases(topic: str, entry: str) -> None:
    assert BOOK.lookup(topic) == HELP[entry]


def test_every_statement_the_brief_names_has_help() -> None:
    for word in ("CLONE", "CREATE", "INSERT", "SELECT", "GRANT", "ADD", "SET", "USE", "DESC"):
        assert word in HELP
    for word in ("SHOW", "DROP", "ALTER", "TRUNCATE", "LIST", "WHOAMI"):
        assert word in HELP
    assert all(max(len(line) for line in text.splitlines()) <= 100 for text in HELP.values())


def test_help_on_a_meta_command_and_unknown_topics() -> None:
    ctx, out, _ = context()
    run_meta(ctx, "\\help \\o")
    assert out.getvalue() == (
        "\\o, \\out, \\spool [FILE]\n"
        "  also append results to FILE; \\o alone (SnowSQL: !spool off) stops\n"
    )
    with pytest.raises(
        CloneshellError, match="no help for 'FROBNICATE' in MaxCompute; try one of: ADD"
    ):
        run_meta(ctx, "\\help FROBNICATE")


def test_help_lists_every_command_and_the_keys_only_at_a_terminal() -> None:
    ctx, out, _ = context()
    run_meta(ctx, "\\help")
    listing = out.getvalue()
    for name in ("\\timing", "\\pager", "\\o, \\out", "\\i, \\include", "\\set", "\\refresh"):
        assert name in listing
    assert "Keys at the prompt" not in listing
    ui = Recorder()
    ctx, out, _ = context(ui)
    run_meta(ctx, "\\help")
    assert "Alt-Enter       a new line, always" in "".join(ui.shown)


def test_quoted_arguments_keep_spaces_and_backslashes() -> None:
    seen: list[list[str]] = []
    COMMANDS["__probe"] = COMMANDS["whoami"].__class__(
        "__probe", (), "", "", lambda ctx, args: seen.append(args)
    )
    try:
        ctx, _, _ = context()
        run_meta(ctx, '\\__probe "my file.sql" C:\\tmp\\x `RAM$a:role/r`')
        run_meta(ctx, "\\__probe it's")  # an unbalanced quote: split on blanks
    finally:
        del COMMANDS["__probe"]
    assert seen == [["my file.sql", "C:\\tmp\\x", "`RAM$a:role/r`"], ["it's"]]


# ---------------------------------------------------------------------------------------------
# \dialect and \clock


class DialectClockSession(FakeSession):
    """A fake session with a dialect and a frozen clock, recording switches and moves."""

    def __init__(self) -> None:
        super().__init__()
        from cloneshell.engine.core.clock import FixedClock

        self.dialect_name = "maxcompute"
        self.clock = FixedClock(datetime(2024, 1, 15, 10))
        self.frozen = True

    def switch_dialect(self, name: str) -> None:
        self.calls.append(f"switch {name}")
        self.dialect_name = name

    def move_clock(self, delta: timedelta) -> datetime:
        if not self.frozen:
            raise CloneshellError("the session clock is real time")
        self.clock.advance(delta)
        return self.clock.now()

    def set_clock(self, instant: datetime) -> datetime:
        self.clock.set(instant)
        return self.clock.now()


def clock_context(ui: object | None = None) -> tuple[RunContext, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    session = DialectClockSession()
    return RunContext(session, OutputState(), out, err, ui=ui, run_text=run_text), out, err  # type: ignore[arg-type]


def test_dialect_shows_and_switches() -> None:
    recorder = Recorder()
    ctx, out, err = clock_context(recorder)
    assert run_meta(ctx, "\\dialect")
    assert out.getvalue() == "dialect: maxcompute\n"
    assert run_meta(ctx, "\\dialect Snowflake")
    assert ctx.session.dialect_name == "snowflake"  # type: ignore[attr-defined]
    assert "switch snowflake" in ctx.session.calls  # type: ignore[attr-defined]
    assert recorder.refreshed == 1
    with pytest.raises(CloneshellError, match=r"usage: \\dialect maxcompute\|snowflake"):
        run_meta(ctx, "\\dialect oracle")


def test_clock_shows_moves_and_sets() -> None:
    ctx, out, err = clock_context()
    run_meta(ctx, "\\clock")
    assert out.getvalue() == "clock: 2024-01-15 10:00:00 UTC (frozen)\n"
    for line, shown in [
        ("\\clock +30m", "2024-01-15 10:30:00"),
        ("\\clock -1h", "2024-01-15 09:30:00"),
        ("\\clock +45s", "2024-01-15 09:30:45"),
        ("\\clock +2d", "2024-01-17 09:30:45"),
        ("\\clock 2024-01-15T11:00:00", "2024-01-15 11:00:00"),
        ("\\clock 2024-01-15 12:00:00", "2024-01-15 12:00:00"),
        ("\\clock +1h30m", "2024-01-15 13:30:00"),
    ]:
        err.truncate(0)
        err.seek(0)
        assert run_meta(ctx, line)
        assert err.getvalue() == f"Clock set to {shown} UTC.\n"


@pytest.mark.parametrize("arg", ["30m", "+30x", "tomorrow", "+", "2024-13-01"])
def test_clock_refuses_what_it_cannot_read(arg: str) -> None:
    ctx, _, _ = clock_context()
    with pytest.raises(CloneshellError, match=r"usage: \\clock"):
        run_meta(ctx, f"\\clock {arg}")


def test_clock_on_a_real_clock_reports_the_engine_error() -> None:
    ctx, _, _ = clock_context()
    ctx.session.frozen = False  # type: ignore[attr-defined]
    with pytest.raises(CloneshellError, match="real time"):
        run_meta(ctx, "\\clock +1m")


def test_parse_clock_offset() -> None:
    assert parse_clock_offset("+30m") == timedelta(minutes=30)
    assert parse_clock_offset("-1h") == -timedelta(hours=1)
    assert parse_clock_offset("+1d2h") == timedelta(days=1, hours=2)
    assert parse_clock_offset("2024-01-15") is None


def test_meta_commands_without_session_support_fail_clearly() -> None:
    ctx, out, _ = context()
    run_meta(ctx, "\\dialect")
    assert out.getvalue() == "dialect: maxcompute\n"
    with pytest.raises(CloneshellError, match="cannot switch"):
        run_meta(ctx, "\\dialect snowflake")
    with pytest.raises(CloneshellError, match="no clock"):
        run_meta(ctx, "\\clock")
    with pytest.raises(CloneshellError, match="cannot be moved"):
        run_meta(ctx, "\\clock +1m")


def test_help_lists_clock_and_dialect() -> None:
    ctx, out, _ = context()
    run_meta(ctx, "\\help")
    assert "\\clock [+30m|-1h|+45s|+2d|INSTANT]" in out.getvalue()
    assert "\\dialect [maxcompute|snowflake]" in out.getvalue()
