"""2.1 on-time rate: each edge rule of Decision 766 on hand-built dossiers.

Procedure 1.009974 takes 3 working days; received Monday 2026-06-01 08:00 it is due Thursday 2026-06-04 08:00.
"""
from motcua.dossiers import services as S
from motcua.indicators import compute, drilldown
from motcua.indicators.periods import parse
from tests.conftest import at
from ..conftest import attach_result


def figures(province, period="2026-06"):
    rep = compute.report(parse(period), agencies=[province.sxd.code])
    (agency,) = rep["agencies"]
    return {i["code"]: i for i in agency["indicators"]}, agency


def late_codes(province, period="2026-06"):
    return {d.code for d in drilldown.dossiers(parse(period), province.sxd, "2.1", "late")}


def test_finished_before_due_is_on_time_after_is_late(province, make):
    on_time = make.finished("2026-06-01 08:00", "2026-06-03 10:00")
    late = make.finished("2026-06-01 08:00", "2026-06-05 10:00")
    ind, _ = figures(province)
    assert (ind["2.1"]["numerator"], ind["2.1"]["denominator"]) == (1, 2)
    assert late_codes(province) == {late}
    assert on_time not in late_codes(province)


def test_supplement_waiting_time_is_subtracted(province, make):
    code = make.received("2026-06-01 08:00")
    make.supplement(code, "2026-06-02 08:00", "2026-06-08 08:00")   # four working days waiting
    make.to_last_step(code, "2026-06-09 10:00")
    attach_result(make.a["clerk"], code, now=at("2026-06-09 10:00"))
    S.mark_result_ready(make.a["clerk"], code, now=at("2026-06-09 10:00"))
    ind, _ = figures(province)
    assert (ind["2.1"]["numerator"], ind["2.1"]["denominator"]) == (1, 1)
    # 2.2: processing time excludes the pause: Mon 08:00-Tue 08:00 (8 h) + Mon 08:00-Tue 10:00 (10 h) = 18 h
    (row,) = ind["2.2"]["details"]["procedures"]
    assert row["avg_working_hours"] == 18.0 and row["within"] is True


def test_more_than_one_supplement_request_is_late_even_when_early(province, make):
    once = make.received("2026-06-01 08:00")
    make.supplement(once, "2026-06-01 09:00", "2026-06-01 10:00")
    twice = make.received("2026-06-01 08:00")
    make.supplement(twice, "2026-06-01 09:00", "2026-06-01 10:00")
    make.supplement(twice, "2026-06-01 13:00", "2026-06-01 14:00")
    for code in (once, twice):
        make.to_last_step(code, "2026-06-02 08:00")
        attach_result(make.a["clerk"], code, now=at("2026-06-02 08:00"))
        S.mark_result_ready(make.a["clerk"], code, now=at("2026-06-02 08:00"))
    assert late_codes(province) == {twice}
    # and while still open, too
    open_twice = make.received("2026-06-29 08:00")
    make.supplement(open_twice, "2026-06-29 09:00", "2026-06-29 10:00")
    make.supplement(open_twice, "2026-06-29 13:00", "2026-06-29 14:00")
    assert late_codes(province) == {twice, open_twice}


def test_end_is_the_first_of_processed_returned_stopped(province, make):
    # processed on time, result handed over a week after the due: on time (the end is "processed")
    code = make.finished("2026-06-01 08:00", "2026-06-03 10:00")
    S.return_result(make.a["receiver"], code, now=at("2026-06-12 10:00"), unpaid_fee_confirmed=True)
    # stopped before the due: ended on time; stopped after: late
    stopped_early = make.received("2026-06-01 08:00")
    S.stop(make.a["leader"], stopped_early, reason="Có tranh chấp", now=at("2026-06-02 09:00"))
    stopped_late = make.received("2026-06-01 08:00")
    S.stop(make.a["leader"], stopped_late, reason="Có tranh chấp", now=at("2026-06-10 09:00"))
    # refused after receipt, before the due
    refused = make.received("2026-06-01 08:00")
    S.refuse(make.a["specialist"], refused, reason="Không đủ điều kiện", now=at("2026-06-02 09:00"))
    ind, _ = figures(province)
    assert (ind["2.1"]["numerator"], ind["2.1"]["denominator"]) == (3, 4)
    assert late_codes(province) == {stopped_late}


def test_open_dossiers_within_deadline_at_period_end_are_on_time(province, make):
    within = make.received("2026-06-30 08:00")       # due 2026-07-03: open at the end of June, not yet due
    overdue = make.received("2026-06-01 08:00")      # due 2026-06-04, still open at the end of June
    ind, _ = figures(province)
    assert (ind["2.1"]["numerator"], ind["2.1"]["denominator"]) == (1, 2)
    assert late_codes(province) == {overdue}
    # the dossier finished late in July was open and within deadline at the end of June: June counts it on time
    make.to_last_step(within, "2026-07-08 10:00")
    attach_result(make.a["clerk"], within, now=at("2026-07-08 10:00"))
    S.mark_result_ready(make.a["clerk"], within, now=at("2026-07-08 10:00"))
    assert late_codes(province, "2026-06") == {overdue}
    assert late_codes(province, "2026-07") == {overdue, within}


def test_paused_before_due_is_not_overdue_while_waiting(province, make):
    code = make.received("2026-06-01 08:00")
    S.request_supplement(make.a["receiver"], code, reason="Thiếu", components=["Bản vẽ"], now=at("2026-06-02 08:00"))
    assert late_codes(province) == set()


def test_extension_does_not_make_a_late_dossier_on_time(province, make):
    code = make.received("2026-06-01 08:00")
    S.extend(make.a["leader"], code, reason="Cần xác minh thực địa", new_appointment=at("2026-06-15 17:00"),
             now=at("2026-06-04 10:00"))
    make.to_last_step(code, "2026-06-10 10:00")
    attach_result(make.a["clerk"], code, now=at("2026-06-10 10:00"))
    S.mark_result_ready(make.a["clerk"], code, now=at("2026-06-10 10:00"))   # before the new appointment
    assert late_codes(province) == {code}


def test_carried_over_dossier_counts_in_the_period_it_is_processed(province, make):
    carried = make.finished("2026-05-28 08:00", "2026-06-01 15:00")   # due 06-02 08:00
    ind, _ = figures(province, "2026-06")
    assert ind["2.1"]["denominator"] == 1 and ind["2.1"]["numerator"] == 1
    ind, _ = figures(province, "2026-Q2")
    assert ind["2.1"]["denominator"] == 1
    ind, _ = figures(province, "2026-07")
    assert ind["2.1"]["denominator"] == 0 and ind["2.1"]["value"] is None
    # and it is that dossier that June counts (not just any one)
    in_june = {d.code for d in drilldown.dossiers(parse("2026-06"), province.sxd, "2.1", "on_time")}
    assert in_june == {carried}


def test_withdrawn_dossiers_are_left_out(province, make):
    code = make.received("2026-06-01 08:00")
    S.withdraw(make.a["receiver"], code, reason="Công dân rút hồ sơ", now=at("2026-06-10 08:00"))
    ind, _ = figures(province)
    assert ind["2.1"]["denominator"] == 0
    assert ind["3.3"]["denominator"] == 1          # it was still received in June


def test_period_in_progress_judges_open_dossiers_as_of_now(province, make, monkeypatch):
    """In the current period an open dossier is late only once its due moment has passed *now*; one due
    later this period is still within deadline (not late just because the period ends after its due)."""
    from django.utils import timezone
    overdue_this_month = make.received("2026-06-01 08:00")   # due 06-04, still open on 06-20
    overdue_before = make.received("2026-05-04 08:00")       # due 05-07
    within = make.received("2026-06-19 08:00")               # due 06-24, after "now"
    monkeypatch.setattr(timezone, "now", lambda: at("2026-06-20 12:00"))
    for period in ("2026", "2026-H1", "2026-Q2", "2026-06"):
        ind, _ = figures(province, period)
        assert (ind["2.1"]["numerator"], ind["2.1"]["denominator"]) == (1, 3), period
        assert late_codes(province, period) == {overdue_this_month, overdue_before}, period
    assert within not in late_codes(province, "2026")


def _june(province):
    ind, _ = figures(province, "2026-06")
    return (ind["2.1"]["numerator"], ind["2.1"]["denominator"]), late_codes(province, "2026-06")


def test_a_closed_period_never_changes_after_a_second_supplement_request(province, make):
    """Defect 2: a second supplement request in July must not make a dossier that was open and within its
    deadline at the end of June late in June (only from July on)."""
    code = make.received("2026-06-29 08:00")                    # due 2026-07-02 08:00: open, in time on 06-30
    make.supplement(code, "2026-06-29 09:00", "2026-06-29 10:00")   # first request, in June
    before = _june(province)
    assert before == ((1, 1), set())
    make.supplement(code, "2026-07-01 09:00", "2026-07-01 10:00")   # second request, in July
    assert _june(province) == before
    assert late_codes(province, "2026-07") == {code}
    # finished later (in July): June still unchanged, July late
    make.to_last_step(code, "2026-07-01 11:00")
    attach_result(make.a["clerk"], code, now=at("2026-07-01 11:00"))
    S.mark_result_ready(make.a["clerk"], code, now=at("2026-07-01 11:00"))
    assert _june(province) == before
    assert late_codes(province, "2026-07") == {code}
    assert late_codes(province, "2026-Q3") == {code}


def test_a_withdrawal_after_the_period_does_not_change_it(province, make):
    """Withdrawn in July: June counts it as the open dossier it was (late there if it was overdue)."""
    within = make.received("2026-06-29 08:00")       # due 07-02, open and in time at the end of June
    overdue = make.received("2026-06-01 08:00")      # due 06-04, open and late at the end of June
    before = _june(province)
    assert before == ((1, 2), {overdue})
    for code in (within, overdue):
        S.withdraw(make.a["receiver"], code, reason="Công dân rút hồ sơ", now=at("2026-07-06 08:00"))
    assert _june(province) == before
    ind, _ = figures(province, "2026-07")
    assert ind["2.1"]["denominator"] == 0          # left out of the period in which they were withdrawn
