"""The `KEY = value` properties of a Snowflake table beyond retention and comment (CREATE TABLE
and ALTER TABLE … SET|UNSET), its policies and collations: each property is checked and kept in
the table's properties, or refused by name. CHANGE_TRACKING shows in SHOW TABLES;
MAX_DATA_EXTENSION_TIME_IN_DAYS and ENABLE_SCHEMA_EVOLUTION = FALSE are kept as metadata. A
collation other than Snowflake's default (no collation) and every policy are refused as
unsupported: accepting them would change comparisons or access silently."""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.grammar import ast

CHANGE_TRACKING = "change_tracking"
_BOOLEANS = {"CHANGE_TRACKING": CHANGE_TRACKING, "ENABLE_SCHEMA_EVOLUTION": "schema_evolution"}
_DAYS = {"MAX_DATA_EXTENSION_TIME_IN_DAYS": "max_data_extension_days"}
_COLLATION = "DEFAULT_DDL_COLLATION"
# The collation specifications that are Snowflake's default comparison (none, binary).
_DEFAULT_COLLATIONS = ("", "utf8", "binary")
UNSETTABLE = frozenset((*_BOOLEANS, *_DAYS, _COLLATION))


def properties(options: tuple[ast.ObjectOption, ...]) -> dict[str, str]:
    """The table properties `options` set (checked)."""
    out: dict[str, str] = {}
    for o in options:
        key, value = o.key, o.value
        if key in _BOOLEANS:
            if value.kind != "boolean":
                raise _invalid_value(o)
            if key == "ENABLE_SCHEMA_EVOLUTION" and value.text == "TRUE":
                raise UnsupportedError(
                    "unsupported", o.span, message="ENABLE_SCHEMA_EVOLUTION = TRUE"
                )
            out[_BOOLEANS[key]] = value.text.lower()
        elif key in _DAYS:
            if value.kind != "number" or not value.text.isdigit() or int(value.text) > 90:
                raise _invalid_value(o)
            out[_DAYS[key]] = value.text
        elif key == _COLLATION:
            if value.kind != "string":
                raise _invalid_value(o)
            check_collation(value.text, o.span)
        else:  # STAGE_FILE_FORMAT, STAGE_COPY_OPTIONS: the table stage's loading defaults
            raise UnsupportedError("unsupported", o.span, message=f"table property {key}")
    return out


def unset_keys(names: set[str]) -> set[str]:
    """The properties entries UNSET removes."""
    return {_BOOLEANS.get(n) or _DAYS.get(n) or "" for n in names} - {""}


def check_collation(spec: str, span: ast.Span | None) -> None:
    """A collation the engine compares as Snowflake does: only the default one."""
    if spec.strip().lower() not in _DEFAULT_COLLATIONS:
        raise UnsupportedError("unsupported", span, message=f"collation '{spec}'")


def refuse_policies(policies: tuple[ast.Policy, ...]) -> None:
    """Masking, projection, row access and aggregation policies: not emulated."""
    for p in policies:
        raise UnsupportedError("unsupported", p.span, message=p.kind)


def check_columns(columns: tuple[ast.ColumnDef, ...]) -> None:
    """Column collations and policies (tags are tags.py's)."""
    for c in columns:
        if c.collation is not None:
            check_collation(c.collation, c.span)
        refuse_policies(c.policies)


def _invalid_value(o: ast.ObjectOption) -> SemanticError:
    return SemanticError(
        "invalid", o.value.span, message=f"invalid value for property '{o.key}' for 'TABLE'"
    )
