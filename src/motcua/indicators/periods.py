"""Reporting periods made of whole local months: 2026-06, 2026-Q2, 2026-H1, 2026."""
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.worktime import TZ

from .facts import month_index

_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])|H([12])))?$")


@dataclass(frozen=True)
class Period:
    code: str
    kind: str            # month | quarter | half | year
    year: int
    first_month: int     # 1..12
    months: int

    @property
    def ms(self):
        """First month index (months since 1970-01)."""
        return month_index(self.year, self.first_month)

    @property
    def mt(self):
        """Month index just after the period (exclusive)."""
        return self.ms + self.months

    @property
    def start_date(self):
        return date(self.year, self.first_month, 1)

    @property
    def end_date(self):
        """Exclusive."""
        y, m = divmod(self.first_month - 1 + self.months, 12)
        return date(self.year + y, m + 1, 1)

    @property
    def start(self):
        return datetime.combine(self.start_date, datetime.min.time(), TZ)

    @property
    def end(self):
        return datetime.combine(self.end_date, datetime.min.time(), TZ)

    @property
    def label(self):
        if self.kind == "month":
            return _("Tháng %(m)s/%(y)s") % {"m": self.first_month, "y": self.year}
        if self.kind == "quarter":
            return _("Quý %(q)s/%(y)s") % {"q": (self.first_month + 2) // 3, "y": self.year}
        if self.kind == "half":
            return (_("6 tháng đầu năm %(y)s") if self.first_month == 1 else _("6 tháng cuối năm %(y)s")) % {
                "y": self.year}
        return _("Năm %(y)s") % {"y": self.year}

    def month_periods(self):
        return [parse(f"{self.year + (self.first_month - 1 + k) // 12}-{(self.first_month - 1 + k) % 12 + 1:02d}")
                for k in range(self.months)]

    def as_dict(self):
        return {"code": self.code, "kind": self.kind, "label": str(self.label), "start": self.start_date.isoformat(),
                "end": self.end_date.isoformat()}


def parse(text):
    m = _RE.match((text or "").strip())
    if not m or not 2000 <= int(m.group(1)) <= 2100 or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
        raise ValidationFailed(_("Kỳ báo cáo không hợp lệ: dùng dạng 2026-06, 2026-Q2, 2026-H1 hoặc 2026."),
                               code="invalid_period", details={"period": text})
    year = int(m.group(1))
    if m.group(2):
        return Period(f"{year}-{m.group(2)}", "month", year, int(m.group(2)), 1)
    if m.group(3):
        q = int(m.group(3))
        return Period(f"{year}-Q{q}", "quarter", year, 3 * q - 2, 3)
    if m.group(4):
        h = int(m.group(4))
        return Period(f"{year}-H{h}", "half", year, 1 if h == 1 else 7, 6)
    return Period(str(year), "year", year, 1, 12)


def open_due_cut(period, now=None):
    """How open dossiers are judged in `period` (DOMAIN.md: still within deadline = on time).

    Returns (due_cut, month_start, as_of):
    - a period already over: as_of is its end; an open dossier is late iff its due month < due_cut = mt.
    - the period in progress: as_of is now; due months before this month are late (due_cut = this month),
      and those due this month but before now are found exactly (`overdue_this_month`)."""
    from django.utils import timezone

    from .facts import month_index

    now = now or timezone.now()
    if period.end <= now:
        return period.mt, None, period.end
    local = timezone.localtime(now)
    current = month_index(local.year, local.month)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return min(period.mt, current), month_start, now


def overdue_this_month(month_start, as_of):
    """Open dossiers (not withdrawn, at most one supplement request, not paused before their due) whose
    due moment fell between the start of this month and now: already late although their due month has
    not ended. One indexed range scan on (status, due_at)."""
    from django.db.models import F, Q

    from motcua.dossiers.models import OPEN_STATUSES, Dossier

    return (Dossier.objects.filter(status__in=OPEN_STATUSES, supplement_requests__lte=1,
                                   due_at__gte=month_start, due_at__lt=as_of)
            .exclude(Q(paused_since__isnull=False) & Q(paused_since__lte=F("due_at"))))


def previous(period):
    """The period of the same kind just before `period` (2026-07 -> 2026-06, 2026-Q1 -> 2025-Q4, 2026 -> 2025)."""
    k = (period.first_month - 1) - period.months
    year, first = period.year + k // 12, k % 12 + 1
    if period.kind == "month":
        return parse(f"{year}-{first:02d}")
    if period.kind == "quarter":
        return parse(f"{year}-Q{(first + 2) // 3}")
    if period.kind == "half":
        return parse(f"{year}-H{1 if first == 1 else 2}")
    return parse(str(year))
