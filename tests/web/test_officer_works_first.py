"""The back office built around the day's work (issue 16, "Work first"), through Django's test client: the
action panel opens on the natural next step and keeps dangerous acts apart and confirmed; worklists open on
what the officer must do now, by urgency, with the time a new dossier has waited and last years' closed
dossiers in their own tab; forwarding names the specialist; intake receives and offers slip 1 at once;
form errors are all shown next to their fields."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier, Status

from ..conftest import attach_result
from .test_office_pages import intake_post

pytestmark = pytest.mark.django_db


def _open_action(html):
    return re.search(r'<details open[^>]*data-act="(\w+)"', html).group(1)


def test_the_panel_opens_on_the_next_step_never_a_dangerous_one(client, province, actors, intake_data):
    online, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE))
    client.force_login(province.receiver)
    html = client.get(f"/can-bo/ho-so/{online.code}/").content.decode()
    assert _open_action(html) == "receive"
    # refuse and withdraw: apart, danger-styled, confirmed (a required checkbox and a JS confirm)
    zone = html[html.index('class="danger-zone"'):]
    for name in ("refuse", "withdraw"):
        assert f'data-act="{name}"' in zone and f'id="{name}-confirm" name="confirm" value="1" required' in zone
        assert f'class="danger" data-action="{name}"' in zone
    assert 'data-confirm="' in zone
    d, _ = services.intake(actors["receiver"], intake_data)
    assert _open_action(client.get(f"/can-bo/ho-so/{d.code}/").content.decode()) == "forward"
    services.forward(actors["receiver"], d.code)
    services.forward(actors["specialist"], d.code)
    client.force_login(province.leader)
    html = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert _open_action(html) == "approve"
    services.approve(actors["leader"], d.code)
    attach_result(actors["leader"], d.code)
    assert _open_action(client.get(f"/can-bo/ho-so/{d.code}/").content.decode()) == "mark_result_ready"


def test_a_dangerous_act_without_confirmation_is_not_done(client, province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data)
    client.force_login(province.receiver)
    resp = client.post(f"/can-bo/ho-so/{d.code}/thao-tac/refuse/", {"version": d.version, "reason": ""})
    html = resp.content.decode()
    assert resp.status_code == 422
    d.refresh_from_db()
    assert d.status == Status.RECEIVED
    # both errors at once, next to their fields, in a summary at the top of the form, the form open
    assert 'id="error-summary"' in html and _open_action(html) == "refuse"
    assert 'id="refuse-reason" name="reason" required aria-invalid="true" aria-describedby="err-refuse-reason"' \
        in html
    assert 'id="err-refuse-reason"' in html and 'id="err-refuse-confirm"' in html
    resp = client.post(f"/can-bo/ho-so/{d.code}/thao-tac/refuse/", {"version": d.version, "reason": "Sai thủ tục",
                                                                   "confirm": "1"})
    assert resp.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.NOT_RECEIVED


def test_worklist_opens_on_my_work_by_urgency_and_shows_waiting(client, province, actors, intake_data):
    now = timezone.now()
    old_new, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE),
                                 now=now - timedelta(days=2, hours=3))
    late, _ = services.intake(actors["receiver"], intake_data, now=now - timedelta(days=30))
    fresh, _ = services.intake(actors["receiver"], intake_data, now=now)
    closed_last_year, _ = services.intake(actors["receiver"], intake_data, now=now - timedelta(days=30))
    year_start = timezone.localtime(now).replace(month=1, day=1, hour=0, minute=0)
    Dossier.objects.filter(pk=closed_last_year.pk).update(status=Status.RETURNED,
                                                          closed_at=year_start - timedelta(days=3))
    client.force_login(province.receiver)
    html = client.get("/can-bo/").content.decode()
    assert 'href="?list=mine" aria-current="page"' in html
    rows = re.findall(r'<tr data-code="([^"]+)"', html)
    assert rows == [late.code, old_new.code, fresh.code]          # overdue first, then by deadline
    assert "đã chờ 2 ngày 3 giờ" in html
    all_rows = re.findall(r'<tr data-code="([^"]+)"', client.get("/can-bo/?list=all").content.decode())
    assert closed_last_year.code not in all_rows and late.code in all_rows
    archive = client.get("/can-bo/?list=archive").content.decode()
    assert re.findall(r'<tr data-code="([^"]+)"', archive) == [closed_last_year.code]


def test_forward_to_a_named_specialist_and_their_tab(client, province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data)
    client.force_login(province.receiver)
    html = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert f'<option value="{province.specialist.pk}">chuyenvien</option>' in html
    assert "Để đơn vị phân công" in html
    resp = client.post(f"/can-bo/ho-so/{d.code}/thao-tac/forward/", {"version": d.version,
                                                                    "assignee": str(province.leader.pk)})
    assert resp.status_code == 422 and 'aria-describedby="err-forward-assignee"' in resp.content.decode()
    resp = client.post(f"/can-bo/ho-so/{d.code}/thao-tac/forward/", {"version": d.version,
                                                                    "assignee": str(province.specialist.pk)})
    assert resp.status_code == 302
    client.force_login(province.specialist)
    html = client.get("/can-bo/?list=assigned_to_me").content.decode()
    assert "Được giao cho tôi" in html and re.findall(r'<tr data-code="([^"]+)"', html) == [d.code]


def test_returning_with_an_unpaid_fee_asks_to_confirm(client, province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data)
    services.forward(actors["receiver"], d.code)
    services.forward(actors["specialist"], d.code)
    services.approve(actors["leader"], d.code)
    attach_result(actors["leader"], d.code)
    services.mark_result_ready(actors["leader"], d.code)
    d.refresh_from_db()
    client.force_login(province.receiver)
    html = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert 'id="unpaid-fee"' in html and "150.000" in html
    resp = client.post(f"/can-bo/ho-so/{d.code}/thao-tac/return_result/", {"version": d.version})
    assert resp.status_code == 422 and "chưa thu" in resp.content.decode()
    resp = client.post(f"/can-bo/ho-so/{d.code}/thao-tac/return_result/", {"version": d.version,
                                                                          "unpaid_fee_confirmed": "1"})
    assert resp.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.RETURNED


def test_receive_and_print_slip_1_in_one_click(client, province, actors, intake_data):
    client.force_login(province.receiver)
    resp = intake_post(client, province)
    assert resp["Location"].endswith("?slip=1")
    html = client.get(resp["Location"]).content.decode()
    code = Dossier.objects.get().code
    assert re.search(rf'id="print-slip-1" href="/can-bo/ho-so/{re.escape(code)}/phieu/1.pdf"[^>]*data-autofocus', html)
    online, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE))
    resp = client.post(f"/can-bo/ho-so/{online.code}/thao-tac/receive/", {"version": online.version,
                                                                          "then": "slip"})
    assert resp["Location"].endswith(f"/can-bo/ho-so/{online.code}/?slip=1")
    online.refresh_from_db()
    assert online.status == Status.RECEIVED


def test_intake_errors_all_at_once_next_to_their_fields(client, province):
    client.force_login(province.receiver)
    comps = list(province.proc.components.all())
    resp = intake_post(client, province, applicant_name="", sets_count="0", **{f"c{comps[0].id}_count": "0"})
    html = resp.content.decode()
    assert resp.status_code == 200 and not Dossier.objects.exists()
    assert 'id="error-summary"' in html and 'role="alert"' in html
    for field_id in ("name", "sets", f"c{comps[0].id}c"):
        assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true" aria-describedby="err-{field_id}"', html), field_id
        assert f'id="err-{field_id}"' in html and f'href="#{field_id}"' in html
