"""Time zone, office hours and epoch helpers (pure Python, no Django)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_US = timedelta(microseconds=1)
US_PER_S = 1_000_000
US_PER_MIN = 60 * US_PER_S

Interval = tuple[time, time]
DEFAULT_INTERVALS: tuple[Interval, ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)


def _minutes(t: time) -> float:
    return t.hour * 60 + t.minute + t.second / 60


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _check_intervals(intervals) -> tuple[Interval, ...]:
    out = tuple((s, e) for s, e in intervals)
    if not out:
        raise ValueError("office hours need at least one (start, end) interval")
    prev_end = None
    for s, e in out:
        if not (isinstance(s, time) and isinstance(e, time)):
            raise ValueError("office-hour intervals must be datetime.time pairs")
        if s.tzinfo or e.tzinfo:
            raise ValueError("office-hour times are local wall-clock times without tzinfo")
        if s >= e:
            raise ValueError(f"office-hour interval {s}-{e} is empty or reversed")
        if prev_end is not None and s < prev_end:
            raise ValueError("office-hour intervals must be sorted and must not overlap")
        prev_end = e
    return out


@dataclass(frozen=True)
class OfficeHours:
    """Daily office hours of an agency.

    ``intervals`` apply to every working day; ``by_weekday`` (0=Monday .. 6=Sunday)
    optionally overrides them for particular weekdays (e.g. a make-up Saturday
    worked only in the morning).  ``minutes_per_day`` is the length of one
    *working day* as used by "N working days" and always comes from
    ``intervals``.
    """

    intervals: tuple[Interval, ...] = DEFAULT_INTERVALS
    by_weekday: tuple[tuple[int, tuple[Interval, ...]], ...] = field(default=())

    def __post_init__(self):
        object.__setattr__(self, "intervals", _check_intervals(self.intervals))
        items = self.by_weekday.items() if isinstance(self.by_weekday, dict) else self.by_weekday
        norm = []
        for wd, ivs in sorted(items):
            if wd not in range(7):
                raise ValueError(f"weekday must be 0..6, got {wd!r}")
            norm.append((wd, _check_intervals(ivs)))
        object.__setattr__(self, "by_weekday", tuple(norm))
        # exact seconds: minutes_per_day is already an int, so comparing it with int() of itself never failed
        if sum(_seconds(e) - _seconds(s) for s, e in self.intervals) % 60:
            raise ValueError("office hours must add up to a whole number of minutes")

    @property
    def minutes_per_day(self) -> int:
        return int(sum(_minutes(e) - _minutes(s) for s, e in self.intervals))

    def intervals_for(self, weekday: int) -> tuple[Interval, ...]:
        for wd, ivs in self.by_weekday:
            if wd == weekday:
                return ivs
        return self.intervals


def require_aware(dt: datetime, name: str = "datetime") -> datetime:
    if not isinstance(dt, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(dt).__name__}")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {dt!r})")
    return dt


def to_us(dt: datetime, name: str = "datetime") -> int:
    """Exact epoch microseconds of an aware datetime."""
    return (require_aware(dt, name) - _EPOCH) // _US


def ceil_minute_s(dt: datetime, name: str = "datetime") -> int:
    """Epoch seconds of ``dt`` rounded UP to a whole minute."""
    return -(-to_us(dt, name) // US_PER_MIN) * 60


def floor_minute_s(dt: datetime, name: str = "datetime") -> int:
    return to_us(dt, name) // US_PER_MIN * 60


def from_s(epoch_s: int) -> datetime:
    return datetime.fromtimestamp(int(epoch_s), TZ)


def local_epoch_s(d: date, t: time) -> int:
    return int(datetime.combine(d, t, tzinfo=TZ).timestamp())
