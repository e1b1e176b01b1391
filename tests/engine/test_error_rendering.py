"""Rendering an engine error in a dialect's words: a new error with structured fields, the
original left as it was."""

from __future__ import annotations

from cloneshell.engine.core.dialect import MAXCOMPUTE, SNOWFLAKE
from cloneshell.engine.core.errors import CatalogError
from cloneshell.grammar.errors import Span, SqlSyntaxError


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
