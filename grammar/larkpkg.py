"""Lark's run-time modules without the rest of Lark, until something asks for the rest.

`import lark` runs lark/__init__.py, which imports lark.lark: the grammar compiler
(load_grammar), every parsing algorithm, tempfile, hashlib and more: ~12 ms of every
`cloneshell -e` run (in-process timings, minimum of 15), for a parser that is loaded ready-made
from its snapshot (grammar/snapshot.py) and needs only the lexer, the LALR parser, trees and
exceptions. `defer_lark_package()` registers the `lark` package without running its
`__init__`, so `import lark.lexer` and the like load just those modules; the first lookup of a
name on the package itself (`from lark import Lark`, `lark.__version__`) runs the `__init__`
then, in place, and everything works as after a plain `import lark`. If lark is already
imported, or its package cannot be found the usual way, nothing is changed.

That the run-time modules load without the package's `__init__` is a fact of Lark's layout, not
of its interface: it is relied on only for the minor version it was tested with
(`TESTED_MINOR`, the one pyproject.toml pins), read from the package's `__init__.py` without
running it. Any other version is imported plainly."""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from pathlib import Path
from typing import Any

_LOCK = threading.RLock()
TESTED_MINOR = "1.3"
"""The Lark minor version whose package layout defer_lark_package() was tested with."""
_VERSION = re.compile(r"^__version__\b[^=\n]*=\s*[\"']([0-9]+\.[0-9]+)\.", re.MULTILINE)


def defer_lark_package() -> None:
    """Register `lark` so that its `__init__` runs on the first lookup of a top-level name."""
    with _LOCK:
        if "lark" in sys.modules:
            return
        spec = importlib.util.find_spec("lark")
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            return
        if spec.origin is None or not tested_layout(Path(spec.origin)):
            return
        module = importlib.util.module_from_spec(spec)
        loader = spec.loader

        def finish(name: str) -> Any:
            # Runs at most once: afterwards the package has its names and no __getattr__.
            with _LOCK:
                if module.__dict__.pop("__getattr__", None) is not None:
                    try:
                        loader.exec_module(module)
                    except BaseException:
                        sys.modules.pop("lark", None)  # the next import starts afresh
                        raise
            return module.__dict__[name] if name in module.__dict__ else _missing(name)

        module.__getattr__ = finish  # type: ignore[method-assign]
        sys.modules["lark"] = module


def tested_layout(init_file: Path) -> bool:
    """Whether the lark package whose `__init__.py` is `init_file` is of TESTED_MINOR."""
    try:
        found = _VERSION.search(init_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return False
    return found is not None and found.group(1) == TESTED_MINOR


def _missing(name: str) -> Any:
    raise AttributeError(f"module 'lark' has no attribute {name!r}")


def lark_version_key() -> bytes:
    """What identifies the installed Lark: its `__init__.py`, which holds `__version__` (read
    as a file, so asking does not run it)."""
    module = sys.modules.get("lark")
    spec = getattr(module, "__spec__", None) or importlib.util.find_spec("lark")
    origin = getattr(spec, "origin", None)
    if origin is None:
        return b""
    try:
        return Path(origin).read_bytes()
    except OSError:
        return b""
