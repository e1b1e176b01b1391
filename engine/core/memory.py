"""How much memory DuckDB may use in one process: `$CLONESHELL_MEMORY_LIMIT`, else a quarter of
the machine's memory (its cgroup's limit when lower), so one statement cannot take the machine
while several shells run. Past it DuckDB spills to the warehouse's tmp/ or fails the statement
with an out-of-memory error (coded like any execution error)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from cloneshell.engine.core.errors import EngineError

ENV = "CLONESHELL_MEMORY_LIMIT"
DEFAULT_SHARE = 0.25
_FLOOR = 256 << 20  # never less than 256 MB by default (a machine whose memory is unknown)
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB|%)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4}
_UNITS.update({"KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40})


def machine_memory() -> int | None:
    """Bytes of memory this process may use: physical memory, or its cgroup's limit if lower."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None
    try:
        text = Path("/sys/fs/cgroup/memory.max").read_text().strip()
    except OSError:
        text = "max"
    if text.isdigit():
        total = min(total, int(text))
    return total


def memory_limit() -> int:
    """The limit in bytes: `$CLONESHELL_MEMORY_LIMIT` (`4GB`, `512MiB`, `30%` of the machine's
    memory, plain bytes), else DEFAULT_SHARE of the machine's memory."""
    text = os.environ.get(ENV, "").strip()
    total = machine_memory()
    if not text:
        return max(int((total or 0) * DEFAULT_SHARE), _FLOOR)
    m = _SIZE.fullmatch(text)
    if m is None or float(m[1]) <= 0:
        raise EngineError(
            "invalid", message=f"${ENV} must be a size such as 4GB, 512MiB or 30%, not {text!r}"
        )
    unit = (m[2] or "").upper()
    if unit == "%":
        if total is None or float(m[1]) > 100:
            raise EngineError("invalid", message=f"${ENV}={text}: not a share of known memory")
        return max(int(total * float(m[1]) / 100), 1 << 20)
    return max(int(float(m[1]) * _UNITS[unit]), 1 << 20)
