"""The outbox: written in the act's transaction, delivered in order, retried with back-off, dead-lettered,
resent; a missing mapping waits in 'cannot map' until an administrator maps and replays."""
import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.integrations import delivery
from motcua.integrations.models import MessageState, OutboxMessage, ProcedureMapping

from ..conftest import at
from .conftest import drain, states

S = MessageState


def _intake(actors, intake_data, when="2026-06-01 08:00"):
    d, _r = services.intake(actors["receiver"], intake_data, now=at(when))
    return d


def test_act_writes_message_and_job_in_its_transaction(dvcqg, actors, intake_data):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with transaction.atomic():
            _intake(actors, intake_data)
            assert OutboxMessage.objects.count() == 1 and DBTaskResult.objects.count() == 1
            raise Boom
    # rolled back: nothing to send, no job
    assert OutboxMessage.objects.count() == 0 and DBTaskResult.objects.count() == 0
    d = _intake(actors, intake_data)
    m = OutboxMessage.objects.get()
    assert (m.dossier_id, m.seq, m.status, m.state) == (d.pk, 2, 2, S.PENDING)   # submit + receive, status 2
    job = DBTaskResult.objects.get()
    assert job.task_path == "motcua.integrations.tasks.deliver_dossier"
    assert job.args_kwargs["args"] == ["dvcqg", d.pk]


def test_every_act_is_delivered_in_order_with_real_status_codes(dvcqg, actors, intake_data):
    d = _intake(actors, intake_data)
    services.request_supplement(actors["receiver"], d.code, reason="Thiếu bản vẽ", components=["Bản vẽ"],
                                now=at("2026-06-01 09:00"))
    services.supplement_received(actors["receiver"], d.code, now=at("2026-06-02 09:00"))
    services.forward(actors["receiver"], d.code, now=at("2026-06-02 10:00"))
    services.request_financial(actors["specialist"], d.code, reason="Nộp thuế", now=at("2026-06-02 11:00"))
    services.financial_fulfilled(actors["receiver"], d.code, now=at("2026-06-02 14:00"))
    services.stop(actors["leader"], d.code, reason="Dừng theo yêu cầu", now=at("2026-06-03 08:00"))
    drain()
    assert all(s == S.DELIVERED for _seq, s in states(d))
    remote = dvcqg.state.dossiers[d.code]
    # the real codes, in order: 5, 6 and 8 are never folded into 9
    assert remote["statuses"] == ["2", "5", "2", "4", "6", "4", "8"]
    progress = remote["progress"]
    assert [p["TrangThai"] for p in progress] == ["1", "2", "5", "2", "4", "6", "4", "8"]
    assert all(len(p["ThoiDiemXuLy"]) == 14 for p in progress)
    assert progress[0]["ThoiDiemXuLy"] == "20260601080000"    # local time, yyyyMMddHHmmss
    assert dvcqg.state.duplicates == 0
    item = remote["item"]
    assert item["NgayTiepNhan"] == "20260601080000" and item["KenhThucHien"] == "1"
    assert item["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": "001203004567"}]
    assert item["DuocThanhToanTrucTuyen"] == "3" and item["HoSoCoThanhPhanSoHoa"] == "0"


def test_receiver_down_then_back_retries_and_keeps_order(settings, dvcqg, actors, intake_data):
    settings.MOTCUA_DELIVERY = {**settings.MOTCUA_DELIVERY, "backoff_base": 60, "backoff_cap": 60}
    d = _intake(actors, intake_data)
    dvcqg.mode("down")
    services.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    from motcua.integrations.worker import run_jobs
    run_jobs()
    first, second = OutboxMessage.objects.order_by("seq")
    assert first.state == S.RETRYING and first.attempts == 1
    assert first.next_attempt_at > first.created_at
    assert "connection" in first.last_error or "ngắt" in first.last_error
    assert second.state == S.PENDING     # N+1 waits for N
    dvcqg.mode("ok")
    drain()
    assert states(d) == [(2, S.DELIVERED), (3, S.DELIVERED)]
    assert dvcqg.state.dossiers[d.code]["statuses"] == ["2", "4"]


def test_max_attempts_then_dead_with_last_error_and_resend(dvcqg, actors, intake_data):
    d = _intake(actors, intake_data)
    services.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    dvcqg.mode("500")
    drain()
    first, second = OutboxMessage.objects.order_by("seq")
    assert first.state == S.DEAD and first.attempts == 4
    assert "HTTP 500" in first.last_error
    assert second.state == S.PENDING and second.attempts == 0     # never sent before N
    assert d.code not in dvcqg.state.dossiers
    dvcqg.mode("ok")
    assert delivery.resend(OutboxMessage.objects.filter(state=S.DEAD)) == 1
    drain()
    assert states(d) == [(2, S.DELIVERED), (3, S.DELIVERED)]


def test_backoff_is_exponential_capped_and_jittered(settings):
    settings.MOTCUA_DELIVERY = {"backoff_base": 2.0, "backoff_cap": 300.0}
    assert delivery.backoff(1, rnd=lambda: 0) == 1.0 and delivery.backoff(1, rnd=lambda: 1) == 2.0
    assert delivery.backoff(4, rnd=lambda: 0) == 8.0 and delivery.backoff(4, rnd=lambda: 1) == 16.0
    assert delivery.backoff(30, rnd=lambda: 1) == 300.0 and delivery.backoff(30, rnd=lambda: 0) == 150.0


def test_missing_mapping_waits_as_cannot_map_then_replays(dvcqg, province, actors, intake_data):
    ProcedureMapping.objects.filter(procedure=province.proc).delete()
    d = _intake(actors, intake_data)
    services.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    drain()
    first, second = OutboxMessage.objects.order_by("seq")
    assert first.state == S.CANNOT_MAP and "1.009974" in first.last_error and "procedure_not_mapped" in first.last_error
    assert second.state == S.PENDING
    ProcedureMapping.objects.create(procedure=province.proc, remote_code="1.009974.000.00.00.H13")
    assert delivery.resend(OutboxMessage.objects.filter(state=S.CANNOT_MAP)) == 1
    drain()
    assert states(d) == [(2, S.DELIVERED), (3, S.DELIVERED)]


def test_invalid_payload_is_dead_at_once_with_the_receivers_reason(dvcqg, actors, intake_data):
    d = _intake(actors, intake_data)
    Dossier.objects.filter(pk=d.pk).update(applicant_name="")    # ChuHoSo is required by DVCQG
    drain()
    m = OutboxMessage.objects.get()
    assert m.state == S.DEAD and m.attempts == 1
    assert "ChuHoSo" in m.last_error and "required" in m.last_error
