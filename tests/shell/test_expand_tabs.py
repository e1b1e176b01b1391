"""Tabs in a Snowflake box cell expand to the next 8-column tab stop, in display columns."""

from __future__ import annotations

from cloneshell.engine import Column
from cloneshell.shell.render.snowflake import format_snowsql_box
from cloneshell.shell.width import display_width, expand_tabs


def test_tabs_go_to_the_next_stop() -> None:
    assert expand_tabs("\tID") == " " * 8 + "ID"
    assert expand_tabs("abc\td") == "abc     d"
    assert expand_tabs("12345678\tx") == "12345678" + " " * 8 + "x"
    assert expand_tabs("no tab") == "no tab"


def test_wide_characters_count_two_columns() -> None:
    assert expand_tabs("名前\t|") == "名前    |"
    assert display_width(expand_tabs("名前\t|")) == 9


def test_a_box_with_tabs_keeps_its_borders_straight() -> None:
    box = format_snowsql_box([Column("D", "VARCHAR")], [("create (\n\tA INT\n);",)])
    widths = {display_width(line) for line in box.splitlines()}
    assert len(widths) == 1 and "\t" not in box
