"""The engine works in Vietnamese local time whatever the process's own time zone (Django sets it to
TIME_ZONE, a plain script or a worker may not)."""
import time as systime
from datetime import date, datetime, time

import pytest

from motcua.worktime import TZ, WorkCalendar
from motcua.worktime.hours import local_epoch_s


@pytest.fixture
def process_tz(monkeypatch):
    def use(name):
        monkeypatch.setenv("TZ", name)
        systime.tzset()
    yield use
    monkeypatch.undo()
    systime.tzset()


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Ho_Chi_Minh"])
def test_local_moments_are_vietnamese_whatever_the_process_zone(process_tz, zone):
    process_tz(zone)
    assert local_epoch_s(date(2025, 3, 3), time(7, 30)) == 1740961800          # 2025-03-03 00:30 UTC
    cal = WorkCalendar(years=range(2025, 2026))
    assert cal.due(datetime(2025, 3, 3, 7, 30, tzinfo=TZ), working_days=1) == datetime(2025, 3, 3, 17, 0, tzinfo=TZ)


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_early_means_a_vietnamese_day_before_and_moments_come_back_in_vietnamese_time(process_tz, zone):
    process_tz(zone)
    cal = WorkCalendar(years=range(2025, 2026))
    due = datetime(2025, 3, 5, 17, 0, tzinfo=TZ)
    # 06:30 on the due day in Vietnam is the evening before in UTC (and in New York): on time, not early
    assert cal.classify(datetime(2025, 3, 5, 6, 30, tzinfo=TZ), due) == "on_time"
    assert cal.classify(datetime(2025, 3, 4, 23, 0, tzinfo=TZ), due) == "early"
    inside = cal.next_working_moment(datetime(2025, 3, 5, 9, 0, tzinfo=TZ))
    assert inside == datetime(2025, 3, 5, 9, 0, tzinfo=TZ) and inside.utcoffset().total_seconds() == 7 * 3600
