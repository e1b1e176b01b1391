"""Engine results as the Snowflake v1 REST API returns them: `rowtype` metadata, a JSON
`rowset` with Snowflake's value encodings, or an Arrow IPC stream (`rowsetBase64`) with
Snowflake's per-field metadata (shared/reference/clients.md §1.3, §2.1: what the connectors'
converters read)."""

from __future__ import annotations

import base64
import contextlib
import json
import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from cloneshell.engine import Column, Result, Rows, Status, TableDescription, Text

_EPOCH = datetime(1970, 1, 1)
_EPOCH_DATE = date(1970, 1, 1)
_MAX_TEXT = 16_777_216
_MAX_BINARY = 8_388_608

# Engine result type -> rowtype `type` (the connector's names, lower case).
_KINDS = {
    "NUMBER": "fixed",
    "FLOAT": "real",
    "TEXT": "text",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP_NTZ": "timestamp_ntz",
    "TIMESTAMP_LTZ": "timestamp_ltz",
    "TIMESTAMP_TZ": "timestamp_tz",
    "VARIANT": "variant",
    "OBJECT": "object",
    "ARRAY": "array",
    "BINARY": "binary",
}


class Table:
    """One result as rows of columns with Snowflake's types, ready to encode: Python rows,
    followed (a large result of the engine's, `Rows.arrow`) by a pyarrow Table of the rest,
    whose Python rows are made only if a JSON rowset needs them."""

    def __init__(
        self, columns: list[dict[str, Any]], rows: list[tuple[object, ...]], arrow: Any = None
    ) -> None:
        self.columns = columns
        self._rows = rows
        self.arrow = arrow

    @property
    def count(self) -> int:
        """How many rows."""
        return len(self._rows) + (0 if self.arrow is None else int(self.arrow.num_rows))

    @property
    def rows(self) -> list[tuple[object, ...]]:
        """Every row as Python values (Arrow's for the types the engine gives as Arrow are
        DuckDB's: Decimal, str, date, datetime…)."""
        if self.arrow is not None:
            rest = zip(*(c.to_pylist() for c in self.arrow.columns), strict=True)
            self._rows, self.arrow = [*self._rows, *rest], None
        return self._rows

    def arrow_columns(self) -> list[Any] | None:
        """Every row as Arrow, a ChunkedArray per column (None: the rows are Python's only)."""
        import pyarrow as pa

        if self.arrow is None:
            return None
        schema = self.arrow.schema
        head = zip(*self._rows, strict=True) if self._rows else [[]] * len(schema)
        first = pa.Table.from_arrays(
            [pa.array(list(v), type=f.type) for v, f in zip(head, schema, strict=True)],
            schema=schema,
        )
        return list(pa.concat_tables([first, self.arrow]).columns)


def as_table(result: Result) -> Table:
    """A result's columns (rowtype entries) and rows. A statement without rows answers with
    its status text in a `status` column, as Snowflake does."""
    if isinstance(result, Rows):
        columns = [_rowtype(c, result.rows, i) for i, c in enumerate(result.columns)]
        return Table(columns, result.rows, result.arrow)
    if isinstance(result, Status):
        return Table([text_column("status")], [(result.message,)])
    if isinstance(result, Text):
        return Table([text_column("result")], [(line,) for line in result.lines])
    assert isinstance(result, TableDescription)  # MaxCompute only: never in a Snowflake session
    return Table([text_column("status")], [("Statement executed successfully.",)])


def text_column(name: str) -> dict[str, Any]:
    """A rowtype entry for a text column."""
    return _entry(name, "text", None, None, _MAX_TEXT)


def _entry(
    name: str,
    kind: str,
    precision: int | None,
    scale: int | None,
    length: int | None,
    column: Column | None = None,
) -> dict[str, Any]:
    """A rowtype entry as Snowflake's: `byteLength` is a text's UTF-8 maximum (4 bytes a
    character, at most 16 MB) and a binary's length; a TIMESTAMP_TZ's 16 says its Arrow form
    has three fields (epoch seconds, nanoseconds, offset). `column` (a table's) gives
    nullability and the database, schema and table."""
    byte_length = None
    if kind == "text" and length is not None:
        byte_length = min(4 * length, _MAX_TEXT)
    elif length is not None:
        byte_length = length
    elif kind == "timestamp_tz":
        byte_length = 16
    return {
        "name": name,
        "database": column.database if column is not None else "",
        "schema": column.schema if column is not None else "",
        "table": column.table if column is not None else "",
        "type": kind,
        "precision": precision,
        "scale": scale,
        "length": length,
        "byteLength": byte_length,
        "nullable": column.nullable if column is not None else True,
        "collation": None,
    }


def _rowtype(column: Column, rows: list[tuple[object, ...]], index: int) -> dict[str, Any]:
    """A result column's rowtype entry: its type with the precision, scale or length the
    engine knows (a table column's declared ones: engine/snowflake/rowtypes.py)."""
    kind = _KINDS.get(column.type.upper().split("(", 1)[0], "text")
    if kind == "fixed":
        precision = column.precision if column.precision is not None else 38
        scale = column.scale if column.scale is not None else _scale_of(rows, index)
        return _entry(column.name, kind, precision, scale, None, column)
    if kind == "time" or kind.startswith("timestamp"):
        scale = column.scale if column.scale is not None else 9
        return _entry(column.name, kind, 0, scale, None, column)
    if kind in ("text", "binary", "variant", "object", "array"):
        default = _MAX_BINARY if kind == "binary" else _MAX_TEXT
        length = column.length if column.length is not None else default
        return _entry(column.name, kind, None, None, length, column)
    return _entry(column.name, kind, None, None, None, column)


def _scale_of(rows: list[tuple[object, ...]], index: int) -> int:
    """The scale of a NUMBER column the engine gave no scale for: its values' widest."""
    scale = 0
    for row in rows:
        value = row[index]
        if isinstance(value, Decimal):
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int):
                scale = max(scale, -exponent)
    return min(scale, 37)


# ---------------------------------------------------------------------------- JSON rowset


def json_rowset(table: Table) -> list[list[str | None]]:
    """The rows as the JSON rowset encodes them: every value a string, NULL as null."""
    encoders = [_json_encoder(c) for c in table.columns]
    return [
        [None if v is None else enc(v) for enc, v in zip(encoders, row, strict=True)]
        for row in table.rows
    ]


def _json_encoder(column: dict[str, Any]) -> Any:
    kind, scale = column["type"], column["scale"]
    if kind == "fixed":
        return lambda v: _fixed_text(v, scale)
    if kind == "real":
        return _real_text
    if kind == "boolean":
        return lambda v: "1" if v else "0"
    if kind == "date":
        return lambda v: str((_as_date(v) - _EPOCH_DATE).days)
    if kind == "time":
        return lambda v: _fraction(_time_nanos(v), scale)
    if kind in ("timestamp_ntz", "timestamp_ltz"):
        return lambda v: _fraction(_epoch_nanos(v), scale)
    if kind == "timestamp_tz":
        return lambda v: f"{_fraction(_epoch_nanos(v), scale)} {_tz_index(v)}"
    if kind in ("variant", "object", "array"):
        return _variant_text
    if kind == "binary":
        return lambda v: bytes(v).hex().upper() if isinstance(v, bytes | bytearray) else str(v)
    return _plain_text


def _plain_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fixed_text(value: object, scale: int) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value) if not scale else format(Decimal(value), f".{scale}f")
    if isinstance(value, Decimal):
        return format(value, f".{scale}f") if scale else format(value.to_integral_value(), "f")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _real_text(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return repr(number)


def _variant_text(value: object) -> str:
    if isinstance(value, str):
        try:
            return json.dumps(json.loads(value), indent=2)
        except ValueError:
            return json.dumps(value)
    return json.dumps(value, indent=2, default=str)


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    assert isinstance(value, date), value
    return value


def _epoch_nanos(value: object) -> int:
    """Nanoseconds since the epoch: of the instant for an aware value, of the wall clock
    (as if UTC) for a naive one (TIMESTAMP_NTZ)."""
    if isinstance(value, datetime):
        naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    else:
        naive = datetime.combine(_as_date(value), time())
    delta = naive - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


def _time_nanos(value: object) -> int:
    if isinstance(value, timedelta):
        return int(value.total_seconds() * 1_000_000) * 1_000
    assert isinstance(value, time), value
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    return seconds * 1_000_000_000 + value.microsecond * 1_000


def _fraction(nanos: int, scale: int) -> str:
    """`<seconds>.<fraction>` to `scale` digits (Snowflake's JSON time encoding)."""
    seconds, rest = divmod(nanos, 1_000_000_000)
    if not scale:
        return str(seconds)
    return f"{seconds}.{rest // 10 ** (9 - scale):0{scale}d}"


def _tz_index(value: object) -> int:
    """A TIMESTAMP_TZ's offset as Snowflake encodes it: minutes east of UTC plus 1440."""
    offset = value.utcoffset() if isinstance(value, datetime) else None
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return minutes + 1440


# ---------------------------------------------------------------------------- Arrow


def arrow_rowset(table: Table) -> str:
    """The rows as a base64 Arrow IPC stream of one batch, each field carrying the metadata
    the connector's Arrow converters read (logicalType, precision, scale, charLength)."""
    import pyarrow as pa

    fields, arrays = [], []
    by_column: list[Any] | None = table.arrow_columns()
    if by_column is None:
        by_column = list(zip(*table.rows, strict=True)) if table.rows else [()] * len(table.columns)
    for column, values in zip(table.columns, by_column, strict=True):
        array = (
            _from_arrow(column, values)
            if isinstance(values, pa.ChunkedArray)
            else _arrow_array(column, list(values))
        )
        metadata = {
            "logicalType": column["type"].upper(),
            "precision": str(column["precision"] or 38),
            "scale": str(column["scale"] or 0),
            "charLength": str(column["length"] or 0),
            "byteLength": str(column["byteLength"] or 0),
        }
        fields.append(pa.field(column["name"], array.type, True, metadata))
        arrays.append(array)
    schema = pa.schema(fields)
    batch = pa.RecordBatch.from_arrays(arrays, schema=schema)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        writer.write_batch(batch)
    return base64.b64encode(sink.getvalue().to_pybytes()).decode("ascii")


def _arrow_array(column: dict[str, Any], values: list[object]) -> Any:
    import pyarrow as pa

    kind, scale = column["type"], column["scale"] or 0
    if kind == "fixed":
        # As Snowflake sends NUMBER(p,s): the unscaled integers in int64 with the scale in the
        # field's metadata (decimal128 only for what int64 cannot hold). 10x faster to build
        # than decimal128 from Decimal objects (measured: 0.19 s against 1.7 s for 100,000).
        try:
            if scale == 0:
                return pa.array(values, pa.int64())
            # Decimals as DuckDB returns a NUMBER(p,s) with s > 0.
            shifted = [None if v is None else int(v.scaleb(scale)) for v in values]  # type: ignore[attr-defined]
            return pa.array(shifted, pa.int64())
        except (OverflowError, TypeError, AttributeError, pa.ArrowException):
            pass
        try:
            unscaled = [None if v is None else _unscaled(v, scale) for v in values]
            return pa.array(unscaled, pa.int64())
        except (OverflowError, TypeError, pa.ArrowException):
            pass
        precision = max(int(column["precision"] or 38), scale + 1)
        decimals = [None if v is None else Decimal(str(v)) for v in values]
        return pa.array(decimals, pa.decimal128(min(precision, 38), scale))
    if kind == "real":
        return pa.array([None if v is None else float(v) for v in values], pa.float64())  # type: ignore[arg-type]
    if kind == "boolean":
        return pa.array([None if v is None else bool(v) for v in values], pa.bool_())
    if kind == "date":
        return pa.array([None if v is None else _as_date(v) for v in values], pa.date32())
    if kind == "time":
        return pa.array(
            [None if v is None else _time_nanos(v) // 10 ** (9 - scale) for v in values],
            pa.int64(),
        )
    if kind in ("timestamp_ntz", "timestamp_ltz", "timestamp_tz"):
        return _arrow_timestamps(kind, scale, values)
    if kind == "binary":
        return pa.array([None if v is None else bytes(v) for v in values], pa.binary())  # type: ignore[call-overload]
    if kind == "text":
        try:  # the common case, text already: no per-value encoding
            return pa.array(values, pa.string())
        except (TypeError, pa.ArrowException):
            pass
    encode = _variant_text if kind in ("variant", "object", "array") else _plain_text
    return pa.array([None if v is None else encode(v) for v in values], pa.string())


def _from_arrow(column: dict[str, Any], values: Any) -> Any:
    """A column DuckDB gave as Arrow in Snowflake's encoding, converted by Arrow itself where
    the encodings meet (numbers, text, booleans, dates, binary); others through Python values
    as `_arrow_array` builds them (timestamps' structs, times)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    kind, kind_type = column["type"], array.type
    if kind == "fixed" and pa.types.is_integer(kind_type):
        with contextlib.suppress(pa.ArrowInvalid):  # uint64 beyond int64: as decimal below
            return pc.cast(array, pa.int64())
    if kind == "fixed" and pa.types.is_decimal(kind_type):
        if kind_type.scale == 0:  # as Snowflake sends NUMBER(p,0): int64 where it fits
            with contextlib.suppress(pa.ArrowInvalid):
                return pc.cast(array, pa.int64())
        # As Snowflake sends NUMBER(p,s) that fits: the unscaled integers in int64, the scale
        # in the metadata; the connector makes Decimals of them twice as fast as of decimal128
        # (measured: 100,000 NUMBER(38,1) in 0.58 s against 0.89 s). Arrow writes a decimal
        # with exactly `scale` digits after its point, so without the point it is the unscaled
        # integer; a text that is not (an exponent form) fails the cast and stays decimal128.
        with contextlib.suppress(pa.ArrowInvalid):
            digits = pc.replace_substring(pc.cast(array, pa.string()), ".", "")
            return pc.cast(digits, pa.int64())
        return pc.cast(array, pa.decimal128(min(max(kind_type.precision, 1), 38), kind_type.scale))
    if kind == "real" and pa.types.is_floating(kind_type):
        return pc.cast(array, pa.float64())
    if kind == "text" and (pa.types.is_string(kind_type) or pa.types.is_large_string(kind_type)):
        return pc.cast(array, pa.string())
    if kind == "boolean" and pa.types.is_boolean(kind_type):
        return array
    if kind == "date" and pa.types.is_date32(kind_type):
        return array
    if kind == "binary" and (pa.types.is_binary(kind_type) or pa.types.is_large_binary(kind_type)):
        return pc.cast(array, pa.binary())
    return _arrow_array(column, array.to_pylist())


def _unscaled(value: object, scale: int) -> int:
    """A NUMBER's value times 10**scale, as an exact integer."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return int(value * 10**scale)
    if isinstance(value, Decimal):
        return int(value.scaleb(scale))
    raise TypeError(value)


def _arrow_timestamps(kind: str, scale: int, values: list[object]) -> Any:
    """Timestamps as Snowflake sends them at scale 8 and 9: a struct of epoch seconds and
    nanoseconds (plus, for TIMESTAMP_TZ, the offset index), which the connector reads the same
    whatever the field's scale (a TIMESTAMP_TZ by its byteLength 16); the values were stored at
    their column's scale."""
    import pyarrow as pa

    nanos = [None if v is None else _epoch_nanos(v) for v in values]
    epoch = pa.array([0 if n is None else n // 1_000_000_000 for n in nanos], pa.int64())
    fraction = pa.array([0 if n is None else n % 1_000_000_000 for n in nanos], pa.int32())
    arrays, fields = (
        [epoch, fraction],
        [
            pa.field("epoch", pa.int64(), False),
            pa.field("fraction", pa.int32(), False),
        ],
    )
    if kind == "timestamp_tz":
        zones = [1440 if v is None else _tz_index(v) for v in values]
        arrays.append(pa.array(zones, pa.int32()))
        fields.append(pa.field("timezone", pa.int32(), False))
    mask = pa.array([n is None for n in nanos], pa.bool_())
    return pa.StructArray.from_arrays(arrays, fields=fields, mask=mask)
