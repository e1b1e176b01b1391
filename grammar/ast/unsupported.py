"""Statements the emulator parses only to refuse them by name (CREATE WAREHOUSE, SHOW ICEBERG
TABLES, GET @stage …): valid Snowflake, on objects it does not have."""

from __future__ import annotations

from cloneshell.grammar.ast.base import Statement
from cloneshell.grammar.records import node


@node
class Unsupported(Statement):
    """A statement that is not emulated; `feature` names it (`CREATE WAREHOUSE`)."""

    feature: str
