"""COPY INTO <table>: file formats, copy options, and loading staged files with DuckDB's
readers (read_csv, read_json, read_parquet), with Snowflake's per-file result, ON_ERROR
handling and load history. Shared by COPY INTO and pipes.

Each file is read into a temporary table of text (CSV) or typed (JSON, Parquet) columns, one
per target column; a value that does not convert to its column's type, a NULL in a NOT NULL
column, or a CSV row with the wrong number of fields is an error of that row (Snowflake's
ERROR_ON_COLUMN_COUNT_MISMATCH). ON_ERROR decides what happens: ABORT_STATEMENT (COPY's
default) fails the statement with Snowflake's message naming the file, line and column;
SKIP_FILE (a pipe's default) loads nothing from that file; CONTINUE loads its good rows.

Load history (`__cs.load_history`, in the target table's database) remembers each file loaded
into a table, by its name and MD5, so a later COPY skips it unless FORCE = TRUE. COPY INTO and
each pipe keep separate histories (the pipe's key): Snowpipe's load metadata belongs to the
pipe, which is why a cloned pipe loads the same files again (the seed's duplicate-data hazard).
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import Any

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import ColumnMeta, TableMeta
from cloneshell.engine.core.errors import EngineError, SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident, quote_literal
from cloneshell.engine.core.result import Column, Rows
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.handlers.dml import _default_sql
from cloneshell.engine.snowflake.stages import FilePattern
from cloneshell.grammar import ast
from cloneshell.grammar.errors import Span
from cloneshell.grammar.records import record

# ---------------------------------------------------------------------------- option values


def option_value(v: ast.OptionValue) -> Any:
    """A property's value as plain data: str, int, float, bool, list or dict."""
    if v.kind == "boolean":
        return v.text == "TRUE"
    if v.kind == "number":
        try:
            return int(v.text)
        except ValueError:
            return float(v.text)
    if v.kind == "list":
        return [option_value(i) for i in v.items]
    if v.kind == "group":
        return {o.key: option_value(o.value) for o in v.options}
    return v.text


def options_dict(options: tuple[ast.ObjectOption, ...]) -> dict[str, tuple[Any, Span]]:
    """`KEY = value` properties by key (with each one's span), refusing a key given twice."""
    out: dict[str, tuple[Any, Span]] = {}
    for o in options:
        if o.key in out:
            raise SemanticError("invalid", o.span, message=f"duplicate option {o.key}")
        out[o.key] = (option_value(o.value), o.span)
    return out


def option_bool(key: str, value: Any, span: Span | None) -> bool:
    """A TRUE/FALSE property."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    raise SemanticError("invalid", span, message=f"invalid value [{value}] for parameter '{key}'")


def option_text(key: str, value: Any, span: Span | None) -> str:
    """A property given as a string, word or number."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise SemanticError("invalid", span, message=f"invalid value [{value}] for parameter '{key}'")


# ---------------------------------------------------------------------------- file formats

FORMAT_TYPES = ("CSV", "JSON", "PARQUET")
_COMMON_KEYS = {"TYPE", "COMPRESSION"}
_CSV_KEYS = {
    "FIELD_DELIMITER",
    "RECORD_DELIMITER",
    "SKIP_HEADER",
    "FIELD_OPTIONALLY_ENCLOSED_BY",
    "ESCAPE",
    "ESCAPE_UNENCLOSED_FIELD",
    "NULL_IF",
    "EMPTY_FIELD_AS_NULL",
    "ERROR_ON_COLUMN_COUNT_MISMATCH",
    "TRIM_SPACE",
    "SKIP_BLANK_LINES",
    "ENCODING",
    "DATE_FORMAT",
    "TIME_FORMAT",
    "TIMESTAMP_FORMAT",
}
_JSON_KEYS = {"STRIP_OUTER_ARRAY", "NULL_IF", "TRIM_SPACE", "DATE_FORMAT", "TIMESTAMP_FORMAT"}
_PARQUET_KEYS = {"BINARY_AS_TEXT", "NULL_IF", "TRIM_SPACE"}
_KEYS = {"CSV": _CSV_KEYS, "JSON": _JSON_KEYS, "PARQUET": _PARQUET_KEYS}
_COMPRESSIONS = {"AUTO": "auto", "GZIP": "gzip", "ZSTD": "zstd", "NONE": "none"}
# Options cloneshell accepts with only these values (DuckDB's behaviour otherwise).
_ONLY = {
    "RECORD_DELIMITER": ("\n", "\r\n", "AUTO"),
    "DATE_FORMAT": ("AUTO",),
    "TIME_FORMAT": ("AUTO",),
    "TIMESTAMP_FORMAT": ("AUTO",),
    "ENCODING": ("UTF8",),
}


@record(frozen=True, slots=True)
class FileFormat:
    """The file format options cloneshell reads (Snowflake's defaults)."""

    type: str = "CSV"
    compression: str = "AUTO"
    field_delimiter: str = ","
    skip_header: int = 0
    enclosed_by: str = ""  # FIELD_OPTIONALLY_ENCLOSED_BY; "" is NONE
    null_if: tuple[str, ...] = ("\\N",)
    empty_field_as_null: bool = True
    error_on_column_count_mismatch: bool = True
    trim_space: bool = False
    strip_outer_array: bool = False


def check_format(options: dict[str, Any], span: Span | None = None) -> dict[str, Any]:
    """Validate FILE_FORMAT = (…) options (a stage's or a COPY's); return them by key."""
    parse_format(options, span)
    return options


def merge_formats(stage: dict[str, Any], copy: dict[str, Any]) -> dict[str, Any]:
    """COPY's FILE_FORMAT over its stage's: option by option, unless COPY names another TYPE
    (then only COPY's options apply)."""
    stage_type = str(stage.get("TYPE", "CSV")).upper()
    copy_type = str(copy.get("TYPE", stage_type)).upper()
    if copy_type != stage_type:
        return dict(copy)
    return {**stage, **copy}


def parse_format(options: dict[str, Any], span: Span | None = None) -> FileFormat:
    """A FileFormat from FILE_FORMAT options (keys upper case), with Snowflake's defaults."""
    kind = str(options.get("TYPE", "CSV")).upper()
    if "FORMAT_NAME" in options:
        raise UnsupportedError("unsupported", span, message="named file formats (FORMAT_NAME)")
    if kind not in FORMAT_TYPES:
        raise SemanticError(
            "invalid",
            span,
            message=f"file format type {kind} is not supported: use CSV, JSON or PARQUET",
        )
    allowed = _COMMON_KEYS | _KEYS[kind]
    for key in options:
        if key not in allowed:
            raise SemanticError(
                "invalid", span, message=f"invalid file format option {key} for type {kind}"
            )
    values: dict[str, Any] = {"type": kind}
    for key, value in options.items():
        if key == "COMPRESSION":
            text = option_text(key, value, span).upper()
            if text not in _COMPRESSIONS:
                raise SemanticError(
                    "invalid", span, message=f"compression {text} is not supported here"
                )
            values["compression"] = text
        elif key == "FIELD_DELIMITER":
            text = option_text(key, value, span)
            if len(text) != 1:
                raise SemanticError(
                    "invalid", span, message=f"FIELD_DELIMITER must be one character, not '{text}'"
                )
            values["field_delimiter"] = text
        elif key == "SKIP_HEADER":
            number = value if isinstance(value, int) and not isinstance(value, bool) else -1
            if number < 0:
                raise SemanticError("invalid", span, message="SKIP_HEADER takes a number >= 0")
            values["skip_header"] = number
        elif key == "FIELD_OPTIONALLY_ENCLOSED_BY":
            text = option_text(key, value, span)
            if text.upper() == "NONE":
                text = ""
            if len(text) > 1:
                raise SemanticError(
                    "invalid", span, message="FIELD_OPTIONALLY_ENCLOSED_BY takes one character"
                )
            values["enclosed_by"] = text
        elif key == "NULL_IF":
            items = value if isinstance(value, list) else [value]
            values["null_if"] = tuple(option_text(key, i, span) for i in items)
        elif key == "EMPTY_FIELD_AS_NULL":
            values["empty_field_as_null"] = option_bool(key, value, span)
        elif key == "ERROR_ON_COLUMN_COUNT_MISMATCH":
            values["error_on_column_count_mismatch"] = option_bool(key, value, span)
        elif key == "TRIM_SPACE":
            values["trim_space"] = option_bool(key, value, span)
        elif key == "STRIP_OUTER_ARRAY":
            values["strip_outer_array"] = option_bool(key, value, span)
        elif (
            key in _ONLY
            and option_text(key, value, span).upper().replace("-", "") not in _ONLY[key]
        ):
            raise UnsupportedError(
                "unsupported", span, message=f"{key} other than {' or '.join(_ONLY[key])}"
            )
        # ESCAPE, ESCAPE_UNENCLOSED_FIELD, SKIP_BLANK_LINES, BINARY_AS_TEXT: accepted, and
        # DuckDB's behaviour kept (a doubled quote escapes a quote; blank lines are skipped).
    return FileFormat(**values)


# ---------------------------------------------------------------------------- copy options

_COPY_KEYS = {
    "FILES",
    "PATTERN",
    "FILE_FORMAT",
    "ON_ERROR",
    "FORCE",
    "PURGE",
    "MATCH_BY_COLUMN_NAME",
    "SIZE_LIMIT",
    "RETURN_FAILED_ONLY",
    "LOAD_UNCERTAIN_FILES",
    "ENFORCE_LENGTH",
    "TRUNCATECOLUMNS",
}
# Options a pipe's COPY statement may not use (CREATE PIPE usage notes).
PIPE_REFUSED = ("FILES", "FORCE", "PURGE", "SIZE_LIMIT", "RETURN_FAILED_ONLY")


@record(frozen=True, slots=True)
class CopyOptions:
    """The copy options of one COPY INTO."""

    files: tuple[str, ...] = ()
    pattern: FilePattern | None = None
    file_format: dict[str, Any] = field(default_factory=dict)
    on_error: str = "ABORT_STATEMENT"
    skip_file_limit: int = 1  # SKIP_FILE_<n>: skip a file after n errors
    force: bool = False
    purge: bool = False
    match_by_name: str = "NONE"  # NONE | CASE_INSENSITIVE | CASE_SENSITIVE


def copy_options(options: tuple[ast.ObjectOption, ...], *, in_pipe: bool = False) -> CopyOptions:
    """COPY INTO's options, checked. A pipe's COPY refuses FILES, FORCE and PURGE and skips a
    bad file by default (ON_ERROR = SKIP_FILE, as Snowpipe does)."""
    given = options_dict(options)
    values: dict[str, Any] = {"on_error": "SKIP_FILE" if in_pipe else "ABORT_STATEMENT"}
    for key, (value, span) in given.items():
        if key not in _COPY_KEYS:
            raise SemanticError("invalid", span, message=f"invalid copy option {key}")
        if in_pipe and key in PIPE_REFUSED:
            raise SemanticError(
                "invalid", span, message=f"copy option {key} is not supported in a pipe's COPY"
            )
        if key == "FILES":
            items = value if isinstance(value, list) else [value]
            values["files"] = tuple(option_text(key, i, span) for i in items)
        elif key == "PATTERN":
            values["pattern"] = FilePattern(option_text(key, value, span), span)
        elif key == "FILE_FORMAT":
            if not isinstance(value, dict):
                raise SemanticError("invalid", span, message="FILE_FORMAT takes (TYPE = … …)")
            values["file_format"] = check_format(value, span)
        elif key == "ON_ERROR":
            text = option_text(key, value, span).upper()
            m = re.fullmatch(r"SKIP_FILE_(\d+)", text)
            if m:
                values["on_error"], values["skip_file_limit"] = "SKIP_FILE", max(int(m[1]), 1)
            elif text in ("ABORT_STATEMENT", "CONTINUE", "SKIP_FILE"):
                values["on_error"] = text
            else:
                raise SemanticError(
                    "invalid",
                    span,
                    message=f"invalid value [{text}] for ON_ERROR: use ABORT_STATEMENT, "
                    "CONTINUE, SKIP_FILE or SKIP_FILE_<n>",
                )
        elif key == "FORCE":
            values["force"] = option_bool(key, value, span)
        elif key == "PURGE":
            values["purge"] = option_bool(key, value, span)
        elif key == "MATCH_BY_COLUMN_NAME":
            text = option_text(key, value, span).upper()
            if text not in ("NONE", "CASE_INSENSITIVE", "CASE_SENSITIVE"):
                raise SemanticError(
                    "invalid", span, message=f"invalid value [{text}] for MATCH_BY_COLUMN_NAME"
                )
            values["match_by_name"] = text
    return CopyOptions(**values)


# ---------------------------------------------------------------------------- results

COPY_COLUMNS = (
    ("file", "TEXT"),
    ("status", "TEXT"),
    ("rows_parsed", "NUMBER"),
    ("rows_loaded", "NUMBER"),
    ("error_limit", "NUMBER"),
    ("errors_seen", "NUMBER"),
    ("first_error", "TEXT"),
    ("first_error_line", "NUMBER"),
    ("first_error_character", "NUMBER"),
    ("first_error_column_name", "TEXT"),
)
# COPY's reply when every file was already loaded (or none matched).
NO_FILES = "Copy executed with 0 files processed."


@record(slots=True)
class FileResult:
    """One row of COPY's reply."""

    file: str
    status: str = "LOADED"  # LOADED | LOAD_FAILED | PARTIALLY_LOADED
    rows_parsed: int = 0
    rows_loaded: int = 0
    error_limit: int = 1
    errors_seen: int = 0
    first_error: str | None = None
    first_error_line: int | None = None
    first_error_character: int | None = None
    first_error_column_name: str | None = None

    def row(self) -> tuple[object, ...]:
        """The reply row."""
        return (
            self.file,
            self.status,
            self.rows_parsed,
            self.rows_loaded,
            self.error_limit,
            self.errors_seen,
            self.first_error,
            self.first_error_line,
            self.first_error_character,
            self.first_error_column_name,
        )


def copy_reply(ctx: SnowflakeContext, results: list[FileResult]) -> Rows:
    """COPY's reply: one row per file processed, or Snowflake's `Copy executed with 0 files
    processed.` status."""
    if not results:
        return Rows((Column("status", "TEXT"),), [(NO_FILES,)], ctx.statement_id)
    cols = tuple(Column(n, t) for n, t in COPY_COLUMNS)
    return Rows(cols, [r.row() for r in sorted(results, key=lambda r: r.file)], ctx.statement_id)


# ---------------------------------------------------------------------------- loading


@record(frozen=True, slots=True)
class SourceFile:
    """A file to load: the name COPY shows (and load history keeps), its MD5 and size, and
    where DuckDB reads it (always inside the warehouse)."""

    name: str
    md5: str
    size: int
    path: Path


@record(frozen=True, slots=True)
class _RowError:
    line: int
    character: int
    column: str | None
    kind: str
    message: str
    args: dict[str, object]


_LOAD = "__cs_load"
_REJECTS = "__cs_rejects"
_REJECT_SCANS = "__cs_reject_scans"
_SEMI_TYPES = ("JSON",)


def already_loaded(target: Target, pipe_key: str) -> set[tuple[str, str]]:
    """(name, md5) of the files this table's load history (COPY's, or one pipe's) holds as
    loaded."""
    table = target.table
    assert table is not None
    cat = target.db.cat
    rows = cat.con.execute(
        f"SELECT file, md5 FROM {cat.meta_schema}.load_history WHERE table_id = ? AND pipe = ? "
        "AND status <> 'LOAD_FAILED'",
        [table.table_id, pipe_key],
    ).fetchall()
    return {(str(r[0]), str(r[1])) for r in rows}


class Loader:
    """Loads files into one table inside the statement's write transaction."""

    def __init__(
        self,
        ctx: SnowflakeContext,
        target: Target,
        columns: list[str],
        fmt: FileFormat,
        options: CopyOptions,
        pipe_key: str = "",
    ) -> None:
        assert target.table is not None
        self.ctx = ctx
        self.target = target
        self.table: TableMeta = target.table
        self.fmt = fmt
        self.options = options
        self.pipe_key = pipe_key
        self.con = ctx.session.warehouse.con
        by_name = {c.name: c for c in self.table.columns}
        self.columns: list[ColumnMeta] = [by_name[c] for c in columns]
        self._check_shape()

    def _check_shape(self) -> None:
        kind = self.fmt.type
        if kind == "CSV" or self.options.match_by_name != "NONE":
            return
        if len(self.columns) != 1 or self.columns[0].duck_type not in _SEMI_TYPES:
            raise EngineError(
                "copy_semi_structured",
                message=f"{kind} file format can produce one and only one column of type "
                "variant, object, or array. Load data into separate columns using the "
                "MATCH_BY_COLUMN_NAME copy option or copy with transformation.",
            )

    # -------------------------------------------------------------- one file

    def load(self, version: int, source: SourceFile) -> FileResult:
        """Load one file (its good rows, per ON_ERROR) and record it in the load history."""
        result = FileResult(file=source.name)
        try:
            rejects = self._read(source)
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001 - a file DuckDB cannot read is that file's error
            message = _duck_message(exc)
            result.status, result.first_error = "LOAD_FAILED", message
            result.errors_seen, result.first_error_line = 1, _line_in(message)
            if self.options.on_error == "ABORT_STATEMENT":
                detail = f"\n  File '{source.name}'"
                raise EngineError("copy_parse", message=message, detail=detail) from exc
            self._record(source, result)
            return result
        try:
            parsed = self._count(f"SELECT count(*) FROM temp.{_LOAD}")
            bad = self._bad_condition()
            errors = self._count(f"SELECT count(*) FROM temp.{_LOAD} WHERE {bad}")
            result.rows_parsed = parsed + len(rejects)
            result.errors_seen = errors + len(rejects)
            first = self._first_error(bad, rejects) if result.errors_seen else None
            if first is not None:
                result.first_error = first.message
                result.first_error_line = first.line
                result.first_error_character = first.character
                result.first_error_column_name = first.column
            on_error = self.options.on_error
            if on_error == "CONTINUE":
                result.error_limit = result.rows_parsed
            elif on_error == "SKIP_FILE":
                result.error_limit = self.options.skip_file_limit
            if first is not None and on_error == "ABORT_STATEMENT":
                detail = (
                    f"\n  File '{source.name}', line {first.line}, character {first.character}"
                    f"\n  Row {self._row_number(first.line)}, column "
                    f"{first.column or '?'}\n  If you would like to continue loading when an "
                    "error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' "
                    "for the ON_ERROR option. For more information on loading options, please "
                    "run 'info loading_data' in a SQL client."
                )
                error = EngineError(first.kind, message=first.message, detail=detail)
                error.args_.update(first.args)
                raise error
            skip = on_error == "SKIP_FILE" and result.errors_seen >= self.options.skip_file_limit
            if skip:
                result.status = "LOAD_FAILED"
            else:
                # Without a bad row the filter is true for every row (`bad` is never NULL):
                # left out, each value is cast once, not twice (raw DuckDB, 1M rows of 4 columns:
                # the insert's CPU 0.31-0.36 s -> 0.20-0.22 s).
                sql, params = self._shaped(f"NOT ({bad})" if errors else "TRUE")
                result.rows_loaded = storage.append(
                    self.target.db.cat, self.table, sql, params, version
                )
                if result.errors_seen:
                    result.status = "PARTIALLY_LOADED"
        finally:
            self.con.execute(f"DROP TABLE IF EXISTS temp.{_LOAD}")
        self._record(source, result)
        return result

    def _record(self, source: SourceFile, result: FileResult) -> None:
        cat = self.target.db.cat
        cat.con.execute(
            f"INSERT INTO {cat.meta_schema}.load_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.table.table_id,
                self.pipe_key,
                source.name,
                source.md5,
                source.size,
                result.status,
                result.rows_parsed,
                result.rows_loaded,
                result.first_error,
                self.ctx.now,
                self.ctx.statement_id,
            ],
        )

    def _count(self, sql: str) -> int:
        row = self.con.execute(sql).fetchone()
        return int(row[0]) if row else 0

    # -------------------------------------------------------------- reading

    def _read(self, source: SourceFile) -> list[_RowError]:
        """Read the file into temp.__cs_load (c0 … cN, one per target column); return the
        CSV rows DuckDB rejected (wrong number of fields, bad quoting)."""
        self.con.execute(f"DROP TABLE IF EXISTS temp.{_LOAD}")
        path = str(source.path)
        if self.fmt.type == "CSV":
            return self._read_csv(path)
        insensitive = self.options.match_by_name == "CASE_INSENSITIVE"
        if self.options.match_by_name != "NONE" and self.fmt.type == "JSON":
            # Each record's keys are matched on their own (records may spell a key in
            # different cases).
            entries = "map_entries(TRY_CAST(json AS MAP(VARCHAR, JSON)))"
            picks = []
            for i, c in enumerate(self.columns):
                key = "upper(e.key)" if insensitive else "e.key"
                name = quote_literal(c.name.upper() if insensitive else c.name)
                value = f"list_filter({entries}, lambda e: {key} = {name})[1].value"
                if c.duck_type not in _SEMI_TYPES:
                    value = f"json_extract_string({value}, '$')"
                picks.append(f"{value} AS c{i}")
            self.con.execute(
                f"CREATE TEMP TABLE {_LOAD} AS SELECT {', '.join(picks)} FROM read_json($1, "
                f"format='{self._json_format()}', records=false, columns={{'json': 'JSON'}}, "
                "compression=$2)",
                [path, _COMPRESSIONS[self.fmt.compression]],
            )
            return []
        if self.options.match_by_name != "NONE":
            described = self.con.execute(
                "SELECT * FROM read_parquet($1) LIMIT 0", [path]
            ).description
            found = [str(d[0]) for d in described or ()]
            picks = []
            for i, c in enumerate(self.columns):
                names = _matches(c.name, found, insensitive)
                if not names:
                    picks.append(f"NULL AS c{i}")
                elif c.duck_type in _SEMI_TYPES:
                    picks.append(f"to_json({quote_ident(names[0])}) AS c{i}")
                else:
                    picks.append(f"{quote_ident(names[0])} AS c{i}")
            self.con.execute(
                f"CREATE TEMP TABLE {_LOAD} AS SELECT {', '.join(picks)} FROM read_parquet($1)",
                [path],
            )
            return []
        if self.fmt.type == "PARQUET":
            self.con.execute(
                f"CREATE TEMP TABLE {_LOAD} AS SELECT to_json(t) AS c0 FROM read_parquet($1) t",
                [path],
            )
            return []
        self.con.execute(
            f"CREATE TEMP TABLE {_LOAD} AS SELECT json AS c0 FROM read_json($1, "
            f"format='{self._json_format()}', records=false, columns={{'json': 'JSON'}}, "
            "compression=$2)",
            [path, _COMPRESSIONS[self.fmt.compression]],
        )
        return []

    def _json_format(self) -> str:
        # Without STRIP_OUTER_ARRAY a file's outer array is one value, as in Snowflake.
        return "array" if self.fmt.strip_outer_array else "unstructured"

    def _read_csv(self, path: str) -> list[_RowError]:
        fmt = self.fmt
        width = len(self.columns)
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
        nulls = list(fmt.null_if) + ([""] if fmt.empty_field_as_null else [])
        self.con.execute(f"DROP TABLE IF EXISTS temp.{_REJECTS}")
        self.con.execute(f"DROP TABLE IF EXISTS temp.{_REJECT_SCANS}")
        padding = "false" if fmt.error_on_column_count_mismatch else "true"
        self.con.execute(
            f"CREATE TEMP TABLE {_LOAD} AS SELECT * FROM read_csv($1, header=false, skip=$2, "
            f"delim=$3, quote=$4, all_varchar=true, nullstr=$5, allow_quoted_nulls=false, "
            f"auto_detect=false, columns={columns}, compression=$6, null_padding={padding}, "
            f"store_rejects=true, rejects_table='{_REJECTS}', rejects_scan='{_REJECT_SCANS}')",
            [
                path,
                fmt.skip_header,
                fmt.field_delimiter,
                fmt.enclosed_by,
                nulls,
                _COMPRESSIONS[fmt.compression],
            ],
        )
        if fmt.trim_space:
            sets = ", ".join(f"c{i} = trim(c{i})" for i in range(width))
            self.con.execute(f"UPDATE temp.{_LOAD} SET {sets}")
        rows = self.con.execute(
            f"SELECT line, column_idx, error_type, csv_line, error_message "
            f"FROM temp.{_REJECTS} ORDER BY line"
        ).fetchall()
        rejects = []
        for line, column_idx, error_type, csv_line, message in rows:
            found = re.search(r"Found: (\d+)", str(message))
            if str(error_type) in ("TOO MANY COLUMNS", "MISSING COLUMNS") and found:
                text = (
                    f"Number of columns in file ({found[1]}) does not match that of the "
                    f"corresponding table ({width}), use file format option "
                    "error_on_column_count_mismatch=false to ignore this error"
                )
                kind, args = "copy_columns", {"found": found[1], "expected": width}
            else:
                text, kind, args = str(message).splitlines()[0], "copy_parse", {}
            index = max(int(column_idx or 1) - 1, 0)
            character = _character(str(csv_line or ""), index, fmt.field_delimiter)
            column = self._column_label(min(index, width - 1)) if width else None
            rejects.append(_RowError(int(line), character, column, kind, text, args))
        return rejects

    # -------------------------------------------------------------- checking

    def _bad_condition(self) -> str:
        parts = []
        for i, c in enumerate(self.columns):
            cast = f"TRY_CAST(c{i} AS {c.duck_type})"
            bad = f"(c{i} IS NOT NULL AND {cast} IS NULL)"
            if c.not_null:
                bad = f"({bad} OR c{i} IS NULL)"
            parts.append(bad)
        return " OR ".join(parts) or "FALSE"

    def _first_error(self, bad: str, rejects: list[_RowError]) -> _RowError | None:
        conversion: _RowError | None = None
        if self.columns:
            cases = " ".join(
                f"WHEN (c{i} IS NOT NULL AND TRY_CAST(c{i} AS {c.duck_type}) IS NULL)"
                f"{f' OR c{i} IS NULL' if c.not_null else ''} THEN {i}"
                for i, c in enumerate(self.columns)
            )
            values_sql = ", ".join(f"CAST(c{i} AS VARCHAR)" for i in range(len(self.columns)))
            row = self.con.execute(
                f"SELECT rowid, CASE {cases} END AS col, {values_sql} FROM temp.{_LOAD} "
                f"WHERE {bad} ORDER BY rowid LIMIT 1"
            ).fetchone()
            if row is not None:
                # Rows created in an open transaction have transaction-local rowids: count
                # from the first one.
                base = self._count(f"SELECT min(rowid) FROM temp.{_LOAD}")
                rowid, index = int(row[0]) - base, int(row[1])
                values = [None if v is None else str(v) for v in row[2:]]
                conversion = self._conversion_error(rowid, index, values, rejects)
        candidates = [e for e in (conversion, rejects[0] if rejects else None) if e is not None]
        return min(candidates, key=lambda e: e.line) if candidates else None

    def _conversion_error(
        self, rowid: int, index: int, values: list[str | None], rejects: list[_RowError]
    ) -> _RowError:
        column = self.columns[index]
        value = values[index]
        line = self._line_of(rowid, rejects)
        delimiter = self.fmt.field_delimiter if self.fmt.type == "CSV" else ""
        character = sum(len(v or "") + 1 for v in values[:index]) + 1 if delimiter else 1
        label = self._column_label(index)
        if value is None:
            message = "NULL result in a non-nullable column"
            return _RowError(line, character, label, "copy_not_null", message, {})
        kind, template = _conversion_kind(column)
        return _RowError(
            line, character, label, kind, template.format(value=value), {"value": value}
        )

    def _column_label(self, index: int) -> str:
        """Snowflake's column reference in load errors: `"T"["AMOUNT":3]`."""
        column = self.columns[index]
        position = [c.name for c in self.table.columns].index(column.name) + 1
        return f'"{self.table.name}"["{column.name}":{position}]'

    def _line_of(self, rowid: int, rejects: list[_RowError]) -> int:
        """The file line of the `rowid`-th parsed row (0-based): lines are counted after the
        skipped header, passing over the rows DuckDB rejected."""
        if self.fmt.type != "CSV":
            return rowid + 1
        rejected = {e.line for e in rejects}
        line = self.fmt.skip_header
        for _ in range(rowid + 1):
            line += 1
            while line in rejected:
                line += 1
        return line

    def _row_number(self, line: int) -> int:
        return max(line - self.fmt.skip_header, 1) if self.fmt.type == "CSV" else line

    def _shaped(self, where: str) -> tuple[str, list[object]]:
        """The table's columns from the loaded rows: listed columns converted, the others
        their default or NULL."""
        position = {c.name: i for i, c in enumerate(self.columns)}
        tr = self.ctx.translator()
        exprs = []
        for c in self.table.columns:
            if c.name in position:
                exprs.append(f"TRY_CAST(c{position[c.name]} AS {c.duck_type})")
            elif c.default:
                exprs.append(_default_sql(self.ctx, tr, c.default))
            else:
                exprs.append("NULL")
        sql = f"SELECT {', '.join(exprs)} FROM temp.{_LOAD} WHERE {where} ORDER BY rowid"
        return sql, tr.params


def _matches(name: str, found: list[str], insensitive: bool) -> list[str]:
    return [f for f in found if f == name or (insensitive and f.upper() == name.upper())]


def _conversion_kind(column: ColumnMeta) -> tuple[str, str]:
    duck = column.duck_type.upper()
    if duck.startswith(("DECIMAL", "BIGINT", "INTEGER", "DOUBLE", "FLOAT", "HUGEINT", "SMALLINT")):
        return "copy_numeric", "Numeric value '{value}' is not recognized"
    if duck == "DATE":
        return "copy_date", "Date '{value}' is not recognized"
    if duck.startswith("TIMESTAMP"):
        return "copy_timestamp", "Timestamp '{value}' is not recognized"
    if duck == "TIME":
        return "copy_time", "Time '{value}' is not recognized"
    if duck == "BOOLEAN":
        return "copy_boolean", "Boolean value '{value}' is not recognized"
    if duck == "JSON":
        return "copy_json", "Error parsing JSON: {value}"
    return "copy_value", "Value '{value}' is not recognized"


def _character(line: str, index: int, delimiter: str) -> int:
    """1-based position of field `index` in a CSV line (naively split)."""
    fields = line.split(delimiter)
    return sum(len(f) + 1 for f in fields[:index]) + 1


def _duck_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return re.sub(r"^[A-Za-z ]+Error: ", "", text)


def _line_in(message: str) -> int | None:
    m = re.search(r"[Ll]ine:? (\d+)", message)
    return int(m[1]) if m else None
