"""The client environments scripts/test makes beside `.venv` (`.venv-sf5`, `.venv-snowcli`,
`.venv-dbt`: clients whose dependencies conflict with `.venv`'s), and running a script of
tests/server/clients/ in one of them. A missing environment skips the test when pytest runs
alone, and fails it under scripts/test (which sets CLONESHELL_CLIENT_VENVS=required)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = Path(__file__).resolve().parent / "clients"


def venv_bin(flavour: str, program: str) -> Path:
    """`program` of the `.venv-<flavour>` environment (skips or fails when it is missing)."""
    path = ROOT / f".venv-{flavour}" / "bin" / program
    if not path.exists():
        message = f".venv-{flavour} is missing (scripts/test makes it)"
        if os.environ.get("CLONESHELL_CLIENT_VENVS") == "required":
            pytest.fail(message)
        pytest.skip(message)
    return path


def run_client(flavour: str, script: str, *args: str, timeout: float = 120) -> dict[str, Any]:
    """Run tests/server/clients/<script> with that environment's Python; its JSON output."""
    python = venv_bin(flavour, "python")
    done = subprocess.run(
        [str(python), str(CLIENTS / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
