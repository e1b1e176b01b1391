"""Snowflake's error texts: one entry per error kind (engine/core/errors.py `ErrorKind`), each
(`code (SQLSTATE)`, unused position flag, message template), and its query ids.

Sources: reference/snowflake.md §3 and §2.3. Bodies may use {line} (1-based) and {pos}
(0-based column) of the error's span.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from cloneshell.engine.core.dialect import ErrorTable
from cloneshell.grammar.errors import Span

_SF_COMPILE = "SQL compilation error:\n"
ERRORS: ErrorTable = {
    "parse": (
        "001003 (42000)",
        False,
        _SF_COMPILE + "syntax error line {line} at position {pos} unexpected '{token}'.",
    ),
    "exists": ("002002 (42710)", False, _SF_COMPILE + "Object '{name}' already exists."),
    # A MERGE joining one target row to several source rows (ERROR_ON_NONDETERMINISTIC_MERGE).
    "duplicate_row": (
        "100090 (42P18)",
        False,
        "Duplicate row detected during DML action\nRow Values: {values}",
    ),
    "wrong_object_type": (
        "002203 (02000)",
        False,
        _SF_COMPILE + "Object found is of type '{found}', not specified type '{expected}'.",
    ),
    "object_not_found": (
        "002003 (42S02)",
        False,
        _SF_COMPILE + "Object '{name}' does not exist or not authorized.",
    ),
    "schema_not_found": (
        "002003 (02000)",
        False,
        _SF_COMPILE + "Schema '{name}' does not exist or not authorized.",
    ),
    # SHOW … IN SCHEMA of a missing schema (dbt-snowflake's list_relations expects this code;
    # dbt-core issue #621 shows the service's text).
    "show_scope_not_found": (
        "002043 (02000)",
        False,
        _SF_COMPILE + "Object does not exist, or operation cannot be performed.",
    ),
    "database_not_found": (
        "002003 (02000)",
        False,
        _SF_COMPILE + "Database '{name}' does not exist or not authorized.",
    ),
    # Role/user texts follow the documented `<Type> 'X' does not exist or not authorized.` form.
    "role_not_found": (
        "002003 (02000)",
        False,
        _SF_COMPILE + "Role '{name}' does not exist or not authorized.",
    ),
    "user_not_found": (
        "002003 (02000)",
        False,
        _SF_COMPILE + "User '{name}' does not exist or not authorized.",
    ),
    # CLONE at a point where the source did not exist (seed; snowflake.md §2.3): no "or not
    # authorized", SQLSTATE 02000.
    "clone_source_missing": (
        "002003 (02000)",
        False,
        _SF_COMPILE + "Object '{name}' does not exist.",
    ),
    # UNDROP of a name with no dropped version left (Snowflake's wording for UNDROP).
    "undrop_missing": (
        "002003 (02000)",
        False,
        _SF_COMPILE + "{object_type} '{name}' did not exist or was purged.",
    ),
    "time_travel_unavailable": (
        "000707 (02000)",
        False,
        "Time travel data is not available for {object_type} {name}. The requested time is "
        "either beyond the allowed time travel period or before the object creation time.",
    ),
    "statement_not_found": ("000709 (02000)", False, "Statement {statement} not found"),
    "insert_mismatch": (
        "002020 (21S01)",
        False,
        _SF_COMPILE + "Insert value list does not match column list expecting {expected} but "
        "got {got}",
    ),
    "not_null": ("100072 (22000)", False, "NULL result in a non-nullable column"),
    "division_by_zero": ("100051 (22012)", False, "Division by zero"),
    # A string past VARCHAR's 16 MB (engine/core/strings.py): Snowflake's LOB size error.
    "string_too_long": (
        "100082 (22000)",
        False,
        "Max LOB size ({limit}) exceeded, actual size of parsed column is {size}",
    ),
    "numeric_not_recognized": (
        "100038 (22018)",
        False,
        "Numeric value '{value}' is not recognized",
    ),
    "timestamp_not_recognized": ("100035 (22007)", False, "Timestamp '{value}' is not recognized"),
    "date_not_recognized": ("100040 (22007)", False, "Date '{value}' is not recognized"),
    "no_privilege": (
        "003001 (42501)",
        False,
        "SQL access control error:\nInsufficient privileges to operate on {object_type} '{name}'",
    ),
    "role_not_granted": (
        "003013 (42501)",
        False,
        "SQL access control error:\nRequested role '{name}' is not assigned to the executing "
        "user.  Specify another role to activate.",
    ),
    "no_database": (
        "090105 (22000)",
        False,
        "Cannot perform {what}. This session does not have a current database. Call "
        "'USE DATABASE', or use a qualified name.",
    ),
    "no_schema": (
        "090106 (22000)",
        False,
        "Cannot perform {what}. This session does not have a current schema. Call "
        "'USE SCHEMA', or use a qualified name.",
    ),
    "column_not_found": (
        "000904 (42000)",
        False,
        "SQL compilation error: error line {line} at position {pos}\ninvalid identifier '{name}'",
    ),
    # "Unknown function X" (002140, public logs).
    "function_not_found": ("002140 (42601)", False, _SF_COMPILE + "Unknown function {name}"),
    "argument_types": (
        "001044 (42P13)",
        False,
        _SF_COMPILE + "Invalid argument types for function '{name}'",
    ),
    # Snowflake's own code for unsupported features.
    "unsupported": ("000002 (0A000)", False, "Unsupported feature '{message}'."),
    # Emulator codes: Snowflake has many specific compilation-error codes; for the checks that
    # have no documented text we use one generic code with the SQL compilation error form.
    "semantic": ("002000 (42000)", False, _SF_COMPILE + "{message}"),
    "invalid": ("002000 (42000)", False, _SF_COMPILE + "{message}"),
    "limit": ("002000 (42000)", False, _SF_COMPILE + "{message}"),
    "denied": ("003001 (42501)", False, "SQL access control error:\n{message}"),
    "execution": ("100000 (22000)", False, "{message}"),
    "locked": (
        "000630 (57014)",
        False,
        "Database {project} is busy: another cloneshell holds its file (waited {seconds:g}s)",
    ),
    "registry_locked": (
        "000630 (57014)",
        False,
        "The warehouse registry is busy: another cloneshell holds warehouse.duckdb "
        "(waited {seconds:g}s)",
    ),
    "cancelled": ("000604 (57014)", False, "SQL execution canceled"),
    # Emulator texts (the service has no such failures): a file that cannot be read, a disk
    # that is full.
    "damaged": (
        "000603 (XX000)",
        False,
        "Database '{name}' is damaged: its file cannot be read; restore the file, or drop the "
        "database with DROP DATABASE {name}",
    ),
    "disk_full": (
        "000603 (53100)",
        False,
        "Disk full: no space left to write database '{name}'; {outcome}",
    ),
    # Stages and loading (snowflake.md §3 gives `Stage '<name>' …`; the COPY texts are the
    # ones Snowflake prints, each followed by the file, line and column it failed at).
    "stage_not_found": (
        "002003 (02000)",
        False,
        _SF_COMPILE + "Stage '{name}' does not exist or not authorized.",
    ),
    # PUT of a missing local file: the client's (SnowSQL/connector) error, code 253006.
    "file_not_found": ("253006 (n/a)", False, "File doesn't exist: {paths}"),
    "copy_numeric": ("100038 (22018)", False, "Numeric value '{value}' is not recognized{detail}"),
    "copy_date": ("100040 (22007)", False, "Date '{value}' is not recognized{detail}"),
    "copy_timestamp": ("100035 (22007)", False, "Timestamp '{value}' is not recognized{detail}"),
    # emulator code: no documented code for an unrecognised TIME value.
    "copy_time": ("100108 (22007)", False, "Time '{value}' is not recognized{detail}"),
    "copy_boolean": (
        "100037 (22018)",
        False,
        "Boolean value '{value}' is not recognized{detail}",
    ),
    # emulator codes: JSON parse errors and other values use the generic data-error code.
    "copy_json": ("100069 (22P02)", False, "Error parsing JSON: {value}{detail}"),
    "copy_value": ("100000 (22000)", False, "Value '{value}' is not recognized{detail}"),
    "copy_not_null": ("100072 (22000)", False, "NULL result in a non-nullable column{detail}"),
    "copy_columns": (
        "100080 (22000)",
        False,
        "Number of columns in file ({found}) does not match that of the corresponding table "
        "({expected}), use file format option error_on_column_count_mismatch=false to ignore "
        "this error{detail}",
    ),
    "copy_parse": ("100000 (22000)", False, "{message}{detail}"),
    "copy_semi_structured": ("002019 (0A000)", False, _SF_COMPILE + "{message}"),
    # Kinds raised by code shared with MaxCompute, in Snowflake's words.
    "table_not_found": (
        "002003 (42S02)",
        False,
        _SF_COMPILE + "Object '{name}' does not exist or not authorized.",
    ),
    "table_exists": ("002002 (42710)", False, _SF_COMPILE + "Object '{name}' already exists."),
    "project_not_found": (
        "002003 (02000)",
        False,
        _SF_COMPILE + "Database '{name}' does not exist or not authorized.",
    ),
    "project_exists": ("002002 (42710)", False, _SF_COMPILE + "Object '{name}' already exists."),
    # Kinds raised by the MaxCompute dialect's code, in Snowflake's words (emulator texts: no
    # Snowflake statement raises them today; every kind has an entry in every dialect).
    "not_member": (
        "003001 (42501)",
        False,
        "SQL access control error:\nInsufficient privileges to operate on database '{project}'",
    ),
    "no_instance_privilege": (
        "003001 (42501)",
        False,
        "SQL access control error:\nInsufficient privileges to operate on database '{project}'",
    ),
    "partition_exists": ("002002 (42710)", False, _SF_COMPILE + "Partition {spec} already exists."),
    "partition_not_found": (
        "002003 (02000)",
        False,
        _SF_COMPILE + "Partition {spec} of '{name}' does not exist.",
    ),
    "security": ("002000 (42000)", False, _SF_COMPILE + "{message}"),
}


def statement_id(now: datetime) -> str:
    """A Snowflake query id: 36 characters, hyphenated like a UUID (snowflake.md §4.5), e.g.
    `01b1f0c2-0000-3e5d-0000-9e5d04011a16`; the first group grows with time."""
    stamp = int(now.timestamp()) & 0xFFFFFFFF
    rnd = secrets.token_hex(14)
    return f"{stamp:08x}-{rnd[0:4]}-{rnd[4:8]}-{rnd[8:12]}-{rnd[12:24]}"


def layout(code: str, positional: bool, body: str, span: Span | None) -> tuple[str, str, str]:
    """`002003 (42S02): body`: the code, its SQL state, then the message."""
    number, _, state = code.partition(" ")
    return number, state.strip("()"), f"{code}: {body}"
