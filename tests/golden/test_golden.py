"""Golden tests: each `case.sql` runs through the same entry point as `cloneshell -f`, on a fresh
warehouse with a fixed clock, frozen timings (`--frozen-timing`) and no colour, with `--echo`;
stdout and stderr are interleaved into one transcript that must equal `case.out` exactly. A
first line `-- args: ...` adds command-line arguments. `pytest --update-golden` rewrites the
.out files."""

from __future__ import annotations

import io
import shlex
import sys
from pathlib import Path

import pytest

from cloneshell.shell.main import main

HERE = Path(__file__).parent
CASES = sorted(HERE.glob("*.sql"))
CLOCK = "2024-01-15T10:00:00"


def transcript(case: Path, warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """Run one script; return what a user would see on the terminal and the exit code."""
    first = case.read_text().splitlines()[0] if case.read_text() else ""
    extra = shlex.split(first.removeprefix("-- args:")) if first.startswith("-- args:") else []
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", out)
    monkeypatch.chdir(case.parent)  # error locations name the script as a user would type it
    code = main(
        [
            "-w",
            str(warehouse),
            "--clock",
            CLOCK,
            "--frozen-timing",
            "--echo",
            "--no-color",
            *extra,
            "-f",
            case.name,
        ]
    )
    return out.getvalue().replace(str(warehouse), "<warehouse>"), code


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    got, code = transcript(case, tmp_path / "wh", monkeypatch)
    got += f"[exit {code}]\n"
    expected = case.with_suffix(".out")
    if request.config.getoption("--update-golden") or not expected.exists():
        expected.write_text(got)
        if not request.config.getoption("--update-golden"):
            pytest.fail(f"{expected.name} did not exist; written for review")
    assert got == expected.read_text()


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 3
