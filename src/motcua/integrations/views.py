"""Back-office page for administrators (/can-bo/dong-bo/): the delivery board per integration, the last
error of each failing message, resend one / all dead of an agency or period, the mapping tables (edit,
Excel import) and the inbound DVCQG dossiers waiting for a mapping. Changes go through services."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError, NotAllowed
from motcua.portal.web import staff_required

from . import inbound, mapping, procedure_import, services
from .models import AgencyMapping, MessageState, ProcedureMapping


def _admin(request):
    try:
        mapping.require_admin(request.actor)
    except NotAllowed:
        raise PermissionDenied from None


@staff_required
def board(request):
    _admin(request)
    actor = request.actor
    state = request.GET.get("state") or MessageState.DEAD
    if state not in MessageState.values:
        state = MessageState.DEAD
    try:
        counts = services.summary(actor)
        rows = (services.filtered(actor, state=state).select_related("dossier", "agency")
                .order_by("created_at", "pk")[:200])
    except DomainError as exc:
        messages.error(request, exc.message)
        counts, rows = {}, []
    procs = list(Procedure.objects.order_by("code").values("id", "code", "name"))
    mapped = dict(ProcedureMapping.objects.values_list("procedure_id", "remote_code"))
    for p in procs:
        p["remote"] = mapped.get(p["id"], "")
    agencies = list(Agency.objects.order_by("code").values("id", "code", "name"))
    amapped = dict(AgencyMapping.objects.values_list("agency_id", "remote_code"))
    for a in agencies:
        a["remote"] = amapped.get(a["id"], "")
    return render(request, "integrations/board.html", {
        "counts": counts, "states": MessageState.choices, "state": state, "rows": rows,
        "waiting": services.inbound_waiting(actor)[:200], "procedures": procs, "agencies": agencies,
    })


def _done(request, fn, ok_message):
    try:
        result = fn()
        messages.success(request, ok_message % {"n": result} if "%(n)" in ok_message else ok_message)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("integrations:board")


@require_POST
@staff_required
def resend_one(request, pk):
    return _done(request, lambda: services.resend_one(request.actor, pk), _("Đã đưa %(n)s thông điệp vào hàng đợi gửi lại."))


@require_POST
@staff_required
def resend_dead(request):
    p = request.POST
    return _done(request, lambda: services.resend_dead(request.actor, integration=p.get("integration") or None,
                                                       agency=p.get("agency") or None, since=p.get("since") or None,
                                                       until=p.get("until") or None),
                 _("Đã đưa %(n)s thông điệp vào hàng đợi gửi lại."))


@require_POST
@staff_required
def set_mapping(request):
    p = request.POST
    if p.get("kind") == "agency":
        return _done(request, lambda: mapping.set_agency(request.actor, p.get("local", ""), p.get("remote", "")),
                     _("Đã lưu ánh xạ cơ quan."))
    return _done(request, lambda: mapping.set_procedure(request.actor, p.get("local", ""), p.get("remote", "")),
                 _("Đã lưu ánh xạ thủ tục."))


@require_POST
@staff_required
def import_mapping(request):
    upload = request.FILES.get("file")

    def run():
        if upload is None:
            raise DomainError(_("Thiếu tệp Excel."), code="file_required")
        counts = mapping.import_excel(request.actor, upload.read())
        return counts["procedures"] + counts["agencies"]
    return _done(request, run, _("Đã nhập %(n)s dòng ánh xạ."))


@require_POST
@staff_required
def replay(request, code):
    def run():
        item = inbound.replay(request.actor, code)
        if item.state != "created":
            raise DomainError(item.reason, code=item.reason_code)
        return 1
    return _done(request, run, _("Đã tạo hồ sơ từ Cổng DVCQG."))


@require_POST
@staff_required
def import_procedures(request):
    """Import procedure cards from DVCQG (all it lists, or the codes typed); the report as messages."""
    _admin(request)
    codes = [c for c in request.POST.get("codes", "").replace(",", " ").split() if c] or None
    try:
        report = procedure_import.import_procedures(request.actor, codes, force=request.POST.get("force") == "1")
    except DomainError as exc:
        messages.error(request, f"{exc.code}: {exc.message}")
        return redirect("integrations:board")
    messages.success(request, _("Nhập thủ tục từ Cổng DVCQG: tạo mới %(c)d, cập nhật %(u)d, không đổi %(n)d, "
                                "giữ bản địa phương %(k)d, lỗi %(e)d.") % {
        "c": len(report["created"]), "u": len(report["updated"]), "n": len(report["unchanged"]),
        "k": len(report["kept_local"]), "e": len(report["errors"])})
    for e in report["kept_local"][:20]:
        messages.warning(request, f"{e['remote_code']} ({e['code']}): {e['message']}")
    for e in report["errors"][:20]:
        messages.error(request, f"{e['remote_code'] or '—'} ({e['code']}): {e['message']}")
    return redirect("integrations:board")
