"""Writers of targets, reform plans and inspections (the only place they change)."""
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Role
from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.core.values import iso_date

from .models import Finding, IndicatorDefinition, Inspection, ReformPlan, ReformTask, Target

MANAGERS = (Role.ADMINISTRATOR, Role.AGENCY_LEADER)


def can_manage(actor, agency):
    return any(actor.has_role(r, agency.path) for r in MANAGERS)


def _check(actor, agency):
    if not actor.covers(agency.path):
        raise NotFound(_("Không tìm thấy cơ quan."), code="agency_not_found")
    if not can_manage(actor, agency):
        raise NotAllowed(_("Chỉ lãnh đạo cơ quan hoặc quản trị mới được cập nhật nội dung này."),
                         code="role_required", details={"roles": list(MANAGERS)})


def _agency(code):
    a = Agency.objects.filter(code=code).first()
    if a is None:
        raise NotFound(_("Không có cơ quan mã %(code)s.") % {"code": code}, code="agency_not_found")
    return a


def _text(value, field):
    if not (value or "").strip():
        raise ValidationFailed(_("Thiếu thông tin bắt buộc."), code=f"{field}_required", details={"field": field})
    return value.strip()


@transaction.atomic
def set_target(actor, *, agency_code, indicator, value, valid_from, source=""):
    agency = _agency(agency_code)
    _check(actor, agency)
    if not IndicatorDefinition.objects.filter(code=indicator).exists():
        raise ValidationFailed(_("Không có chỉ số %(c)s.") % {"c": indicator}, code="unknown_indicator")
    try:
        v = Decimal(str(value))
    except InvalidOperation:
        v = Decimal(-1)
    if not 0 <= v <= 1:
        raise ValidationFailed(_("Chỉ tiêu là tỷ lệ từ 0 đến 1."), code="invalid_target", details={"field": "value"})
    start = iso_date(valid_from, "valid_from")
    Target.objects.filter(agency=agency, indicator=indicator, valid_to__isnull=True,
                          valid_from__lt=start).update(valid_to=start)
    return Target.objects.create(agency=agency, indicator=indicator, value=v, valid_from=start, source=source)


@transaction.atomic
def create_plan(actor, *, agency_code, year, title, number=""):
    agency = _agency(agency_code)
    _check(actor, agency)
    return ReformPlan.objects.create(agency=agency, year=int(year), title=_text(title, "title"), number=number)


@transaction.atomic
def add_task(actor, plan_id, *, title, deadline, owner_name="", area="", owner_agency_code=None):
    plan = ReformPlan.objects.select_related("agency").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("Không tìm thấy kế hoạch."), code="plan_not_found")
    _check(actor, plan.agency)
    owner = _agency(owner_agency_code) if owner_agency_code else None
    return ReformTask.objects.create(plan=plan, title=_text(title, "title"), deadline=iso_date(deadline, "deadline"),
                                     owner_name=owner_name, area=area, owner_agency=owner)


@transaction.atomic
def complete_task(actor, task_id, *, done_on, result=""):
    task = ReformTask.objects.select_related("plan__agency").filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("Không tìm thấy nhiệm vụ."), code="task_not_found")
    _check(actor, task.plan.agency)
    if task.done_at:
        raise Conflict(_("Nhiệm vụ đã hoàn thành."), code="already_done")
    task.done_at, task.result = iso_date(done_on, "done_on"), result
    task.save()
    return task


def progress(plan, today=None):
    """Completion of a plan: done / total tasks (39 of 42 = 92.86 %), and tasks overdue."""
    today = today or date.today()
    tasks = list(plan.tasks.all())
    done = sum(1 for t in tasks if t.done_at)
    late_done = sum(1 for t in tasks if t.done_at and t.done_at > t.deadline)
    overdue = sum(1 for t in tasks if not t.done_at and t.deadline < today)
    return {"total": len(tasks), "done": done, "percent": round(100 * done / len(tasks), 2) if tasks else None,
            "done_late": late_done, "overdue": overdue}


@transaction.atomic
def record_inspection(actor, *, agency_code, inspected_on, inspector, decision="", summary=""):
    agency = _agency(agency_code)
    _check(actor, agency)
    return Inspection.objects.create(agency=agency, inspected_on=iso_date(inspected_on, "inspected_on"),
                                     inspector=_text(inspector, "inspector"), decision=decision, summary=summary)


@transaction.atomic
def add_finding(actor, inspection_id, *, description, follow_up, due):
    ins = Inspection.objects.select_related("agency").filter(pk=inspection_id).first()
    if ins is None:
        raise NotFound(_("Không tìm thấy biên bản kiểm tra."), code="inspection_not_found")
    _check(actor, ins.agency)
    return Finding.objects.create(inspection=ins, description=_text(description, "description"),
                                  follow_up=_text(follow_up, "follow_up"), due=iso_date(due, "due"))


@transaction.atomic
def resolve_finding(actor, finding_id, *, resolved_on, resolution):
    f = Finding.objects.select_related("inspection__agency").filter(pk=finding_id).first()
    if f is None:
        raise NotFound(_("Không tìm thấy nội dung kiểm tra."), code="finding_not_found")
    _check(actor, f.inspection.agency)
    if f.resolved_on:
        raise Conflict(_("Nội dung này đã được khắc phục."), code="already_resolved")
    f.resolved_on, f.resolution = iso_date(resolved_on, "resolved_on"), _text(resolution, "resolution")
    f.save()
    return f
