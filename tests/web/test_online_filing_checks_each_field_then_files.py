"""Online filing on the citizen portal (/thu-tuc/<code>/nop/) through Django's test client: every missing or
bad field is reported at once, each with its own Vietnamese message and code next to its field (aria-invalid,
aria-describedby, an error summary linking to each), what the citizen typed is kept and nothing is stored; a
good form goes to the review page, and confirming it files the dossier with what the citizen typed (trimmed),
the agency they chose and their files."""
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.dossiers.models import Attachment, Channel, Dossier, DossierComponent
from motcua.dossiers.uploads import pending_root

from .helpers import PDF

pytestmark = pytest.mark.django_db


def _form(proc, **over):
    data = {"step": "review", "applicant_kind": "citizen", "applicant_name": "  Trần Văn Bình  ",
            "applicant_phone": " 0912.345.678 ", "applicant_id_number": " 001203004567 ",
            "applicant_address": " 5 Lê Lợi, Hà Đông ", "applicant_email": " binh@example.vn ",
            "request": " Cấp phép sửa nhà "}
    for c in proc.components.order_by("order"):
        data[f"c{c.id}_file"] = SimpleUploadedFile(f"tp{c.order}.pdf", PDF, "application/pdf")
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def _page(resp):
    return html.unescape(resp.content.decode())


def _errors(resp):
    """{input id: (message, code)} of the errors shown next to the fields, each checked to be the field's
    aria-invalid description and linked from the error summary, in the page's order."""
    page = _page(resp)
    found = {m[0]: (m[2], m[1]) for m in
             re.findall(r'<p class="field-error" id="err-([\w-]+)" data-code="([\w ]+)">([^<]*)</p>', page)}
    for field_id in found:
        assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true" aria-describedby="([\w-]+ )?err-{field_id}"',
                         page), field_id
    summary = re.search(r'<div class="error-summary" id="error-summary" role="alert".*?</div>', page, re.S).group(0)
    assert re.findall(r'<a href="#([\w-]+)">([^<]*)</a>', summary) == [(f, m) for f, (m, _c) in found.items()]
    assert page.count('aria-invalid="true"') == len(found)
    return found


def _nothing_stored(user):
    assert not Dossier.objects.exists() and not DossierComponent.objects.exists()
    assert not Attachment.objects.exists()
    assert not (pending_root() / str(user.pk)).exists()          # no files kept for a review that failed


PHONE = "Phải có số điện thoại (ít nhất 8 chữ số): 4 số cuối là mã tra cứu hồ sơ."


def test_every_bad_field_is_reported_at_once_next_to_it_and_nothing_is_stored(client, province):
    ban_ve = province.proc.components.get(order=2)
    client.force_login(province.citizen)
    resp = client.post(f"/thu-tuc/{province.proc.code}/nop/", _form(
        province.proc, applicant_name="   ", applicant_id_number=" 12345 ", applicant_phone="0912.345.67",
        applicant_email="binh@", result_delivery="postal", delivery_address="  ", **{f"c{ban_ve.id}_file": None}))
    assert resp.status_code == 422
    assert _errors(resp) == {
        "name": ("Phải có họ tên người nộp hồ sơ.", "applicant_name_required"),
        "idn": ("Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số.", "cccd_invalid"),
        "phone": ("Số điện thoại 0912.345.67 không đúng định dạng Việt Nam (ví dụ 0912 345 678).",
                  "applicant_phone_invalid"),
        "email": ("Địa chỉ thư điện tử không hợp lệ.", "email_invalid"),
        "daddr": ("Nhận kết quả qua bưu chính cần địa chỉ nhận.", "delivery_address_required"),
        f"c{ban_ve.id}": ("Thiếu tệp cho thành phần bắt buộc: Bản vẽ thiết kế.", "component_file_required"),
    }
    page = _page(resp)
    assert "Có 6 lỗi cần sửa" in page
    # the phone keeps its hint as a description, then its error
    assert 'aria-invalid="true" aria-describedby="phone-hint err-phone"' in page
    # what the citizen typed is kept
    for field_id, value in [("idn", " 12345 "), ("phone", "0912.345.67"), ("email", "binh@"),
                            ("addr", " 5 Lê Lợi, Hà Đông ")]:
        assert re.search(rf'id="{field_id}"[^>]* value="{re.escape(value)}"', page), field_id
    assert re.search(r'value="postal"\s+checked', page)
    _nothing_stored(province.citizen)


@pytest.mark.parametrize("field, value, field_id, message, code", [
    ("applicant_name", "   ", "name", "Phải có họ tên người nộp hồ sơ.", "applicant_name_required"),
    ("applicant_phone", "", "phone", PHONE, "applicant_phone_required"),
    ("applicant_phone", "0912-345 (bảy số)", "phone", PHONE, "applicant_phone_required"),     # seven digits
    # eight or nine digits are not a Vietnamese number (mobile: 10 with the leading 0; landline: 11)
    ("applicant_phone", "0912.345.6", "phone",
     "Số điện thoại 0912.345.6 không đúng định dạng Việt Nam (ví dụ 0912 345 678).", "applicant_phone_invalid"),
    ("applicant_phone", "0912.345.67", "phone",
     "Số điện thoại 0912.345.67 không đúng định dạng Việt Nam (ví dụ 0912 345 678).", "applicant_phone_invalid"),
    ("applicant_kind", "alien", "kind", "Loại người nộp không hợp lệ.", "applicant_kind_invalid"),
    ("result_delivery", "pigeon", "delivery-counter", "Cách nhận kết quả không hợp lệ.", "result_delivery_invalid"),
])
def test_a_missing_field_is_refused_with_its_message_and_nothing_is_stored(client, province, field, value, field_id,
                                                                          message, code):
    client.force_login(province.citizen)
    resp = client.post(f"/thu-tuc/{province.proc.code}/nop/", _form(province.proc, **{field: value}))
    assert resp.status_code == 422
    assert _errors(resp) == {field_id: (message, code)}
    _nothing_stored(province.citizen)


def test_a_required_component_without_a_file_is_refused_by_name(client, province):
    ban_ve = province.proc.components.get(order=2)
    client.force_login(province.citizen)
    resp = client.post(f"/thu-tuc/{province.proc.code}/nop/", _form(province.proc, **{f"c{ban_ve.id}_file": None}))
    assert resp.status_code == 422
    assert _errors(resp) == {f"c{ban_ve.id}": ("Thiếu tệp cho thành phần bắt buộc: Bản vẽ thiết kế.",
                                              "component_file_required")}
    _nothing_stored(province.citizen)


def test_a_failed_review_leaves_an_earlier_accepted_review_working(client, province):
    client.force_login(province.citizen)
    url = f"/thu-tuc/{province.proc.code}/nop/"
    resp = client.post(url, _form(province.proc))
    token = re.search(r'name="token" value="([0-9a-f]{32})"', resp.content.decode()).group(1)
    assert client.post(url, _form(province.proc, applicant_name="", applicant_phone="")).status_code == 422
    assert not Dossier.objects.exists()
    resp = client.post(url, {"step": "confirm", "token": token})
    d = Dossier.objects.get()
    assert resp.status_code == 302 and d.applicant_name == "Trần Văn Bình"
    assert sorted(a.filename for a in Attachment.objects.filter(dossier=d)) == ["tp1.pdf", "tp2.pdf"]


def _review_then_confirm(client, proc, form):
    resp = client.post(f"/thu-tuc/{proc.code}/nop/", form)
    assert resp.status_code == 200, _page(resp)[:2000]
    token = re.search(r'name="token" value="([0-9a-f]{32})"', resp.content.decode()).group(1)
    assert not Dossier.objects.exists()                          # the review step stores no dossier
    resp = client.post(f"/thu-tuc/{proc.code}/nop/", {"step": "confirm", "token": token})
    d = Dossier.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/ho-so-cua-toi/{d.code}/?moi=1"
    return d, resp


def test_the_dossier_is_filed_with_what_was_typed(client, province):
    client.force_login(province.citizen)
    d, _ = _review_then_confirm(client, province.proc, _form(province.proc, applicant_phone=" 0912.345.678 "))
    assert (d.channel, d.owner_id, d.agency_id) == (Channel.ONLINE, province.citizen.pk, province.sxd.pk)
    assert (d.applicant_kind, d.applicant_name, d.applicant_phone, d.applicant_id_number, d.applicant_address,
            d.applicant_email, d.request) == ("citizen", "Trần Văn Bình", "0912.345.678", "001203004567",
                                              "5 Lê Lợi, Hà Đông", "binh@example.vn", "Cấp phép sửa nhà")
    rows = {c.component.order: c.provided for c in d.components.select_related("component")}
    assert rows == {1: True, 2: True}
    assert sorted(a.filename for a in Attachment.objects.filter(dossier=d)) == ["tp1.pdf", "tp2.pdf"]
    resp = client.get(f"/ho-so-cua-toi/{d.code}/?moi=1")
    page = _page(resp)
    assert resp.status_code == 200 and page.count('role="status"') == 1      # one confirmation, not two
    assert f"Mã hồ sơ: <strong>{d.code}</strong>; mã tra cứu: <strong>{d.lookup_secret}</strong>" in page


def test_an_optional_component_may_be_left_out_and_is_marked_not_provided(client, province):
    ban_ve = province.proc.components.get(order=2)
    ban_ve.required = False
    ban_ve.save()
    client.force_login(province.citizen)
    d, _ = _review_then_confirm(client, province.proc, _form(province.proc, **{f"c{ban_ve.id}_file": None}))
    rows = {c.component.order: c.provided for c in d.components.select_related("component")}
    assert rows == {1: True, 2: False}


def test_with_several_competent_agencies_the_citizen_must_choose_one_of_them(client, province, districts):
    Procedure.objects.filter(pk=province.house.pk).update(online_level=OnlineLevel.FULL)
    house = Procedure.objects.get(pk=province.house.pk)
    client.force_login(province.citizen)
    for agency in (None, province.sxd.code):                     # none chosen, or one not competent
        resp = client.post(f"/thu-tuc/{house.code}/nop/", _form(house, agency=agency))
        assert resp.status_code == 422
        assert _errors(resp) == {"agency": ("Phải chọn cơ quan giải quyết.", "agency_required")}
    d, _ = _review_then_confirm(client, house, _form(house, agency=province.kimboi.code))
    assert d.agency_id == province.kimboi.pk


def test_a_confirmation_without_its_review_is_refused(client, province):
    client.force_login(province.citizen)
    resp = client.post(f"/thu-tuc/{province.proc.code}/nop/", {"step": "confirm", "token": "0" * 32})
    assert resp.status_code == 302 and resp["Location"] == f"/thu-tuc/{province.proc.code}/nop/"
    assert "Phiên nộp hồ sơ đã hết hạn, vui lòng nhập lại." in _page(client.get(resp["Location"]))
    assert not Dossier.objects.exists()


def test_a_long_request_is_kept_to_its_first_5000_characters(client, province):
    client.force_login(province.citizen)
    d, _ = _review_then_confirm(client, province.proc, _form(province.proc, request="x" * 5000 + "yz"))
    assert d.request == "x" * 5000


def test_a_new_account_is_signed_in_and_stays_signed_in(client, province):
    resp = client.post("/dang-ky/", {"username": "moi3", "full_name": "Người Mới", "password1": "Mk-rat-dai-2026!",
                                     "password2": "Mk-rat-dai-2026!"})
    assert resp.status_code == 302
    assert client.get("/ho-so-cua-toi/").status_code == 200      # the session's login backend is a real one


def test_a_review_is_confirmed_once(client, province):
    """A second click on "Nộp hồ sơ" (or the back button and again) does not file the dossier twice."""
    client.force_login(province.citizen)
    resp = client.post(f"/thu-tuc/{province.proc.code}/nop/", _form(province.proc))
    token = re.search(r'name="token" value="([0-9a-f]{32})"', resp.content.decode()).group(1)
    first = client.post(f"/thu-tuc/{province.proc.code}/nop/", {"step": "confirm", "token": token})
    assert first.status_code == 302 and Dossier.objects.count() == 1
    assert f"filing:{token}" not in client.session              # the review's data leaves the session
    again = client.post(f"/thu-tuc/{province.proc.code}/nop/", {"step": "confirm", "token": token})
    assert again.status_code == 302 and again["Location"] == f"/thu-tuc/{province.proc.code}/nop/"
    assert Dossier.objects.count() == 1
