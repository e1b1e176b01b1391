"""Tasks: schedules (`'<n> MINUTE'`, `'USING CRON <expr> <time zone>'`), and running a task
graph: each started task after its predecessors succeed, as its owner role in its own
database and schema, each run recorded for TASK_HISTORY (`__cs.task_runs`).

When tasks run: the engine has no daemon. A started root task's next scheduled instant is kept
in the task (and indexed in warehouse.duckdb, `sf_task_due`); whenever a shell runs a statement
or goes idle (Session.tick; the interactive shell also ticks every few seconds while it waits),
every scheduled instant that has come is run, in order, each with the clock at its own instant
(`\\clock +1h` over a 10-minute task runs it six times). Instants that passed while no shell
had the warehouse open are not replayed: the first shell to open it resumes each schedule from
its own start (missed runs leave no history, as a task that could not run). One tick runs at
most MAX_RUNS_PER_TICK instants of a task; the rest are skipped the same way.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, datetime, timedelta
from datetime import tzinfo as dt_tzinfo

from cloneshell.engine.core.errors import SemanticError
from cloneshell.grammar.errors import Span
from cloneshell.grammar.records import record

MAX_RUNS_PER_TICK = 1000
# SUSPEND_TASK_AFTER_NUM_FAILURES default (CREATE TASK docs).
DEFAULT_SUSPEND_AFTER = 10

_INTERVAL = re.compile(r"\s*(\d+)\s*(SECOND|SECONDS|MINUTE|MINUTES|HOUR|HOURS)\s*", re.I)
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


@record(frozen=True, slots=True)
class Cron:
    """A five-field cron expression (minute hour day-of-month month day-of-week) in a time
    zone. Day-of-month and day-of-week combine as in cron: either matches when both are
    restricted."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    any_day: bool
    any_weekday: bool
    zone: dt_tzinfo

    def matches(self, local: datetime) -> bool:
        """True when the local minute is one of the expression's."""
        return (
            local.minute in self.minutes
            and local.hour in self.hours
            and local.month in self.months
            and self.day_matches(local)
        )

    def day_matches(self, local: datetime) -> bool:
        """The day part: day of month and day of week, either when both are restricted."""
        day_ok = local.day in self.days
        weekday_ok = (local.isoweekday() % 7) in self.weekdays
        if self.any_day and self.any_weekday:
            return True
        if self.any_day:
            return weekday_ok
        if self.any_weekday:
            return day_ok
        return day_ok or weekday_ok


@record(frozen=True, slots=True)
class Schedule:
    """A task's SCHEDULE: an interval, or a cron expression."""

    text: str
    interval: timedelta | None = None
    cron: Cron | None = None

    def next_after(self, after: datetime, anchor: datetime) -> datetime:
        """The first scheduled instant (UTC, naive) strictly after `after`. Interval schedules
        count from `anchor` (when the task was resumed)."""
        if self.interval is not None:
            step = self.interval
            if after < anchor:
                return anchor + step
            count = int((after - anchor) / step) + 1
            return anchor + step * count
        assert self.cron is not None
        return _next_cron(self.cron, after)


def parse_schedule(text: str, span: Span | None = None) -> Schedule:
    """SCHEDULE = '<n> MINUTE[S] | HOUR[S] | SECOND[S]' or 'USING CRON <expr> <time zone>'."""
    m = _INTERVAL.fullmatch(text)
    if m:
        n = int(m[1])
        unit = m[2].upper().rstrip("S")
        seconds = n * {"SECOND": 1, "MINUTE": 60, "HOUR": 3600}[unit]
        if seconds < 1 or seconds > 11520 * 60:
            raise SemanticError(
                "invalid", span, message="a task's interval is 1 second to 11520 minutes (8 days)"
            )
        return Schedule(text, interval=timedelta(seconds=seconds))
    words = text.split()
    if len(words) == 8 and [w.upper() for w in words[:2]] == ["USING", "CRON"]:
        return Schedule(text, cron=_parse_cron(words[2:7], words[7], span))
    raise SemanticError(
        "invalid",
        span,
        message=f"invalid schedule '{text}': use '<n> MINUTE' (or HOURS, SECONDS) or "
        "'USING CRON <minute> <hour> <day> <month> <weekday> <time zone>'",
    )


def _zone(name: str, span: Span | None) -> dt_tzinfo:
    if name.upper() in ("UTC", "GMT", "ETC/UTC"):
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SemanticError("invalid", span, message=f"unknown time zone '{name}'") from None


def _parse_cron(fields: list[str], zone: str, span: Span | None) -> Cron:
    minutes = _field(fields[0], 0, 59, (), span)
    hours = _field(fields[1], 0, 23, (), span)
    days = _field(fields[2], 1, 31, (), span)
    months = _field(fields[3], 1, 12, _MONTHS, span, offset=1)
    weekdays = frozenset(d % 7 for d in _field(fields[4], 0, 7, _DAYS, span))
    return Cron(
        minutes,
        hours,
        days,
        months,
        weekdays,
        any_day=fields[2] in ("*", "?"),
        any_weekday=fields[4] in ("*", "?"),
        zone=_zone(zone, span),
    )


def _field(
    text: str,
    low: int,
    high: int,
    names: tuple[str, ...] | list[str],
    span: Span | None,
    offset: int = 0,
) -> frozenset[int]:
    """One cron field: `*`, `n`, `a-b`, `*/s`, `a-b/s`, lists of those; names allowed."""

    def number(word: str) -> int:
        upper = word.upper()
        if upper in names:
            return list(names).index(upper) + offset
        if not word.isdigit():
            raise SemanticError("invalid", span, message=f"invalid cron field '{text}'")
        return int(word)

    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = number(step_text) if step_text else 1
        if body in ("*", "?"):
            start, end = low, high
        elif "-" in body:
            a, b = body.split("-", 1)
            start, end = number(a), number(b)
        else:
            start = end = number(body)
            if step_text:
                end = high
        if not (low <= start <= high and low <= end <= high) or step < 1 or start > end:
            raise SemanticError("invalid", span, message=f"invalid cron field '{text}'")
        values.update(range(start, end + 1, step))
    return frozenset(values)


def _next_cron(cron: Cron, after: datetime) -> datetime:
    """The first minute after `after` (UTC) that the expression matches in its zone."""
    moment = after.replace(tzinfo=UTC).astimezone(cron.zone)
    moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    limit = moment + timedelta(days=366 * 5)
    while moment < limit:
        if moment.month not in cron.months:
            moment = (moment.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
        elif not cron.day_matches(moment):
            moment = moment.replace(hour=0, minute=0) + timedelta(days=1)
        elif moment.hour not in cron.hours:
            moment = moment.replace(minute=0) + timedelta(hours=1)
        elif moment.minute not in cron.minutes:
            moment += timedelta(minutes=1)
        else:
            return moment.astimezone(UTC).replace(tzinfo=None)
    raise SemanticError("invalid", message="the cron expression never matches")
