"""Parse and compute one due moment (shared by the CLI `motcua calendar due` and the API)."""
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.worktime import TZ


# A duration longer than this cannot end inside any calendar (26 years hold about 6,500 working days).
MAX_DURATION = Decimal(1_000_000)


def outside_calendar(cal):
    first, last = cal.first_year, cal.last_year
    return ValidationFailed(
        _("Chỉ tính được hạn trong các năm %(first)d–%(last)d của lịch làm việc: thời điểm bắt đầu và hạn giải "
          "quyết phải nằm trong khoảng này.") % {"first": first, "last": last},
        code="outside_calendar", details={"first_year": first, "last_year": last})


def _number(raw, field, cal):
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        raise ValidationFailed(_("%(field)s phải là số.") % {"field": field}, code="invalid_number",
                               details={"field": field})
    if value > MAX_DURATION:
        raise outside_calendar(cal)
    if value < 0:
        raise ValidationFailed(_("%(field)s không được âm.") % {"field": field}, code="invalid_number",
                               details={"field": field})
    return value


def compute_due(cal, start, working_days=None, working_hours=None, cutoff=None):
    if not start:
        raise ValidationFailed(_("Phải có thời điểm bắt đầu."), code="start_required", details={"field": "start"})
    try:
        moment = datetime.fromisoformat(str(start).replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(_("Thời điểm bắt đầu phải theo ISO 8601."), code="invalid_datetime",
                               details={"field": "start"})
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    if not cal.first_year <= moment.year <= cal.last_year:
        raise outside_calendar(cal)
    if (working_days in (None, "")) == (working_hours in (None, "")):
        raise ValidationFailed(_("Nhập đúng một trong hai: số ngày làm việc hoặc số giờ làm việc."),
                               code="duration_required")
    if working_days not in (None, ""):
        minutes = int(_number(working_days, "working_days", cal) * cal.office_hours.minutes_per_day)
    else:
        minutes = int(_number(working_hours, "working_hours", cal) * 60)
    cut = None
    if cutoff:
        try:
            h, m = str(cutoff).split(":")
            cut = time(int(h), int(m))
        except ValueError:
            raise ValidationFailed(_("Giờ tiếp nhận cuối phải có dạng HH:MM."), code="invalid_cutoff")
    try:
        start_at = cal.clock_start(moment, cut)
        due = cal.add_working_minutes(start_at, minutes)
    except (ValueError, OverflowError):     # the engine's "outside this calendar's years"
        raise outside_calendar(cal)
    return {"start": moment, "clock_start": start_at.astimezone(TZ), "due": due.astimezone(TZ),
            "working_minutes": minutes}
