"""Engine errors: one class per family, each carrying a `kind` and the facts of the failure.

Handlers raise these without knowing the dialect; the session's dialect turns `kind` + `args`
into the code and text the user sees (`Dialect.render_error`). The kinds are a closed set
(`ErrorKind`): raising an unknown one fails at once, and every dialect's error table has an
entry for each (tests/engine/test_error_rendering.py).
"""

from __future__ import annotations

import errno
from enum import StrEnum

from cloneshell.grammar.errors import CloneshellError, Span


class ErrorKind(StrEnum):
    """Every failure the engine reports; each dialect words each one its own way."""

    # syntax and meaning
    PARSE = "parse"
    SEMANTIC = "semantic"
    INVALID = "invalid"
    SECURITY = "security"
    LIMIT = "limit"
    UNSUPPORTED = "unsupported"
    COLUMN_NOT_FOUND = "column_not_found"
    FUNCTION_NOT_FOUND = "function_not_found"
    ARGUMENT_TYPES = "argument_types"
    INSERT_MISMATCH = "insert_mismatch"
    # objects
    TABLE_NOT_FOUND = "table_not_found"
    TABLE_EXISTS = "table_exists"
    OBJECT_NOT_FOUND = "object_not_found"
    EXISTS = "exists"
    PROJECT_NOT_FOUND = "project_not_found"
    PROJECT_EXISTS = "project_exists"
    DATABASE_NOT_FOUND = "database_not_found"
    SCHEMA_NOT_FOUND = "schema_not_found"
    # A SHOW … IN SCHEMA naming a schema that does not exist (Snowflake 002043).
    SHOW_SCOPE_NOT_FOUND = "show_scope_not_found"
    ROLE_NOT_FOUND = "role_not_found"
    USER_NOT_FOUND = "user_not_found"
    STAGE_NOT_FOUND = "stage_not_found"
    FILE_NOT_FOUND = "file_not_found"
    PARTITION_EXISTS = "partition_exists"
    PARTITION_NOT_FOUND = "partition_not_found"
    NO_DATABASE = "no_database"
    NO_SCHEMA = "no_schema"
    # privileges
    NO_PRIVILEGE = "no_privilege"
    DENIED = "denied"
    NOT_MEMBER = "not_member"
    NO_INSTANCE_PRIVILEGE = "no_instance_privilege"
    ROLE_NOT_GRANTED = "role_not_granted"
    # time travel
    CLONE_SOURCE_MISSING = "clone_source_missing"
    UNDROP_MISSING = "undrop_missing"
    TIME_TRAVEL_UNAVAILABLE = "time_travel_unavailable"
    STATEMENT_NOT_FOUND = "statement_not_found"
    # values and execution
    EXECUTION = "execution"
    DIVISION_BY_ZERO = "division_by_zero"
    NUMERIC_NOT_RECOGNIZED = "numeric_not_recognized"
    TIMESTAMP_NOT_RECOGNIZED = "timestamp_not_recognized"
    DATE_NOT_RECOGNIZED = "date_not_recognized"
    NOT_NULL = "not_null"
    WRONG_OBJECT_TYPE = "wrong_object_type"
    DUPLICATE_ROW = "duplicate_row"
    STRING_TOO_LONG = "string_too_long"
    # loading (COPY INTO)
    COPY_NUMERIC = "copy_numeric"
    COPY_DATE = "copy_date"
    COPY_TIMESTAMP = "copy_timestamp"
    COPY_TIME = "copy_time"
    COPY_BOOLEAN = "copy_boolean"
    COPY_JSON = "copy_json"
    COPY_VALUE = "copy_value"
    COPY_NOT_NULL = "copy_not_null"
    COPY_COLUMNS = "copy_columns"
    COPY_PARSE = "copy_parse"
    COPY_SEMI_STRUCTURED = "copy_semi_structured"
    # files and interruption
    LOCKED = "locked"
    REGISTRY_LOCKED = "registry_locked"
    CANCELLED = "cancelled"
    DAMAGED = "damaged"
    DISK_FULL = "disk_full"


class EngineError(CloneshellError):
    """An error raised by the engine. `kind` names the failure; `args_` holds its facts."""

    def __init__(
        self,
        kind: ErrorKind | str,
        span: Span | None = None,
        hint: str | None = None,
        **args: object,
    ) -> None:
        self.kind = ErrorKind(kind)  # ValueError for a kind no dialect can word
        self.args_ = args
        detail = args.get("message") or ", ".join(f"{k}={v}" for k, v in args.items())
        super().__init__(f"{kind}: {detail}", span, "", hint)


class CatalogError(EngineError):
    """An object that does not exist, or already exists."""


class PrivilegeError(EngineError):
    """A principal lacking a privilege or membership."""


class LimitError(EngineError):
    """A documented limit exceeded (partitions per clone, name length...)."""


class UnsupportedError(EngineError):
    """Something the real service refuses (external tables in CLONE, cross-region...)."""


class SemanticError(EngineError):
    """A statement that parses but makes no sense (unknown column, wrong partition spec...)."""


class ExecutionError(EngineError):
    """DuckDB failed while running a statement (conversion, division by zero...)."""


class LockError(EngineError):
    """A project file held by another process for longer than the lock timeout."""


class DiskFullError(EngineError):
    """No space left on the disk to write a project's (database's) file. `committed`: the
    statement had committed (its changes are in the file's write-ahead log, which every open
    replays) and only writing them into the file failed; otherwise it changed nothing."""

    def __init__(self, name: str, committed: bool) -> None:
        outcome = (
            "the statement committed: its changes are kept, and are written into the file "
            "when there is space"
            if committed
            else "the statement changed nothing"
        )
        super().__init__("disk_full", name=name, outcome=outcome)
        self.committed = committed


# What DuckDB's errors say when the operating system refused a write for want of space.
_NO_SPACE = ("No space left on device", "Disk quota exceeded")


def is_disk_full(exc: BaseException) -> bool:
    """True if `exc` (an OSError, or a DuckDB error quoting the operating system) says the
    disk, or the user's quota on it, is full."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return any(words in str(exc) for words in _NO_SPACE)
