"""The deadline calculator answers 422 `outside_calendar` with the supported years, never a 500, when the
start or the due moment falls outside the calendar (2015-2040), and rejects non-finite numbers.
The API and the `motcua calendar due` command say the same."""
import pytest
from django.core.management import CommandError, call_command

from .schema_check import check

OUTSIDE = [
    "start=2026-06-01T08:00:00%2B07:00&working_days=100000000",
    "start=2026-06-01T08:00:00%2B07:00&working_hours=1e30",
    "start=2026-06-01T08:00:00%2B07:00&working_days=1E999999999",
    "start=2026-06-01T08:00:00%2B07:00&working_days=8000",
    "start=9999-12-31T23:59:59&working_days=1",
    "start=9999-12-31T23:59:59-12:00&working_days=1",
    "start=0001-01-01T00:00:00%2B14:00&working_hours=1",
    "start=1999-06-01T08:00:00&working_days=1",
    "start=2040-12-31T16:00:00%2B07:00&working_days=2",
    "start=2040-12-31T23:30:00-05:00&working_hours=1",
]


@pytest.mark.parametrize("query", OUTSIDE)
def test_api_outside_the_calendar_is_422_with_the_supported_range(db, client_for, query):
    resp = client_for(None).get(f"/api/v1/calendar/due/?{query}")
    assert resp.status_code == 422, (query, resp.status_code, resp.content[:200])
    body = check(resp)
    assert body["code"] == "outside_calendar"
    assert body["details"] == {"first_year": 2015, "last_year": 2040}
    assert "2015–2040" in body["message"]


@pytest.mark.parametrize("value", ["NaN", "-Infinity", "Infinity", "sNaN", "1e", "", "  "])
def test_api_non_finite_numbers_are_invalid_numbers(db, client_for, value):
    resp = client_for(None).get(f"/api/v1/calendar/due/?start=2026-06-01T08:00:00&working_hours={value}")
    assert resp.status_code == 422, (value, resp.content[:200])
    assert check(resp)["code"] in ("invalid_number", "duration_required")


def test_api_last_supported_moment_still_computes(db, client_for):
    body = check(client_for(None).get("/api/v1/calendar/due/?start=2040-12-28T08:00:00&working_hours=4"))
    assert body["due"] == "2040-12-28T13:30:00+07:00"   # 3.5 h before lunch, 0.5 h after


@pytest.mark.parametrize("args", [
    ["--start", "2026-06-01T08:00:00+07:00", "--working-days", "100000000"],
    ["--start", "9999-12-31T08:00", "--working-days", "1"],
    ["--start", "2026-06-01T08:00", "--working-hours", "Infinity"],
])
def test_cli_says_the_same_as_a_clear_error(db, args):
    with pytest.raises(CommandError) as err:
        call_command("calendar", "due", *args)
    message = str(err.value)
    assert message.startswith(("outside_calendar:", "invalid_number:")), message
    if message.startswith("outside_calendar"):
        assert "2015–2040" in message
