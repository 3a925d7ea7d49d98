"""The working calendar of an agency: national holidays + administrator overrides + its office hours.

Built calendars are cached per process; `invalidate()` is called by whatever changes overrides, and a
short time-to-live bounds staleness across processes.
"""
import threading
import time as _time
from datetime import time

from motcua.worktime import OfficeHours, WorkCalendar

_TTL_SECONDS = 60
_lock = threading.Lock()
_cache = {}
_overrides = {"loaded_at": 0.0, "value": None}

DEFAULT_HOURS = (("07:30", "11:30"), ("13:00", "17:00"))


def _parse_hours(raw):
    intervals = []
    for start, end in raw or DEFAULT_HOURS:
        h1, m1 = map(int, start.split(":"))
        h2, m2 = map(int, end.split(":"))
        intervals.append((time(h1, m1), time(h2, m2)))
    return tuple(intervals)


def _load_overrides():
    from .models import CalendarOverride, OverrideKind

    now = _time.monotonic()
    if _overrides["value"] is None or now - _overrides["loaded_at"] > _TTL_SECONDS:
        off, work = set(), set()
        for day, kind in CalendarOverride.objects.values_list("day", "kind"):
            (off if kind == OverrideKind.DAY_OFF else work).add(day)
        _overrides["value"] = (frozenset(off), frozenset(work))
        _overrides["loaded_at"] = now
    return _overrides["value"]


def invalidate():
    with _lock:
        _cache.clear()
        _overrides["value"] = None


def calendar_for_hours(raw_hours=None):
    hours = _parse_hours(raw_hours)
    off, work = _load_overrides()
    key = (hours, off, work)
    with _lock:
        cal = _cache.get(key)
        if cal is None:
            if len(_cache) > 32:
                _cache.clear()
            cal = WorkCalendar(office_hours=OfficeHours(intervals=hours), years=range(2015, 2041),
                               extra_days_off=set(off), extra_working_days=set(work))
            _cache[key] = cal
    return cal


def calendar_for(agency=None):
    return calendar_for_hours(agency.office_hours if agency is not None else None)
