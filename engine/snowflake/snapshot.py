"""What a Snowflake role can see, for completion: databases, schemas and tables, users and
roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.engine.core.snapshot import CatalogSnapshot, TableEntry
from cloneshell.engine.snowflake import security

if TYPE_CHECKING:
    from cloneshell.engine.core.session import Session


def build_snapshot(session: Session, version: int) -> CatalogSnapshot:
    """Snowflake: the databases, schemas and tables the current role can see, users and roles."""
    wh = session.warehouse
    auth = security.Authorizer.load(wh, session.principal, session.role)
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
