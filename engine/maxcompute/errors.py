"""MaxCompute's error texts: one entry per error kind (engine/core/errors.py `ErrorKind`),
each (code, whether `[line,col]` follows the code, message template).

Sources: reference/maxcompute.md §1.6. Codes marked "emulator" were not found in any vendor
text; they follow the documented families (0130071 semantic analysis, 0420xxx API).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from cloneshell.engine.core.dialect import ErrorTable
from cloneshell.grammar.errors import Span

# `pos` marks messages that carry `[line,col]` after the code.
ERRORS: ErrorTable = {
    "parse": ("ODPS-0130161", True, "Parse exception - {message}"),
    "table_not_found": (
        "ODPS-0130131",
        True,
        "Table not found - table {name} cannot be resolved",
    ),
    # "Table or view already exists" is the text users report; the code is an emulator choice.
    "table_exists": ("ODPS-0130111", True, "Table or view already exists - {name}"),
    # emulator code: MaxCompute's API answers "Project not found - '<p>'" for unknown projects.
    "project_not_found": ("ODPS-0420111", False, " Project not found - '{name}'."),
    "project_exists": ("ODPS-0420111", False, " Project already exists - '{name}'."),
    "not_member": ("ODPS-0420095", False, " Access Denied - You don't exist in project {project}."),
    "no_instance_privilege": (
        "ODPS-0420095",
        False,
        " Access Denied - You have no privilege 'odps:CreateInstance' on "
        "{{acs:odps:*:projects/{project}}}",
    ),
    "no_privilege": (
        "ODPS-0130013",
        False,
        "Authorization exception - Authorization Failed [4019], You have NO privilege "
        "'odps:{action}' on {{acs:odps:*:{resource}}}.",
    ),
    "denied": ("ODPS-0130013", False, "Authorization exception - {message}"),
    "semantic": ("ODPS-0130071", True, "Semantic analysis exception - {message}"),
    "column_not_found": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - column {name} cannot be resolved",
    ),
    "argument_types": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - invalid argument types for function {name}",
    ),
    "function_not_found": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - function or view {name} cannot be resolved",
    ),
    "partition_exists": (
        "ODPS-0110041",
        False,
        " Invalid meta operation - AlreadyExistsException(message:Partition already exists, "
        "existed values: {spec})",
    ),
    "partition_not_found": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - partition {spec} does not exist in table {name}",
    ),
    "limit": ("ODPS-0130071", True, "Semantic analysis exception - {message}"),
    "unsupported": ("ODPS-0130071", True, "Semantic analysis exception - {message}"),
    "invalid": ("ODPS-0420061", False, " Invalid parameter - {message}"),
    "security": ("ODPS-0420061", False, " Invalid parameter - {message}"),
    "execution": ("ODPS-0121095", False, "Invalid argument - {message}"),
    "division_by_zero": ("ODPS-0121095", False, "Invalid argument - {message}"),
    # A string past STRING's 8 MB (engine/core/strings.py).
    "string_too_long": (
        "ODPS-0121095",
        False,
        "Invalid argument - string length {size} exceeds the STRING limit of {limit} bytes",
    ),
    "numeric_not_recognized": ("ODPS-0121095", False, "Invalid argument - {message}"),
    "timestamp_not_recognized": ("ODPS-0121095", False, "Invalid argument - {message}"),
    "date_not_recognized": ("ODPS-0121095", False, "Invalid argument - {message}"),
    "locked": (
        "ODPS-0420051",
        False,
        " Project {project} is busy: another cloneshell holds its file (waited {seconds:g}s)",
    ),
    "registry_locked": (
        "ODPS-0420051",
        False,
        " The warehouse registry is busy: another cloneshell holds warehouse.duckdb "
        "(waited {seconds:g}s)",
    ),
    "cancelled": ("ODPS-0130000", False, " Statement cancelled"),
    # Emulator texts under the service's "System internal error" code (it has no such
    # failures): a file that cannot be read, a disk that is full.
    "damaged": (
        "ODPS-0010000",
        False,
        " Project {name} is damaged: its file cannot be read; restore the file, or drop the "
        "project with DROP PROJECT {name}",
    ),
    "disk_full": (
        "ODPS-0010000",
        False,
        " Disk full: no space left to write project {name}; {outcome}",
    ),
    # Kinds raised by the Snowflake dialect's code, in MaxCompute's words (emulator texts: no
    # MaxCompute statement raises them today; every kind has an entry in every dialect).
    "clone_source_missing": (
        "ODPS-0130131",
        True,
        "Table not found - table {name} cannot be resolved",
    ),
    "object_not_found": (
        "ODPS-0130131",
        True,
        "Table not found - table {name} cannot be resolved",
    ),
    "exists": ("ODPS-0130111", True, "Table or view already exists - {name}"),
    "duplicate_row": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - duplicate row detected during DML action: {values}",
    ),
    "wrong_object_type": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - {name} is a {found}, not a {expected}",
    ),
    "database_not_found": ("ODPS-0420111", False, " Project not found - '{name}'."),
    "schema_not_found": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - schema {name} does not exist",
    ),
    "show_scope_not_found": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - schema {name} does not exist",
    ),
    "role_not_found": ("ODPS-0420061", False, " Invalid parameter - role {name} does not exist"),
    "user_not_found": ("ODPS-0420061", False, " Invalid parameter - user {name} does not exist"),
    "role_not_granted": (
        "ODPS-0130013",
        False,
        "Authorization exception - role {name} is not granted to the current user",
    ),
    "no_database": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - cannot perform {what}: no current project",
    ),
    "no_schema": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - cannot perform {what}: no current schema",
    ),
    "undrop_missing": (
        "ODPS-0130131",
        True,
        "Table not found - {object_type} {name} did not exist or was purged",
    ),
    "time_travel_unavailable": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - no data of {object_type} {name} at the requested time",
    ),
    "statement_not_found": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - statement {statement} not found",
    ),
    "insert_mismatch": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - insert value list does not match column list: expecting "
        "{expected} but got {got}",
    ),
    "not_null": ("ODPS-0121095", False, "Invalid argument - NULL value in a NOT NULL column"),
    "stage_not_found": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - stage {name} does not exist",
    ),
    "file_not_found": ("ODPS-0420061", False, " Invalid parameter - File doesn't exist: {paths}"),
    "copy_numeric": ("ODPS-0121095", False, "Invalid argument - {value} is not a number{detail}"),
    "copy_date": ("ODPS-0121095", False, "Invalid argument - {value} is not a date{detail}"),
    "copy_timestamp": (
        "ODPS-0121095",
        False,
        "Invalid argument - {value} is not a timestamp{detail}",
    ),
    "copy_time": ("ODPS-0121095", False, "Invalid argument - {value} is not a time{detail}"),
    "copy_boolean": ("ODPS-0121095", False, "Invalid argument - {value} is not a boolean{detail}"),
    "copy_json": ("ODPS-0121095", False, "Invalid argument - bad JSON: {value}{detail}"),
    "copy_value": ("ODPS-0121095", False, "Invalid argument - bad value {value}{detail}"),
    "copy_not_null": (
        "ODPS-0121095",
        False,
        "Invalid argument - NULL value in a NOT NULL column{detail}",
    ),
    "copy_columns": (
        "ODPS-0121095",
        False,
        "Invalid argument - the file has {found} columns, the table {expected}{detail}",
    ),
    "copy_parse": ("ODPS-0121095", False, "Invalid argument - {message}{detail}"),
    "copy_semi_structured": ("ODPS-0130071", True, "Semantic analysis exception - {message}"),
}


def statement_id(now: datetime) -> str:
    """An odpscmd-style instance id: UTC `yyyyMMddHHmmss` + 11 lowercase alphanumerics."""
    return now.strftime("%Y%m%d%H%M%S") + secrets.token_hex(6)[:11]


def layout(code: str, positional: bool, body: str, span: Span | None) -> tuple[str, str, str]:
    """`ODPS-0130131:[1,15] body` (the statement's line and column) or `ODPS-0420111:body`;
    MaxCompute has no SQL state."""
    if positional:
        line, col = (span.line, span.column) if span else (0, 0)
        return code, "", f"{code}:[{line},{col}] {body}"
    return code, "", f"{code}:{body}"
