"""Rendering an engine error in a dialect's words: a new error with structured fields, the
original left as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cloneshell.engine as engine_package
from cloneshell.engine.core import dialects
from cloneshell.engine.core.errors import CatalogError, ErrorKind
from cloneshell.grammar.errors import Span, SqlSyntaxError

MAXCOMPUTE = dialects.get("maxcompute")
SNOWFLAKE = dialects.get("snowflake")


def test_rendering_leaves_the_error_as_it_was() -> None:
    err = CatalogError("table_not_found", Span(0, 1, 1, 15, 1, 16), name="p.t")
    before = dict(err.__dict__)
    mc = MAXCOMPUTE.render_error(err)
    sf = SNOWFLAKE.render_error(err)
    assert err.__dict__ == before and err.dialect == "" and err.code == ""
    assert (mc.dialect, mc.code, mc.sqlstate) == ("maxcompute", "ODPS-0130131", "")
    assert mc.text == "ODPS-0130131:[1,15] Table not found - table p.t cannot be resolved"
    assert (sf.dialect, sf.code, sf.sqlstate) == ("snowflake", "002003", "42S02")
    assert sf.text.startswith("002003 (42S02): SQL compilation error:")
    assert type(mc) is type(sf) is CatalogError and mc.kind == "table_not_found"


def test_a_syntax_error_gets_its_hint_on_the_copy_only() -> None:
    err = SqlSyntaxError("x", Span(0, 1, 1, 1, 1, 2), "x", expected=("SELECT",))
    rendered = SNOWFLAKE.render_error(err)
    assert rendered.hint == "expected SELECT" and err.hint is None
    assert (rendered.code, rendered.sqlstate) == ("001003", "42000")


@pytest.mark.parametrize("name", dialects.NAMES)
def test_every_error_kind_has_an_entry_in_each_dialect(name: str) -> None:
    table = dialects.get(name).errors
    assert set(table) == {k.value for k in ErrorKind}


def test_an_unknown_kind_fails_when_raised() -> None:
    with pytest.raises(ValueError):
        CatalogError("no_such_kind")


def test_every_kind_raised_in_the_engine_is_a_known_kind() -> None:
    # A static scan of the raise sites: `SomethingError("kind", …)` with a literal kind.
    root = Path(engine_package.__file__).parent
    pattern = re.compile(r"\b(?:\w+Error|EngineError)\(\s*\"([a-z_]+)\"")
    raised = {m.group(1) for f in root.rglob("*.py") for m in pattern.finditer(f.read_text())}
    assert raised, "the scan found no raise sites"
    assert raised <= {k.value for k in ErrorKind}, raised - {k.value for k in ErrorKind}
