"""MaxCompute's metadata in a project file, beside the core catalog's: project members, roles
and their members, ACL entries (`GRANT action ON object TO USER|ROLE`), and the partition list of
partitioned tables (so empty partitions exist, and SHOW PARTITIONS can list them)."""

from __future__ import annotations

import json
from datetime import datetime

from cloneshell.engine.core.catalog import ColumnMeta, ProjectCatalog, TableMeta
from cloneshell.grammar.records import record


@record(frozen=True, slots=True)
class PartitionMeta:
    """One partition: its canonical spec (`a=1/b=x`) and its values by column."""

    spec: str
    values: dict[str, str]
    created_at: datetime
    ddl_at: datetime
    modified_at: datetime


@record(slots=True)
class Grant:
    """One ACL entry."""

    grantee_kind: str
    grantee: str
    object_type: str
    object_name: str
    action: str


def partition_spec_text(values: dict[str, str], order: tuple[ColumnMeta, ...]) -> str:
    """Canonical partition spec, as SHOW PARTITIONS prints it: `sale_date=2013/region=china`."""
    return "/".join(f"{c.name}={values[c.name]}" for c in order)


def list_partitions(
    cat: ProjectCatalog, t: TableMeta, specs: list[str] | None = None
) -> list[PartitionMeta]:
    """The table's partitions (only those of `specs` if given), by spec."""
    where, params = "", []
    if specs is not None:
        where = " AND spec IN (SELECT unnest(CAST(? AS VARCHAR[])))"
        params.append(specs)
    rows = cat.con.execute(
        f"SELECT spec, vals, created_at, ddl_at, modified_at FROM {cat.meta_schema}.partitions "
        f"WHERE table_id = ?{where} ORDER BY spec",
        [t.table_id, *params],
    ).fetchall()
    return [PartitionMeta(r[0], json.loads(r[1]), r[2], r[3], r[4]) for r in rows]


def partition_values_by_table(
    cat: ProjectCatalog, limit_per_table: int
) -> dict[int, list[dict[str, str]]]:
    """Partition values of every table in one query (newest first, at most
    `limit_per_table` each): completion reads thousands of tables at once."""
    rows = cat.con.execute(
        f"SELECT table_id, vals FROM (SELECT table_id, vals, row_number() OVER "
        f"(PARTITION BY table_id ORDER BY created_at DESC, spec DESC) AS n "
        f"FROM {cat.meta_schema}.partitions) WHERE n <= ? ORDER BY table_id, n",
        [limit_per_table],
    ).fetchall()
    out: dict[int, list[dict[str, str]]] = {}
    for table_id, vals in rows:
        out.setdefault(table_id, []).append(json.loads(vals))
    return out


def get_partition(cat: ProjectCatalog, t: TableMeta, spec: str) -> PartitionMeta | None:
    """One partition by canonical spec."""
    row = cat.con.execute(
        f"SELECT spec, vals, created_at, ddl_at, modified_at FROM {cat.meta_schema}.partitions "
        "WHERE table_id = ? AND spec = ?",
        [t.table_id, spec],
    ).fetchone()
    return PartitionMeta(row[0], json.loads(row[1]), row[2], row[3], row[4]) if row else None


def add_partition(cat: ProjectCatalog, t: TableMeta, values: dict[str, str], now: datetime) -> str:
    """Record a partition (no-op if present); returns its spec."""
    spec = partition_spec_text(values, t.partition_columns)
    cat.con.execute(
        f"INSERT OR IGNORE INTO {cat.meta_schema}.partitions VALUES (?, ?, ?, ?, ?, ?)",
        [t.table_id, spec, json.dumps(values), now, now, now],
    )
    return spec


def add_partitions(
    cat: ProjectCatalog,
    t: TableMeta,
    values: list[dict[str, str]],
    now: datetime,
    touch: bool = False,
) -> None:
    """Record partitions (one statement for all: a clone or an ALTER of 10,000 partitions
    must not cost 10,000 round trips). Present ones are kept; with `touch`, their modified
    time becomes `now`, as `add_partition` then `touch_partition` would do."""
    specs = {partition_spec_text(v, t.partition_columns): json.dumps(v) for v in values}
    if not specs:
        return
    on_conflict = "DO UPDATE SET modified_at = excluded.modified_at" if touch else "DO NOTHING"
    cat.con.execute(
        f"INSERT INTO {cat.meta_schema}.partitions "
        "SELECT ?, spec, vals, ?, ?, ? FROM (SELECT unnest(?::VARCHAR[]) AS spec, "
        f"unnest(?::VARCHAR[]) AS vals) ON CONFLICT {on_conflict}",
        [t.table_id, now, now, now, list(specs), list(specs.values())],
    )


def touch_partition(cat: ProjectCatalog, t: TableMeta, spec: str, now: datetime) -> None:
    """Set a partition's modified time."""
    cat.con.execute(
        f"UPDATE {cat.meta_schema}.partitions SET modified_at = ? WHERE table_id = ? AND spec = ?",
        [now, t.table_id, spec],
    )


def drop_partition(cat: ProjectCatalog, t: TableMeta, spec: str) -> None:
    """Forget a partition (its rows are deleted by the caller)."""
    cat.con.execute(
        f"DELETE FROM {cat.meta_schema}.partitions WHERE table_id = ? AND spec = ?",
        [t.table_id, spec],
    )


def drop_table(cat: ProjectCatalog, t: TableMeta, version: int) -> None:
    """Drop a table: its storage, partitions and ACL entries go with it."""
    if t.kind == "managed":
        cat.con.execute(f"DROP TABLE IF EXISTS {cat.physical(t)}")
    cat.con.execute(
        f"UPDATE {cat.meta_schema}.tables SET dropped_version = ? WHERE table_id = ?",
        [version, t.table_id],
    )
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.partitions WHERE table_id = ?", [t.table_id])
    cat.con.execute(
        f"DELETE FROM {cat.meta_schema}.acl WHERE object_type = 'TABLE' AND object_name = ?",
        [t.name],
    )


def is_member(cat: ProjectCatalog, principal: str) -> bool:
    """True if `principal` has been added (and not removed)."""
    row = cat.con.execute(
        f"SELECT active FROM {cat.meta_schema}.members WHERE principal = ?", [principal]
    ).fetchone()
    return bool(row and row[0])


def set_member(
    cat: ProjectCatalog, principal: str, active: bool, now: datetime, comment: str = ""
) -> None:
    """Add, re-add or remove (deactivate) a member. Grants are kept across removal."""
    cat.con.execute(
        f"INSERT INTO {cat.meta_schema}.members VALUES (?, ?, ?, ?) ON CONFLICT (principal) "
        "DO UPDATE SET active = excluded.active",
        [principal, active, comment, now],
    )


def list_members(cat: ProjectCatalog) -> list[str]:
    """Active members, by name."""
    rows = cat.con.execute(
        f"SELECT principal FROM {cat.meta_schema}.members WHERE active ORDER BY principal"
    ).fetchall()
    return [r[0] for r in rows]


def role_exists(cat: ProjectCatalog, role: str) -> bool:
    """True for a user-created role."""
    row = cat.con.execute(
        f"SELECT 1 FROM {cat.meta_schema}.roles WHERE name = ?", [role]
    ).fetchone()
    return row is not None


def create_role(cat: ProjectCatalog, role: str, now: datetime) -> None:
    """Create a role."""
    cat.con.execute(f"INSERT INTO {cat.meta_schema}.roles VALUES (?, ?)", [role, now])


def drop_role(cat: ProjectCatalog, role: str) -> None:
    """Drop a role with its memberships and grants."""
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.roles WHERE name = ?", [role])
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.role_members WHERE role = ?", [role])
    cat.con.execute(
        f"DELETE FROM {cat.meta_schema}.acl WHERE grantee_kind = 'ROLE' AND grantee = ?", [role]
    )


def list_roles(cat: ProjectCatalog) -> list[str]:
    """User-created roles, by name."""
    rows = cat.con.execute(f"SELECT name FROM {cat.meta_schema}.roles ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def roles_of(cat: ProjectCatalog, principal: str) -> list[str]:
    """Roles granted to `principal` (built-in ones included)."""
    rows = cat.con.execute(
        f"SELECT role FROM {cat.meta_schema}.role_members WHERE principal = ? ORDER BY 1",
        [principal],
    ).fetchall()
    return [r[0] for r in rows]


def grant_role(cat: ProjectCatalog, role: str, principal: str) -> None:
    """Give `role` to `principal`."""
    cat.con.execute(
        f"INSERT OR IGNORE INTO {cat.meta_schema}.role_members VALUES (?, ?)", [role, principal]
    )


def revoke_role(cat: ProjectCatalog, role: str, principal: str) -> None:
    """Take `role` from `principal`."""
    cat.con.execute(
        f"DELETE FROM {cat.meta_schema}.role_members WHERE role = ? AND principal = ?",
        [role, principal],
    )


def grant(cat: ProjectCatalog, g: Grant) -> None:
    """Add an ACL entry (idempotent)."""
    cat.con.execute(
        f"INSERT OR IGNORE INTO {cat.meta_schema}.acl VALUES (?, ?, ?, ?, ?)",
        [g.grantee_kind, g.grantee, g.object_type, g.object_name, g.action],
    )


def revoke(cat: ProjectCatalog, g: Grant) -> None:
    """Remove an ACL entry."""
    cat.con.execute(
        f"DELETE FROM {cat.meta_schema}.acl WHERE grantee_kind = ? AND grantee = ? "
        "AND object_type = ? AND object_name = ? AND action = ?",
        [g.grantee_kind, g.grantee, g.object_type, g.object_name, g.action],
    )


def grants_for(cat: ProjectCatalog, kind: str, grantee: str) -> list[Grant]:
    """ACL entries of one user or role."""
    rows = cat.con.execute(
        "SELECT grantee_kind, grantee, object_type, object_name, action "
        f"FROM {cat.meta_schema}.acl WHERE grantee_kind = ? AND grantee = ? "
        "ORDER BY object_type, object_name, action",
        [kind, grantee],
    ).fetchall()
    return [Grant(*r) for r in rows]


def has_action(
    cat: ProjectCatalog, principal: str, object_type: str, object_name: str, action: str
) -> bool:
    """True if the principal, directly or through a role, holds `action` (or All)."""
    row = cat.con.execute(
        f"SELECT 1 FROM {cat.meta_schema}.acl a WHERE a.object_type = ? AND a.object_name = ? "
        "AND a.action IN (?, 'All') AND ((a.grantee_kind = 'USER' AND a.grantee = ?) OR "
        "(a.grantee_kind = 'ROLE' AND a.grantee IN "
        f"(SELECT role FROM {cat.meta_schema}.role_members WHERE principal = ?))) LIMIT 1",
        [object_type, object_name, action, principal, principal],
    ).fetchone()
    return row is not None


def role_members(cat: ProjectCatalog, role: str) -> list[str]:
    """Principals holding `role`."""
    rows = cat.con.execute(
        f"SELECT principal FROM {cat.meta_schema}.role_members WHERE role = ? ORDER BY 1", [role]
    ).fetchall()
    return [r[0] for r in rows]


def members_of(cat: ProjectCatalog, role: str) -> list[str]:
    """The principals holding `role`, by name."""
    rows = cat.con.execute(
        f"SELECT principal FROM {cat.meta_schema}.role_members WHERE role = ? ORDER BY 1", [role]
    ).fetchall()
    return [r[0] for r in rows]


def grants_on(cat: ProjectCatalog, object_type: str, object_name: str) -> list[Grant]:
    """ACL entries on one object, by grantee."""
    rows = cat.con.execute(
        "SELECT grantee_kind, grantee, object_type, object_name, action "
        f"FROM {cat.meta_schema}.acl WHERE object_type = ? AND object_name = ? "
        "ORDER BY grantee_kind DESC, grantee, action",
        [object_type, object_name],
    ).fetchall()
    return [Grant(*r) for r in rows]
