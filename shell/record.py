"""Session recording (asciicast v2): `cloneshell --record demo.cast [--play script.sql]`.

Placeholder until the recorder lands: it refuses clearly rather than pretending to record.
"""

from __future__ import annotations

import sys

from cloneshell.shell.config import Config


def run_recording(config: Config, argv: list[str]) -> int:
    """Record the interactive shell to `config.record`; returns the exit code."""
    print("cloneshell: error: --record is not available yet", file=sys.stderr)
    return 2
