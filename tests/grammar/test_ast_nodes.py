"""`@node` gives AST classes what `@dataclass(frozen=True, slots=True, kw_only=True)` gave them."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle

import pytest

from cloneshell.grammar import ast
from cloneshell.grammar.errors import Span

SPAN = Span(3, 4, 1, 4, 1, 5)


def _node_classes() -> list[type[ast.Node]]:
    return [
        cls
        for _, cls in inspect.getmembers(ast, inspect.isclass)
        if issubclass(cls, ast.Node) and cls.__module__.startswith(f"{ast.__name__}.")
    ]


def test_every_node_class_is_a_slotted_dataclass_with_span_first() -> None:
    classes = _node_classes()
    assert len(classes) > 80
    for cls in classes:
        assert dataclasses.is_dataclass(cls)
        names = [f.name for f in dataclasses.fields(cls)]
        assert names[0] == "span", cls
        assert all(f.kw_only for f in dataclasses.fields(cls)), cls
        assert "__slots__" in cls.__dict__, cls
        assert cls.__match_args__ == ()


def test_equality_and_hash_ignore_the_span() -> None:
    a = ast.Ident(name="t", span=SPAN)
    b = ast.Ident(name="t")
    assert a == b and hash(a) == hash(b)
    assert a != ast.Ident(name="t", quoted=True)
    assert a != ast.Principal(name="t")  # type: ignore[comparison-overlap]  # another kind
    assert ast.Whoami() == ast.Whoami(span=SPAN)  # no compared field at all
    q = ast.QualifiedName(parts=(a,))
    assert q == ast.QualifiedName(parts=(b,)) and hash(q) == hash(ast.QualifiedName(parts=(b,)))
    assert {a, b, ast.Ident(name="u")} == {b, ast.Ident(name="u")}


def test_repr_matches_dataclass() -> None:
    name = ast.QualifiedName(parts=(ast.Ident(name="p"), ast.Ident(name="t", quoted=True)))
    assert repr(name) == (
        "QualifiedName(parts=(Ident(name='p', quoted=False), Ident(name='t', quoted=True)))"
    )
    assert repr(ast.Whoami(span=SPAN)) == "Whoami()"


def test_keyword_only_required_and_unknown_arguments() -> None:
    with pytest.raises(TypeError):
        ast.Ident("t")  # type: ignore[call-arg, arg-type]
    with pytest.raises(TypeError, match="name"):
        ast.Ident()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="bogus"):
        ast.Ident(name="t", bogus=1)  # type: ignore[call-arg]
    assert ast.Literal(value=1, kind="integer").text == ""  # a default


def test_frozen_and_slotted() -> None:
    ident = ast.Ident(name="t")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ident.name = "u"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del ident.name
    assert not hasattr(ident, "__dict__")


def test_replace_copy_and_pickle() -> None:
    ident = ast.Ident(name="t", span=SPAN)
    changed = dataclasses.replace(ident, quoted=True)
    assert changed.quoted and changed.name == "t" and changed.span == SPAN
    for clone in (copy.copy(ident), copy.deepcopy(ident), pickle.loads(pickle.dumps(ident))):
        assert clone == ident and clone.span == SPAN


def test_a_plain_dataclass_may_extend_a_node() -> None:
    # A statement added with the old `@dataclass(...)` line (say, by a merge) still works.
    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Extra(ast.Statement):
        value: int = 1

    assert [f.name for f in dataclasses.fields(Extra)] == ["span", "value"]
    assert Extra(span=SPAN) == Extra() and Extra(value=2) != Extra()


def test_node_refuses_what_it_does_not_implement() -> None:
    with pytest.raises(TypeError, match="plain default"):

        @ast.node
        class Bad(ast.Node):
            items: tuple[int, ...] = dataclasses.field(default_factory=tuple)
