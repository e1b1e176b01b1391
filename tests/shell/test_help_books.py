"""Every statement of each dialect has a `\\help` page in that dialect's book, each page has
syntax, rules and an example, and every example parses in its dialect."""

from __future__ import annotations

import pytest

from cloneshell.engine import statement_kinds
from cloneshell.grammar.parser import parse
from cloneshell.shell.dialect import DIALECTS

NAMES = sorted(DIALECTS)


@pytest.mark.parametrize("name", NAMES)
def test_every_statement_kind_has_a_page(name: str) -> None:
    book = DIALECTS[name].help()
    kinds = statement_kinds(name)
    assert kinds, name
    assert sorted(kinds - set(book.kinds)) == []
    assert {page for kind, page in book.kinds.items() if kind in kinds} <= set(book.pages)


@pytest.mark.parametrize("name", NAMES)
def test_every_page_has_syntax_and_an_example_that_parses(name: str) -> None:
    for key, page in DIALECTS[name].help().pages.items():
        assert max(len(line) for line in page.splitlines()) <= 100, key
        head, _, example = page.partition("\nExample:\n")
        assert head and example, f"{key} has no example"
        assert "\n  - " in head, f"{key} states no rule"
        text = "\n".join(line.strip() for line in example.splitlines())
        assert parse(text, name), key
