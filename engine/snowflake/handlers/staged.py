"""`SELECT … FROM @stage[/path] [(FILE_FORMAT => …, PATTERN => '…')] [alias]`: the rows of
staged files as a relation, with columns `$1`, `$2` … and, when the statement names them, the
METADATA$ columns.

The stage is resolved as COPY resolves it (handlers/stages.py): an internal stage needs READ
(or WRITE, which implies it), an external one USAGE, a table's stage its ownership. The files
are those under the path (PATTERN: the ones whose path matches it), each parsed by the stage's
file format: CSV gives one VARCHAR column per field (`$1` the first; a row with fewer fields
has NULLs after them), JSON and PARQUET one VARIANT `$1` per record. The rows are read while
the statement is translated into a temporary table of this statement (dropped by the next
statement that reads staged files), so DuckDB never sees a user's path.
"""

from __future__ import annotations

import contextlib
from typing import Any

from cloneshell.engine.core import scratch
from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.snowflake import copyload, filecolumns, stages
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.handlers.stages import Stage, cancel_check, resolve_stage
from cloneshell.grammar import ast

_PREFIX = "__cs_staged_"
# The METADATA$ columns, with their DuckDB types (Snowflake's "Querying metadata for staged
# files"): the file's path in the stage, the row's number in its file, the file's checksum, its
# last modification and when the scan started.
_METADATA = (
    ("METADATA$FILENAME", "VARCHAR"),
    ("METADATA$FILE_ROW_NUMBER", "BIGINT"),
    ("METADATA$FILE_CONTENT_KEY", "VARCHAR"),
    ("METADATA$FILE_LAST_MODIFIED", "TIMESTAMP"),
    ("METADATA$START_SCAN_TIME", "TIMESTAMP WITH TIME ZONE"),
)


def _constant_text(e: ast.Expr | None, what: str) -> str | None:
    if e is None:
        return None
    if isinstance(e, ast.Literal) and e.kind == "string":
        return str(e.value)
    raise SemanticError("invalid", e.span, message=f"{what} takes a string constant")


def relation(ctx: SnowflakeContext, item: ast.StagedFiles) -> Relation:
    """The staged files' rows (see the module's text)."""
    stage = resolve_stage(ctx, item.stage, "READ", what="SELECT")
    if item.file_format is not None:
        raise UnsupportedError(
            "unsupported",
            item.file_format.span,
            message="named file formats (FILE_FORMAT => …): the stage's own file format is read",
        )
    fmt = copyload.parse_format(stage.file_format, item.stage.span)
    con = ctx.session.warehouse.con
    files = stage.files(cancel_check(ctx))
    pattern = _constant_text(item.pattern, "PATTERN")
    if pattern is not None:
        chosen = stages.FilePattern(pattern, item.pattern.span if item.pattern else None)
        chosen.check(con)
        files = chosen.select(con, files)
    tag = "".join(ch for ch in ctx.statement_id if ch.isalnum())
    for (old,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, $1) "
        "AND NOT starts_with(table_name, $2)",
        [_PREFIX, _PREFIX + tag],
    ).fetchall():
        con.execute(f"DROP TABLE IF EXISTS temp.{quote_ident(str(old))}")
    name = f"{_PREFIX}{tag}_{item.span.start}"
    metadata = "METADATA$" in ctx.source.upper()
    # A column past a row's last field is NULL: the relation has every `$n` the text names.
    present = _read(ctx, stage, files, fmt, name)
    width = max(present, min(filecolumns.highest(ctx.source), 10_000))
    columns = [
        f"{quote_ident(f'c{i}') if i < present else 'CAST(NULL AS VARCHAR)'} AS "
        f"{quote_ident(f'${i + 1}')}"
        for i in range(width)
    ]
    if metadata:
        columns += [f"{quote_ident(m)}" for m, _ in _METADATA]
    if not columns:
        columns = [f"CAST(NULL AS VARCHAR) AS {quote_ident('$1')}"]
    alias = item.stage.name.parts[-1].name if item.stage.name is not None else "STAGE"
    sql = (
        f"(SELECT {', '.join(columns)} FROM temp.{quote_ident(name)} ORDER BY __cs_file, __cs_row)"
    )
    return Relation(sql, alias.upper())


def _read(
    ctx: SnowflakeContext,
    stage: Stage,
    files: list[stages.StagedFile],
    fmt: copyload.FileFormat,
    name: str,
) -> int:
    """Read the files into temp table `name` (c0 … cN, the file's index and row number and
    the METADATA$ values); return N + 1, the widest file's number of columns."""
    con = ctx.session.warehouse.con
    parts: list[tuple[str, list[Any]]] = []
    width = 1 if fmt.type != "CSV" else 0
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(scratch.folder(ctx.session.warehouse.root, "query"))
        check = cancel_check(ctx)
        for index, f in enumerate(files):
            path, md5 = stages.for_reader(f, folder, index, stage.warehouse, check)
            if f.size == 0:
                continue
            source, params = _reader(fmt, str(path))
            if fmt.type == "CSV":
                described = con.execute(f"SELECT * FROM {source} LIMIT 0", params).description
                count = len(described or ())
                width = max(width, count)
                cells = [quote_ident(str(d[0])) for d in described or ()]
                if fmt.trim_space:
                    cells = [f"trim({c})" for c in cells]
                values = ", ".join(f"{c} AS c{i}" for i, c in enumerate(cells))
            else:
                values = "c0"
            per_file = [(m, t) for m, t in _METADATA if m != "METADATA$FILE_ROW_NUMBER"]
            meta = ", ".join(
                f"CAST(${len(params) + k + 1} AS {t}) AS {quote_ident(m)}"
                for k, (m, t) in enumerate(per_file)
            )
            parts.append(
                (
                    f"SELECT {values}, {index} AS __cs_file, row_number() OVER () AS __cs_row, "
                    f"row_number() OVER () AS {quote_ident('METADATA$FILE_ROW_NUMBER')}, {meta} "
                    f"FROM {source}",
                    [*params, f.path, md5, f.modified, ctx.now],
                )
            )
        cell = "VARCHAR" if fmt.type == "CSV" else "JSON"
        empty = ", ".join(
            [f"CAST(NULL AS {cell}) AS c{i}" for i in range(width)]
            + ["0 AS __cs_file", "0 AS __cs_row"]
            + [f"CAST(NULL AS {t}) AS {quote_ident(m)}" for m, t in _METADATA]
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE {quote_ident(name)} AS SELECT {empty} LIMIT 0")
        for sql, params in parts:
            con.execute(f"INSERT INTO temp.{quote_ident(name)} BY NAME {sql}", params)
    return width


def _reader(fmt: copyload.FileFormat, path: str) -> tuple[str, list[Any]]:
    """The DuckDB table function reading one file in the format, and its parameters."""
    compression = copyload._COMPRESSIONS[fmt.compression]
    if fmt.type == "CSV":
        nulls = list(fmt.null_if) + ([""] if fmt.empty_field_as_null else [])
        return (
            "read_csv($1, header=false, skip=$2, delim=$3, quote=$4, all_varchar=true, "
            "nullstr=$5, allow_quoted_nulls=false, null_padding=true, compression=$6)",
            [path, fmt.skip_header, fmt.field_delimiter, fmt.enclosed_by, nulls, compression],
        )
    if fmt.type == "PARQUET":
        return "(SELECT to_json(t) AS c0 FROM read_parquet($1) t)", [path]
    shape = "array" if fmt.strip_outer_array else "unstructured"
    return (
        f"(SELECT json AS c0 FROM read_json($1, format='{shape}', records=false, "
        "columns={'json': 'JSON'}, compression=$2))",
        [path, compression],
    )
