"""Decision 766 report: every indicator of the set in force, per agency, for a period; group and total
scores; ranking; targets and gaps.

Dossier indicators are conditional sums over MonthlyCube (one grouped query for all agencies), catalogue
indicators read the procedure catalogue (its current state), feedback indicators read the PAKN rows of the
period. The formulas are named by IndicatorDefinition.formula; their parameters, points and thresholds are
data (see migrations/0002_decision_766_v1.py).
"""
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from motcua.agencies.calendar import calendar_for
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalog.models import Fee, Procedure
from motcua.core.errors import NotFound

from . import facts
from .models import IndicatorDefinition, IndicatorSet, MonthlyCube, Target
from .periods import open_due_cut, overdue_this_month

DOSSIER_SUMS = ("pop", "on_time", "recv", "recv_online", "paid", "paid_online", "processed", "digitised",
                "e_result", "sum_minutes", "sum_statutory", "neg1", "neg2", "neg3", "late_open")


def indicator_set_for(period):
    s = (IndicatorSet.objects.filter(valid_from__lte=period.start_date)
         .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=period.start_date)).order_by("-valid_from").first())
    if s is None:
        raise NotFound(_("Chưa có bộ chỉ số áp dụng cho kỳ %(p)s.") % {"p": period.code}, code="no_indicator_set")
    return s


def _cube_sums(period, agency_ids=None):
    """{(agency_id, procedure_id): {name: int}} for the period, in one grouped query."""
    ms, mt = period.ms, period.mt
    cut, month_start, as_of = open_due_cut(period)
    t = MonthlyCube._meta.db_table
    # withdrawn: left out of the period of withdrawal (and later ones), the open dossier it was before
    timely = f"NOT (end_kind = 3 AND end_month < {mt})"
    on_time = (f"{timely} AND ((end_month < {mt} AND NOT ended_late) OR "
               f"(end_month >= {mt} AND forced_month >= {mt} AND due_month >= {cut}))")
    late_open = f"{timely} AND end_month >= {mt} AND (forced_month < {mt} OR due_month < {cut})"
    recv = f"recv_month >= {ms}"
    processed = f"end_kind = 1 AND end_month >= {ms} AND end_month < {mt}"

    def s(cond, col="n"):
        return f"SUM(CASE WHEN {cond} THEN {col} ELSE 0 END)"

    cols = [s(timely), s(on_time), s(recv), s(recv, "n_online"), s(recv, "n_paid"), s(recv, "n_paid_online"),
            s(processed), s(processed, "n_digitised"), s(processed, "n_e_result"), s(processed, "sum_minutes"),
            s(processed, "sum_statutory"), s(timely, "n_neg1"), s(timely, "n_neg2"), s(timely, "n_neg3"),
            s(late_open)]
    where = f"recv_month < {mt} AND end_month >= {ms}"
    params = []
    if agency_ids is not None:
        where += f" AND agency_id IN ({', '.join(['%s'] * len(agency_ids))})"
        params = list(agency_ids)
    sql = f"SELECT agency_id, procedure_id, {', '.join(cols)} FROM {t} WHERE {where} GROUP BY agency_id, procedure_id"
    out = {}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for row in cur.fetchall():
            out[(row[0], row[1])] = dict(zip(DOSSIER_SUMS, (int(v or 0) for v in row[2:])))
    if month_start is not None:   # period in progress: dossiers overdue since the 1st of this month
        overdue = overdue_this_month(month_start, as_of)
        if agency_ids is not None:
            overdue = overdue.filter(agency_id__in=list(agency_ids))
        for agency_id, procedure_id, n in (overdue.values("agency_id", "procedure_id")
                                           .annotate(n=Count("id")).values_list("agency_id", "procedure_id", "n")):
            sums = out.get((agency_id, procedure_id))
            if sums:
                moved = min(n, sums["on_time"])
                sums["on_time"] -= moved
                sums["late_open"] += moved
    return out


def _catalogue(agency_ids):
    """{agency_id: [procedure info]} for the active procedures each agency is competent for."""
    procs = (Procedure.objects.filter(is_active=True, agencies__in=agency_ids)
             .annotate(n_components=Count("components", distinct=True), n_steps=Count("steps", distinct=True))
             .values("id", "code", "name", "online_level", "legal_basis", "result_type", "requirements", "time_value",
                     "n_components", "n_steps", "agencies"))
    fees = dict(Fee.objects.values("procedure").annotate(total=Sum("amount")).values_list("procedure", "total"))
    out = defaultdict(dict)
    for p in procs:
        if p["agencies"] in agency_ids:
            p["fee"] = fees.get(p["id"], 0)
            out[p["agencies"]][p["id"]] = p
    return out


def _ratio(num, den):
    return None if not den else num / den


def _points(value, max_points, threshold):
    if value is None:
        return None
    threshold = float(threshold) or 1.0
    return round(float(max_points) * min(1.0, max(0.0, value) / threshold), 2)


def _feedback(period, agency_ids, definitions):
    """{agency_id: {...}} for PAKN received in the period."""
    from motcua.feedback.models import Category, Feedback, FeedbackStatus

    p52 = definitions["5.2"].params if "5.2" in definitions else {}
    satisfied_from = (definitions["5.3"].params if "5.3" in definitions else {}).get("satisfied_from", 4)
    out = {a: {"received": 0, "handled": 0, "timely": 0, "rated": 0, "satisfied": 0,
               "by_category": {c: 0 for c in Category.values}} for a in agency_ids}
    rows = Feedback.objects.filter(agency_id__in=agency_ids, received_at__gte=period.start,
                                   received_at__lt=period.end).select_related("agency")
    from django.utils import timezone
    as_of = min(period.end, timezone.now())
    for fb in rows:
        o = out[fb.agency_id]
        o["received"] += 1
        o["by_category"][fb.category] = o["by_category"].get(fb.category, 0) + 1
        cal = calendar_for(fb.agency)
        day = cal.office_hours.minutes_per_day

        def within(a, b, days):
            return cal.working_minutes_between(a, b) <= days * day

        handled = fb.status not in (FeedbackStatus.RECEIVED, FeedbackStatus.SUPPLEMENT_REQUESTED)
        o["handled"] += handled
        clock = fb.supplement_received_at or fb.received_at
        ok = True
        if fb.supplement_requested_at:
            ok &= within(fb.received_at, fb.supplement_requested_at, p52.get("supplement_days", 5))
        if fb.rejected_at:
            ok &= within(clock, fb.rejected_at, p52.get("rejected_days", 2))
        elif fb.processed_at:
            ok &= within(clock, fb.processed_at, p52.get("processed_days", 15))
            if fb.published_at:
                ok &= within(fb.processed_at, fb.published_at, p52.get("published_days", 2))
            elif as_of > fb.processed_at:
                ok &= within(fb.processed_at, as_of, p52.get("published_days", 2))
        elif fb.status == FeedbackStatus.RECEIVED:
            ok &= within(clock, as_of, p52.get("processed_days", 15))
        elif fb.status == FeedbackStatus.SUPPLEMENT_REQUESTED:
            pass  # waiting for the sender: the clock stands still
        o["timely"] += ok
        if fb.satisfaction:
            o["rated"] += 1
            o["satisfied"] += fb.satisfaction >= satisfied_from
    return out


def _targets(period, agency_ids):
    """{(agency_id or None, indicator): Decimal} valid at the period start; agency rows override None."""
    out = {}
    rows = (Target.objects.filter(valid_from__lte=period.start_date)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=period.start_date))
            .filter(Q(agency__isnull=True) | Q(agency_id__in=agency_ids)).order_by("valid_from"))
    for t in rows:
        out[(t.agency_id, t.indicator)] = t.value
    return out


def _select_agencies(kind=None, codes=None):
    qs = Agency.objects.filter(is_active=True)
    if codes:
        qs = qs.filter(code__in=codes)
        found = set(qs.values_list("code", flat=True))
        missing = [c for c in codes if c not in found]
        if missing:
            raise NotFound(_("Không có cơ quan mã %(code)s.") % {"code": ", ".join(missing)}, code="unknown_agency")
    else:
        qs = qs.filter(kind=kind or AgencyKind.DEPARTMENT)
    return list(qs.order_by("code"))


def report(period, *, kind=None, agencies=None, refresh=True):
    """The full report. `agencies`: codes (default: every agency of `kind`, departments by default)."""
    if refresh:
        facts.refresh()
    iset = indicator_set_for(period)
    definitions = {d.code: d for d in IndicatorDefinition.objects.filter(set=iset).select_related("group")}
    groups = list(iset.groups.order_by("order"))
    agency_list = _select_agencies(kind, agencies)
    ids = [a.pk for a in agency_list]
    cube = _cube_sums(period, ids)
    catalogue = _catalogue(ids)
    fb = _feedback(period, ids, definitions)
    targets = _targets(period, ids)
    sync = {}
    if any(d.formula == "dossier_sync" for d in definitions.values()):
        from motcua.integrations import figures
        sync = figures.counts(period.start, period.end, ids)
    store = {}
    if any(d.formula == "store" for d in definitions.values()):
        from motcua.datastore import figures as store_figures
        store = store_figures.counts(period.start, period.end, ids)
    result = []
    for agency in agency_list:
        per_proc = {pid: v for (aid, pid), v in cube.items() if aid == agency.pk}
        tot = {k: sum(v[k] for v in per_proc.values()) for k in DOSSIER_SUMS}
        procs = catalogue.get(agency.pk, {})
        values = _values(tot, per_proc, procs, fb[agency.pk], definitions, sync.get(agency.pk, (0, 0)),
                         store.get(agency.pk, {}))
        items = []
        for code, d in sorted(definitions.items(), key=lambda kv: kv[1].order):
            v = values.get(code, {})
            value = v.get("value")
            pts = None if d.support == "none" else _points(value, d.max_points, d.threshold)
            target = targets.get((agency.pk, code), targets.get((None, code)))
            items.append({
                "code": code, "name": d.name, "group": d.group.code, "support": d.support,
                "supported": d.support != "none", "note": d.note, "formula": d.formula,
                "numerator": v.get("num"), "denominator": v.get("den"),
                "value": None if value is None else round(value, 4),
                "percent": None if value is None else round(100 * value, 2),
                "max_points": float(d.max_points), "threshold": float(d.threshold), "points": pts,
                "target": None if target is None else float(target),
                "gap": None if target is None or value is None else round(value - float(target), 4),
                "details": v.get("details"),
            })
        gsum = []
        earned = available = 0.0
        for g in groups:
            its = [i for i in items if i["group"] == g.code]
            got = [i["points"] for i in its if i["points"] is not None]
            avail = sum(i["max_points"] for i in its if i["points"] is not None)
            gsum.append({"code": g.code, "name": g.name, "weight": float(g.weight), "points": round(sum(got), 2),
                         "available": avail})
            earned += sum(got)
            available += avail
        result.append({
            "code": agency.code, "name": agency.name, "symbol": agency.symbol, "kind": agency.kind, "id": agency.pk,
            "groups": gsum, "indicators": items, "score": round(earned, 2), "available": round(available, 2),
            "score_100": round(100 * earned / available, 2) if available else None,
            "dossiers": {"population": tot["pop"], "received": tot["recv"], "processed": tot["processed"]},
        })
    ranked = sorted(result, key=lambda r: (-(r["score_100"] or 0), r["code"]))
    for n, r in enumerate(ranked, start=1):
        r["rank"] = n
    return {
        "period": period.as_dict(),
        "indicator_set": {"code": iset.code, "name": iset.name, "legal_basis": iset.legal_basis,
                          "valid_from": iset.valid_from.isoformat()},
        "groups": [{"code": g.code, "name": g.name, "weight": float(g.weight)} for g in groups],
        "not_supported": [{"code": d.code, "name": d.name, "reason": d.note}
                          for d in sorted(definitions.values(), key=lambda d: d.order) if d.support == "none"],
        "agencies": result,
        "ranking": [{"rank": r["rank"], "code": r["code"], "name": r["name"], "score_100": r["score_100"],
                     "score": r["score"], "available": r["available"]} for r in ranked],
    }


def _values(tot, per_proc, procs, fb, definitions, sync=(0, 0), store=None):
    """{indicator code: {"num", "den", "value", "details"}} for one agency, by formula name."""
    out = {}
    for code, d in definitions.items():
        f, params = d.formula, d.params or {}
        if f == "store":            # from the data store's records (motcua.datastore.figures)
            num, den = (store or {}).get(params.get("metric", ""), (0, 0))
            out[code] = {"num": num, "den": den, "value": _ratio(num, den)}
        elif f == "dossier_sync":     # from the real delivery state (motcua.integrations.figures)
            out[code] = {"num": sync[0], "den": sync[1], "value": _ratio(sync[0], sync[1]),
                         "details": {"not_synced": sync[1] - sync[0]}}
        elif f == "on_time":
            out[code] = {"num": tot["on_time"], "den": tot["pop"], "value": _ratio(tot["on_time"], tot["pop"]),
                         "details": {"late": tot["pop"] - tot["on_time"], "late_open": tot["late_open"]}}
        elif f == "avg_time":
            rows, ok = [], 0
            # a procedure that has left the agency's list since: still counted, named from the catalogue
            gone = {p["id"]: p for p in Procedure.objects.filter(pk__in=set(per_proc) - set(procs))
                    .values("id", "code", "name")}
            for pid, v in per_proc.items():
                if v["processed"]:
                    avg, stat = v["sum_minutes"] / v["processed"], v["sum_statutory"] / v["processed"]
                    good = avg <= stat
                    ok += good
                    p = procs.get(pid) or gone[pid]
                    rows.append({"procedure": p["code"], "name": p["name"],
                                 "processed": v["processed"], "avg_working_hours": round(avg / 60, 2),
                                 "statutory_hours": round(stat / 60, 2), "within": good})
            rows.sort(key=lambda r: str(r["procedure"]))
            out[code] = {"num": ok, "den": len(rows), "value": _ratio(ok, len(rows)), "details": {"procedures": rows}}
        elif f == "catalog_complete":
            need = params.get("require", [])
            good = sum(1 for p in procs.values() if all(_has(p, k) for k in need))
            out[code] = {"num": good, "den": len(procs), "value": _ratio(good, len(procs))}
        elif f == "online_procedures":
            levels = params.get("levels", ["full", "partial"])
            good = sum(1 for p in procs.values() if p["online_level"] in levels)
            out[code] = {"num": good, "den": len(procs), "value": _ratio(good, len(procs))}
        elif f == "online_used":
            levels = params.get("levels", ["full", "partial"])
            online = [pid for pid, p in procs.items() if p["online_level"] in levels]
            used = sum(1 for pid in online if per_proc.get(pid, {}).get("recv_online", 0) > 0)
            out[code] = {"num": used, "den": len(online), "value": _ratio(used, len(online))}
        elif f == "online_dossiers":
            out[code] = {"num": tot["recv_online"], "den": tot["recv"], "value": _ratio(tot["recv_online"], tot["recv"])}
        elif f == "online_payment_procedures":
            fee = [pid for pid, p in procs.items() if (p["fee"] or 0) > 0]
            used = sum(1 for pid in fee if per_proc.get(pid, {}).get("paid_online", 0) > 0)
            out[code] = {"num": used, "den": len(fee), "value": _ratio(used, len(fee))}
        elif f == "online_payments":
            out[code] = {"num": tot["paid_online"], "den": tot["paid"], "value": _ratio(tot["paid_online"], tot["paid"])}
        elif f == "e_results":
            out[code] = {"num": tot["e_result"], "den": tot["processed"],
                         "value": _ratio(tot["e_result"], tot["processed"])}
        elif f == "digitised":
            out[code] = {"num": tot["digitised"], "den": tot["processed"],
                         "value": _ratio(tot["digitised"], tot["processed"])}
        elif f == "feedback_handled":
            out[code] = {"num": fb["handled"], "den": fb["received"], "value": _ratio(fb["handled"], fb["received"]),
                         "details": {"by_category": fb["by_category"]}}
        elif f == "feedback_timely":
            out[code] = {"num": fb["timely"], "den": fb["received"], "value": _ratio(fb["timely"], fb["received"])}
        elif f == "feedback_satisfaction":
            out[code] = {"num": fb["satisfied"], "den": fb["rated"], "value": _ratio(fb["satisfied"], fb["rated"])}
        elif f == "satisfaction":
            k = min(3, max(1, int(params.get("negative_max_score", 2))))
            neg, pop = tot[f"neg{k}"], tot["pop"]
            late = pop - tot["on_time"]
            value = None if not pop else max(0.0, 1 - (late / pop + neg / pop))
            out[code] = {"num": None, "den": pop, "value": value,
                         "details": {"late": late, "dissatisfied": neg}}
    return out


def _has(p, key):
    if key == "components":
        return p["n_components"] > 0
    if key == "steps":
        return p["n_steps"] > 0
    if key == "time_value":
        return (p["time_value"] or Decimal(0)) > 0
    return bool((p.get(key) or "").strip())


def trend(period, *, agency=None, kind=None):
    """Month by month on-time rate, online rate and digitised rate of the period (one agency or all)."""
    facts.refresh()
    codes = [agency] if agency else None
    agency_list = _select_agencies(kind, codes)
    ids = [a.pk for a in agency_list]
    out = []
    for m in period.month_periods():
        cube = _cube_sums(m, ids)
        tot = {k: sum(v[k] for v in cube.values()) for k in DOSSIER_SUMS}
        row = {"period": m.code, "label": str(m.label), "received": tot["recv"], "population": tot["pop"],
               "on_time": _ratio(tot["on_time"], tot["pop"]), "online": _ratio(tot["recv_online"], tot["recv"]),
               "digitised": _ratio(tot["digitised"], tot["processed"])}
        for k in ("on_time", "online", "digitised"):
            row[f"{k}_pct"] = None if row[k] is None else round(100 * row[k], 2)
        out.append(row)
    return out


def public_rates(period, kind=None):
    """The public on-time rates: indicator 2.1 per agency (one definition for every public page)."""
    rep = report(period, kind=kind)
    rows = []
    for a in rep["agencies"]:
        i = next(x for x in a["indicators"] if x["code"] == "2.1")
        late = None if i["denominator"] is None else i["denominator"] - i["numerator"]
        rows.append({"code": a["code"], "name": a["name"], "dossiers": i["denominator"], "on_time": i["numerator"],
                     "late": late, "percent": i["percent"]})
    rows.sort(key=lambda r: (-(r["percent"] if r["percent"] is not None else -1), r["name"]))
    return {"period": rep["period"], "agencies": rows}
