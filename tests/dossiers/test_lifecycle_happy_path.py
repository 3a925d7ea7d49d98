"""A counter dossier goes through every step to the returned result; every act is in the history."""
from motcua.dossiers import history, services
from motcua.dossiers.models import Channel, Dossier, Status

from ..conftest import at
from ..conftest import attach_result


def test_counter_intake_to_returned_result(province, actors, intake_data):
    d, replayed = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    assert not replayed
    assert d.status == Status.RECEIVED
    assert d.channel == Channel.IN_PERSON
    assert d.code == "000.00.17.H13-260601-0001"
    # 3 working days from Monday 08:00 -> Thursday 08:00
    assert d.clock_start == at("2026-06-01 08:00")
    assert d.due_at == at("2026-06-04 08:00")
    assert d.appointment_at == d.due_at
    assert d.lookup_secret == "5678"
    assert [s.order for s in d.steps.all()] == [1, 2, 3]
    assert d.current_step == 1

    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.current_step == 2
    services.forward(actors["specialist"], d.code, version=d.version, now=at("2026-06-02 10:00"))
    d.refresh_from_db()
    services.approve(actors["leader"], d.code, version=d.version, now=at("2026-06-03 09:00"))
    d.refresh_from_db()
    attach_result(actors["clerk"], d.code, now=at("2026-06-03 10:00"))
    d.refresh_from_db()
    services.mark_result_ready(actors["clerk"], d.code, version=d.version, now=at("2026-06-03 10:00"))
    d.refresh_from_db()
    assert d.status == Status.FINISHED and d.timing == "early"
    services.return_result(actors["receiver"], d.code, version=d.version, now=at("2026-06-04 08:30"),
                           unpaid_fee_confirmed=True)
    d.refresh_from_db()
    assert d.status == Status.RETURNED

    steps = {s.order: s for s in d.steps.all()}
    assert steps[1].timing == "on_time" and steps[1].handled_by_name == "tiepnhan"
    assert steps[2].timing == "on_time"   # 12 working hours from 06-01 09:00 -> 06-02 13:00+... finished 10:00
    assert steps[3].finished_at == at("2026-06-03 09:00")

    actions = list(d.history.order_by("seq").values_list("action", "status_before", "status_after"))
    assert actions == [
        ("submit", None, 1), ("receive", 1, 2), ("forward", 2, 4), ("forward", 4, 4), ("approve", 4, 4),
        ("attach_result", 4, 4), ("mark_result_ready", 4, 9), ("return_result", 9, 10)]
    assert history.verify_chain(d) == []
    assert Dossier.objects.get(pk=d.pk).version == 7   # intake (submit + receive) is one act; the result file one more
