"""GET_DDL('TABLE' | 'VIEW' | 'SCHEMA' | 'DATABASE', name [, fully_qualified]): the DDL that
recreates an object, shaped as Snowflake prints it (GET_DDL's page): `create or replace TABLE
T (\\n\\tCOL TYPE,\\n…\\n);` with NOT NULL, DEFAULT, COMMENT and the constraints; a view's CREATE
text as written; a schema or database followed by the DDL of every table and view in it. The
object must be visible to the current role, else 002003 as for any name."""

from __future__ import annotations

from cloneshell.engine.core.catalog import SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.snowflake import constraints, pipeline
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.handlers import sequences
from cloneshell.grammar import ast

_KINDS = ("TABLE", "VIEW", "SCHEMA", "DATABASE")


def get_ddl(ctx: SnowflakeContext, args: tuple[object, ...], span: ast.Span | None) -> str:
    """The function's value (its arguments are constants)."""
    if len(args) not in (2, 3) or not all(isinstance(a, str) for a in args[:2]):
        raise SemanticError(
            "semantic", span, message="GET_DDL('<object_type>', '<name>' [, <boolean>])"
        )
    kind = str(args[0]).upper().strip()
    if kind not in _KINDS:
        raise UnsupportedError("unsupported", span, message=f"GET_DDL of a {kind}")
    qualified = len(args) == 3 and args[2] is True
    qname = pipeline.name_from_text(str(args[1]), span)
    if kind in ("TABLE", "VIEW"):
        target = ctx.require_table(qname, "GET_DDL")
        assert target.table is not None
        found = "VIEW" if target.table.kind == "view" else "TABLE"
        if found != kind:
            raise SemanticError("wrong_object_type", span, found=found, expected=kind)
        prefix = f"{target.db.name}.{target.schema.name}." if qualified else ""
        return _object(target.db, target.table, prefix)
    if kind == "SCHEMA":
        db, name = ctx.schema_target(qname, "GET_DDL")
        schema = ctx.schema_of(db, name, span)
        return _schema(ctx, db, schema, qualified)
    if len(qname.parts) != 1:
        raise SemanticError("semantic", span, message="a database name has one part")
    db = ctx.database(ctx.fold(qname.parts[0]), span)
    parts = [f"create or replace database {db.name};"]
    for schema in sorted(db.cat.list_schemas(), key=lambda s: s.schema_id):
        if ctx.can_see_schema(db, schema):
            parts.append(_schema(ctx, db, schema, qualified))
    return "\n\n".join(parts)


def _schema(ctx: SnowflakeContext, db: Db, schema: SchemaMeta, qualified: bool) -> str:
    name = f"{db.name}.{schema.name}" if qualified else schema.name
    transient = "TRANSIENT " if schema.transient else ""
    parts = [f"create or replace {transient}schema {name};"]
    prefix = f"{db.name}.{schema.name}." if qualified else ""
    tables = db.cat.tables_of_schema(schema.schema_id)
    for t in sorted(tables, key=lambda t: (t.kind == "view", t.table_id)):
        if ctx.can_see_table(db, t):
            parts.append(_object(db, t, prefix))
    return "\n\n".join(parts)


def _object(db: Db, t: TableMeta, prefix: str) -> str:
    if t.kind == "view":
        text = t.properties.get("text", "").rstrip().rstrip(";")
        return f"{text};"
    lines = []
    for c in t.columns:
        line = f"\t{c.name} {c.type}"
        if c.not_null:
            line += " NOT NULL"
        identity = sequences.identity_of(db, t.schema_id, c.default)
        if identity:
            line += " " + identity.lower().replace("identity", "autoincrement", 1)
        elif c.default:
            line += f" DEFAULT {sequences.shown_default(db, t.schema_id, c.default)}"
        if c.comment:
            line += " COMMENT '" + c.comment.replace("'", "\\'") + "'"
        lines.append(line)
    for k in constraints.keys_of(t):
        named = "" if k.name.startswith("SYS_CONSTRAINT_") else f"constraint {k.name} "
        cols = ", ".join(k.columns)
        if k.kind == "FOREIGN KEY":
            ref = f"{k.ref_table}({', '.join(k.ref_columns)})" if k.ref_columns else k.ref_table
            lines.append(f"\t{named}foreign key ({cols}) references {ref}")
        else:
            lines.append(f"\t{named}{k.kind.lower()} ({cols})")
    kind = "TRANSIENT TABLE" if t.transient else "TABLE"
    cluster = ""
    if t.cluster and t.cluster.get("type") == "snowflake":
        by = str(t.cluster["by"])
        cluster = " cluster by (" + by.removeprefix("LINEAR(").removesuffix(")") + ")"
    tail = ")"
    if t.comment:
        tail += "\nCOMMENT='" + t.comment.replace("'", "\\'") + "'"
    body = ",\n".join(lines)
    return f"create or replace {kind} {prefix}{t.name}{cluster} (\n{body}\n{tail};"
