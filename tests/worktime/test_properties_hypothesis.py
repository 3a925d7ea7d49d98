"""Property-based checks of the working-time engine against an independent reference.

The reference does not use the engine's holiday source (the holidays package): it has its own list of
Vietnamese days off, written by hand from the government's announcements for 2024 and 2025, and the
strategies only draw moments whose results stay inside those two years."""
from datetime import date, datetime, time, timedelta

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from motcua.worktime import TZ, OfficeHours, WorkCalendar

YEARS = range(2024, 2026)
CAL = WorkCalendar(years=YEARS)
HOURS = OfficeHours().intervals
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Weekdays off (Labour Code art. 112 and the yearly announcements of the Ministry of Home Affairs / MOLISA
# for public servants). Lunar holidays: Tết (29th of the last lunar month to the 5th day of the new year) and
# the Hùng Kings' day (10th day of the 3rd lunar month).
DAYS_OFF = {
    # 2024: New Year; Tết Giáp Thìn 08-14/02 (lunar new year Sat 10/02); Hùng Kings Thu 18/04 (10/3 lunar);
    # 29/04 swapped for Saturday 04/05; 30/04, 01/05; National Day 02/09 and 03/09
    date(2024, 1, 1),
    date(2024, 2, 8), date(2024, 2, 9), date(2024, 2, 12), date(2024, 2, 13), date(2024, 2, 14),
    date(2024, 4, 18),
    date(2024, 4, 29), date(2024, 4, 30), date(2024, 5, 1),
    date(2024, 9, 2), date(2024, 9, 3),
    # 2025: New Year; Tết Ất Tỵ 25/01-02/02 (weekdays 27-31/01; lunar new year Wed 29/01); Hùng Kings Mon 07/04;
    # 30/04, 01/05, and 02/05 swapped for Saturday 26/04; National Day 01/09 and 02/09
    date(2025, 1, 1),
    date(2025, 1, 27), date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30), date(2025, 1, 31),
    date(2025, 4, 7),
    date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2),
    date(2025, 9, 1), date(2025, 9, 2),
}
MAKE_UP_SATURDAYS = {date(2024, 5, 4), date(2025, 4, 26)}


# ---------------------------------------------------------------- reference
def ref_is_working(d: date) -> bool:
    """From the hand-written list above, never from the engine's own source."""
    assert d.year in YEARS, f"{d} is outside the years the reference knows"
    if d in MAKE_UP_SATURDAYS:
        return True
    return d.weekday() < 5 and d not in DAYS_OFF


def test_the_reference_list_matches_the_engine_on_every_day():
    """Where the two sources disagree, one of them is wrong: this names the day."""
    d = date(2024, 1, 1)
    while d.year in YEARS:
        assert CAL.is_working_day(d) == ref_is_working(d), d
        d += timedelta(days=1)


def ceil_minute(dt: datetime) -> datetime:
    dt = dt.astimezone(TZ)
    if dt.second or dt.microsecond:
        dt = dt.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return dt


def ref_add(start: datetime, minutes: int) -> datetime:
    """Walk day by day through office hours; stop as soon as the budget is used up
    (stopping *at* an interval end is the boundary rule)."""
    cur = ceil_minute(start)
    if minutes == 0:
        return cur
    left, d = minutes, cur.date()
    while True:
        if ref_is_working(d):
            for s, e in HOURS:
                lo = max(datetime.combine(d, s, tzinfo=TZ), cur)
                hi = datetime.combine(d, e, tzinfo=TZ)
                if lo >= hi:
                    continue
                avail = (hi - lo) // timedelta(minutes=1)
                if left <= avail:
                    return lo + timedelta(minutes=left)
                left -= avail
        d += timedelta(days=1)


def in_or_at_end_of_period(t: datetime) -> bool:
    t = t.astimezone(TZ)
    return ref_is_working(t.date()) and any(s < t.time() <= e for s, e in HOURS)


# ---------------------------------------------------------------- strategies
# Starts from 2024-01-01 to 2025-10-31: 30 working days (the largest budget below) or 20 + 4 x 5 days of
# pauses later is still in 2025, inside the reference's years.
BASE = datetime(2024, 1, 1, tzinfo=TZ)
SPAN_DAYS = (date(2025, 10, 31) - BASE.date()).days
SPAN_MIN = SPAN_DAYS * 24 * 60

starts = st.builds(
    lambda m, sec: BASE + timedelta(minutes=m, seconds=sec),
    st.integers(0, SPAN_MIN),
    st.one_of(st.just(0), st.integers(0, 59)),
)
# Starts at exact period boundaries are the tricky ones: sample them often.
boundary_starts = st.builds(
    lambda d, t: datetime.combine(BASE.date() + timedelta(days=d), t, tzinfo=TZ),
    st.integers(0, SPAN_DAYS),
    st.sampled_from([time(7, 30), time(11, 30), time(13, 0), time(17, 0), time(0, 0), time(12, 0)]),
)
any_start = st.one_of(starts, boundary_starts)
# Multiples of the period lengths land on boundaries; mix them with arbitrary sizes.
minutes = st.one_of(
    st.integers(0, 30 * 480),
    st.builds(lambda k: 240 * k, st.integers(0, 40)),
    st.sampled_from([0, 1, 239, 240, 241, 479, 480, 481]),
)


# ---------------------------------------------------------------- properties
@SETTINGS
@given(any_start, minutes)
def test_matches_independent_reference(s, m):
    assert CAL.add_working_minutes(s, m) == ref_add(s, m)


@SETTINGS
@given(any_start, minutes, minutes)
def test_additivity(s, a, b):
    # Holds literally, boundaries included: add() returns the EARLIEST moment
    # at which the budget is used, and an intermediate result at a period end
    # (say 17:00) has the same working-time coordinate as the next period
    # start, so continuing from it gives the same final moment.  add(x, 0) is
    # x itself (not moved to the next period), which keeps the b == 0 case exact.
    assert CAL.add_working_minutes(CAL.add_working_minutes(s, a), b) == CAL.add_working_minutes(s, a + b)


@SETTINGS
@given(any_start, minutes)
def test_elapsed_inverts_add(s, m):
    # Stated for any start (not only working moments): time outside office
    # hours between s and the clock start counts zero.
    assert CAL.working_minutes_between(s, CAL.add_working_minutes(s, m)) == m


@SETTINGS
@given(any_start, minutes.filter(lambda m: m > 0))
def test_result_is_inside_or_at_end_of_a_working_period(s, m):
    assert in_or_at_end_of_period(CAL.add_working_minutes(s, m))


@SETTINGS
@given(any_start, any_start, minutes, minutes)
def test_monotonic_in_start_and_minutes(s1, s2, m1, m2):
    s1, s2 = min(s1, s2), max(s1, s2)
    m1, m2 = min(m1, m2), max(m1, m2)
    assert CAL.add_working_minutes(s1, m1) <= CAL.add_working_minutes(s2, m1)
    assert CAL.add_working_minutes(s1, m1) <= CAL.add_working_minutes(s1, m2)
    assert CAL.due(s1, working_hours=m1 / 60) <= CAL.due(s2, working_hours=m1 / 60)


@SETTINGS
@given(any_start)
def test_next_working_moment_is_itself_or_a_period_start(s):
    n = CAL.next_working_moment(s)
    assert n >= s
    if n != s:
        assert ref_is_working(n.date()) and n.time() in {a for a, _ in HOURS}
    assert CAL.working_minutes_between(s, n) == 0


pause_offsets = st.lists(
    st.tuples(st.integers(-3 * 1440, 20 * 1440), st.integers(0, 5 * 1440)), max_size=4
)


def make_pauses(s, offsets):
    return [(s + timedelta(minutes=o), s + timedelta(minutes=o + ln)) for o, ln in offsets]


@SETTINGS
@given(any_start, st.integers(0, 10), pause_offsets)
def test_pause_never_shortens_deadline(s, days, offsets):
    plain = CAL.due(s, working_days=days)
    paused = CAL.due(s, working_days=days, pauses=make_pauses(s, offsets))
    assert paused >= plain


@SETTINGS
@given(any_start, st.integers(0, 10), pause_offsets, pause_offsets)
def test_more_pause_never_shortens_deadline(s, days, a, b):
    fewer = CAL.due(s, working_days=days, pauses=make_pauses(s, a))
    more = CAL.due(s, working_days=days, pauses=make_pauses(s, a + b))
    assert more >= fewer
    # Lengthening every pause of `a` never shortens either.
    longer = CAL.due(s, working_days=days, pauses=make_pauses(s, [(o, ln + 600) for o, ln in a]))
    assert longer >= fewer


@SETTINGS
@given(any_start, st.integers(1, 10), pause_offsets)
def test_paused_due_leaves_exactly_the_limit_of_counted_time(s, days, offsets):
    pauses = make_pauses(s, offsets)
    due = CAL.due(s, working_days=days, pauses=pauses)
    assert CAL.remaining(s, working_days=days, pauses=pauses, now=due) == 0
    # `due` is the earliest such moment: a minute earlier something is still left.
    assert CAL.remaining(s, working_days=days, pauses=pauses, now=due - timedelta(minutes=1)) > 0


@SETTINGS
@given(any_start, st.integers(0, 10), st.integers(0, 20 * 1440), st.integers(0, 20 * 1440))
def test_open_pause_is_unknown_unless_deadline_came_first(s, days, off, as_of_off):
    p_start = s + timedelta(minutes=off)
    plain = CAL.due(s, working_days=days)
    due = CAL.due(s, working_days=days, pauses=[(p_start, None)])
    if due is None:
        assert plain > p_start.replace(second=0, microsecond=0)
    else:
        assert due == plain
    as_of = p_start + timedelta(minutes=as_of_off)
    projected = CAL.due(s, working_days=days, pauses=[(p_start, None)], as_of=as_of)
    assert projected == CAL.due(s, working_days=days, pauses=[(p_start, as_of)])


@SETTINGS
@given(st.lists(st.tuples(any_start, minutes), min_size=1, max_size=50))
def test_due_batch_equals_scalar(pairs):
    epochs = np.array([int(s.timestamp()) for s, _ in pairs], dtype=np.int64)
    mins = np.array([m for _, m in pairs], dtype=np.int64)
    got = CAL.due_batch(epochs, mins)
    assert got.dtype == np.int64
    for (s, m), g in zip(pairs, got):
        want = CAL.add_working_minutes(datetime.fromtimestamp(int(s.timestamp()), TZ), m)
        assert int(g) == int(want.timestamp())
