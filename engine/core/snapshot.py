"""A read-only picture of what one principal can see in the warehouse, for completion.

Plain frozen data (no DuckDB objects), so the shell can hold it across threads while the engine
keeps working. Each dialect builds it from what its principal may see (engine/maxcompute/
snapshot.py, engine/snowflake/snapshot.py).
"""

from __future__ import annotations

from dataclasses import field

from cloneshell.grammar.records import record


@record(frozen=True, slots=True)
class TableEntry:
    """One visible table."""

    project: str
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, type) of native columns
    partition_columns: tuple[tuple[str, str], ...]
    partitions: tuple[dict[str, str], ...] = ()  # existing partition values by column
    schema: str = ""  # Snowflake: the table's schema (`project` is its database)


@record(frozen=True, slots=True)
class CatalogSnapshot:
    """Everything completion may offer, as of `version` (increments on each rebuild)."""

    principal: str
    current_project: str | None
    projects: tuple[str, ...]
    tables: tuple[TableEntry, ...]
    principals: tuple[str, ...]
    roles: tuple[str, ...]
    flags: tuple[str, ...]
    # The privilege names GRANT may name on a project (database, schema) and on a table.
    project_actions: tuple[str, ...] = ()
    table_actions: tuple[str, ...] = ()
    version: int = 0
    # Snowflake: (database, schema) pairs the role can see, and the dialect the snapshot is of.
    schemas: tuple[tuple[str, str], ...] = ()
    dialect: str = "maxcompute"
    _by_project: dict[str, tuple[TableEntry, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def tables_in(self, project: str) -> tuple[TableEntry, ...]:
        """Visible tables of one project."""
        if not self._by_project and self.tables:
            grouped: dict[str, list[TableEntry]] = {}
            for t in self.tables:
                grouped.setdefault(t.project, []).append(t)
            self._by_project.update({k: tuple(v) for k, v in grouped.items()})
        return self._by_project.get(project, ())

    def table(self, project: str, name: str) -> TableEntry | None:
        """One visible table, or None."""
        for t in self.tables_in(project):
            if t.name == name:
                return t
        return None
