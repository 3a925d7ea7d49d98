"""Working-time engine: deadlines of administrative procedures in working time.

Model
-----
The calendar is flattened into an ascending list of *working periods*
(half-open [start, end) in epoch seconds, e.g. 07:30-11:30 and 13:00-17:00 of
every working day).  ``cs[i]`` is the working time elapsed before period i, so
the working-time coordinate of any moment t is

    W(t) = cs[i] + min(t, pe[i]) - ps[i]      (i = last period with ps[i] <= t)

W is continuous and non-decreasing (flat outside office hours).  Adding m
working minutes to s returns the EARLIEST moment t >= s with
W(t) >= W(s) + 60*m.  "Earliest" is exactly the legal boundary rule: a due
moment on the boundary of two periods is the end of the earlier one
(Monday 07:30 + 8 h = Monday 17:00, not Tuesday 07:30).

Resolution is one minute: clock starts are rounded UP to a whole minute, pause
starts DOWN and pause ends UP (a pause never shortens a deadline), so every
due moment is a whole minute.

The calendar covers whole years (``years``, default 2015-2040).  Moments or
results outside that range raise ``ValueError``; build a calendar with a wider
``years`` instead (it is not extended lazily, so results never depend on the
order of calls).
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from datetime import date, datetime, time
from fractions import Fraction
from functools import lru_cache
from operator import index as _as_int

import numpy as np

from .batch import add_minutes_batch
from .days import working_days as _working_days
from .hours import (
    TZ,
    US_PER_MIN,
    US_PER_S,
    OfficeHours,
    ceil_minute_s,
    floor_minute_s,
    from_s,
    local_epoch_s,
    require_aware,
    to_us,
)

_INF = math.inf


class WorkCalendar:
    def __init__(
        self,
        office_hours: OfficeHours | None = None,
        years=range(2015, 2041),
        extra_days_off=frozenset(),
        extra_working_days=frozenset(),
    ):
        self.office_hours = office_hours or OfficeHours()
        ys = sorted(set(years))
        if not ys:
            raise ValueError("years must not be empty")
        self.first_year, self.last_year = ys[0], ys[-1]  # always a contiguous span
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)
        days = _working_days(
            self.first_year, self.last_year, self.extra_days_off, self.extra_working_days
        )
        if not days:
            raise ValueError("calendar has no working day")
        self._working = frozenset(days)
        self.range_start = local_epoch_s(date(self.first_year, 1, 1), time(0))
        self.range_end = local_epoch_s(date(self.last_year + 1, 1, 1), time(0))

        # Period 0 is a zero-length sentinel at range_start so that every
        # in-range moment has a "last period starting at or before it".
        ps, pe = [self.range_start], [self.range_start]
        self._day_ord, self._day_first = [], []  # working day ordinal -> first period
        for d in days:
            self._day_ord.append(d.toordinal())
            self._day_first.append(len(ps))
            for s, e in self.office_hours.intervals_for(d.weekday()):
                ps.append(local_epoch_s(d, s))
                pe.append(local_epoch_s(d, e))
        cs, ce, acc = [], [], 0
        for s, e in zip(ps, pe):
            cs.append(acc)
            acc += e - s
            ce.append(acc)
        self._ps, self._pe, self._cs, self._ce = ps, pe, cs, ce
        self.ps_arr = np.array(ps, dtype=np.int64)
        self.pe_arr = np.array(pe, dtype=np.int64)
        self.cs_arr = np.array(cs, dtype=np.int64)
        self.ce_arr = np.array(ce, dtype=np.int64)

    def __repr__(self):
        return (
            f"WorkCalendar(years={self.first_year}-{self.last_year}, "
            f"{len(self._working)} working days, {self.office_hours.minutes_per_day} min/day)"
        )

    # ------------------------------------------------------------ low level
    def range_error(self, epoch_s) -> str:
        return (
            f"moment {from_s(epoch_s).isoformat()} is outside this calendar's years "
            f"{self.first_year}-{self.last_year}; build a WorkCalendar with wider `years`"
        )

    def _check(self, s: int) -> int:
        if not (self.range_start <= s < self.range_end):
            raise ValueError(self.range_error(max(min(s, 2**37), -(2**37))))
        return s

    def _w_us(self, u: int) -> int:
        """Working-time coordinate, in microseconds, of epoch microsecond u."""
        self._check(u // US_PER_S)
        i = bisect_right(self._ps, u // US_PER_S) - 1
        return self._cs[i] * US_PER_S + min(u, self._pe[i] * US_PER_S) - self._ps[i] * US_PER_S

    def _w(self, s: int) -> int:
        """Working-time coordinate, in seconds, of epoch second s."""
        i = bisect_right(self._ps, s) - 1
        return self._cs[i] + min(s, self._pe[i]) - self._ps[i]

    def _at(self, w: int) -> int:
        """Earliest epoch second whose coordinate reaches w (w > 0)."""
        j = bisect_left(self._ce, w)
        if j >= len(self._ce):
            raise ValueError("the due moment falls after the calendar's last year; widen `years`")
        return self._ps[j] + (w - self._cs[j])

    def _add(self, s: int, seconds: int) -> int:
        return s if seconds == 0 else self._at(self._w(s) + seconds)

    def _next_working(self, s: int) -> int:
        i = bisect_right(self._ps, s) - 1
        if s < self._pe[i]:
            return s
        if i + 1 >= len(self._ps):
            raise ValueError("no working time left in the calendar's years; widen `years`")
        return self._ps[i + 1]

    def _start_of_next_working_day(self, d: date) -> int:
        k = bisect_right(self._day_ord, d.toordinal())
        if k >= len(self._day_ord):
            raise ValueError("no working day left in the calendar's years; widen `years`")
        return self._ps[self._day_first[k]]

    # ------------------------------------------------------------ public API
    def is_working_day(self, d: date) -> bool:
        if isinstance(d, datetime) or not isinstance(d, date):
            raise TypeError("is_working_day expects a datetime.date (a local calendar day)")
        if not (self.first_year <= d.year <= self.last_year):
            raise ValueError(
                f"{d} is outside this calendar's years {self.first_year}-{self.last_year}"
            )
        return d in self._working

    def next_working_moment(self, dt: datetime) -> datetime:
        """``dt`` itself if inside working time, else the start of the next period.

        Periods are half-open: 17:00 (or 11:30) is not inside working time.
        """
        u = to_us(dt)
        s = self._check(u // US_PER_S)
        i = bisect_right(self._ps, s) - 1
        if u < self._pe[i] * US_PER_S:
            return dt.astimezone(TZ)
        return from_s(self._next_working(self._pe[i]))

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """Earliest moment by which ``minutes`` working minutes have elapsed since ``start``.

        ``start`` is rounded up to a whole minute; ``minutes == 0`` returns that
        rounded start unchanged (even outside office hours).  For minutes > 0 the
        result is always inside a working period or exactly at its end.
        """
        m = _as_int(minutes)
        if m < 0:
            raise ValueError("minutes must be >= 0")
        s = self._check(ceil_minute_s(start, "start"))
        return from_s(self._add(s, m * 60))

    def due_batch(self, start_epoch_seconds, minutes) -> np.ndarray:
        """Vectorised ``add_working_minutes`` on int64 epoch seconds (same results)."""
        return add_minutes_batch(self, start_epoch_seconds, minutes)

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Whole working minutes elapsed from a to b (0 if b <= a)."""
        ua, ub = to_us(a, "a"), to_us(b, "b")
        if ub <= ua:
            return 0
        return (self._w_us(ub) - self._w_us(ua)) // US_PER_MIN

    def clock_start(self, received_at: datetime, cutoff: time | None = None) -> datetime:
        """Moment the legal clock starts for a dossier received at ``received_at``."""
        return from_s(self._clock_start_s(received_at, cutoff))

    def _clock_start_s(self, received_at: datetime, cutoff: time | None) -> int:
        s = self._check(ceil_minute_s(received_at, "received_at"))
        if cutoff is not None:
            local = received_at.astimezone(TZ)
            if local.date() in self._working and local.time() >= cutoff:
                return self._start_of_next_working_day(local.date())
        return self._next_working(s)

    def minutes_for(self, working_days=None, working_hours=None) -> int:
        """Working minutes of a time limit given in working days and/or hours (summed).

        Fractions are allowed (0.5 day = half a working day); a limit that is
        not a whole number of minutes is rounded up.
        """
        if working_days is None and working_hours is None:
            raise ValueError("give working_days or working_hours")
        total = Fraction(0)
        if working_days is not None:
            total += Fraction(str(working_days)) * self.office_hours.minutes_per_day
        if working_hours is not None:
            total += Fraction(str(working_hours)) * 60
        if total < 0:
            raise ValueError("a time limit cannot be negative")
        return math.ceil(total)

    def _pauses_s(self, pauses, s0: int, as_of_s: int | None) -> list[tuple[int, float]]:
        """Pauses as merged [start, end) epoch-second intervals ending after s0.

        Open pauses (end None) end at ``as_of_s`` if given, else at +inf.
        """
        raw = []
        for p_start, p_end in pauses:
            a = floor_minute_s(p_start, "pause start")
            if p_end is None:
                b = _INF if as_of_s is None else max(as_of_s, a)
            else:
                b = ceil_minute_s(p_end, "pause end")
                if b < a:
                    raise ValueError(f"pause ends before it starts: {p_start} > {p_end}")
            if b > s0:
                raw.append((max(a, s0), b))
        raw.sort()
        merged: list[list] = []
        for a, b in raw:
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        return [(a, b) for a, b in merged]

    def due(
        self,
        received_at: datetime,
        *,
        working_days=None,
        working_hours=None,
        cutoff: time | None = None,
        pauses=(),
        as_of: datetime | None = None,
    ) -> datetime | None:
        """Due moment of a dossier, or None while a pause is still open.

        ``pauses`` is an iterable of (start, end) aware datetimes; end None means
        still paused.  With ``as_of`` an open pause is treated as ending at
        ``as_of`` (the due moment "if the clock resumed now").
        """
        need = self.minutes_for(working_days, working_hours) * 60
        s0 = self._clock_start_s(received_at, cutoff)
        as_of_s = None if as_of is None else ceil_minute_s(as_of, "as_of")
        cursor = s0
        for a, b in self._pauses_s(pauses, s0, as_of_s):
            candidate = self._add(cursor, need)
            if candidate <= a:
                return from_s(candidate)
            need -= self._w(a) - self._w(cursor)  # stays > 0 since candidate > a
            if b == _INF:
                return None
            cursor = b
        self._check(cursor)
        return from_s(self._add(cursor, need))

    def remaining(
        self,
        received_at: datetime,
        *,
        now: datetime,
        working_days=None,
        working_hours=None,
        cutoff: time | None = None,
        pauses=(),
    ) -> int:
        """Working minutes left at ``now`` (negative when overdue); pauses, open
        ones included, do not consume time."""
        total = self.minutes_for(working_days, working_hours)
        s0 = self._clock_start_s(received_at, cutoff)
        u_now = to_us(now, "now")
        if u_now <= s0 * US_PER_S:
            return total
        now_s = -(-u_now // US_PER_S)
        used = self._w_us(u_now) - self._w_us(s0 * US_PER_S)
        for a, b in self._pauses_s(pauses, s0, now_s):
            a_us, b_us = a * US_PER_S, min(b * US_PER_S, u_now)
            if b_us > a_us:
                used -= self._w_us(b_us) - self._w_us(a_us)
        return total - used // US_PER_MIN

    def classify(self, finished_at: datetime, due_at: datetime) -> str:
        """"early" if finished on a local day before the due day, "on_time" if
        finished_at <= due_at, else "late"."""
        require_aware(finished_at, "finished_at")
        if due_at is None:
            raise ValueError("cannot classify against an unknown (None) due moment")
        require_aware(due_at, "due_at")
        if finished_at.astimezone(TZ).date() < due_at.astimezone(TZ).date():
            return "early"
        return "on_time" if finished_at <= due_at else "late"


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """Shared calendar: default office hours, VN holidays, years 2015-2040."""
    return WorkCalendar()
