"""Snowflake session variables: `$x` in expressions (the statements that set, unset and show
them are handlers/variables.py; "Variables (session)" in Snowflake's SQL reference).

A variable holds the value its expression had when SET ran (a constant afterwards), with that
value's type; names fold like identifiers (`$x` is `$X`). A `$name` no SET defined fails and
changes nothing. Values live in the session (Session.variables) and end with it.
"""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.core.translate import Translator
from cloneshell.grammar import ast


def reference(tr: Translator, e: ast.SessionVariable) -> str:
    """`$name` in an expression: its value, typed."""
    found = tr.env.variables.get(e.name.upper())
    if found is None:
        raise SemanticError(
            "semantic", e.span, message=f"Session variable '${e.name.upper()}' does not exist"
        )
    value, duck = found
    return f"CAST({tr.param(value)} AS {duck})" if value is not None else f"CAST(NULL AS {duck})"
