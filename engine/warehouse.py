"""The warehouse directory: the one DuckDB connection, sealing, project files, and the registry.

Layout (DESIGN.md "The warehouse on disk"):
  <root>/warehouse.duckdb         principals, the project registry, settings
  <root>/projects/<name>.duckdb   one project each
Project files are attached on demand under the alias `prj_<name>` and detached when the shell goes
idle, so a second process can use them between statements. DuckDB never waits for a file lock,
so `attach` retries until `lock_timeout` and then fails naming the project.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from cloneshell.engine.errors import CatalogError, EngineError, LockError
from cloneshell.engine.quoting import quote_ident, quote_literal

WAREHOUSE_ALIAS = "__wh"
FORMAT_VERSION = "1"

# MaxCompute project names: letters, digits, underscore; start with a letter; 3-28 characters.
_PROJECT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{2,27}")

_WAREHOUSE_DDL = [
    "CREATE TABLE IF NOT EXISTS {wh}.settings (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS {wh}.projects (
        name VARCHAR PRIMARY KEY, file VARCHAR NOT NULL, owner VARCHAR NOT NULL,
        region VARCHAR NOT NULL, comment VARCHAR, created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {wh}.principals (
        name VARCHAR PRIMARY KEY, first_seen TIMESTAMP NOT NULL)""",
]

DEFAULT_REGION = "cn-hangzhou"


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    """A row of the project registry."""

    name: str
    file: str
    owner: str
    region: str
    comment: str
    created_at: datetime


def validate_project_name(name: str) -> str:
    """Return the canonical (lower-case) project name or raise; runs before a name is a path."""
    if not _PROJECT_NAME.fullmatch(name):
        raise EngineError(
            "invalid",
            message=f"invalid project name '{_printable(name)}': use 3-28 letters, digits or "
            "underscores, starting with a letter",
        )
    return name.lower()


def _printable(text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return shown.encode("unicode_escape").decode("ascii")


class Warehouse:
    """The warehouse on disk and the single DuckDB connection every project goes through."""

    def __init__(self, root: Path, con: duckdb.DuckDBPyConnection, lock_timeout: float) -> None:
        self.root = root
        self.con = con
        self.lock_timeout = lock_timeout
        self._attached: set[str] = set()
        self._wh_attached = False

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, root: Path | str, lock_timeout: float | None = None) -> Warehouse:
        """Open the warehouse at `root`, creating the directory and registry on first use."""
        root = Path(root).expanduser().resolve()
        try:
            (root / "projects").mkdir(parents=True, exist_ok=True)
            (root / "tmp").mkdir(exist_ok=True)
        except OSError as exc:
            raise EngineError("invalid", message=f"cannot create warehouse {root}: {exc}") from exc
        if not os.access(root, os.W_OK):
            raise EngineError("invalid", message=f"warehouse {root} is not writable")
        if lock_timeout is None:
            lock_timeout = float(os.environ.get("CLONESHELL_LOCK_TIMEOUT", "10"))
        con = duckdb.connect(":memory:")
        _seal(con, root)
        wh = cls(root, con, lock_timeout)
        wh.attach_warehouse()
        # Start-up cost matters (`cloneshell -e` is a CLI): an existing registry is only read,
        # so nothing is written and detaching needs no checkpoint.
        if not wh._has_registry():
            for ddl in _WAREHOUSE_DDL:
                con.execute(ddl.format(wh=WAREHOUSE_ALIAS))
            con.execute(
                f"INSERT OR IGNORE INTO {WAREHOUSE_ALIAS}.settings VALUES ('format_version', ?)",
                [FORMAT_VERSION],
            )
        return wh

    def _has_registry(self) -> bool:
        try:
            row = self.con.execute(
                f"SELECT value FROM {WAREHOUSE_ALIAS}.settings WHERE key = 'format_version'"
            ).fetchone()
        except duckdb.CatalogException:
            return False
        return row is not None

    def close(self) -> None:
        """Detach everything and close the connection."""
        try:
            self.detach_all()
        finally:
            self.con.close()

    # ------------------------------------------------------------------ attach / detach

    def attach_warehouse(self) -> None:
        """Attach warehouse.duckdb (registry) if it is not attached."""
        if not self._wh_attached:
            self._attach_file(self.root / "warehouse.duckdb", WAREHOUSE_ALIAS, "warehouse")
            self._wh_attached = True

    def project_path(self, info: ProjectInfo) -> Path:
        """The file of a registered project (its name was validated before it was stored)."""
        return self.root / "projects" / f"{validate_project_name(info.file)}.duckdb"

    @staticmethod
    def alias(name: str) -> str:
        """The DuckDB catalog alias of project `name`."""
        return f"prj_{name}"

    def attach_project(self, info: ProjectInfo) -> str:
        """Attach a project's file (once) and return its alias."""
        alias = self.alias(info.name)
        if alias not in self._attached:
            self._attach_file(self.project_path(info), alias, info.name)
            self._attached.add(alias)
        return alias

    def _attach_file(self, path: Path, alias: str, label: str) -> None:
        sql = f"ATTACH {quote_literal(str(path))} AS {quote_ident(alias)}"
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.01
        while True:
            try:
                self.con.execute(sql)
                return
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    if "lock" in str(exc).lower():
                        raise LockError("locked", project=label, seconds=self.lock_timeout) from exc
                    raise EngineError("invalid", message=f"cannot open {label}: {exc}") from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.2)

    def detach_project(self, name: str) -> None:
        """Detach one project if attached."""
        alias = self.alias(name)
        if alias in self._attached:
            self.con.execute(f"DETACH {quote_ident(alias)}")
            self._attached.discard(alias)

    def detach_all(self) -> None:
        """Release every file so other processes can use them (the shell is idle)."""
        for alias in sorted(self._attached):
            self.con.execute(f"DETACH {quote_ident(alias)}")
        self._attached.clear()
        if self._wh_attached:
            self.con.execute(f"DETACH {quote_ident(WAREHOUSE_ALIAS)}")
            self._wh_attached = False

    # ------------------------------------------------------------------ registry

    def get_project(self, name: str) -> ProjectInfo | None:
        """The registry row of `name` (case-insensitive), or None."""
        self.attach_warehouse()
        row = self.con.execute(
            f"SELECT name, file, owner, region, coalesce(comment, ''), created_at "
            f"FROM {WAREHOUSE_ALIAS}.projects WHERE name = ?",
            [name.lower()],
        ).fetchone()
        return ProjectInfo(*row) if row else None

    def require_project(self, name: str) -> ProjectInfo:
        """The registry row of `name`, or a 'project not found' error."""
        info = self.get_project(name)
        if info is None:
            raise CatalogError("project_not_found", name=name.lower())
        return info

    def list_projects(self) -> list[ProjectInfo]:
        """Every registered project, by name."""
        self.attach_warehouse()
        rows = self.con.execute(
            f"SELECT name, file, owner, region, coalesce(comment, ''), created_at "
            f"FROM {WAREHOUSE_ALIAS}.projects ORDER BY name"
        ).fetchall()
        return [ProjectInfo(*r) for r in rows]

    def register_project(self, info: ProjectInfo) -> None:
        """Add a project to the registry (its file already initialised)."""
        self.attach_warehouse()
        self.con.execute(
            f"INSERT INTO {WAREHOUSE_ALIAS}.projects VALUES (?, ?, ?, ?, ?, ?)",
            [info.name, info.file, info.owner, info.region, info.comment, info.created_at],
        )

    def unregister_project(self, name: str) -> None:
        """Remove a project from the registry."""
        self.attach_warehouse()
        self.con.execute(f"DELETE FROM {WAREHOUSE_ALIAS}.projects WHERE name = ?", [name])

    def remember_principal(self, name: str, when: datetime) -> None:
        """Record that a principal exists (for LIST and completion)."""
        self.attach_warehouse()
        known = self.con.execute(
            f"SELECT 1 FROM {WAREHOUSE_ALIAS}.principals WHERE name = ?", [name]
        ).fetchone()
        if known:
            return
        self.con.execute(
            f"INSERT OR IGNORE INTO {WAREHOUSE_ALIAS}.principals VALUES (?, ?)", [name, when]
        )

    def get_setting(self, key: str) -> str | None:
        """A warehouse setting."""
        self.attach_warehouse()
        row = self.con.execute(
            f"SELECT value FROM {WAREHOUSE_ALIAS}.settings WHERE key = ?", [key]
        ).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Store a warehouse setting."""
        self.attach_warehouse()
        self.con.execute(
            f"INSERT OR REPLACE INTO {WAREHOUSE_ALIAS}.settings VALUES (?, ?)", [key, value]
        )


def _seal(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """Fence DuckDB into the warehouse directory (DESIGN.md "Safety"), then lock the settings."""
    con.execute(f"SET temp_directory = {quote_literal(str(root / 'tmp'))}")
    con.execute(f"SET allowed_directories = [{quote_literal(str(root) + '/')}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")
