"""In headless Chromium: the leader opens an approved dossier in the back office, chooses the result PDF
and their certificate, types the passphrase and signs; the dossier is "Đã xử lý xong" and the result
verifies. axe-core finds no serious or critical violation on the dossier page with its signing panel."""
import base64

import pytest

from motcua.dossiers.models import Attachment, Status
from motcua.signing import services

from ..signing import pki as testpki
from ..signing.conftest import pki  # noqa: F401 (the local test PKI: CA, OCSP, CRL, TSA)
from ..signing.samples import make_pdf
from ..signing.test_registry_dossier_results_copies_and_outgoing import _approved
from .conftest import axe_violations, login, shot

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
    d = _approved(province, actors, intake_data)
    result = tmp_path / "giay-phep.pdf"
    result.write_bytes(make_pdf(1, "GIAY PHEP XAY DUNG"))
    page = new_page()
    login(page, "giamdoc", "pw-giamdoc")
    page.goto(f"/can-bo/ho-so/{d.code}/")
    found = axe_violations(page)
    assert not found, " | ".join(found)
    form = page.locator("form:has(button[data-action=sign_result])")
    form.locator("input[name=file]").set_input_files(str(result))
    form.locator("select[name=key_id]").select_option(str(key.pk))
    form.locator("input[name=pin]").fill(testpki.P12_PASSWORD)
    with page.expect_navigation(timeout=90000):   # signing asks the TSA and OCSP: slow on a loaded machine
        form.locator("button[data-action=sign_result]").click(no_wait_after=True)
    page.wait_for_load_state()
    shot(page, "signing-result-signed")
    assert page.locator(".msg.error").count() == 0, page.locator(".msg.error").first.inner_text()
    assert "Đã ký số kết quả" in page.content()
    d.refresh_from_db()
    assert d.status == Status.FINISHED
    assert services.verify(Attachment.objects.get(dossier=d, kind="result").file.read())["valid"]
