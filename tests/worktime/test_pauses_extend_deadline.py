"""Pauses (suspensions) stop the clock; they never shorten a deadline."""
from datetime import datetime

from motcua.worktime import TZ, WorkCalendar

CAL = WorkCalendar(years=range(2024, 2028))


def at(*a):
    return datetime(*a, tzinfo=TZ)


MON = at(2025, 3, 3, 7, 30)


def test_pause_of_two_working_hours_adds_two_hours():
    pauses = [(at(2025, 3, 3, 9, 0), at(2025, 3, 3, 11, 0))]
    assert CAL.due(MON, working_days=1, pauses=pauses) == at(2025, 3, 4, 9, 30)


def test_pause_outside_working_time_changes_nothing():
    pauses = [(at(2025, 3, 3, 17, 30), at(2025, 3, 4, 7, 0)), (at(2025, 3, 3, 11, 30), at(2025, 3, 3, 13, 0))]
    assert CAL.due(MON, working_days=2, pauses=pauses) == at(2025, 3, 4, 17, 0)


def test_pause_after_the_due_moment_changes_nothing():
    pauses = [(at(2025, 3, 3, 17, 0), at(2025, 3, 5, 9, 0))]
    assert CAL.due(MON, working_days=1, pauses=pauses) == at(2025, 3, 3, 17, 0)


def test_pause_before_receipt_is_ignored():
    pauses = [(at(2025, 2, 20, 8, 0), at(2025, 3, 3, 9, 0))]
    # Only the part after the clock start (07:30-09:00) counts.
    assert CAL.due(MON, working_days=1, pauses=pauses) == at(2025, 3, 4, 9, 0)


def test_overlapping_pauses_are_merged_not_double_counted():
    pauses = [
        (at(2025, 3, 3, 8, 0), at(2025, 3, 3, 10, 0)),
        (at(2025, 3, 3, 9, 0), at(2025, 3, 3, 11, 0)),
        (at(2025, 3, 3, 9, 30), at(2025, 3, 3, 9, 45)),
    ]
    assert CAL.due(MON, working_days=1, pauses=pauses) == at(2025, 3, 4, 10, 30)


def test_open_pause_gives_unknown_due():
    pauses = [(at(2025, 3, 3, 9, 0), None)]
    assert CAL.due(MON, working_days=1, pauses=pauses) is None


def test_open_pause_as_of_now_treats_it_as_ending_now():
    pauses = [(at(2025, 3, 3, 9, 0), None)]
    got = CAL.due(MON, working_days=1, pauses=pauses, as_of=at(2025, 3, 3, 10, 0))
    assert got == at(2025, 3, 4, 8, 30)


def test_open_pause_starting_after_the_deadline_does_not_hide_it():
    pauses = [(at(2025, 3, 4, 9, 0), None)]
    assert CAL.due(MON, working_days=1, pauses=pauses) == at(2025, 3, 3, 17, 0)


def test_remaining_counts_down_and_ignores_paused_time():
    assert CAL.remaining(MON, working_days=1, now=at(2025, 3, 3, 9, 30)) == 360
    pauses = [(at(2025, 3, 3, 8, 30), None)]
    assert CAL.remaining(MON, working_days=1, pauses=pauses, now=at(2025, 3, 5, 9, 0)) == 420
    assert CAL.remaining(MON, working_days=1, now=at(2025, 3, 4, 8, 0)) == -30
    assert CAL.remaining(MON, working_days=1, now=at(2025, 3, 1, 8, 0)) == 480


def test_remaining_is_zero_at_due():
    pauses = [(at(2025, 3, 3, 9, 0), at(2025, 3, 3, 14, 0))]
    due = CAL.due(MON, working_days=2, pauses=pauses)
    assert CAL.remaining(MON, working_days=2, pauses=pauses, now=due) == 0
