"""Back-office pages (trang cán bộ) for the document registers: thin views over services and registers."""
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.scope import agencies_in_scope
from motcua.core.errors import ValidationFailed
from motcua.portal.web import staff_required
from motcua.worktime import TZ

from . import registers, services

app_name = "documents_office"


def _year(request):
    raw = request.GET.get("nam") or str(timezone.now().astimezone(TZ).year)
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationFailed(_("Năm không hợp lệ."), code="invalid_year", details={"year": raw})
    return int(raw)


@staff_required
def registers_page(request):
    year = _year(request)
    outgoing, incoming = services.registers_in_scope(request.actor, year)
    return render(request, "documents/office/registers.html", {
        "year": year, "outgoing": outgoing, "incoming": incoming,
        "agencies": agencies_in_scope(request.actor).filter(kind__in=("province", "department", "district",
                                                                       "commune", "centre"))})


@staff_required
def registers_xlsx(request, code):
    year = _year(request)
    data = registers.registers_xlsx(request.actor, code, year)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="so-van-ban-{year}.xlsx"'
    return response


urlpatterns = [
    path("", registers_page, name="registers"),
    path("<str:code>/so-van-ban.xlsx", registers_xlsx, name="registers_xlsx"),
]
