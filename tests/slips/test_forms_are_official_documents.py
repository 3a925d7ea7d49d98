"""The forms pass as official documents (Circular 03/2025, Decree 30): slip 1 on one A4 page with its
signatures, people named by full name and title, forms 3-5 numbered "Số: n/symbol" from one gap-free yearly
series per agency, the date line with the place name. Read back with pdftotext/pdfinfo."""
import re
import shutil
import subprocess
import unicodedata
from datetime import timedelta

import pytest
from django.db import transaction

from motcua.agencies.models import Membership
from motcua.catalog.models import Component
from motcua.dossiers import services
from motcua.slips import render as R
from motcua.slips.models import FormNumber

from tests.web.helpers import weasyprint_problem

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(weasyprint_problem() is not None, reason=str(weasyprint_problem())),
              pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                                 reason="needs pdftotext and pdfinfo (Debian package poppler-utils)")]


def pages_text(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [unicodedata.normalize("NFC", p) for p in out.decode("utf-8").split("\f") if p.strip()]


def flat(text):
    return " ".join(text.split())


def page_count(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.fixture
def named_staff(province):
    """Staff with names (surname first, as Vietnamese names are written) and a title on the receiver."""
    for user, last, first in ((province.receiver, "Trần", "Thị Bình"), (province.leader, "Lê", "Văn Cường"),
                              (province.head, "Phạm", "Minh Đức")):
        user.last_name, user.first_name = last, first
        user.save()
    Membership.objects.filter(user=province.receiver).update(title="Cán bộ một cửa")
    province.root.place_name = "Hòa Bình"
    province.root.save()
    return province


def with_components(province, n):
    proc = province.proc
    Component.objects.filter(procedure=proc).delete()
    for i in range(1, n + 1):
        Component.objects.create(procedure=proc, order=i, count=1, form="copy" if i % 2 else "original",
                                 name=f"Giấy tờ số {i}: bản kê khai thông tin chi tiết về công trình xây dựng")


def slip(client, province, code, number):
    client.force_login(province.leader)
    resp = client.get(f"/can-bo/ho-so/{code}/phieu/{number}.pdf")
    assert resp.status_code == 200, resp.status_code
    return resp.content


def test_slip_1_with_8_components_is_one_page_with_both_signatures(client, named_staff, actors, intake_data):
    with_components(named_staff, 8)
    d, _ = services.intake(actors["receiver"], intake_data)
    pdf = slip(client, named_staff, d.code, 1)
    assert page_count(pdf) == 1
    t = flat(pages_text(pdf)[0])
    assert "NGƯỜI NỘP HỒ SƠ" in t and "NGƯỜI TIẾP NHẬN HỒ SƠ" in t and "Giấy tờ số 8" in t


def test_slip_1_with_30_components_breaks_without_orphaning_the_signatures(client, named_staff, actors,
                                                                            intake_data):
    with_components(named_staff, 30)
    d, _ = services.intake(actors["receiver"], intake_data)
    pages = pages_text(slip(client, named_staff, d.code, 1))
    assert len(pages) == 2
    last = flat(pages[-1])
    # the table is whole, the signatures are not alone on a page: they sit under the closing lines
    assert all(f"Giấy tờ số {i}:" in flat(" ".join(pages)) for i in range(1, 31))
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in last and "Quyển số" in last and "Thời gian trả kết quả" in last
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" not in flat(pages[0])
    # no row of the table is cut by the page break (each row's text on one page)
    assert all(sum(f"Giấy tờ số {i}:" in flat(p) for p in pages) == 1 for i in range(1, 31))


def test_receiving_officer_named_by_full_name_and_title_never_user_name(client, named_staff, actors,
                                                                        intake_data):
    d, _ = services.intake(actors["receiver"], intake_data)
    t = flat(pages_text(slip(client, named_staff, d.code, 1))[0])
    assert "Cán bộ một cửa" in t and "Trần Thị Bình" in t
    assert "tiepnhan" not in t


def test_without_a_title_the_role_name_is_printed(client, named_staff, actors, intake_data):
    Membership.objects.filter(user=named_staff.receiver).update(title="")
    d, _ = services.intake(actors["receiver"], intake_data)
    t = flat(pages_text(slip(client, named_staff, d.code, 1))[0])
    assert "Cán bộ tiếp nhận" in t and "Trần Thị Bình" in t and "tiepnhan" not in t


def test_form_2_and_6_name_officers_not_accounts(client, named_staff, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data)
    services.request_supplement(actors["receiver"], d.code, reason="Thiếu bản vẽ", components=["Bản vẽ"])
    t2 = flat(pages_text(slip(client, named_staff, d.code, 2))[0])
    assert "Trần Thị Bình" in t2 and "tiepnhan" not in t2
    services.supplement_received(actors["receiver"], d.code)
    services.forward(actors["receiver"], d.code)
    t6 = flat(" ".join(pages_text(slip(client, named_staff, d.code, 6))))
    assert "Người giao: Cán bộ một cửa, Trần Thị Bình" in t6 and "tiepnhan" not in t6


def test_forms_3_4_5_numbered_from_one_yearly_series_per_agency_with_place_and_date(client, named_staff, actors,
                                                                                 intake_data):
    p = named_staff
    refused, _ = services.intake(actors["receiver"], intake_data)
    refused = services.forward(actors["receiver"], refused.code)
    refused = services.refuse(actors["leader"], refused.code, reason="Không thuộc thẩm quyền")
    late, _ = services.intake(actors["receiver"], intake_data)
    late = services.forward(actors["receiver"], late.code)
    late = services.extend(actors["leader"], late.code, reason="Cần kiểm tra thực địa",
                           new_appointment=late.appointment_at + timedelta(days=10))
    late = services.stop(actors["leader"], late.code, reason="Người nộp đề nghị dừng")
    t3 = flat(pages_text(slip(client, p, refused.code, 3))[0])
    t4 = flat(pages_text(slip(client, p, late.code, 4))[0])
    t5 = flat(pages_text(slip(client, p, late.code, 5))[0])
    # one series for the department's forms 3, 4, 5 in the year: 01, 02, 03
    assert "Số: 01/TB-SXD" in t3
    assert "Số: 02/SXD" in t4
    assert "Số: 03/TB-SXD" in t5
    for t, d, action in ((t3, refused, "refuse"), (t4, late, "extend"), (t5, late, "stop")):
        at = R.local(d.history.get(action=action).at)
        month = f"{at.month:02d}" if at.month < 3 else str(at.month)
        assert f"Hòa Bình, ngày {at.day:02d} tháng {month} năm {at.year}" in t, (action, t[:300])
    # the deciding leader signs, named with the title of their role when the account carries none
    assert "LÃNH ĐẠO CƠ QUAN" in t4 and "Lê Văn Cường" in t4 and "giamdoc" not in t4 + t5
    # printing again prints the same number: it belongs to the act, not to the print
    assert "Số: 01/TB-SXD" in flat(pages_text(slip(client, p, refused.code, 3))[0])


def test_a_rolled_back_act_gives_its_number_back(named_staff, actors, intake_data):
    a, _ = services.intake(actors["receiver"], intake_data)
    a = services.forward(actors["receiver"], a.code)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.stop(actors["leader"], a.code, reason="Thử")
        raise RuntimeError("the act fails after numbering")
    services.stop(actors["leader"], a.code, reason="Người nộp đề nghị dừng")
    assert list(FormNumber.objects.values_list("number_symbol", flat=True)) == ["01/TB-SXD"]


def test_place_falls_back_to_the_province_name(province):
    assert province.sxd.place() == "Demo"   # "UBND tỉnh Demo" without its administrative prefix
    province.root.place_name = "Hòa Bình"
    province.root.save()
    province.sxd.refresh_from_db()
    assert province.sxd_unit.place() == "Hòa Bình"
    province.sxd.place_name = "Thành phố Hòa Bình"
    assert province.sxd.place() == "Thành phố Hòa Bình"
