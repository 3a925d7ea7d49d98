"""Issue 9, trust holes 7 and 8: the public verification fetches only from configured CA hosts (never the
URLs an uploaded certificate names, AIA caIssuers included); the page's rate limit is its setting; a
corrupt CMS in a valid PDF and a raw application/pdf body get accurate answers."""
import base64
import datetime as dt
import re
from http.server import BaseHTTPRequestHandler

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import AuthorityInformationAccessOID
from rest_framework.test import APIClient

from motcua.signing import keys, pdf, services

from . import pki as testpki
from .samples import make_pdf


class _Spy(BaseHTTPRequestHandler):
    hits = None

    def log_message(self, *args):
        pass

    def _any(self):
        self.hits.append(self.path)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _any


@pytest.fixture
def spy():
    handler = type("Spy", (_Spy,), {"hits": []})
    server = testpki.serve(handler)
    server.hits = handler.hits
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()


def _pointing_at(pki, url):
    """A certificate from the test CA whose AIA (OCSP, caIssuers) and CRL distribution point name `url`,
    packed without its chain, so a verifier that follows the file's URLs would go there."""
    key = testpki._key()
    cert = (x509.CertificateBuilder().subject_name(testpki._name("Kẻ lạ", "Sở Xây dựng"))
            .issuer_name(pki.ca.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(pki.now - dt.timedelta(days=1)).not_valid_after(pki.now + dt.timedelta(days=30))
            .add_extension(x509.AuthorityInformationAccess([
                x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(f"{url}/ocsp")),
                x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                       x509.UniformResourceIdentifier(f"{url}/ca.crt"))]), critical=False)
            .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(f"{url}/ca.crl")], None, None, None)]), critical=False)
            .sign(pki.ca.key, hashes.SHA256()))
    return testpki.Issued("stranger", key, cert, [])


def test_verification_fetches_only_from_allowed_hosts(db, settings, pki, spy):
    stranger = _pointing_at(pki, spy.url)
    signed = pdf.sign_pdf(make_pdf(1), keys.source_for("pkcs12", {
        "data_b64": base64.b64encode(stranger.p12()).decode(), "passphrase": testpki.P12_PASSWORD}),
        pdf.SignOptions(level="B-B"))
    pki_host = pki.base_url.removeprefix("http://")
    settings.MOTCUA_SIGNING_FETCH_ALLOW = [pki_host]
    report = services.verify(signed)
    assert spy.hits == []                               # neither OCSP, CRL nor caIssuers of the upload
    assert report["signatures"][0]["revocation"] != "good"
    r = APIClient().post("/api/v1/signing/verify/", data=signed, content_type="application/pdf")
    assert r.status_code == 200 and spy.hits == []
    settings.MOTCUA_SIGNING_FETCH_ALLOW = []            # nothing configured: nothing fetched at all
    before = dict(pki.counts)
    signed_here = pdf.sign_pdf(make_pdf(1), keys.source_for("pkcs12", {
        "data_b64": base64.b64encode(pki.agency.p12()).decode(), "passphrase": testpki.P12_PASSWORD}),
        pdf.SignOptions(level="B-B"))
    services.verify(signed_here)
    assert (pki.counts["ocsp"], pki.counts["crl"]) == (before["ocsp"], before["crl"])
    settings.MOTCUA_SIGNING_FETCH_ALLOW = [pki_host]    # the configured CA host is asked
    report = services.verify(signed_here)
    assert report["signatures"][0]["revocation"] == "good" and pki.counts["ocsp"] + pki.counts["crl"] > \
        before["ocsp"] + before["crl"]


def test_the_page_rate_limit_is_its_setting(db, client, settings):
    settings.MOTCUA_SIGNING_VERIFY_RATE = "2/min"
    from django.core.cache import cache
    cache.clear()
    from django.core.files.uploadedfile import SimpleUploadedFile
    codes = [client.post("/xac-thuc-chu-ky/", {"file": SimpleUploadedFile("a.pdf", make_pdf(1))}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    cache.clear()


def _corrupt_cms(signed):
    m = re.search(rb"/Contents\s*<([0-9a-fA-F]{8})", signed)
    i = m.start(1)
    return signed[:i] + b"DEADBEEF" + signed[i + 8:]


def test_a_corrupt_cms_in_a_valid_pdf_is_named_as_such(db, pki):
    signed = pdf.sign_pdf(make_pdf(1), keys.source_for("pkcs12", {
        "data_b64": base64.b64encode(pki.agency.p12()).decode(), "passphrase": testpki.P12_PASSWORD}),
        pdf.SignOptions(level="B-B"))
    report = services.verify(_corrupt_cms(signed))
    assert not report["valid"] and report.get("error") != "invalid_pdf"
    assert "không phải PDF" not in report["summary"] and "chữ ký" in report["summary"].lower()
    assert services.verify(b"%PDF-1.7\nrac")["error"] == "invalid_pdf"


def test_a_raw_pdf_body_without_content_disposition_is_accepted(db, pki):
    signed = pdf.sign_pdf(make_pdf(1), keys.source_for("pkcs12", {
        "data_b64": base64.b64encode(pki.agency.p12()).decode(), "passphrase": testpki.P12_PASSWORD}),
        pdf.SignOptions(level="B-B"))
    r = APIClient().post("/api/v1/signing/verify/", data=signed, content_type="application/pdf")
    assert r.status_code == 200, r.content
    assert r.json()["signatures"][0]["signer"] == "SỞ XÂY DỰNG"
    r = APIClient().post("/api/v1/signing/verify/", data=b"GIF89a", content_type="application/pdf")
    assert r.status_code == 422 and r.json()["code"] == "not_a_pdf"
