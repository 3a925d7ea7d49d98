"""Getting the result (issue 11): the online form offers counter / public postal service / electronic, the
choice is stored on the dossier and shown to the citizen, on slip 1 and on the officer's dossier page. For a
"Một phần" procedure the portal says which paper originals to bring or send, and when, before submission
and on the receipt. The citizen's uploads sit under their component; a supplement upload defaults to the
component the officer asked for. Sign-up from "Nộp hồ sơ trực tuyến" returns to that procedure."""
import re

import pytest
from django.template.loader import render_to_string

from motcua.catalog.models import Component, OnlineLevel
from motcua.citizens import services as citizens
from motcua.dossiers import services
from motcua.dossiers.models import AttachmentKind, Channel, Dossier
from motcua.slips import render as R

from ..conftest import at
from .helpers import PDF

pytestmark = pytest.mark.django_db
ADDRESS = "12 Phố Huế, Phường Hai Bà Trưng, Thành phố Hà Nội"


def _file(client, code, **fields):
    """Fill the online form (review step) and confirm; returns the last response."""
    form = {"step": "review", "applicant_name": "Nguyễn Văn An", "applicant_phone": "0912 345 678",
            "applicant_id_number": "001203004567", **fields}
    for c in Component.objects.filter(procedure__code=code, required=True):
        form[f"c{c.id}_file"] = _pdf(f"c{c.id}.pdf")
    resp = client.post(f"/thu-tuc/{code}/nop/", form)
    if resp.status_code != 200:
        return resp
    token = re.search(r'name="token" value="([0-9a-f]+)"', resp.content.decode()).group(1)
    return client.post(f"/thu-tuc/{code}/nop/", {"step": "confirm", "token": token})


def _pdf(name):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def partial(province):
    province.proc.online_level = OnlineLevel.PARTIAL
    province.proc.save()
    return province.proc


def test_postal_delivery_is_stored_and_shown_everywhere(client, province, actors, partial):
    client.force_login(province.citizen)
    form = client.get(f"/thu-tuc/{partial.code}/nop/").content.decode()
    # before submission: which originals, and when
    assert 'id="originals"' in form and "Đơn đề nghị cấp giấy phép — Bản chính" in form
    assert "Bản vẽ thiết kế —" not in form                                   # a plain copy needs no paper
    resp = _file(client, partial.code, result_delivery="postal", delivery_address=ADDRESS)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    d = Dossier.objects.get(owner=province.citizen)
    assert (d.result_delivery, d.delivery_address, d.channel) == ("postal", ADDRESS, Channel.ONLINE)
    assert d.history.get(seq=1).data["result_delivery"] == "postal"          # in the hash-chained history
    page = client.get(resp["Location"]).content.decode()
    assert "Qua dịch vụ bưu chính công ích: " + ADDRESS in page
    assert 'id="originals"' in page and "Gửi bản giấy qua bưu chính công ích" in page   # on the receipt
    # slip 1 and the officer's page
    services.receive(actors["receiver"], d.code, now=at("2026-06-02 08:00"))
    d.refresh_from_db()
    slip = render_to_string("slips/form1.html", R.context(d, 1, "http://testserver/"))
    assert "qua dịch vụ bưu chính công ích tại địa chỉ: " + ADDRESS in slip
    assert "Bản giấy cần mang hoặc gửi để đối chiếu: Đơn đề nghị cấp giấy phép (bản chính, 1 bản)" in slip
    client.force_login(province.receiver)
    office = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert re.search(r'id="delivery">Qua dịch vụ bưu chính công ích: ' + re.escape(ADDRESS), office)


@pytest.mark.parametrize("fields, message", [
    ({"result_delivery": "postal", "delivery_address": ""}, "cần địa chỉ nhận"),
    ({"result_delivery": "bay"}, "Cách nhận kết quả không hợp lệ"),
    ({"applicant_id_number": "12345"}, "12 chữ số"),
    ({"applicant_phone": "09l2 345 678"}, "Số điện thoại"),
    ({"applicant_kind": "organisation", "applicant_id_number": "12"}, "Mã số thuế"),
])
def test_bad_filing_input_is_refused_before_anything_is_saved(client, province, fields, message):
    client.force_login(province.citizen)
    resp = _file(client, province.proc.code, **fields)
    assert resp.status_code == 422 and message in resp.content.decode()
    assert not Dossier.objects.exists()


def test_full_procedure_says_nothing_about_originals_and_electronic_is_shown(client, province):
    client.force_login(province.citizen)
    assert 'id="originals"' not in client.get(f"/thu-tuc/{province.proc.code}/nop/").content.decode()
    resp = _file(client, province.proc.code, result_delivery="electronic", delivery_address="ignored")
    d = Dossier.objects.get()
    assert (d.result_delivery, d.delivery_address) == ("electronic", "")
    page = client.get(resp["Location"]).content.decode()
    assert "Bản điện tử" in page and 'id="originals"' not in page


def test_uploads_under_their_component_and_supplement_defaults_to_the_one_asked(client, province, actors):
    client.force_login(province.citizen)
    _file(client, province.proc.code)
    d = Dossier.objects.get()
    d = services.receive(actors["receiver"], d.code, now=at("2026-06-02 08:00"))
    services.request_supplement(actors["receiver"], d.code, reason="Thiếu bản vẽ", components=["Bản vẽ thiết kế"])
    services.attach(actors["citizen"], d.code, kind=AttachmentKind.SUPPLEMENT, filename="giay-khac.pdf", content=PDF)
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    drawing = d.components.get(name="Bản vẽ thiết kế")
    assert re.search(rf'<option value="{drawing.id}" selected>', page)
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td>(.*?)</td></tr>", page, re.S))
    first = d.components.get(name="Đơn đề nghị cấp giấy phép")
    assert f"c{first.component_id}.pdf" in rows["Đơn đề nghị cấp giấy phép"]
    assert "giay-khac.pdf" in page.split('id="other-uploads"')[1].split("</tr>")[0]
    # the supplement posted without choosing lands under the component asked for, and is listed there
    resp = client.post(f"/ho-so-cua-toi/{d.code}/bo-sung/", {"component": str(drawing.id), "file": _pdf("ban-ve.pdf")})
    assert resp.status_code == 302
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td>(.*?)</td></tr>", page, re.S))
    assert "ban-ve.pdf" in rows["Bản vẽ thiết kế"]


def test_signup_from_filing_returns_to_the_procedure(client, province):
    start = f"/thu-tuc/{province.proc.code}/nop/"
    resp = client.get(start)
    assert resp.status_code == 302 and resp["Location"] == f"/dang-nhap/?next={start}"
    login_page = client.get(resp["Location"]).content.decode()
    signup_url = re.search(r'id="signup-link" href="([^"]+)"', login_page).group(1).replace("&amp;", "&")
    assert signup_url == f"/dang-ky/?next={start}"
    assert 'id="signup-return"' in client.get(signup_url).content.decode()
    resp = client.post(signup_url, {"username": "moi", "full_name": "Người Mới", "password1": "Mk-rat-dai-2026!",
                                     "password2": "Mk-rat-dai-2026!", "next": start})
    assert resp.status_code == 302 and resp["Location"] == start
    assert client.get(start).status_code == 200


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_signup_never_sends_the_citizen_elsewhere(client, province, evil):
    resp = client.post("/dang-ky/?next=" + evil, {"username": "moi2", "full_name": "Người Mới",
                                                  "password1": "Mk-rat-dai-2026!", "password2": "Mk-rat-dai-2026!",
                                                  "next": evil})
    assert resp.status_code == 302 and resp["Location"] == "/thu-tuc/"


def test_verified_filer_is_marked_on_the_officer_page(client, province, actors, intake_data):
    from datetime import date
    citizens.mark_verified(province.citizen, citizens.verified_identity(
        "VNeID", id_number="001203004567", full_name="Nguyễn Văn An", birth_date=date(2003, 4, 5)))
    d = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE))[0]
    client.force_login(province.receiver)
    assert "Tài khoản người nộp đã xác thực bởi VNeID" in client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
