"""Administrators see pending / retrying / dead per integration with the last error, resend one or all
dead of an agency or period, in the API (as documented) and on the back-office page; others may not."""
import io

import pytest
from openpyxl import Workbook
from motcua.agencies.tokens import issue as issue_token
from rest_framework.test import APIClient

from motcua.dossiers import services
from motcua.integrations.models import AgencyMapping, MessageState, OutboxMessage, ProcedureMapping

from ..api.schema_check import check
from ..conftest import at
from .conftest import drain

S = MessageState


def _client(user):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user)}")
    return c


@pytest.fixture
def dead_two(dvcqg, actors, intake_data):
    dvcqg.mode("500")
    for day in ("01", "02"):
        services.intake(actors["receiver"], intake_data, now=at(f"2026-06-{day} 08:00"))
    drain()
    dvcqg.mode("ok")
    assert OutboxMessage.objects.filter(state=S.DEAD).count() == 2


def test_counts_list_and_resend_through_the_api(province, dead_two):
    admin = _client(province.admin)
    body = check(admin.get("/api/v1/integrations/delivery/"))
    assert body["integrations"]["dvcqg"]["dead"] == 2 and body["integrations"]["dvcqg"]["delivered"] == 0
    rows = check(admin.get("/api/v1/integrations/delivery/messages/?state=dead"))
    assert len(rows) == 2 and all("HTTP 500" in r["last_error"] for r in rows)
    r = check(admin.post(f"/api/v1/integrations/delivery/messages/{rows[0]['id']}/resend/"))
    assert r == {"resent": 1}
    drain()
    r = check(admin.post("/api/v1/integrations/delivery/resend-dead/",
                         {"agency": "000.00.17.H13", "since": "2020-01-01"}, format="json"))
    assert r == {"resent": 1}
    drain()
    assert check(admin.get("/api/v1/integrations/delivery/"))["integrations"]["dvcqg"]["delivered"] == 2
    bad = admin.get("/api/v1/integrations/delivery/?since=yesterday")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_date"


def test_only_administrators(province, dead_two):
    r = _client(province.receiver).get("/api/v1/integrations/delivery/")
    assert r.status_code == 403 and r.json()["code"] == "role_required"
    assert APIClient().get("/api/v1/integrations/delivery/").status_code in (401, 403)


def test_back_office_page_shows_errors_and_resends(client, province, dead_two):
    client.force_login(province.receiver)
    assert client.get("/can-bo/dong-bo/").status_code == 403
    client.force_login(province.admin)
    page = client.get("/can-bo/dong-bo/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "HTTP 500" in text and "Gửi lại" in text
    m = OutboxMessage.objects.filter(state=S.DEAD).first()
    r = client.post(f"/can-bo/dong-bo/gui-lai/{m.pk}/")
    assert r.status_code == 302
    assert OutboxMessage.objects.get(pk=m.pk).state == S.PENDING
    r = client.post("/can-bo/dong-bo/gui-lai-that-bai/", {"agency": "000.00.17.H13"})
    assert OutboxMessage.objects.filter(state=S.DEAD).count() == 0


def test_mappings_from_the_page_and_from_excel(client, province):
    client.force_login(province.admin)
    client.post("/can-bo/dong-bo/anh-xa/", {"kind": "procedure", "local": "1.009974", "remote": "1.009974.000.00.00.H13"})
    assert ProcedureMapping.objects.get(procedure=province.proc).remote_code == "1.009974.000.00.00.H13"
    wb = Workbook()
    wb.active.title = "thu_tuc"
    wb.active.append(["ma_thu_tuc", "ma_tthc_dvcqg", "ten"])
    wb.active.append(["2.000908", "2.000908.000.00.00.H13", "Chứng thực"])
    ws = wb.create_sheet("co_quan")
    ws.append(["ma_co_quan", "ma_dinh_danh_dvcqg"])
    ws.append(["000.00.18.H13", "000.00.18.H13"])
    buf = io.BytesIO()
    wb.save(buf)
    api = _client(province.admin)
    r = api.post("/api/v1/integrations/dvcqg/mappings/excel/", {"file": io.BytesIO(buf.getvalue())}, format="multipart")
    assert r.status_code == 200 and r.json() == {"procedures": 1, "agencies": 1}
    assert AgencyMapping.objects.get(agency=province.stp).remote_code == "000.00.18.H13"
    ws.append(["NO.SUCH.AGENCY", "x"])
    buf = io.BytesIO()
    wb.save(buf)
    r = api.post("/api/v1/integrations/dvcqg/mappings/excel/", {"file": io.BytesIO(buf.getvalue())}, format="multipart")
    assert r.status_code == 422 and r.json()["code"] == "unknown_agency" and r.json()["details"]["row"] == 3
    r = api.post("/api/v1/integrations/dvcqg/mappings/excel/", {"file": io.BytesIO(b"not excel")}, format="multipart")
    assert r.status_code == 422 and r.json()["code"] == "invalid_excel"
