"""Elapsed working time and early / on-time / late classification."""
from datetime import datetime

from motcua.worktime import TZ, WorkCalendar

CAL = WorkCalendar(years=range(2024, 2028))


def at(*a):
    return datetime(*a, tzinfo=TZ)


def test_working_minutes_between_skips_lunch_nights_and_weekends():
    assert CAL.working_minutes_between(at(2025, 3, 3, 10, 30), at(2025, 3, 3, 14, 0)) == 120
    assert CAL.working_minutes_between(at(2025, 3, 7, 16, 0), at(2025, 3, 10, 8, 0)) == 90
    assert CAL.working_minutes_between(at(2025, 3, 3, 7, 30), at(2025, 3, 3, 17, 0)) == 480
    assert CAL.working_minutes_between(at(2025, 3, 8, 9, 0), at(2025, 3, 9, 9, 0)) == 0


def test_working_minutes_between_is_zero_when_reversed():
    assert CAL.working_minutes_between(at(2025, 3, 4, 9), at(2025, 3, 3, 9)) == 0


def test_working_minutes_between_counts_whole_minutes():
    assert CAL.working_minutes_between(at(2025, 3, 3, 9, 0, 0), at(2025, 3, 3, 9, 1, 59)) == 1


def test_classify():
    due = at(2025, 3, 5, 17, 0)
    assert CAL.classify(at(2025, 3, 4, 16, 59), due) == "early"
    assert CAL.classify(at(2025, 3, 5, 8, 0), due) == "on_time"
    assert CAL.classify(due, due) == "on_time"
    assert CAL.classify(at(2025, 3, 5, 17, 0, 1), due) == "late"
    assert CAL.classify(at(2025, 3, 6, 7, 31), due) == "late"


def test_classify_uses_local_dates():
    from datetime import timezone

    due = at(2025, 3, 5, 17, 0)
    # 2025-03-04 23:30 UTC is 2025-03-05 06:30 local: same local day as due -> on time.
    assert CAL.classify(datetime(2025, 3, 4, 23, 30, tzinfo=timezone.utc), due) == "on_time"
