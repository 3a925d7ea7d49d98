"""The clock starts at the next working moment; a receipt cut-off pushes it to the next day."""
from datetime import datetime, time

from motcua.worktime import TZ, WorkCalendar

CAL = WorkCalendar(years=range(2024, 2028))


def at(*a):
    return datetime(*a, tzinfo=TZ)


def test_received_saturday_starts_monday_0730():
    sat = at(2025, 3, 8, 10, 0)
    assert CAL.clock_start(sat) == at(2025, 3, 10, 7, 30)
    assert CAL.next_working_moment(sat) == at(2025, 3, 10, 7, 30)
    assert CAL.due(sat, working_days=1) == at(2025, 3, 10, 17, 0)


def test_inside_working_time_is_itself():
    dt = at(2025, 3, 4, 9, 15, 42)
    assert CAL.next_working_moment(dt) == dt
    assert CAL.next_working_moment(at(2025, 3, 4, 7, 30)) == at(2025, 3, 4, 7, 30)


def test_lunch_and_evening_move_forward():
    assert CAL.next_working_moment(at(2025, 3, 4, 11, 30)) == at(2025, 3, 4, 13, 0)
    assert CAL.next_working_moment(at(2025, 3, 4, 12, 0)) == at(2025, 3, 4, 13, 0)
    assert CAL.next_working_moment(at(2025, 3, 4, 17, 0)) == at(2025, 3, 5, 7, 30)
    assert CAL.next_working_moment(at(2025, 3, 4, 6, 0)) == at(2025, 3, 4, 7, 30)


def test_other_time_zone_input_is_the_same_instant():
    from datetime import timezone

    utc = datetime(2025, 3, 4, 0, 30, tzinfo=timezone.utc)  # 07:30 local
    assert CAL.due(utc, working_hours=1) == at(2025, 3, 4, 8, 30)
    assert CAL.due(utc, working_hours=1).tzinfo == TZ


def test_cutoff_1500_received_1510_starts_next_working_day():
    got = CAL.due(at(2025, 3, 4, 15, 10), working_hours=1, cutoff=time(15, 0))
    assert got == at(2025, 3, 5, 8, 30)
    assert CAL.clock_start(at(2025, 3, 4, 15, 10), cutoff=time(15)) == at(2025, 3, 5, 7, 30)


def test_cutoff_exactly_at_cutoff_starts_next_day_and_before_does_not():
    assert CAL.clock_start(at(2025, 3, 4, 15, 0), cutoff=time(15)) == at(2025, 3, 5, 7, 30)
    assert CAL.clock_start(at(2025, 3, 4, 14, 59), cutoff=time(15)) == at(2025, 3, 4, 14, 59)


def test_cutoff_on_friday_skips_weekend():
    assert CAL.clock_start(at(2025, 3, 7, 16, 0), cutoff=time(15)) == at(2025, 3, 10, 7, 30)


def test_cutoff_received_on_non_working_day_starts_next_working_day():
    assert CAL.clock_start(at(2025, 3, 8, 9, 0), cutoff=time(15)) == at(2025, 3, 10, 7, 30)


def test_seconds_round_start_up_to_next_minute():
    assert CAL.add_working_minutes(at(2025, 3, 4, 9, 0, 1), 60) == at(2025, 3, 4, 10, 1)
    assert CAL.add_working_minutes(at(2025, 3, 4, 9, 0, 0), 60) == at(2025, 3, 4, 10, 0)
