"""A project's own metadata, kept inside its file in the `__cs` schema: tables, columns,
partitions, members, roles, ACL and the commit log. Also what the completer will read.

Every live table is an ordinary DuckDB table (logical schema `default` -> DuckDB `main`) with
one extra hidden column `__cs_v`, the version that wrote the row (DESIGN.md "Tables,
partitions and history"); rows a later version deletes or replaces move to the table's history
table when its retention is above zero.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.lookups import Lookups
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.grammar.records import record

META = "__cs"
VERSION_COLUMN = "__cs_v"

# Format 2 (Snowflake): schemas with their own ids and lifetimes, table columns for schema
# membership, explicit retention, transient, the first version whose history is complete, and
# object privileges by object id (so a rename keeps them and a clone can carry them).
# Format 3 (Snowflake): stages, pipes, streams and tasks (one row each in `sf_objects`, their
# kind-specific properties as JSON), per-table load history, task runs, and the links between
# the old and new version of each updated row that streams read (sfobjects.py).
PROJECT_FORMAT = "3"
_FORMAT_2_DDL = [
    """CREATE TABLE IF NOT EXISTS {p}.__cs.schemas (
        schema_id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, owner VARCHAR NOT NULL,
        comment VARCHAR NOT NULL, retention_days INTEGER, transient BOOLEAN NOT NULL,
        managed_access BOOLEAN NOT NULL, created_at TIMESTAMP NOT NULL,
        created_version BIGINT NOT NULL, dropped_version BIGINT, dropped_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.sf_grants (
        object_type VARCHAR NOT NULL, object_id BIGINT NOT NULL, privilege VARCHAR NOT NULL,
        role VARCHAR NOT NULL, grant_option BOOLEAN NOT NULL, granted_by VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, PRIMARY KEY (object_type, object_id, privilege, role))""",
]
_FORMAT_3_DDL = [
    """CREATE TABLE IF NOT EXISTS {p}.__cs.sf_objects (
        object_id BIGINT PRIMARY KEY, kind VARCHAR NOT NULL, schema_id BIGINT NOT NULL,
        name VARCHAR NOT NULL, owner VARCHAR NOT NULL, comment VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, created_version BIGINT NOT NULL,
        altered_at TIMESTAMP NOT NULL, props VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.load_history (
        table_id BIGINT NOT NULL, pipe VARCHAR NOT NULL, file VARCHAR NOT NULL,
        md5 VARCHAR NOT NULL, size BIGINT NOT NULL, status VARCHAR NOT NULL,
        rows_parsed BIGINT NOT NULL, rows_loaded BIGINT NOT NULL, first_error VARCHAR,
        loaded_at TIMESTAMP NOT NULL, query_id VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.task_runs (
        task_id BIGINT NOT NULL, run_id BIGINT NOT NULL, root_task_id BIGINT NOT NULL,
        query_id VARCHAR, state VARCHAR NOT NULL, error_code BIGINT, error_message VARCHAR,
        scheduled_time TIMESTAMP NOT NULL, query_start_time TIMESTAMP,
        completed_time TIMESTAMP, query_text VARCHAR NOT NULL, condition_text VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.row_links (
        table_id BIGINT NOT NULL, version BIGINT NOT NULL, old_key VARCHAR NOT NULL,
        new_key VARCHAR NOT NULL, old_from BIGINT NOT NULL)""",
]
_FORMAT_2_MIGRATION = [
    "ALTER TABLE {p}.__cs.tables ADD COLUMN IF NOT EXISTS schema_id BIGINT DEFAULT 0",
    "ALTER TABLE {p}.__cs.tables ADD COLUMN IF NOT EXISTS retention_explicit INTEGER",
    "ALTER TABLE {p}.__cs.tables ADD COLUMN IF NOT EXISTS transient BOOLEAN DEFAULT false",
    "ALTER TABLE {p}.__cs.tables ADD COLUMN IF NOT EXISTS history_from BIGINT DEFAULT 0",
    "ALTER TABLE {p}.__cs.tables ADD COLUMN IF NOT EXISTS dropped_at TIMESTAMP",
    *_FORMAT_2_DDL,
    *_FORMAT_3_DDL,
]

_PROJECT_DDL = [
    "CREATE SCHEMA IF NOT EXISTS {p}.__cs",
    "CREATE TABLE IF NOT EXISTS {p}.__cs.project (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.tables (
        table_id BIGINT PRIMARY KEY, schema_name VARCHAR NOT NULL, name VARCHAR NOT NULL,
        physical_schema VARCHAR NOT NULL, physical_name VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        owner VARCHAR NOT NULL, comment VARCHAR NOT NULL, lifecycle INTEGER,
        columns VARCHAR NOT NULL, partition_columns VARCHAR NOT NULL, cluster VARCHAR,
        properties VARCHAR NOT NULL, location VARCHAR,
        created_at TIMESTAMP NOT NULL, ddl_at TIMESTAMP NOT NULL, modified_at TIMESTAMP NOT NULL,
        retention_days INTEGER NOT NULL, created_version BIGINT NOT NULL,
        dropped_version BIGINT, schema_id BIGINT NOT NULL DEFAULT 0,
        retention_explicit INTEGER, transient BOOLEAN NOT NULL DEFAULT false,
        history_from BIGINT NOT NULL DEFAULT 0, dropped_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.partitions (
        table_id BIGINT NOT NULL, spec VARCHAR NOT NULL, vals VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, ddl_at TIMESTAMP NOT NULL, modified_at TIMESTAMP NOT NULL,
        PRIMARY KEY (table_id, spec))""",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.members (
        principal VARCHAR PRIMARY KEY, active BOOLEAN NOT NULL, comment VARCHAR,
        added_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.roles (
        name VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.role_members (
        role VARCHAR NOT NULL, principal VARCHAR NOT NULL, PRIMARY KEY (role, principal))""",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.acl (
        grantee_kind VARCHAR NOT NULL, grantee VARCHAR NOT NULL, object_type VARCHAR NOT NULL,
        object_name VARCHAR NOT NULL, action VARCHAR NOT NULL,
        PRIMARY KEY (grantee_kind, grantee, object_type, object_name, action))""",
    """CREATE TABLE IF NOT EXISTS {p}.__cs.commits (
        version BIGINT PRIMARY KEY, statement_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL,
        principal VARCHAR NOT NULL, kind VARCHAR NOT NULL, detail VARCHAR)""",
    *_FORMAT_2_DDL,
    *_FORMAT_3_DDL,
]


@record(frozen=True, slots=True)
class ColumnMeta:
    """One column: its name, MaxCompute display type, DuckDB type and comment."""

    name: str
    type: str
    duck_type: str
    comment: str = ""
    not_null: bool = False
    default: str | None = None


@record(frozen=True, slots=True)
class TableMeta:
    """A table as the catalog knows it."""

    table_id: int
    schema: str
    name: str
    physical_schema: str
    physical_name: str
    kind: str  # "managed" | "external"
    owner: str
    comment: str
    lifecycle: int | None
    columns: tuple[ColumnMeta, ...]
    partition_columns: tuple[ColumnMeta, ...]
    cluster: dict[str, Any] | None
    properties: dict[str, str]
    location: str | None
    created_at: datetime
    ddl_at: datetime
    modified_at: datetime
    retention_days: int = 0
    created_version: int = 0
    # Snowflake: the schema the table belongs to, its explicit DATA_RETENTION_TIME_IN_DAYS
    # (None: inherited; `retention_days` then holds the effective value once resolved),
    # TRANSIENT, the first version from which its history is complete (points before it are
    # unavailable: history was off or purged), and its drop.
    schema_id: int = 0
    retention_explicit: int | None = None
    transient: bool = False
    history_from: int = 0
    dropped_version: int | None = None
    dropped_at: datetime | None = None

    @property
    def all_columns(self) -> tuple[ColumnMeta, ...]:
        """Native columns then partition columns: the order of the physical table."""
        return self.columns + self.partition_columns

    @property
    def partitioned(self) -> bool:
        """True for a partitioned table."""
        return bool(self.partition_columns)


@record(frozen=True, slots=True)
class SchemaMeta:
    """A Snowflake schema. The database's first schema (`PUBLIC`, id 1) lives in DuckDB's
    `main`; every other one in a DuckDB schema named by its id, never by user text."""

    schema_id: int
    name: str
    owner: str
    comment: str
    retention_days: int | None
    transient: bool
    managed_access: bool
    created_at: datetime
    created_version: int
    dropped_version: int | None = None
    dropped_at: datetime | None = None

    @property
    def physical(self) -> str:
        """The DuckDB schema holding this schema's tables."""
        return "main" if self.schema_id == 1 else f"s{self.schema_id}"


def _col_to_json(c: ColumnMeta) -> dict[str, Any]:
    return {
        "name": c.name,
        "type": c.type,
        "duck_type": c.duck_type,
        "comment": c.comment,
        "not_null": c.not_null,
        "default": c.default,
    }


def _cols_from_json(text: str) -> tuple[ColumnMeta, ...]:
    return tuple(ColumnMeta(**d) for d in json.loads(text))


_TABLE_COLS = (
    "table_id, schema_name, name, physical_schema, physical_name, kind, owner, comment, "
    "lifecycle, columns, partition_columns, cluster, properties, location, created_at, ddl_at, "
    "modified_at, retention_days, created_version, schema_id, retention_explicit, transient, "
    "history_from, dropped_version, dropped_at"
)
_SCHEMA_COLS = (
    "schema_id, name, owner, comment, retention_days, transient, managed_access, created_at, "
    "created_version, dropped_version, dropped_at"
)


class ProjectCatalog:
    """Reads and writes one attached project's metadata. Never commits: the session does."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        alias: str,
        name: str,
        viewer: str | None = None,
        lookups: Lookups | None = None,
    ) -> None:
        self.con = con
        # Where the name lookups below are answered (kept while the file is held read-only);
        # without one, each is a query.
        self.lookups = lookups or Lookups(con, lambda alias: None)
        self.alias = alias
        self.name = name
        self._m = f"{quote_ident(alias)}.{META}"
        # Snowflake temporary tables (`properties.temporary`: the creating session's token) are
        # seen only by that session: with a `viewer` token, the schema lookups below hide the
        # other sessions' ones; without one (warehouse-level work) every table is seen.
        self.viewer = viewer

    def _visible(self) -> tuple[str, list[object]]:
        """The condition (and its parameter) hiding other sessions' temporary tables."""
        if self.viewer is None:
            return "", []
        return (
            " AND coalesce(json_extract_string(properties, '$.temporary'), ?) = ?",
            [self.viewer, self.viewer],
        )

    @property
    def meta_schema(self) -> str:
        """The quoted name of this project's metadata schema (`"prj_x".__cs`)."""
        return self._m

    # ------------------------------------------------------------------ setup

    def initialise(self, owner: str, region: str, comment: str, now: datetime) -> None:
        """Create the metadata schema of a new project file."""
        for ddl in _PROJECT_DDL:
            self.con.execute(ddl.format(p=quote_ident(self.alias)))
        for k, v in {
            "name": self.name,
            "owner": owner,
            "region": region,
            "comment": comment,
            "created_at": now.isoformat(sep=" "),
            "format": PROJECT_FORMAT,
        }.items():
            self.con.execute(f"INSERT OR REPLACE INTO {self._m}.project VALUES (?, ?)", [k, v])
        self.con.execute(
            f"INSERT OR IGNORE INTO {self._m}.members VALUES (?, true, 'project owner', ?)",
            [owner, now],
        )

    def needs_migration(self) -> bool:
        """True for a file written by an older version (see `migrate`)."""
        row = self.con.execute(
            f"SELECT value FROM {self._m}.project WHERE key = 'format'"
        ).fetchone()
        return row is None or row[0] != PROJECT_FORMAT

    def migrate(self) -> None:
        """Bring a file written by an older version to the current format (additive, once)."""
        if not self.needs_migration():
            return
        for ddl in _FORMAT_2_MIGRATION:
            self.con.execute(ddl.format(p=quote_ident(self.alias)))
        self.con.execute(
            f"INSERT OR REPLACE INTO {self._m}.project VALUES ('format', ?)", [PROJECT_FORMAT]
        )

    def set_settings(self, values: Mapping[str, str]) -> None:
        """Store several values in the project's key/value metadata (each replacing the key's
        old value). A DELETE and an INSERT: DuckDB runs INSERT OR REPLACE several times slower
        (~2.5 ms against ~0.4 ms each, measured), once per row."""
        if not values:
            return
        keys = list(values)
        marks = ", ".join("?" for _ in keys)
        self.con.execute(f"DELETE FROM {self._m}.project WHERE key IN ({marks})", keys)
        rows = ", ".join("(?, ?)" for _ in keys)
        self.con.execute(
            f"INSERT INTO {self._m}.project VALUES {rows}",
            [x for item in values.items() for x in item],
        )

    # ------------------------------------------------------------------ tables

    def physical(self, t: TableMeta) -> str:
        """The quoted three-part DuckDB name of a table's live storage."""
        return (
            f"{quote_ident(self.alias)}.{quote_ident(t.physical_schema)}."
            f"{quote_ident(t.physical_name)}"
        )

    def get_table(self, schema: str, name: str) -> TableMeta | None:
        """The live table `schema.name`, or None."""
        row = self.lookups.row(
            self.alias,
            f"SELECT {_TABLE_COLS} FROM {self._m}.tables "
            "WHERE schema_name = ? AND name = ? AND dropped_version IS NULL",
            [schema, name],
        )
        return self._table(row) if row else None

    def list_tables(self, schema: str | None = None) -> list[TableMeta]:
        """Live tables, by name."""
        sql = f"SELECT {_TABLE_COLS} FROM {self._m}.tables WHERE dropped_version IS NULL"
        params: list[object] = []
        if schema is not None:
            sql += " AND schema_name = ?"
            params.append(schema)
        rows = self.con.execute(sql + " ORDER BY schema_name, name", params).fetchall()
        return [self._table(r) for r in rows]

    @staticmethod
    def _table(row: tuple[Any, ...]) -> TableMeta:
        return TableMeta(
            table_id=row[0],
            schema=row[1],
            name=row[2],
            physical_schema=row[3],
            physical_name=row[4],
            kind=row[5],
            owner=row[6],
            comment=row[7],
            lifecycle=row[8],
            columns=_cols_from_json(row[9]),
            partition_columns=_cols_from_json(row[10]),
            cluster=json.loads(row[11]) if row[11] else None,
            properties=json.loads(row[12]),
            location=row[13],
            created_at=row[14],
            ddl_at=row[15],
            modified_at=row[16],
            retention_days=row[17],
            created_version=row[18],
            schema_id=row[19],
            retention_explicit=row[20],
            transient=bool(row[21]),
            history_from=row[22],
            dropped_version=row[23],
            dropped_at=row[24],
        )

    def get_live_table(self, schema_id: int, name: str) -> TableMeta | None:
        """Snowflake: the live table `name` of schema `schema_id`, or None; the viewer's
        temporary table of that name first (it shadows a permanent one)."""
        visible, params = self._visible()
        row = self.lookups.row(
            self.alias,
            f"SELECT {_TABLE_COLS} FROM {self._m}.tables "
            f"WHERE schema_id = ? AND name = ? AND dropped_version IS NULL{visible} "
            "ORDER BY json_extract_string(properties, '$.temporary') NULLS LAST",
            [schema_id, name, *params],
        )
        return self._table(row) if row else None

    def get_table_by_id(self, table_id: int) -> TableMeta | None:
        """Any table (live or dropped) by id."""
        row = self.con.execute(
            f"SELECT {_TABLE_COLS} FROM {self._m}.tables WHERE table_id = ?", [table_id]
        ).fetchone()
        return self._table(row) if row else None

    def tables_of_schema(self, schema_id: int, history: bool = False) -> list[TableMeta]:
        """Snowflake: the tables of one schema by name; with `history` dropped ones too (latest
        drop first after the live one)."""
        where = "" if history else " AND dropped_version IS NULL"
        visible, params = self._visible()
        rows = self.con.execute(
            f"SELECT {_TABLE_COLS} FROM {self._m}.tables WHERE schema_id = ?{where}{visible} "
            "ORDER BY name, dropped_version DESC NULLS FIRST",
            [schema_id, *params],
        ).fetchall()
        return [self._table(r) for r in rows]

    def all_tables(self) -> list[TableMeta]:
        """Every table row, live or dropped."""
        rows = self.con.execute(
            f"SELECT {_TABLE_COLS} FROM {self._m}.tables ORDER BY table_id"
        ).fetchall()
        return [self._table(r) for r in rows]

    def tables_except(self, keep: Collection[int]) -> list[TableMeta]:
        """Every table row (live or dropped) whose id is not in `keep`."""
        rows = self.con.execute(
            f"SELECT {_TABLE_COLS} FROM {self._m}.tables "
            "WHERE NOT list_contains(CAST(? AS BIGINT[]), table_id) ORDER BY table_id",
            [sorted(keep)],
        ).fetchall()
        return [self._table(r) for r in rows]

    def update_table(self, table_id: int, **values: object) -> None:
        """Change metadata columns of one table."""
        allowed = {
            "name",
            "schema_name",
            "owner",
            "comment",
            "retention_explicit",
            "history_from",
            "dropped_version",
            "dropped_at",
            "ddl_at",
            "modified_at",
            "created_version",
            "created_at",
            "lifecycle",
        }
        assert set(values) <= allowed, values
        sets = ", ".join(f"{quote_ident(k)} = ?" for k in values)
        self.con.execute(
            f"UPDATE {self._m}.tables SET {sets} WHERE table_id = ?", [*values.values(), table_id]
        )

    def set_properties(self, table_id: int, properties: dict[str, str]) -> None:
        """Replace one table's kind-specific properties (Snowflake's constraints and tags)."""
        self.con.execute(
            f"UPDATE {self._m}.tables SET properties = ? WHERE table_id = ?",
            [json.dumps(properties), table_id],
        )

    def set_columns(self, table_id: int, columns: tuple[ColumnMeta, ...]) -> None:
        """Replace one table's column list (ALTER TABLE on columns)."""
        self.con.execute(
            f"UPDATE {self._m}.tables SET columns = ? WHERE table_id = ?",
            [json.dumps([_col_to_json(c) for c in columns]), table_id],
        )

    def set_cluster(self, table_id: int, cluster: dict[str, Any] | None) -> None:
        """Replace one table's clustering (ALTER TABLE … CLUSTER BY and its kin)."""
        self.con.execute(
            f"UPDATE {self._m}.tables SET cluster = ? WHERE table_id = ?",
            [json.dumps(cluster) if cluster else None, table_id],
        )

    def history_name(self, t: TableMeta) -> str:
        """The quoted name of a table's history table (which may not exist)."""
        return f"{quote_ident(self.alias)}.{META}.{quote_ident(f'h_{t.table_id}')}"

    def drop_history_tables(self) -> None:
        """Drop every table's history table (one look for those that exist)."""
        names = self.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? "
            "AND schema_name = ? AND regexp_full_match(table_name, 'h_[0-9]+')",
            [self.alias, META],
        ).fetchall()
        for (name,) in names:
            self.con.execute(f"DROP TABLE {quote_ident(self.alias)}.{META}.{quote_ident(name)}")

    def has_history(self, t: TableMeta) -> bool:
        """True if the table's history table exists."""
        row = self.con.execute(
            "SELECT 1 FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
            "AND table_name = ?",
            [self.alias, META, f"h_{t.table_id}"],
        ).fetchone()
        return row is not None

    # ------------------------------------------------------------------ Snowflake schemas

    def get_schema(self, name: str) -> SchemaMeta | None:
        """The live schema called exactly `name`, or None."""
        row = self.lookups.row(
            self.alias,
            f"SELECT {_SCHEMA_COLS} FROM {self._m}.schemas "
            "WHERE name = ? AND dropped_version IS NULL",
            [name],
        )
        return SchemaMeta(*row) if row else None

    def get_schema_by_id(self, schema_id: int) -> SchemaMeta | None:
        """Any schema (live or dropped) by id."""
        row = self.con.execute(
            f"SELECT {_SCHEMA_COLS} FROM {self._m}.schemas WHERE schema_id = ?", [schema_id]
        ).fetchone()
        return SchemaMeta(*row) if row else None

    def list_schemas(self, history: bool = False) -> list[SchemaMeta]:
        """Schemas by name; with `history`, dropped ones too."""
        where = "" if history else "WHERE dropped_version IS NULL"
        rows = self.con.execute(
            f"SELECT {_SCHEMA_COLS} FROM {self._m}.schemas {where} "
            "ORDER BY name, dropped_version DESC NULLS FIRST"
        ).fetchall()
        return [SchemaMeta(*r) for r in rows]

    def schemas_except(self, keep: Collection[int]) -> list[SchemaMeta]:
        """Every schema (live or dropped) whose id is not in `keep`."""
        rows = self.con.execute(
            f"SELECT {_SCHEMA_COLS} FROM {self._m}.schemas "
            "WHERE NOT list_contains(CAST(? AS BIGINT[]), schema_id) ORDER BY schema_id",
            [sorted(keep)],
        ).fetchall()
        return [SchemaMeta(*r) for r in rows]

    def dropped_schemas(self, name: str) -> list[SchemaMeta]:
        """Dropped schemas called `name`, most recent drop first."""
        rows = self.con.execute(
            f"SELECT {_SCHEMA_COLS} FROM {self._m}.schemas "
            "WHERE name = ? AND dropped_version IS NOT NULL ORDER BY dropped_version DESC",
            [name],
        ).fetchall()
        return [SchemaMeta(*r) for r in rows]

    def next_schema_id(self) -> int:
        """A fresh schema id (ids are never reused while a row with the id exists)."""
        row = self.con.execute(f"SELECT coalesce(max(schema_id), 0) + 1 FROM {self._m}.schemas")
        result = row.fetchone()
        assert result is not None
        return int(result[0])

    def create_schema(self, s: SchemaMeta) -> SchemaMeta:
        """Record a schema and create its DuckDB schema."""
        if s.physical != "main":
            self.con.execute(
                f"CREATE SCHEMA IF NOT EXISTS {quote_ident(self.alias)}.{quote_ident(s.physical)}"
            )
        self.con.execute(
            f"INSERT INTO {self._m}.schemas ({_SCHEMA_COLS}) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            [
                s.schema_id,
                s.name,
                s.owner,
                s.comment,
                s.retention_days,
                s.transient,
                s.managed_access,
                s.created_at,
                s.created_version,
            ],
        )
        return s

    def update_schema(self, schema_id: int, **values: object) -> None:
        """Change metadata columns of one schema."""
        allowed = {
            "name",
            "owner",
            "comment",
            "retention_days",
            "dropped_version",
            "dropped_at",
            "created_version",
            "created_at",
        }
        assert set(values) <= allowed, values
        sets = ", ".join(f"{quote_ident(k)} = ?" for k in values)
        self.con.execute(
            f"UPDATE {self._m}.schemas SET {sets} WHERE schema_id = ?",
            [*values.values(), schema_id],
        )
        if "name" in values:
            self.con.execute(
                f"UPDATE {self._m}.tables SET schema_name = ? WHERE schema_id = ?",
                [values["name"], schema_id],
            )

    # ------------------------------------------------------------------ Snowflake grants

    def next_table_id(self) -> int:
        """A fresh table id."""
        row = self.con.execute(f"SELECT coalesce(max(table_id), 0) + 1 FROM {self._m}.tables")
        result = row.fetchone()
        assert result is not None
        return int(result[0])

    def create_table(self, t: TableMeta, with_storage: bool = True) -> TableMeta:
        """Record a table and (for managed tables) create its live storage."""
        if with_storage and t.kind == "managed":
            self.con.execute(
                f"CREATE SCHEMA IF NOT EXISTS {quote_ident(self.alias)}."
                f"{quote_ident(t.physical_schema)}"
            )
            cols = [f"{quote_ident(c.name)} {c.duck_type}" for c in t.all_columns] + [
                f"{quote_ident(VERSION_COLUMN)} BIGINT"
            ]
            self.con.execute(f"CREATE TABLE {self.physical(t)} ({', '.join(cols)})")
        self.con.execute(
            f"INSERT INTO {self._m}.tables ({_TABLE_COLS}) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            [
                t.table_id,
                t.schema,
                t.name,
                t.physical_schema,
                t.physical_name,
                t.kind,
                t.owner,
                t.comment,
                t.lifecycle,
                json.dumps([_col_to_json(c) for c in t.columns]),
                json.dumps([_col_to_json(c) for c in t.partition_columns]),
                json.dumps(t.cluster) if t.cluster else None,
                json.dumps(t.properties),
                t.location,
                t.created_at,
                t.ddl_at,
                t.modified_at,
                t.retention_days,
                t.created_version,
                t.schema_id,
                t.retention_explicit,
                t.transient,
                t.history_from,
            ],
        )
        return t

    def add_columns(self, t: TableMeta, new: Sequence[ColumnMeta]) -> TableMeta:
        """Append native columns to a table: after its other native columns in the catalog,
        NULL in its stored rows, live and historical (a read at an older version sees them as
        NULL too, with the table's current columns)."""
        for c in new:
            self.con.execute(
                f"ALTER TABLE {self.physical(t)} ADD COLUMN {quote_ident(c.name)} {c.duck_type}"
            )
        if self.has_history(t):
            for c in new:
                self.con.execute(
                    f"ALTER TABLE {self.history_name(t)} ADD COLUMN {quote_ident(c.name)} "
                    f"{c.duck_type}"
                )
        columns = (*t.columns, *new)
        self.con.execute(
            f"UPDATE {self._m}.tables SET columns = ? WHERE table_id = ?",
            [json.dumps([_col_to_json(c) for c in columns]), t.table_id],
        )
        return replace(t, columns=columns)

    def change_column(self, t: TableMeta, old: str, column: ColumnMeta) -> TableMeta:
        """Replace native column `old` by `column` (same type: a new name, a new comment) in the
        catalog and, for a new name, in the stored rows, live and historical."""
        if column.name != old:
            tables = [self.physical(t)] + ([self.history_name(t)] if self.has_history(t) else [])
            for name in tables:
                self.con.execute(
                    f"ALTER TABLE {name} RENAME COLUMN {quote_ident(old)} TO "
                    f"{quote_ident(column.name)}"
                )
        columns = tuple(column if c.name == old else c for c in t.columns)
        self.con.execute(
            f"UPDATE {self._m}.tables SET columns = ? WHERE table_id = ?",
            [json.dumps([_col_to_json(c) for c in columns]), t.table_id],
        )
        return replace(t, columns=columns)

    def touch_table(self, t: TableMeta, now: datetime, ddl: bool = False) -> TableMeta:
        """Update a table's modified (and optionally DDL) time."""
        sql = f"UPDATE {self._m}.tables SET modified_at = ?"
        params: list[object] = [now]
        if ddl:
            sql += ", ddl_at = ?"
            params.append(now)
        self.con.execute(sql + " WHERE table_id = ?", [*params, t.table_id])
        return replace(t, modified_at=now, ddl_at=now if ddl else t.ddl_at)

    def table_size(self, t: TableMeta, where: str = "", params: list[object] | None = None) -> int:
        """A deterministic logical size in bytes: the data's encoded width, summed.

        DuckDB's on-disk size depends on block allocation; a logical size is stable across runs
        and equal for a table and its clone, which is what a user checks with DESC.
        """
        if t.kind != "managed":
            return 0
        parts = [_width_expr(c) for c in t.all_columns]
        expr = " + ".join(parts) if parts else "0"
        row = self.con.execute(
            f"SELECT coalesce(sum({expr}), 0) FROM {self.physical(t)} {where}", params or []
        ).fetchone()
        return int(row[0]) if row else 0

    # ------------------------------------------------------------------ partitions

    # ------------------------------------------------------------------ members and roles

    # ------------------------------------------------------------------ ACL

    # ------------------------------------------------------------------ commit log

    def next_version(self) -> int:
        """The version number the next commit will get."""
        row = self.con.execute(f"SELECT coalesce(max(version), 0) + 1 FROM {self._m}.commits")
        result = row.fetchone()
        assert result is not None
        return int(result[0])

    def record_commit(
        self, version: int, statement_id: str, ts: datetime, principal: str, kind: str, detail: str
    ) -> None:
        """Append to the commit log."""
        self.con.execute(
            f"INSERT INTO {self._m}.commits VALUES (?, ?, ?, ?, ?, ?)",
            [version, statement_id, ts, principal, kind, detail],
        )

    def record_commits(self, rows: list[tuple[int, str, datetime, str, str, str]]) -> None:
        """Append several commits (version, statement id, ts, principal, kind, detail) at once:
        a batch of INSERTs commits one version per statement. Six list parameters, unnested:
        DuckDB binds a list far faster than a parameter per value."""
        if not rows:
            return
        types = ("BIGINT", "VARCHAR", "TIMESTAMP", "VARCHAR", "VARCHAR", "VARCHAR")
        unnested = ", ".join(f"unnest(CAST(${i + 1} AS {t}[]))" for i, t in enumerate(types))
        self.con.execute(
            f"INSERT INTO {self._m}.commits SELECT {unnested}",
            [list(column) for column in zip(*rows, strict=True)],
        )

    def last_commit(self) -> tuple[int, datetime] | None:
        """The latest (version, timestamp), or None for an empty log."""
        # arg_max: about half the time of ORDER BY … LIMIT 1 here (every Snowflake write).
        row = self.lookups.row(
            self.alias, f"SELECT max(version), arg_max(ts, version) FROM {self._m}.commits"
        )
        return (int(row[0]), row[1]) if row and row[0] is not None else None

    def version_at(self, ts: datetime, inclusive: bool = True) -> int:
        """The latest version committed at (`inclusive`) or before `ts`; 0 if none."""
        op = "<=" if inclusive else "<"
        row = self.con.execute(
            f"SELECT coalesce(max(version), 0) FROM {self._m}.commits WHERE ts {op} ?", [ts]
        ).fetchone()
        return int(row[0]) if row else 0

    def commit_of(self, statement_id: str) -> tuple[int, datetime] | None:
        """The (version, timestamp) a statement committed, or None."""
        row = self.con.execute(
            f"SELECT version, ts FROM {self._m}.commits WHERE statement_id = ?", [statement_id]
        ).fetchone()
        return (int(row[0]), row[1]) if row else None


def _width_expr(c: ColumnMeta) -> str:
    fixed = {
        "TINYINT": 1,
        "SMALLINT": 2,
        "INTEGER": 4,
        "BIGINT": 8,
        "FLOAT": 4,
        "DOUBLE": 8,
        "BOOLEAN": 1,
        "DATE": 4,
        "TIMESTAMP": 8,
        "TIMESTAMP_NS": 8,
    }
    q = quote_ident(c.name)
    t = c.duck_type.upper()
    if t in fixed:
        return f"(CASE WHEN {q} IS NULL THEN 0 ELSE {fixed[t]} END)"
    if t.startswith("DECIMAL"):
        return f"(CASE WHEN {q} IS NULL THEN 0 ELSE 16 END)"
    if t in ("VARCHAR", "BLOB", "JSON"):
        return f"coalesce(octet_length(CAST({q} AS BLOB)), 0)"
    return f"coalesce(octet_length(CAST(CAST({q} AS VARCHAR) AS BLOB)), 0)"
