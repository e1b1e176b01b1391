"""The vendors' string size limit, enforced in the SQL the translator writes.

A dialect's `Translation.max_string_bytes` (Snowflake VARCHAR 16 MB = 16,777,216 bytes,
MaxCompute STRING 8 MB = 8,388,608) bounds every string a function builds. The functions that
can make a string larger than their arguments (REPEAT, LPAD, RPAD, REPLACE, CONCAT, CONCAT_WS,
`||`) get a guard computed from their arguments' sizes *before* the string is built, so
`REPEAT('x', 3000000000)` fails at once with the vendor's error instead of allocating 3 GB.
Sizes are exact (bytes of the result), so a result of exactly the limit passes. Arguments that
are themselves computed are bound once (a one-element list's lambda) so guards nested in
guards do not evaluate their arguments twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# What DuckDB's error() carries, and how the session recognises it (session.from_duckdb).
MARKER = "cloneshell:string_too_long"
MARKER_RE = re.compile(MARKER + r":(\d+):(\d+)")
# The lambda's parameter: in the engine's namespace (no user identifier starts with `__cs`).
_BOUND = "__cs_str"

Size = Callable[[Sequence[str]], str]


def _bytes(x: str) -> str:
    return f"coalesce(CAST(strlen(CAST({x} AS VARCHAR)) AS DOUBLE), 0)"


def _chars(x: str) -> str:
    return f"CAST(length(CAST({x} AS VARCHAR)) AS DOUBLE)"


def _repeat(a: Sequence[str]) -> str:
    return f"({_bytes(a[0])} * greatest(CAST({a[1]} AS DOUBLE), 0))"


def _pad(a: Sequence[str]) -> str:
    # n characters: the base, then the pad repeated and cut (only when it grows the base).
    base, n, pad = a[0], f"CAST({a[1]} AS DOUBLE)", a[2]
    extra = f"({n} - {_chars(base)})"
    unit = f"greatest({_chars(pad)}, 1)"
    whole = f"floor({extra} / {unit}) * {_bytes(pad)}"
    part = f"{_bytes(f'left(CAST({pad} AS VARCHAR), CAST({extra} % {unit} AS BIGINT))')}"
    return f"(CASE WHEN {n} <= {_chars(base)} THEN 0 ELSE {_bytes(base)} + {whole} + {part} END)"


def _replace(a: Sequence[str]) -> str:
    # Grows only when the replacement is longer: count the occurrences (a string no longer
    # than the input) and add what each one grows by.
    s, old, new = a[0], a[1], a[2]
    count = f"(({_bytes(s)} - {_bytes(f'replace({s}, {old}, {chr(39) * 2})')}) / {_bytes(old)})"
    return (
        f"(CASE WHEN {_bytes(new)} <= {_bytes(old)} THEN 0 "
        f"ELSE {_bytes(s)} + {count} * ({_bytes(new)} - {_bytes(old)}) END)"
    )


def _concat(a: Sequence[str]) -> str:
    return "(" + " + ".join(_bytes(x) for x in a) + ")" if a else "0"


def _concat_ws(a: Sequence[str]) -> str:
    if not a:
        return "0"
    return f"({_concat(a[1:])} + {_bytes(a[0])} * {max(len(a) - 2, 0)})"


# Function name (the dialect's, lower case) -> (argument counts guarded, size of the result).
SIZES: dict[str, tuple[frozenset[int] | None, Size]] = {
    "repeat": (frozenset({2}), _repeat),
    "lpad": (frozenset({3}), _pad),
    "rpad": (frozenset({3}), _pad),
    "replace": (frozenset({3}), _replace),
    "concat": (None, _concat),
    "concat_ws": (None, _concat_ws),
}


def guards(name: str, nargs: int) -> bool:
    """True when calls of `name` with `nargs` arguments get a size guard."""
    found = SIZES.get(name)
    # A call without arguments builds nothing to guard (MaxCompute CONCAT() is NULL).
    return nargs > 0 and found is not None and (found[0] is None or nargs in found[0])


def _fail(size: str, limit: int) -> str:
    shown = f"CAST(least({size}, 9.0e18) AS BIGINT)"
    return f"error('{MARKER}:' || {shown} || ':{int(limit)}')"


def guard(
    call: Callable[[Sequence[str]], str],
    size: Size,
    args: Sequence[str],
    limit: int,
    cheap: Sequence[bool],
) -> str:
    """`call(args)` (SQL), failing with the limit's error when `size(args)` bytes exceed
    `limit`. The check gates the call's last argument (not its result), so DuckDB cannot fold
    a constant call such as REPEAT('x', 3000000000) before the check runs. `cheap[i]`: the
    argument is cheap to evaluate twice (a column, a constant) and stays as written (a
    constant stays a constant); the others are bound once."""
    if all(cheap):
        return call(_gated(args, size(args), limit))
    fields = [
        a if ok else f"{_BOUND}.a{i}" for i, (a, ok) in enumerate(zip(args, cheap, strict=True))
    ]
    packed = "{" + ", ".join(f"'a{i}': {a}" for i, a in enumerate(args) if not cheap[i]) + "}"
    body = call(_gated(fields, size(fields), limit))
    return f"list_transform([{packed}], lambda {_BOUND}: {body})[1]"


def _gated(args: Sequence[str], size: str, limit: int) -> list[str]:
    # The last argument: a dialect's rule may need its first one constant (MaxCompute
    # CONCAT_WS over an array hands the separator to string_agg, which takes only constants).
    last = f"(CASE WHEN {size} > {int(limit)} THEN {_fail(size, limit)} ELSE {args[-1]} END)"
    return [*args[:-1], last]
