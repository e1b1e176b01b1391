"""Where staged files live, and the file operations on them (PUT, LIST, REMOVE, reading an
external `file://` location). Plain Python file I/O: DuckDB never sees a path from here until
the file is inside the warehouse directory.

Layout inside the warehouse (README "The warehouse on disk"):
  <warehouse>/stages/<database file>/s<stage id>_<version>/   a named internal stage
  <warehouse>/stages/<database file>/t<table id>_<version>/   a table's stage (@%t)
  <warehouse>/stages/users/<hash of the user name>/            a user's stage (@~)
  <warehouse>/tmp/load_<random>/                               files of one COPY from file://
Folder names come from ids and the version that created the object, never from user text, and
are never reused: a stage or table that is dropped and created again gets a new, empty folder,
and a clone (a new database file, a new table) starts with none. Files inside a stage keep the
names PUT gave them under the path the user chose; every such path is checked (no `..`, no
absolute paths, no backslashes or control characters) and resolved inside its folder. Folders
whose object is gone are deleted after the statement that dropped it, or by `sweep`.
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from cloneshell.engine.core.errors import EngineError, SemanticError, UnsupportedError
from cloneshell.grammar.errors import Span
from cloneshell.grammar.records import record

STAGES = "stages"
# A staged path: segments of printable characters other than `/` and `\`, none `.` or `..`.
_BAD_SEGMENT = re.compile(r"[\\\x00-\x1f\x7f]")
# Compressions recognised from a file's name (PUT's SOURCE_COMPRESSION = AUTO_DETECT).
_COMPRESSED = {".gz": "GZIP", ".bz2": "BZ2", ".zst": "ZSTD", ".br": "BROTLI", ".deflate": "DEFLATE"}
_SELF_COMPRESSED = {".parquet": "PARQUET", ".orc": "ORC"}


@record(frozen=True, slots=True)
class StagedFile:
    """One file in a stage: its path relative to the stage, size, MD5 and modification time
    (UTC), and where it is on disk."""

    path: str
    size: int
    md5: str
    modified: datetime
    location: Path


def database_dir(root: Path, db_file: str) -> Path:
    """The folder holding a database's internal stages (the file name is engine-made)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{2,27}", db_file):
        raise EngineError("invalid", message=f"invalid database file name {db_file!r}")
    return root / STAGES / db_file


def user_dir(root: Path, user: str) -> Path:
    """A user's stage (@~): named by a hash, never by the user's text."""
    digest = hashlib.sha256(user.encode("utf-8")).hexdigest()[:32]
    return root / STAGES / "users" / digest


def check_path(path: str, span: Span | None = None) -> str:
    """A path inside a stage as given after `@stage/`: `/`-separated segments, none of them
    empty, `.` or `..`, with no backslash or control character; a trailing `/` is kept."""
    if not path:
        return ""
    segments = path.split("/")
    inner = segments[:-1] if segments[-1] == "" else segments
    for segment in inner:
        if segment in ("", ".", "..") or _BAD_SEGMENT.search(segment):
            shown = path.encode("unicode_escape").decode("ascii")[:80]
            raise SemanticError(
                "invalid",
                span,
                message=f"invalid stage path '{shown}': use /-separated names without '..', "
                "'.', empty parts, backslashes or control characters",
            )
    return path


def inside(base: Path, relative: str) -> Path:
    """`base/relative`, refusing anything that would resolve outside `base` (a symlink
    included)."""
    target = (base / relative).resolve()
    if not target.is_relative_to(base.resolve()):
        raise SemanticError("invalid", message=f"invalid stage path '{relative}'")
    return target


def list_files(base: Path, prefix: str = "", skip: Path | None = None) -> list[StagedFile]:
    """Every regular file under `base` whose relative path starts with `prefix` (Snowflake
    stage paths are prefixes, not directories), by path. Symlinked directories are not
    followed, and nothing under `skip` (the warehouse, when a local directory holds it) is
    listed."""
    if not base.is_dir():
        return []
    skipped = skip.resolve() if skip is not None else None
    found: list[StagedFile] = []
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(
            d
            for d in dirs
            if not os.path.islink(os.path.join(folder, d))
            and (skipped is None or Path(folder, d).resolve() != skipped)
        )
        for name in files:
            location = Path(folder) / name
            relative = location.relative_to(base).as_posix()
            if not relative.startswith(prefix) or not location.is_file():
                continue
            stat = location.stat()
            found.append(
                StagedFile(
                    path=relative,
                    size=stat.st_size,
                    md5=file_md5(location),
                    modified=datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None),
                    location=location,
                )
            )
    return sorted(found, key=lambda f: f.path)


def file_md5(path: Path) -> str:
    """The hex MD5 of a file's bytes (LIST's `md5`; load history tells files apart by it)."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def compression_of(name: str) -> str:
    """The compression a file's name says it has: GZIP, BZ2, ZSTD, …, PARQUET/ORC (formats
    that compress themselves), else NONE."""
    suffix = Path(name).suffix.lower()
    return _COMPRESSED.get(suffix) or _SELF_COMPRESSED.get(suffix) or "NONE"


# ---------------------------------------------------------------------------- PUT


@record(frozen=True, slots=True)
class PutResult:
    """One row of PUT's reply."""

    source: str
    target: str
    source_size: int
    target_size: int
    source_compression: str
    target_compression: str
    status: str  # UPLOADED | SKIPPED


def outside_warehouse(path: Path, root: Path, span: Span | None = None) -> Path:
    """`path`, refused if it is in the warehouse directory: PUT sources and `file://` stage
    locations are the user's own files, never the warehouse's (whose database files and
    stages only the engine reads, after checking privileges)."""
    if path.resolve().is_relative_to(root.resolve()):
        raise SemanticError("invalid", span, message=f"{path} is inside the warehouse directory")
    return path


def local_files(pattern: str, cwd: Path | None = None) -> list[Path]:
    """The local files a PUT names: a path (relative to the working directory, `~` expanded)
    whose last part may hold `*` and `?` wildcards. Directories are ignored."""
    expanded = os.path.expanduser(pattern)
    base = Path(expanded) if os.path.isabs(expanded) else (cwd or Path.cwd()) / expanded
    if glob.has_magic(base.name) and not glob.has_magic(str(base.parent)):
        matches = [Path(p) for p in glob.glob(glob.escape(str(base.parent)) + "/" + base.name)]
    elif glob.has_magic(str(base)):
        raise SemanticError(
            "invalid", message="PUT accepts wildcards (* and ?) in the file name only"
        )
    else:
        matches = [base]
    return sorted(p for p in matches if p.is_file())


def put(
    sources: list[Path],
    base: Path,
    prefix: str,
    *,
    auto_compress: bool,
    overwrite: bool,
    when: datetime,
) -> list[PutResult]:
    """Copy local files into a stage folder under `prefix`, gzip-compressing uncompressed ones
    when `auto_compress` (as Snowflake's AUTO_COMPRESS = TRUE does), and stamping them with the
    session's clock (LIST's last_modified follows `\\clock`). An existing file is kept
    (SKIPPED) unless `overwrite`. Each file is written to a temporary name and renamed, so a
    stage never holds half a file."""
    results: list[PutResult] = []
    directory = prefix if prefix.endswith("/") or not prefix else prefix + "/"
    base.mkdir(parents=True, exist_ok=True)
    stamp = when.replace(tzinfo=UTC).timestamp()
    for source in sources:
        data = source.read_bytes()
        compression = compression_of(source.name)
        target_name, target_compression = source.name, compression
        if auto_compress and compression == "NONE":
            # mtime=0: the same input always gives the same bytes (reproducible LIST output).
            data = gzip.compress(data, compresslevel=6, mtime=0)
            target_name, target_compression = source.name + ".gz", "GZIP"
        relative = check_path(directory + target_name)
        target = inside(base, relative)
        if target.exists() and not overwrite:
            results.append(
                PutResult(
                    source.name,
                    target_name,
                    source.stat().st_size,
                    target.stat().st_size,
                    compression,
                    target_compression,
                    "SKIPPED",
                )
            )
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            partial.write_bytes(data)
            os.utime(partial, (stamp, stamp))
            os.replace(partial, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
        results.append(
            PutResult(
                source.name,
                target_name,
                source.stat().st_size,
                len(data),
                compression,
                target_compression,
                "UPLOADED",
            )
        )
    return results


def remove(base: Path, files: list[StagedFile]) -> None:
    """Delete staged files, then the folders they leave empty (never `base` itself)."""
    for f in files:
        with contextlib.suppress(FileNotFoundError):
            inside(base, f.path).unlink()
        parent = f.location.parent
        while parent != base and parent.is_relative_to(base):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent


def delete_folder(folder: Path) -> None:
    """Delete a stage's folder and everything in it (its object is gone)."""
    shutil.rmtree(folder, ignore_errors=True)


def sweep(directory: Path, keep: set[str]) -> None:
    """Delete the stage folders of one database whose object no longer exists (left behind
    when a process stopped between a DROP and its clean-up)."""
    if not directory.is_dir():
        return
    for child in directory.iterdir():
        if child.is_dir() and child.name not in keep:
            delete_folder(child)


# ---------------------------------------------------------------------------- external locations


_REMOTE_SCHEMES = ("s3://", "s3gov://", "gcs://", "azure://")


def url_scheme(url: str) -> str:
    """`file`, `s3`, `gcs`, `azure`, … (lower case) of a stage URL."""
    return url.split("://", 1)[0].lower() if "://" in url else ""


def check_url(url: str, span: Span | None = None) -> str:
    """A stage URL Snowflake accepts (s3://, s3gov://, gcs://, azure://), or file:// for a
    local directory (an emulator extension, for testing pipelines locally)."""
    low = url.lower()
    if not (low.startswith(_REMOTE_SCHEMES) or low.startswith("file://")) or "\x00" in url:
        raise SemanticError(
            "invalid",
            span,
            message=f"invalid URL '{url}': use s3://, gcs://, azure:// or, for a local "
            "directory, file:///path/",
        )
    return url


def local_directory(url: str, warehouse: Path, span: Span | None = None) -> Path:
    """The directory a `file://` URL names (relative paths from the working directory), which
    must exist outside the warehouse. Any other scheme is refused with a clear error: its data
    is not local."""
    if url_scheme(url) != "file":
        raise UnsupportedError(
            "unsupported",
            span,
            message=f"reading {url_scheme(url)}:// locations: cloneshell keeps the stage "
            "definition but cannot reach cloud storage; for local testing use an external "
            "stage with URL = 'file:///path/to/dir/'",
        )
    text = os.path.expanduser(url[len("file://") :])
    path = Path(text) if os.path.isabs(text) else Path.cwd() / text
    if "\x00" not in text:
        outside_warehouse(path, warehouse, span)
    if "\x00" in text or not path.is_dir():
        raise SemanticError(
            "invalid", span, message=f"external location {url} is not an existing directory"
        )
    return path


@contextlib.contextmanager
def scratch(root: Path) -> Iterator[Path]:
    """A private, empty folder inside the warehouse for one COPY, deleted afterwards.

    COPY from a `file://` location copies the selected files here first: DuckDB is sealed
    into the warehouse directory (it can read nothing else), and the engine, not DuckDB,
    decides exactly which of the user's files are read.
    """
    folder = root / "tmp" / f"load_{secrets.token_hex(8)}"
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
