"""Changes to agencies' shared settings. Calendar overrides: an administrator records a day off or a
make-up working day the government announced; open dossiers' due moments are then recomputed."""
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import NotAllowed, ValidationFailed

from . import calendar
from .models import CalendarOverride, OverrideKind, Role


def _require_administrator(actor):
    if not any(role == Role.ADMINISTRATOR for role, _path in actor.roles):
        raise NotAllowed(_("Chỉ quản trị mới được thay đổi lịch làm việc."), code="role_required",
                         details={"roles": [Role.ADMINISTRATOR]})


def set_calendar_override(actor, day, kind, note="", recompute=True):
    """Create or change the override of one day, then move the due moments of open dossiers."""
    _require_administrator(actor)
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            raise ValidationFailed(_("Ngày phải có dạng YYYY-MM-DD."), code="invalid_date", details={"field": "day"})
    if kind not in OverrideKind.values:
        raise ValidationFailed(_("Loại phải là ngày nghỉ hoặc ngày làm việc bù."), code="invalid_kind",
                               details={"field": "kind", "allowed": list(OverrideKind.values)})
    with transaction.atomic():
        override, _created = CalendarOverride.objects.update_or_create(day=day, defaults={"kind": kind, "note": note})
    calendar.invalidate()
    result = None
    if recompute:
        from motcua.dossiers.recompute import recompute_open_dossiers
        result = recompute_open_dossiers()
    return override, result


def remove_calendar_override(actor, day, recompute=True):
    _require_administrator(actor)
    deleted, _ = CalendarOverride.objects.filter(day=day).delete()
    calendar.invalidate()
    result = None
    if recompute and deleted:
        from motcua.dossiers.recompute import recompute_open_dossiers
        result = recompute_open_dossiers()
    return deleted, result
