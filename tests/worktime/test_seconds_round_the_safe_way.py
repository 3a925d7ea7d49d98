"""Moments with seconds: the clock starts at the next whole minute (rounded up), a pause starts at its
whole minute (rounded down) and ends at the next one (rounded up), so rounding never shortens a deadline."""
from datetime import datetime

from motcua.worktime import TZ, WorkCalendar

CAL = WorkCalendar(years=range(2024, 2027))


def at(*a):
    return datetime(*a, tzinfo=TZ)


def test_clock_start_with_seconds_is_rounded_up():
    assert CAL.clock_start(at(2025, 3, 3, 8, 0, 1)) == at(2025, 3, 3, 8, 1)
    assert CAL.clock_start(at(2025, 3, 3, 8, 0, 59)) == at(2025, 3, 3, 8, 1)
    assert CAL.clock_start(at(2025, 3, 3, 8, 0, 0)) == at(2025, 3, 3, 8, 0)
    assert CAL.due(at(2025, 3, 3, 8, 0, 30), working_hours=1) == at(2025, 3, 3, 9, 1)
    # 11:29:30 rounds up to 11:30, the end of the morning: the hour runs 13:00-14:00 (rounded down, the
    # morning's last minute would count and the due would be 13:59)
    assert CAL.due(at(2025, 3, 3, 11, 29, 30), working_hours=1) == at(2025, 3, 3, 14, 0)


def test_added_minutes_count_from_the_rounded_up_start():
    assert CAL.add_working_minutes(at(2025, 3, 3, 8, 0, 30), 60) == at(2025, 3, 3, 9, 1)


def test_pause_start_with_seconds_is_rounded_down_and_its_end_up():
    start = at(2025, 3, 3, 7, 30)                              # Monday, clock starts 07:30
    plain = CAL.due(start, working_hours=2)
    assert plain == at(2025, 3, 3, 9, 30)
    # paused 08:00:30 -> 08:30:00 counts as 08:00 -> 08:30 (30 minutes), not 08:01 -> 08:30
    assert CAL.due(start, working_hours=2, pauses=[(at(2025, 3, 3, 8, 0, 30), at(2025, 3, 3, 8, 30))]) == \
        at(2025, 3, 3, 10, 0)
    # paused 08:00 -> 08:29:30 counts as 08:00 -> 08:30 as well
    assert CAL.due(start, working_hours=2, pauses=[(at(2025, 3, 3, 8, 0), at(2025, 3, 3, 8, 29, 30))]) == \
        at(2025, 3, 3, 10, 0)


def test_open_pause_with_seconds_starts_at_its_whole_minute():
    start = at(2025, 3, 3, 7, 30)
    # as of 08:30, a pause open since 08:00:45 has lasted 30 minutes (08:00 -> 08:30)
    assert CAL.due(start, working_hours=2, pauses=[(at(2025, 3, 3, 8, 0, 45), None)], as_of=at(2025, 3, 3, 8, 30)) \
        == at(2025, 3, 3, 10, 0)


def test_remaining_time_rounds_the_pause_the_same_way():
    start = at(2025, 3, 3, 7, 30)
    pauses = [(at(2025, 3, 3, 8, 0, 30), at(2025, 3, 3, 8, 30))]
    # at 09:00: 90 minutes passed, 30 of them paused -> 60 used of 120
    assert CAL.remaining(start, working_hours=2, pauses=pauses, now=at(2025, 3, 3, 9, 0)) == 60
