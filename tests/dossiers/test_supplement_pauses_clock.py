"""A supplement request pauses the clock; receipt of the supplement resumes it with the paused working
time added. A 'restart' procedure starts counting from zero again. An extension moves the appointment,
never the statutory due, so a late dossier stays late."""
from motcua.catalog.models import PausePolicy
from motcua.dossiers import services
from motcua.dossiers.models import Status

from ..conftest import at
from ..conftest import attach_result


def _processing(actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))  # Monday
    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 08:30"))
    d.refresh_from_db()
    return d


def test_paused_working_time_is_added_to_the_due(province, actors, intake_data):
    d = _processing(actors, intake_data)
    assert d.due_at == at("2026-06-04 08:00")
    services.request_supplement(actors["specialist"], d.code, reason="Thiếu bản vẽ mặt bằng",
                                components=["Bản vẽ mặt bằng"], version=d.version, now=at("2026-06-02 10:00"))
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED and d.paused_since == at("2026-06-02 10:00")
    assert d.supplement_requests == 1
    # The citizen comes back the next Monday: 4 working days paused (Tue 10:00 -> Mon 10:00).
    services.supplement_received(actors["receiver"], d.code, version=d.version, now=at("2026-06-08 10:00"))
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.paused_since is None
    assert d.due_at == at("2026-06-10 08:00")
    assert d.appointment_at == d.due_at
    pause = d.pauses.get()
    assert (pause.started_at, pause.ended_at, pause.components) == (
        at("2026-06-02 10:00"), at("2026-06-08 10:00"), ["Bản vẽ mặt bằng"])
    # the current step's own due moved too (12 working hours from Mon 08:30 = Tue 14:00, + 4 days paused)
    assert d.steps.get(order=2).due_at == at("2026-06-08 14:00")


def test_restart_policy_counts_from_zero_after_supplement(province, actors, intake_data):
    province.proc.pause_policy = PausePolicy.RESTART
    province.proc.save()
    d = _processing(actors, intake_data)
    services.request_supplement(actors["specialist"], d.code, reason="Thiếu", components=["Đơn"],
                                version=d.version, now=at("2026-06-03 10:00"))
    d.refresh_from_db()
    services.supplement_received(actors["receiver"], d.code, version=d.version, now=at("2026-06-05 14:00"))
    d.refresh_from_db()
    assert d.clock_start == at("2026-06-05 14:00")
    assert d.due_at == at("2026-06-10 14:00")


def test_supplement_before_receipt_does_not_count_and_returns_to_new(province, actors, intake_data):
    data = dict(intake_data, channel=2)
    d, _ = services.intake(actors["citizen"], data, now=at("2026-06-01 08:00"))
    assert d.status == Status.NEW and d.due_at is None
    services.request_supplement(actors["receiver"], d.code, reason="Ảnh chụp mờ", components=["Đơn"],
                                version=d.version, now=at("2026-06-01 09:00"))
    d.refresh_from_db()
    assert d.supplement_requests == 0
    services.supplement_received(actors["receiver"], d.code, version=d.version, now=at("2026-06-02 09:00"))
    d.refresh_from_db()
    assert d.status == Status.NEW and d.due_at is None


def test_extension_moves_appointment_not_due_and_late_stays_late(province, actors, intake_data):
    d = _processing(actors, intake_data)
    services.extend(actors["leader"], d.code, reason="Cần xác minh thực địa", new_appointment=at("2026-06-10 17:00"),
                    version=d.version, now=at("2026-06-03 16:00"))
    d.refresh_from_db()
    assert d.appointment_at == at("2026-06-10 17:00")
    assert d.due_at == at("2026-06-04 08:00")
    ext = d.extensions.get()
    assert ext.previous_appointment == at("2026-06-04 08:00") and ext.reason == "Cần xác minh thực địa"
    services.forward(actors["specialist"], d.code, version=d.version, now=at("2026-06-08 09:00"))
    d.refresh_from_db()
    services.approve(actors["leader"], d.code, version=d.version, now=at("2026-06-09 09:00"))
    d.refresh_from_db()
    attach_result(actors["clerk"], d.code, now=at("2026-06-09 10:00"))
    d.refresh_from_db()
    services.mark_result_ready(actors["clerk"], d.code, version=d.version, now=at("2026-06-09 10:00"))
    d.refresh_from_db()
    assert d.timing == "late"
    # the specialist's step (12 h from Mon 08:30 -> Tue 14:00) finished the next Monday: late on its own
    assert d.steps.get(order=2).timing == "late"


def test_extension_must_move_the_appointment_later(province, actors, intake_data):
    import pytest
    from motcua.core.errors import ValidationFailed
    d = _processing(actors, intake_data)
    with pytest.raises(ValidationFailed) as err:
        services.extend(actors["leader"], d.code, reason="x", new_appointment=at("2026-06-03 17:00"),
                        version=d.version, now=at("2026-06-02 16:00"))
    assert err.value.code == "appointment_not_later"


def test_cutoff_hour_moves_the_start_to_the_next_working_day(province, actors, intake_data):
    from datetime import time
    province.proc.cutoff = time(15, 0)
    province.proc.save()
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-05 15:10"))  # Friday
    assert d.clock_start == at("2026-06-08 07:30")
    assert d.due_at == at("2026-06-10 17:00")   # 3 working days, boundary = end of the earlier day
    d2, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-05 14:50"))
    assert d2.clock_start == at("2026-06-05 14:50")


def test_received_on_a_holiday_starts_after_it(province, actors, intake_data):
    # 2026-09-01/02 National Day (Tue, Wed)
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-09-01 09:00"))
    assert d.clock_start == at("2026-09-03 07:30")
    assert d.due_at == at("2026-09-07 17:00")
