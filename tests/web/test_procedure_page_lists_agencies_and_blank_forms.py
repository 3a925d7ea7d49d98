"""The procedure page names every deciding agency (no "…" cut) and offers the blank forms (mẫu đơn, tờ khai)
for download, inspected on the way in as every upload and served with the attachments' safe headers."""
import shutil
import subprocess

import pytest

from motcua.agencies.models import Agency, AgencyKind
from motcua.agencies.scope import actor_for
from motcua.catalog import demo, services
from motcua.core.errors import NotAllowed, ValidationFailed

from tests.web.helpers import PDF, weasyprint_problem

pytestmark = pytest.mark.django_db


def test_every_deciding_agency_is_listed(client, province):
    names = [f"UBND xã Thử Nghiệm Số {i}" for i in range(1, 9)]
    for i, name in enumerate(names, start=1):
        province.proc.agencies.add(Agency.objects.create(code=f"{i:03d}.99.01.H13", name=name,
                                                         kind=AgencyKind.COMMUNE, parent=province.root))
    page = client.get(f"/thu-tuc/{province.proc.code}/").content.decode()
    for name in names + ["Sở Xây dựng"]:
        assert name in page, name
    assert "…" not in page.split('class="facts"')[1].split("</dl>")[0]


@pytest.mark.skipif(weasyprint_problem() is not None or shutil.which("pdftotext") is None,
                    reason="needs WeasyPrint and pdftotext")
def test_blank_form_offered_and_served_safely(client, province):
    comp = province.proc.components.get(order=1)
    admin = actor_for(province.admin)
    services.set_blank_form(admin, comp.pk, "don.pdf", demo.blank_form_pdf(comp))
    page = client.get(f"/thu-tuc/{province.proc.code}/").content.decode()
    url = f"/thu-tuc/{province.proc.code}/mau-don/{comp.pk}/"
    assert f'href="{url}"' in page
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp["X-Content-Type-Options"] == "nosniff" and "default-src 'none'" in resp["Content-Security-Policy"]
    body = b"".join(resp.streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
    assert "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP" in text and "NGƯỜI ĐỀ NGHỊ" in text
    # a component without a blank form, or of another procedure, is 404
    other = province.proc.components.get(order=2)
    assert client.get(f"/thu-tuc/{province.proc.code}/mau-don/{other.pk}/").status_code == 404
    assert client.get(f"/thu-tuc/{province.proc_stp.code}/mau-don/{comp.pk}/").status_code == 404


def test_blank_forms_pass_the_upload_inspection_and_only_administrators_set_them(province):
    comp = province.proc.components.get(order=1)
    with pytest.raises(ValidationFailed) as err:
        services.set_blank_form(actor_for(province.admin), comp.pk, "don.pdf", b"MZ\x90\x00 not a form")
    assert err.value.code == "file_type_not_allowed"
    bad = PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>")
    with pytest.raises(ValidationFailed) as err:
        services.set_blank_form(actor_for(province.admin), comp.pk, "don.pdf", bad)
    assert err.value.code == "pdf_active_content"
    with pytest.raises(NotAllowed):
        services.set_blank_form(actor_for(province.receiver), comp.pk, "don.pdf", PDF)
    comp.refresh_from_db()
    assert not comp.template_file
