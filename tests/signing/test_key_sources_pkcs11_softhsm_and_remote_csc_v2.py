"""The same signing core with keys from a SoftHSM2 token (PKCS#11) and from a remote CSC API v2 service
running on 127.0.0.1; both results verify here and with pdfsig."""
import pytest

from motcua.signing import keys, pdf

from .conftest import pdfsig
from .samples import make_pdf


def test_pkcs11_token_in_softhsm2_signs_b_t(pki, softhsm, tmp_path):
    source = keys.source_for("pkcs11", softhsm)
    assert source.certificate().subject.native["common_name"] == "SỞ XÂY DỰNG"
    signed = pdf.sign_pdf(make_pdf(2), source, pdf.SignOptions(level="B-T", tsa_url=pki.tsa_url))
    report = pdf.verify_pdf(signed, [pki.root.asn1])
    assert report["valid"] and report["signatures"][0]["level"] == "B-T"
    f = tmp_path / "p11.pdf"
    f.write_bytes(signed)
    out = pdfsig(pki, f)
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out


def test_pkcs11_wrong_pin_or_missing_module_is_a_clear_error(softhsm, tmp_path):
    with pytest.raises(keys.KeySourceError) as err:
        keys.source_for("pkcs11", dict(softhsm, module=str(tmp_path / "nope.so"))).certificate()
    assert err.value.code == "key_not_found"
    with pytest.raises(keys.KeySourceError) as err:
        keys.source_for("pkcs11", dict(softhsm, token_label="no-such-token")).certificate()
    assert err.value.code == "key_unusable"


def _csc(csc, **over):
    return keys.source_for("csc", dict({"service_url": csc.base_url, "credential_id": "cred-leader",
                                        "username": "giamdoc", "password": "mat-khau-csc", "pin": "246810"}, **over))


def test_remote_csc_v2_service_signs_b_lt(pki, csc, tmp_path):
    before = len(csc.calls)
    signed = pdf.sign_pdf(make_pdf(2), _csc(csc),
                          pdf.SignOptions(level="B-LT", tsa_url=pki.tsa_url, trust_roots=[pki.root.asn1]))
    calls = csc.calls[before:]
    assert calls[0] == "/csc/v2/auth/login"
    assert "/csc/v2/credentials/info" in calls
    assert calls.index("/csc/v2/credentials/authorize") < calls.index("/csc/v2/signatures/signHash")
    report = pdf.verify_pdf(signed, [pki.root.asn1])
    sig = report["signatures"][0]
    assert report["valid"] and sig["signer"] == "Nguyễn Văn Giám" and sig["level"] == "B-LT"
    f = tmp_path / "csc.pdf"
    f.write_bytes(signed)
    out = pdfsig(pki, f)
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out


def test_remote_csc_refusals_are_clear_errors(pki, csc):
    with pytest.raises(keys.KeySourceError) as err:
        pdf.sign_pdf(make_pdf(1), _csc(csc, password="sai"), pdf.SignOptions(level="B-B"))
    assert err.value.code == "remote_signing_auth_failed"
    with pytest.raises(pdf.SigningFailed):       # wrong PIN: credentials/authorize refuses
        pdf.sign_pdf(make_pdf(1), _csc(csc, pin="000000"), pdf.SignOptions(level="B-B"))
    with pytest.raises(keys.KeySourceError) as err:
        pdf.sign_pdf(make_pdf(1), _csc(csc, credential_id="nobody"), pdf.SignOptions(level="B-B"))
    assert err.value.code == "remote_signing_failed"


def test_unknown_key_source():
    with pytest.raises(keys.KeySourceError) as err:
        keys.source_for("floppy", {})
    assert err.value.code == "unknown_key_source"
