"""Where staged files live, and the file operations on them (PUT, LIST, REMOVE, reading an
external `file://` location): the one place that turns a stage location into the exact list of
its files, and that hands each file to DuckDB. Plain Python file I/O: DuckDB never sees a path
from here until the file is inside the warehouse directory under a name the engine made.

Layout inside the warehouse (README "The warehouse on disk"):
  <warehouse>/stages/<database file>/s<stage id>_<version>/   a named internal stage
  <warehouse>/stages/<database file>/t<table id>_<version>/   a table's stage (@%t)
  <warehouse>/stages/users/<hash of the user name>/            a user's stage (@~)
  <warehouse>/tmp/<kind>_<random>/                             one statement's scratch folder
Folder names come from ids and the version that created the object, never from user text, and
are never reused: a stage or table that is dropped and created again gets a new, empty folder,
and a clone (a new database file, a new table) starts with none. Files inside a stage keep the
names PUT gave them under the path the user chose; every such path is checked (no `..`, no
absolute paths, no backslashes or control characters) and resolved inside its folder. Folders
whose object is gone are deleted after the statement that dropped it, or by `sweep`.

Exactness (docs/trust.md "Staged files"):
- A file is in a stage whole or not at all: PUT writes it in its scratch folder and renames it
  into place; a killed PUT leaves only that folder, which the next open deletes
  (engine/core/scratch.py).
- Paths are literal: a stage path is a prefix of file paths, compared as text; PUT's local
  file name takes `*` and `?` as wildcards (Snowflake's PUT), nothing else; DuckDB reads each
  file through an engine-made name (`for_reader`), so no glob or `key=value/` folder of the
  user's ever means anything to it.
- PATTERN is RE2, evaluated by DuckDB (`FilePattern`): linear time, interruptible.
- A local file (a PUT source, a file of a `file://` stage) is read only through `open_local`:
  links resolved, the file actually opened checked, nothing inside the warehouse.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import EngineError, SemanticError, UnsupportedError
from cloneshell.grammar.errors import Span
from cloneshell.grammar.records import record

STAGES = "stages"
# A staged path: segments of printable characters other than `/` and `\`, none `.` or `..`.
_BAD_SEGMENT = re.compile(r"[\\\x00-\x1f\x7f]")
# Compressions recognised from a file's name (PUT's SOURCE_COMPRESSION = AUTO_DETECT).
_COMPRESSED = {".gz": "GZIP", ".bz2": "BZ2", ".zst": "ZSTD", ".br": "BROTLI", ".deflate": "DEFLATE"}
_SELF_COMPRESSED = {".parquet": "PARQUET", ".orc": "ORC"}
_CHUNK = 1 << 20
# Checks whether the statement was cancelled (Ctrl-C), raising if so; called between chunks.
Check = Callable[[], None]


def _go_on() -> None:
    """A `Check` that never stops."""


@record(frozen=True, slots=True)
class StagedFile:
    """One file in a stage: its path relative to the stage, size, MD5 and modification time
    (UTC), where it is on disk, and the inode those were read from."""

    path: str
    size: int
    md5: str
    modified: datetime
    location: Path
    inode: int


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


# ---------------------------------------------------------------------------- the user's files


def outside_warehouse(path: Path, root: Path, span: Span | None = None) -> Path:
    """`path` with its links resolved, refused if that is in the warehouse directory: PUT
    sources and `file://` stage locations are the user's own files, never the warehouse's
    (whose database files and stages only the engine reads, after checking privileges)."""
    real = Path(os.path.realpath(path))
    if real.is_relative_to(root.resolve()):
        raise SemanticError("invalid", span, message=f"{path} is inside the warehouse directory")
    return real


def open_local(path: Path, warehouse: Path, span: Span | None = None) -> BinaryIO:
    """Open one of the user's own files for reading: the one check every read of a local
    file goes through. Its links are resolved and the result refused if it is inside the
    warehouse; the resolved path is then opened one component at a time without following
    any link (a link swapped in after the check fails to open); the file opened must be a
    regular file (a FIFO would block), and not a hard link of a file in the warehouse."""
    real = outside_warehouse(path, warehouse, span)
    try:
        fd = _open_no_links(real)
    except FileNotFoundError:
        raise EngineError("file_not_found", span, paths=f"['{path}']") from None
    except OSError as exc:
        message = f"cannot read {path}: {exc.strerror}"
        raise SemanticError("invalid", span, message=message) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SemanticError("invalid", span, message=f"{path} is not a regular file")
        if st.st_nlink > 1 and _in_warehouse(st, warehouse):
            message = f"{path} is inside the warehouse directory"
            raise SemanticError("invalid", span, message=message)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _open_no_links(real: Path) -> int:
    """`os.open(real)` for reading, failing (ELOOP, ENOTDIR) if any component is a link."""
    parts = real.parts
    fd = os.open(parts[0], os.O_PATH | os.O_DIRECTORY)
    try:
        for part in parts[1:-1]:
            inner = os.open(part, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        return os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)


def _in_warehouse(st: os.stat_result, warehouse: Path) -> bool:
    """True if the file `st` describes also has a name inside the warehouse (a hard link)."""
    if os.stat(warehouse).st_dev != st.st_dev:
        return False
    for folder, _, files in os.walk(warehouse):
        for name in files:
            with contextlib.suppress(OSError):
                other = os.lstat(os.path.join(folder, name))
                if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                    return True
    return False


def _open_staged(location: Path, warehouse: Path | None) -> BinaryIO:
    """Open a listed file: the user's (an external stage, `warehouse` given) through
    `open_local`, else an internal stage's own regular file, never through a link."""
    if warehouse is not None:
        return open_local(location, warehouse)
    fd = os.open(location, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise SemanticError("invalid", message=f"{location} is not a regular file")
    return os.fdopen(fd, "rb")


# ---------------------------------------------------------------------------- listing


def list_files(
    base: Path, prefix: str = "", *, warehouse: Path | None = None, check: Check = _go_on
) -> list[StagedFile]:
    """Every regular file under `base` whose relative path starts with `prefix` (Snowflake
    stage paths are prefixes, compared as text, not patterns), by path. Symlinked directories
    are not followed. `warehouse`: given when `base` is the user's directory (an external
    stage): each file is read through `open_local`, and one it refuses (a link into the
    warehouse, a FIFO) is not listed; nor is the warehouse when `base` holds it."""
    if not base.is_dir():
        return []
    skipped = warehouse.resolve() if warehouse is not None else None
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
            if not relative.startswith(prefix):
                continue
            try:
                with _open_staged(location, warehouse) as f:
                    st = os.fstat(f.fileno())
                    md5 = _digest(f, check)
            except (OSError, EngineError):
                continue  # gone meanwhile, or not a file this stage may read
            found.append(
                StagedFile(
                    path=relative,
                    size=st.st_size,
                    md5=md5,
                    modified=datetime.fromtimestamp(st.st_mtime, UTC).replace(tzinfo=None),
                    location=location,
                    inode=st.st_ino,
                )
            )
    return sorted(found, key=lambda f: f.path)


def _digest(f: BinaryIO, check: Check) -> str:
    """The hex MD5 of the rest of `f` (LIST's `md5`; load history tells files apart by it)."""
    digest = hashlib.md5(usedforsecurity=False)
    for chunk in iter(lambda: f.read(_CHUNK), b""):
        check()
        digest.update(chunk)
    return digest.hexdigest()


def compression_of(name: str) -> str:
    """The compression a file's name says it has: GZIP, BZ2, ZSTD, …, PARQUET/ORC (formats
    that compress themselves), else NONE."""
    suffix = Path(name).suffix.lower()
    return _COMPRESSED.get(suffix) or _SELF_COMPRESSED.get(suffix) or "NONE"


@record(frozen=True, slots=True)
class FilePattern:
    """PATTERN = '…': a regular expression in RE2's syntax (Snowflake's), matched against each
    file's whole path in its stage by DuckDB's `regexp_full_match` (RE2: time linear in the
    name, and a DuckDB query, so Ctrl-C stops it)."""

    pattern: str
    span: Span | None = None

    def check(self, con: duckdb.DuckDBPyConnection) -> None:
        """Refuse a pattern RE2 does not accept (a coded error at its position)."""
        self._matches(con, [])

    def select(self, con: duckdb.DuckDBPyConnection, files: list[StagedFile]) -> list[StagedFile]:
        """The files whose path the pattern matches, in order."""
        hits = self._matches(con, [f.path for f in files])
        return [f for f, hit in zip(files, hits, strict=True) if hit]

    def _matches(self, con: duckdb.DuckDBPyConnection, names: list[str]) -> list[bool]:
        try:
            row = con.execute(
                "SELECT regexp_full_match('', $2), "
                "list_transform($1::VARCHAR[], lambda n: regexp_full_match(n, $2))",
                [names, self.pattern],
            ).fetchone()
        except duckdb.InvalidInputException as exc:
            reason = str(exc).splitlines()[0].removeprefix("Invalid Input Error: ")
            raise SemanticError(
                "invalid", self.span, message=f"invalid PATTERN regular expression: {reason}"
            ) from None
        assert row is not None
        return [bool(hit) for hit in row[1]]


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


def local_files(pattern: str, cwd: Path | None = None) -> list[Path]:
    """The local files a PUT names: a path (relative to the working directory, `~` expanded)
    whose file name may hold Snowflake's PUT wildcards, `*` (any characters) and `?` (one);
    every other character is itself (`[1]` is not a character class). As in a shell, a
    wildcard does not match a hidden file's leading dot. Anything but regular files is
    ignored."""
    expanded = os.path.expanduser(pattern)
    base = Path(expanded) if os.path.isabs(expanded) else (cwd or Path.cwd()) / expanded
    wild = re.compile(r"[*?]")
    if wild.search(str(base.parent)):
        raise SemanticError(
            "invalid", message="PUT accepts wildcards (* and ?) in the file name only"
        )
    if not wild.search(base.name):
        return [base] if base.is_file() else []
    regex = re.compile(
        "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in base.name),
        re.DOTALL,
    )
    try:
        names = os.listdir(base.parent)
    except OSError:
        return []
    hidden = base.name.startswith(".")
    return sorted(
        base.parent / name
        for name in names
        if regex.fullmatch(name)
        and (hidden or not name.startswith("."))
        and (base.parent / name).is_file()
    )


def put(
    sources: list[Path],
    base: Path,
    prefix: str,
    *,
    auto_compress: bool,
    overwrite: bool,
    when: datetime,
    scratch: Path,
    warehouse: Path,
    check: Check = _go_on,
) -> list[PutResult]:
    """Copy local files into a stage folder under `prefix`, gzip-compressing uncompressed ones
    when `auto_compress` (as Snowflake's AUTO_COMPRESS = TRUE does), and stamping them with the
    session's clock (LIST's last_modified follows `\\clock`). An existing file is kept
    (SKIPPED) unless `overwrite`. Each file is written in `scratch` (this statement's own
    folder, outside every stage) and renamed into place, so a stage holds it whole or not at
    all, even if the process is killed."""
    results: list[PutResult] = []
    directory = prefix if prefix.endswith("/") or not prefix else prefix + "/"
    base.mkdir(parents=True, exist_ok=True)
    stamp = when.replace(tzinfo=UTC).timestamp()
    for i, source in enumerate(sources):
        compression = compression_of(source.name)
        target_name, target_compression = source.name, compression
        gzipped = auto_compress and compression == "NONE"
        if gzipped:
            target_name, target_compression = source.name + ".gz", "GZIP"
        relative = check_path(directory + target_name)
        target = inside(base, relative)
        partial = scratch / f"{i}.part"
        with open_local(source, warehouse) as src:
            source_size = os.fstat(src.fileno()).st_size
            if target.exists() and not overwrite:
                results.append(
                    PutResult(
                        source.name,
                        target_name,
                        source_size,
                        target.stat().st_size,
                        compression,
                        target_compression,
                        "SKIPPED",
                    )
                )
                continue
            with partial.open("wb") as out:
                _copy(src, out, check, gzipped)
        os.utime(partial, (stamp, stamp))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, target)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            raise SemanticError(
                "invalid",
                message=f"cannot put {relative}: a staged file and a folder would share a name",
            ) from None
        results.append(
            PutResult(
                source.name,
                target_name,
                source_size,
                target.stat().st_size,
                compression,
                target_compression,
                "UPLOADED",
            )
        )
    return results


def _copy(src: BinaryIO, out: BinaryIO, check: Check, gzipped: bool = False) -> str:
    """Copy `src` to `out` by chunks (gzip-compressing them when `gzipped`, with mtime 0, so
    the same input always gives the same bytes: reproducible LIST output); return the hex MD5
    of what was written."""
    digest = hashlib.md5(usedforsecurity=False)
    # wbits 31: a gzip stream, byte for byte what gzip.compress(data, 6, mtime=0) gives.
    packer = zlib.compressobj(6, zlib.DEFLATED, 31) if gzipped else None
    for chunk in iter(lambda: src.read(_CHUNK), b""):
        check()
        data = packer.compress(chunk) if packer is not None else chunk
        digest.update(data)
        out.write(data)
    if packer is not None:
        tail = packer.flush()
        digest.update(tail)
        out.write(tail)
    return digest.hexdigest()


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


# ---------------------------------------------------------------------------- reading


def for_reader(
    f: StagedFile, folder: Path, index: int, warehouse: Path | None, check: Check = _go_on
) -> tuple[Path, str]:
    """Where DuckDB reads a listed file, and the MD5 of exactly those bytes: `<index><.gz…>`
    in this statement's scratch folder, a name the engine made (DuckDB reads `*`, `?` and `[`
    in a path as a glob, and `key=value/` folders as columns). An internal stage's file is
    hard-linked there (its bytes never change: PUT replaces a file by renaming a new one over
    it, so the same inode means the listed MD5 still holds); a user's file (`warehouse`
    given) is copied through `open_local`."""
    suffix = Path(f.path).suffix.lower()
    target = folder / f"{index}{suffix if suffix in _COMPRESSED else ''}"
    if warehouse is None:
        try:
            os.link(f.location, target, follow_symlinks=False)
        except OSError:
            pass  # a filesystem without hard links: copied below
        else:
            if os.stat(target).st_ino == f.inode:
                return target, f.md5
            with target.open("rb") as linked:
                return target, _digest(linked, check)
    with _open_staged(f.location, warehouse) as src, target.open("wb") as out:
        return target, _copy(src, out, check)


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
