"""Time Travel: an `AT|BEFORE (TIMESTAMP => | OFFSET => | STATEMENT => )` clause as a point, the
version that point means in one database, and whether a table's history reaches it.

Rules (reference/snowflake.md §1.2, §2.1-§2.3):
- AT includes the changes made at the instant (or by the statement); BEFORE is just before them.
  AT(ts) is the latest version committed at or before ts; BEFORE(ts) the latest strictly before.
  Versions order statements that share an instant (a frozen clock), so "just before" is exact.
- OFFSET => n is now + n seconds; TIMESTAMP => e is any constant expression; an uncast string is
  read as a UTC timestamp. STATEMENT => 'id' is the version that statement committed (BEFORE: the
  one before it); a statement that committed nothing here (a SELECT, or a change in another
  database) is looked up in this session's statement log: the version it read, else its instant.
- A point older than now - the table's retention, in the future, before its history became
  complete (retention 0, raised later, or purged), or with retention 0 any past point at all, is
  `000707`. A point before the table existed is `000707` for a query and `002003 … does not
  exist.` for a clone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from cloneshell.engine.core.catalog import ProjectCatalog, TableMeta
from cloneshell.engine.core.errors import CatalogError, EngineError, SemanticError
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.snowflake import transactions
from cloneshell.grammar import ast
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.snowflake.context import SnowflakeContext


@record(frozen=True, slots=True)
class Point:
    """A requested point in time, not yet tied to a database."""

    kind: str  # AT | BEFORE
    ts: datetime | None  # the instant (None for STATEMENT until resolved)
    statement: str | None = None
    span: ast.Span | None = None


@record(frozen=True, slots=True)
class Resolved:
    """A point within one database: the version to read and the instant it stands for."""

    version: int
    ts: datetime
    latest: int  # the database's latest version (to tell the present from the past)


def _no_tables(ref: ast.TableRef) -> Relation:
    raise SemanticError(
        "semantic", ref.span, message="TIMESTAMP and OFFSET values must be constant expressions"
    )


def evaluate(ctx: SnowflakeContext, tt: ast.TimeTravel) -> Point:
    """Evaluate an AT/BEFORE clause's constant expression into a Point."""
    value = _constant(ctx, tt.expr)
    if tt.by == "STATEMENT":
        if not isinstance(value, str):
            raise SemanticError("semantic", tt.expr.span, message="STATEMENT needs a query id")
        return Point(tt.kind, None, value.strip(), tt.span)
    if tt.by == "OFFSET":
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise SemanticError(
                "semantic", tt.expr.span, message="OFFSET needs a number of seconds"
            )
        try:
            ts = ctx.now + timedelta(seconds=float(value))
        except (OverflowError, ValueError):
            # Beyond the calendar (or NaN): before anything existed, or in the future; either
            # way Time Travel has no data there, which resolve() reports as for any such point.
            ts = datetime.min if value < 0 else datetime.max
        return Point(tt.kind, ts, None, tt.span)
    return Point(tt.kind, _as_timestamp(ctx, value, tt.expr.span), None, tt.span)


def _constant(ctx: SnowflakeContext, expr: ast.Expr) -> object:
    tr = ctx.translator(_no_tables)
    sql = tr.expr(expr)
    row = ctx.session.warehouse.con.execute(f"SELECT {sql}", tr.params).fetchone()
    return row[0] if row else None


def _as_timestamp(ctx: SnowflakeContext, value: object, span: ast.Span | None) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            from datetime import UTC

            return value.astimezone(UTC).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str):
        try:
            row = ctx.session.warehouse.con.execute(
                "SELECT CAST(? AS TIMESTAMP)", [value]
            ).fetchone()
        except Exception:  # noqa: BLE001 - any conversion failure is the user's bad value
            row = None
        if row and isinstance(row[0], datetime):
            return row[0]
    raise SemanticError("semantic", span, message=f"Timestamp '{value}' is not recognized")


def resolve(ctx: SnowflakeContext, cat: ProjectCatalog, point: Point) -> Resolved:
    """The version `point` means in one database."""
    last = cat.last_commit()
    latest = last[0] if last else 0
    cap = ctx.read_cap(cat)
    if cap is not None:
        # Another session's open transaction: its versions are not there yet for this one.
        latest = min(latest, cap)
    if point.statement is not None:
        found = cat.commit_of(point.statement)
        if found is not None and (cap is None or found[0] <= cap):
            version, ts = found
            # A statement of a transaction stands for the whole transaction (transactions.py).
            first, last_version = transactions.statement_span(cat, version) or (version, version)
            return Resolved(last_version if point.kind == "AT" else first - 1, ts, latest)
        when = ctx.session.statement_time(point.statement)
        if when is None:
            raise EngineError("statement_not_found", point.span, statement=point.statement)
        # A statement that changed nothing here: AT and BEFORE both mean the state it saw, the
        # version it read if it read this database, else the last one committed by its instant.
        seen = ctx.session.statement_versions(point.statement).get(cat.alias)
        version = seen if seen is not None else cat.version_at(when, inclusive=True)
        return Resolved(version, when, latest)
    assert point.ts is not None
    version = cat.version_at(point.ts, inclusive=point.kind == "AT")
    return Resolved(version if cap is None else min(version, cap), point.ts, latest)


def check_table(
    ctx: SnowflakeContext,
    table: TableMeta,
    at: Resolved,
    *,
    clone_name: str | None = None,
    span: ast.Span | None = None,
) -> None:
    """Raise unless the table's history reaches `at` (see the module docstring).

    `clone_name` (the source's fully qualified name) selects the CLONE wording for a point
    before the table existed.
    """
    if at.version < table.created_version or at.version <= 0:
        if clone_name is not None:
            raise CatalogError("clone_source_missing", span, name=clone_name)
        raise unavailable("table", table.name, span)
    if not available(ctx, table.retention_days, at) or at.version < table.history_from:
        raise unavailable("table", table.name, span)


def available(ctx: SnowflakeContext, retention_days: int, at: Resolved) -> bool:
    """True if a point is inside a retention window ending now."""
    if at.ts > ctx.now:
        return False
    if retention_days <= 0:
        # Time Travel is off: only the present (now, after the latest change) is available.
        return at.ts >= ctx.now and at.version >= at.latest
    return at.ts >= ctx.now - timedelta(days=retention_days)


def unavailable(object_type: str, name: str, span: ast.Span | None = None) -> EngineError:
    """`000707 Time travel data is not available for <type> <name>. …`"""
    return EngineError("time_travel_unavailable", span, object_type=object_type, name=name)


def existed(created_version: int, dropped_version: int | None, version: int) -> bool:
    """True if an object with that lifetime existed at `version`."""
    return created_version <= version and (dropped_version is None or dropped_version > version)
