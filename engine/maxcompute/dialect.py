"""MaxCompute as a `Dialect` (engine/core/dialect.py): lower-case names, ODPS error codes and
instance ids, its handler table, name resolution and privileges (context.py), its query
translation, and what a session does on becoming MaxCompute's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.engine.core.dialect import Dialect, InsertBatching
from cloneshell.engine.core.translate import SessionEnv, Translation
from cloneshell.engine.maxcompute import errors, functions, snapshot, types
from cloneshell.engine.maxcompute.context import MaxComputeContext
from cloneshell.engine.maxcompute.handlers import HANDLERS, dml
from cloneshell.engine.maxcompute.security import validate_principal

DEFAULT_PRINCIPAL = "ALIYUN$odps_user@aliyun.com"
DEFAULT_PROJECT = "my_project"

if TYPE_CHECKING:
    from cloneshell.engine.core.session import Session
    from cloneshell.engine.core.snapshot import CatalogSnapshot


def _start(
    session: Session, principal: str | None, project: str | None, opening: bool, new_user: bool
) -> None:
    """Become MaxCompute's: the principal (default ALIYUN$odps_user@aliyun.com) and project.
    A new warehouse gets one project, `my_project`, owned by the opening principal, so a
    newcomer can type statements at once; a first switch from another dialect starts as the
    default principal in `my_project` if it exists."""
    wh = session.warehouse
    who = validate_principal(principal or DEFAULT_PRINCIPAL)
    session.principal = who
    wh.remember_principal(who, session.clock.now())
    if opening and not wh.list_projects():
        # IF NOT EXISTS: two shells may open a new warehouse at once.
        session.execute(f"CREATE PROJECT IF NOT EXISTS {DEFAULT_PROJECT}")
    if project is not None:
        session.project = wh.require_project(project).name
    elif wh.get_project(DEFAULT_PROJECT) is not None:
        session.project = DEFAULT_PROJECT


def _login(session: Session, principal: str) -> None:
    who = validate_principal(principal.strip().strip("`"))
    session.principal = who
    session.warehouse.remember_principal(who, session.clock.now())


def _snapshot(session: Session, version: int) -> CatalogSnapshot:
    return snapshot.build_snapshot(session, version)


def _group_by_position(env: SessionEnv) -> bool:
    """`GROUP BY 1` groups by the constant unless odps.sql.groupby.position.alias is true."""
    value = env.flags.get("odps.sql.groupby.position.alias", "")
    return value.strip().lower() in ("true", "1", "yes", "on")


DIALECT = Dialect(
    name="maxcompute",
    title="MaxCompute",
    fold=str.lower,
    default_schema="default",
    prompt_format="odps@ {project}>",
    errors=errors.ERRORS,
    error_layout=errors.layout,
    statement_id=errors.statement_id,
    handlers=HANDLERS,
    context=MaxComputeContext,
    translation=Translation(
        functions=functions.FUNCTIONS,
        aggregates=functions.AGGREGATES,
        generators=functions.GENERATORS,
        cast_type=types.to_duckdb,
        niladic=functions.NILADIC,
        group_by_position=_group_by_position,
        # MaxCompute names an unnamed result column `_c<n>` (0-based, as odpscmd shows).
        unnamed_column=lambda text, n: f"_c{n}",
        max_string_bytes=8_388_608,  # STRING's 8 MB
    ),
    start=_start,
    login=_login,
    snapshot=_snapshot,
    # Looked up on each use (not bound here), so the rules stay those of handlers/dml.py.
    insert_batching=InsertBatching(
        lambda stmt: dml.batchable_insert(stmt),
        lambda stmt, fold: dml.batch_key(stmt, fold),
        lambda ctxs, stmts: dml.insert_many(ctxs, stmts),
    ),
    # "A SELECT statement can display a maximum of 10,000 rows on the screen" (SQL
    # limitations, maxcompute-sql-limits), with or without LIMIT.
    select_rows=10_000,
)
