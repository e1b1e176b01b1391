"""Shell test fixtures: every test gets its own warehouse, XDG dirs and no colour settings, so
nothing is read from or written to the real home directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the warehouse and the XDG state/data dirs under tmp_path."""
    monkeypatch.setenv("CLONESHELL_WAREHOUSE", str(tmp_path / "warehouse"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path
