"""Signing in the back office: the leader signs the result from the dossier page (with the PIN/passphrase
typed there), the clerk applies the agency seal, a digitised copy is certified from the page, a key is
registered from the page, administrators see certificates near expiry on the home page, and a procedure
that requires a signed result cannot be marked ready without one."""
import base64

import pytest

from motcua.core.errors import Conflict
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Attachment, Status
from motcua.signing import results, services
from motcua.signing.models import SigningKey

from . import pki as testpki

from .samples import make_pdf
from .test_registry_dossier_results_copies_and_outgoing import _approved, keys  # noqa: F401
from ..conftest import attach_result

SXD = "000.00.17.H13"


def _file(data, name="ket-qua.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_leader_signs_the_result_from_the_dossier_page_with_the_passphrase(client, province, actors, pki,
                                                                              intake_data):
    key = services.register_key(actors["leader"], SXD, label="Chữ ký Giám đốc", kind="personal",
                                holder=province.leader, source="pkcs12",
                                config={"data_b64": base64.b64encode(pki.leader.p12()).decode()},
                                secrets={"pin": testpki.P12_PASSWORD})
    assert "passphrase" not in key.source_config            # typed, not stored
    d = _approved(province, actors, intake_data)
    client.force_login(province.leader)
    page = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert "Ký số kết quả giải quyết" in page and "Chữ ký Giám đốc" in page
    url = f"/can-bo/ky-so/ho-so/{d.code}/ky-ket-qua/"
    form = {"step": "person", "key_id": key.pk, "version": d.version}
    r = client.post(url, dict(form, file=_file(make_pdf(1))), follow=True)
    assert "PKCS#12" in r.content.decode()                   # no passphrase: refused, clearly
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and not Attachment.objects.filter(dossier=d).exists()
    r = client.post(url, dict(form, file=_file(make_pdf(1)), pin=testpki.P12_PASSWORD), follow=True)
    assert "Đã ký số kết quả" in r.content.decode()
    d.refresh_from_db()
    assert d.status == Status.PROCESSING                     # the seal is still to come
    att = Attachment.objects.get(dossier=d, kind="other")
    assert att.internal and services.verify(att.file.read())["valid"]


def test_the_clerk_applies_the_seal_and_certifies_a_copy_from_the_page(client, province, actors, pki, intake_data,
                                                                       keys):  # noqa: F811
    d = _approved(province, actors, intake_data)
    client.force_login(province.clerk)
    page = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert "Chờ lãnh đạo cơ quan ký số kết quả" in page and 'id="sr-key"' not in page
    comp = d.components.first()
    r = client.post(f"/can-bo/ky-so/ho-so/{d.code}/chung-thuc-ban-sao/",
                    {"file": _file(make_pdf(1), "ban-sao.pdf"), "component": comp.pk, "key_id": keys["seal"].pk},
                    follow=True)
    assert "01/SY-SXD" in r.content.decode()
    assert Attachment.objects.filter(dossier=d, component=comp, digitised=True, signed=True).exists()
    d.refresh_from_db()
    url = f"/can-bo/ky-so/ho-so/{d.code}/ky-ket-qua/"
    r = client.post(url, {"step": "seal", "key_id": keys["seal"].pk, "version": d.version}, follow=True)
    assert "Chưa đến lượt đóng dấu" in r.content.decode()    # the leader has not signed yet
    results.sign_result(actors["leader"], d.code, keys["leader"].pk, step="person", pdf_bytes=make_pdf(1))
    d.refresh_from_db()
    page = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert "Con dấu Sở Xây dựng" in page.split('id="sr-key"')[1].split("</select>")[0]
    assert "Giám đốc" not in page.split('id="sr-key"')[1].split("</select>")[0]
    r = client.post(url, {"step": "seal", "key_id": keys["seal"].pk, "version": d.version}, follow=True)
    d.refresh_from_db()
    assert d.status == Status.FINISHED, r.content.decode()[:2000]


def test_a_procedure_requiring_a_signed_result_is_not_marked_ready_without_one(province, actors, intake_data,
                                                                              keys):  # noqa: F811
    province.proc.signed_result_required = True
    province.proc.save()
    d = _approved(province, actors, intake_data)
    with pytest.raises(Conflict) as err:
        dossiers.mark_result_ready(actors["clerk"], d.code)
    assert err.value.code == "signed_result_required"
    dossiers.attach(actors["clerk"], d.code, kind="result", filename="kq.pdf", content=make_pdf(1))  # unsigned
    with pytest.raises(Conflict):
        dossiers.mark_result_ready(actors["clerk"], d.code)
    results.sign_result(actors["leader"], d.code, keys["leader"].pk, step="person", pdf_bytes=make_pdf(1))
    with pytest.raises(Conflict):                     # the leader's signature alone is not a signed result
        dossiers.mark_result_ready(actors["clerk"], d.code)
    results.sign_result(actors["clerk"], d.code, keys["seal"].pk, step="seal")
    d.refresh_from_db()
    assert d.status == Status.FINISHED
    province.proc.signed_result_required = False      # the default: paper results are marked ready as before
    province.proc.save()
    d2 = _approved(province, actors, dict(intake_data, applicant_phone="0900000002"))
    attach_result(actors["clerk"], d2.code)
    assert dossiers.mark_result_ready(actors["clerk"], d2.code).status == Status.FINISHED


def test_administrators_see_certificates_near_expiry_on_the_home_page(client, province, keys):  # noqa: F811
    client.force_login(province.admin)
    html = client.get("/can-bo/").content.decode()
    assert 'id="expiring-certificates"' in html and "Sắp hết hạn" in html and "Con dấu Sở Xây dựng" not in html
    client.force_login(province.clerk)
    assert 'id="expiring-certificates"' not in client.get("/can-bo/").content.decode()
    client.force_login(province.other)       # another agency's officer
    assert 'id="expiring-certificates"' not in client.get("/can-bo/").content.decode()


def test_a_key_is_registered_from_the_back_office(client, province, pki):
    client.force_login(province.admin)
    assert "Đăng ký chứng thư số" in client.get("/can-bo/ky-so/chung-thu-so/").content.decode()
    form = {"agency": SXD, "label": "Con dấu", "kind": "organisation", "source": "pkcs12",
            "pin": testpki.P12_PASSWORD}
    r = client.post("/can-bo/ky-so/chung-thu-so/", dict(form, p12=_file(pki.stp.p12(), "stp.p12")), follow=True)
    assert "không phải cho Sở Xây dựng" in r.content.decode() and not SigningKey.objects.exists()
    r = client.post("/can-bo/ky-so/chung-thu-so/", dict(form, p12=_file(pki.agency.p12(), "sxd.p12")), follow=True)
    assert "Đã đăng ký chứng thư số" in r.content.decode()
    key = SigningKey.objects.get()
    assert key.agency == province.sxd and key.subject.startswith("Common Name: SỞ XÂY DỰNG")
    client.force_login(province.clerk)                 # a clerk sees the registry but cannot register
    assert "Đăng ký chứng thư số" not in client.get("/can-bo/ky-so/chung-thu-so/").content.decode()


def test_a_leader_registers_their_own_certificate_from_the_page_and_signs_the_result_with_it(
        client, province, actors, pki, intake_data):
    client.force_login(province.leader)
    form = {"agency": SXD, "label": "Chữ ký của tôi", "kind": "personal", "source": "pkcs12",
            "pin": testpki.P12_PASSWORD, "holder_name": "Nguyễn Văn Giám", "holder_title": "Phó Giám đốc",
            "authority": "KT. Giám đốc"}
    r = client.post("/can-bo/ky-so/chung-thu-so/", dict(form, p12=_file(pki.leader.p12(), "gd.p12")), follow=True)
    assert "Đã đăng ký chứng thư số" in r.content.decode()
    key = SigningKey.objects.get()
    assert key.kind == "personal" and key.holder == province.leader and "passphrase" not in key.source_config
    d = _approved(province, actors, intake_data)
    page = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert "Chữ ký của tôi" in page.split('id="sr-key"')[1].split("</select>")[0]
    out = results.sign_result(actors["leader"], d.code, key.pk, step="person", pdf_bytes=make_pdf(1),
                              secrets={"pin": testpki.P12_PASSWORD})
    assert out["next_step"] == "seal"


def test_remote_csc_signs_with_the_providers_confirmation_typed_at_signing(province, actors, pki, csc):
    """The remote key is registered without its signing PIN; the leader types it for each signature (the
    provider's confirmation), and the same checks (registered certificate, revocation) apply."""
    config = {"service_url": csc.base_url, "credential_id": "cred-leader", "username": "giamdoc",
              "password": "mat-khau-csc"}
    key = services.register_key(actors["leader"], SXD, label="Ký số từ xa", kind="personal", holder=province.leader,
                                source="csc", config=config)
    with pytest.raises(Conflict):
        services.sign_outgoing_document(actors["leader"], SXD, make_pdf(1), key.pk, secrecy="thuong", level="B-B",
                                        secrets={"pin": "000000"})
    out = services.sign_outgoing_document(actors["leader"], SXD, make_pdf(1), key.pk, secrecy="thuong",
                                          level="B-T", secrets={"pin": "246810"})
    report = services.verify(out["signed"])
    assert report["valid"] and report["signatures"][0]["signer"] == "Nguyễn Văn Giám"
