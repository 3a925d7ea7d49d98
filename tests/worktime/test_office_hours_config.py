"""Office hours are configurable per agency; a working day is their total length."""
from datetime import date, datetime, time

from motcua.worktime import TZ, OfficeHours, WorkCalendar


def at(*a):
    return datetime(*a, tzinfo=TZ)


def test_default_office_hours_are_eight_hours():
    oh = OfficeHours()
    assert oh.intervals == ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
    assert oh.minutes_per_day == 480


def test_custom_hours_define_the_working_day():
    oh = OfficeHours(intervals=((time(8, 0), time(12, 0)), (time(13, 30), time(17, 30))))
    cal = WorkCalendar(office_hours=oh, years=range(2025, 2026))
    assert cal.due(at(2025, 3, 3, 8, 0), working_days=1) == at(2025, 3, 3, 17, 30)
    assert cal.due(at(2025, 3, 3, 8, 0), working_hours=4) == at(2025, 3, 3, 12, 0)
    assert cal.next_working_moment(at(2025, 3, 3, 7, 45)) == at(2025, 3, 3, 8, 0)


def test_three_intervals_and_fractional_days():
    oh = OfficeHours(intervals=((time(7, 0), time(9, 0)), (time(10, 0), time(12, 0)), (time(14, 0), time(16, 0))))
    assert oh.minutes_per_day == 360
    cal = WorkCalendar(office_hours=oh, years=range(2025, 2026))
    assert cal.due(at(2025, 3, 3, 7, 0), working_days=1) == at(2025, 3, 3, 16, 0)
    assert cal.due(at(2025, 3, 3, 7, 0), working_days=0.5) == at(2025, 3, 3, 11, 0)
    assert cal.due(at(2025, 3, 3, 7, 0), working_hours=2) == at(2025, 3, 3, 9, 0)


def test_by_weekday_override_for_make_up_saturday():
    oh = OfficeHours(by_weekday={5: ((time(7, 30), time(11, 30)),)})
    assert oh.minutes_per_day == 480
    cal = WorkCalendar(office_hours=oh, years=range(2025, 2026))
    assert cal.is_working_day(date(2025, 4, 26))
    # Friday 16:00 + 6 h: 1 h Friday, 4 h make-up Saturday morning, 1 h Monday.
    assert cal.due(at(2025, 4, 25, 16, 0), working_hours=6) == at(2025, 4, 28, 8, 30)


def test_working_days_and_hours_are_summed():
    cal = WorkCalendar(years=range(2025, 2026))
    assert cal.minutes_for(working_days=1, working_hours=2) == 600
    assert cal.minutes_for(working_days=3) == 1440
    assert cal.minutes_for(working_hours=1.5) == 90
