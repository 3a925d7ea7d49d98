"""Administrators edit the Vietnamese templates (seeded defaults), with a preview; the template language
is sandboxed (only the event's variables, a few tags, no `safe`, autoescaped HTML); the page shows the
send log with masked recipients and is for administrators only."""
import pytest

from motcua.core.errors import NotAllowed, ValidationFailed
from motcua.dossiers import services as D
from motcua.integrations.notifications import services
from motcua.integrations.notifications.events import EVENTS, when
from motcua.integrations.notifications.models import NotificationTemplate
from motcua.integrations.notifications.rendering import render_html, render_text

from ..conftest import at
from ..integrations.conftest import drain


def test_defaults_are_seeded_for_every_event_and_channel(db):
    pairs = set(NotificationTemplate.objects.values_list("event", "channel"))
    assert pairs == {(e, c) for e in EVENTS for c in ("email", "zalo", "sms")}
    assert NotificationTemplate.objects.get(event="received", channel="email").subject.startswith("Hồ sơ")


def test_every_default_text_passes_the_sandbox_with_its_event_variables(db):
    from motcua.integrations.notifications.events import sample_context
    from motcua.integrations.notifications.rendering import check_variables
    for t in NotificationTemplate.objects.all():
        check_variables(t.body, sample_context(t.event))
        check_variables(t.subject, sample_context(t.event))
        assert "{{" not in render_text(t.body, sample_context(t.event))


@pytest.mark.parametrize("body, code", [
    ("{{ so_cccd }}", "template_unknown_variable"),
    ("{% load static %}x", "template_tag_not_allowed"),
    ("{% include 'base.html' %}", "template_tag_not_allowed"),
    ("{% debug %}", "template_tag_not_allowed"),
    ("{% autoescape off %}{{ ly_do }}{% endautoescape %}", "template_tag_not_allowed"),
    ("{{ ly_do|safe }}", "template_filter_not_allowed"),
    ("{% if %}", "template_syntax"),
    ("", "body_required"),
    ("x" * 5001, "template_too_long"),
])
def test_unsafe_or_wrong_templates_are_refused(actors, body, code):
    with pytest.raises(ValidationFailed) as err:
        services.save_template(actors["admin"], "refused", "email", subject="S", body=body)
    assert err.value.code == code
    assert NotificationTemplate.objects.get(event="refused", channel="email").body != body


def test_only_administrators_edit(actors):
    with pytest.raises(NotAllowed):
        services.save_template(actors["receiver"], "refused", "email", body="{{ ly_do }}")


def test_variables_are_autoescaped_in_html_and_plain_in_text():
    ctx = {"ho_ten": "<script>alert(1)</script> & Co"}
    assert "&lt;script&gt;" in render_html("Chào {{ ho_ten }}", ctx)
    assert render_text("Chào {{ ho_ten }}", ctx) == "Chào <script>alert(1)</script> & Co"


def test_an_edited_template_is_what_the_citizen_gets(peers, actors, intake_data):
    services.save_template(actors["admin"], "received", "email", subject="Đã nhận {{ ma_ho_so }}",
                           body="Ông/Bà {{ ho_ten }}: hẹn {{ ngay_hen }}.{% if noi_tra %} Tại {{ noi_tra }}.{% endif %}")
    d, _r = D.intake(actors["receiver"], {**intake_data, "applicant_email": "an@example.vn"}, now=at("2026-06-01 08:00"))
    drain()
    from email import message_from_bytes, policy
    [env] = peers.smtp.messages
    mail = message_from_bytes(env.original_content, policy=policy.default)
    d.refresh_from_db()
    assert " ".join(str(mail["Subject"]).split()) == f"Đã nhận {d.code}"
    assert mail.get_body(("plain",)).get_content().strip() == \
        f"Ông/Bà Nguyễn Văn An: hẹn {when(d.appointment_at)}. Tại {d.return_place}."
    assert when(d.appointment_at) == "08:00 ngày 04/06/2026"


def test_preview_renders_sample_values_without_sending(actors, peers):
    out = services.preview(actors["admin"], "supplement_requested", "sms",
                           body="Bổ sung: {{ giay_to|join:', ' }}")
    assert out["text"] == "Bo sung: Ban ve thiet ke, Don de nghi cap giay phep"
    assert not peers.smtp.messages and peers.sms.calls == 0


def test_page_edit_preview_save_and_log(client, province, peers, actors, intake_data):
    client.force_login(province.receiver)
    assert client.get("/can-bo/thong-bao/").status_code == 403
    client.force_login(province.admin)
    page = client.get("/can-bo/thong-bao/")
    assert page.status_code == 200 and "Trễ hạn: xin lỗi và hẹn lại ngày trả" in page.content.decode()
    url = "/can-bo/thong-bao/refused/sms/"
    r = client.post(url, {"body": "Tu choi {{ ma_ho_so }}: {{ ly_do }}", "provider_template_id": "9001",
                          "active": "on", "do": "preview"})
    assert r.status_code == 200 and "Tu choi 000.00.17.H13-260601-0001" in r.content.decode()
    r = client.post(url, {"body": "{{ cccd }}", "active": "on", "do": "save"})
    assert r.status_code == 422 and "template_unknown_variable" in r.content.decode()
    r = client.post(url, {"body": "Tu choi {{ ma_ho_so }}: {{ ly_do }}", "provider_template_id": "9001",
                          "active": "on", "do": "save"})
    assert r.status_code == 302
    t = NotificationTemplate.objects.get(event="refused", channel="sms")
    assert (t.body, t.provider_template_id, t.updated_by) == ("Tu choi {{ ma_ho_so }}: {{ ly_do }}", "9001", "quantri")
    # the send log, masked
    D.intake(actors["receiver"], {**intake_data, "applicant_email": "bounce.x@example.vn"}, now=at("2026-06-01 08:00"))
    drain()
    text = client.get("/can-bo/thong-bao/").content.decode()
    assert "b***@example.vn" in text and "smtp_550" in text and "bounce.x@" not in text
    assert "0912345678" not in text and "001203004567" not in text


def test_dead_notices_show_masked_on_the_delivery_page_and_resend(client, province, peers, profile, actors,
                                                                  intake_data):
    from motcua.integrations.models import MessageState, OutboxMessage
    profile.update(notify_channels=["sms"])
    peers.sms.set_mode("down")
    D.intake(actors["receiver"], {**intake_data, "applicant_phone": "0912 345 678"}, now=at("2026-06-01 08:00"),
             owner=province.citizen)
    drain()
    m = OutboxMessage.objects.get(integration="notify_sms")
    assert m.state == MessageState.DEAD
    client.force_login(province.admin)
    text = client.get("/can-bo/dong-bo/?state=dead").content.decode()
    assert "notify_sms" in text and "[unreachable]" in text and "0912345678" not in text
    peers.sms.set_mode("ok")
    assert client.post(f"/can-bo/dong-bo/gui-lai/{m.pk}/").status_code == 302
    drain()
    assert OutboxMessage.objects.get(pk=m.pk).state == MessageState.DELIVERED and len(peers.sms.received) == 1


def test_hostile_input_on_the_template_page_is_never_a_server_error(province):
    from django.test import Client

    from tests.web.test_generated_input_never_a_server_error import probe
    c = Client(raise_request_exception=True)
    c.force_login(province.admin)
    base = {"subject": "S {{ ma_ho_so }}", "body": "{{ ly_do }}", "provider_template_id": "1", "active": "on"}
    failures = []
    for do in ("preview", "save"):
        failures += probe(c, "post", "/can-bo/thong-bao/refused/email/", {**base, "do": do},
                          ["subject", "body", "provider_template_id", "active", "do"])
    for url in ("/can-bo/thong-bao/nope/email/", "/can-bo/thong-bao/refused/fax/"):
        status = c.get(url).status_code
        if status >= 500:
            failures.append(f"{url} -> {status}")
    assert failures == []
