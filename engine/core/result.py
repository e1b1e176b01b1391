"""What a statement returns. Plain data: the shell decides how it looks on a terminal."""

from __future__ import annotations

from dataclasses import field
from datetime import datetime, timedelta

from cloneshell.grammar.records import record


class NanoDatetime(datetime):
    """A TIMESTAMP value to the nanosecond: a datetime (to the microsecond) whose
    `nanosecond` (0-999) are the three digits after its microseconds. DuckDB's Python client
    gives a TIMESTAMP_NS as a plain datetime, without them."""

    nanosecond: int = 0

    @classmethod
    def from_epoch_ns(cls, ns: int) -> NanoDatetime:
        """The instant `ns` nanoseconds after 1970-01-01 00:00:00 (naive, as stored)."""
        micro, nano = divmod(ns, 1000)
        at = _EPOCH + timedelta(microseconds=micro)
        out = cls(at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond)
        out.nanosecond = nano
        return out

    def __repr__(self) -> str:
        return f"NanoDatetime({super().__repr__()}, nanosecond={self.nanosecond})"


_EPOCH = datetime(1970, 1, 1)


@record(frozen=True, slots=True)
class Column:
    """A result column: its name and its type as the dialect names it (e.g. `bigint`).

    `precision`, `scale` and `length` qualify the type where the engine knows them (a query's
    columns: NUMBER(10,2) is NUMBER with 10 and 2, TIMESTAMP_NTZ(9) has scale 9, VARCHAR(10)
    length 10), for clients that are told a result's exact types (the server's rowtype).
    `nullable`, `database`, `schema` and `table`: a column taken straight from a table says
    whether it may hold NULL and where it comes from (empty: an expression's)."""

    name: str
    type: str
    precision: int | None = None
    scale: int | None = None
    length: int | None = None
    nullable: bool = True
    database: str = ""
    schema: str = ""
    table: str = ""


@record(frozen=True, slots=True)
class Rows:
    """A query result. Values are Python objects as DuckDB returns them (None for NULL).

    `arrow`: the rows after `rows`, as a pyarrow Table — what a large query result is when the
    caller asked for Arrow (`Session.execute(…, arrow=True)`: the server, whose clients fetch
    Arrow), so that its rows never become Python objects."""

    columns: tuple[Column, ...]
    rows: list[tuple[object, ...]]
    statement_id: str = ""
    arrow: object | None = None


@record(frozen=True, slots=True)
class Status:
    """A statement that returns no rows: `message` is the server's reply (`OK`, or Snowflake's
    `Table T successfully created.`)."""

    message: str = "OK"
    statement_id: str = ""


@record(frozen=True, slots=True)
class Text:
    """Server-produced text lines (SHOW TABLES, SHOW PARTITIONS, WHOAMI, SHOW GRANTS, LIST USERS),
    printed as they are. odpscmd prints these on stdout."""

    lines: tuple[str, ...]
    statement_id: str = ""


@record(frozen=True, slots=True)
class ColumnInfo:
    """One column in a table description."""

    name: str
    type: str
    comment: str = ""
    label: str = ""
    nullable: bool = True
    default: str | None = None


@record(frozen=True, slots=True)
class PartitionInfo:
    """One partition in a table description (`DESC t PARTITION (..)`)."""

    spec: str
    size: int
    create_time: datetime
    ddl_time: datetime
    modified_time: datetime


@record(frozen=True, slots=True)
class TableDescription:
    """Everything `DESC [EXTENDED] t [PARTITION (..)]` shows (odpscmd layout in the shell)."""

    owner: str
    project: str
    schema: str | None
    comment: str
    create_time: datetime
    ddl_time: datetime
    modified_time: datetime
    lifecycle: int | None
    external: bool
    size: int
    columns: tuple[ColumnInfo, ...]
    partition_columns: tuple[ColumnInfo, ...]
    extended: bool = False
    extended_info: tuple[tuple[str, str], ...] = ()
    partition: PartitionInfo | None = None
    statement_id: str = ""
    location: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # A view's query text (MaxCompute DESC shows `VirtualView: YES` and `ViewText:`).
    view_text: str | None = None


Result = Rows | Status | Text | TableDescription
