"""Snowflake stages and loading: CREATE STAGE (internal, external, CLONE), PUT, LIST, REMOVE,
COPY INTO <table>, SHOW STAGES, DESC STAGE (reference/snowflake.md §7.1).

Internal stages (named ones, every table's `@%t`, every user's `@~`) keep their files inside
the warehouse (stages.py); an external stage keeps its URL: `file://` URLs name a local
directory (an emulator extension for testing), other schemes keep their definition and fail
with a clear error when read. PUT copies the shell user's own local file into an internal
stage; COPY reads only the selected files of one stage.

Privileges: internal stages READ (LIST, COPY) and WRITE (PUT, REMOVE); external stages USAGE;
a table's stage belongs to the table's owner; COPY needs INSERT on the table. Replies follow
Snowflake: `Stage area S successfully created.`; PUT's source/target/…/status rows; LIST's
name/size/md5/last_modified; REMOVE's name/result; COPY's file/status/rows_parsed/… rows or
`Copy executed with 0 files processed.`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import Any

from cloneshell.engine.core import scratch
from cloneshell.engine.core.catalog import SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import EngineError, SemanticError, UnsupportedError
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import copyload, objects, pipeline, stages
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.ddl import already_exists, exclusive
from cloneshell.engine.snowflake.handlers.dml import _check_not_null
from cloneshell.engine.snowflake.objects import PipelineObject
from cloneshell.engine.snowflake.pipeline import stamp
from cloneshell.grammar import ast
from cloneshell.grammar.records import record

SF = "snowflake"
_STAGE_KEYS = {
    "URL",
    "FILE_FORMAT",
    "COPY_OPTIONS",
    "STORAGE_INTEGRATION",
    "CREDENTIALS",
    "ENCRYPTION",
    "DIRECTORY",
}


def folder_name(obj: PipelineObject) -> str:
    """A named internal stage's folder (see stages.py)."""
    return f"s{obj.object_id}_{obj.created_version}"


def table_folder_name(table: TableMeta) -> str:
    """A table stage's folder (see stages.py)."""
    return f"t{table.table_id}_{table.created_version}"


def is_external(obj: PipelineObject) -> bool:
    """True for a stage with a URL."""
    return bool(obj.prop("url"))


# ---------------------------------------------------------------------------- CREATE STAGE


def stage_props(options: tuple[ast.ObjectOption, ...]) -> dict[str, Any]:
    """A stage's properties from CREATE STAGE's options, checked. Credentials are not kept,
    only that there were some (SHOW STAGES `has_credentials`)."""
    props: dict[str, Any] = {"url": "", "file_format": {}, "copy_options": {}}
    for key, (value, span) in copyload.options_dict(options).items():
        if key not in _STAGE_KEYS:
            raise SemanticError("invalid", span, message=f"invalid stage property {key}")
        if key == "URL":
            props["url"] = stages.check_url(copyload.option_text(key, value, span), span)
        elif key == "FILE_FORMAT":
            if not isinstance(value, dict):
                raise SemanticError("invalid", span, message="FILE_FORMAT takes (TYPE = … …)")
            props["file_format"] = copyload.check_format(value, span)
        elif key == "COPY_OPTIONS":
            if not isinstance(value, dict):
                raise SemanticError("invalid", span, message="COPY_OPTIONS takes (… = …)")
            props["copy_options"] = value
        elif key == "STORAGE_INTEGRATION":
            props["storage_integration"] = copyload.option_text(key, value, span)
        elif key == "CREDENTIALS":
            props["has_credentials"] = True
        elif key == "ENCRYPTION":
            props["has_encryption_key"] = True
        elif key == "DIRECTORY":
            props["directory"] = value
    return props


def create_stage(ctx: SnowflakeContext, stmt: ast.CreateStage) -> Status:
    """CREATE [OR REPLACE] STAGE [IF NOT EXISTS] s [URL = '…'] [FILE_FORMAT = (…)]
    [COMMENT = '…'], or `… STAGE s CLONE src` (external stages only: the seed's "Individual
    external named stages can be cloned; internal named stages cannot be cloned")."""
    if stmt.temporary:
        raise UnsupportedError("unsupported", stmt.span, message="TEMPORARY STAGE")
    exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    t = pipeline.resolve(ctx, stmt.name, "STAGE", "CREATE STAGE")
    pipeline.require_create(ctx, t, "STAGE")
    comment = stmt.comment
    if stmt.clone is not None:
        props, clone_comment = _clone_source(ctx, stmt)
        comment = comment if comment is not None else clone_comment
    else:
        props = stage_props(stmt.options)
    replaced = pipeline.name_taken(
        ctx, t, "STAGE", stmt.if_not_exists, stmt.or_replace, stmt.name.span
    )
    if replaced == "exists":
        return already_exists(ctx, t.name)
    with ctx.write_db(t.db, "CREATE STAGE") as version:
        after = (
            pipeline.drop_row(ctx, t.db, replaced) if isinstance(replaced, PipelineObject) else None
        )
        pipeline.new_object(ctx, t, "STAGE", version, comment=comment, props=props)
    if after is not None:
        after()
    return Status(f"Stage area {t.name} successfully created.", ctx.statement_id)


def _clone_source(ctx: SnowflakeContext, stmt: ast.CreateStage) -> tuple[dict[str, Any], str]:
    assert stmt.clone is not None
    if stmt.clone.time_travel is not None:
        raise SemanticError(
            "semantic",
            stmt.clone.time_travel.span,
            message="AT | BEFORE clones databases, schemas and tables only",
        )
    if stmt.options:
        raise SemanticError(
            "semantic", stmt.options[0].span, message="a stage clone takes its source's properties"
        )
    src, obj = pipeline.require(ctx, stmt.clone.source, "STAGE", "CREATE STAGE")
    if not is_external(obj):
        raise SemanticError(
            "semantic",
            stmt.clone.source.span,
            message=f"Internal stage '{src.fq}' cannot be cloned: individual external named "
            "stages can be cloned, internal named stages cannot (a database or schema clone "
            "with INCLUDE INTERNAL STAGES clones them, empty).",
        )
    pipeline.require_privilege(ctx, src.db, obj, "USAGE")
    return dict(obj.props), obj.comment


def dropped(ctx: SnowflakeContext, db: Db, obj: PipelineObject) -> Callable[[], None] | None:
    """After a dropped stage commits: delete its files (an internal stage's folder)."""
    if is_external(obj):
        return None
    folder = stages.database_dir(ctx.session.warehouse.root, db.info.file) / folder_name(obj)
    return lambda: stages.delete_folder(folder)


def sweep(ctx: SnowflakeContext, db: Db) -> None:
    """Delete this database's stage folders whose stage or table is gone."""
    keep = {folder_name(o) for o in objects.list_objects(db.cat, "STAGE") if not is_external(o)}
    keep |= {table_folder_name(t) for t in db.cat.all_tables()}
    stages.sweep(stages.database_dir(ctx.session.warehouse.root, db.info.file), keep)


# ---------------------------------------------------------------------------- resolving


@record(slots=True)
class Stage:
    """A stage location a statement uses: where its files are and how COPY names them."""

    kind: str  # INTERNAL | EXTERNAL | TABLE | USER | URL
    prefix: str  # the path after the stage name (a prefix of the files' paths)
    display: str  # what file names start with in LIST and COPY output
    base: Path | None = None  # internal stages: the folder
    url: str = ""  # external stages and locations
    file_format: dict[str, Any] = field(default_factory=dict)
    db: Db | None = None
    obj: PipelineObject | None = None
    table: TableMeta | None = None
    span: ast.Span | None = None

    @property
    def internal(self) -> bool:
        """True when the files are inside the warehouse."""
        return self.base is not None

    warehouse: Path | None = None  # external stages: never list the warehouse's own files

    def root(self) -> Path:
        """The directory holding the stage's files (an external `file://` one, or the
        internal folder)."""
        if self.base is not None:
            return self.base
        assert self.warehouse is not None
        return stages.local_directory(self.url, self.warehouse, self.span)

    def files(self, check: stages.Check) -> list[stages.StagedFile]:
        """The stage's files under its prefix (`check`: stops when the statement is
        cancelled)."""
        return stages.list_files(self.root(), self.prefix, warehouse=self.warehouse, check=check)

    def name_of(self, f: stages.StagedFile) -> str:
        """How LIST and COPY show a file."""
        return self.display + f.path


def cancel_check(ctx: SnowflakeContext) -> stages.Check:
    """A `stages.Check` raising the coded "canceled" error once the statement is interrupted
    (Ctrl-C): file work done in Python, which DuckDB's interrupt does not reach."""
    requested = ctx.session.cancel_requested

    def check() -> None:
        if requested.is_set():
            raise EngineError("cancelled")

    return check


def resolve_stage(
    ctx: SnowflakeContext, ref: ast.StageRef, access: str, *, what: str = "LIST"
) -> Stage:
    """The stage a location names, with the privilege `access` (READ or WRITE) checked."""
    prefix = stages.check_path(ref.path, ref.span)
    root = ctx.session.warehouse.root
    if ref.kind == "URL":
        url = stages.check_url(ref.url, ref.span)
        display = url if url.endswith("/") else url + "/"
        return Stage("URL", "", display, url=url, span=ref.span, warehouse=root)
    if ref.kind == "USER":
        base = stages.user_dir(root, ctx.session.principal)
        return Stage("USER", prefix, "", base=base, span=ref.span)
    assert ref.name is not None
    if ref.kind == "TABLE":
        target = ctx.require_table(ref.name, what)
        table = target.table
        assert table is not None
        # A table's stage is its owner's (Snowflake: only the table owner can use it).
        ctx.auth.require_owner(table.owner, "table", table.name)
        base = stages.database_dir(root, target.db.info.file) / table_folder_name(table)
        return Stage("TABLE", prefix, "", base=base, db=target.db, table=table, span=ref.span)
    t, obj = pipeline.require(ctx, ref.name, "STAGE", what)
    if is_external(obj):
        pipeline.require_privilege(ctx, t.db, obj, "USAGE")
        url = str(obj.prop("url"))
        base_url = url if url.endswith("/") else url + "/"
        return Stage(
            "EXTERNAL",
            prefix,
            base_url,
            url=url,
            file_format=dict(obj.prop("file_format", {})),
            db=t.db,
            obj=obj,
            span=ref.span,
            warehouse=root,
        )
    needed = ("WRITE",) if access == "WRITE" else ("READ", "WRITE")
    pipeline.require_privilege(ctx, t.db, obj, *needed)
    base = stages.database_dir(root, t.db.info.file) / folder_name(obj)
    return Stage(
        "INTERNAL",
        prefix,
        obj.name.lower() + "/",
        base=base,
        file_format=dict(obj.prop("file_format", {})),
        db=t.db,
        obj=obj,
        span=ref.span,
    )


def _options_of(
    options: tuple[ast.ObjectOption, ...], allowed: tuple[str, ...]
) -> dict[str, tuple[Any, ast.Span]]:
    """A statement's options by key, refusing any not in `allowed`."""
    given = copyload.options_dict(options)
    for key, (_, span) in given.items():
        if key not in allowed:
            raise SemanticError("invalid", span, message=f"invalid option {key}")
    return given


# ---------------------------------------------------------------------------- PUT, LIST, REMOVE

_PUT_COLUMNS = (
    ("source", "TEXT"),
    ("target", "TEXT"),
    ("source_size", "NUMBER"),
    ("target_size", "NUMBER"),
    ("source_compression", "TEXT"),
    ("target_compression", "TEXT"),
    ("status", "TEXT"),
    ("message", "TEXT"),
)


def put(ctx: SnowflakeContext, stmt: ast.PutFile) -> Rows:
    """PUT file://<path> @stage[/path] [AUTO_COMPRESS = TRUE|FALSE] [OVERWRITE = TRUE|FALSE]:
    the shell's user copying their own files (wildcards allowed in the file name) into an
    internal stage; a relative path is relative to the shell's working directory."""
    given = _options_of(
        stmt.options, ("AUTO_COMPRESS", "OVERWRITE", "PARALLEL", "SOURCE_COMPRESSION")
    )
    auto = copyload.option_bool("AUTO_COMPRESS", given.get("AUTO_COMPRESS", (True, None))[0], None)
    overwrite = copyload.option_bool("OVERWRITE", given.get("OVERWRITE", (False, None))[0], None)
    stage = resolve_stage(ctx, stmt.stage, "WRITE", what="PUT")
    if stage.base is None:
        raise UnsupportedError(
            "unsupported", stmt.stage.span, message="PUT to an external stage or location"
        )
    root = ctx.session.warehouse.root
    # Checked here for every file before any is copied; `stages.put` checks each file again
    # as it opens it.
    sources = [stages.outside_warehouse(p, root, stmt.span) for p in stages.local_files(stmt.file)]
    if not sources:
        raise EngineError("file_not_found", stmt.span, paths=f"['{stmt.file}']")
    if stage.db is not None:
        sweep(ctx, stage.db)
    with scratch.folder(root, "put") as folder:
        results = stages.put(
            sources,
            stage.base,
            stage.prefix,
            auto_compress=auto,
            overwrite=overwrite,
            when=ctx.now,
            scratch=folder,
            warehouse=root,
            check=cancel_check(ctx),
        )
    rows: list[tuple[object, ...]] = [
        (
            r.source,
            r.target,
            r.source_size,
            r.target_size,
            r.source_compression,
            r.target_compression,
            r.status,
            "",
        )
        for r in results
    ]
    return Rows(tuple(Column(n, t) for n, t in _PUT_COLUMNS), rows, ctx.statement_id)


def _listed(
    ctx: SnowflakeContext, stage: Stage, options: tuple[ast.ObjectOption, ...]
) -> list[stages.StagedFile]:
    given = _options_of(options, ("PATTERN",))
    pattern = None
    if "PATTERN" in given:
        value, span = given["PATTERN"]
        pattern = stages.FilePattern(copyload.option_text("PATTERN", value, span), span)
        pattern.check(ctx.session.warehouse.con)
    files = stage.files(cancel_check(ctx))
    return files if pattern is None else pattern.select(ctx.session.warehouse.con, files)


def list_stage(ctx: SnowflakeContext, stmt: ast.ListStage) -> Rows:
    """LIST @stage[/path] [PATTERN = '…']: name, size, md5, last_modified (RFC 1123, GMT)."""
    stage = resolve_stage(ctx, stmt.stage, "READ", what="LIST")
    rows: list[tuple[object, ...]] = [
        (
            stage.name_of(f),
            f.size,
            f.md5,
            f.modified.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        )
        for f in _listed(ctx, stage, stmt.options)
    ]
    cols = (("name", "TEXT"), ("size", "NUMBER"), ("md5", "TEXT"), ("last_modified", "TEXT"))
    return Rows(tuple(Column(n, t) for n, t in cols), rows, ctx.statement_id)


def remove_stage(ctx: SnowflakeContext, stmt: ast.RemoveStage) -> Rows:
    """REMOVE @stage[/path] [PATTERN = '…']: delete staged files (internal stages only: the
    emulator never deletes files outside the warehouse)."""
    stage = resolve_stage(ctx, stmt.stage, "WRITE", what="REMOVE")
    if stage.base is None:
        raise UnsupportedError(
            "unsupported",
            stmt.stage.span,
            message="REMOVE from an external stage: cloneshell never deletes files outside "
            "the warehouse",
        )
    files = _listed(ctx, stage, stmt.options)
    stages.remove(stage.base, files)
    rows: list[tuple[object, ...]] = [(stage.name_of(f), "removed") for f in files]
    cols = (("name", "TEXT"), ("result", "TEXT"))
    return Rows(tuple(Column(n, t) for n, t in cols), rows, ctx.statement_id)


# ---------------------------------------------------------------------------- COPY INTO


def select_files(
    ctx: SnowflakeContext, stage: Stage, options: copyload.CopyOptions
) -> tuple[list[stages.StagedFile], list[str]]:
    """The staged files a COPY reads (FILES, else PATTERN, else all under the path), and the
    names in FILES that are missing."""
    if options.pattern is not None:
        options.pattern.check(ctx.session.warehouse.con)
    files = stage.files(cancel_check(ctx))
    if options.files:
        base = (
            stage.prefix if not stage.prefix or stage.prefix.endswith("/") else stage.prefix + "/"
        )
        wanted = [base + stages.check_path(name) for name in options.files]
        by_path = {f.path: f for f in files}
        missing = [stage.display + w for w in wanted if w not in by_path]
        return [by_path[w] for w in wanted if w in by_path], missing
    if options.pattern is not None:
        files = options.pattern.select(ctx.session.warehouse.con, files)
    return files, []


def load_into(
    ctx: SnowflakeContext,
    target: Target,
    columns: list[str],
    stage: Stage,
    options: copyload.CopyOptions,
    pipe_key: str = "",
    kind: str = "COPY",
    only: Callable[[list[stages.StagedFile]], list[stages.StagedFile]] | None = None,
) -> tuple[list[copyload.FileResult], list[stages.StagedFile]]:
    """Load a stage's selected, not yet loaded files into `target` in one write transaction
    of its database; return the per-file results and the files loaded."""
    fmt = copyload.parse_format(
        copyload.merge_formats(stage.file_format, options.file_format), stage.span
    )
    files, missing = select_files(ctx, stage, options)
    if only is not None:
        files = only(files)
    if missing and options.on_error == "ABORT_STATEMENT":
        raise EngineError(
            "copy_parse",
            stage.span,
            message=f"Remote file '{missing[0]}' was not found.",
            detail="",
        )
    if not options.force:
        loaded = copyload.already_loaded(target, pipe_key)
        files = [f for f in files if (stage.name_of(f), f.md5) not in loaded]
    results = [
        copyload.FileResult(
            file=m,
            status="LOAD_FAILED",
            errors_seen=1,
            first_error=f"Remote file '{m}' was not found.",
        )
        for m in missing
    ]
    if not files:
        return results, []
    loader = copyload.Loader(ctx, target, columns, fmt, options, pipe_key)
    with contextlib.ExitStack() as stack:
        sources = _readable(ctx, stage, files, stack)
        with ctx.write_db(target.db, kind) as version:
            for f, (path, md5) in zip(files, sources, strict=True):
                results.append(
                    loader.load(version, copyload.SourceFile(stage.name_of(f), md5, f.size, path))
                )
            _check_not_null(ctx, target, version)
            if any(r.rows_loaded for r in results):
                assert target.table is not None
                target.db.cat.touch_table(target.table, ctx.now)
    return results, files


def _readable(
    ctx: SnowflakeContext,
    stage: Stage,
    files: list[stages.StagedFile],
    stack: contextlib.ExitStack,
) -> list[tuple[Path, str]]:
    """Where DuckDB reads each file, and the MD5 of those bytes (what load history keeps): a
    name the engine made in this statement's scratch folder (`stages.for_reader`), never the
    user's path, which DuckDB would read as a glob; for a `file://` stage a copy (DuckDB is
    sealed into the warehouse, and the engine chooses exactly which of the user's files it
    reads)."""
    folder = stack.enter_context(scratch.folder(ctx.session.warehouse.root, "load"))
    check = cancel_check(ctx)
    return [stages.for_reader(f, folder, i, stage.warehouse, check) for i, f in enumerate(files)]


def copy_columns(ctx: SnowflakeContext, target: Target, idents: tuple[ast.Ident, ...]) -> list[str]:
    """COPY's column list (all the table's columns when none is given), checked."""
    table = target.table
    assert table is not None
    names = [c.name for c in table.columns]
    if not idents:
        return names
    chosen = []
    for ident in idents:
        name = ctx.fold(ident)
        if name not in names:
            raise SemanticError("column_not_found", ident.span, name=name)
        chosen.append(name)
    return chosen


def copy_into(ctx: SnowflakeContext, stmt: ast.CopyInto) -> Rows:
    """COPY INTO t [(cols)] FROM @stage[/path] | 'file:///dir/' [FILES = (…)] [PATTERN = '…']
    [FILE_FORMAT = (…)] [ON_ERROR = …] [FORCE = TRUE] [PURGE = TRUE] [MATCH_BY_COLUMN_NAME = …]."""
    target = ctx.require_table(stmt.table, "COPY")
    ctx.require_table_privilege(target, "INSERT")
    columns = copy_columns(ctx, target, stmt.columns)
    options = copyload.copy_options(stmt.options)
    stage = resolve_stage(ctx, stmt.source, "READ", what="COPY")
    if options.purge and not stage.internal:
        raise UnsupportedError(
            "unsupported",
            stmt.source.span,
            message="PURGE from an external stage: cloneshell never deletes files outside "
            "the warehouse",
        )
    results, files = load_into(ctx, target, columns, stage, options)
    if options.purge and stage.base is not None:
        loaded = {r.file for r in results if r.status != "LOAD_FAILED"}
        stages.remove(stage.base, [f for f in files if stage.name_of(f) in loaded])
    return copyload.copy_reply(ctx, results)


# ---------------------------------------------------------------------------- SHOW, DESC

SHOW_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
    ("url", "TEXT"),
    ("has_credentials", "TEXT"),
    ("has_encryption_key", "TEXT"),
    ("owner", "TEXT"),
    ("comment", "TEXT"),
    ("region", "TEXT"),
    ("type", "TEXT"),
    ("cloud", "TEXT"),
    ("notification_channel", "TEXT"),
    ("storage_integration", "TEXT"),
    ("owner_role_type", "TEXT"),
)
TERSE_COLUMNS = pipeline.TERSE_COLUMNS
_CLOUDS = {"s3": "AWS", "s3gov": "AWS", "gcs": "GCP", "azure": "AZURE"}


def show_row(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject
) -> tuple[object, ...]:
    """One SHOW STAGES row (columns as reference/snowflake.md §7.1)."""
    url = str(obj.prop("url", ""))
    return (
        stamp(obj.created_at),
        obj.name,
        db.name,
        schema.name,
        url,
        "Y" if obj.prop("has_credentials") else "N",
        "Y" if obj.prop("has_encryption_key") else "N",
        obj.owner,
        obj.comment,
        None,
        "EXTERNAL" if url else "INTERNAL",
        _CLOUDS.get(stages.url_scheme(url)) if url else None,
        None,
        obj.prop("storage_integration"),
        "ROLE",
    )


def terse_row(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject
) -> tuple[object, ...]:
    """One SHOW TERSE STAGES row."""
    kind = "EXTERNAL" if is_external(obj) else "INTERNAL"
    return pipeline.terse_start(db, schema, obj, kind)


def describe_rows(ctx: SnowflakeContext, obj: PipelineObject) -> Rows:
    """DESC STAGE: its properties as Snowflake lists them (parent_property, property,
    property_type, property_value, property_default), for the ones cloneshell keeps."""
    fmt = obj.prop("file_format", {})
    defaults = copyload.FileFormat()
    rows: list[tuple[object, ...]] = [
        (
            "STAGE_LOCATION",
            "URL",
            "String",
            f'["{obj.prop("url")}"]' if obj.prop("url") else "",
            "",
        ),
        ("STAGE_FILE_FORMAT", "TYPE", "String", str(fmt.get("TYPE", "CSV")).upper(), "CSV"),
        (
            "STAGE_FILE_FORMAT",
            "FIELD_DELIMITER",
            "String",
            str(fmt.get("FIELD_DELIMITER", defaults.field_delimiter)),
            defaults.field_delimiter,
        ),
        (
            "STAGE_FILE_FORMAT",
            "SKIP_HEADER",
            "Integer",
            str(fmt.get("SKIP_HEADER", defaults.skip_header)),
            str(defaults.skip_header),
        ),
    ]
    cols = (
        ("parent_property", "TEXT"),
        ("property", "TEXT"),
        ("property_type", "TEXT"),
        ("property_value", "TEXT"),
        ("property_default", "TEXT"),
    )
    return Rows(tuple(Column(n, t) for n, t in cols), rows, ctx.statement_id)
