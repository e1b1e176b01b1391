"""The warehouse directory: the one DuckDB connection, sealing, project files, and the registry.

Layout (DESIGN.md "The warehouse on disk"):
  <root>/warehouse.duckdb         principals, the project registry, settings
  <root>/projects/<name>.duckdb   one project each
Project files are attached on demand under the alias `prj_<name>` and detached when the shell goes
idle, so a second process can use them between statements. DuckDB never waits for a file lock,
so `attach` retries until `lock_timeout` and then fails naming the project.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from cloneshell.engine.catalog import ProjectCatalog
from cloneshell.engine.errors import CatalogError, EngineError, LockError
from cloneshell.engine.quoting import quote_ident, quote_literal
from cloneshell.grammar.errors import Span

WAREHOUSE_ALIAS = "__wh"
# 1: MaxCompute registry; 2: + Snowflake databases, users, roles and account grants;
# 3: + the index of started tasks' next runs.
FORMAT_VERSION = "3"

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

# Snowflake account objects (format 2). Databases are keyed by their file: a name may belong to
# one live database and any number of dropped ones still in Time Travel (UNDROP restores the
# most recent). Names keep their case (`SALES`, or `"sales"` as quoted).
_SNOWFLAKE_DDL = [
    """CREATE TABLE IF NOT EXISTS {wh}.databases (
        file VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, owner VARCHAR NOT NULL,
        comment VARCHAR, created_at TIMESTAMP NOT NULL, retention_days INTEGER,
        transient BOOLEAN NOT NULL, dropped_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS {wh}.sf_users (
        name VARCHAR PRIMARY KEY, default_role VARCHAR, comment VARCHAR,
        created_at TIMESTAMP NOT NULL, owner VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {wh}.sf_roles (
        name VARCHAR PRIMARY KEY, owner VARCHAR NOT NULL, comment VARCHAR,
        created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {wh}.sf_role_grants (
        role VARCHAR NOT NULL, grantee_kind VARCHAR NOT NULL, grantee VARCHAR NOT NULL,
        granted_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (role, grantee_kind, grantee))""",
    """CREATE TABLE IF NOT EXISTS {wh}.sf_account_grants (
        privilege VARCHAR NOT NULL, role VARCHAR NOT NULL, grant_option BOOLEAN NOT NULL,
        granted_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (privilege, role))""",
    # When each started root task runs next, so a shell finds due tasks without opening
    # every database (engine/tasks.py). The task in its database file is the truth; a stale
    # row is corrected when it comes due.
    """CREATE TABLE IF NOT EXISTS {wh}.sf_task_due (
        file VARCHAR NOT NULL, task_id BIGINT NOT NULL, next_due TIMESTAMP NOT NULL,
        PRIMARY KEY (file, task_id))""",
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
    # Snowflake databases only (the `databases` registry): explicit DATA_RETENTION_TIME_IN_DAYS
    # (None: the account default), TRANSIENT, and when it was dropped (None: live).
    dialect: str = "maxcompute"
    retention_days: int | None = None
    transient: bool = False
    dropped_at: datetime | None = None


def validate_project_name(name: str, span: Span | None = None) -> str:
    """Return the canonical (lower-case) project name or raise (pointing at `span`, the name in
    the statement); runs before a name is a path."""
    if not _PROJECT_NAME.fullmatch(name):
        raise EngineError(
            "invalid",
            span,
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
    def open(
        cls,
        root: Path | str,
        lock_timeout: float | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> Warehouse:
        """Open the warehouse at `root`, creating the directory and registry on first use.
        `con`: a new in-memory DuckDB connection to use (one is made when None)."""
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
        if con is None:
            con = duckdb.connect(":memory:")
        _seal(con, root)
        wh = cls(root, con, lock_timeout)
        wh.attach_warehouse()
        # Start-up cost matters (`cloneshell -e` is a CLI): an existing registry of the current
        # format is only read, so nothing is written and detaching needs no checkpoint. Older
        # formats are migrated additively, once.
        found = wh._registry_format()
        if found != FORMAT_VERSION:
            ddls = (_WAREHOUSE_DDL if found is None else []) + _SNOWFLAKE_DDL
            for ddl in ddls:
                con.execute(ddl.format(wh=WAREHOUSE_ALIAS))
            con.execute(
                f"INSERT OR REPLACE INTO {WAREHOUSE_ALIAS}.settings VALUES ('format_version', ?)",
                [FORMAT_VERSION],
            )
        return wh

    def _registry_format(self) -> str | None:
        try:
            row = self.con.execute(
                f"SELECT value FROM {WAREHOUSE_ALIAS}.settings WHERE key = 'format_version'"
            ).fetchone()
        except duckdb.CatalogException:
            return None
        return None if row is None else str(row[0])

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
    def alias(file: str) -> str:
        """The DuckDB catalog alias of the project (database) stored in `file`.

        Derived from the generated, validated file name, never from a Snowflake name: DuckDB
        aliases are case-insensitive while `SALES` and `"sales"` are two databases.
        """
        return f"prj_{file}"

    def attach_project(self, info: ProjectInfo) -> str:
        """Attach a project's file (once) and return its alias."""
        alias = self.alias(info.file)
        if alias not in self._attached:
            self._attach_file(self.project_path(info), alias, info.name)
            self._attached.add(alias)
            # A file written by an older version gets the current metadata format (additive).
            with contextlib.suppress(duckdb.CatalogException):  # a new, empty file
                ProjectCatalog(self.con, alias, info.name).migrate()
        return alias

    def is_attached(self, file: str) -> bool:
        """True while the project stored in `file` is attached."""
        return self.alias(file) in self._attached

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

    def detach_project(self, file: str) -> None:
        """Detach one project (by its file name) if attached."""
        alias = self.alias(file)
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

    # ------------------------------------------------------------------ Snowflake databases

    _DB_COLS = (
        "name, file, owner, '' AS region, coalesce(comment, ''), created_at, 'snowflake', "
        "retention_days, transient, dropped_at"
    )

    def get_database(self, name: str) -> ProjectInfo | None:
        """The live Snowflake database called exactly `name`, or None."""
        self.attach_warehouse()
        row = self.con.execute(
            f"SELECT {self._DB_COLS} FROM {WAREHOUSE_ALIAS}.databases "
            "WHERE name = ? AND dropped_at IS NULL",
            [name],
        ).fetchone()
        return ProjectInfo(*row) if row else None

    def list_databases(self, history: bool = False) -> list[ProjectInfo]:
        """Snowflake databases by name (dropped ones too with `history`, latest drop first)."""
        self.attach_warehouse()
        where = "" if history else "WHERE dropped_at IS NULL"
        rows = self.con.execute(
            f"SELECT {self._DB_COLS} FROM {WAREHOUSE_ALIAS}.databases {where} "
            "ORDER BY name, dropped_at DESC NULLS FIRST"
        ).fetchall()
        return [ProjectInfo(*r) for r in rows]

    def dropped_databases(self, name: str) -> list[ProjectInfo]:
        """Dropped databases called `name`, most recently dropped first."""
        self.attach_warehouse()
        rows = self.con.execute(
            f"SELECT {self._DB_COLS} FROM {WAREHOUSE_ALIAS}.databases "
            "WHERE name = ? AND dropped_at IS NOT NULL ORDER BY dropped_at DESC",
            [name],
        ).fetchall()
        return [ProjectInfo(*r) for r in rows]

    def new_database_file(self) -> str:
        """A fresh, safe file name for a new database: `db_<8 hex>` (never user text)."""
        self.attach_warehouse()
        while True:
            file = "db_" + secrets.token_hex(4)
            taken = self.con.execute(
                f"SELECT 1 FROM {WAREHOUSE_ALIAS}.databases WHERE file = ? "
                f"UNION ALL SELECT 1 FROM {WAREHOUSE_ALIAS}.projects WHERE file = ?",
                [file, file],
            ).fetchone()
            if taken is None and not (self.root / "projects" / f"{file}.duckdb").exists():
                return file

    def register_database(self, info: ProjectInfo) -> None:
        """Add a Snowflake database to the registry (its file already initialised)."""
        self.attach_warehouse()
        self.con.execute(
            f"INSERT INTO {WAREHOUSE_ALIAS}.databases VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
            [
                info.file,
                info.name,
                info.owner,
                info.comment,
                info.created_at,
                info.retention_days,
                info.transient,
            ],
        )

    def update_database(self, file: str, **values: object) -> None:
        """Change registry columns of one database (name, owner, comment, retention_days,
        dropped_at)."""
        allowed = {"name", "owner", "comment", "retention_days", "dropped_at"}
        assert set(values) <= allowed, values
        self.attach_warehouse()
        sets = ", ".join(f"{quote_ident(k)} = ?" for k in values)
        self.con.execute(
            f"UPDATE {WAREHOUSE_ALIAS}.databases SET {sets} WHERE file = ?",
            [*values.values(), file],
        )

    def purge_database(self, info: ProjectInfo) -> None:
        """Forget a dropped database for good: its registry row and its file."""
        self.attach_warehouse()
        self.detach_project(info.file)
        self.con.execute(f"DELETE FROM {WAREHOUSE_ALIAS}.databases WHERE file = ?", [info.file])
        self.delete_project_file(info.file)
        # Its internal stages' files (engine/stages.py) go with it.
        shutil.rmtree(self.root / "stages" / validate_project_name(info.file), ignore_errors=True)

    def delete_project_file(self, file: str) -> None:
        """Delete a project file and its WAL (the file must be detached)."""
        path = self.root / "projects" / f"{validate_project_name(file)}.duckdb"
        for p in (path, path.with_name(path.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()

    # ------------------------------------------------------------------ task schedule

    def set_task_due(self, file: str, task_id: int, next_due: datetime | None) -> None:
        """Index (or, with None, forget) when a started root task runs next."""
        self.attach_warehouse()
        self.con.execute(
            f"DELETE FROM {WAREHOUSE_ALIAS}.sf_task_due WHERE file = ? AND task_id = ?",
            [file, task_id],
        )
        if next_due is not None:
            self.con.execute(
                f"INSERT INTO {WAREHOUSE_ALIAS}.sf_task_due VALUES (?, ?, ?)",
                [file, task_id, next_due],
            )

    def due_tasks(self, now: datetime) -> list[tuple[str, int, datetime]]:
        """(database file, task id, next run) of the tasks due at `now`, earliest first."""
        self.attach_warehouse()
        rows = self.con.execute(
            f"SELECT file, task_id, next_due FROM {WAREHOUSE_ALIAS}.sf_task_due "
            "WHERE next_due <= ? ORDER BY next_due, file, task_id",
            [now],
        ).fetchall()
        return [(str(r[0]), int(r[1]), r[2]) for r in rows]

    def next_task_due(self) -> datetime | None:
        """When the next started task runs, if any."""
        self.attach_warehouse()
        row = self.con.execute(
            f"SELECT min(next_due) FROM {WAREHOUSE_ALIAS}.sf_task_due"
        ).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------------ compaction

    def compact(self, info: ProjectInfo, min_bytes: int = 1 << 20) -> bool:
        """Rewrite a project file of at least `min_bytes` whose blocks are at least half free
        (e.g. after retention purges); True if it was rewritten.

        DuckDB reuses freed blocks but only truncates a file whose free blocks are at its end,
        so a file shrinks for sure only by copying its live content (COPY FROM DATABASE) to a
        new file that then replaces it. The old file stays attached read-only until the new
        one is in place, so no other process can write it in between (a read-write attach
        needs the exclusive lock and waits).
        """
        alias = self.attach_project(info)
        self.con.execute(f"CHECKPOINT {quote_ident(alias)}")
        row = self.con.execute(
            "SELECT block_size, total_blocks, free_blocks FROM pragma_database_size() "
            "WHERE database_name = ?",
            [alias],
        ).fetchone()
        if row is None:
            return False
        block, total, free = (int(v) for v in row)
        if total * block < min_bytes or free * 2 < total:
            return False
        path = self.project_path(info)
        tmp = path.with_name(f"{info.file}.compacting")
        src, dst = f"{alias}__ro", f"{alias}__new"
        self.detach_project(info.file)
        try:
            self.con.execute(f"ATTACH {quote_literal(str(path))} AS {quote_ident(src)} (READ_ONLY)")
        except duckdb.Error:
            return False  # another process has it now: compact another time
        try:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            self.con.execute(f"ATTACH {quote_literal(str(tmp))} AS {quote_ident(dst)}")
            try:
                self.con.execute(f"COPY FROM DATABASE {quote_ident(src)} TO {quote_ident(dst)}")
            finally:
                self.con.execute(f"DETACH {quote_ident(dst)}")
            os.replace(tmp, path)
        except (duckdb.Error, OSError):
            for p in (tmp, tmp.with_name(tmp.name + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()
            return False
        finally:
            self.con.execute(f"DETACH {quote_ident(src)}")
        return True

    def is_engine_setting(self, name: str) -> bool:
        """True if `name` is one of DuckDB's own settings (`threads`, `enable_external_access`
        ...): the seal locks them, and no statement may pretend to change them."""
        row = self.con.execute(
            "SELECT 1 FROM duckdb_settings() WHERE lower(name) = lower(?)", [name]
        ).fetchone()
        return row is not None

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
