"""How long Snowflake keeps history: DATA_RETENTION_TIME_IN_DAYS as it resolves for one
object (table, else schema, else database, else the account default)."""

from __future__ import annotations

from cloneshell.engine.core.catalog import SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.snowflake import temporary

# Snowflake's account default for DATA_RETENTION_TIME_IN_DAYS (snowflake.md §2.2).
DEFAULT_RETENTION_DAYS = 1


def effective_retention(db: Db, schema: SchemaMeta | None, table: TableMeta | None) -> int:
    """DATA_RETENTION_TIME_IN_DAYS as Snowflake resolves it: the table's own setting, else its
    schema's, else its database's, else the account default (1); a temporary table keeps at
    most one day (Snowflake's temporary tables allow 0 or 1)."""
    cap = 1 if temporary.is_temporary(table) else None
    for value in (
        table.retention_explicit if table is not None else None,
        schema.retention_days if schema is not None else None,
        db.info.retention_days,
    ):
        if value is not None:
            return int(value) if cap is None else min(int(value), cap)
    return DEFAULT_RETENTION_DAYS
