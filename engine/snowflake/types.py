"""Snowflake column types: the names a user writes -> DuckDB types, and the full names DESC TABLE
shows (`NUMBER(38,0)`, `VARCHAR(16777216)`, `TIMESTAMP_NTZ(9)`; reference/snowflake.md §4.3).

Snowflake's synonyms collapse to a few canonical types (docs: "Summary of data types"):
INT/INTEGER/BIGINT/SMALLINT/TINYINT/BYTEINT are NUMBER(38,0); DECIMAL/NUMERIC are NUMBER;
FLOAT/DOUBLE/REAL are FLOAT; STRING/TEXT are VARCHAR; DATETIME and TIMESTAMP are TIMESTAMP_NTZ.
Timestamps are stored as DuckDB TIMESTAMP in UTC whatever their flavour (the session clock is
UTC; an emulator choice, see README).
"""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.core.result import Column
from cloneshell.grammar.ast import TypeName

MAX_VARCHAR = 16_777_216
MAX_BINARY = 8_388_608

_INTEGERS = {"int", "integer", "bigint", "smallint", "tinyint", "byteint"}
_FLOATS = {"float", "float4", "float8", "double", "real", "double precision"}
_STRINGS = {"varchar", "string", "text", "char", "character", "nchar", "nvarchar", "nvarchar2"}
# The several-word spellings of "Summary of data types" (CHAR VARYING, NATIONAL CHAR, …).
_STRINGS |= {"char varying", "character varying", "nchar varying", "national char varying"}
_STRINGS |= {"national character varying", "national char", "national character"}
_SEMI = {"variant": "VARIANT", "object": "OBJECT", "array": "ARRAY"}
# A MAP's key is text or a whole number (structured types docs).
_MAP_KEYS = {"VARCHAR", "DECIMAL(38,0)"}


def canonical(t: TypeName) -> tuple[str, str]:
    """(display type, DuckDB type) of a Snowflake type; SemanticError if unknown or malformed."""
    name = " ".join(t.name.lower().split())
    params = t.params
    if name in ("number", "decimal", "numeric", "dec"):
        if len(params) > 2:
            raise _bad(t)
        p = params[0] if params else 38
        s = params[1] if len(params) > 1 else 0
        if not 1 <= p <= 38 or not 0 <= s <= p:
            raise _bad(t)
        return f"NUMBER({p},{s})", f"DECIMAL({p},{s})"
    if name in _INTEGERS and not params:
        return "NUMBER(38,0)", "DECIMAL(38,0)"
    if name in _FLOATS and not params:
        return "FLOAT", "DOUBLE"
    if name in _STRINGS:
        if len(params) > 1:
            raise _bad(t)
        fixed = ("char", "character", "nchar", "national char", "national character")
        default = 1 if name in fixed else MAX_VARCHAR
        n = params[0] if params else default
        if not 1 <= n <= MAX_VARCHAR:
            raise _bad(t)
        return f"VARCHAR({n})", "VARCHAR"
    if name in ("binary", "varbinary"):
        n = params[0] if params else MAX_BINARY
        if len(params) > 1 or not 1 <= n <= MAX_BINARY:
            raise _bad(t)
        return f"BINARY({n})", "BLOB"
    if name in ("boolean", "bool") and not params:
        return "BOOLEAN", "BOOLEAN"
    if name == "date" and not params:
        return "DATE", "DATE"
    if name == "time":
        return f"TIME({_precision(t)})", "TIME"
    flavour = {
        "datetime": "NTZ",
        "timestamp": "NTZ",
        "timestamp_ntz": "NTZ",
        "timestampntz": "NTZ",
        "timestamp without time zone": "NTZ",
        "timestamp_ltz": "LTZ",
        "timestampltz": "LTZ",
        "timestamp with local time zone": "LTZ",
        "timestamp_tz": "TZ",
        "timestamptz": "TZ",
        "timestamp with time zone": "TZ",
    }.get(name)
    if flavour is not None:
        return f"TIMESTAMP_{flavour}({_precision(t)})", "TIMESTAMP"
    if name in _SEMI and not params and not t.args and not t.fields:
        return _SEMI[name], "JSON"
    if name in ("array", "map", "object") and not params and (t.args or t.fields):
        # Structured types (ARRAY(INT), MAP(VARCHAR, INT), OBJECT(a INT)) are stored as their
        # semi-structured values; each element type must itself be a Snowflake type.
        if name == "map" and (len(t.args) != 2 or canonical(t.args[0])[1] not in _MAP_KEYS):
            raise _bad(t)
        inner = [canonical(a)[0] for a in t.args]
        inner += [f"{n} {canonical(f)[0]}" for n, f in t.fields]
        return f"{name.upper()}({', '.join(inner)})", "JSON"
    raise _bad(t)


def _precision(t: TypeName) -> int:
    if not t.params:
        return 9
    if len(t.params) != 1 or not 0 <= t.params[0] <= 9:
        raise _bad(t)
    return t.params[0]


def _bad(t: TypeName) -> SemanticError:
    shown = t.name.upper() + (f"({','.join(map(str, t.params))})" if t.params else "")
    return SemanticError("semantic", t.span, message=f"Unsupported data type '{shown}'.")


def to_duckdb(t: TypeName) -> str:
    """The DuckDB type for a Snowflake type."""
    return canonical(t)[1]


def from_duckdb(duck_type: str) -> str:
    """The Snowflake name of a DuckDB result type (for CTAS columns and result headers)."""
    u = duck_type.upper()
    if u.startswith("DECIMAL"):
        inner = u[len("DECIMAL") :].strip("() ")
        return f"NUMBER({inner})" if inner else "NUMBER(38,0)"
    table = {
        "TINYINT": "NUMBER(38,0)",
        "SMALLINT": "NUMBER(38,0)",
        "INTEGER": "NUMBER(38,0)",
        "BIGINT": "NUMBER(38,0)",
        "HUGEINT": "NUMBER(38,0)",
        "UTINYINT": "NUMBER(38,0)",
        "USMALLINT": "NUMBER(38,0)",
        "UINTEGER": "NUMBER(38,0)",
        "UBIGINT": "NUMBER(38,0)",
        "FLOAT": "FLOAT",
        "DOUBLE": "FLOAT",
        "BOOLEAN": "BOOLEAN",
        "VARCHAR": f"VARCHAR({MAX_VARCHAR})",
        "BLOB": f"BINARY({MAX_BINARY})",
        "DATE": "DATE",
        "TIME": "TIME(9)",
        "TIMESTAMP": "TIMESTAMP_NTZ(9)",
        "TIMESTAMP_NS": "TIMESTAMP_NTZ(9)",
        "TIMESTAMP_MS": "TIMESTAMP_NTZ(3)",
        "TIMESTAMP_S": "TIMESTAMP_NTZ(0)",
        "TIMESTAMP WITH TIME ZONE": "TIMESTAMP_TZ(9)",
        "JSON": "VARIANT",
        "INTERVAL": f"VARCHAR({MAX_VARCHAR})",
        "NULL": f"VARCHAR({MAX_VARCHAR})",
        '"NULL"': f"VARCHAR({MAX_VARCHAR})",
    }
    if u in table:
        return table[u]
    if u.endswith("[]") or u.startswith(("STRUCT", "MAP")):
        return "VARIANT"
    return u


def result_column(name: str, duck_type: str) -> Column:
    """A query's result column of DuckDB type `duck_type`: its connector type name, with the
    precision and scale (NUMBER, TIME, TIMESTAMP_*) or length (TEXT, BINARY) of its full type."""
    full = from_duckdb(duck_type)
    base, _, inner = full.partition("(")
    numbers = [int(n) for n in inner.rstrip(")").split(",") if n.strip().isdigit()]
    kind = result_type(duck_type)
    if base == "NUMBER" and len(numbers) == 2:
        return Column(name, kind, precision=numbers[0], scale=numbers[1])
    if kind in ("TEXT", "BINARY") and numbers:
        return Column(name, kind, length=numbers[0])
    if numbers:
        return Column(name, kind, scale=numbers[0])
    return Column(name, kind)


def result_type(duck_type: str) -> str:
    """A result column's type as the Snowflake connector names it (`NUMBER`, `TEXT`, ...)."""
    full = from_duckdb(duck_type)
    base = full.split("(", 1)[0]
    return {"VARCHAR": "TEXT", "BINARY": "BINARY"}.get(base, base)


def type_json(display: str, nullable: bool = True) -> str:
    """A column's type as SHOW COLUMNS' `data_type` prints it: Snowflake's JSON text, such as
    `{"type":"FIXED","precision":38,"scale":0,"nullable":true}` for NUMBER(38,0) and
    `{"type":"TEXT","length":10,"byteLength":40,"nullable":true,"fixed":false}` for VARCHAR(10)."""
    base, _, inner = display.partition("(")
    numbers = [int(n) for n in inner.rstrip(")").split(",") if n.strip().isdigit()]
    null = "true" if nullable else "false"
    if base == "NUMBER":
        p, s = (numbers + [38, 0])[:2] if numbers else (38, 0)
        return f'{{"type":"FIXED","precision":{p},"scale":{s},"nullable":{null}}}'
    if base in ("VARCHAR", "BINARY"):
        n = numbers[0] if numbers else (MAX_VARCHAR if base == "VARCHAR" else MAX_BINARY)
        size = min(4 * n, MAX_VARCHAR) if base == "VARCHAR" else n
        kind = "TEXT" if base == "VARCHAR" else "BINARY"
        return (
            f'{{"type":"{kind}","length":{n},"byteLength":{size},"nullable":{null},"fixed":false}}'
        )
    if base == "FLOAT":
        return f'{{"type":"REAL","nullable":{null}}}'
    if base == "TIME" or base.startswith("TIMESTAMP_"):
        scale = numbers[0] if numbers else 9
        return f'{{"type":"{base}","precision":0,"scale":{scale},"nullable":{null}}}'
    return f'{{"type":"{base}","nullable":{null}}}'
