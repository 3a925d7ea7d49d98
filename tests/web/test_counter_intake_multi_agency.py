"""The counter blocker: a district officer taking in a procedure every district decides
(luongson.tiepnhan, 2.000386). The form shows the deciding agency, preselected, and the intake goes
through; a centre officer chooses among all; a department officer gets no other agency's procedure."""
import pytest

from motcua.dossiers.models import Dossier, Status

from .conftest import login, shot

pytestmark = pytest.mark.django_db


def _post(client, proc, **extra):
    comp = proc.components.get()
    return client.post(f"/can-bo/tiep-nhan/?procedure={proc.code}", {
        "procedure": proc.code, "applicant_name": "Bùi Văn Sơn", "applicant_phone": "0912000111", "channel": "1",
        "sets_count": "1", f"c{comp.id}_provided": "on", f"c{comp.id}_count": "1", **extra})


def test_district_officer_sees_the_agency_preselected_and_takes_the_dossier_in(client, districts):
    client.force_login(districts.district_ro)
    html = client.get("/can-bo/tiep-nhan/?procedure=2.000386").content.decode()
    assert 'name="agency"' in html
    assert f'<option value="{districts.luongson.code}" selected>' in html
    assert districts.kimboi.code not in html            # it may not receive for another district
    resp = _post(client, districts.house, agency=districts.luongson.code)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    d = Dossier.objects.get()
    assert d.agency == districts.luongson and d.status == Status.RECEIVED


def test_centre_officer_must_choose_among_every_district(client, districts):
    client.force_login(districts.centre_receiver)
    html = client.get("/can-bo/tiep-nhan/?procedure=2.000386").content.decode()
    assert "— Chọn cơ quan giải quyết —" in html
    assert districts.luongson.code in html and districts.kimboi.code in html
    resp = _post(client, districts.house)
    assert "phải chọn cơ quan giải quyết" in resp.content.decode()
    assert not Dossier.objects.exists()


def test_department_officer_is_told_to_send_the_applicant_to_the_centre(client, province):
    client.force_login(province.receiver)
    html = client.get("/can-bo/tiep-nhan/?procedure=2.000908").content.decode()
    assert "Trung tâm Phục vụ hành chính công" in html


@pytest.mark.django_db(transaction=True)
def test_browser_district_officer_takes_in_a_multi_agency_procedure(new_page, districts):
    districts.district_ro.set_password("pw-luongson")
    districts.district_ro.save()
    page = new_page()
    login(page, "luongson.tiepnhan", "pw-luongson")
    page.goto("/can-bo/tiep-nhan/?procedure=2.000386")
    select = page.locator("select#agency")
    assert select.is_visible()
    assert select.input_value() == districts.luongson.code
    page.fill("#name", "Bùi Văn Sơn")
    page.fill("#phone", "0912000111")
    shot(page, "counter-intake-multi-agency")
    page.click("text=Tiếp nhận và in giấy hẹn")
    page.wait_for_load_state()
    assert page.locator(".msg.error").count() == 0, page.locator(".msg.error").first.inner_text()
    d = Dossier.objects.get()
    assert d.agency == districts.luongson and d.status == Status.RECEIVED
    assert d.code in page.url
