"""Column types: MaxCompute names -> DuckDB types, and the lower-case names DESC shows.

Mapping from reference/maxcompute.md §5.4. DECIMAL always gets explicit precision and scale:
DuckDB's bare DECIMAL is (18,3), MaxCompute 2.0's is (38,18).
"""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError
from cloneshell.grammar.ast import TypeName

_SIMPLE: dict[str, str] = {
    "tinyint": "TINYINT",
    "smallint": "SMALLINT",
    "int": "INTEGER",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "string": "VARCHAR",
    "binary": "BLOB",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "timestamp": "TIMESTAMP_NS",
    "timestamp_ntz": "TIMESTAMP_NS",
    "json": "JSON",
}

# Display names where MaxCompute spells the type differently from how it was written.
_ALIASES = {"integer": "int"}

# Types a partition column may have (maxcompute.md §5.3).
PARTITION_TYPES = frozenset(
    {"tinyint", "smallint", "int", "integer", "bigint", "char", "varchar", "string"}
)


def to_duckdb(t: TypeName) -> str:
    """The DuckDB type for a MaxCompute type; SemanticError for an unknown or malformed one."""
    name = t.name.lower()
    if name in _SIMPLE and not t.params and not t.args:
        return _SIMPLE[name]
    if name in ("decimal", "numeric"):
        p, s = _decimal_params(t)
        return f"DECIMAL({p},{s})"
    if name in ("varchar", "char"):
        if len(t.params) != 1 or not 1 <= t.params[0] <= 65535:
            raise SemanticError("semantic", t.span, message=f"invalid type {display(t)}")
        if name == "char" and t.params[0] > 255:
            raise SemanticError("semantic", t.span, message=f"invalid type {display(t)}")
        return "VARCHAR"
    if name == "array" and len(t.args) == 1:
        return f"{to_duckdb(t.args[0])}[]"
    if name == "map" and len(t.args) == 2:
        return f"MAP({to_duckdb(t.args[0])}, {to_duckdb(t.args[1])})"
    if name == "struct" and t.fields:
        inner = ", ".join(f'"{n}" {to_duckdb(ft)}' for n, ft in t.fields if '"' not in n)
        return f"STRUCT({inner})"
    raise SemanticError("semantic", t.span, message=f"invalid type {display(t)}")


def _decimal_params(t: TypeName) -> tuple[int, int]:
    if not t.params:
        return 38, 18  # MaxCompute 2.0 default (maxcompute.md §5.4)
    p = t.params[0]
    s = t.params[1] if len(t.params) > 1 else 0
    if len(t.params) > 2 or not 1 <= p <= 38 or not 0 <= s <= min(p, 38):
        raise SemanticError("semantic", t.span, message=f"invalid type {display(t)}")
    return p, s


def display(t: TypeName) -> str:
    """The lower-case type name as DESC prints it (`decimal(10,2)`, `array<bigint>`)."""
    name = _ALIASES.get(t.name.lower(), t.name.lower())
    if name in ("decimal", "numeric"):
        if not t.params:
            return "decimal(38,18)"
        p = t.params[0]
        s = t.params[1] if len(t.params) > 1 else 0
        return f"decimal({p},{s})"
    if t.params:
        return f"{name}({','.join(str(p) for p in t.params)})"
    if t.args:
        return f"{name}<{','.join(display(a) for a in t.args)}>"
    if t.fields:
        return f"{name}<{','.join(f'{n}:{display(ft)}' for n, ft in t.fields)}>"
    return name


def from_duckdb(duck_type: str) -> str:
    """A MaxCompute display name for a DuckDB result type (for CTAS and result headers)."""
    u = duck_type.upper()
    table = {
        "TINYINT": "tinyint",
        "SMALLINT": "smallint",
        "INTEGER": "int",
        "BIGINT": "bigint",
        "HUGEINT": "decimal(38,0)",
        "UTINYINT": "smallint",
        "USMALLINT": "int",
        "UINTEGER": "bigint",
        "UBIGINT": "decimal(20,0)",
        "FLOAT": "float",
        "DOUBLE": "double",
        "BOOLEAN": "boolean",
        "VARCHAR": "string",
        "BLOB": "binary",
        "DATE": "date",
        "TIMESTAMP": "datetime",
        "TIMESTAMP_MS": "datetime",
        "TIMESTAMP_NS": "timestamp",
        "TIMESTAMP_S": "datetime",
        "TIMESTAMP WITH TIME ZONE": "timestamp",
        "JSON": "json",
        "INTERVAL": "string",
        "NULL": "string",
        '"NULL"': "string",
    }
    if u in table:
        return table[u]
    if u.startswith("DECIMAL"):
        return u.lower().replace(" ", "")
    if u.endswith("[]"):
        return f"array<{from_duckdb(u[:-2])}>"
    return u.lower()
