"""The back-office register page lists the officer's own organisation's documents only; the Excel download is
scoped the same way; staff only."""
import io
from datetime import date

from openpyxl import load_workbook

from motcua.documents import services
from motcua.signing.models import SecrecyLevel

from ..conftest import at


def test_register_page_and_download(client, province, actors):
    doc = services.create_draft(actors["specialist"], province.sxd.code, type_name="Quyết định",
                                subject="Về việc cấp phép <b>", secrecy=SecrecyLevel.NORMAL)
    services.review(actors["leader"], doc.pk)
    services.approve(actors["leader"], doc.pk)
    services.issue(actors["clerk"], doc.pk, now=at("2026-03-02 09:00"))
    services.register_incoming(actors["clerk"], province.sxd.code, sender_name="Sở Tư pháp", number_symbol="7/STP",
                               issued_date=date(2026, 3, 1), subject="Góp ý", secrecy=SecrecyLevel.NORMAL,
                               now=at("2026-03-02 10:00"))
    assert client.get("/can-bo/van-ban/").status_code == 302                   # not logged in: to the login page
    client.force_login(province.clerk)
    page = client.get("/can-bo/van-ban/?nam=2026").content.decode()
    assert "01/QĐ-SXD" in page and "7/STP" in page and "&lt;b&gt;" in page and "<b>" not in page.split("<main")[-1]
    assert client.get("/can-bo/van-ban/?nam=abc").status_code in (400, 422)
    xlsx = client.get(f"/can-bo/van-ban/{province.sxd.code}/so-van-ban.xlsx?nam=2026")
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.content)).worksheets[0]["A3"].value == "01/QĐ-SXD"
    client.force_login(province.other)
    page = client.get("/can-bo/van-ban/?nam=2026").content.decode()
    assert "01/QĐ-SXD" not in page and "7/STP" not in page
    assert client.get(f"/can-bo/van-ban/{province.sxd.code}/so-van-ban.xlsx?nam=2026").status_code == 403
