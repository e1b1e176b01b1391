"""Snowflake's date and time parts (docs: "Supported date and time parts"): every name and
abbreviation, which functions accept which part, and the DuckDB SQL that extracts, adds,
counts and truncates by one. Parts follow the default session parameters WEEK_START = 0 and
WEEK_OF_YEAR_POLICY = 0 (weeks start on Monday; week 1 is ISO's)."""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.grammar import ast

# canonical part -> its abbreviations and variations (the docs' table)
_ALIASES = {
    "year": "y yy yyy yyyy yr years yrs",
    "month": "mm mon mons months",
    "day": "d dd days dayofmonth",
    "dayofweek": "weekday dow dw",
    "dayofweekiso": "weekday_iso dow_iso dw_iso dayofweek_iso",
    "dayofyear": "yearday doy dy",
    "week": "w wk weekofyear woy wy",
    "weekiso": "week_iso weekofyeariso weekofyear_iso",
    "quarter": "q qtr qtrs quarters",
    "yearofweek": "",
    "yearofweekiso": "",
    "hour": "h hh hr hours hrs",
    "minute": "m mi min minutes mins",
    "second": "s sec seconds secs",
    "millisecond": "ms msec milliseconds",
    "microsecond": "us usec microseconds",
    "nanosecond": "ns nsec nanosec nsecond nanoseconds nanosecs nseconds",
    "epoch_second": "epoch epoch_seconds",
    "epoch_millisecond": "epoch_milliseconds",
    "epoch_microsecond": "epoch_microseconds",
    "epoch_nanosecond": "epoch_nanoseconds",
    "timezone_hour": "tzh",
    "timezone_minute": "tzm",
}
PARTS: dict[str, str] = {}
for _canonical, _names in _ALIASES.items():
    PARTS[_canonical] = _canonical
    PARTS.update(dict.fromkeys(_names.split(), _canonical))

# The parts DATEADD, DATEDIFF and DATE_TRUNC take; LAST_DAY's.
_INTERVAL_LIST = "year quarter month week day hour minute second millisecond microsecond nanosecond"
INTERVAL_PARTS = frozenset(_INTERVAL_LIST.split())
LAST_DAY_PARTS = frozenset({"year", "quarter", "month", "week"})
# The parts that keep a DATE a DATE when added.
DATE_PARTS = frozenset({"year", "quarter", "month", "week", "day"})

# DATE_PART / EXTRACT: part -> DuckDB SQL over `{x}` (BIGINT).
_EXTRACT = {
    "year": "year({x})",
    "month": "month({x})",
    "day": "day({x})",
    "dayofweek": "dayofweek({x})",
    "dayofweekiso": "isodow({x})",
    "dayofyear": "dayofyear({x})",
    "week": "week({x})",
    "weekiso": "week({x})",
    "quarter": "quarter({x})",
    "yearofweek": "isoyear({x})",
    "yearofweekiso": "isoyear({x})",
    "hour": "hour({x})",
    "minute": "minute({x})",
    "second": "second({x})",
    "millisecond": "(date_part('millisecond', {x}) % 1000)",
    "microsecond": "(date_part('microsecond', {x}) % 1000000)",
    "nanosecond": "(((epoch_ns(CAST({x} AS TIMESTAMP_NS)) % 1000000000) + 1000000000)"
    " % 1000000000)",
    "epoch_second": "CAST(floor(epoch(CAST({x} AS TIMESTAMP))) AS BIGINT)",
    "epoch_millisecond": "epoch_ms(CAST({x} AS TIMESTAMP))",
    "epoch_microsecond": "epoch_us(CAST({x} AS TIMESTAMP))",
    "epoch_nanosecond": "epoch_ns(CAST({x} AS TIMESTAMP_NS))",
}


def word(arg: ast.Expr) -> str | None:
    """A part written as a bare word (`minute`) or a constant string ('minute'), as written."""
    if isinstance(arg, ast.ColumnRef) and len(arg.parts) == 1:
        return arg.parts[0].name
    if isinstance(arg, ast.Literal) and arg.kind == "string":
        return str(arg.value)
    return None


def part(arg: ast.Expr, allowed: frozenset[str] | None = None) -> str:
    """The canonical part an argument names; refused when unknown or not in `allowed`."""
    written = word(arg)
    canonical = PARTS.get(written.lower()) if written is not None else None
    if canonical is None or (allowed is not None and canonical not in allowed):
        raise SemanticError("semantic", arg.span, message=f"invalid date part {written or ''}")
    return canonical


def extract(canonical: str, x: str, span: ast.Span) -> str:
    """DuckDB SQL for DATE_PART(canonical, x), a BIGINT."""
    template = _EXTRACT.get(canonical)
    if template is None:  # timezone parts: timestamps are stored without a zone (README)
        raise UnsupportedError("unsupported", span, message=f"date part {canonical.upper()}")
    return f"CAST({template.format(x=x)} AS BIGINT)"


def interval(canonical: str, n: str) -> str:
    """A DuckDB interval of `n` parts (nanoseconds: whole microseconds)."""
    if canonical == "quarter":
        return f"to_months(3 * {n})"
    if canonical == "nanosecond":
        return f"to_microseconds({n} // 1000)"
    return f"to_{canonical}s({n})"


def diff(canonical: str, a: str, b: str) -> str:
    """DATEDIFF(canonical, a, b): the part boundaries crossed from a to b."""
    if canonical == "week":  # weeks start on Monday; DuckDB counts whole weeks
        return (
            f"(date_diff('day', date_trunc('week', CAST({a} AS TIMESTAMP)), "
            f"date_trunc('week', CAST({b} AS TIMESTAMP))) // 7)"
        )
    if canonical == "nanosecond":
        return f"(epoch_ns(CAST({b} AS TIMESTAMP_NS)) - epoch_ns(CAST({a} AS TIMESTAMP_NS)))"
    return f"date_diff('{canonical}', {a}, {b})"


def trunc_unit(canonical: str) -> str:
    """DuckDB's date_trunc unit (nanoseconds: microseconds, the stored precision)."""
    return "microsecond" if canonical == "nanosecond" else canonical
