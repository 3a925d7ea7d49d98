"""Issue 9, trust holes 1-4, and the signing faults of issue 17. Each test here failed on the code before
the fix:
1. a PKCS#11 session opened with the right PIN let a wrong PIN through; a key could be registered by an
   agency its certificate does not name
2. a revoked certificate signed at B-B and B-T
3. a replaced PKCS#12 file (another, even expired, certificate) signed under the registered key
4. "MẬT" in NFD, "MAT", "Độ mật: MẬT" were signed
and a leader of two agencies could use one agency's key for the other's dossier; a unit head could sign."""
import datetime as dt
import unicodedata

import pytest

from motcua.agencies.models import Membership, Role
from motcua.agencies.scope import actor_for
from motcua.core.errors import Conflict, NotAllowed, ValidationFailed
from motcua.dossiers.models import Attachment, Status
from motcua.signing import keys, results, services
from motcua.signing.models import SignatureRecord

from . import pki as testpki
from .conftest import p12_config
from .samples import make_pdf
from .test_registry_dossier_results_copies_and_outgoing import _approved, keys as keys_fixture  # noqa: F401

SXD = "000.00.17.H13"
STP = "000.00.18.H13"


def _issue(pki, name, org, *, days=365, start_days=-30, revinfo=True, base_url=None):
    """One more certificate from the test CA (the OCSP responder does not know it: the CRL answers)."""
    saved = pki.base_url
    pki.base_url = base_url or saved
    try:
        return pki._issue(name, testpki._name(name, org), pki.ca, pki.now + dt.timedelta(days=start_days),
                          pki.now + dt.timedelta(days=days), crl="ca" if revinfo else None, ocsp=revinfo)
    finally:
        pki.base_url = saved


# ---------------------------------------------------------------- 1. PKCS#11 sessions and the agency named

def test_pkcs11_session_is_bound_to_the_verified_pin(pki, softhsm):
    right = keys.source_for("pkcs11", softhsm, binding="1:abc")
    assert right.certificate().subject.native["common_name"] == "SỞ XÂY DỰNG"   # session open and kept
    for binding in ("1:abc", "2:def", None):      # the same token with a wrong PIN, whoever asks
        with pytest.raises(keys.KeySourceError) as err:
            keys.source_for("pkcs11", dict(softhsm, pin="0000"), binding=binding).certificate()
        assert err.value.code == "key_unusable"
    assert right.certificate().subject.native["common_name"] == "SỞ XÂY DỰNG"   # the right PIN still works


def test_registering_with_a_wrong_pin_fails_even_while_the_token_is_signing(province, actors, pki, softhsm):
    key = services.register_key(actors["admin"], SXD, label="Token", kind="organisation", source="pkcs11",
                                config=softhsm)
    out = services.sign_outgoing_document(actors["clerk"], SXD, make_pdf(1), key.pk, secrecy="thuong", level="B-B")
    assert out["signed"]
    with pytest.raises(ValidationFailed) as err:      # the PIN is checked before anything else
        services.register_key(actors["admin"], SXD, label="Token", kind="organisation", source="pkcs11",
                              config=dict(softhsm, pin="9999"))
    assert err.value.code == "key_unusable"
    # the officer's PIN typed at signing time is checked too
    key.source_config = {k: v for k, v in softhsm.items() if k != "pin"}
    key.save()
    with pytest.raises(Conflict) as err:
        services.sign_outgoing_document(actors["clerk"], SXD, make_pdf(1), key.pk, secrecy="thuong", level="B-B",
                                        secrets={"pin": "0000"})
    assert err.value.code == "key_unusable"
    assert services.sign_outgoing_document(actors["clerk"], SXD, make_pdf(1), key.pk, secrecy="thuong",
                                           level="B-B", secrets={"pin": softhsm["pin"]})["signed"]


def test_a_key_is_registered_only_by_the_agency_its_certificate_names(province, actors, pki):
    with pytest.raises(NotAllowed) as err:   # Sở Xây dựng's administrator, Sở Tư pháp's certificate
        services.register_key(actors["admin"], SXD, label="STP", kind="organisation", source="pkcs12",
                              config=p12_config(pki.stp))
    assert err.value.code == "certificate_of_other_agency" and "Sở Tư pháp" in err.value.message
    assert err.value.details["agency"] == "Sở Xây dựng"
    # the name is compared NFC, without regard to case or runs of spaces
    odd = _issue(pki, "Con dấu", unicodedata.normalize("NFD", "SỞ  XÂY DỰNG"))
    key = services.register_key(actors["admin"], SXD, label="NFD", kind="organisation", source="pkcs12",
                                config=p12_config(odd))
    assert key.agency == province.sxd
    for org in ("Sở Xây dựng Tư pháp", "Xây dựng", ""):
        other = _issue(pki, "Khác", org or "Motcua")
        with pytest.raises(NotAllowed):
            services.register_key(actors["admin"], SXD, label="x", kind="organisation", source="pkcs12",
                                  config=p12_config(other))


# ---------------------------------------------------------------- 2. revocation before every signature

@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT"])
def test_a_revoked_certificate_never_signs(province, actors, pki, intake_data, level):
    key = services.register_key(actors["admin"], SXD, label="Thu hồi", kind="personal", holder=province.leader,
                                source="pkcs12", config=p12_config(pki.revoked))
    d = _approved(province, actors, intake_data)
    with pytest.raises(Conflict) as err:
        results.sign_result(actors["leader"], d.code, key.pk, step="person", pdf_bytes=make_pdf(1), level=level)
    assert err.value.code == "certificate_revoked" and "thu hồi" in err.value.message
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and not Attachment.objects.filter(dossier=d).exists()
    assert not SignatureRecord.objects.exists()


def test_revocation_status_unknown_refuses(province, actors, pki):
    """Fail closed: no OCSP/CRL URL at all, or none answering, is no signature."""
    silent = _issue(pki, "Im lặng", "Sở Xây dựng", base_url="http://127.0.0.1:9")
    bare = _issue(pki, "Không URL", "Sở Xây dựng", revinfo=False)
    for issued in (silent, bare):
        key = services.register_key(actors["admin"], SXD, label=issued.name, kind="organisation",
                                    source="pkcs12", config=p12_config(issued))
        with pytest.raises(Conflict) as err:
            services.sign_outgoing_document(actors["clerk"], SXD, make_pdf(1), key.pk, secrecy="thuong",
                                            level="B-B")
        assert err.value.code == "revocation_unknown", issued.name
    assert not SignatureRecord.objects.exists()


def test_ocsp_first_then_the_crl(province, actors, pki):
    before = dict(pki.counts)
    key = services.register_key(actors["admin"], SXD, label="Dấu", kind="organisation", source="pkcs12",
                                config=p12_config(pki.agency))
    services.sign_outgoing_document(actors["clerk"], SXD, make_pdf(1), key.pk, secrecy="thuong", level="B-B")
    assert pki.counts["ocsp"] > before["ocsp"]
    unknown_to_ocsp = _issue(pki, "Chỉ CRL", "Sở Xây dựng")   # OCSP answers "unauthorized": the CRL decides
    key = services.register_key(actors["admin"], SXD, label="CRL", kind="organisation", source="pkcs12",
                                config=p12_config(unknown_to_ocsp))
    crl_before = pki.counts["crl"]
    assert services.sign_outgoing_document(actors["clerk"], SXD, make_pdf(1), key.pk, secrecy="thuong",
                                           level="B-B")["signed"]
    assert pki.counts["crl"] > crl_before


# ---------------------------------------------------------------- 3. the certificate really used

def test_a_replaced_key_file_does_not_sign_under_the_registered_name(province, actors, pki):
    key = services.register_key(actors["admin"], SXD, label="Dấu", kind="organisation", source="pkcs12",
                                config=p12_config(pki.agency))
    expired = _issue(pki, "Đã hết hạn", "Sở Xây dựng", start_days=-400, days=-5)
    for replacement in (pki.expiring, expired):
        key.source_config = p12_config(replacement)
        key.save()
        with pytest.raises(Conflict) as err:
            services.sign_outgoing_document(actors["clerk"], SXD, make_pdf(1), key.pk, secrecy="thuong",
                                            level="B-B")
        assert err.value.code == "certificate_mismatch", replacement.name
    assert not SignatureRecord.objects.exists()
    key.source_config = p12_config(pki.agency)
    key.save()
    services.sign_outgoing_document(actors["clerk"], SXD, make_pdf(1), key.pk, secrecy="thuong", level="B-B")
    assert SignatureRecord.objects.get().certificate_fingerprint == key.fingerprint


# ---------------------------------------------------------------- 4. secrecy: a fixed field, fail closed

SECRET_SPELLINGS = ["MẬT", unicodedata.normalize("NFD", "MẬT"), "MAT", "mat", "Độ mật: MẬT", "MẬT - Khẩn",
                    "Tối mật", unicodedata.normalize("NFD", "TỐI MẬT"), "TUYET MAT", " tuyệt   mật ", "Mật.",
                    "SECRET"]


def test_secret_markings_in_any_form_are_refused(province, actors, keys_fixture):  # noqa: F811
    key = keys_fixture["leader"].pk
    for text in SECRET_SPELLINGS:
        with pytest.raises(NotAllowed) as err:
            services.sign_outgoing_document(actors["leader"], SXD, make_pdf(1), key, secrecy="thuong",
                                            confidentiality=text)
        assert err.value.code == "secret_document_not_signed", text
    for level in ("mat", "toi_mat", "tuyet_mat", "MẬT", unicodedata.normalize("NFD", "Tối mật")):
        with pytest.raises(NotAllowed) as err:
            services.sign_outgoing_document(actors["leader"], SXD, make_pdf(1), key, secrecy=level)
        assert err.value.code == "secret_document_not_signed", level
    for secrecy, text, code in ((None, "", "secrecy_required"), (None, "Khẩn", "secrecy_required"),
                                ("bí", "", "invalid_secrecy")):
        with pytest.raises(ValidationFailed) as err:
            services.sign_outgoing_document(actors["leader"], SXD, make_pdf(1), key, secrecy=secrecy,
                                            confidentiality=text)
        assert err.value.code == code
    assert not SignatureRecord.objects.exists()
    for secrecy, text in (("thuong", ""), ("thuong", "Khẩn"), (None, "Thường"), (None, "thuong")):
        services.sign_outgoing_document(actors["leader"], SXD, make_pdf(1), key, secrecy=secrecy,
                                        confidentiality=text, level="B-B")
    assert set(SignatureRecord.objects.values_list("secrecy", flat=True)) == {"thuong"}


def test_secrecy_through_the_api(province, keys_fixture):  # noqa: F811
    from rest_framework.test import APIClient
    c = APIClient()
    c.force_authenticate(province.leader)
    base = {"agency": SXD, "key_id": keys_fixture["leader"].pk}
    r = c.post("/api/v1/signing/documents/", dict(base, secrecy="thuong",
                                                  confidentiality=unicodedata.normalize("NFD", "MẬT")))
    assert r.status_code == 403 and r.json()["code"] == "secret_document_not_signed"
    r = c.post("/api/v1/signing/documents/", dict(base, secrecy="toi_mat"))
    assert r.status_code == 403 and r.json()["code"] == "secret_document_not_signed"
    r = c.post("/api/v1/signing/documents/", base)
    assert r.status_code == 422 and r.json()["code"] == "secrecy_required"


# ---------------------------------------------------------------- issue 17: who signs with which key

def test_a_leader_of_two_agencies_cannot_use_one_agencys_key_for_the_other(province, actors, pki, intake_data):
    Membership.objects.create(user=province.leader, agency=province.stp, role=Role.AGENCY_LEADER)
    leader = actor_for(type(province.leader).objects.get(pk=province.leader.pk))
    stp_key = services.register_key(leader, STP, label="Dấu STP", kind="organisation", source="pkcs12",
                                    config=p12_config(pki.stp))
    d = _approved(province, actors, intake_data)
    with pytest.raises(NotAllowed) as err:
        results.sign_result(leader, d.code, stp_key.pk, step="person", pdf_bytes=make_pdf(1))
    assert err.value.code == "key_of_other_agency"
    with pytest.raises(NotAllowed) as err:
        services.sign_outgoing_document(leader, SXD, make_pdf(1), stp_key.pk, secrecy="thuong")
    assert err.value.code == "key_of_other_agency"
    assert not SignatureRecord.objects.exists()


def test_a_unit_head_does_not_sign_for_the_agency_and_nothing_is_recorded(province, actors, pki, intake_data,
                                                                          keys_fixture):  # noqa: F811
    d = _approved(province, actors, intake_data)
    for call in (lambda: results.sign_result(actors["head"], d.code, keys_fixture["seal"].pk, step="seal"),
                 lambda: results.sign_result(actors["head"], d.code, keys_fixture["leader"].pk, step="person",
                                             pdf_bytes=make_pdf(1)),
                 lambda: services.sign_outgoing_document(actors["head"], SXD, make_pdf(1), keys_fixture["seal"].pk,
                                                         secrecy="thuong"),
                 lambda: services.sign_pdf_as(actors["head"], keys_fixture["seal"].pk, make_pdf(1))):
        with pytest.raises(NotAllowed) as err:
            call()
        assert err.value.code == "role_required"
    d.refresh_from_db()
    assert d.status == Status.PROCESSING
    assert not SignatureRecord.objects.exists() and not Attachment.objects.filter(dossier=d).exists()


def test_free_text_is_stored_nfc(province, actors, pki):
    nfd = lambda t: unicodedata.normalize("NFD", t)  # noqa: E731
    key = services.register_key(actors["admin"], SXD, label=nfd("Con dấu"), kind="organisation", source="pkcs12",
                                config=p12_config(pki.agency), holder_title=nfd("Phó Giám đốc"),
                                authority=nfd("KT. Giám đốc"))
    assert (key.label, key.holder_title, key.authority) == ("Con dấu", "Phó Giám đốc", "KT. Giám đốc")
