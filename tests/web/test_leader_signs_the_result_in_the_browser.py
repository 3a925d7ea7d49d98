"""In headless Chromium, the result's signing plan (Decree 30): the leader opens an approved dossier in the
back office, chooses the result PDF and their certificate, types the passphrase and signs; the page shows
the leader's step done and the seal next; the clerk (văn thư) opens the same dossier and applies the
agency seal; the dossier is "Đã xử lý xong" and the result carries both signatures, valid. axe-core finds
no serious or critical violation on the dossier page with its signing panel."""
import base64

import pytest

from motcua.dossiers.models import Attachment, Status
from motcua.signing import services

from ..signing import pki as testpki
from ..signing.conftest import pki  # noqa: F401 (the local test PKI: CA, OCSP, CRL, TSA)
from ..signing.samples import make_pdf
from ..signing.test_registry_dossier_results_copies_and_outgoing import _approved
from .conftest import axe_violations, login, shot
from .test_officer_day_in_the_browser import sign_step

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _signing_settings(settings, pki):  # noqa: F811
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.root_pem_path)]
    settings.MOTCUA_SIGNING_TSA_URL = pki.tsa_url
    settings.MOTCUA_SIGNING_FETCH_ALLOW = [pki.base_url.removeprefix("http://")]


def test_the_leader_signs_the_result_in_the_browser(new_page, province, actors, pki, intake_data,  # noqa: F811
                                                    tmp_path):
    key = services.register_key(actors["leader"], "000.00.17.H13", label="Chữ ký số Giám đốc", kind="personal",
                                holder=province.leader, holder_name="Nguyễn Văn Giám", holder_title="Phó Giám đốc",
                                authority="KT. Giám đốc", source="pkcs12",
                                config={"data_b64": base64.b64encode(pki.leader.p12()).decode()},
                                secrets={"pin": testpki.P12_PASSWORD})
    seal = services.register_key(actors["admin"], "000.00.17.H13", label="Con dấu Sở Xây dựng", kind="organisation",
                                 source="pkcs12", config={"data_b64": base64.b64encode(pki.agency.p12()).decode()},
                                 secrets={"pin": testpki.P12_PASSWORD})
    d = _approved(province, actors, intake_data)
    result = tmp_path / "giay-phep.pdf"
    result.write_bytes(make_pdf(1, "GIAY PHEP XAY DUNG"))
    page = new_page()
    login(page, "giamdoc", "pw-giamdoc")
    page.goto(f"/can-bo/ho-so/{d.code}/")
    found = axe_violations(page)
    assert not found, " | ".join(found)
    sign_step(page, "person", key, result)
    assert "chờ văn thư đóng dấu" in page.content()
    assert page.locator("#result-plan li[data-step=person][data-done='1']").count() == 1
    assert page.locator("#result-plan li[data-step=seal][data-done='0']").count() == 1
    d.refresh_from_db()
    assert d.status == Status.PROCESSING                   # the leader's signature alone does not finish it

    page.context.clear_cookies()
    login(page, "vanthu", "pw-vanthu")
    page.goto(f"/can-bo/ho-so/{d.code}/")
    found = axe_violations(page)
    assert not found, " | ".join(found)
    form = page.locator("form:has(button[data-action=sign_result][data-step=seal])")
    assert form.locator("input[name=file]").count() == 0    # the seal goes on the leader's file
    form.locator("select[name=key_id]").select_option(str(seal.pk))
    form.locator("input[name=pin]").fill(testpki.P12_PASSWORD)
    with page.expect_navigation(timeout=90000):
        form.locator("button[data-action=sign_result]").click(no_wait_after=True)
    page.wait_for_load_state()
    shot(page, "signing-result-signed")
    assert page.locator(".msg.error").count() == 0, page.locator(".msg.error").first.inner_text()
    assert "kết quả đã được ký đủ" in page.content()
    assert page.locator("#result-plan li[data-done='1']").count() == 2
    d.refresh_from_db()
    assert d.status == Status.FINISHED
    report = services.verify(Attachment.objects.get(dossier=d, kind="result").file.read())
    assert report["valid"] and report["count"] == 2
    assert [s["signer"] for s in report["signatures"]] == ["Nguyễn Văn Giám", "SỞ XÂY DỰNG"], report
