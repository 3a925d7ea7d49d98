"""Rules settled for 2.1 (DOMAIN.md), in the lifecycle itself:
- a dossier stopped or withdrawn while waiting for the applicant: the wait ends then and is not counted;
- the "restart" policy restarts the clock only for a supplement asked before the due."""
import pytest

from motcua.catalog.models import PausePolicy
from motcua.dossiers import services
from motcua.dossiers.models import Dossier

from ..conftest import at


def _received(actors, intake_data, when="2026-06-01 08:00"):
    d, _ = services.intake(actors["receiver"], intake_data, now=at(when))
    return Dossier.objects.get(pk=d.pk)


@pytest.mark.parametrize("close", ["stop", "withdraw"])
def test_a_wait_ended_by_stop_or_withdrawal_moves_the_due(province, actors, intake_data, close):
    d = _received(actors, intake_data)
    due = d.due_at                                           # 3 working days from Mon 1 June 08:00
    services.request_supplement(actors["receiver"], d.code, reason="Thiếu bản vẽ", components=["Bản vẽ"],
                                now=at("2026-06-02 08:00"))
    actor = actors["leader"] if close == "stop" else actors["receiver"]
    getattr(services, close)(actor, d.code, reason="Lý do", now=at("2026-06-04 08:00"))
    d.refresh_from_db()
    # two working days waited (Tue 08:00 to Thu 08:00) are not counted: the due moves by them
    assert d.due_at > due and d.closed_at < d.due_at
    assert d.pauses.get().ended_at == at("2026-06-04 08:00")


def test_stop_without_a_wait_keeps_the_due(province, actors, intake_data):
    d = _received(actors, intake_data)
    due = d.due_at
    services.stop(actors["leader"], d.code, reason="Lý do", now=at("2026-06-02 08:00"))
    d.refresh_from_db()
    assert d.due_at == due


def _restart_policy(province):
    province.proc.pause_policy = PausePolicy.RESTART
    province.proc.save()


def test_restart_for_a_supplement_asked_before_the_due(province, actors, intake_data):
    _restart_policy(province)
    d = _received(actors, intake_data)
    services.request_supplement(actors["receiver"], d.code, reason="Thiếu", components=["Bản vẽ"],
                                now=at("2026-06-02 08:00"))
    services.supplement_received(actors["receiver"], d.code, now=at("2026-06-10 08:00"))
    d.refresh_from_db()
    assert d.clock_start == at("2026-06-10 08:00") and d.due_at > at("2026-06-12 08:00")


def test_a_supplement_asked_after_the_due_does_not_rescue_a_late_dossier(province, actors, intake_data):
    _restart_policy(province)
    d = _received(actors, intake_data)
    due = d.due_at
    services.request_supplement(actors["receiver"], d.code, reason="Thiếu", components=["Bản vẽ"],
                                now=at("2026-06-08 08:00"))        # after the due: already late
    services.supplement_received(actors["receiver"], d.code, now=at("2026-06-10 08:00"))
    d.refresh_from_db()
    assert d.clock_start == at("2026-06-01 08:00")          # no restart
    assert d.due_at < at("2026-06-10 08:00")                 # still overdue when the supplement came back
    assert d.due_at == due                                   # a wait after the due adds nothing
