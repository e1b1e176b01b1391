"""The example scripts in docs/examples run as a newcomer runs them (from the repository root,
through the same entry point as `cloneshell -f`, with a fixed clock), and must print exactly
what tests/golden/examples/NAME.out holds, so they cannot rot. `pytest --update-golden`
rewrites the .out files."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from cloneshell.shell.main import main

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).parent / "examples"
CLOCK = "2024-01-15T10:00:00"
# Example name -> extra command-line arguments.
EXAMPLES: dict[str, list[str]] = {"pipes_and_clones": []}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", out)
    monkeypatch.chdir(ROOT)
    warehouse = tmp_path / "wh"
    script = f"docs/examples/{name}.sql"
    args = [
        "-w",
        str(warehouse),
        "--clock",
        CLOCK,
        "--frozen-timing",
        "--no-color",
        *EXAMPLES[name],
        "-f",
        script,
    ]
    code = main(args)
    got = out.getvalue().replace(str(warehouse), "<warehouse>") + f"[exit {code}]\n"
    expected = EXPECTED / f"{name}.out"
    if request.config.getoption("--update-golden") or not expected.exists():
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(got)
        if not request.config.getoption("--update-golden"):
            pytest.fail(f"{expected.name} did not exist; written for review")
    assert got == expected.read_text()
