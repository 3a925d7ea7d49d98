from datetime import date, timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.visibility import applicant_view
from motcua.portal.web import citizen_required, staff_required

from . import render as R


def available_slips(d):
    return [(n, R.SLIP_TITLES[n]) for n in R.available(d)]


def _base_url(request):
    return getattr(settings, "MOTCUA_PUBLIC_URL", "") or request.build_absolute_uri("/")


@citizen_required
def slip_pdf(request, code, number):
    """Forms 1-6 of one dossier, for officers in scope and for the dossier's owner."""
    d = services.get_for(request.actor, code)
    if number not in R.available(d) or (number not in R.FOR_APPLICANT and applicant_view(request.actor, d)):
        raise Http404
    pdf = R.slip_pdf(d, number, _base_url(request))
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="mau-{number}-{d.code}.pdf"'
    return resp


def _register_query(request):
    actor = request.actor
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("from") or "")
    except ValueError:
        start = today.replace(day=1)
    try:
        end = date.fromisoformat(request.GET.get("to") or "")
    except ValueError:
        end = today
    tz = timezone.get_current_timezone()
    from datetime import datetime, time
    lo = datetime.combine(start, time.min, tz)
    hi = datetime.combine(end + timedelta(days=1), time.min, tz)
    qs = services.visible_dossiers(actor).filter(received_at__gte=lo, received_at__lt=hi)
    return qs, start, end


def _period(start, end):
    return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


MAX_ROWS_ON_PAGE = 200


@staff_required
def register(request):
    qs, start, end = _register_query(request)
    rows = R.register_rows(qs, limit=MAX_ROWS_ON_PAGE)
    return render(request, "office/register.html", {"rows": rows, "headers": R.REGISTER_HEADERS, "start": start,
                                                    "end": end, "limited": len(rows) >= MAX_ROWS_ON_PAGE})


@staff_required
def register_export(request, fmt):
    qs, start, end = _register_query(request)
    rows = R.register_rows(qs)
    agency = ", ".join(sorted({m.agency.organisation.name for m in request.user.memberships.select_related(
        "agency", "agency__parent")}))
    if fmt == "pdf":
        body, ctype = R.register_pdf(rows, agency, _period(start, end)), "application/pdf"
    elif fmt == "xlsx":
        body = R.register_xlsx(rows, agency, _period(start, end))
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"'
    return resp
