"""Snowflake's INFORMATION_SCHEMA: the read-only schema every database has, with the views
TABLES, COLUMNS, SCHEMATA, VIEWS, TABLE_PRIVILEGES and DATABASES (Snowflake's column names, order
and types), each filtered to what the current role may see.

Nothing is stored: when a statement's FROM names `[db.]INFORMATION_SCHEMA.<view>` (or `<view>`
while INFORMATION_SCHEMA is the current schema), the view is built for that statement alone from
the database's catalog, as a constant relation (`VALUES …` with each column cast to its type),
so it joins, filters and sorts like any table and always shows the catalog as the statement
sees it. Writing into the schema (CREATE, INSERT, DROP … in INFORMATION_SCHEMA) is refused with
Snowflake's 003001; SNOWFLAKE.ACCOUNT_USAGE is not emulated (a coded "unsupported" error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from cloneshell.engine.core.catalog import SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import CatalogError, PrivilegeError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.snowflake import catalog, listing, temporary
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.handlers import sequences
from cloneshell.engine.snowflake.retention import account, database_retention, effective_retention
from cloneshell.grammar import ast

NAME = "INFORMATION_SCHEMA"

_TEXT = "VARCHAR"
_NUMBER = "DECIMAL(38,0)"
_TS = "TIMESTAMPTZ"

Row = tuple[object, ...]

_TABLES = (
    ("TABLE_CATALOG", _TEXT),
    ("TABLE_SCHEMA", _TEXT),
    ("TABLE_NAME", _TEXT),
    ("TABLE_OWNER", _TEXT),
    ("TABLE_TYPE", _TEXT),
    ("IS_TRANSIENT", _TEXT),
    ("CLUSTERING_KEY", _TEXT),
    ("ROW_COUNT", _NUMBER),
    ("BYTES", _NUMBER),
    ("RETENTION_TIME", _NUMBER),
    ("SELF_REFERENCING_COLUMN_NAME", _TEXT),
    ("REFERENCE_GENERATION", _TEXT),
    ("USER_DEFINED_TYPE_CATALOG", _TEXT),
    ("USER_DEFINED_TYPE_SCHEMA", _TEXT),
    ("USER_DEFINED_TYPE_NAME", _TEXT),
    ("IS_INSERTABLE_INTO", _TEXT),
    ("IS_TYPED", _TEXT),
    ("COMMIT_ACTION", _TEXT),
    ("CREATED", _TS),
    ("LAST_ALTERED", _TS),
    ("LAST_DDL", _TS),
    ("LAST_DDL_BY", _TEXT),
    ("AUTO_CLUSTERING_ON", _TEXT),
    ("COMMENT", _TEXT),
    ("IS_TEMPORARY", _TEXT),
    ("IS_ICEBERG", _TEXT),
    ("IS_DYNAMIC", _TEXT),
    ("IS_IMMUTABLE", _TEXT),
)
_COLUMNS = (
    ("TABLE_CATALOG", _TEXT),
    ("TABLE_SCHEMA", _TEXT),
    ("TABLE_NAME", _TEXT),
    ("COLUMN_NAME", _TEXT),
    ("ORDINAL_POSITION", _NUMBER),
    ("COLUMN_DEFAULT", _TEXT),
    ("IS_NULLABLE", _TEXT),
    ("DATA_TYPE", _TEXT),
    ("CHARACTER_MAXIMUM_LENGTH", _NUMBER),
    ("CHARACTER_OCTET_LENGTH", _NUMBER),
    ("NUMERIC_PRECISION", _NUMBER),
    ("NUMERIC_PRECISION_RADIX", _NUMBER),
    ("NUMERIC_SCALE", _NUMBER),
    ("DATETIME_PRECISION", _NUMBER),
    ("INTERVAL_TYPE", _TEXT),
    ("INTERVAL_PRECISION", _NUMBER),
    ("CHARACTER_SET_CATALOG", _TEXT),
    ("CHARACTER_SET_SCHEMA", _TEXT),
    ("CHARACTER_SET_NAME", _TEXT),
    ("COLLATION_CATALOG", _TEXT),
    ("COLLATION_SCHEMA", _TEXT),
    ("COLLATION_NAME", _TEXT),
    ("DOMAIN_CATALOG", _TEXT),
    ("DOMAIN_SCHEMA", _TEXT),
    ("DOMAIN_NAME", _TEXT),
    ("UDT_CATALOG", _TEXT),
    ("UDT_SCHEMA", _TEXT),
    ("UDT_NAME", _TEXT),
    ("SCOPE_CATALOG", _TEXT),
    ("SCOPE_SCHEMA", _TEXT),
    ("SCOPE_NAME", _TEXT),
    ("MAXIMUM_CARDINALITY", _NUMBER),
    ("DTD_IDENTIFIER", _TEXT),
    ("IS_SELF_REFERENCING", _TEXT),
    ("IS_IDENTITY", _TEXT),
    ("IDENTITY_GENERATION", _TEXT),
    ("IDENTITY_START", _TEXT),
    ("IDENTITY_INCREMENT", _TEXT),
    ("IDENTITY_MAXIMUM", _TEXT),
    ("IDENTITY_MINIMUM", _TEXT),
    ("IDENTITY_CYCLE", _TEXT),
    ("IDENTITY_ORDERED", _TEXT),
    ("SCHEMA_EVOLUTION_RECORD", _TEXT),
    ("COMMENT", _TEXT),
    ("DATA_TYPE_ALIAS", _TEXT),
)
_SCHEMATA = (
    ("CATALOG_NAME", _TEXT),
    ("SCHEMA_NAME", _TEXT),
    ("SCHEMA_OWNER", _TEXT),
    ("IS_TRANSIENT", _TEXT),
    ("IS_MANAGED_ACCESS", _TEXT),
    ("RETENTION_TIME", _NUMBER),
    ("DEFAULT_CHARACTER_SET_CATALOG", _TEXT),
    ("DEFAULT_CHARACTER_SET_SCHEMA", _TEXT),
    ("DEFAULT_CHARACTER_SET_NAME", _TEXT),
    ("SQL_PATH", _TEXT),
    ("CREATED", _TS),
    ("LAST_ALTERED", _TS),
    ("COMMENT", _TEXT),
    ("REPLICABLE_WITH_FAILOVER_GROUPS", _TEXT),
    ("OWNER_ROLE_TYPE", _TEXT),
)
_VIEWS = (
    ("TABLE_CATALOG", _TEXT),
    ("TABLE_SCHEMA", _TEXT),
    ("TABLE_NAME", _TEXT),
    ("TABLE_OWNER", _TEXT),
    ("VIEW_DEFINITION", _TEXT),
    ("CHECK_OPTION", _TEXT),
    ("IS_UPDATABLE", _TEXT),
    ("INSERTABLE_INTO", _TEXT),
    ("IS_SECURE", _TEXT),
    ("CREATED", _TS),
    ("LAST_ALTERED", _TS),
    ("LAST_DDL", _TS),
    ("LAST_DDL_BY", _TEXT),
    ("COMMENT", _TEXT),
)
_TABLE_PRIVILEGES = (
    ("GRANTOR", _TEXT),
    ("GRANTEE", _TEXT),
    ("TABLE_CATALOG", _TEXT),
    ("TABLE_SCHEMA", _TEXT),
    ("TABLE_NAME", _TEXT),
    ("PRIVILEGE_TYPE", _TEXT),
    ("IS_GRANTABLE", _TEXT),
    ("WITH_HIERARCHY", _TEXT),
    ("CREATED", _TS),
)
_DATABASES = (
    ("DATABASE_NAME", _TEXT),
    ("DATABASE_OWNER", _TEXT),
    ("IS_TRANSIENT", _TEXT),
    ("COMMENT", _TEXT),
    ("CREATED", _TS),
    ("LAST_ALTERED", _TS),
    ("RETENTION_TIME", _NUMBER),
    ("TYPE", _TEXT),
    ("OWNER_ROLE_TYPE", _TEXT),
)


def _yes(flag: bool) -> str:
    return "YES" if flag else "NO"


def _aware(ts: datetime | None) -> datetime | None:
    return None if ts is None else ts.replace(tzinfo=UTC)


def _objects(ctx: SnowflakeContext, db: Db) -> Iterator[tuple[SchemaMeta, TableMeta]]:
    """The live tables and views of `db` the role sees, by schema then name."""
    for schema in sorted(db.cat.list_schemas(), key=lambda s: s.name):
        if ctx.can_see_schema(db, schema):
            for t in sorted(db.cat.tables_of_schema(schema.schema_id), key=lambda t: t.name):
                if ctx.can_see_table(db, t):
                    yield schema, t


def _table_type(t: TableMeta, view: bool) -> str:
    """TABLE_TYPE: VIEW, TEMPORARY TABLE or BASE TABLE (the TABLES view's documented values)."""
    if view:
        return "VIEW"
    return "TEMPORARY TABLE" if temporary.is_temporary(t) else "BASE TABLE"


def _tables(ctx: SnowflakeContext, db: Db) -> list[Row]:
    rows: list[Row] = []
    for schema, t in _objects(ctx, db):
        view = t.kind == "view"
        count, size = 0, 0
        if not view:
            found = db.cat.con.execute(f"SELECT count(*) FROM {db.cat.physical(t)}").fetchone()
            count, size = (int(found[0]) if found else 0), db.cat.table_size(t)
        clustered = t.cluster is not None and t.cluster.get("type") == "snowflake"
        cluster = str(t.cluster["by"]) if t.cluster is not None and clustered else None
        created = _aware(t.created_at)
        rows.append(
            (db.name, schema.name, t.name, t.owner, _table_type(t, view))
            + (None if view else _yes(t.transient), cluster)
            + ((None, None, None) if view else (count, size, effective_retention(db, schema, t)))
            + (None, None, None, None, None, "NO" if view else "YES", "YES", None)
            + (created, _aware(t.modified_at), _aware(t.ddl_at), None)
            + (None if view else ("ON" if cluster else "OFF"), t.comment or None)
            + ("NO", "NO", "NO", "NO")
        )
    for view_name in sorted(VIEWS):
        rows.append(
            (db.name, NAME, view_name, None, "VIEW", None, None, None, None, None)
            + (None,) * 5
            + ("NO", "YES", None, _aware(db.info.created_at), _aware(db.info.created_at))
            + (_aware(db.info.created_at), None, None, None, "NO", "NO", "NO", "NO")
        )
    return rows


def _type_facts(display: str) -> tuple[str, Row]:
    """(DATA_TYPE, the 6 facts CHARACTER_MAXIMUM_LENGTH … DATETIME_PRECISION) of a type."""
    base, _, inner = display.partition("(")
    numbers = [int(n) for n in inner.rstrip(")").split(",") if n.strip().isdigit()]
    if base == "NUMBER":
        p, s = (numbers + [38, 0])[:2] if numbers else (38, 0)
        return "NUMBER", (None, None, p, 10, s, None)
    if base == "VARCHAR":
        n = numbers[0] if numbers else 16_777_216
        return "TEXT", (n, min(4 * n, 16_777_216), None, None, None, None)
    if base == "BINARY":
        n = numbers[0] if numbers else 8_388_608
        return "BINARY", (n, n, None, None, None, None)
    if base == "FLOAT":
        return "FLOAT", (None, None, None, None, None, None)
    return base, (None, None, None, None, None, None)


def _columns(ctx: SnowflakeContext, db: Db) -> list[Row]:
    rows: list[Row] = []
    for schema, t in _objects(ctx, db):
        for i, c in enumerate(t.all_columns, start=1):
            data_type, facts = _type_facts(c.type)
            identity = sequences.identity_of(db, t.schema_id, c.default)
            default = None if identity else sequences.shown_default(db, t.schema_id, c.default)
            rows.append(
                (db.name, schema.name, t.name, c.name, i, default, _yes(not c.not_null))
                + (data_type, *facts)
                + (None,) * 19
                + ("NO", _yes(identity is not None), None)
                + _identity_facts(identity)
                + (None,)
                + (c.comment or None, c.type)
            )
    return rows


def _identity_facts(identity: str | None) -> Row:
    """IDENTITY_START, _INCREMENT, _MAXIMUM, _MINIMUM, _CYCLE, _ORDERED of an identity."""
    if identity is None:
        return (None, None, None, None, None, None)
    words = identity.split()
    return (words[2], words[4], None, None, "NO", "YES")


def _schemata(ctx: SnowflakeContext, db: Db) -> list[Row]:
    rows: list[Row] = []
    for s in db.cat.list_schemas():
        if ctx.can_see_schema(db, s):
            rows.append(
                (db.name, s.name, s.owner, _yes(s.transient), _yes(s.managed_access))
                + (effective_retention(db, s, None), None, None, None, None)
                + (_aware(s.created_at), _aware(s.created_at), s.comment or None, "NO", "ROLE")
            )
    created = _aware(db.info.created_at)
    rows.append(
        (db.name, NAME, None, "NO", "NO", 1, None, None, None, None)
        + (created, created, "Views describing the contents of schemas in this database")
        + ("NO", None)
    )
    return sorted(rows, key=lambda r: str(r[1]))


def _views(ctx: SnowflakeContext, db: Db) -> list[Row]:
    rows: list[Row] = []
    for schema, t in _objects(ctx, db):
        if t.kind != "view":
            continue
        secure = t.properties.get("secure") == "true"
        text = t.properties.get("text") if not secure or ctx.auth.owns(t.owner) else None
        rows.append(
            (db.name, schema.name, t.name, t.owner, text, "NONE", "NO", "NO", _yes(secure))
            + (_aware(t.created_at), _aware(t.modified_at), _aware(t.ddl_at), None)
            + (t.comment or None,)
        )
    return rows


def _table_privileges(ctx: SnowflakeContext, db: Db) -> list[Row]:
    rows: list[Row] = []
    for schema, t in _objects(ctx, db):
        where = (db.name, schema.name, t.name)
        rows.append((t.owner, t.owner, *where, "OWNERSHIP", "YES", "NO", _aware(t.created_at)))
        for g in catalog.grants_on(db.cat, "TABLE", t.table_id):
            if g.privilege == "OWNERSHIP":
                continue
            rows.append(
                (g.granted_by, g.role, *where, g.privilege, _yes(g.grant_option), "NO")
                + (_aware(g.created_at),)
            )
    return rows


def _databases(ctx: SnowflakeContext, db: Db) -> list[Row]:
    rows: list[Row] = []
    acct = account(ctx.session.warehouse)
    for other in listing.visible_dbs(ctx):
        info = other.info
        retention = database_retention(info, acct)
        rows.append(
            (info.name, info.owner, _yes(info.transient), info.comment or None)
            + (_aware(info.created_at), _aware(info.created_at), retention, "STANDARD", "ROLE")
        )
    return rows


Builder = Callable[[SnowflakeContext, Db], list[Row]]
VIEWS: dict[str, tuple[tuple[tuple[str, str], ...], Builder]] = {
    "TABLES": (_TABLES, _tables),
    "COLUMNS": (_COLUMNS, _columns),
    "SCHEMATA": (_SCHEMATA, _schemata),
    "VIEWS": (_VIEWS, _views),
    "TABLE_PRIVILEGES": (_TABLE_PRIVILEGES, _table_privileges),
    "DATABASES": (_DATABASES, _databases),
}


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return "'" + value.isoformat(sep=" ") + "'"
    return "'" + str(value).replace("'", "''") + "'"


def relation(ctx: SnowflakeContext, db: Db, view: str, span: ast.Span | None) -> Relation:
    """`db.INFORMATION_SCHEMA.<view>` built for this statement, as a constant relation."""
    found = VIEWS.get(view)
    if found is None:
        raise CatalogError("object_not_found", span, name=f"{db.name}.{NAME}.{view}")
    spec, build = found
    rows = build(ctx, db)
    names = [f"c{i}" for i in range(len(spec))]
    select = ", ".join(
        f"CAST({n} AS {duck}) AS {quote_ident(col)}"
        for n, (col, duck) in zip(names, spec, strict=True)
    )
    if not rows:
        empty = ", ".join(f"CAST(NULL AS {duck}) AS {quote_ident(col)}" for col, duck in spec)
        return Relation(f"(SELECT {empty} WHERE false)", view)
    values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    return Relation(f"(SELECT {select} FROM (VALUES {values}) AS __is({', '.join(names)}))", view)


def refuse_write(span: ast.Span | None) -> PrivilegeError:
    """`003001 … Insufficient privileges to operate on schema 'INFORMATION_SCHEMA'`."""
    return PrivilegeError(
        "denied", span, message=f"Insufficient privileges to operate on schema '{NAME}'"
    )


def account_usage(span: ast.Span | None) -> UnsupportedError:
    """SNOWFLAKE.ACCOUNT_USAGE and the SNOWFLAKE database are not emulated."""
    return UnsupportedError(
        "unsupported", span, message="SNOWFLAKE.ACCOUNT_USAGE (use INFORMATION_SCHEMA)"
    )
