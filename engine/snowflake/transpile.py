"""Snowflake function calls that sqlglot translates to DuckDB: the allowlist of names and the
rule that turns one call into DuckDB SQL through a cached template.

sqlglot (pinned in pyproject.toml) is imported on the first call of an allowlisted function, so a
statement whose functions are all in the hand-written tables never loads it. Only the call is
handed over, never a query: each argument is either a placeholder for the SQL the translator
already made, or, when it is a constant (a format model, a unit, a rounding mode), its value, so
that sqlglot can convert it. Every string literal in sqlglot's output is bound as a parameter.
Each allowlisted name is pinned by doc-example tests (tests/engine/test_sf_functions_docs.py):
sqlglot is not always right, and a name whose mapping is wrong belongs in functions.py instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from cloneshell.engine.core.errors import UnsupportedError
from cloneshell.engine.core.translate import FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from sqlglot import exp

# Words that may stand bare as an argument (a date part: `DATE_PART(year, d)`), handed over as
# written; where sqlglot keeps one as a column, it is the column it names.
_WORD_LIST = """year years y yy yyy yyyy yr yrs quarter quarters q qtr qtrs month months mm mon mons
    week weeks w wk weekofyear woy wy weekday dayofweek dw dow dayofweekiso dow_iso weekiso
    day days d dd dayofmonth dayofyear yearday doy dy hour hours h hh hr hrs minute minutes
    m mi min mins second seconds s sec secs millisecond milliseconds ms msec microsecond
    microseconds us usec nanosecond nanoseconds ns nsec epoch_second epoch epoch_seconds
    epoch_millisecond epoch_milliseconds epoch_microsecond epoch_nanosecond timezone_hour
    timezone_minute yearofweek yearofweekiso"""
_WORDS = frozenset(_WORD_LIST.split())

# The Snowflake functions whose sqlglot mapping the doc-example tests pin.
ALLOWLIST = frozenset(
    {
        # conditional and comparison
        "decode",
        "equal_null",
        "regr_valx",
        # numbers
        "square",
        "cbrt",
        "factorial",
        "degrees",
        "radians",
        "pi",
        "atan2",
        # strings
        "charindex",
        "contains",
        "startswith",
        "endswith",
        "strtok",
        "strtok_to_array",
        "split_to_table",
        "translate",
        "space",
        "editdistance",
        "jarowinkler_similarity",
        "insert",
        "base64_encode",
        "base64_decode_string",
        "try_base64_decode_string",
        "hex_encode",
        "hex_decode_string",
        "sha1",
        "sha1_hex",
        "sha2",
        "sha2_hex",
        "md5_hex",
        "uuid_string",
        "randstr",
        "unicode",
        "regexp_count",
        "regexp_instr",
        "collate",
        # dates and times
        "time_slice",
        "add_months",
        "months_between",
        "date_from_parts",
        "datefromparts",
        "time_from_parts",
        "timefromparts",
        "timestamp_from_parts",
        "timestampfromparts",
        "timestamp_ntz_from_parts",
        "timestamp_tz_from_parts",
        "timestamp_ltz_from_parts",
        "monthname",
        "dayname",
        "dayofyear",
        "dayofweekiso",
        "weekiso",
        "yearofweek",
        "yearofweekiso",
        "next_day",
        "previous_day",
        "convert_timezone",
        "to_time",
        "try_to_date",
        "try_to_time",
        "try_to_timestamp",
        "try_to_timestamp_ntz",
        "try_to_timestamp_ltz",
        "try_to_timestamp_tz",
        "try_to_double",
        "to_double",
        "try_to_boolean",
        "to_boolean",
        "split_part",
    }
)

# Arguments handed over with their type, where sqlglot's mapping depends on it (a format model
# formats a timestamp: TO_CHAR/TO_VARCHAR with a format, which functions.py routes here).
_TYPED = {
    ("to_char", 0): "CAST({} AS TIMESTAMP)",
    ("to_varchar", 0): "CAST({} AS TIMESTAMP)",
    # Snowflake reads a string as a date here; sqlglot's DuckDB SQL needs the cast.
    ("next_day", 0): "CAST({} AS DATE)",
    ("previous_day", 0): "CAST({} AS DATE)",
    ("dayname", 0): "CAST({} AS TIMESTAMP)",
    ("monthname", 0): "CAST({} AS TIMESTAMP)",
    # digests of a number or a date digest its text (SHA1 docs: any value is converted)
    ("sha1", 0): "CAST({} AS VARCHAR)",
    ("sha1_hex", 0): "CAST({} AS VARCHAR)",
    ("sha2", 0): "CAST({} AS VARCHAR)",
    ("sha2_hex", 0): "CAST({} AS VARCHAR)",
}

_MARK = re.compile(r"__cs_(a|s)(\d+)")


@record(frozen=True, slots=True)
class _Template:
    """sqlglot's DuckDB SQL for one shape of call: `__cs_a<i>` marks argument i, `__cs_s<k>`
    the k-th string constant (bound as a parameter)."""

    sql: str
    strings: tuple[str, ...]


def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    """DuckDB SQL for an allowlisted call, from its cached template."""
    name = e.name.parts[0].name.lower()
    pieces: list[str] = []
    shape: list[tuple[str, object]] = []
    for i, arg in enumerate(e.args):
        piece = None if (name, i) in _TYPED else _constant(arg)
        if piece is None:
            piece = _TYPED.get((name, i), "{}").format(f"__cs_a{i}")
            shape.append(("x", i))
        else:
            shape.append(("c", piece))
        pieces.append(piece)
    template = _template(name, tuple(pieces), e.span)

    def fill(m: re.Match[str]) -> str:
        n = int(m.group(2))
        return f"({args[n]})" if m.group(1) == "a" else t.param(template.strings[n])

    return "(" + _MARK.sub(fill, template.sql) + ")"


def _constant(arg: ast.Expr) -> str | None:
    """Snowflake text for a constant argument (a literal or a bare date-part word), else None."""
    if isinstance(arg, ast.Literal):
        match arg.kind:
            case "string":
                return "'" + str(arg.value).replace("\\", "\\\\").replace("'", "''") + "'"
            case "integer" | "decimal" | "float":
                return str(arg.value)
            case "null":
                return "NULL"
            case "boolean":
                return "TRUE" if arg.value else "FALSE"
        return None
    if isinstance(arg, ast.UnaryOp) and arg.op == "-":
        inner = _constant(arg.operand)
        return None if inner is None or not inner[:1].isdigit() else "-" + inner
    if (
        isinstance(arg, ast.ColumnRef)
        and len(arg.parts) == 1
        and not arg.parts[0].quoted
        and arg.parts[0].name.lower() in _WORDS
    ):
        return arg.parts[0].name.lower()
    return None


def _template(name: str, pieces: tuple[str, ...], span: ast.Span) -> _Template:
    try:
        return _cached_template(name, pieces)
    except Exception as exc:  # sqlglot raises its own errors and, on some arities, Python's
        shown = f"{name.upper()}({', '.join('…' if '__cs_' in p else p for p in pieces)})"
        raise UnsupportedError(
            "unsupported", span, message=f"function call {shown} is not supported"
        ) from exc


@lru_cache(maxsize=1024)
def _cached_template(name: str, pieces: tuple[str, ...]) -> _Template:
    import sqlglot  # noqa: PLC0415 — lazily: only allowlisted calls pay for it (~150 ms)
    from sqlglot import exp  # noqa: PLC0415
    from sqlglot.tokenizer_core import TokenType  # noqa: PLC0415

    words = {p: i for i, p in enumerate(pieces) if p in _WORDS}

    def mark(node: exp.Expression) -> exp.Expression:
        # A bare word sqlglot keeps as a column (not a unit) is the column it names.
        if isinstance(node, exp.Column) and not node.table and node.name.lower() in words:
            return exp.column(f"__cs_a{words[node.name.lower()]}")
        return node

    tree = sqlglot.parse_one(f"SELECT {name}({', '.join(pieces)})", read="snowflake")
    sql = tree.transform(mark).sql(dialect="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)
    # Every string literal of the output becomes a parameter.
    out: list[str] = []
    strings: list[str] = []
    end = 0
    for token in sqlglot.Dialect.get_or_raise("duckdb").tokenize(sql):
        if token.token_type == TokenType.STRING:
            out.append(sql[end : token.start])
            strings.append(token.text)
            out.append(f"__cs_s{len(strings) - 1}")
            end = token.end + 1
    out.append(sql[end:])
    body = "".join(out)
    assert body.startswith("SELECT "), body
    return _Template(sql=body[len("SELECT ") :], strings=tuple(strings))


FUNCTIONS: dict[str, FunctionRule] = dict.fromkeys(sorted(ALLOWLIST), rule)
