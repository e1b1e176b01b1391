"""Which statements ask `Confirm to "<stmt>" (yes/no)?` before they run at a terminal: decided
from the parsed statement, never from its text, so `SELECT 'drop table'` does not ask and
`drop   table t` does."""

from __future__ import annotations

from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.parser import parse

# odpscmd asks before DROP, DELETE, REMOVE and ALTER … DROP PARTITION (reference/maxcompute.md
# §2.5); the others destroy data just as surely: TRUNCATE, INSERT OVERWRITE, a clone that
# overwrites, and any CREATE OR REPLACE (a DROP followed by a CREATE). Statements of the
# Snowflake dialect (DELETE, UPDATE, DROP <object>) are looked up by name, so this module works
# with a grammar that has them and with one that does not yet.
_ALWAYS: tuple[type[ast.Statement], ...] = (
    ast.DropTable,
    ast.DropProject,
    ast.DropRole,
    ast.RemoveUser,
    ast.AlterTableDropPartitions,
    ast.TruncateTable,
) + tuple(
    node
    for name in ("Delete", "Update", "DropObject", "RemoveStage")
    if isinstance(node := getattr(ast, name, None), type) and issubclass(node, ast.Statement)
)


def is_destructive_statement(statement: ast.Statement) -> bool:
    """True for a parsed statement that deletes or replaces data, users or objects."""
    if isinstance(statement, _ALWAYS):
        return True
    if isinstance(statement, ast.Insert):
        return statement.overwrite
    if isinstance(statement, ast.CloneTable):
        return statement.if_exists == "OVERWRITE"
    # CREATE OR REPLACE TABLE/DATABASE/SCHEMA/…: every kind that has the flag.
    return getattr(statement, "or_replace", False) is True


def is_destructive(text: str, dialect: str = "maxcompute") -> bool:
    """True when `text` parses and any statement in it is destructive. Text that does not
    parse is not destructive: it is sent as typed, and the engine reports the error."""
    try:
        statements = parse(text, dialect)
    except (CloneshellError, ValueError):
        return False
    return any(is_destructive_statement(s) for s in statements)
