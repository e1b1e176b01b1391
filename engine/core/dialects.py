"""The one place that knows which dialects exist: each dialect package builds its `Dialect`
(engine/<name>/dialect.py), imported here on first use so a MaxCompute run never loads the
Snowflake package. This is the composition point the import contracts allow core to use."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cloneshell.engine.core.dialect import Dialect

NAMES = ("maxcompute", "snowflake")


def get(name: str) -> Dialect:
    """The dialect called `name` (one of NAMES)."""
    dialect: Dialect = importlib.import_module(f"cloneshell.engine.{name}.dialect").DIALECT
    return dialect


def known(name: str) -> bool:
    """Whether `name` is a dialect."""
    return name in NAMES
