"""Snowflake `SHOW PARAMETERS [LIKE 'p'] [IN SESSION | ACCOUNT | USER | DATABASE | SCHEMA |
TABLE [name]]` and `ALTER ACCOUNT SET | UNSET` of parameters (the catalogue: parameters.py).

SHOW PARAMETERS lists, per parameter, its value where asked, its default and the level its value
comes from (SESSION, ACCOUNT, DATABASE, SCHEMA, TABLE, or empty for the default), as dbt reads
back `show parameters like 'query_tag' in session`. ALTER ACCOUNT is ACCOUNTADMIN's; a change of
the account's DATA_RETENTION_TIME_IN_DAYS or MIN_DATA_RETENTION_TIME_IN_DAYS applies at once to
every table that inherits it (history starts, or is dropped, as ALTER DATABASE does)."""

from __future__ import annotations

from dataclasses import replace

from cloneshell.engine.core.catalog import SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import CatalogError, PrivilegeError, UnsupportedError
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import ddl, listing, security
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.parameters import (
    OBJECT_PARAMETERS,
    PARAMETERS,
    account_values,
    check_value,
    set_account_value,
)
from cloneshell.engine.snowflake.retention import (
    Account,
    account_from,
    declared,
    effective_retention,
)
from cloneshell.grammar import ast

_COLUMNS = (
    ("key", "TEXT"),
    ("value", "TEXT"),
    ("default", "TEXT"),
    ("level", "TEXT"),
    ("description", "TEXT"),
    ("type", "TEXT"),
)

# (value, level) of one parameter.
Setting = tuple[str, str]


def show_parameters(ctx: SnowflakeContext, stmt: ast.ShowParameters) -> Rows:
    """One row per parameter of the scope, by name."""
    account = account_values(ctx.session.warehouse)
    if stmt.scope in ("SESSION", "USER"):
        if stmt.scope == "USER":
            _require_user(ctx, stmt)
        flags = ctx.session.flags if stmt.scope == "SESSION" else {}
        settings = _session(account, flags)
    elif stmt.scope == "ACCOUNT":
        settings = {name: _account_level(account, name) for name in PARAMETERS}
    elif stmt.scope in OBJECT_PARAMETERS or stmt.scope == "VIEW":
        settings = _object(ctx, stmt, account)
    else:
        raise UnsupportedError("unsupported", stmt.span, message=f"SHOW PARAMETERS IN {stmt.scope}")
    rows: list[tuple[object, ...]] = []
    for name in sorted(settings):
        if not listing.matches(name, stmt.like, None):
            continue
        param = PARAMETERS.get(name)
        default = param.default if param else ""
        value, level = settings[name]
        rows.append((name, value, default, level, param.description if param else "", _type(name)))
    return Rows(tuple(Column(n, t) for n, t in _COLUMNS), rows, ctx.statement_id)


def _type(name: str) -> str:
    param = PARAMETERS.get(name)
    return param.type if param else "STRING"


def _account_level(account: dict[str, str], name: str) -> Setting:
    value = account.get(name)
    return (PARAMETERS[name].default, "") if value is None else (value, "ACCOUNT")


def _session(account: dict[str, str], flags: dict[str, str]) -> dict[str, Setting]:
    """The session parameters: the session's ALTER SESSION value, else the account's, else the
    default (and whatever else ALTER SESSION kept, as text)."""
    out: dict[str, Setting] = {}
    names = {n for n, p in PARAMETERS.items() if p.kind == "SESSION"}
    names |= {k.upper() for k in flags if k.upper() != "DIALECT"}
    for name in names:
        value = flags.get(name.lower())
        if value is not None:
            out[name] = (value.strip().lower() if _type(name) == "BOOLEAN" else value, "SESSION")
        elif name in PARAMETERS:
            out[name] = _account_level(account, name)
        else:
            out[name] = ("", "")
    return out


def _object(
    ctx: SnowflakeContext, stmt: ast.ShowParameters, account: dict[str, str]
) -> dict[str, Setting]:
    """The object parameters of a database, schema or table (view): each one's value as the
    object has it, set or inherited, and the level it was set at."""
    acct = account_from(account)
    kind = "TABLE" if stmt.scope == "VIEW" else stmt.scope
    out = {n: _account_level(account, n) for n in OBJECT_PARAMETERS[kind]}
    db, schema, table = _target(ctx, stmt, kind)
    retention, level = declared(db, schema, table, acct)
    out["DATA_RETENTION_TIME_IN_DAYS"] = (str(retention), level)
    extension = table.properties.get("max_data_extension_days") if table else None
    if extension is not None:
        out["MAX_DATA_EXTENSION_TIME_IN_DAYS"] = (str(extension), "TABLE")
    return out


def _target(
    ctx: SnowflakeContext, stmt: ast.ShowParameters, kind: str
) -> tuple[Db, SchemaMeta | None, TableMeta | None]:
    """The object SHOW PARAMETERS IN <kind> [name] names (the current one without a name)."""
    what = f"SHOW PARAMETERS IN {kind}"
    if kind == "DATABASE":
        if stmt.name is None:
            return ctx.current_db(what, stmt.span), None, None
        if len(stmt.name.parts) != 1:
            raise CatalogError("database_not_found", stmt.name.span, name=str(stmt.name))
        return ctx.database(ctx.fold(stmt.name.parts[0]), stmt.name.span), None, None
    if kind == "SCHEMA":
        if stmt.name is None:
            db = ctx.current_db(what, stmt.span)
            if ctx.session.schema is None:
                raise CatalogError("schema_not_found", stmt.span, name=f"{db.name}.")
            return db, ctx.schema_of(db, ctx.session.schema, stmt.span), None
        db, name = ctx.schema_target(stmt.name, what)
        return db, ctx.schema_of(db, name, stmt.name.span), None
    if stmt.name is None:
        raise UnsupportedError("unsupported", stmt.span, message=f"{what} without a name")
    target = ctx.require_table(stmt.name, what)
    return target.db, target.schema, target.table


def _require_user(ctx: SnowflakeContext, stmt: ast.ShowParameters) -> None:
    if stmt.name is None:
        return
    name = security.user_name(".".join(ctx.fold(p) for p in stmt.name.parts))
    if security.get_user(ctx.session.warehouse, name) is None:
        raise CatalogError("user_not_found", stmt.name.span, name=name)


# ---------------------------------------------------------------------------- ALTER ACCOUNT

_RETENTION_PARAMETERS = ("DATA_RETENTION_TIME_IN_DAYS", "MIN_DATA_RETENTION_TIME_IN_DAYS")


def alter_account(ctx: SnowflakeContext, stmt: ast.AlterAccount) -> Status:
    """`ALTER ACCOUNT SET k = v …` / `UNSET k …`: ACCOUNTADMIN only (`003001 … on account`).
    Every value is checked before anything changes; then the tables whose effective retention
    starts or stops being 0 get their history started or dropped, one database at a time, and
    last the registry keeps the values."""
    wh = ctx.session.warehouse
    if security.ADMIN_ROLE not in ctx.auth.roles:
        raise PrivilegeError("no_privilege", object_type="account", name=security.ACCOUNT_NAME)
    changes: dict[str, str | None] = {}
    for name, value in stmt.settings:
        changes[name] = check_value(name, value, stmt.span)
    for name in stmt.unset:
        if name not in PARAMETERS:
            raise UnsupportedError("unsupported", stmt.span, message=f"parameter {name}")
        changes[name] = None
    before = account_values(wh)
    after = {k: v for k, v in before.items() if k not in changes}
    after.update({k: v for k, v in changes.items() if v is not None})
    if any(before.get(n) != after.get(n) for n in _RETENTION_PARAMETERS):
        _retention_changed(ctx, account_from(before), account_from(after))
    with wh.registry_transaction():
        for name, kept in changes.items():
            set_account_value(wh, name, kept)
    return ddl.ok(ctx)


def _retention_changed(ctx: SnowflakeContext, old: Account, new: Account) -> None:
    """Apply a change of the account's retention to the tables of every database whose
    effective retention starts or stops being 0 (ddl.table_retention_changed)."""
    for info in ctx.session.warehouse.list_databases():
        db = ctx.attach_db(info)
        moved = []
        for schema in db.cat.list_schemas():
            for t in db.cat.tables_of_schema(schema.schema_id):
                before = effective_retention(db, schema, t, old)
                now = effective_retention(db, schema, t, new)
                if (before == 0) != (now == 0):
                    moved.append((replace(t, retention_days=before), now))
        if not moved:
            continue
        with ctx.write_db(db, "ALTER ACCOUNT") as version:
            for t, now in moved:
                ddl.table_retention_changed(db, t.retention_days, t, now, version)
