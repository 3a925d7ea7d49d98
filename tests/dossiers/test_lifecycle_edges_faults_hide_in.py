"""The edges of the lifecycle where a small fault would go unnoticed: a claim that lost a race, a result
returned before it exists, an extended appointment overwritten on resume, an extension to the same
moment, a rating of 0, an officer acting on a step that is not theirs. Each test fails if that fault is
put into dossiers/services.py (see bench/mutation/README.md)."""
from datetime import datetime

import pytest

from motcua.core.errors import Conflict, NotAllowed, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Rating, Status

from ..conftest import at


def _fresh(d):
    return Dossier.objects.get(pk=d.pk)


def _processing(actors, intake_data):
    """Received Monday 2026-06-01 08:00 (3 working days: due Thu 06-04 08:00), at the specialist's step."""
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 08:30"))
    return _fresh(d)


def test_a_claim_that_lost_the_race_gets_409_and_moves_nothing(province, actors, intake_data):
    """On SQLite the two officers cannot really run at once, so the race is forced: officer A has read the
    dossier and passed every check; officer B's act lands before A claims it. A's claim must fail."""
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    seen = _fresh(d)                                   # what officer A read
    act = services.Act(actors["receiver"], seen, "refuse", at("2026-06-01 09:00"))
    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 08:30"))   # officer B
    with pytest.raises(Conflict) as err:
        act.claim()
    assert err.value.code == "stale_version" and err.value.status_code == 409
    assert err.value.details == {"version": d.version}
    after = _fresh(d)
    assert after.version == d.version + 1              # B's bump only: A's claim wrote nothing
    assert after.status == Status.PROCESSING and after.history.count() == 3
    assert seen.version == d.version                   # A's copy was not advanced either


def test_a_won_claim_advances_the_version_by_one(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    act = services.Act(actors["receiver"], _fresh(d), "forward", at("2026-06-01 09:00"))
    act.claim()
    assert act.dossier.version == d.version + 1 == _fresh(d).version


def test_result_cannot_be_returned_while_processing(province, actors, intake_data):
    d = _processing(actors, intake_data)
    for actor in (actors["receiver"], actors["clerk"]):
        with pytest.raises(Conflict) as err:
            services.return_result(actor, d.code, version=d.version, now=at("2026-06-01 10:00"))
        assert err.value.code == "invalid_transition"
        assert err.value.details["allowed_from"] == [Status.FINISHED]
    after = _fresh(d)
    assert after.status == Status.PROCESSING and after.returned_at is None and after.version == d.version
    assert "return_result" not in services.allowed_actions(actors["receiver"], after)


def test_resuming_after_a_pause_keeps_an_extended_appointment(province, actors, intake_data):
    """The leader promised a new appointment (Form 4). A pause that later moves the statutory due past it
    must not silently replace the promise: only a new extension changes an extended appointment."""
    d = _processing(actors, intake_data)
    services.extend(actors["leader"], d.code, reason="Cần xác minh thực địa", new_appointment=at("2026-06-05 17:00"),
                    version=d.version, now=at("2026-06-02 09:00"))
    d = _fresh(d)
    services.request_supplement(actors["specialist"], d.code, reason="Thiếu bản vẽ", components=["Bản vẽ"],
                                version=d.version, now=at("2026-06-02 10:00"))
    d = _fresh(d)
    services.supplement_received(actors["receiver"], d.code, version=d.version, now=at("2026-06-08 10:00"))
    d = _fresh(d)
    assert d.due_at == at("2026-06-10 08:00")          # 4 working days paused
    assert d.appointment_at == at("2026-06-05 17:00")  # the promise stands


def test_resuming_without_extension_moves_the_appointment_with_the_due(province, actors, intake_data):
    d = _processing(actors, intake_data)
    services.request_supplement(actors["specialist"], d.code, reason="Thiếu bản vẽ", components=["Bản vẽ"],
                                version=d.version, now=at("2026-06-02 10:00"))
    d = _fresh(d)
    services.supplement_received(actors["receiver"], d.code, version=d.version, now=at("2026-06-08 10:00"))
    d = _fresh(d)
    assert d.appointment_at == d.due_at == at("2026-06-10 08:00")


def test_extension_to_the_current_appointment_is_refused(province, actors, intake_data):
    d = _processing(actors, intake_data)
    assert d.appointment_at == at("2026-06-04 08:00")
    with pytest.raises(ValidationFailed) as err:
        services.extend(actors["leader"], d.code, reason="Cần xác minh", new_appointment=at("2026-06-04 08:00"),
                        version=d.version, now=at("2026-06-02 09:00"))
    assert err.value.code == "appointment_not_later"
    assert datetime.fromisoformat(err.value.details["current"]) == at("2026-06-04 08:00")
    assert not d.extensions.exists() and _fresh(d).version == d.version
    # one minute later is later
    services.extend(actors["leader"], d.code, reason="Cần xác minh", new_appointment=at("2026-06-04 08:01"),
                    version=d.version, now=at("2026-06-02 09:00"))
    assert _fresh(d).appointment_at == at("2026-06-04 08:01")


def _returned_online(actors, intake_data):
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=2), now=at("2026-06-01 08:00"))
    Dossier.objects.filter(pk=d.pk).update(status=Status.RETURNED)
    return _fresh(d)


@pytest.mark.parametrize("score", [0, -1, 6])
def test_rating_outside_1_to_5_is_refused(province, actors, intake_data, score):
    d = _returned_online(actors, intake_data)
    with pytest.raises(ValidationFailed) as err:
        services.rate(actors["citizen"], d.code, score=score, version=d.version)
    assert err.value.code == "invalid_score"
    assert not Rating.objects.filter(dossier=d).exists()


@pytest.mark.parametrize("score", [1, 5])
def test_rating_at_the_ends_of_the_scale_is_accepted(province, actors, intake_data, score):
    d = _returned_online(actors, intake_data)
    assert services.rate(actors["citizen"], d.code, score=score, version=d.version).score == score


def test_receiving_officer_cannot_forward_from_the_specialists_step(province, actors, intake_data):
    """The receiving officer forwards from the intake step; once the dossier is at the specialist's step,
    only the specialist (or a head/leader above the step) moves it on."""
    d = _processing(actors, intake_data)
    assert d.current_role == "specialist"
    with pytest.raises(NotAllowed) as err:
        services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    assert err.value.code == "role_required"
    assert "receiving_officer" not in err.value.details["roles"]
    after = _fresh(d)
    assert after.current_step == 2 and after.version == d.version and after.history.count() == 3
    assert "forward" not in services.allowed_actions(actors["receiver"], after)
    assert "forward" in services.allowed_actions(actors["specialist"], after)
