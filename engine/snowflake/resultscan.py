"""Snowflake's `TABLE(RESULT_SCAN('<query id>' | LAST_QUERY_ID([n])))`: an earlier statement's
rows read as a table, with its column names and types (`SHOW … ; SELECT "name" FROM
TABLE(RESULT_SCAN(LAST_QUERY_ID()))` as dbt runs it).

The session keeps its latest row results (Session.results: the last 16, of 100,000 rows at most,
an emulator limit); the relation is those rows as constants bound as parameters, each column cast
to the DuckDB type of its Snowflake type. An id the session does not hold gives 000709.
"""

from __future__ import annotations

from cloneshell.engine.core.errors import EngineError, SemanticError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Column
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.grammar import ast

_DUCK = {
    "TEXT": "VARCHAR",
    "FLOAT": "DOUBLE",
    "REAL": "DOUBLE",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "TIME": "TIME",
    "TIMESTAMP_NTZ": "TIMESTAMP",
    "TIMESTAMP_LTZ": "TIMESTAMPTZ",
    "TIMESTAMP_TZ": "TIMESTAMPTZ",
    "BINARY": "BLOB",
    "VARIANT": "JSON",
    "OBJECT": "JSON",
    "ARRAY": "JSON",
}


def _duck_type(c: Column) -> str:
    if c.type == "NUMBER":
        return f"DECIMAL({c.precision or 38},{c.scale or 0})"
    return _DUCK.get(c.type, "VARCHAR")


def relation(ctx: SnowflakeContext, ref: ast.TableFunctionRef) -> Relation:
    """RESULT_SCAN(id): the id is any constant expression (LAST_QUERY_ID() included)."""
    if len(ref.func.args) != 1:
        raise SemanticError("semantic", ref.span, message="RESULT_SCAN takes one query id")
    tr = ctx.translator()
    sql = tr.expr(ref.func.args[0])
    found = ctx.session.warehouse.con.execute(f"SELECT CAST({sql} AS VARCHAR)", tr.params)
    row = found.fetchone()
    query_id = row[0] if row else None
    result = ctx.session.results.get(str(query_id)) if query_id is not None else None
    if result is None:
        raise EngineError("statement_not_found", ref.span, statement=str(query_id))
    types = [_duck_type(c) for c in result.columns]
    names = [quote_ident(c.name) for c in result.columns]
    if not result.rows:
        empty = ", ".join(f"CAST(NULL AS {t}) AS {n}" for t, n in zip(types, names, strict=True))
        return Relation(f"(SELECT {empty} WHERE false)", "RESULT_SCAN")
    params: list[object] = []
    values = []
    for r in result.rows:
        cells = []
        for value, t in zip(r, types, strict=True):
            params.append(value)
            cells.append(f"CAST(${len(params)} AS {t})")
        values.append(f"({', '.join(cells)})")
    inner = [f"c{i}" for i in range(len(types))]
    select = ", ".join(f"{c} AS {n}" for c, n in zip(inner, names, strict=True))
    body = f"SELECT {select} FROM (VALUES {', '.join(values)}) AS __rs({', '.join(inner)})"
    return Relation(f"({body})", "RESULT_SCAN", tuple(params))
