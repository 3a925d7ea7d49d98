"""Vietnamese public holidays (lunar included), make-up Saturdays and admin overrides."""
from datetime import date, datetime

import pytest

from motcua.worktime import TZ, WorkCalendar, default_calendar

CAL = WorkCalendar(years=range(2024, 2028))


def at(*a):
    return datetime(*a, tzinfo=TZ)


def test_lunar_new_year_2026_is_off():
    for day in range(16, 21):
        assert not CAL.is_working_day(date(2026, 2, day))
    assert CAL.is_working_day(date(2026, 2, 13))
    assert CAL.is_working_day(date(2026, 2, 23))


def test_deadline_spans_lunar_new_year_2026():
    # Friday 13 Feb 16:00 + 1 working day: 1 h on Friday, Tet 16-20 Feb,
    # weekend, then 7 h on Monday 23 Feb.
    assert CAL.due(at(2026, 2, 13, 16, 0), working_days=1) == at(2026, 2, 23, 16, 0)
    # 3 working days from Thursday 12 Feb morning: Thu, Fri, then Monday 23 Feb.
    assert CAL.due(at(2026, 2, 12, 7, 30), working_days=3) == at(2026, 2, 23, 17, 0)


def test_fixed_and_lunar_holidays():
    assert not CAL.is_working_day(date(2025, 9, 2))  # National Day
    assert not CAL.is_working_day(date(2025, 4, 7))  # Hung Kings (10th of 3rd lunar month)
    assert not CAL.is_working_day(date(2025, 1, 29))  # Tet 2025


def test_make_up_saturday_is_a_working_day():
    # 2025: 2 May (Friday) off in exchange for working Saturday 26 April.
    assert CAL.is_working_day(date(2025, 4, 26))
    assert not CAL.is_working_day(date(2025, 5, 2))
    assert CAL.due(at(2025, 4, 25, 16, 0), working_hours=2) == at(2025, 4, 26, 8, 30)
    # 2024: Saturday 4 May worked for Monday 29 April.
    assert CAL.is_working_day(date(2024, 5, 4))
    assert not CAL.is_working_day(date(2024, 4, 29))


def test_ordinary_weekend_is_off():
    assert not CAL.is_working_day(date(2025, 3, 8))
    assert not CAL.is_working_day(date(2025, 3, 9))


def test_extra_day_off_shifts_due():
    tue = date(2025, 3, 4)
    cal = WorkCalendar(years=range(2024, 2028), extra_days_off={tue})
    assert not cal.is_working_day(tue)
    assert CAL.due(at(2025, 3, 3, 7, 30), working_days=2) == at(2025, 3, 4, 17, 0)
    assert cal.due(at(2025, 3, 3, 7, 30), working_days=2) == at(2025, 3, 5, 17, 0)


def test_extra_working_day_wins_over_weekend_and_holiday():
    sun, tet = date(2025, 3, 9), date(2026, 2, 18)
    cal = WorkCalendar(years=range(2024, 2028), extra_working_days={sun, tet})
    assert cal.is_working_day(sun) and cal.is_working_day(tet)
    assert cal.due(at(2025, 3, 7, 16, 0), working_hours=2) == at(2025, 3, 9, 8, 30)


def test_extra_day_off_wins_over_make_up_saturday():
    cal = WorkCalendar(years=range(2024, 2028), extra_days_off={date(2025, 4, 26)})
    assert not cal.is_working_day(date(2025, 4, 26))


def test_same_day_in_both_override_sets_is_rejected():
    d = date(2025, 3, 4)
    with pytest.raises(ValueError):
        WorkCalendar(years=range(2024, 2026), extra_days_off={d}, extra_working_days={d})


def test_default_calendar_is_cached_and_covers_2015_2040():
    cal = default_calendar()
    assert cal is default_calendar()
    assert cal.first_year == 2015 and cal.last_year == 2040
    assert not cal.is_working_day(date(2040, 9, 2))
