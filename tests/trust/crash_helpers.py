"""The trust harnesses in scripts/ (crash.py, concurrency.py) loaded as modules, for
tests/trust. Not a test module."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def load_script(name: str) -> ModuleType:
    """scripts/<name>.py as a module (scripts/ goes on sys.path: concurrency.py imports
    crash.py as its neighbour)."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    return importlib.import_module(name)


def load_crash() -> ModuleType:
    """scripts/crash.py."""
    return load_script("crash")
