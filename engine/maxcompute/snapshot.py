"""What a MaxCompute principal can see, for completion: projects they own or were added to; in
those, tables they can read or describe (or all tables, with List on the project or as
owner/admin); columns and partitions of those tables; principals and roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.engine.core.catalog import ProjectCatalog, TableMeta
from cloneshell.engine.core.snapshot import CatalogSnapshot, TableEntry
from cloneshell.engine.core.warehouse import WAREHOUSE_ALIAS
from cloneshell.engine.maxcompute import catalog
from cloneshell.engine.maxcompute.security import (
    ADMIN_ROLES,
    PROJECT_ACTIONS,
    TABLE_ACTIONS,
    Authorizer,
)

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


# Before the first snapshot: nothing but the flags.
EMPTY = CatalogSnapshot(
    "",
    None,
    (),
    (),
    (),
    (),
    KNOWN_FLAGS,
    project_actions=PROJECT_ACTIONS,
    table_actions=TABLE_ACTIONS,
)


def build_snapshot(session: Session, version: int) -> CatalogSnapshot:
    """The projects and tables the principal can see (attaching project files as needed),
    principals and roles."""
    wh, principal = session.warehouse, session.principal
    current_project, flags = session.project, tuple(session.flags)
    auth = Authorizer(principal)
    projects: list[str] = []
    tables: list[TableEntry] = []
    principals: set[str] = set()
    roles: set[str] = set(ADMIN_ROLES)
    for info in wh.list_projects():
        alias = wh.attach_project(info)
        cat = ProjectCatalog(wh.con, alias, info.name)
        if not (auth.is_owner(info) or catalog.is_member(cat, principal)):
            continue
        projects.append(info.name)
        principals.update(catalog.list_members(cat))
        principals.add(info.owner)
        roles.update(catalog.list_roles(cat))
        grants = catalog.grants_for(cat, "USER", principal) + [
            g
            for role in catalog.roles_of(cat, principal)
            for g in catalog.grants_for(cat, "ROLE", role)
        ]
        sees_all = auth.is_admin(info, cat) or any(
            g.object_type == "PROJECT" and g.action in ("List", "All") for g in grants
        )
        readable = {
            g.object_name
            for g in grants
            if g.object_type == "TABLE" and g.action in ("Select", "Describe", "All")
        }
        partitions = catalog.partition_values_by_table(cat, MAX_PARTITIONS_PER_TABLE)
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
        project_actions=PROJECT_ACTIONS,
        table_actions=TABLE_ACTIONS,
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
