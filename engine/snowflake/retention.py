"""How long Snowflake keeps history: DATA_RETENTION_TIME_IN_DAYS as it resolves for one
object (table, else schema, else database, else the account's value, else 1 day), raised to
the account's MIN_DATA_RETENTION_TIME_IN_DAYS for permanent objects and capped at 1 day for
transient and temporary ones (Snowflake's "Time Travel" page and its 2023_04 behaviour change:
the effective retention is MAX(DATA_RETENTION_TIME_IN_DAYS, MIN_DATA_RETENTION_TIME_IN_DAYS));
and MAX_DATA_EXTENSION_TIME_IN_DAYS, how long a table's streams keep its history."""

from __future__ import annotations

from cloneshell.engine.core.catalog import SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.registry import ProjectInfo, Registry
from cloneshell.engine.snowflake import parameters, temporary
from cloneshell.grammar.records import record

# Snowflake's account default for DATA_RETENTION_TIME_IN_DAYS (snowflake.md §2.2).
DEFAULT_RETENTION_DAYS = 1
_RETENTION = "DATA_RETENTION_TIME_IN_DAYS"
_MINIMUM = "MIN_DATA_RETENTION_TIME_IN_DAYS"
_EXTENSION = "MAX_DATA_EXTENSION_TIME_IN_DAYS"


@record(frozen=True, slots=True)
class Account:
    """The account's retention parameters: DATA_RETENTION_TIME_IN_DAYS (the default of every
    object that sets none, `explicit` when ALTER ACCOUNT set it), MIN_DATA_RETENTION_TIME_IN_DAYS
    and MAX_DATA_EXTENSION_TIME_IN_DAYS."""

    retention: int = DEFAULT_RETENTION_DAYS
    minimum: int = 0
    extension: int = 14
    explicit: bool = False


def account(wh: Registry) -> Account:
    """The account's values, as ALTER ACCOUNT left them."""
    return account_from(parameters.account_values(wh))


def account_from(values: dict[str, str]) -> Account:
    """The retention parameters among the account's values (`parameters.account_values`)."""
    return Account(
        retention=parameters.account_int(values, _RETENTION),
        minimum=parameters.account_int(values, _MINIMUM),
        extension=parameters.account_int(values, _EXTENSION),
        explicit=_RETENTION in values,
    )


def effective_retention(
    db: Db, schema: SchemaMeta | None, table: TableMeta | None, acct: Account | None = None
) -> int:
    """The days of history Snowflake keeps for a table (or, without one, a schema; without
    both, the database): its DATA_RETENTION_TIME_IN_DAYS (`declared`) raised to the account's
    minimum for a permanent object; a transient or temporary one keeps at most one day.
    `acct`: the account's values (read from the registry when not given)."""
    acct = acct or account_of(db)
    days = declared(db, schema, table, acct)[0]
    if _transient(db, schema, table):
        return min(days, 1)
    return max(days, acct.minimum)


def declared(
    db: Db, schema: SchemaMeta | None, table: TableMeta | None, acct: Account
) -> tuple[int, str]:
    """DATA_RETENTION_TIME_IN_DAYS as the object has it, set or inherited, without the
    account's minimum, and the level it was set at: TABLE, SCHEMA, DATABASE, ACCOUNT, or ''
    (Snowflake's default, 1)."""
    for value, level in (
        (table.retention_explicit if table is not None else None, "TABLE"),
        (schema.retention_days if schema is not None else None, "SCHEMA"),
        (db.info.retention_days, "DATABASE"),
    ):
        if value is not None:
            return int(value), level
    return acct.retention, "ACCOUNT" if acct.explicit else ""


def database_retention(info: ProjectInfo, acct: Account) -> int:
    """The effective retention of a database (dropped ones included: a dropped database keeps
    its children for its own retention)."""
    days = acct.retention if info.retention_days is None else int(info.retention_days)
    return min(days, 1) if info.transient else max(days, acct.minimum)


def schema_retention(db: Db, schema: SchemaMeta, acct: Account | None = None) -> int:
    """The effective retention of a schema (a dropped one keeps its tables for it)."""
    return effective_retention(db, schema, None, acct)


def extension_days(table: TableMeta, acct: Account) -> int:
    """MAX_DATA_EXTENSION_TIME_IN_DAYS of a table: its own (ALTER TABLE … SET), else the
    account's, else 14."""
    own = table.properties.get("max_data_extension_days")
    return int(own) if own is not None else acct.extension


def account_of(db: Db) -> Account:
    """The account's values, read through the connection a database's catalog uses."""
    return account_from(parameters.account_values_seen(db.cat.lookups))


def _transient(db: Db, schema: SchemaMeta | None, table: TableMeta | None) -> bool:
    if table is not None and (table.transient or temporary.is_temporary(table)):
        return True
    return bool((schema is not None and schema.transient) or db.info.transient)
