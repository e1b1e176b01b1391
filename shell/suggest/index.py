"""The lookups derived from one catalog snapshot (tables by name, one pre-sorted candidate pool
per kind of position), built lazily and kept for the last two snapshots seen; the function pool
of each dialect; partition columns and values as candidates."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from cloneshell.engine import CatalogSnapshot, TableEntry, function_names
from cloneshell.shell.dialect import shell_dialect
from cloneshell.shell.suggest.matching import Cand, Pool
from cloneshell.shell.suggest.tokens import ident

# ---------------------------------------------------------------------------------------------
# Per-snapshot lookups


class Index:
    """Lookups derived from one snapshot, built lazily and kept while the snapshot is current.

    Names: in a dialect without schemas (MaxCompute) tables are `project.table` (the current
    project's bare); in one with schemas (Snowflake) `db.schema.table`, `schema.table` in the
    current database and bare in the current schema (PUBLIC unless the snapshot says otherwise).
    Quoting and the container's name are the snapshot's dialect's (`ShellDialect`).
    """

    def __init__(self, snap: CatalogSnapshot) -> None:
        self.snap = snap
        self.current = (snap.current_project or "").lower()
        dialect = shell_dialect(snap.dialect)
        self.dialect = dialect.name
        self.schemas = dialect.schemas
        self.quote = dialect.quote
        self.container_word = dialect.container
        self.current_schema = str(getattr(snap, "current_schema", None) or "PUBLIC").lower()
        self.projects = {p.lower(): p for p in snap.projects}
        self.tables: dict[tuple[str, ...], TableEntry] = {}
        self.by_name: dict[str, TableEntry] = {}
        self.by_container: dict[tuple[str, ...], list[TableEntry]] = {}
        for t in snap.tables:
            key = self.path(t)
            self.tables.setdefault(key, t)
            self.by_name.setdefault(key[-1], t)
            self.by_container.setdefault(key[:1], []).append(t)
            if len(key) == 3:
                self.by_container.setdefault(key[:2], []).append(t)
        # (database, schema) as written, by their lower-case forms
        schemas: dict[tuple[str, str], tuple[str, str]] = {}
        for db, schema in getattr(snap, "schemas", ()):
            schemas.setdefault((str(db).lower(), str(schema).lower()), (str(db), str(schema)))
        for t in snap.tables:
            schema = str(getattr(t, "schema", "") or "")
            if schema:
                schemas.setdefault((t.project.lower(), schema.lower()), (t.project, schema))
        self._table_pool: Pool | None = None
        self._qualified_pools: dict[tuple[str, ...], Pool] = {}
        self.project_cands = tuple(
            Cand(p.lower(), ident(p, self.quote), "project", p, self.container_word, 1)
            for p in snap.projects
        )
        self.principal_cands = tuple(
            Cand(p.lower(), p, "principal", p, "user") for p in snap.principals
        )
        self.role_cands = tuple(
            Cand(r.lower(), ident(r, self.quote), "role", r, "role") for r in snap.roles
        )
        self.flag_cands = tuple(Cand(f.lower(), f, "flag", f, "flag") for f in snap.flags)
        self.schema_cands = tuple(
            Cand(key[1], ident(schema, self.quote), "project", schema, f"schema in {db}", 1)
            for key, (db, schema) in sorted(schemas.items())
            if key[0] == self.current
        )
        seen: set[str] = set()
        privileges: list[Cand] = []
        for names, meta in (
            (snap.table_actions, "table privilege"),
            (snap.project_actions, "project privilege"),
        ):
            for name in names:
                if name.lower() not in seen:  # `All` is both
                    seen.add(name.lower())
                    privileges.append(Cand(name.lower(), name, "privilege", name, meta))
        self.privilege_cands = tuple(privileges)

    @staticmethod
    def path(t: TableEntry) -> tuple[str, ...]:
        """(project, table) or, for a Snowflake table, (database, schema, table), lower case."""
        schema = str(getattr(t, "schema", "") or "")
        if schema:
            return (t.project.lower(), schema.lower(), t.name.lower())
        return (t.project.lower(), t.name.lower())

    def relative(self, t: TableEntry) -> tuple[list[str], int]:
        """The parts a table is written with from the current project/schema, and its
        priority (0 in the current project or schema, 2 in another project or schema of the
        current database, 3 in another database)."""
        schema = str(getattr(t, "schema", "") or "")
        if schema:
            if t.project.lower() != self.current:
                return [t.project, schema, t.name], 3
            if schema.lower() != self.current_schema:
                return [schema, t.name], 2
            return [t.name], 0
        if t.project.lower() != self.current:
            return [t.project, t.name], 2
        return [t.name], 0

    def table_pool(self) -> Pool:
        """Tables offered where any table may go, each written relative to the current project
        (and schema), the current ones first."""
        if self._table_pool is None:
            cands: list[Cand] = []
            for t in self.snap.tables:
                parts, prio = self.relative(t)
                text = ".".join(ident(p, self.quote) for p in parts)
                shown = ".".join(parts)
                alias = t.name.lower() if len(parts) > 1 else ""
                cands.append(Cand(shown.lower(), text, "table", shown, "table", prio, 0, alias))
            self._table_pool = Pool(cands)
        return self._table_pool

    def qualified_pool(self, qualifier: Sequence[str]) -> Pool | None:
        """What may follow `qualifier.` where a table goes: a project's (a schema's) tables
        bare; after a Snowflake database, `schema.table`. None for an unknown qualifier."""
        q = tuple(part.lower() for part in qualifier)
        pool = self._qualified_pools.get(q)
        if pool is not None:
            return pool
        if len(q) == 1 and q[0] not in self.projects and self.schemas:
            q = (self.current, q[0])  # schema.table in the current database
        tables = self.by_container.get(q)
        if tables is None:
            return None
        cands: list[Cand] = []
        for t in tables:
            parts = self.path(t)[len(q) :]
            raw = [t.name] if len(parts) == 1 else [str(getattr(t, "schema", "")), t.name]
            text = ".".join(ident(p, self.quote) for p in raw)
            where = ".".join(qualifier)
            shown = ".".join(raw)
            cands.append(Cand(".".join(parts), text, "table", shown, f"table in {where}"))
        pool = Pool(cands)
        self._qualified_pools[tuple(part.lower() for part in qualifier)] = pool
        return pool

    def columns(
        self, table: TableEntry, with_partitions: bool = True, order: int = 0
    ) -> list[Cand]:
        """A table's columns in table order (`order` ranks whole tables: the first FROM
        table's columns before the second's)."""
        columns = [(c, t) for c, t in table.columns]
        if with_partitions:
            columns += [(c, f"{t} (partition)") for c, t in table.partition_columns]
        base = order * 10_000
        return [
            Cand(c.lower(), ident(c, self.quote), "column", c, t, 0, base + i)
            for i, (c, t) in enumerate(columns)
        ]

    def resolve(self, parts: Sequence[str]) -> TableEntry | None:
        """A visible table named by 1 to 3 parts as written in a statement, case-insensitively."""
        p = tuple(part.lower() for part in parts)
        if not p:
            return None
        if self.schemas:
            if len(p) == 1:
                return self.tables.get((self.current, self.current_schema, p[0]))
            if len(p) == 2:
                return self.tables.get((self.current, *p))
            return self.tables.get(p[-3:])
        if len(p) == 1:
            found = self.tables.get((self.current, p[0]))
            if found is None and not self.current:
                found = self.by_name.get(p[0])
            return found
        return self.tables.get((p[0], p[-1]))  # project.table, project.schema.table


class _IndexCache:
    """The lookups of the last two snapshots seen, compared by identity. This is the one cache
    that outlives a call: a snapshot is immutable and replaced whole on refresh, so an entry
    never goes stale, and two slots cover the swap from old to new."""

    def __init__(self) -> None:
        self._entries: tuple[tuple[CatalogSnapshot, Index], ...] = ()

    def get(self, snap: CatalogSnapshot) -> Index:
        entries = self._entries  # one read: another thread may replace the tuple meanwhile
        for s, index in entries:
            if s is snap:
                return index
        index = Index(snap)
        self._entries = ((snap, index), *entries[:1])
        return index


_INDEXES = _IndexCache()


def index_for(snap: CatalogSnapshot) -> Index:
    """The lookups for `snap` (built on first use, then kept while it is current)."""
    return _INDEXES.get(snap)


@functools.cache
def function_pool(dialect: str) -> Pool:
    """Every function a dialect's queries accept (a fixed list, so built once per dialect)."""
    names = function_names(dialect)
    return Pool(Cand(f, f, "function", f"{f}()", "function", 5) for f in names)


def _literal(value: str) -> str:
    """A partition value as a string literal (quotes doubled, as the grammar reads them)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


_NUMERIC_TYPES = ("tinyint", "smallint", "int", "bigint", "integer")
_INTEGER = re.compile(r"-?\d+\Z")


def _partition_literal(value: str, type_name: str) -> str:
    if type_name.lower().split("(")[0].strip() in _NUMERIC_TYPES and _INTEGER.match(value):
        return value
    return _literal(value)


def partition_column_cands(table: TableEntry, quote: str) -> list[Cand]:
    """A table's partition columns, in order."""
    return [
        Cand(c.lower(), ident(c, quote), "partition_column", c, t, 0, i)
        for i, (c, t) in enumerate(table.partition_columns)
    ]


def partition_value_cands(table: TableEntry, column: str) -> list[Cand]:
    """The existing values of one partition column, newest first, as literals of its type."""
    types = {c.lower(): t for c, t in table.partition_columns}
    type_name = types.get(column.lower())
    if type_name is None:
        return []
    values: set[str] = set()
    for spec in table.partitions:
        for key, value in spec.items():
            if key.lower() == column.lower():
                values.add(value)
    # Newest first: dates sort as text, integers as numbers.
    if all(_INTEGER.match(v) for v in values):
        ordered = sorted(values, key=int, reverse=True)
    else:
        ordered = sorted(values, reverse=True)
    return [
        Cand(v.lower(), _partition_literal(v, type_name), "partition_value", v, column, 0, i)
        for i, v in enumerate(ordered)
    ]
