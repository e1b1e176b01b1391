"""Snowflake's metadata in a database file, beside the core catalog's: privileges granted on
databases, schemas, tables and pipeline objects (`__cs.sf_grants`; ownership is each object's
owner column), and purging tables and schemas for good with everything that hangs off them."""

from __future__ import annotations

from datetime import datetime

from cloneshell.engine.core.catalog import ProjectCatalog, SchemaMeta, TableMeta
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.grammar.records import record


@record(frozen=True, slots=True)
class Grant:
    """One Snowflake privilege on an object (ownership is the object's owner column)."""

    object_type: str  # DATABASE | SCHEMA | TABLE
    object_id: int  # 0 for the database itself
    privilege: str
    role: str
    grant_option: bool
    granted_by: str
    created_at: datetime


def grant(cat: ProjectCatalog, g: Grant) -> None:
    """Add a privilege (idempotent; a repeated grant may add the grant option)."""
    cat.con.execute(
        f"INSERT INTO {cat.meta_schema}.sf_grants VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO UPDATE SET grant_option = excluded.grant_option OR grant_option",
        [
            g.object_type,
            g.object_id,
            g.privilege,
            g.role,
            g.grant_option,
            g.granted_by,
            g.created_at,
        ],
    )


def revoke(
    cat: ProjectCatalog,
    object_type: str,
    object_id: int,
    privilege: str,
    role: str,
    option_only: bool,
) -> None:
    """Remove a privilege (or only its grant option)."""
    where = "object_type = ? AND object_id = ? AND privilege = ? AND role = ?"
    params = [object_type, object_id, privilege, role]
    if option_only:
        cat.con.execute(
            f"UPDATE {cat.meta_schema}.sf_grants SET grant_option = false WHERE {where}", params
        )
    else:
        cat.con.execute(f"DELETE FROM {cat.meta_schema}.sf_grants WHERE {where}", params)


def grants_on(cat: ProjectCatalog, object_type: str, object_id: int) -> list[Grant]:
    """Privileges granted on one object, by privilege and role."""
    rows = cat.con.execute(
        f"SELECT * FROM {cat.meta_schema}.sf_grants WHERE object_type = ? AND object_id = ? "
        "ORDER BY privilege, role",
        [object_type, object_id],
    ).fetchall()
    return [Grant(*r) for r in rows]


def grants_to(cat: ProjectCatalog, roles: list[str]) -> list[Grant]:
    """Privileges held by any of `roles`."""
    if not roles:
        return []
    marks = ", ".join("?" for _ in roles)
    rows = cat.con.execute(
        f"SELECT * FROM {cat.meta_schema}.sf_grants WHERE role IN ({marks}) "
        "ORDER BY object_type, object_id, privilege, role",
        roles,
    ).fetchall()
    return [Grant(*r) for r in rows]


def has_grant(
    cat: ProjectCatalog, object_type: str, object_id: int, roles: list[str], privileges: list[str]
) -> bool:
    """True if any of `roles` holds any of `privileges` on the object (any privilege at all
    when `privileges` is empty)."""
    if not roles:
        return False
    marks = ", ".join("?" for _ in roles)
    sql = (
        f"SELECT 1 FROM {cat.meta_schema}.sf_grants WHERE object_type = ? AND object_id = ? "
        f"AND role IN ({marks})"
    )
    params: list[object] = [object_type, object_id, *roles]
    if privileges:
        sql += f" AND privilege IN ({', '.join('?' for _ in privileges)})"
        params += privileges
    return cat.con.execute(sql + " LIMIT 1", params).fetchone() is not None


def delete_grants(cat: ProjectCatalog, object_type: str, object_id: int | None = None) -> None:
    """Forget the privileges on one object (or on every object of a type)."""
    if object_id is None:
        cat.con.execute(
            f"DELETE FROM {cat.meta_schema}.sf_grants WHERE object_type = ?", [object_type]
        )
    else:
        cat.con.execute(
            f"DELETE FROM {cat.meta_schema}.sf_grants WHERE object_type = ? AND object_id = ?",
            [object_type, object_id],
        )


def forget_table(cat: ProjectCatalog, t: TableMeta) -> None:
    """Purge a table for good: storage, history, metadata and grants."""
    if t.kind == "managed":
        cat.con.execute(f"DROP TABLE IF EXISTS {cat.physical(t)}")
    cat.con.execute(f"DROP TABLE IF EXISTS {cat.history_name(t)}")
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.tables WHERE table_id = ?", [t.table_id])
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.partitions WHERE table_id = ?", [t.table_id])
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.load_history WHERE table_id = ?", [t.table_id])
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.row_links WHERE table_id = ?", [t.table_id])
    delete_grants(cat, "TABLE", t.table_id)


def forget_schema(cat: ProjectCatalog, s: SchemaMeta) -> None:
    """Purge a schema for good, with every table it holds."""
    for t in cat.tables_of_schema(s.schema_id, history=True):
        forget_table(cat, t)
    if s.physical != "main":
        # Tables renamed into another schema keep their storage here: drop only when empty.
        left = cat.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ?",
            [cat.alias, s.physical],
        ).fetchone()
        if left is not None and left[0] == 0:
            cat.con.execute(
                f"DROP SCHEMA IF EXISTS {quote_ident(cat.alias)}.{quote_ident(s.physical)}"
            )
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.schemas WHERE schema_id = ?", [s.schema_id])
    delete_grants(cat, "SCHEMA", s.schema_id)
    # Its stages, pipes, streams and tasks go with it (their files: stages.sweep).
    for kind, object_id in cat.con.execute(
        f"SELECT kind, object_id FROM {cat.meta_schema}.sf_objects WHERE schema_id = ?",
        [s.schema_id],
    ).fetchall():
        delete_grants(cat, kind, object_id)
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.sf_objects WHERE schema_id = ?", [s.schema_id])
