"""Zalo ZNS and SMS brandname against local servers that enforce their contracts (token header, template
id, phone 84..., error codes): delivered, refused for good, retried then dead, resent; phones masked."""
import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status
from motcua.integrations import delivery
from motcua.integrations.models import MessageState, OutboxMessage
from motcua.integrations.notifications.base import Permanent, Transient
from motcua.integrations.notifications.contrib.zalo_zns.client import Client as ZnsClient
from motcua.integrations.notifications.models import Notification, NotificationTemplate, Outcome, SendLog
from motcua.integrations.notifications.phones import normalize

from ..conftest import at
from ..integrations.conftest import drain
from .conftest import configure


def intake(actors, data, phone="0912 345 678"):
    """A counter intake for the citizen's account (the profile belongs to it)."""
    from django.contrib.auth import get_user_model
    owner = get_user_model().objects.get(username="congdan")
    d, _r = services.intake(actors["receiver"], {**data, "applicant_phone": phone}, now=at("2026-06-01 08:00"),
                            owner=owner)
    return d


def outbox(integration):
    return OutboxMessage.objects.get(integration=integration)


def test_phone_forms():
    assert normalize("0912 345 678") == normalize("+84912345678") == normalize("84.912.345.678") == "84912345678"
    for bad in ("12345", "0212345678", "849123456789", "abc", ""):
        assert normalize(bad) is None


def test_the_profile_chooses_zalo_and_sms(peers, profile, actors, intake_data):
    profile.update(notify_channels=["zalo", "sms"], phone="", email="")
    d = intake(actors, intake_data)
    assert sorted(Notification.objects.values_list("channel", flat=True)) == ["sms", "zalo"]
    drain()
    [zmsg] = peers.zns.received
    assert zmsg["phone"] == "84912345678" and zmsg["template_id"] == "231001"
    assert zmsg["tracking_id"] == f"motcua{Notification.objects.get(channel='zalo').pk}"
    data = zmsg["template_data"]
    assert data["ma_ho_so"] == d.code and data["ho_ten"] == "Nguyễn Văn An" and d.code in data["loi_nhan"]
    [smsg] = peers.sms.received
    assert smsg["MOBILELIST"] == "84912345678" and smsg["TEMPLATEID"] == "9001" and smsg["DATACODING"] == "0"
    content = smsg["PARAMS"][0]["CONTENT"]
    assert content.startswith(f"Ho so {d.code} da duoc tiep nhan")
    assert {outbox("notify_zalo").state, outbox("notify_sms").state} == {MessageState.DELIVERED}
    log = SendLog.objects.filter(outcome=Outcome.SENT)
    assert sorted(log.values_list("recipient_masked", flat=True)) == ["84******678", "84******678"]


def test_bad_phone_format_is_refused_before_sending(peers, profile, actors, intake_data):
    profile.update(notify_channels=["zalo", "sms"])
    d = intake(actors, intake_data, phone="02 1234")
    drain()
    for name in ("notify_zalo", "notify_sms"):
        m = outbox(name)
        assert (m.state, m.attempts) == (MessageState.DEAD, 1) and m.last_error.startswith("[invalid_phone]")
    assert peers.zns.calls == 0 and peers.sms.calls == 0
    assert Dossier.objects.get(pk=d.pk).status == Status.RECEIVED


def test_the_zns_server_enforces_phone_token_and_template(zns):
    client = ZnsClient(zns.url, "zns-test-token", timeout=5)
    with pytest.raises(Permanent) as err:
        client.send("0912345678", "231001", {"a": "b"}, "t1")        # not the 84 form
    assert err.value.code == "zns_-108"
    with pytest.raises(Permanent) as err:
        client.send("84912345678", "999", {"a": "b"}, "t1")
    assert err.value.code == "zns_-109"
    with pytest.raises(Permanent) as err:
        client.send("84987000111", "231001", {"a": "b"}, "t1")       # no Zalo account
    assert err.value.code == "zns_-118"
    with pytest.raises(Transient) as err:
        ZnsClient(zns.url, "expired", timeout=5).send("84912345678", "231001", {"a": "b"}, "t1")
    assert err.value.code == "zns_-124"
    with pytest.raises(Permanent):
        client.send("84912345678", "231001", {"a": "b"}, "bad id!")  # refused here, never sent
    assert [r["error"] for r in zns.refused] == [-108, -109, -118, -124]
    assert client.send("84912345678", "231001", {"a": "b"}, "t1")


def test_unknown_template_id_is_dead_at_once(peers, profile, actors, intake_data):
    profile.update(notify_channels=["zalo"])
    NotificationTemplate.objects.filter(event="received", channel="zalo").update(provider_template_id="777")
    intake(actors, intake_data)
    drain()
    m = outbox("notify_zalo")
    assert (m.state, m.attempts) == (MessageState.DEAD, 1) and "[zns_-109]" in m.last_error


def test_expired_token_is_retried_then_dead_and_resend_after_a_new_token(peers, profile, actors, intake_data,
                                                                         settings):
    profile.update(notify_channels=["zalo"])
    settings.MOTCUA_NOTIFY = {**settings.MOTCUA_NOTIFY,
                              "zalo": {**settings.MOTCUA_NOTIFY["zalo"], "access_token": "expired"}}
    intake(actors, intake_data)
    drain()
    m = outbox("notify_zalo")
    assert (m.state, m.attempts) == (MessageState.DEAD, 4) and "[zns_-124]" in m.last_error
    configure(settings, peers.smtp, peers.zns, peers.sms)
    delivery.resend(OutboxMessage.objects.filter(pk=m.pk))
    drain()
    assert outbox("notify_zalo").state == MessageState.DELIVERED and len(peers.zns.received) == 1


def test_sms_provider_down_retried_then_dead_then_resend(peers, profile, actors, intake_data):
    profile.update(notify_channels=["sms"])
    peers.sms.set_mode("down")
    d = intake(actors, intake_data)
    services.request_supplement(actors["receiver"], d.code, reason="Thiếu bản vẽ", components=["Bản vẽ đất"],
                                now=at("2026-06-01 09:00"))
    drain()
    first, second = OutboxMessage.objects.filter(integration="notify_sms").order_by("seq")
    assert (first.state, first.attempts) == (MessageState.DEAD, 4) and "[unreachable]" in first.last_error
    assert second.state == MessageState.PENDING           # the dossier's notices keep their order
    assert list(SendLog.objects.filter(notification__event="received").order_by("at", "id")
                .values_list("outcome", flat=True)) == [Outcome.RETRY] * 3 + [Outcome.FAILED]
    peers.sms.set_mode("ok")
    delivery.resend(OutboxMessage.objects.filter(pk=first.pk))
    drain()
    assert [m["PARAMS"][0]["CONTENT"][:40] for m in peers.sms.received] == [
        f"Ho so {d.code} da duoc tiep nhan"[:40], f"Ho so {d.code} can bo sung: Ban ve dat"[:40]]


def test_sms_5xx_and_garbage_are_retried(peers, profile, actors, intake_data):
    profile.update(notify_channels=["sms"])
    peers.sms.play("500", "garbage")
    intake(actors, intake_data)
    drain()
    codes = list(SendLog.objects.order_by("id").values_list("code", flat=True))
    assert codes == ["http_503", "bad_answer", ""] and outbox("notify_sms").state == MessageState.DELIVERED


def test_sms_login_refused_is_permanent(peers, profile, actors, intake_data, settings):
    profile.update(notify_channels=["sms"])
    settings.MOTCUA_NOTIFY = {**settings.MOTCUA_NOTIFY, "sms": {**settings.MOTCUA_NOTIFY["sms"], "apipass": "no"}}
    intake(actors, intake_data)
    drain()
    m = outbox("notify_sms")
    assert (m.state, m.attempts) == (MessageState.DEAD, 1) and m.last_error.startswith("[sms_1]")


def test_no_full_phone_in_logs_errors_or_log_table(peers, profile, actors, intake_data, caplog):
    profile.update(notify_channels=["zalo", "sms"])
    peers.zns.set_mode("down")
    with caplog.at_level("INFO"):
        intake(actors, intake_data)
        drain()
    texts = [caplog.text, *OutboxMessage.objects.values_list("last_error", flat=True),
             *SendLog.objects.values_list("detail", flat=True), *SendLog.objects.values_list("recipient_masked", flat=True)]
    for t in texts:
        assert "84912345678" not in t and "0912345678" not in t and "001203004567" not in t
    assert "84******678" in caplog.text
