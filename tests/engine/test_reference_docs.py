"""README's statement and function reference is complete and current: every statement kind a
dialect's handlers run has a row in docs/reference/<dialect>.toml, every function the dialect's
tables define is in one family there, and README.md's generated tables are what
docs/make_reference.py makes of them."""

from __future__ import annotations

import importlib.util
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cloneshell.engine import function_names
from cloneshell.engine.core import dialects
from cloneshell.grammar import ast

ROOT = Path(__file__).resolve().parents[2]
DIALECTS = ("maxcompute", "snowflake")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_reference", ROOT / "docs/make_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def _kinds(cls: type[ast.Statement]) -> tuple[str, ...]:
    """The values of a statement class's `kind` field (a Literal), or () if it has none."""
    # The AST's names first: a module's own imports win (its `Literal` may be typing's, while
    # the AST package's `Literal` is the literal node).
    namespace: dict[str, Any] = dict(vars(ast))
    for base in reversed(cls.__mro__):
        namespace.update(vars(sys.modules[base.__module__]))
    hint = typing.get_type_hints(cls, globalns=namespace).get("kind")
    return typing.get_args(hint) if hint is not None else ()


def required_keys(dialect: str) -> set[str]:
    """Every statement kind the dialect's handlers run: `Class`, or `Class:KIND` per kind."""
    keys: set[str] = set()
    for cls in dialects.get(dialect).handlers:
        kinds = _kinds(cls)
        keys |= {f"{cls.__name__}:{k}" for k in kinds} if kinds else {cls.__name__}
    return keys


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_statement_kind_has_one_row(dialect: str) -> None:
    rows = GEN.load(dialect)["statement"]
    covered = [key for row in rows for key in row["covers"]]
    required = required_keys(dialect)
    missing = sorted(required - set(covered))
    unknown = sorted(set(covered) - required)
    twice = sorted({k for k in covered if covered.count(k) > 1})
    where = f"docs/reference/{dialect}.toml"
    assert not missing, f"add a [[statement]] row (or a `covers` key) in {where} for {missing}"
    assert not unknown, f"{where} covers keys no handler runs: {unknown}"
    assert not twice, f"{where} covers these keys in more than one row: {twice}"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_rows_are_well_formed(dialect: str) -> None:
    for row in GEN.load(dialect)["statement"]:
        assert row["status"] in GEN.STATUS, row
        assert row["synopsis"] and all(isinstance(s, str) and s for s in row["synopsis"]), row
        doc = row.get("doc", "")
        assert doc == "" or doc.startswith("https://"), row
        # A row the vendor has a page for links it; extensions and refusals may have none.
        assert doc or row["status"] in ("extension", "refused", "other dialect"), row


def _defined_functions(dialect: str) -> set[str]:
    translation = dialects.get(dialect).translation
    return set(function_names(dialect)) | set(translation.table_functions)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_function_is_in_one_family(dialect: str) -> None:
    families = GEN.load(dialect)["family"]
    listed = [name for fam in families for name in fam["functions"].split()]
    defined = _defined_functions(dialect)
    where = f"docs/reference/{dialect}.toml"
    missing = sorted(defined - set(listed))
    unknown = sorted(set(listed) - defined)
    twice = sorted({n for n in listed if listed.count(n) > 1})
    assert not missing, f"add these functions to a [[family]] of {where}: {missing}"
    assert not unknown, f"{where} lists functions the dialect does not define: {unknown}"
    assert not twice, f"{where} lists these functions in more than one family: {twice}"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_family_tests_exist(dialect: str) -> None:
    for fam in GEN.load(dialect)["family"]:
        for path in fam.get("tests", []):
            assert (ROOT / path).is_file(), f"{fam['name']}: no test file {path}"


def test_readme_is_generated_from_the_reference() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert GEN.render(readme) == readme, (
        "README.md is stale: run .venv/bin/python docs/make_reference.py"
    )


def test_generated_cells_escape_pipes() -> None:
    # A synopsis is written with plain `|`; inside a Markdown table it must be `\|`.
    table = GEN.statements_table(
        {"statement": [{"synopsis": ["A | B"], "status": "emulated", "notes": "x|y"}]}
    )
    assert "| `A \\| B` | yes | x\\|y |  |" in table
