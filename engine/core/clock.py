"""The session clock: real time, or a frozen instant that tests and demos move explicitly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time in UTC (naive datetimes, as stored in the warehouse)."""

    frozen = False

    def now(self) -> datetime:
        """The current instant."""
        return datetime.now(UTC).replace(tzinfo=None)


class FixedClock(Clock):
    """A clock that stands still at `start` until `advance` or `set` moves it.

    Each call to `now()` returns the same instant, so statement order (the version number), not
    the timestamp, orders changes made at one instant.
    """

    frozen = True

    def __init__(self, start: datetime) -> None:
        self._now = start.replace(tzinfo=None) if start.tzinfo is None else _to_utc(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward (or back, with a negative delta)."""
        self._now += delta

    def set(self, instant: datetime) -> None:
        """Jump to `instant`."""
        self._now = _to_utc(instant) if instant.tzinfo is not None else instant


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def make_clock(spec: Clock | datetime | None) -> Clock:
    """A Clock from what a caller passes: a Clock, a datetime (frozen there) or None (real)."""
    if isinstance(spec, Clock):
        return spec
    if isinstance(spec, datetime):
        return FixedClock(spec)
    return Clock()
