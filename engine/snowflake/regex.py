"""Snowflake's regular expression functions with their full parameter lists: REGEXP_SUBSTR
and REGEXP_SUBSTR_ALL (position, occurrence, parameters, group), REGEXP_LIKE / RLIKE with
parameters, and REGEXP_REPLACE of one occurrence. Snowflake's parameters (`c`, `i`, `m`, `s`,
`e`) become RE2's inline flags, which mean what Snowflake's do: `m` lets ^ and $ match at line
breaks, `s` lets . match a newline."""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast


def parameters(e: ast.FuncCall, index: int) -> tuple[str, bool]:
    """The parameters argument at `index` (default 'c') as (RE2 inline flags, whether `e`
    asks for a sub-match)."""
    if index >= len(e.args):
        return "", False
    arg = e.args[index]
    if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
        raise SemanticError("semantic", arg.span, message="regex parameters must be a constant")
    case = ""
    flags = ""
    for ch in str(arg.value):
        if ch in "ci":
            case = ch
        elif ch in "ms" and ch not in flags:
            flags += ch
        elif ch != "e":
            raise SemanticError("semantic", arg.span, message=f"invalid regex parameter '{ch}'")
    flags += "i" if case == "i" else ""
    return flags, "e" in str(arg.value)


def pattern(t: Translator, e: ast.FuncCall, args: LazyArgs, flags: str) -> str:
    """The pattern with its flags inline (`(?i)…`)."""
    return f"({t.param(f'(?{flags})')} || {args[1]})" if flags else args[1]


def _int(e: ast.FuncCall, args: LazyArgs, index: int, default: int) -> str:
    if index >= len(e.args):
        return str(default)
    return f"CAST({args[index]} AS BIGINT)"


def _group(e: ast.FuncCall, index: int, sub: bool) -> int:
    """The group number: given (a constant), 1 with the `e` parameter, else the whole match."""
    if index >= len(e.args):
        return 1 if sub else 0
    arg = e.args[index]
    if not (isinstance(arg, ast.Literal) and arg.kind == "integer"):
        raise SemanticError("semantic", arg.span, message="group_num must be a constant integer")
    return int(str(arg.value))


def _matches(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    """Every match (or the group's part of it) from `position` on, as a DuckDB list."""
    flags, sub = parameters(e, 4)
    group = _group(e, 5, sub)
    subject = f"substr(CAST({args[0]} AS VARCHAR), {_int(e, args, 2, 1)})"
    return f"regexp_extract_all({subject}, {pattern(t, e, args, flags)}, {group})"


def regexp_substr(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REGEXP_SUBSTR(subject, pattern [, position [, occurrence [, parameters [, group]]]]):
    # the occurrence-th match, NULL when there is none (REGEXP_SUBSTR docs).
    need(e, args, 2, 3, 4, 5, 6)
    found = _matches(t, e, args)
    n = _int(e, args, 3, 1)
    return f"(CASE WHEN {args[1]} IS NULL THEN NULL ELSE ({found})[{n}] END)"


def regexp_substr_all(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REGEXP_SUBSTR_ALL(…): the matches from the occurrence-th on, as an ARRAY.
    need(e, args, 2, 3, 4, 5, 6)
    found = _matches(t, e, args)
    n = _int(e, args, 3, 1)
    return (
        f"(CASE WHEN {args[0]} IS NULL OR {args[1]} IS NULL THEN NULL "
        f"ELSE CAST(to_json(({found})[{n}:]) AS JSON) END)"
    )


def regexp_like(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REGEXP_LIKE(subject, pattern [, parameters]): the whole subject matches.
    need(e, args, 2, 3)
    flags, _sub = parameters(e, 2)
    return f"regexp_full_match(CAST({args[0]} AS VARCHAR), {pattern(t, e, args, flags)})"


def replace_occurrence(
    t: Translator, e: ast.FuncCall, args: LazyArgs, subject: str, occurrence: int
) -> str:
    """REGEXP_REPLACE of the occurrence-th match only: the text before it is matched lazily
    (n - 1 matches, then the shortest run) and kept as group 1; the replacement's own groups
    move up by one."""
    replacement = e.args[2] if len(e.args) > 2 else None
    text = ""
    if replacement is not None:
        if not (isinstance(replacement, ast.Literal) and replacement.kind == "string"):
            raise UnsupportedError(
                "unsupported",
                replacement.span,
                message="REGEXP_REPLACE of one occurrence with a computed replacement",
            )
        text = str(replacement.value)
    shifted = ""
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1].isdigit():
            shifted += f"\\{int(text[i + 1]) + 1}"
            i += 2
        else:
            shifted += text[i]
            i += 1
    flags, _sub = parameters(e, 5)
    head = t.param(f"{f'(?{flags})' if flags else ''}^((?:[\\s\\S]*?(?:")
    middle = t.param(f")){{{occurrence - 1}}}[\\s\\S]*?)(?:")
    regex = f"({head} || {args[1]} || {middle} || {args[1]} || ')')"
    return f"regexp_replace({subject}, {regex}, {t.param(chr(92) + '1' + shifted)})"


FUNCTIONS: dict[str, FunctionRule] = {
    "regexp_substr": regexp_substr,
    "regexp_substr_all": regexp_substr_all,
    "regexp_extract_all": regexp_substr_all,
    "regexp_like": regexp_like,
    "rlike": regexp_like,
}
