"""Acts notify the applicant by e-mail through a real local SMTP server (aiosmtpd), via the delivery
outbox; bounces are dead at once, an unreachable server is retried then dead, resend delivers; a failed
notification never blocks or rolls back the act."""
from email import message_from_bytes, policy

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, HistoryEvent, Status
from motcua.feedback import services as F
from motcua.integrations import delivery
from motcua.integrations.models import MessageState, OutboxMessage
from motcua.integrations.notifications import events
from motcua.integrations.notifications.models import Notification, Outcome, SendLog

from ..conftest import at
from ..integrations.conftest import drain
from ..conftest import attach_result


def mails(smtp):
    return [message_from_bytes(e.original_content, policy=policy.default) for e in smtp.messages]


def subject(mail):
    return " ".join(str(mail["Subject"]).split())


def text_of(mail):
    return mail.get_body(("plain",)).get_content()


def intake(actors, data, email="an.nguyen@example.vn", when="2026-06-01 08:00"):
    d, _r = services.intake(actors["receiver"], {**data, "applicant_email": email}, now=at(when))
    return d


def test_receipt_email_with_appointment_arrives_over_smtp(peers, actors, intake_data):
    d = intake(actors, intake_data)
    assert Notification.objects.filter(dossier=d, event="received", channel="email").count() == 1
    assert OutboxMessage.objects.filter(integration="notify_email").count() == 1
    assert not peers.smtp.messages          # sent by the background job, not inside the act
    drain()
    [mail] = mails(peers.smtp)
    assert mail["To"] == "an.nguyen@example.vn"
    assert subject(mail) == f"Hồ sơ {d.code} đã được tiếp nhận"
    body = text_of(mail)
    d.refresh_from_db()
    assert events.when(d.appointment_at) in body and "Cấp giấy phép xây dựng" in body
    assert f"https://dvc.example.vn/tra-cuu/?code={d.code}" in body
    assert "<p>" in mail.get_body(("html",)).get_content()
    [entry] = SendLog.objects.all()
    assert (entry.outcome, entry.recipient_masked, entry.dossier_code) == (Outcome.SENT, "a***@example.vn", d.code)
    assert OutboxMessage.objects.get(integration="notify_email").state == MessageState.DELIVERED


def test_every_event_a_citizen_cares_about(peers, actors, intake_data, province):
    d = intake(actors, intake_data)
    services.request_supplement(actors["receiver"], d.code, reason="Thiếu chữ ký", components=["Bản vẽ thiết kế"],
                                now=at("2026-06-01 09:00"))
    services.supplement_received(actors["receiver"], d.code, now=at("2026-06-01 10:00"))
    services.forward(actors["receiver"], d.code, now=at("2026-06-01 10:30"))
    services.request_financial(actors["specialist"], d.code, reason="Lệ phí cấp phép", amount=150000,
                               now=at("2026-06-01 11:00"))
    services.financial_fulfilled(actors["receiver"], d.code, now=at("2026-06-01 14:00"))
    services.extend(actors["leader"], d.code, reason="Cần xác minh thực địa",
                    new_appointment=at("2026-06-20 17:00"), now=at("2026-06-02 08:00"))
    services.forward(actors["specialist"], d.code, now=at("2026-06-02 09:00"))
    services.approve(actors["leader"], d.code, now=at("2026-06-02 10:00"))
    attach_result(actors["clerk"], d.code, now=at("2026-06-02 11:00"))
    services.mark_result_ready(actors["clerk"], d.code, now=at("2026-06-02 11:00"))
    services.return_result(actors["receiver"], d.code, now=at("2026-06-02 15:00"), unpaid_fee_confirmed=True)
    fb = F.submit(agency_code=province.sxd.code, category="delay", sender_name="Nguyễn Văn An", content="Chậm",
                  sender_contact="an.nguyen@example.vn", dossier_code=d.code, now=at("2026-06-03 08:00"))
    F.process(actors["leader"], fb.pk, answer="Đã đôn đốc, xin lỗi Ông", now=at("2026-06-04 08:00"))
    drain()
    got = [n.event for n in Notification.objects.order_by("pk")]
    assert got == ["received", "supplement_requested", "financial_obligation", "apology", "result_ready",
                   "result_returned", "feedback_answered"]
    bodies = {subject(m): text_of(m) for m in mails(peers.smtp)}
    assert len(bodies) == 7
    assert "- Bản vẽ thiết kế" in bodies[f"Hồ sơ {d.code} cần bổ sung"]
    money = bodies[f"Hồ sơ {d.code}: thực hiện nghĩa vụ tài chính"]
    assert "150.000 đồng" in money and "Cổng Dịch vụ công quốc gia" in money
    apology = bodies[f"Xin lỗi: hồ sơ {d.code} được hẹn lại ngày trả"]
    assert "17:00 ngày 20/06/2026" in apology and "Cần xác minh thực địa" in apology
    assert "Đã đôn đốc, xin lỗi Ông" in bodies[f"Trả lời phản ánh, kiến nghị số {fb.pk}"]
    # in the order of the acts
    assert [subject(m) for m in mails(peers.smtp)][:2] == [f"Hồ sơ {d.code} đã được tiếp nhận",
                                                          f"Hồ sơ {d.code} cần bổ sung"]
    assert all(m.state == MessageState.DELIVERED for m in OutboxMessage.objects.all())


def test_refusal_reason_reaches_the_applicant(peers, actors, intake_data):
    d, _r = services.intake(actors["citizen"], {**intake_data, "channel": 2, "applicant_email": "an@example.vn"},
                            now=at("2026-06-01 08:00"))
    assert not Notification.objects.exists()       # an online filing is not yet received: nothing to say
    services.refuse(actors["receiver"], d.code, reason="Không thuộc thẩm quyền của Sở", now=at("2026-06-01 09:00"))
    drain()
    [mail] = mails(peers.smtp)
    assert "Lý do: Không thuộc thẩm quyền của Sở" in text_of(mail)


def test_bounce_is_dead_at_once_and_logged(peers, actors, intake_data):
    d = intake(actors, intake_data, email="bounce.me@example.vn")
    drain()
    msg = OutboxMessage.objects.get(integration="notify_email")
    assert (msg.state, msg.attempts) == (MessageState.DEAD, 1)
    assert msg.last_error.startswith("[smtp_550]") and "User unknown" in msg.last_error
    [entry] = SendLog.objects.all()
    assert (entry.outcome, entry.code) == (Outcome.FAILED, "smtp_550")
    assert "bounce.me@" not in entry.detail and "b***@example.vn" in entry.detail
    assert not peers.smtp.messages
    assert Dossier.objects.get(pk=d.pk).status == Status.RECEIVED


def test_server_down_retries_then_dead_then_resend_delivers(peers, actors, intake_data, settings):
    peers.smtp.stop()
    d = intake(actors, intake_data)
    drain()
    msg = OutboxMessage.objects.get(integration="notify_email")
    assert (msg.state, msg.attempts) == (MessageState.DEAD, settings.MOTCUA_DELIVERY["max_attempts"])
    assert "[smtp_unreachable]" in msg.last_error
    outcomes = list(SendLog.objects.order_by("at", "id").values_list("outcome", flat=True))
    assert outcomes == [Outcome.RETRY] * 3 + [Outcome.FAILED]
    peers.smtp.start()
    assert delivery.resend(OutboxMessage.objects.filter(pk=msg.pk)) == 1
    drain()
    assert OutboxMessage.objects.get(pk=msg.pk).state == MessageState.DELIVERED
    assert len(peers.smtp.messages) == 1 and Dossier.objects.get(pk=d.pk).status == Status.RECEIVED


def test_greylisting_is_retried(peers, actors, intake_data):
    intake(actors, intake_data, email="later@example.vn")
    drain()
    msg = OutboxMessage.objects.get(integration="notify_email")
    assert msg.state == MessageState.DEAD and msg.attempts == 4 and "[smtp_451]" in msg.last_error


def test_a_failing_notification_never_blocks_or_rolls_back_the_act(peers, actors, intake_data, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("template store unavailable 0912345678")
    monkeypatch.setattr(events, "dossier_context", boom)
    d = intake(actors, intake_data)
    d.refresh_from_db()
    assert d.status == Status.RECEIVED
    assert list(HistoryEvent.objects.filter(dossier=d).values_list("action", flat=True)) == ["submit", "receive"]
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()
    # the next act goes on normally once the cause is gone
    monkeypatch.undo()
    services.request_supplement(actors["receiver"], d.code, reason="Thiếu", components=["Bản vẽ"],
                                now=at("2026-06-01 09:00"))
    assert Notification.objects.get().event == "supplement_requested"


def test_failure_log_has_no_full_phone(peers, actors, intake_data, monkeypatch, caplog):
    def boom(*a, **k):
        raise RuntimeError("cannot build for 0912345678 / 001203004567")
    monkeypatch.setattr(events, "dossier_context", boom)
    with caplog.at_level("INFO", logger="motcua.notify"):
        intake(actors, intake_data)
    text = caplog.text
    assert "0912345678" not in text and "001203004567" not in text and "09*****678" in text


def test_no_email_known_no_profile_means_no_notice(peers, actors, intake_data):
    services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    assert not Notification.objects.exists()


def test_an_inactive_template_sends_nothing_on_that_channel(peers, actors, intake_data):
    from motcua.integrations.notifications.models import NotificationTemplate
    NotificationTemplate.objects.filter(event="received", channel="email").update(active=False)
    intake(actors, intake_data)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_feedback_without_a_dossier_is_answered_without_a_notice(peers, actors, province):
    fb = F.submit(agency_code=province.sxd.code, category="other", sender_name="B", content="Góp ý",
                  sender_contact="b@example.vn")
    F.process(actors["leader"], fb.pk, answer="Cảm ơn")
    assert not Notification.objects.exists()


def test_stop_form_5_tells_the_reason(peers, actors, intake_data):
    d = intake(actors, intake_data)
    services.stop(actors["leader"], d.code, reason="Theo đề nghị của người nộp", now=at("2026-06-02 08:00"))
    drain()
    got = {subject(m): text_of(m) for m in mails(peers.smtp)}
    assert "Lý do: Theo đề nghị của người nộp" in got[f"Hồ sơ {d.code} dừng giải quyết"]
