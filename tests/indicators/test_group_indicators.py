"""Online, digitisation, payment, satisfaction indicators; scores, targets, ranking, versioned data."""
from datetime import date
from decimal import Decimal

import pytest

from motcua.core.errors import Conflict, ValidationFailed
from motcua.dossiers import services as S
from motcua.dossiers.models import Channel
from motcua.feedback import services as F
from motcua.indicators import compute, drilldown, facts
from motcua.indicators.models import DossierFact, IndicatorDefinition, IndicatorSet, MonthlyCube, Target
from motcua.indicators.periods import parse
from tests.conftest import at
from ..conftest import attach_result

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def figures(province, period="2026-06"):
    rep = compute.report(parse(period), agencies=[province.sxd.code])
    return {i["code"]: i for i in rep["agencies"][0]["indicators"]}


def online(make, when="2026-06-01 08:00"):
    d, _ = S.intake(make.a["citizen"], {**make.data, "channel": Channel.ONLINE}, now=at(when))
    S.receive(make.a["receiver"], d.code, now=at(when))
    return d.code


def test_online_share_scores_full_at_fifty_percent_and_has_a_target_gap(province, make):
    online(make)
    make.received("2026-06-01 08:00")
    ind = figures(province)
    i = ind["3.3"]
    assert (i["numerator"], i["denominator"], i["percent"]) == (1, 2, 50.0)
    # 3.2: the one online-capable procedure had an online dossier
    assert (ind["3.2"]["numerator"], ind["3.2"]["denominator"], ind["3.2"]["percent"]) == (1, 1, 100.0)
    assert i["points"] == i["max_points"]                 # >= 50 %: full points
    assert i["target"] == 0.85 and i["gap"] == pytest.approx(-0.35)
    make.received("2026-06-01 09:00")
    make.received("2026-06-01 10:00")                    # 1 of 4 = 25 %: half the points
    assert figures(province)["3.3"]["points"] == pytest.approx(i["max_points"] / 2)
    online_codes = {d.code for d in drilldown.dossiers(parse("2026-06"), province.sxd, "3.3", "offline")}
    assert len(online_codes) == 3


def test_digitised_needs_component_and_result_files_and_e_result_a_signed_one(province, make):
    both, only_result, neither = (make.received("2026-06-01 08:00") for _ in range(3))
    S.attach(make.a["receiver"], both, kind="component", filename="don.pdf", content=PDF, digitised=True)
    for code in (both, only_result, neither):
        make.to_last_step(code, "2026-06-02 08:00")
    S.attach(make.a["clerk"], both, kind="result", filename="kq.pdf", content=PDF, signed=True)
    S.attach(make.a["clerk"], only_result, kind="result", filename="kq.pdf", content=PDF)
    for code in (both, only_result, neither):
        attach_result(make.a["clerk"], code, now=at("2026-06-02 08:00"))
        S.mark_result_ready(make.a["clerk"], code, now=at("2026-06-02 08:00"))
    ind = figures(province)
    assert (ind["4.2"]["numerator"], ind["4.2"]["denominator"]) == (1, 3)
    assert (ind["4.1"]["numerator"], ind["4.1"]["denominator"]) == (1, 3)
    assert ind["4.2"]["target"] == 1.0
    missing = {d.code for d in drilldown.dossiers(parse("2026-06"), province.sxd, "4.2", "not_digitised")}
    assert missing == {only_result, neither}


def test_online_payment_share(province, make):
    a = make.received("2026-06-01 08:00")
    b = make.received("2026-06-01 08:00")
    make.received("2026-06-01 08:00")                          # not paid: not in 3.6
    S.record_payment(make.a["receiver"], a, amount=150000, channel=2, reference="VNPAY-1")
    S.record_payment(make.a["receiver"], b, amount=150000, channel=3)
    ind = figures(province)
    assert (ind["3.6"]["numerator"], ind["3.6"]["denominator"]) == (1, 2)
    assert (ind["3.5"]["numerator"], ind["3.5"]["denominator"]) == (1, 1)   # the one fee-bearing procedure


def test_satisfaction_is_100_minus_late_and_dissatisfied(province, make):
    codes = []
    for _ in range(4):
        code = online(make)
        make.to_last_step(code, "2026-06-02 08:00")
        attach_result(make.a["clerk"], code, now=at("2026-06-02 08:00"))
        S.mark_result_ready(make.a["clerk"], code, now=at("2026-06-02 08:00"))
        S.return_result(make.a["receiver"], code, now=at("2026-06-02 09:00"), unpaid_fee_confirmed=True)
        codes.append(code)
    late = make.finished("2026-06-01 08:00", "2026-06-10 08:00")
    S.rate(make.a["citizen"], codes[0], score=1, comment="Chậm")
    S.rate(make.a["citizen"], codes[1], score=5)
    F.submit(agency_code=province.sxd.code, category="attitude", sender_name="Nguyễn Văn B",
             content="Cán bộ hướng dẫn chưa rõ", dossier_code=codes[2], now=at("2026-06-05 08:00"))
    ind = figures(province)
    # 5 dossiers: 1 late, 2 dissatisfied (rating 1, complaint) -> 100 % - (20 % + 40 %) = 40 %
    assert ind["5.4"]["percent"] == 40.0
    assert (ind["5.4"]["numerator"], ind["5.4"]["denominator"]) == (None, 5)
    assert ind["5.4"]["details"] == {"late": 1, "dissatisfied": 2}
    assert ind["5.4"]["points"] == pytest.approx(6 * 0.4 / 0.9, abs=0.01)
    bad = {d.code for d in drilldown.dossiers(parse("2026-06"), province.sxd, "5.4", "dissatisfied")}
    assert bad == {codes[0], codes[2]} and late not in bad
    # without its parameter the rule counts ratings of 2 or less as dissatisfied (the same here); with 1, only 1s
    from motcua.indicators.models import IndicatorDefinition
    IndicatorDefinition.objects.filter(code="5.4").update(params={})
    assert figures(province)["5.4"]["details"] == {"late": 1, "dissatisfied": 2}
    S.rate(make.a["citizen"], codes[3], score=2)
    assert figures(province)["5.4"]["details"] == {"late": 1, "dissatisfied": 3}
    IndicatorDefinition.objects.filter(code="5.4").update(params={"negative_max_score": 1})
    assert figures(province)["5.4"]["details"] == {"late": 1, "dissatisfied": 2}


def test_feedback_group_by_category_timeliness_and_satisfaction(province, make):
    officer, citizen = make.a["leader"], make.a["citizen"]

    def fb(when, category="delay"):
        return F.submit(agency_code=province.sxd.code, category=category, sender_name="Trần Thị C",
                        content="Hồ sơ chậm", now=at(when), owner=province.citizen)
    quick = fb("2026-06-01 08:00")
    F.process(officer, quick.pk, answer="Đã chỉ đạo xử lý", now=at("2026-06-05 08:00"))
    F.publish(officer, quick.pk, now=at("2026-06-05 09:00"))
    F.rate_handling(citizen, quick.pk, score=5)
    slow_reject = fb("2026-06-01 08:00", "fees")
    F.reject(officer, slow_reject.pk, reason="Không thuộc thẩm quyền", now=at("2026-06-05 08:00"))   # > 2 working days
    F.rate_handling(citizen, slow_reject.pk, score=2)
    fb("2026-06-02 08:00", "other")                          # never handled: 15 working days passed by 30/6
    ind = figures(province)
    assert ind["5.1"]["details"]["by_category"]["delay"] == 1 and ind["5.1"]["numerator"] == 2
    assert (ind["5.1"]["denominator"], ind["5.1"]["percent"]) == (3, 66.67)
    assert (ind["5.2"]["numerator"], ind["5.2"]["denominator"]) == (1, 3)
    assert (ind["5.3"]["numerator"], ind["5.3"]["denominator"]) == (1, 2)
    with pytest.raises(Conflict) as err:
        F.publish(officer, slow_reject.pk)
    assert err.value.code == "invalid_transition"


def test_unsupported_indicators_are_listed_not_invented(province, make):
    make.received("2026-06-01 08:00")
    rep = compute.report(parse("2026"), agencies=[province.sxd.code])
    listed = {i["code"] for i in rep["not_supported"]}
    assert {"1.1", "1.2", "4.5"} <= listed and not {"1.4", "4.3", "4.4"} & listed   # the sync, the data store
    items = {i["code"]: i for i in rep["agencies"][0]["indicators"]}
    for code in listed:
        assert items[code]["points"] is None and items[code]["supported"] is False
    # the total is normalised over the points the supported indicators can give
    agency = rep["agencies"][0]
    assert agency["available"] < 100 and agency["score_100"] == round(100 * agency["score"] / agency["available"], 2)


def test_ranking_of_departments_and_agency_target_override(province, make):
    make.finished("2026-06-01 08:00", "2026-06-02 08:00")
    Target.objects.create(agency=province.sxd, indicator="3.3", value=Decimal("0.9"), valid_from=date(2026, 1, 1))
    rep = compute.report(parse("2026-H1"))

    def ranking(rep):
        return [(r["rank"], r["code"]) for r in rep["ranking"]]
    scores = {r["code"]: r["score_100"] for r in rep["ranking"]}
    assert scores[province.sxd.code] > scores[province.stp.code]        # 48.39 against 30.77
    assert ranking(rep) == [(1, province.sxd.code), (2, province.stp.code)]
    assert {a["code"]: a["rank"] for a in rep["agencies"]} == {province.sxd.code: 1, province.stp.code: 2}
    # two late dossiers drop Sở Xây dựng below Sở Tư pháp: the order follows the score, not the code
    make.finished("2026-06-01 08:00", "2026-06-20 08:00")
    make.finished("2026-06-01 08:00", "2026-06-20 08:00")
    later = compute.report(parse("2026-H1"))
    scores = {r["code"]: r["score_100"] for r in later["ranking"]}
    assert scores[province.sxd.code] < scores[province.stp.code]
    assert ranking(later) == [(1, province.stp.code), (2, province.sxd.code)]
    sxd = next(a for a in rep["agencies"] if a["code"] == province.sxd.code)
    stp = next(a for a in rep["agencies"] if a["code"] == province.stp.code)
    assert {i["code"]: i for i in sxd["indicators"]}["3.3"]["target"] == 0.9
    assert {i["code"]: i for i in stp["indicators"]}["3.3"]["target"] == 0.85
    assert sum(g["weight"] for g in rep["groups"]) == 100


def test_definitions_are_versioned_data(province, make):
    make.received("2026-06-01 08:00")
    old = IndicatorSet.objects.get()
    new = IndicatorSet.objects.create(code="766-test-v2", name="v2", valid_from=date(2026, 7, 1))
    old.valid_to = date(2026, 7, 1)
    old.save()
    for g in old.groups.all():
        defs = list(g.indicators.all())
        g.pk, g.set = None, new
        g.save()
        for d in defs:
            d.pk, d.set, d.group = None, new, g
            if d.code == "3.3":
                d.threshold = Decimal("0.9")
            d.save()
    june = compute.report(parse("2026-06"), agencies=[province.sxd.code])
    july = compute.report(parse("2026-07"), agencies=[province.sxd.code])
    assert june["indicator_set"]["code"] == old.code and july["indicator_set"]["code"] == new.code
    t = {i["code"]: i for i in july["agencies"][0]["indicators"]}["3.3"]["threshold"]
    assert t == 0.9 and IndicatorDefinition.objects.filter(code="3.3").count() == 2


def test_periods():
    assert (parse("2026-06").ms, parse("2026-06").mt) == ((2026 - 1970) * 12 + 5, (2026 - 1970) * 12 + 6)
    assert parse("2026-Q2").first_month == 4 and parse("2026-Q2").months == 3
    assert parse("2026-H2").first_month == 7 and parse("2026").months == 12
    assert [p.code for p in parse("2026-Q1").month_periods()] == ["2026-01", "2026-02", "2026-03"]
    for bad in ("2026-13", "2026-Q5", "26", "2026-H3", ""):
        with pytest.raises(ValidationFailed):
            parse(bad)


def test_incremental_refresh_matches_a_rebuild(province, make):
    a = make.received("2026-06-01 08:00")
    compute.report(parse("2026-06"))                      # facts built incrementally
    make.supplement(a, "2026-06-02 08:00", "2026-06-03 08:00")
    make.finished("2026-05-20 08:00", "2026-06-10 08:00")
    online(make, "2026-06-15 08:00")
    S.stop(make.a["leader"], a, reason="Dừng", now=at("2026-06-20 08:00"))
    facts.refresh()
    cube = sorted(MonthlyCube.objects.values_list(*[f.name for f in MonthlyCube._meta.fields[1:]]))
    fct = sorted(DossierFact.objects.values_list())
    facts.rebuild()
    assert sorted(MonthlyCube.objects.values_list(*[f.name for f in MonthlyCube._meta.fields[1:]])) == cube
    assert sorted(DossierFact.objects.values_list()) == fct
    assert facts.refresh() == 0


def test_catalogue_completeness_counts_the_procedures_with_every_required_item(province, make):
    from motcua.catalog.models import Procedure
    Procedure.objects.filter(pk=province.proc.pk).update(requirements="Có quyền sử dụng đất hợp pháp")
    bare = Procedure.objects.create(code="9.000001", name="Thủ tục thiếu căn cứ", field=province.field,
                                    time_value=Decimal(5), result_type="Văn bản")     # no legal basis, no steps
    bare.agencies.add(province.sxd)
    i = figures(province)["1.3"]
    assert (i["numerator"], i["denominator"], i["percent"], i["points"]) == (1, 2, 50.0, 2.5)


def test_trend_gives_each_month_of_the_period_its_rates(province, make):
    online(make, "2026-06-01 08:00")
    online(make, "2026-06-02 08:00")
    rows = compute.trend(parse("2026-Q2"), agency=province.sxd.code)
    assert [r["period"] for r in rows] == ["2026-04", "2026-05", "2026-06"]
    april, _may, june = rows
    assert [r["label"] for r in rows] == ["Tháng 4/2026", "Tháng 5/2026", "Tháng 6/2026"]
    assert (april["received"], april["population"], april["on_time"], april["online"], april["online_pct"],
            april["on_time_pct"], april["digitised_pct"]) == (0, 0, None, None, None, None, None)
    assert (june["received"], june["population"], june["online"], june["online_pct"]) == (2, 2, 1.0, 100.0)
    assert june["on_time_pct"] == round(100 * june["on_time"], 2) and june["digitised"] is None
    assert compute.trend(parse("2026-06"), kind="department")[0]["received"] == 2


def test_a_set_without_the_timeliness_rule_for_feedback_still_reports(province, make):
    """An indicator set edited to leave out 5.2 (and 5.3): feedback is still counted with the defaults."""
    from motcua.indicators.models import IndicatorDefinition
    IndicatorDefinition.objects.filter(code__in=["5.2", "5.3"]).delete()
    F.submit(agency_code=province.sxd.code, category="delay", sender_name="Trần Thị C", content="Hồ sơ chậm",
             now=at("2026-06-01 08:00"), owner=province.citizen)
    ind = figures(province)
    assert "5.2" not in ind and (ind["5.1"]["numerator"], ind["5.1"]["denominator"]) == (0, 1)
