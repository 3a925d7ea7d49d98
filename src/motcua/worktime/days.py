"""Which calendar days are working days (Vietnam holidays + admin overrides)."""
from __future__ import annotations

from datetime import date, timedelta

import holidays


def official_days(first_year: int, last_year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public days off, make-up working weekend days) for the given years.

    Both come from ``holidays.VN``: its keys are the days off (Tet and other
    lunar holidays, observed and substituted days included) and its
    ``weekend_workdays`` attribute is the set of Saturdays/Sundays that must be
    worked in exchange for a substituted day off.  Make-up days outside the
    requested years (the package sometimes reports neighbouring years) are
    dropped.  The following year is loaded too, because a substitution decided
    for January can make a late-December Saturday a working day.
    """
    vn = holidays.VN(years=range(first_year, last_year + 2))
    off = frozenset(d for d in vn.keys() if first_year <= d.year <= last_year)
    makeup = frozenset(
        d for d in vn.weekend_workdays if first_year <= d.year <= last_year and d.weekday() >= 5
    )
    return off, makeup


def working_days(
    first_year: int,
    last_year: int,
    extra_days_off=frozenset(),
    extra_working_days=frozenset(),
) -> list[date]:
    """Sorted list of working days in [Jan 1 first_year, Dec 31 last_year].

    Rules, in order of precedence:
      1. administrator overrides (extra working day / extra day off) win;
      2. a Saturday or Sunday is off unless it is an official make-up working day;
      3. a weekday is off if it is a public holiday.
    """
    both = set(extra_days_off) & set(extra_working_days)
    if both:
        raise ValueError(f"dates both extra day off and extra working day: {sorted(both)}")
    off, makeup = official_days(first_year, last_year)
    out = []
    d, end = date(first_year, 1, 1), date(last_year, 12, 31)
    one = timedelta(days=1)
    while d <= end:
        if d in extra_working_days:
            work = True
        elif d in extra_days_off:
            work = False
        elif d.weekday() >= 5:
            work = d in makeup
        else:
            work = d not in off
        if work:
            out.append(d)
        d += one
    return out
