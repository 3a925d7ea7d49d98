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
