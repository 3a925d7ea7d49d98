"""Naive datetimes, negative limits and out-of-range years are rejected clearly."""
from datetime import date, datetime, time

import numpy as np
import pytest

from motcua.worktime import TZ, OfficeHours, WorkCalendar

CAL = WorkCalendar(years=range(2024, 2026))
NAIVE = datetime(2025, 3, 3, 7, 30)
AWARE = datetime(2025, 3, 3, 7, 30, tzinfo=TZ)


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.next_working_moment(NAIVE),
        lambda: CAL.add_working_minutes(NAIVE, 10),
        lambda: CAL.due(NAIVE, working_days=1),
        lambda: CAL.due(AWARE, working_days=1, pauses=[(NAIVE, None)]),
        lambda: CAL.working_minutes_between(NAIVE, AWARE),
        lambda: CAL.classify(NAIVE, AWARE),
        lambda: CAL.remaining(AWARE, working_days=1, now=NAIVE),
    ],
)
def test_naive_datetimes_are_rejected(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


def test_negative_minutes_rejected():
    with pytest.raises(ValueError, match="^minutes must be >= 0$"):
        CAL.add_working_minutes(AWARE, -1)
    with pytest.raises(ValueError, match="^minutes must be >= 0$"):
        CAL.due_batch(np.array([int(AWARE.timestamp())]), np.array([-1]))
    with pytest.raises(ValueError):
        CAL.due(AWARE, working_days=-1)


def test_due_needs_a_time_limit():
    with pytest.raises(ValueError):
        CAL.due(AWARE)


def test_out_of_range_years_are_rejected():
    with pytest.raises(ValueError, match="years"):
        CAL.add_working_minutes(datetime(2023, 12, 31, 9, tzinfo=TZ), 1)
    with pytest.raises(ValueError, match="years"):
        CAL.add_working_minutes(datetime(2025, 12, 31, 9, tzinfo=TZ), 480 * 5)
    with pytest.raises(ValueError, match="years"):
        CAL.is_working_day(date(2026, 1, 5))
    with pytest.raises(ValueError, match="years"):
        CAL.due_batch(np.array([int(datetime(2027, 1, 5, 9, tzinfo=TZ).timestamp())]), np.array([1]))


def test_pause_ending_before_it_starts_is_rejected():
    with pytest.raises(ValueError):
        CAL.due(AWARE, working_days=1, pauses=[(datetime(2025, 3, 3, 9, tzinfo=TZ), datetime(2025, 3, 3, 8, tzinfo=TZ))])


def test_bad_office_hours_rejected():
    with pytest.raises(ValueError):
        OfficeHours(intervals=((time(11, 0), time(9, 0)),))
    with pytest.raises(ValueError):
        OfficeHours(intervals=((time(7, 0), time(12, 0)), (time(11, 0), time(17, 0))))
    with pytest.raises(ValueError):
        OfficeHours(intervals=())


def test_a_naive_datetime_is_named_in_the_message():
    for call, name in [(lambda: CAL.add_working_minutes(NAIVE, 10), "start"),
                       (lambda: CAL.next_working_moment(NAIVE), "datetime"),
                       (lambda: CAL.due(NAIVE, working_days=1), "received_at"),
                       (lambda: CAL.due(AWARE, working_days=1, pauses=[(NAIVE, None)]), "pause start"),
                       (lambda: CAL.due(AWARE, working_days=1, pauses=[(AWARE, NAIVE)]), "pause end"),
                       (lambda: CAL.due(AWARE, working_days=1, as_of=NAIVE), "as_of"),
                       (lambda: CAL.classify(NAIVE, AWARE), "finished_at"),
                       (lambda: CAL.classify(AWARE, NAIVE), "due_at"),
                       (lambda: CAL.working_minutes_between(NAIVE, AWARE), "a"),
                       (lambda: CAL.working_minutes_between(AWARE, NAIVE), "b"),
                       (lambda: CAL.remaining(AWARE, working_days=1, now=NAIVE), "now")]:
        with pytest.raises(ValueError) as err:
            call()
        assert str(err.value).startswith(f"{name} must be timezone-aware"), str(err.value)


def test_not_a_datetime_is_a_type_error_that_says_what_came():
    with pytest.raises(TypeError) as err:
        CAL.due("2025-03-03 07:30", working_days=1)
    assert str(err.value) == "received_at must be a datetime, got str"


def test_a_working_day_is_asked_of_a_calendar_day_only():
    for wrong in (AWARE, "2025-03-03"):
        with pytest.raises(TypeError) as err:
            CAL.is_working_day(wrong)
        assert str(err.value) == "is_working_day expects a datetime.date (a local calendar day)"
    assert CAL.is_working_day(date(2025, 3, 3)) and not CAL.is_working_day(date(2025, 3, 2))


def test_a_tzinfo_without_an_offset_is_naive():
    from datetime import tzinfo

    class NoOffset(tzinfo):
        def utcoffset(self, dt):
            return None

    with pytest.raises(ValueError, match="^received_at must be timezone-aware"):
        CAL.due(datetime(2025, 3, 3, 7, 30, tzinfo=NoOffset()), working_days=1)


def test_a_batch_due_past_the_calendars_last_year_is_refused_not_wrapped():
    with pytest.raises(ValueError, match="^a due moment falls after the calendar's last year; widen `years`$"):
        CAL.due_batch(np.array([int(AWARE.timestamp())]), np.array([10 ** 7]))
    last = datetime(2025, 12, 31, 16, 0, tzinfo=TZ)       # one working hour left in the calendar
    assert CAL.due_batch(np.array([int(last.timestamp())]), np.array([60]))[0] == int(
        datetime(2025, 12, 31, 17, 0, tzinfo=TZ).timestamp())
