"""Office hours that cannot be a working day are refused with a message that says why; what is accepted is
normalised (tuples, sorted weekdays)."""
from datetime import time, timezone

import pytest

from motcua.worktime import OfficeHours

T = time


@pytest.mark.parametrize("intervals, message", [
    ((), "office hours need at least one (start, end) interval"),
    (((T(7, 30), "11:30"),), "office-hour intervals must be datetime.time pairs"),
    ((("07:30", T(11, 30)),), "office-hour intervals must be datetime.time pairs"),
    (((T(7, 30, tzinfo=timezone.utc), T(11, 30)),), "office-hour times are local wall-clock times without tzinfo"),
    (((T(7, 30), T(11, 30, tzinfo=timezone.utc)),), "office-hour times are local wall-clock times without tzinfo"),
    (((T(9, 0), T(9, 0)),), "office-hour interval 09:00:00-09:00:00 is empty or reversed"),
    (((T(13, 0), T(9, 0)),), "office-hour interval 13:00:00-09:00:00 is empty or reversed"),
    (((T(7, 30), T(11, 30)), (T(11, 0), T(17, 0))), "office-hour intervals must be sorted and must not overlap"),
    (((T(13, 0), T(17, 0)), (T(7, 30), T(11, 30))), "office-hour intervals must be sorted and must not overlap"),
    (((T(8, 0, 30), T(9, 0)),), "office hours must add up to a whole number of minutes"),
])
def test_impossible_office_hours_are_refused(intervals, message):
    with pytest.raises(ValueError) as err:
        OfficeHours(intervals=intervals)
    assert str(err.value) == message


def test_adjacent_intervals_are_fine_and_lists_become_tuples():
    oh = OfficeHours(intervals=[[T(7, 30), T(11, 30)], [T(11, 30), T(17, 0)]])
    assert oh.intervals == ((T(7, 30), T(11, 30)), (T(11, 30), T(17, 0)))
    assert oh.minutes_per_day == 570


def test_weekday_overrides_are_checked_and_sorted():
    with pytest.raises(ValueError) as err:
        OfficeHours(by_weekday={7: ((T(7, 30), T(11, 30)),)})
    assert str(err.value) == "weekday must be 0..6, got 7"
    with pytest.raises(ValueError) as err:
        OfficeHours(by_weekday={5: ((T(11, 30), T(7, 30)),)})
    assert "empty or reversed" in str(err.value)
    oh = OfficeHours(by_weekday={6: [[T(8, 0), T(9, 0)]], 5: ((T(7, 30), T(11, 30)),)})
    assert oh.by_weekday == ((5, ((T(7, 30), T(11, 30)),)), (6, ((T(8, 0), T(9, 0)),)))
    assert oh.intervals_for(5) == ((T(7, 30), T(11, 30)),) and oh.intervals_for(6) == ((T(8, 0), T(9, 0)),)
    assert oh.intervals_for(0) == oh.intervals and oh.minutes_per_day == 480


def test_seconds_in_office_hours_count_exactly():
    # 08:00-09:00:30 and 10:00-10:59:30: 60.5 + 59.5 = 120 minutes
    oh = OfficeHours(intervals=((T(8, 0), T(9, 0, 30)), (T(10, 0), T(10, 59, 30))))
    assert oh.minutes_per_day == 120
