"""grammar/records.py: @record and @node behave as the dataclasses they stand for."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import FrozenInstanceError, field
from typing import ClassVar

import pytest

from cloneshell.grammar.records import node, record


@record(frozen=True, slots=True)
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default=(), compare=False, repr=False)


@record(slots=True)
class Bag:
    name: str
    items: list[int] = field(default_factory=list)


@record
class Plain:
    a: int
    b: dict[str, int] = field(default_factory=dict)


@record(frozen=True, slots=True)
class Point3(Point):
    z: int = 0


@node
class Leaf:
    value: int
    label: str = ""


def test_init_takes_fields_by_position_or_keyword_with_defaults() -> None:
    assert (Point(1).x, Point(1).y) == (1, 0)
    assert Point(1, 2) == Point(x=1, y=2)
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, 2, (), 4)  # type: ignore[call-arg]


def test_a_default_factory_gives_each_instance_its_own_value() -> None:
    a, b = Bag("a"), Bag("b")
    a.items.append(1)
    assert (a.items, b.items) == ([1], [])
    assert Bag("c", [5]).items == [5]
    assert Plain(1).b == {} and Plain(1).b is not Plain(1).b


def test_equality_compares_the_compared_fields_of_the_same_class() -> None:
    assert Point(1, 2, ("a",)) == Point(1, 2, ("b",))
    assert Point(1, 2) != Point(1, 3)
    assert Point(1, 2) != Point3(1, 2)
    assert Point(1, 2).__eq__(object()) is NotImplemented


def test_frozen_records_hash_and_refuse_assignment_mutable_ones_do_not_hash() -> None:
    p = Point(1, 2)
    assert hash(p) == hash(Point(1, 2, ("x",)))
    with pytest.raises(FrozenInstanceError):
        p.x = 5  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del p.x  # type: ignore[misc]
    bag = Bag("a")
    bag.name = "b"
    assert bag.name == "b"
    with pytest.raises(TypeError):
        hash(bag)


def test_repr_is_the_dataclass_repr_without_hidden_fields() -> None:
    assert repr(Point(1, 2, ("a",))) == "Point(x=1, y=2)"
    assert repr(Bag("a", [1])) == "Bag(name='a', items=[1])"
    assert repr(Leaf(value=3)) == "Leaf(value=3, label='')"


def test_slots_and_dataclass_functions() -> None:
    assert Point.__slots__ == ("x", "y", "tags")
    assert not hasattr(Point(1), "__dict__")
    with pytest.raises(AttributeError):
        Bag("a").other = 1  # type: ignore[attr-defined]
    assert hasattr(Plain(1), "__dict__")
    assert dataclasses.is_dataclass(Point) and dataclasses.is_dataclass(Leaf)
    assert [f.name for f in dataclasses.fields(Point3)] == ["x", "y", "tags", "z"]
    assert dataclasses.replace(Point3(1, 2, z=3), y=9) == Point3(1, 9, z=3)
    assert dataclasses.asdict(Bag("a", [1])) == {"name": "a", "items": [1]}
    assert Point3.__match_args__ == ("x", "y", "tags", "z")
    match Point(4, 5):
        case Point(x, y):
            assert (x, y) == (4, 5)


def test_nodes_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        Leaf(1)  # type: ignore[misc]
    assert Leaf(value=1) == Leaf(value=1, label="")
    assert Leaf.__match_args__ == ()


def test_frozen_slotted_records_pickle() -> None:
    p = Point3(1, 2, ("t",), 3)
    q = pickle.loads(pickle.dumps(p))
    assert q == p and q.tags == ("t",)


def test_what_is_not_supported_is_refused() -> None:
    with pytest.raises(TypeError, match="ClassVar"):

        @record
        class A:
            n: ClassVar[int] = 0

    with pytest.raises(TypeError, match="init=False"):

        @record
        class B:
            n: int = field(default=0, init=False)


def test_methods_the_class_defines_are_kept() -> None:
    @record(frozen=True)
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert repr(Named("a")) == "<a>"
    assert Named("a") == Named("a") and hash(Named("a")) == hash(Named("a"))


def test_the_packages_use_record_and_the_engines_duckdb_module() -> None:
    # Start-up is budgeted (README "Performance"): a class made by @dataclass costs ~0.6 ms
    # where @record costs a tenth, and `import duckdb` ~75 ms more than engine/core/duck.py's
    # native module. New code follows the same conventions.
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for package in ("grammar", "engine", "shell"):
        for path in sorted((root / package).rglob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                text = line.strip()
                if (
                    text.startswith(("@dataclass(", "@dataclasses.dataclass"))
                    or text == "@dataclass"
                    or (
                        text in ("import duckdb", "from duckdb import *") and path.name != "duck.py"
                    )
                ):
                    offenders.append(f"{path.relative_to(root)}:{number}: {text}")
    assert offenders == []


def test_the_probe_at_import_finds_the_cheap_path_on_this_python() -> None:
    from cloneshell.grammar import records

    assert records.CHEAP is True
    assert "_record_key" in vars(Point) and "_record_key" in vars(Leaf)


def test_where_dataclasses_differ_records_are_plain_dataclasses_that_behave_the_same() -> None:
    # A Python whose dataclasses module no longer has the private marker records.py sets: the
    # probe at import fails, @record and @node fall back to @dataclass, and this whole module
    # (and the AST) behaves the same.
    import subprocess
    import sys
    import textwrap

    from cloneshell.grammar.parser import parse

    sql = "SELECT a, count(*) FROM t WHERE b = 'x' GROUP BY a"
    code = textwrap.dedent(
        f"""
        import dataclasses, sys
        mark = dataclasses._FIELD
        del dataclasses._FIELD
        from cloneshell.grammar import records
        dataclasses._FIELD = mark
        assert records.CHEAP is False
        from cloneshell.grammar import ast
        from cloneshell.grammar.parser import parse
        assert "_record_key" not in vars(ast.Select), "not a plain dataclass"
        print(repr(parse({sql!r})))
        import pytest
        sys.exit(pytest.main(
            [{__file__!r}, "-rA", "-p", "no:cacheprovider", "-k", "not cheap_path and not differ"]
        ))
        """
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[0] == repr(parse(sql))
    passed = [line for line in run.stdout.splitlines() if line.startswith("PASSED ")]
    assert len(passed) >= 11 and "FAILED" not in run.stdout
