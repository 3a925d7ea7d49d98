"""`motcua calendar due` prints the due moment; `motcua calendar recompute` applies a calendar change."""
import os
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from motcua.agencies.models import CalendarOverride, OverrideKind
from motcua.dossiers import services

from ..conftest import at


def test_due_in_working_days(db, capsys):
    call_command("calendar", "due", "--start", "2026-06-01T08:00:00+07:00", "--working-days", "3")
    assert capsys.readouterr().out.strip() == "2026-06-04T08:00:00+07:00"


def test_due_over_lunar_new_year_in_hours(db, capsys):
    # Fri 13 Feb 2026 16:00 + 2 working hours: 1 h on Friday, Tết 16-20 Feb, then Mon 23 Feb 07:30 + 1 h
    call_command("calendar", "due", "--start", "2026-02-13T16:00", "--working-hours", "2")
    assert capsys.readouterr().out.strip() == "2026-02-23T08:30:00+07:00"


def test_boundary_is_end_of_the_earlier_day(db, capsys):
    call_command("calendar", "due", "--start", "2026-06-01T07:30:00+07:00", "--working-days", "1")
    assert capsys.readouterr().out.strip() == "2026-06-01T17:00:00+07:00"


def test_agency_office_hours_apply(province, capsys):
    province.sxd.office_hours = [["08:00", "12:00"], ["13:30", "17:30"]]
    province.sxd.save()
    call_command("calendar", "due", "--start", "2026-06-01T08:00:00+07:00", "--working-hours", "5",
                 "--agency", "000.00.17.H13")
    assert capsys.readouterr().out.strip() == "2026-06-01T14:30:00+07:00"


def test_bad_input_is_a_clear_error(db):
    with pytest.raises(CommandError, match="invalid_datetime"):
        call_command("calendar", "due", "--start", "hôm nay", "--working-days", "1")
    with pytest.raises(CommandError, match="invalid_number"):
        call_command("calendar", "due", "--start", "2026-06-01T08:00", "--working-days", "-1")
    with pytest.raises(CommandError, match="Không có cơ quan"):
        call_command("calendar", "due", "--start", "2026-06-01T08:00", "--working-days", "1", "--agency", "X")


def test_recompute_after_a_new_day_off(province, actors, intake_data, capsys):
    plain, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    paused, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    services.request_supplement(actors["receiver"], paused.code, reason="Thiếu", components=["Đơn"],
                                version=paused.version, now=at("2026-06-01 09:00"))
    paused.refresh_from_db()
    services.supplement_received(actors["receiver"], paused.code, version=paused.version, now=at("2026-06-01 10:00"))
    before_plain = plain.due_at
    paused.refresh_from_db()
    assert before_plain == at("2026-06-04 08:00") and paused.due_at == at("2026-06-04 09:00")
    # The government announces Wednesday 3 June as a day off.
    CalendarOverride.objects.create(day=date(2026, 6, 3), kind=OverrideKind.DAY_OFF, note="Nghỉ bù")
    call_command("calendar", "recompute")
    assert "2 changed" in capsys.readouterr().out
    plain.refresh_from_db()
    paused.refresh_from_db()
    assert plain.due_at == at("2026-06-05 08:00") and plain.appointment_at == plain.due_at
    assert paused.due_at == at("2026-06-05 09:00")
    # each moved due is one history event, the chain stays intact, the version moved on
    from motcua.dossiers import history
    last = plain.history.order_by("-seq").first()
    assert (last.action, last.actor_name, last.data["due_at"]) == ("recompute_due", "system", plain.due_at.isoformat())
    assert history.verify_chain(plain) == [] and history.verify_chain(paused) == []
    # a second run finds nothing to change
    call_command("calendar", "recompute")
    assert "0 changed" in capsys.readouterr().out


def test_console_script_runs(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    bin_dir = os.path.dirname(sys.executable)
    motcua = os.path.join(bin_dir, "motcua")
    subprocess.run([motcua, "migrate", "-v0"], check=True, env=env, timeout=120)
    out = subprocess.run([motcua, "calendar", "due", "--start", "2026-04-29T16:00:00+07:00", "--working-days", "1"],
                         check=True, env=env, capture_output=True, text=True, timeout=60).stdout.strip()
    # 30 Apr and 1 May 2026 are holidays; Sat/Sun off: 1 h on Wed, 7 h from Mon 4 May 07:30 (4 h + 3 h after lunch)
    assert out == "2026-05-04T16:00:00+07:00"


def test_catalog_export_then_import_from_the_command_line(province, tmp_path, capsys):
    path = tmp_path / "catalog.xlsx"
    call_command("export_catalog", str(path))
    call_command("import_catalog", str(path))
    assert "0 thủ tục mới, 2 thủ tục cập nhật" in capsys.readouterr().out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="invalid_workbook"):
        call_command("import_catalog", str(bad))


def test_override_command_moves_due_moments(province, actors, intake_data, capsys):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    call_command("calendar", "override", "--day", "2026-06-02", "--kind", "day_off", "--note", "Nghỉ bù")
    assert "1 due moments moved" in capsys.readouterr().out
    d.refresh_from_db()
    assert d.due_at == at("2026-06-05 08:00")
    call_command("calendar", "override", "--day", "2026-06-02", "--remove")
    d.refresh_from_db()
    assert d.due_at == at("2026-06-04 08:00")
    with pytest.raises(CommandError, match="invalid_date"):
        call_command("calendar", "override", "--day", "02/06/2026", "--kind", "day_off")


def test_only_an_administrator_changes_the_calendar(province, actors):
    from motcua.agencies import services as agency_services
    from motcua.core.errors import NotAllowed
    with pytest.raises(NotAllowed):
        agency_services.set_calendar_override(actors["leader"], "2026-06-02", "day_off")
    assert not CalendarOverride.objects.exists()
    agency_services.set_calendar_override(actors["admin"], "2026-06-06", "working_day", recompute=False)
    assert CalendarOverride.objects.get().kind == OverrideKind.WORKING_DAY
