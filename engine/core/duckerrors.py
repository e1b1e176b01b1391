"""DuckDB failures as coded engine errors in the user's words: which of the user's function calls
a DuckDB message is about (DuckDB names its own functions, operators and types, never the
user's), and what the failure means, so that no DuckDB function name, type name or phrase ever
reaches a user."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cloneshell.engine.core import macros, strings
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import EngineError, ExecutionError, SemanticError
from cloneshell.grammar import ast

# One translated call of the statement: the user's call and the DuckDB SQL made of it, in the
# order they were made (inner calls before the calls around them: arguments come first).
Call = tuple[ast.FuncCall, str]

_COLUMN_NOT_FOUND = re.compile(r'Referenced column "([^"]+)" (?:was )?not found')
_NO_COLUMN = re.compile(
    r'(?:Values list|Table(?: with name)?) "([^"]+)" does not have a column named "([^"]+)"'
)
_NO_TABLE = re.compile(r'Referenced table "([^"]+)" not found')
_AMBIGUOUS = re.compile(r'Ambiguous reference to column name "([^"]+)"')
_NOT_GROUPED = re.compile(r'column "([^"]+)" must appear in the GROUP BY clause')
_NOT_CONVERTED = re.compile(r"""Could not convert string (?:"(.*)"|'(.*)') to ([A-Z_0-9]+)""")
_BAD_JSON = re.compile(r"Malformed JSON at (byte \d+) of input: ([^.]*)")
_MACRO_ARGS = re.compile(r"Macro (\w+)\(\) does not support the supplied arguments")
_BAD_TIME = re.compile(r'invalid (timestamp|date|time) field format: "(.*?)"')

# DuckDB's ways of saying "these arguments do not suit this function": the culprit DuckDB
# function or operator (a regular expression group), or a word the culprit's SQL contains.
_ARGUMENT_ERRORS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"No function matches the given name and argument types '(\S+?)\("), None),
    (
        re.compile(r'Could not choose a best candidate function for the function call "(\S+?)\('),
        None,
    ),
    (re.compile(r"Macro (\w+)\(\) does not support the supplied arguments"), None),
    (re.compile(r"(?:Scalar|Aggregate|Table) Function with name (\w+) does not exist"), None),
    (re.compile(r"^(\w+)\(\) "), None),  # `to_json() takes exactly one argument`
    (re.compile(r"Unimplemented type for cast"), "cast"),
    (re.compile(r"Cannot mix values of type .* in CASE expression"), "case"),
    (re.compile(r"Cannot mix values of type .* in COALESCE operator"), "coalesce"),
    (re.compile(r"Cannot compare values of type"), ""),
    (re.compile(r"Cannot mix values of type"), ""),
    (re.compile(r"collations are only supported"), "collate"),
    (re.compile(r"No matching aggregate function"), ""),
    (re.compile(r"must be a constant"), ""),
    (re.compile(r"Invalid (?:type|argument) for"), ""),
    (re.compile(r"can only take parameters in range"), ""),
    (re.compile(r"No function matches"), ""),
)

# DuckDB's names of number types, as SQL names them (a conversion error names its target).
_TYPE_NAMES = {
    "INT8": "TINYINT",
    "INT16": "SMALLINT",
    "INT32": "INTEGER",
    "INT64": "BIGINT",
    "INT128": "NUMBER",
    "HUGEINT": "NUMBER",
    "UINT8": "NUMBER",
    "UINT16": "NUMBER",
    "UINT32": "NUMBER",
    "UINT64": "NUMBER",
    "UBIGINT": "NUMBER",
    "DOUBLE": "DOUBLE",
    "FLOAT": "FLOAT",
}


def from_duckdb(exc: duckdb.Error, stmt: ast.Statement, calls: Sequence[Call] = ()) -> EngineError:
    """A DuckDB failure as a coded engine error, pointing at the user's text where possible.
    `calls`: the statement's translated function calls, to name the user's function that a
    message about one of DuckDB's functions is about."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    first = re.sub(r"^[A-Za-z ]+Error: ", "", first)
    if isinstance(exc, (duckdb.BinderException, duckdb.CatalogException)):
        found = _binder(first, stmt)
        if found is not None:
            return found
    limit = strings.MARKER_RE.search(first)
    if limit:
        return ExecutionError("string_too_long", size=limit.group(1), limit=limit.group(2))
    if "Division by zero" in first:
        return ExecutionError("division_by_zero", message="Division by zero")
    m = _NOT_CONVERTED.search(first)
    if m:
        value = m.group(1) if m.group(1) is not None else m.group(2)
        target = m.group(3)
        kind = (
            "timestamp_not_recognized"
            if "TIME" in target or "DATE" in target
            else ("numeric_not_recognized")
        )
        if target.startswith(("VARCHAR", "BLOB")):
            kind = "execution"
        shown = _TYPE_NAMES.get(target, target)
        column = re.search(r"when casting from source column (\w+)", first)
        where = f" when casting from source column {column.group(1)}" if column else ""
        message = f"Could not convert string '{value}' to {shown}{where}"
        return ExecutionError(kind, message=message, value=value)
    m = _BAD_JSON.search(first)
    if m:
        return ExecutionError(
            "copy_json", message=first, value=f"{m.group(2)}, {m.group(1)}", detail=""
        )
    m = _BAD_TIME.search(first)
    if m:
        kind = "date_not_recognized" if m.group(1) == "date" else "timestamp_not_recognized"
        return ExecutionError(kind, message=f"Cannot convert '{m.group(2)}'", value=m.group(2))
    m = _MACRO_ARGS.search(first)
    if m and m.group(1) in macros.ARGUMENT_ERRORS:
        return SemanticError("semantic", stmt.span, message=macros.ARGUMENT_ERRORS[m.group(1)])
    for pattern, word in _ARGUMENT_ERRORS:
        m = pattern.search(first)
        if m:
            return _argument_types(stmt, calls, m.group(1) if word is None else word)
    if isinstance(exc, duckdb.OutOfRangeException):
        return ExecutionError("execution", message="Number out of representable range")
    if isinstance(exc, duckdb.ParserException):
        # SQL the translation made that DuckDB cannot read: the innermost call is at fault.
        near = re.search(r'at or near "([^"]*)"', first)
        return _argument_types(stmt, calls, near.group(1) if near else "")
    if isinstance(exc, (duckdb.BinderException, duckdb.CatalogException)):
        return SemanticError("semantic", stmt.span, message=_plain(first, "invalid expression"))
    call = _culprit(stmt, calls, "")
    if call is not None:
        return ExecutionError(
            "execution", message=f"Invalid argument for function '{_shown(call)}': {_plain(first)}"
        )
    return ExecutionError("execution", message=_plain(first))


def _binder(first: str, stmt: ast.Statement) -> EngineError | None:
    """A binder message about names (columns, tables) in the user's words, else None."""
    m = _COLUMN_NOT_FOUND.search(first)
    if m:
        span = _find_column(stmt, m.group(1)) or stmt.span
        return SemanticError("column_not_found", span, name=m.group(1))
    m = _NO_COLUMN.search(first)
    if m:
        name = f"{m.group(1)}.{m.group(2)}"
        span = _find_column(stmt, m.group(2)) or stmt.span
        return SemanticError("column_not_found", span, name=name)
    m = _NO_TABLE.search(first)
    if m:
        ref = _find_qualified(stmt, m.group(1))
        shown = ".".join(p.name for p in ref.parts) if ref is not None else m.group(1)
        return SemanticError(
            "column_not_found", ref.span if ref is not None else stmt.span, name=shown.upper()
        )
    m = re.search(r"Collation with name (\S+) does not exist", first)
    if m:
        return SemanticError("semantic", stmt.span, message=f"invalid collation '{m.group(1)}'")
    m = _AMBIGUOUS.search(first)
    if m:
        return SemanticError("semantic", stmt.span, message=f"ambiguous column name '{m.group(1)}'")
    m = _NOT_GROUPED.search(first)
    if m:
        return SemanticError(
            "semantic", stmt.span, message=f"'{m.group(1)}' is not a valid group by expression"
        )
    return None


def _argument_types(stmt: ast.Statement, calls: Sequence[Call], token: str) -> EngineError:
    """Invalid argument types for the user's call that DuckDB's `token` (its function, operator
    or a word of its SQL) belongs to."""
    call = _culprit(stmt, calls, token)
    if call is not None:
        return SemanticError("argument_types", call.span, name=_shown(call))
    if token and not token.isidentifier() and token in _source_ops(stmt):
        return SemanticError("argument_types", stmt.span, name=token)
    return SemanticError("semantic", stmt.span, message="invalid argument types")


def _culprit(stmt: ast.Statement, calls: Sequence[Call], token: str) -> ast.FuncCall | None:
    """The user's call a DuckDB message is about: the innermost translated call whose SQL holds
    `token`; a call of that name in the statement; else the innermost translated call."""
    if token:
        word = token.lower()
        ident = word.isidentifier()
        for call, sql in calls:
            text = sql.lower()
            if ident and re.search(rf"(?<![\w$]){re.escape(word)}\s*\(", text):
                return call
            if not ident and word in text:
                return call
        named = _find_call(stmt, token) if ident else None
        if named is not None:
            return named
    return calls[0][0] if calls else None


def _shown(call: ast.FuncCall) -> str:
    return ".".join(p.name for p in call.name.parts).upper()


def _plain(message: str, instead: str = "invalid argument value") -> str:
    """A DuckDB message kept only when it names nothing of DuckDB's (its type names, its
    functions); else `instead`, a plain statement of the failure."""
    if re.search(r"[A-Z_]+_LITERAL|INT\d+|HUGEINT|BLOB|[a-z_]+\(|Error|DuckDB|duckdb|!$", message):
        return instead
    return message


def _source_ops(stmt: ast.Statement) -> set[str]:
    ops: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, (ast.BinaryOp, ast.UnaryOp)):
            ops.add(node.op)
        for child in _children(node):
            walk(child)

    walk(stmt)
    return ops


def _children(node: object) -> tuple[object, ...]:
    if isinstance(node, ast.Node):
        return tuple(getattr(node, slot) for slot in _slots(type(node)))
    if isinstance(node, tuple):
        return node
    return ()


def _find_column(node: object, name: str) -> ast.Span | None:
    """The span of the first column reference named `name` in an AST."""
    if isinstance(node, ast.ColumnRef) and node.parts[-1].name.lower() == name.lower():
        return node.span
    for child in _children(node):
        found = _find_column(child, name)
        if found is not None:
            return found
    return None


def _find_qualified(node: object, qualifier: str) -> ast.ColumnRef | None:
    """The first column reference qualified by `qualifier` (`a.x` for `a`)."""
    if (
        isinstance(node, ast.ColumnRef)
        and len(node.parts) > 1
        and node.parts[-2].name.lower() == qualifier.lower()
    ):
        return node
    for child in _children(node):
        found = _find_qualified(child, qualifier)
        if found is not None:
            return found
    return None


def _find_call(node: object, name: str) -> ast.FuncCall | None:
    """The first call of function `name` in an AST (the innermost first, as DuckDB binds)."""
    for child in _children(node):
        found = _find_call(child, name)
        if found is not None:
            return found
    if isinstance(node, ast.FuncCall) and node.name.parts[-1].name.lower() == name.lower():
        return node
    return None


def _slots(cls: type) -> list[str]:
    names: list[str] = []
    for klass in cls.__mro__:
        names.extend(getattr(klass, "__slots__", ()))
    return [n for n in names if n != "span"]
