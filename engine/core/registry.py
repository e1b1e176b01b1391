"""The warehouse registry's rows (warehouse.duckdb): projects and Snowflake databases (live and
dropped, and their files), settings (Snowflake's account parameters), the index of started
tasks' next runs, and the principals seen.
`Warehouse` (warehouse.py) is a `Registry`: these methods read and write through its connection,
under the locks and attachments it manages."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import CatalogError
from cloneshell.engine.core.lookups import Lookups
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.grammar.records import record

WAREHOUSE_ALIAS = "__wh"


@record(frozen=True, slots=True)
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


def settings_under(lookups: Lookups, prefix: str) -> dict[str, str]:
    """`Registry.settings_under` through a connection that has the registry attached already
    (every connection that has a database attached: its registry row was read first)."""
    rows = lookups.rows(
        WAREHOUSE_ALIAS,
        f"SELECT key, value FROM {WAREHOUSE_ALIAS}.settings WHERE starts_with(key, ?)",
        [prefix],
    )
    return {str(k)[len(prefix) :]: str(v) for k, v in rows}


class Registry:
    """Reading and writing the registry's rows; opening, attaching and locking the files is
    Warehouse's (these hooks)."""

    con: duckdb.DuckDBPyConnection
    lookups: Lookups
    root: Path
    _registry_txn: bool

    def attach_warehouse(self, write: bool = False) -> None:
        """Attach warehouse.duckdb (Warehouse)."""
        raise NotImplementedError

    def _registry_for_write(self) -> None:
        """Hold warehouse.duckdb for writing (Warehouse)."""
        raise NotImplementedError

    def project_path(self, info: ProjectInfo) -> Path:
        """The file of a project or database (Warehouse)."""
        raise NotImplementedError

    def claim_file(self, file: str, label: str) -> bool:
        """Claim a new file's name until it is registered, unless taken (Warehouse)."""
        raise NotImplementedError

    @contextlib.contextmanager
    def registry_transaction(self) -> Iterator[None]:
        """Several registry writes committed as one (an inner one joins the outer)."""
        if self._registry_txn:
            yield
            return
        self._registry_for_write()
        self.con.execute("BEGIN TRANSACTION")
        self._registry_txn = True
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                self.con.execute("ROLLBACK")
            raise
        finally:
            self._registry_txn = False

    def get_project(self, name: str) -> ProjectInfo | None:
        """The registry row of `name` (case-insensitive), or None."""
        self.attach_warehouse()
        row = self.lookups.row(
            WAREHOUSE_ALIAS,
            f"SELECT name, file, owner, region, coalesce(comment, ''), created_at "
            f"FROM {WAREHOUSE_ALIAS}.projects WHERE name = ?",
            [name.lower()],
        )
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
        self._registry_for_write()
        self.con.execute(
            f"INSERT INTO {WAREHOUSE_ALIAS}.projects VALUES (?, ?, ?, ?, ?, ?)",
            [info.name, info.file, info.owner, info.region, info.comment, info.created_at],
        )

    def unregister_project(self, name: str) -> None:
        """Remove a project from the registry."""
        self._registry_for_write()
        self.con.execute(f"DELETE FROM {WAREHOUSE_ALIAS}.projects WHERE name = ?", [name])

    # ------------------------------------------------------------------ Snowflake databases

    _DB_COLS = (
        "name, file, owner, '' AS region, coalesce(comment, ''), created_at, 'snowflake', "
        "retention_days, transient, dropped_at"
    )

    def get_database(self, name: str) -> ProjectInfo | None:
        """The live Snowflake database called exactly `name`, or None."""
        self.attach_warehouse()
        row = self.lookups.row(
            WAREHOUSE_ALIAS,
            f"SELECT {self._DB_COLS} FROM {WAREHOUSE_ALIAS}.databases "
            "WHERE name = ? AND dropped_at IS NULL",
            [name],
        )
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
        """A fresh, safe file name for a new database: `db_<8 hex>` (never user text), claimed
        (`claim_file`: no file of that name exists in any form) until the statement ends."""
        while True:
            file = "db_" + secrets.token_hex(4)
            if self.claim_file(file, file):
                return file

    def register_database(self, info: ProjectInfo) -> None:
        """Add a Snowflake database to the registry (its file already initialised)."""
        self._registry_for_write()
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
        self._registry_for_write()
        sets = ", ".join(f"{quote_ident(k)} = ?" for k in values)
        self.con.execute(
            f"UPDATE {WAREHOUSE_ALIAS}.databases SET {sets} WHERE file = ?",
            [*values.values(), file],
        )

    # ------------------------------------------------------------------ settings

    def settings_under(self, prefix: str) -> dict[str, str]:
        """The registry's settings whose key starts with `prefix`, by the rest of the key (a
        dialect's account parameters: `snowflake.account.TIMEZONE` -> `TIMEZONE`)."""
        self.attach_warehouse()
        return settings_under(self.lookups, prefix)

    def put_setting(self, key: str, value: str | None) -> None:
        """Set one registry setting (None: remove it)."""
        self._registry_for_write()
        self.con.execute(f"DELETE FROM {WAREHOUSE_ALIAS}.settings WHERE key = ?", [key])
        if value is not None:
            self.con.execute(f"INSERT INTO {WAREHOUSE_ALIAS}.settings VALUES (?, ?)", [key, value])

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

    def remember_principal(self, name: str, when: datetime) -> None:
        """Record that a principal exists (for LIST and completion)."""
        self.attach_warehouse()
        known = self.con.execute(
            f"SELECT 1 FROM {WAREHOUSE_ALIAS}.principals WHERE name = ?", [name]
        ).fetchone()
        if known:
            return
        self._registry_for_write()
        self.con.execute(
            f"INSERT OR IGNORE INTO {WAREHOUSE_ALIAS}.principals VALUES (?, ?)", [name, when]
        )
