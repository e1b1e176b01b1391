"""Golden tests: each `case.sql` runs through the same entry point as `cloneshell -f`, on a fresh
warehouse with a fixed clock, frozen timings (`--frozen-timing`) and no colour, with `--echo`;
stdout and stderr are interleaved into one transcript that must equal `case.out` exactly. A
first line `-- args: ...` adds command-line arguments. A line `-- session` starts another
session on the same warehouse (a new `cloneshell -f` run of the lines that follow, with the same
arguments; the one before it has ended). `pytest --update-golden` rewrites the .out files."""

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


SESSION = "-- session\n"


def sessions(
    case: Path, warehouse: Path, monkeypatch: pytest.MonkeyPatch, parts_dir: Path
) -> tuple[str, int]:
    """Run a script's sessions one after another (see the module docstring): each part is
    written under `parts_dir` with the case's name, so error locations read as for one file."""
    text = case.read_text()
    if SESSION not in text:
        return transcript(case, warehouse, monkeypatch)
    first = text.splitlines(keepends=True)[0]
    head = first if first.startswith("-- args:") else "\n"
    out, code, line = "", 0, 0
    for i, part in enumerate(text.split(SESSION)):
        part_case = parts_dir / str(i) / case.name
        part_case.parent.mkdir(parents=True)
        # Blank lines keep the part's lines where they are in the case (error locations).
        part_case.write_text(part if i == 0 else head + "\n" * (line - 1) + part)
        line += part.count("\n") + 1
        got, code = transcript(part_case, warehouse, monkeypatch)
        out += got if i == 0 else SESSION + got.removeprefix(first if head == first else "")
    return out, code


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
    got, code = sessions(case, tmp_path / "wh", monkeypatch, tmp_path / "sessions")
    got += f"[exit {code}]\n"
    expected = case.with_suffix(".out")
    if request.config.getoption("--update-golden") or not expected.exists():
        expected.write_text(got)
        if not request.config.getoption("--update-golden"):
            pytest.fail(f"{expected.name} did not exist; written for review")
    assert got == expected.read_text()


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 3
