"""SnowSQL's client variables: `&name` and `&{name}` in a statement are replaced by the value
`-D name=value`, `--variable` or `!define name=value` gave, when `variable_substitution` is on
(`!set variable_substitution=true`, `-o variable_substitution=true`); `&&` stands for a literal
`&`. Names are letters, digits and `_`, case-insensitive. A reference to an undefined variable
fails before the statement runs."""

from __future__ import annotations

import re
from collections.abc import Mapping

from cloneshell.grammar.errors import CloneshellError

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_REFERENCE = re.compile(rf"&&|&\{{({_NAME})\}}|&({_NAME})")
_DEFINITION = re.compile(rf"\s*({_NAME})\s*=(.*)", re.DOTALL)


def substitute(text: str, variables: Mapping[str, str]) -> str:
    """`text` with every `&name` / `&{name}` replaced and `&&` made `&`; raises
    CloneshellError naming the first undefined variable."""

    def value(match: re.Match[str]) -> str:
        if match[0] == "&&":
            return "&"
        name = (match[1] or match[2]).lower()
        if name not in variables:
            raise CloneshellError(
                f"variable '{match[1] or match[2]}' is not defined "
                "(!define NAME=VALUE, or -D NAME=VALUE; !variables lists them)"
            )
        return variables[name]

    return _REFERENCE.sub(value, text)


def parse_definition(text: str) -> tuple[str, str] | None:
    """`name=value` (the value stripped, and unquoted when wrapped in one pair of quotes) as
    (lower-case name, value); None when `text` is no definition."""
    match = _DEFINITION.fullmatch(text)
    if match is None:
        return None
    value = match[2].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return match[1].lower(), value
