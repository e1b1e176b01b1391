"""The handler registry: a statement imports only the module of its own handler, and the table
that says which module that is matches what the modules register."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

from cloneshell.engine.core import dispatch
from cloneshell.engine.core.errors import UnsupportedError
from cloneshell.engine.maxcompute import handlers as mc_handlers
from cloneshell.engine.snowflake import handlers as sf_handlers
from cloneshell.grammar import ast


def test_handler_modules_lists_every_module_of_the_package() -> None:
    found = {
        f"{package.__name__.removeprefix('cloneshell.engine.')}.{m.name}"
        for package in (mc_handlers, sf_handlers)
        for m in pkgutil.iter_modules(package.__path__)
    }
    assert set(dispatch.HANDLER_MODULES) == found


def test_the_module_table_matches_the_registrations() -> None:
    dispatch._load_all()
    registered = {
        (d, kind.__name__): fn.__module__.removeprefix("cloneshell.engine.")
        for (d, kind), fn in dispatch._HANDLERS.items()
    }
    table = {
        (d, name): module
        for d, names in dispatch._MODULES.items()
        for name, module in names.items()
    }
    missing = sorted(set(registered) - set(table))
    assert not missing, "add to dispatch._MODULES: " + ", ".join(
        f'{d}: "{name}": "{registered[(d, name)]}"' for d, name in missing
    )
    assert table == registered


def test_a_statement_loads_only_its_own_handler_module() -> None:
    code = (
        "import sys\n"
        "from cloneshell.engine.core.dispatch import handler_for\n"
        "from cloneshell.grammar import ast\n"
        "q = ast.QueryStmt(query=ast.Query(body=ast.Select(items=())))\n"
        "assert handler_for(q).__module__ == 'cloneshell.engine.maxcompute.handlers.dml'\n"
        "print(sorted(m for m in sys.modules if '.handlers.' in m))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['cloneshell.engine.maxcompute.handlers.dml']"]


def test_a_statement_of_the_other_dialect_is_named_as_such() -> None:
    stmt = ast.UseObject(kind="DATABASE", name=ast.QualifiedName(parts=(ast.Ident(name="d"),)))
    with pytest.raises(UnsupportedError, match="is a Snowflake statement"):
        dispatch.handler_for(stmt, "maxcompute")
