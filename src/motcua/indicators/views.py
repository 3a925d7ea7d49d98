"""HTML pages: dashboard (ranking, trend, breakdown), agency detail, drill-down, public transparency page,
reform plans and inspections, Excel/PDF downloads."""
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.agencies.scope import actor_for
from motcua.core.errors import DomainError

from . import charts, compute, drilldown, exports, own2026
from .models import Inspection, ReformPlan
from .periods import parse
from .services import progress

SUBSET_LABELS = {"late": _("trễ hạn"), "on_time": _("đúng hạn"), "population": _("tất cả"),
                 "processed": _("đã xử lý xong"), "received": _("tiếp nhận"), "online": _("trực tuyến"),
                 "offline": _("không trực tuyến"), "paid": _("có thanh toán"), "paid_online": _("thanh toán trực tuyến"),
                 "paid_offline": _("thanh toán tại quầy"), "e_result": _("có kết quả điện tử"),
                 "missing": _("chưa có kết quả điện tử"), "digitised": _("đã số hóa"),
                 "not_digitised": _("chưa số hóa"), "dissatisfied": _("có phản ánh/không hài lòng"),
                 "synced": _("đã đồng bộ lên Cổng DVCQG"), "not_synced": _("chưa đồng bộ lên Cổng DVCQG"),
                 "gateway_paygov": _("đã nộp qua Nền tảng thanh toán (Cổng DVCQG)"),
                 "gateway_vnpay": _("đã nộp qua VNPay"), "counter": _("đã nộp tại quầy"),
                 "reused": _("có tái sử dụng dữ liệu số hóa"), "not_reused": _("không tái sử dụng dữ liệu số hóa"),
                 "connected": _("lấy giấy tờ từ kho dữ liệu trên Cổng DVCQG"),
                 "not_connected": _("đã số hóa, chưa lấy từ kho dữ liệu trên Cổng DVCQG"),
                 "needs_copy": _("có thành phần bản sao chứng thực"), "certified": _("có bản sao điện tử chứng thực"),
                 "not_certified": _("chưa có bản sao điện tử chứng thực")}
# the subset that costs the agency points, linked from each figure
ACTION_SUBSET = {"2.1": "late", "2.2": "processed", "3.3": "offline", "3.6": "paid_offline", "4.1": "missing",
                 "4.2": "not_digitised", "4.3": "not_reused", "4.4": "not_connected", "5.4": "dissatisfied"}


def _period(request):
    text = request.GET.get("period") or str(date.today().year)
    try:
        return parse(text)
    except DomainError:
        return parse(str(date.today().year))


def _staff(request):
    actor = actor_for(request.user)
    if not actor.is_staff_member:
        raise PermissionDenied
    return actor


def _kind(request):
    kind = request.GET.get("kind") or "department"
    return kind if kind in ("department", "district", "commune") else "department"


@login_required
def dashboard(request):
    _staff(request)
    period, kind = _period(request), _kind(request)
    rep = compute.report(period, kind=kind)
    trend = compute.trend(period, kind=kind)
    ranking_chart = charts.hbar([(f"{r['rank']}. {r['name']}", r["score_100"]) for r in rep["ranking"]],
                                title=_("Xếp hạng cơ quan theo điểm quy đổi 100"))
    trend_chart = charts.line([(t["period"][5:], [t["on_time_pct"], t["online_pct"], t["digitised_pct"]])
                               for t in trend], title=_("Diễn biến theo tháng"),
                              series_names=[_("Đúng hạn"), _("Trực tuyến"), _("Số hóa")])
    d26 = own2026.report(period, kind=kind, refresh=False)
    return render(request, "indicators/dashboard.html", {
        "rep": rep, "trend": trend, "period": period, "kind": kind, "ranking_chart": ranking_chart,
        "trend_chart": trend_chart, "n": len(rep["agencies"]), "d26": d26, "d26_charts": _group_charts(d26)})


def _group_charts(d26):
    """One bar chart per group of the 2026 set: every agency's points in that group, on the group's scale."""
    out = []
    for g in d26["groups"]:
        rows = [(f"{a['rank']}. {a['name']}", a["groups"][g["code"]]["points"], g["max"]) for a in d26["agencies"]]
        out.append({"group": g, "chart": charts.group_bars(rows, title=f"{g['code']}. {g['name']} ({g['max']})")})
    return out


@login_required
def agency(request, code):
    actor = _staff(request)
    period = _period(request)
    a = Agency.objects.filter(code=code).first()
    if a is None:
        raise Http404
    peers = compute.report(period, kind=a.kind)
    mine = next((x for x in peers["agencies"] if x["code"] == code), None)
    if mine is None:
        raise Http404
    for i in mine["indicators"]:
        i["drill"] = ACTION_SUBSET.get(i["code"]) if actor.covers(a.path) else None
    groups_chart = charts.hbar([(f"{g['code']}. {g['name']}", g["points"]) for g in mine["groups"]],
                               max_value=max((g["weight"] for g in mine["groups"]), default=1),
                               title=_("Điểm theo nhóm chỉ số"))
    trend = compute.trend(period, agency=code)
    trend_chart = charts.line([(t["period"][5:], [t["on_time_pct"], t["online_pct"], t["digitised_pct"]])
                               for t in trend], title=_("Diễn biến theo tháng"),
                              series_names=[_("Đúng hạn"), _("Trực tuyến"), _("Số hóa")])
    d26 = own2026.report(period, kind=a.kind, refresh=False)
    m26 = next(x for x in d26["agencies"] if x["code"] == code)
    if not actor.covers(a.path):
        for m in m26["metrics"].values():
            m["drill"] = None
    groups26 = charts.group_bars([(f"{g['code']}. {g['name']}", g["points"], g["max"]) for g in m26["groups"].values()],
                                 title=_("Điểm theo 6 nhóm của Cổng DVCQG"))
    return render(request, "indicators/agency.html", {
        "rep": peers, "a": mine, "agency": a, "period": period, "n": len(peers["agencies"]),
        "groups_chart": groups_chart, "trend_chart": trend_chart, "trend": trend, "d26": d26, "m26": m26,
        "groups26_chart": groups26})


@login_required
def dossiers(request):
    actor = _staff(request)
    period = _period(request)
    a = Agency.objects.filter(code=request.GET.get("agency", "")).first()
    if a is None or not actor.covers(a.path):
        raise Http404
    indicator, subset = request.GET.get("indicator", ""), request.GET.get("subset", "")
    try:
        qs = drilldown.dossiers(period, a, indicator, subset)
    except DomainError:
        raise Http404 from None
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "indicators/dossiers.html", {
        "agency": a, "period": period, "indicator": indicator, "subset": subset, "page": page,
        "subset_label": SUBSET_LABELS.get(subset, subset),
        "subsets": [(s, SUBSET_LABELS.get(s, s)) for s in drilldown.choices().get(indicator, [])],
        "gateways": [(s, SUBSET_LABELS[s], d, n, amount) for s, d, n, amount in drilldown.by_gateway(period, a)]
        if drilldown.METRIC_DRILL.get(indicator, indicator) == "3.6" else []})


def public_context(request):
    """The public on-time rates (indicator 2.1) for the period and kind asked: the one definition behind both
    public pages, /chi-so/cong-khai/ and the portal's /ty-le-dung-han/."""
    period, kind = _period(request), _kind(request)
    data = compute.public_rates(period, kind)
    chart = charts.hbar([(r["name"], r["percent"]) for r in data["agencies"]], unit="%", places=1,
                        title=_("Tỷ lệ hồ sơ giải quyết đúng hạn"))
    return {"data": data, "period": period, "chart": chart, "kind": kind}


def public(request):
    return render(request, "indicators/public.html", public_context(request))


@login_required
def export(request, fmt):
    _staff(request)
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    period, kind = _period(request), _kind(request)
    rep = compute.report(period, kind=kind)
    if fmt == "pdf":
        body, ctype = exports.pdf_bytes(rep, compute.trend(period, kind=kind)), "application/pdf"
    else:
        body, ctype = exports.xlsx_bytes(rep), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="bao-cao-chi-so-{period.code}.{fmt}"'
    return resp


@login_required
def plans(request):
    actor = _staff(request)
    plan_rows = []
    for p in ReformPlan.objects.filter(actor.scope_q("agency__path")).select_related("agency").prefetch_related(
            "tasks__owner_agency"):
        plan_rows.append({"plan": p, "progress": progress(p)})
    inspections = Inspection.objects.filter(actor.scope_q("agency__path")).select_related("agency").prefetch_related(
        "findings")
    return render(request, "indicators/plans.html", {"plans": plan_rows, "inspections": inspections,
                                                     "today": date.today()})
