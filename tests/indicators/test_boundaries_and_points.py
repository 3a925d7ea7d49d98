"""Indicator rules at their exact boundaries (a value equal to the limit is within it) and points capped
at the indicator's maximum above its threshold. Each test pairs the boundary with one minute / one step
past it, so both `<=` turned into `<` and a boundary moved the other way are caught."""
import pytest

from motcua.dossiers import services as S
from motcua.dossiers.models import Channel, Dossier
from motcua.feedback import services as F
from motcua.indicators import compute
from motcua.indicators.periods import parse
from tests.conftest import at


def figures(province, period="2026-06"):
    rep = compute.report(parse(period), agencies=[province.sxd.code])
    return {i["code"]: i for i in rep["agencies"][0]["indicators"]}, rep["agencies"][0]


@pytest.mark.parametrize("finished, within", [("2026-06-04 08:00", True), ("2026-06-04 08:01", False)])
def test_finished_exactly_at_the_due_moment_is_on_time_and_within_the_average(province, make, finished, within):
    # 3 working days from Mon 06-01 08:00: due Thu 06-04 08:00
    code = make.finished("2026-06-01 08:00", finished)
    assert Dossier.objects.get(code=code).timing == ("on_time" if within else "late")
    ind, _ = figures(province)
    assert (ind["2.1"]["numerator"], ind["2.1"]["denominator"]) == ((1 if within else 0), 1)
    assert ind["2.1"]["details"] == {"late": 0 if within else 1, "late_open": 0}
    rows = ind["2.2"]["details"]["procedures"]
    assert [(r["avg_working_hours"], r["statutory_hours"]) for r in rows] == [(24.0 if within else 24.02, 24.0)]
    assert (ind["2.2"]["numerator"], ind["2.2"]["denominator"]) == ((1 if within else 0), 1)


@pytest.mark.parametrize("rejected, timely", [("2026-06-03 08:00", True), ("2026-06-03 08:01", False)])
def test_feedback_rejected_exactly_two_working_days_later_is_timely(province, make, rejected, timely):
    fb = F.submit(agency_code=province.sxd.code, category="delay", sender_name="Trần Thị C", content="Hồ sơ chậm",
                  now=at("2026-06-01 08:00"), owner=province.citizen)
    F.reject(make.a["leader"], fb.pk, reason="Không thuộc thẩm quyền", now=at(rejected))
    ind, _ = figures(province)
    assert (ind["5.2"]["numerator"], ind["5.2"]["denominator"]) == ((1 if timely else 0), 1)


@pytest.mark.parametrize("score, satisfied", [(4, 1), (3, 0)])
def test_feedback_rated_exactly_satisfied_from_counts_as_satisfied(province, make, score, satisfied):
    fb = F.submit(agency_code=province.sxd.code, category="delay", sender_name="Trần Thị C", content="Hồ sơ chậm",
                  now=at("2026-06-01 08:00"), owner=province.citizen)
    F.process(make.a["leader"], fb.pk, answer="Đã chỉ đạo xử lý", now=at("2026-06-02 08:00"))
    F.rate_handling(make.a["citizen"], fb.pk, score=score)
    ind, _ = figures(province)
    assert (ind["5.3"]["numerator"], ind["5.3"]["denominator"]) == (satisfied, 1)


def test_points_are_capped_at_the_maximum_above_the_threshold(province, make):
    for when in ("2026-06-01 08:00", "2026-06-01 09:00"):
        d, _ = S.intake(make.a["citizen"], {**make.data, "channel": Channel.ONLINE}, now=at(when))
        S.receive(make.a["receiver"], d.code, now=at(when))
    ind, agency = figures(province)
    i = ind["3.3"]
    assert i["percent"] == 100.0 and i["threshold"] == 0.5      # twice the threshold
    assert i["points"] == i["max_points"] == 4.0                 # not 8
    for item in ind.values():
        if item["points"] is not None:
            assert 0 <= item["points"] <= item["max_points"], item["code"]
    assert agency["score"] <= agency["available"] and agency["score_100"] <= 100


def test_a_procedure_taken_off_the_agencys_list_still_counts_in_the_average_time(province, make):
    """Dossiers processed in the period count even when the procedure has since left the agency's list."""
    make.finished("2026-06-01 08:00", "2026-06-03 08:00")
    province.proc.agencies.remove(province.sxd)
    ind, _ = figures(province)
    rows = ind["2.2"]["details"]["procedures"]
    assert [(r["procedure"], r["name"], r["processed"], r["within"]) for r in rows] == [
        ("1.009974", "Cấp giấy phép xây dựng", 1, True)]
    assert (ind["2.2"]["numerator"], ind["2.2"]["denominator"]) == (1, 1)


def test_a_report_names_its_period_and_refuses_unknown_agencies(province, make):
    from motcua.core.errors import NotFound
    rep = compute.report(parse("2026-Q2"), agencies=[province.sxd.code])
    assert [n["code"] for n in rep["not_supported"]] == ["1.1", "1.2", "4.5"]
    assert rep["not_supported"][0] == {
        "code": "1.1", "name": "Công bố, công khai thủ tục hành chính đúng hạn",
        "reason": "Dữ liệu hệ thống chưa hỗ trợ: hệ thống không lưu quyết định công bố thủ tục và thời hạn công bố."}
    assert rep["period"] == {"code": "2026-Q2", "kind": "quarter", "label": "Quý 2/2026", "start": "2026-04-01",
                             "end": "2026-07-01"}   # exclusive
    with pytest.raises(NotFound) as err:
        compute.report(parse("2026-06"), agencies=[province.sxd.code, "999.99.99.H13", "X"])
    assert (err.value.code, err.value.message) == ("unknown_agency", "Không có cơ quan mã 999.99.99.H13, X.")
