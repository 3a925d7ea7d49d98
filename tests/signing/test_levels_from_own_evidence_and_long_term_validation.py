"""Issue 9, trust holes 5 and 6.

5. The level of each signature comes from its own evidence: an empty DSS, or one holding somebody else's
   validation data, does not make a B-T signature B-LT; `adbe.pkcs7.detached` is CMS, not PAdES.
6. A B-LT file validates offline days later (the OCSP responses it carries have expired by then, and the
   PKI's OCSP/CRL server is stopped): it is judged at the time its signature timestamp proves, with the
   revocation data it embeds. B-LTA adds a document timestamp; `extend_pdf` adds another one.
"""
import datetime as dt
import io
import subprocess

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from motcua.signing import common, pdf

from . import pki as testpki
from .conftest import p12_source, pdfsig, pyhanko_cli
from .samples import make_pdf

UTC = dt.timezone.utc


def _sign(pki, doc, level, issued=None):
    return pdf.sign_pdf(doc, p12_source(issued or pki.agency),
                        pdf.SignOptions(level=level, tsa_url=pki.tsa_url, trust_roots=[pki.root.asn1]))


def _with_empty_dss(signed):
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    w.root["/DSS"] = generic.DictionaryObject({
        generic.NameObject("/Certs"): generic.ArrayObject(), generic.NameObject("/OCSPs"): generic.ArrayObject(),
        generic.NameObject("/CRLs"): generic.ArrayObject()})
    w.update_root()
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_an_empty_dss_does_not_make_a_b_t_signature_b_lt_nor_its_revocation_good(pki):
    doc = _with_empty_dss(_sign(pki, make_pdf(1), "B-T"))
    assert b"/DSS" in doc
    sig = pdf.verify_pdf(doc, [pki.root.asn1], allow_fetching=False)["signatures"][0]
    assert sig["level"] == "B-T"
    assert sig["revocation"] == "unknown" and not sig["long_term"]
    assert sig["later_revisions"]["validation_data"] is True   # the DSS revision is reported, not a change
    assert not sig["changed_after_signing"] and sig["ok"]


def test_a_dss_with_another_signatures_data_does_not_make_this_one_b_lt(pki):
    """The agency signs at B-LT (its chain and the TSA's are in the DSS), then the leader co-signs at B-T:
    the leader's own OCSP response is nowhere in the file."""
    first = _sign(pki, make_pdf(1), "B-LT")
    both = _sign(pki, first, "B-T", pki.leader)
    sigs = pdf.verify_pdf(both, [pki.root.asn1], allow_fetching=False)["signatures"]
    levels = {s["signer"]: (s["level"], s["revocation"]) for s in sigs}
    assert levels == {"SỞ XÂY DỰNG": ("B-LT", "good"), "Nguyễn Văn Giám": ("B-T", "unknown")}
    # with the network the leader's certificate is checked online, and still is not B-LT
    online = pdf.verify_pdf(both, [pki.root.asn1], allow_fetching=True)["signatures"][1]
    assert online["level"] == "B-T" and online["revocation"] == "good" and online["revocation_source"] == "online"


def test_adbe_pkcs7_detached_is_reported_as_cms_not_pades(pki, tmp_path):
    async def sign():
        from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
        import aiohttp
        w = IncrementalPdfFileWriter(io.BytesIO(make_pdf(1)))
        meta = signers.PdfSignatureMetadata(field_name="CMS", subfilter=fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
                                            md_algorithm="sha256")
        out = io.BytesIO()
        async with p12_source(pki.agency).open() as signer, aiohttp.ClientSession() as http:
            await signers.PdfSigner(meta, signer, timestamper=HTTPTimeStamper(pki.tsa_url, session=http)) \
                .async_sign_pdf(w, output=out)
        return out.getvalue()
    signed = common.run_sync(sign())
    sig = pdf.verify_pdf(signed, [pki.root.asn1], allow_fetching=True)["signatures"][0]
    assert sig["format"] == "CMS (không phải PAdES)" and sig["subfilter"] == "adbe.pkcs7.detached"
    assert sig["level"] is None and sig["ok"]
    assert "không phải PAdES" in sig["summary"]
    f = tmp_path / "cms.pdf"
    f.write_bytes(signed)
    assert "adbe.pkcs7.detached" in pdfsig(pki, f)
    ours = pdf.verify_pdf(_sign(pki, make_pdf(1), "B-T"), [pki.root.asn1])["signatures"][0]
    assert ours["format"] == "PAdES" and ours["subfilter"] == "ETSI.CAdES.detached"


# ---------------------------------------------------------------- long-term validation, offline, later

@pytest.fixture(scope="module")
def stopped_pki(tmp_path_factory):
    """A PKI of its own whose OCSP/CRL/TSA server is stopped once the files are signed."""
    p = testpki.start_pki(tmp_path_factory.mktemp("pki-offline"))
    try:
        files = {level: pdf.sign_pdf(make_pdf(1, marker=level), p12_source(p.agency),
                                     pdf.SignOptions(level=level, tsa_url=p.tsa_url, trust_roots=[p.root.asn1]))
                 for level in ("B-T", "B-LT", "B-LTA")}
    finally:
        p.server.shutdown()
        p.server.server_close()
    return p, files


def test_b_lt_validates_offline_three_days_later_with_the_data_it_carries(stopped_pki, tmp_path):
    p, files = stopped_pki
    later = dt.datetime.now(UTC) + dt.timedelta(days=3)   # the embedded OCSP responses expired after one day
    for level in ("B-LT", "B-LTA"):
        report = pdf.verify_pdf(files[level], [p.root.asn1], allow_fetching=True, timeout=1, now=later)
        sig = report["signatures"][0]
        assert report["valid"], report
        assert sig["level"] == level and sig["revocation"] == "good" and sig["revocation_source"] == "embedded"
        # judged at the time the timestamp proves, not at "now"
        assert sig["validation_time"] == sig["timestamp"]["time"]
    # a B-T file has nothing to show offline: intact and trusted, revocation unknown, still B-T
    sig = pdf.verify_pdf(files["B-T"], [p.root.asn1], allow_fetching=True, timeout=1, now=later)["signatures"][0]
    assert sig["level"] == "B-T" and sig["revocation"] == "unknown"

    # pyHanko's own AdES validator agrees offline (server stopped) on the embedded data. It wants fresh
    # revocation data for the newest timestamp at the validation time, so it is asked within the OCSP
    # responses' day rather than three days later.
    cli = pyhanko_cli()
    root = tmp_path / "root.pem"
    root.write_bytes(p.root.pem)
    f = tmp_path / "blta.pdf"
    f.write_bytes(files["B-LTA"])
    hours = dt.datetime.now(UTC) + dt.timedelta(hours=12)
    out = subprocess.run([cli, "sign", "adesverify", "--trust", str(root), "--trust-replace", "--validation-time",
                          hours.isoformat(), "--executive-summary", str(f)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0 and out.stdout.strip().endswith(":VALID"), out.stdout + out.stderr


def test_after_the_tsa_certificate_expires_only_a_newer_timestamp_protects_the_signature(stopped_pki):
    p, files = stopped_pki
    after = p.tsa.cert.not_valid_after_utc + dt.timedelta(days=1)
    sig = pdf.verify_pdf(files["B-LT"], [p.root.asn1], now=after)["signatures"][0]
    assert sig["timestamp_expired"] and not sig["ok"] and "hết hạn" in sig["summary"]


def test_b_lta_has_a_document_timestamp_after_the_dss_and_pdfsig_accepts_it(pki, tmp_path):
    signed = _sign(pki, make_pdf(1), "B-LTA")
    report = pdf.verify_pdf(signed, [pki.root.asn1])
    sig = report["signatures"][0]
    assert sig["level"] == "B-LTA" and sig["ok"], sig
    assert sig["last_timestamp"]["kind"] == "document_timestamp"
    assert [d["valid"] for d in report["document_timestamps"]] == [True]
    assert sig["later_revisions"]["document_timestamps"] and not sig["changed_after_signing"]
    f = tmp_path / "lta.pdf"
    f.write_bytes(signed)
    out = pdfsig(pki, f)
    # poppler checks the signature (it does not check document timestamps, but lists the field)
    first = out.split("Signature #2")[0]
    assert "Signature is Valid" in first and "Certificate is Trusted" in first, out
    assert "Motcua Test TSA" in out.split("Signature #2")[1], out


def test_extend_adds_a_document_timestamp_and_keeps_the_earlier_bytes(pki):
    blt = _sign(pki, make_pdf(1), "B-LT")
    once = pdf.extend_pdf(blt, tsa_url=pki.tsa_url, trust_roots=[pki.root.asn1])
    twice = pdf.extend_pdf(once, tsa_url=pki.tsa_url, trust_roots=[pki.root.asn1])
    assert once.startswith(blt) and twice.startswith(once)
    report = pdf.verify_pdf(twice, [pki.root.asn1])
    assert report["valid"] and report["signatures"][0]["level"] == "B-LTA"
    assert len(report["document_timestamps"]) == 2 and all(d["valid"] for d in report["document_timestamps"])
    when, cert = pdf.last_timestamp(twice)
    assert cert.subject.native["common_name"] == "Motcua Test TSA"
    assert when >= pdf.last_timestamp(blt)[0]
    # a B-T file gets its validation data on the way: it becomes B-LTA too
    bt = _sign(pki, make_pdf(1), "B-T")
    ext = pdf.extend_pdf(bt, tsa_url=pki.tsa_url, trust_roots=[pki.root.asn1])
    assert pdf.verify_pdf(ext, [pki.root.asn1])["signatures"][0]["level"] == "B-LTA"


def test_revocation_is_judged_at_the_time_the_timestamp_proves(tmp_path):
    """A certificate revoked after the signature's timestamp leaves the signature valid; one revoked with a
    date before it (a compromised key, reported late) does not, even though the file's own OCSP response
    said good at signing time."""
    p = testpki.start_pki(tmp_path / "pki")
    try:
        opts = pdf.SignOptions(level="B-LT", tsa_url=p.tsa_url, trust_roots=[p.root.asn1])
        after = pdf.sign_pdf(make_pdf(1), p12_source(p.leader), opts)
        before = pdf.sign_pdf(make_pdf(1), p12_source(p.stp), opts)
        now = dt.datetime.now(UTC)
        p.revoked_serials[p.leader.cert.serial_number] = now + dt.timedelta(seconds=5)
        p.revoked_serials[p.stp.cert.serial_number] = now - dt.timedelta(hours=1)
        later = now + dt.timedelta(seconds=30)
        sig = pdf.verify_pdf(after, [p.root.asn1], allow_fetching=True, now=later)["signatures"][0]
        assert sig["ok"] and sig["revocation"] == "good", sig
        sig = pdf.verify_pdf(before, [p.root.asn1], allow_fetching=True, now=later)["signatures"][0]
        assert sig["revocation"] == "revoked" and not sig["ok"], sig
    finally:
        p.server.shutdown()
        p.server.server_close()
