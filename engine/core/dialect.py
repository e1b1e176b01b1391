"""What differs between MaxCompute and Snowflake, as frozen data (no `if dialect ==` branches).

Each flag cites the vendor fact it reproduces (see ../shared/reference/*.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import field
from datetime import datetime

from cloneshell.engine.core.errors import EngineError
from cloneshell.grammar.ast import Ident
from cloneshell.grammar.errors import CloneshellError, SqlSyntaxError
from cloneshell.grammar.records import record

# MaxCompute error texts (reference/maxcompute.md §1.6). `pos` marks messages that carry
# `[line,col]` after the code. Codes marked "emulator" were not found in any vendor text; they
# follow the documented families (0130071 semantic analysis, 0420xxx API) and say so.
_MC_ERRORS: dict[str, tuple[str, bool, str]] = {
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
}


# Snowflake error texts (reference/snowflake.md §3 and §2.3): `code (SQLSTATE)`, then the body.
# Bodies may use {line} (1-based) and {pos} (0-based column) of the error's span.
_SF_COMPILE = "SQL compilation error:\n"
_SF_ERRORS: dict[str, tuple[str, bool, str]] = {
    "parse": (
        "001003 (42000)",
        False,
        _SF_COMPILE + "syntax error line {line} at position {pos} unexpected '{token}'.",
    ),
    "exists": ("002002 (42710)", False, _SF_COMPILE + "Object '{name}' already exists."),
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
}


def _mc_statement_id(now: datetime) -> str:
    """An odpscmd-style instance id: UTC `yyyyMMddHHmmss` + 11 lowercase alphanumerics."""
    return now.strftime("%Y%m%d%H%M%S") + secrets.token_hex(6)[:11]


def _sf_statement_id(now: datetime) -> str:
    """A Snowflake query id: 36 characters, hyphenated like a UUID (snowflake.md §4.5), e.g.
    `01b1f0c2-0000-3e5d-0000-9e5d04011a16`; the first group grows with time."""
    stamp = int(now.timestamp()) & 0xFFFFFFFF
    rnd = secrets.token_hex(14)
    return f"{stamp:08x}-{rnd[0:4]}-{rnd[4:8]}-{rnd[8:12]}-{rnd[12:24]}"


@record(frozen=True, slots=True)
class Dialect:
    """The data that makes one dialect look and behave like its vendor."""

    name: str
    # MaxCompute names are case-insensitive and shown lower case (maxcompute.md §5.1);
    # Snowflake stores unquoted identifiers upper case (snowflake.md §5).
    fold: Callable[[str], str]
    # A project's built-in schema (maxcompute.md §4: DEFAULT; Snowflake: PUBLIC).
    default_schema: str
    # `odps@ <project>>`: odpscmd before 0.40.8 (maxcompute.md §2.5);
    # `user#(no warehouse)@DB.SCHEMA>`: SnowSQL's default prompt_format (snowflake.md §4.6).
    prompt_format: str
    errors: dict[str, tuple[str, bool, str]] = field(default_factory=dict)
    ok_message: str = "OK"
    # Snowflake keeps the case of double-quoted identifiers; MaxCompute folds every name.
    quoted_keep_case: bool = False
    # `FAILED: ODPS-...:[l,c] body` (MaxCompute) or `NNNNNN (SSSSS): body` (Snowflake).
    error_style: str = "maxcompute"
    # Statement ids: odpscmd instance ids, or Snowflake query ids.
    statement_id: Callable[[datetime], str] = _mc_statement_id

    def fold_ident(self, ident: Ident) -> str:
        """An identifier as stored: folded, unless quoted in a dialect that keeps quoted case."""
        if ident.quoted and self.quoted_keep_case:
            return ident.name
        return self.fold(ident.name)

    def render_error(self, err: CloneshellError) -> CloneshellError:
        """`err` in this dialect's words: a copy with `code`, `sqlstate`, `text` and `dialect`
        set (`err` itself is left as it was). Errors the engine did not raise pass unchanged."""
        args: dict[str, object]
        hint = err.hint
        if isinstance(err, SqlSyntaxError):
            kind, args = "parse", {"message": err.message, "token": err.token or "<EOF>"}
            if err.expected and len(err.expected) <= 8 and hint is None:
                hint = "expected " + _one_of(err.expected)
        elif isinstance(err, EngineError):
            kind, args = err.kind, err.args_
        else:
            return err
        code, positional, template = self.errors.get(kind, self.errors["semantic"])
        line, col = (err.span.line, err.span.column) if err.span else (1, 1)
        try:
            body = template.format(**{"line": line, "pos": max(col - 1, 0), **args})
        except (KeyError, IndexError):
            body = str(args.get("message", err.message))
        out = _copy(err)
        out.hint = hint
        out.dialect = self.name
        if self.error_style == "snowflake":
            out.text = f"{code}: {body}"
            out.code, _, state = code.partition(" ")
            out.sqlstate = state.strip("()")
            return out
        if positional:
            line, col = (err.span.line, err.span.column) if err.span else (0, 0)
            out.text = f"{code}:[{line},{col}] {body}"
        else:
            out.text = f"{code}:{body}"
        out.code = code
        return out


def _copy(err: CloneshellError) -> CloneshellError:
    """A shallow copy of an error (same class, attributes and message), made without calling
    its `__init__`, whose signature differs per class."""
    new = type(err).__new__(type(err), *err.args)
    new.__dict__.update(err.__dict__)
    new.args = err.args
    return new


def _one_of(names: tuple[str, ...]) -> str:
    shown = [n for n in names if n != "<EOF>"] or list(names)
    return shown[0] if len(shown) == 1 else "one of " + ", ".join(shown)


MAXCOMPUTE = Dialect(
    name="maxcompute",
    fold=str.lower,
    default_schema="default",
    prompt_format="odps@ {project}>",
    errors=_MC_ERRORS,
)

SNOWFLAKE = Dialect(
    name="snowflake",
    fold=str.upper,
    default_schema="PUBLIC",
    prompt_format="{user}#(no warehouse)@{database}.{schema}>",
    errors=_SF_ERRORS,
    # Status text of USE, GRANT, ALTER ... (snowflake.md §1.6).
    ok_message="Statement executed successfully.",
    quoted_keep_case=True,
    error_style="snowflake",
    statement_id=_sf_statement_id,
)

DIALECTS = {"maxcompute": MAXCOMPUTE, "snowflake": SNOWFLAKE}
