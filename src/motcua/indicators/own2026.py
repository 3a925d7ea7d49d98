"""Motcua's own data scored with the national portal's 2026 set (dvcqg-2026).

Every metric whose data Motcua holds is counted from the database with the same sums as the Decision 766
report (the facts cube for dossiers, the procedure catalogue, the PAKN feedback rows, the delivery state of
the DVCQG sync), then scored by the pure function `dvcqg2026.score_unit`, so the points follow the portal's
published rules exactly. A metric Motcua does not hold is "not held" with the reason, and gives no points
(`available` is the sum of the held metrics' maximum points).

A metric whose denominator is 0 in the period (no dossier, no petition...) has no ratio to show: it is
"no data" on the pages (never drawn as 100%); its points are still the portal's rule for an empty
denominator.
"""
from types import SimpleNamespace

from django.db.models import Q

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import compute, dvcqg2026, facts
from .periods import previous

GROUP_NAMES = {
    "CKMB": gettext_lazy("Công khai, minh bạch"),
    "TDGQ": gettext_lazy("Tiến độ giải quyết"),
    "ONLINE": gettext_lazy("Dịch vụ công trực tuyến"),
    "TTTT": gettext_lazy("Thanh toán trực tuyến"),
    "MDSH": gettext_lazy("Mức độ số hóa hồ sơ"),
    "MDHL": gettext_lazy("Mức độ hài lòng"),
}

# metric -> formula of compute._values (with its parameters), or one of this module's own
CATALOGUE_COMPLETE = ["legal_basis", "result_type", "requirements", "components", "steps", "time_value"]
FORMULAS = {
    "PUBLIC_CONTENT_FULL": ("catalog_complete", {"require": CATALOGUE_COMPLETE}),
    "DOSSIER_SYNC": ("dossier_sync", {}),
    "TDGQ": ("on_time", {}),
    "ONLINE_SERVICE_PROVIDED": ("online_procedures", {}),
    "ONLINE_SERVICE_WITH_DOSSIER": ("online_used", {}),
    "ONLINE_DOSSIER": ("online_dossiers", {}),
    "ONLINE_PAYMENT_DOSSIER": ("online_payments", {}),
    "ONLINE_PAYMENT_FORMALITY": ("online_payment_procedures", {}),
    "ONLINE_PAYMENT_FEE_DOSSIER": ("fee_procedures_with_dossiers", {}),
    "ORIGINAL_RESULT_AVAILABLE": ("e_results", {}),
    "SO_HOA_GIAY_TO_GIAI_QUYET": ("digitised", {}),
    "DOSSIER_RECEIVING_SATISFACTION": ("satisfaction", {"negative_max_score": 2}),
    "PETITION_PROCESSING_ON_TIME": ("feedback_timely", {}),
    "PETITION_HANDLING_SATISFACTION": ("feedback_satisfaction", {}),
    "PETITION_CLASSIFICATION_TTHC": ("feedback_category", {"categories": ["procedure"]}),
    "PETITION_CLASSIFICATION_STAFF": ("feedback_category", {"categories": ["attitude"]}),
    "CITIZEN_DATA_CONNECTED_DOSSIER": ("citizen_data", {}),
    # from the data store's records (motcua.datastore.figures)
    "REUSED_DIGITIZED_DATA": ("store", {}),
    "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": ("store", {}),
    "ELECTRONIC_CERTIFIED_COPY": ("store", {}),
}

NOT_HELD = {
    "PUBLISH_ON_TIME": gettext_lazy("Ngày công bố thủ tục (quyết định công bố của Chủ tịch UBND tỉnh) không được "
                                    "lưu trong Motcua; Cổng DVCQG tính từ Cơ sở dữ liệu quốc gia về TTHC."),
    "PUBLIC_UPDATE_ON_TIME": gettext_lazy("Thời điểm cập nhật thủ tục lên Cơ sở dữ liệu quốc gia về TTHC không "
                                          "được lưu trong Motcua."),
    "CITIZEN_DATA_CONNECTED_FORMALITY": gettext_lazy("Danh mục thủ tục không ghi thủ tục nào đã kết nối, chia sẻ "
                                                     "dữ liệu với Cơ sở dữ liệu quốc gia về dân cư."),
}

# metric -> (drill-down indicator, subset that costs the agency points), see drilldown.METRIC_DRILL
DRILL = {
    "DOSSIER_SYNC": "not_synced", "TDGQ": "late", "ONLINE_DOSSIER": "offline",
    "ONLINE_PAYMENT_DOSSIER": "paid_offline", "ORIGINAL_RESULT_AVAILABLE": "missing",
    "SO_HOA_GIAY_TO_GIAI_QUYET": "not_digitised", "DOSSIER_RECEIVING_SATISFACTION": "dissatisfied",
    "REUSED_DIGITIZED_DATA": "not_reused", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": "not_connected",
    "ELECTRONIC_CERTIFIED_COPY": "not_certified",
}

assert set(FORMULAS) | set(NOT_HELD) == set(dvcqg2026.RULES) and not set(FORMULAS) & set(NOT_HELD)


def _definitions():
    return {code: SimpleNamespace(formula=f, params=p) for code, (f, p) in FORMULAS.items()}


def counts(period, agency_list):
    """{agency id: {metric: {"numerator", "denominator"}}} of the held metrics, from the database."""
    ids = [a.pk for a in agency_list]
    cube = compute._cube_sums(period, ids)
    catalogue = compute._catalogue(ids)
    fb = compute._feedback(period, ids, {})
    from motcua.integrations import figures
    sync = figures.counts(period.start, period.end, ids)
    citizen = citizen_data_counts(period, ids)
    from motcua.datastore import figures as store_figures
    store = store_figures.counts(period.start, period.end, ids)
    defs = _definitions()
    out = {}
    for agency in agency_list:
        per_proc = {pid: v for (aid, pid), v in cube.items() if aid == agency.pk}
        tot = {k: sum(v[k] for v in per_proc.values()) for k in compute.DOSSIER_SUMS}
        procs = catalogue.get(agency.pk, {})
        values = compute._values(tot, per_proc, procs, fb[agency.pk], defs, sync.get(agency.pk, (0, 0)))
        metrics = {}
        for code, (formula, params) in FORMULAS.items():
            if formula == "citizen_data":
                num, den = citizen.get(agency.pk, (0, 0))
            elif formula == "store":
                num, den = store[agency.pk][code]
            elif formula == "fee_procedures_with_dossiers":
                fee = [pid for pid, p in procs.items() if (p["fee"] or 0) > 0]
                num, den = sum(1 for pid in fee if per_proc.get(pid, {}).get("recv", 0) > 0), len(fee)
            elif formula == "feedback_category":
                f = fb[agency.pk]
                num, den = sum(f["by_category"].get(c, 0) for c in params["categories"]), f["received"]
            elif formula == "satisfaction":
                v = values[code]
                den = v["den"]
                num = max(0, den - v["details"]["late"] - v["details"]["dissatisfied"])
            else:
                num, den = values[code]["num"], values[code]["den"]
            metrics[code] = {"numerator": int(num), "denominator": int(den)}
        out[agency.pk] = metrics
    return out


def citizen_data_counts(period, agency_ids):
    """CITIZEN_DATA_CONNECTED_DOSSIER, "dossiers that use population data": of the dossiers received in the
    period, those filed from an account whose identity the national identity provider verified for the very
    ID number the dossier names (the same rule as TaiKhoanDuocXacThucVoiVNeID in the DVCQG sync).
    {agency id: (numerator, denominator)}."""
    from django.db.models import Count, Exists, OuterRef

    from motcua.citizens.models import Profile
    from motcua.dossiers.models import Dossier
    verified = Profile.objects.filter(user_id=OuterRef("owner_id"), id_number=OuterRef("applicant_id_number"),
                                      verified_at__isnull=False).exclude(id_number="")
    rows = (Dossier.objects.filter(agency_id__in=agency_ids, received_at__gte=period.start,
                                   received_at__lt=period.end)
            .annotate(v=Exists(verified)).order_by().values("agency_id")
            .annotate(den=Count("pk"), num=Count("pk", filter=Q(v=True))))
    return {r["agency_id"]: (r["num"], r["den"]) for r in rows}


def _num(x):
    return None if x is None else float(x)


def report(period, *, kind=None, agencies=None, refresh=True):
    """Every agency of `kind` (or the given codes) scored with dvcqg-2026 for `period`, ranked, with the
    change since the previous period of the same kind."""
    if refresh:
        facts.refresh()
    agency_list = compute._select_agencies(kind, agencies)
    prev = previous(period)
    now_counts, prev_counts = counts(period, agency_list), counts(prev, agency_list)
    available_groups = {g: sum(r.max_points for c, r in dvcqg2026.RULES.items() if r.group == g and c in FORMULAS)
                        for g in dvcqg2026.GROUPS}
    rows = []
    for agency in agency_list:
        scored = dvcqg2026.score_unit(now_counts[agency.pk])
        before = dvcqg2026.score_unit(prev_counts[agency.pk])
        metrics = {}
        for code, rule in dvcqg2026.RULES.items():
            s = scored["metrics"][code]
            c = now_counts[agency.pk].get(code)
            held = c is not None
            no_data = held and c["denominator"] == 0
            metrics[code] = {
                "code": code, "name": rule.name, "group": rule.group, "held": held,
                "numerator": c["numerator"] if held else None, "denominator": c["denominator"] if held else None,
                "ratio": None if not held or no_data else s["ratio"], "no_data": no_data,
                "points": s["points"], "max_points": rule.max_points, "threshold": rule.threshold,
                "previous_points": before["metrics"][code]["points"],
                "drill": DRILL.get(code) if held else None,
                "reason": None if held else str(NOT_HELD[code]),
            }
        groups = {}
        for g, weight in dvcqg2026.GROUPS.items():
            now_g, prev_g = scored["groups"][g], before["groups"][g]
            groups[g] = {"code": g, "name": str(GROUP_NAMES[g]), "max": weight, "available": available_groups[g],
                         "points": _num(now_g), "previous": _num(prev_g),
                         "change": round(float(now_g) - float(prev_g), 2)}
        total, prev_total = _num(scored["total"]), _num(before["total"])
        rows.append({"code": agency.code, "name": agency.name, "id": agency.pk, "kind": agency.kind,
                     "total": total, "available": sum(available_groups.values()),
                     "previous_total": prev_total, "change": round(total - prev_total, 2),
                     "groups": groups, "metrics": metrics})
    ranked = sorted(rows, key=lambda r: (-r["total"], r["code"]))
    prev_ranked = sorted(rows, key=lambda r: (-r["previous_total"], r["code"]))
    prev_rank = {r["code"]: n for n, r in enumerate(prev_ranked, start=1)}
    for n, r in enumerate(ranked, start=1):
        r["rank"], r["previous_rank"] = n, prev_rank[r["code"]]
    return {
        "set": dvcqg2026.SET_CODE,
        "period": period.as_dict(), "previous_period": prev.as_dict(),
        "groups": [{"code": g, "name": str(GROUP_NAMES[g]), "max": w, "available": available_groups[g]}
                   for g, w in dvcqg2026.GROUPS.items()],
        "not_held": [{"code": c, "name": dvcqg2026.RULES[c].name, "group": dvcqg2026.RULES[c].group,
                      "reason": str(r)} for c, r in NOT_HELD.items()],
        "agencies": ranked,
        "ranking": [{"rank": r["rank"], "previous_rank": r["previous_rank"], "code": r["code"], "name": r["name"],
                     "total": r["total"], "previous_total": r["previous_total"], "change": r["change"]}
                    for r in ranked],
        "note": _("Điểm theo cách chấm của Cổng Dịch vụ công quốc gia (bộ dvcqg-2026) trên dữ liệu của Motcua; "
                  "chỉ tiêu Motcua không có dữ liệu không được tính điểm."),
    }
