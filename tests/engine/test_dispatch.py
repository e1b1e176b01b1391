"""The handler tables: each dialect's `HANDLERS` is the one registry; every entry names a real
handler in that dialect's room (or the shared core.handlers); a statement imports only the
module of its own handler."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from cloneshell.engine.core import dialects, dispatch
from cloneshell.engine.core.errors import UnsupportedError
from cloneshell.grammar import ast


@pytest.mark.parametrize("name", dialects.NAMES)
def test_every_entry_names_a_handler_of_its_own_room(name: str) -> None:
    dialect = dialects.get(name)
    assert dialect.handlers, name
    for kind, target in dialect.handlers.items():
        module = target.partition(":")[0]
        assert module.startswith((f"{name}.handlers.", "core.handlers")), (kind, target)
        fn = dispatch.resolve(target)
        params = list(inspect.signature(fn).parameters)
        assert len(params) == 2, (kind, target)


def test_every_statement_class_runs_in_some_dialect() -> None:
    statements = {
        c
        for c in vars(ast).values()
        if isinstance(c, type) and issubclass(c, ast.Statement) and c is not ast.Statement
    }
    handled = {k for n in dialects.NAMES for k in dialects.get(n).handlers}
    assert not sorted(c.__name__ for c in statements - handled)


def test_a_statement_loads_only_its_own_handler_module() -> None:
    code = (
        "import sys\n"
        "from cloneshell.engine.core import dialects\n"
        "from cloneshell.engine.core.dispatch import handler_for\n"
        "from cloneshell.grammar import ast\n"
        "q = ast.QueryStmt(query=ast.Query(body=ast.Select(items=())))\n"
        "fn = handler_for(q, dialects.get('maxcompute'))\n"
        "assert fn.__module__ == 'cloneshell.engine.maxcompute.handlers.dml'\n"
        "print(sorted(m for m in sys.modules if '.handlers.' in m))\n"
        "print(sorted(m for m in sys.modules if m.startswith('cloneshell.engine.snowflake')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["['cloneshell.engine.maxcompute.handlers.dml']", "[]"]


def test_a_statement_of_the_other_dialect_is_named_as_such() -> None:
    stmt = ast.UseObject(kind="DATABASE", name=ast.QualifiedName(parts=(ast.Ident(name="d"),)))
    with pytest.raises(UnsupportedError, match="is a Snowflake statement"):
        dispatch.handler_for(stmt, dialects.get("maxcompute"))
