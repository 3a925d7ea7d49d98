"""A due moment on the boundary of two working periods is the END of the earlier one."""
from datetime import datetime

from motcua.worktime import TZ, WorkCalendar

CAL = WorkCalendar(years=range(2024, 2028))


def at(*a):
    return datetime(*a, tzinfo=TZ)


MON = at(2025, 3, 3, 7, 30)  # an ordinary Monday


def test_one_working_day_from_monday_morning_ends_monday_1700():
    assert CAL.add_working_minutes(MON, 480) == at(2025, 3, 3, 17, 0)
    assert CAL.due(MON, working_days=1) == at(2025, 3, 3, 17, 0)


def test_eight_hours_from_monday_morning_is_not_tuesday_0730():
    assert CAL.due(MON, working_hours=8) != at(2025, 3, 4, 7, 30)
    assert CAL.due(MON, working_hours=8) == at(2025, 3, 3, 17, 0)


def test_four_hours_from_0730_is_1130_not_1300():
    assert CAL.add_working_minutes(MON, 240) == at(2025, 3, 3, 11, 30)


def test_one_more_minute_crosses_the_gap():
    assert CAL.add_working_minutes(MON, 241) == at(2025, 3, 3, 13, 1)
    assert CAL.add_working_minutes(MON, 481) == at(2025, 3, 4, 7, 31)


def test_friday_1600_plus_one_hour_is_friday_1700_not_monday():
    assert CAL.due(at(2025, 3, 7, 16, 0), working_hours=1) == at(2025, 3, 7, 17, 0)


def test_two_working_days_end_at_1700_of_second_day():
    assert CAL.due(MON, working_days=2) == at(2025, 3, 4, 17, 0)


def test_lunch_break_is_skipped():
    assert CAL.due(at(2025, 3, 3, 10, 30), working_hours=2) == at(2025, 3, 3, 14, 0)


def test_received_at_1700_counts_from_next_morning():
    assert CAL.due(at(2025, 3, 3, 17, 0), working_hours=1) == at(2025, 3, 4, 8, 30)
