"""The grammar itself: it loads without conflicts, and every rule has an AST builder."""

from __future__ import annotations

import pytest

from cloneshell.grammar import transformer
from cloneshell.grammar.parser import build_parser, get_parser


def test_grammar_loads_in_strict_mode() -> None:
    # strict=True turns every shift/reduce conflict and terminal collision into an error.
    parser = build_parser(strict=True, cache=False)
    assert parser.options.parser == "lalr"


@pytest.mark.parametrize("dialect", sorted(transformer.BUILDERS))
def test_every_rule_that_makes_a_tree_node_has_a_builder(dialect: str) -> None:
    builder = transformer.BUILDERS[dialect]
    missing = set()
    for rule in get_parser().rules:
        name = str(rule.alias or rule.origin.name)
        if name.startswith("_"):  # inlined into its parent
            continue
        kept = [s for s in rule.expansion if not (s.is_term and s.filter_out)]
        if rule.options.expand1 and not rule.alias and len(kept) <= 1:  # `?rule` with one child
            continue
        if not callable(getattr(builder, name, None)):
            missing.add(name)
    assert not missing


def test_cached_parser_is_one_instance() -> None:
    assert get_parser() is get_parser()
