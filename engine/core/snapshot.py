"""A read-only picture of what one principal can see in the warehouse, for completion.

Plain frozen data (no DuckDB objects), so the shell can hold it across threads while the engine
keeps working. Only objects the principal may see are in it: projects they own or were added to;
in those, tables they can read or describe (or all tables, with List on the project or as
owner/admin); columns and partitions of those tables.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING

from cloneshell.engine.core.catalog import ProjectCatalog, TableMeta
from cloneshell.engine.core.warehouse import WAREHOUSE_ALIAS, Warehouse
from cloneshell.engine.maxcompute.security import (
    ADMIN_ROLES,
    PROJECT_ACTIONS,
    TABLE_ACTIONS,
    Authorizer,
)
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.session import Session

# SET keys a user is likely to want (reference/maxcompute.md §4); the session's own flags too.
KNOWN_FLAGS = (
    "odps.namespace.schema",
    "odps.sql.allow.fullscan",
    "odps.sql.validate.orderby.limit",
    "odps.sql.type.system.odps2",
    "odps.sql.decimal.odps2",
    "odps.sql.hive.compatible",
    "odps.sql.timezone",
    "odps.stage.mapper.split.size",
    "odps.sql.job.max.time.hours",
)

# Partition values listed per table at most (completion shows the first ones anyway).
MAX_PARTITIONS_PER_TABLE = 1000


@record(frozen=True, slots=True)
class TableEntry:
    """One visible table."""

    project: str
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, type) of native columns
    partition_columns: tuple[tuple[str, str], ...]
    partitions: tuple[dict[str, str], ...] = ()  # existing partition values by column
    schema: str = ""  # Snowflake: the table's schema (`project` is its database)


@record(frozen=True, slots=True)
class CatalogSnapshot:
    """Everything completion may offer, as of `version` (increments on each rebuild)."""

    principal: str
    current_project: str | None
    projects: tuple[str, ...]
    tables: tuple[TableEntry, ...]
    principals: tuple[str, ...]
    roles: tuple[str, ...]
    flags: tuple[str, ...]
    project_actions: tuple[str, ...] = PROJECT_ACTIONS
    table_actions: tuple[str, ...] = TABLE_ACTIONS
    version: int = 0
    # Snowflake: (database, schema) pairs the role can see, and the dialect the snapshot is of.
    schemas: tuple[tuple[str, str], ...] = ()
    dialect: str = "maxcompute"
    _by_project: dict[str, tuple[TableEntry, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def tables_in(self, project: str) -> tuple[TableEntry, ...]:
        """Visible tables of one project."""
        if not self._by_project and self.tables:
            grouped: dict[str, list[TableEntry]] = {}
            for t in self.tables:
                grouped.setdefault(t.project, []).append(t)
            self._by_project.update({k: tuple(v) for k, v in grouped.items()})
        return self._by_project.get(project, ())

    def table(self, project: str, name: str) -> TableEntry | None:
        """One visible table, or None."""
        for t in self.tables_in(project):
            if t.name == name:
                return t
        return None


EMPTY = CatalogSnapshot("", None, (), (), (), (), KNOWN_FLAGS)


def build_snapshot(
    wh: Warehouse,
    principal: str,
    current_project: str | None,
    flags: tuple[str, ...],
    version: int,
) -> CatalogSnapshot:
    """Read the catalogs the principal can see (attaching project files as needed)."""
    auth = Authorizer(principal)
    projects: list[str] = []
    tables: list[TableEntry] = []
    principals: set[str] = set()
    roles: set[str] = set(ADMIN_ROLES)
    for info in wh.list_projects():
        alias = wh.attach_project(info)
        cat = ProjectCatalog(wh.con, alias, info.name)
        if not (auth.is_owner(info) or cat.is_member(principal)):
            continue
        projects.append(info.name)
        principals.update(cat.list_members())
        principals.add(info.owner)
        roles.update(cat.list_roles())
        grants = cat.grants_for("USER", principal) + [
            g for role in cat.roles_of(principal) for g in cat.grants_for("ROLE", role)
        ]
        sees_all = auth.is_admin(info, cat) or any(
            g.object_type == "PROJECT" and g.action in ("List", "All") for g in grants
        )
        readable = {
            g.object_name
            for g in grants
            if g.object_type == "TABLE" and g.action in ("Select", "Describe", "All")
        }
        partitions = cat.partition_values_by_table(MAX_PARTITIONS_PER_TABLE)
        for t in cat.list_tables():
            if sees_all or t.owner == principal or t.name in readable:
                tables.append(_entry(info.name, t, partitions.get(t.table_id, [])))
    rows = wh.con.execute(f"SELECT name FROM {WAREHOUSE_ALIAS}.principals ORDER BY 1").fetchall()
    principals.update(r[0] for r in rows)
    return CatalogSnapshot(
        principal=principal,
        current_project=current_project,
        projects=tuple(projects),
        tables=tuple(tables),
        principals=tuple(sorted(principals)),
        roles=tuple(sorted(roles)),
        flags=tuple(sorted(set(KNOWN_FLAGS) | set(flags))),
        version=version,
    )


def _entry(project: str, t: TableMeta, partitions: list[dict[str, str]]) -> TableEntry:
    return TableEntry(
        project=project,
        name=t.name,
        columns=tuple((c.name, c.type) for c in t.columns),
        partition_columns=tuple((c.name, c.type) for c in t.partition_columns),
        partitions=tuple(partitions),
    )


def build_sf_snapshot(session: Session, version: int) -> CatalogSnapshot:
    """Snowflake: the databases, schemas and tables the current role can see, users and roles."""
    from cloneshell.engine.snowflake import security

    wh = session.warehouse
    auth = security.SfAuth.load(wh, session.principal, session.role)
    databases: list[str] = []
    schemas: list[tuple[str, str]] = []
    tables: list[TableEntry] = []
    for info in wh.list_databases():
        cat = ProjectCatalog(wh.con, wh.attach_project(info), info.name)
        if not auth.has(cat, "DATABASE", 0, info.owner):
            continue
        databases.append(info.name)
        for schema in cat.list_schemas():
            if not auth.has(cat, "SCHEMA", schema.schema_id, schema.owner):
                continue
            schemas.append((info.name, schema.name))
            for t in cat.tables_of_schema(schema.schema_id):
                if auth.has(cat, "TABLE", t.table_id, t.owner):
                    tables.append(
                        TableEntry(
                            project=info.name,
                            name=t.name,
                            columns=tuple((c.name, c.type) for c in t.columns),
                            partition_columns=(),
                            schema=schema.name,
                        )
                    )
    return CatalogSnapshot(
        principal=session.principal,
        current_project=session.project,
        projects=tuple(databases),
        tables=tuple(tables),
        principals=tuple(u.name for u in security.list_users(wh)),
        roles=tuple(r.name for r in security.list_roles(wh)),
        flags=tuple(sorted(session.flags)),
        project_actions=security.DATABASE_PRIVILEGES + security.SCHEMA_PRIVILEGES,
        table_actions=security.TABLE_PRIVILEGES,
        version=version,
        schemas=tuple(schemas),
        dialect="snowflake",
    )
