"""The settings file: where it lives, reading it (bad keys warn, never stop the shell), the
commented default, and the command line winning over it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from shell_fakes import FakeSession

from cloneshell.shell import settings
from cloneshell.shell.config import explicit_options, parse_args
from cloneshell.shell.main import main


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("CLONESHELL_WAREHOUSE", raising=False)
    return tmp_path / "config"


def write(config_home: Path, text: str) -> Path:
    path = config_home / "cloneshell" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_path_follows_xdg_config_home(config_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.config_path() == config_home / "cloneshell" / "config.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")  # ignored, per the XDG spec
    assert settings.config_path() == Path.home() / ".config" / "cloneshell" / "config.toml"


def test_missing_file_gives_the_defaults(config_home: Path) -> None:
    loaded = settings.load()
    assert loaded == settings.Settings()
    assert (loaded.format, loaded.editing_mode, loaded.pager, loaded.confirm) == (
        None,
        "emacs",
        True,
        True,
    )
    assert loaded.history_size == 10_000 and not loaded.warnings


def test_every_key_is_read(config_home: Path) -> None:
    write(
        config_home,
        """
        warehouse = "~/wh"
        principal = "RAM$owner@aliyun.com:dev1"
        project = "proj_b"
        format = "Vertical"
        editing_mode = "vi"
        pager = false
        pager_command = "less -S"
        confirm = false
        timing = true
        color = false
        syntax_style = "monokai"
        history_size = 50
        auto_suggest = false
        complete_while_typing = false
        """,
    )
    loaded = settings.load()
    assert loaded.warnings == ()
    assert loaded == settings.Settings(
        warehouse="~/wh",
        principal="RAM$owner@aliyun.com:dev1",
        project="proj_b",
        format="vertical",
        editing_mode="vi",
        pager=False,
        pager_command="less -S",
        confirm=False,
        timing=True,
        color=False,
        syntax_style="monokai",
        history_size=50,
        auto_suggest=False,
        complete_while_typing=False,
    )


def test_bad_values_are_skipped_with_a_warning(config_home: Path) -> None:
    path = write(
        config_home,
        'format = "xml"\ntiming = "yes"\nhistory_size = -1\ncolour = true\nconfirm = false\n',
    )
    loaded = settings.load()
    assert loaded.confirm is False  # the good key still counts
    assert loaded.format is None and loaded.timing is False
    assert loaded.history_size == 10_000
    assert loaded.warnings == (
        f"{path}: format must be one of box, csv, tsv, json, vertical, jsonl, markdown, "
        "github; ignored",
        f"{path}: timing must be true or false; ignored",
        f"{path}: history_size must be a whole number, 0 or more; ignored",
        f"{path}: unknown setting 'colour'; ignored",
    )


def test_a_file_that_is_not_toml_warns_and_uses_the_defaults(config_home: Path) -> None:
    write(config_home, "format = \n")
    loaded = settings.load()
    assert len(loaded.warnings) == 1 and "not valid TOML" in loaded.warnings[0]
    assert loaded.format is None


def test_default_file_is_written_once_and_is_valid_commented_toml(config_home: Path) -> None:
    assert settings.write_default()
    path = settings.config_path()
    text = path.read_text()
    assert tomllib.loads(text) == {}  # every setting is commented out
    for key in ("format", "editing_mode", "pager", "confirm", "timing", "history_size"):
        assert f"# {key} = " in text
    # Uncommenting any line gives a valid setting.
    lines = [line[2:] for line in text.splitlines() if line.startswith("# ") and " = " in line]
    assert settings.from_mapping(tomllib.loads("\n".join(lines))).warnings == ()
    path.write_text('format = "csv"\n')
    assert not settings.write_default()  # never overwritten
    assert path.read_text() == 'format = "csv"\n'


def test_file_fills_in_what_the_command_line_left_out(
    config_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    loaded = settings.from_mapping(
        {
            "warehouse": str(tmp_path / "wh"),
            "principal": "ALIYUN$a",
            "project": "p",
            "format": "csv",
        }
    )
    argv: list[str] = []
    config = settings.apply_to_config(parse_args(argv), explicit_options(argv), loaded)
    assert (config.warehouse, config.user, config.project, config.fmt) == (
        tmp_path / "wh",
        "ALIYUN$a",
        "p",
        "csv",
    )
    argv = ["-w", str(tmp_path / "flag"), "-u", "ALIYUN$b", "-p", "q", "--format", "box"]
    config = settings.apply_to_config(parse_args(argv), explicit_options(argv), loaded)
    assert (config.warehouse, config.user, config.project, config.fmt) == (
        tmp_path / "flag",
        "ALIYUN$b",
        "q",
        "box",
    )
    monkeypatch.setenv("CLONESHELL_WAREHOUSE", str(tmp_path / "env"))
    config = settings.apply_to_config(parse_args([]), explicit_options([]), loaded)
    assert config.warehouse == tmp_path / "env"  # the environment beats the file too


def test_color_false_in_the_file_turns_colour_off(config_home: Path) -> None:
    config = settings.apply_to_config(
        parse_args([]), explicit_options([]), settings.Settings(color=False)
    )
    assert config.color is False


def test_scripts_ignore_the_settings_file(
    config_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(config_home, 'format = "csv"\nproject = "elsewhere"\n')
    seen = []

    def opener(config: object) -> FakeSession:
        seen.append(config)
        return FakeSession()

    assert main(["-e", "SELECT 1;"], open_session=opener) == 0
    assert seen[0].fmt == "box" and seen[0].project is None  # type: ignore[attr-defined]
