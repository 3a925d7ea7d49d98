"""Verification of signed PDFs: every signature judged against its own revision and its own validation data.

For each signature:
- format: `ETSI.CAdES.detached` is PAdES; `adbe.pkcs7.detached` (and anything else) is plain CMS, never
  called PAdES.
- level, from this signature's own evidence:
  - B-B: a PAdES signature
  - B-T: its signature timestamp token is present, intact and trusted
  - B-LT: the certificates and revocation data of the signer's and of the TSA's chains are in the document
    (DSS, or the CMS for certificates): validation succeeds with that data alone, offline, in hard-fail
    mode. An empty or unrelated DSS is not enough.
  - B-LTA: B-LT plus a valid document timestamp in a later revision that covers the DSS.
- time: a signature with a valid timestamp is validated at the time the timestamp proves (the point in
  time validation of ETSI EN 319 102-1), with the embedded revocation data accepted retroactively
  (issued after that time but still covering it). So a B-LT file still validates offline long after its
  OCSP responses have expired. Without a timestamp the signature is validated now.
- the last timestamp protecting the signature (the newest document timestamp covering it, else the
  signature timestamp) must not have expired now: `motcua signing extend` adds a new one before that.
- later revisions: each signature covers its own revision; later revisions that only add signature fields
  (co-signing), validation data (DSS) or document timestamps are allowed and listed, anything else (page
  content, annotations, other form fields) is a change after signing.
"""
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone

import aiohttp
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (FormUpdatingRule, ModificationLevel, SigFieldCreationRule,
                                        SigFieldModificationRule, StandardDiffPolicy)
from pyhanko.sign.diff_analysis.policies import DEFAULT_DIFF_POLICY
from pyhanko_certvalidator import ValidationContext

from . import appearance as ap

# Each signature is validated in several passes, some expected to fail (offline with only the file's own
# data, hard-fail); pyHanko logs every such failure as a warning. The report says what failed.
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)

PADES_SUBFILTER = "/ETSI.CAdES.detached"
PADES = "PAdES"
CMS_NOT_PADES = "CMS (không phải PAdES)"

# The default policy minus "filling in other form fields": after a signature, a later revision may add
# signature fields (co-signing), validation data and document timestamps, nothing else.
SIGNATURES_ONLY_POLICY = StandardDiffPolicy(
    global_rules=DEFAULT_DIFF_POLICY.global_rules,
    form_rule=FormUpdatingRule(field_rules=[SigFieldCreationRule(), SigFieldModificationRule()]),
)
ALLOWED_LATER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


def _fetcher(timeout, http):
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
    return AIOHttpFetcherBackend(session=http, per_request_timeout=timeout)


def _name_part(name: x509.Name, key):
    return name.native.get(key, "") if name is not None else ""


def _iso(moment):
    return ap.iso_local(moment) if moment else None


def _not_after(cert):
    return cert["tbs_certificate"]["validity"]["not_after"].native if cert is not None else None


@dataclass
class Embedded:
    """The validation data a document carries (its DSS): certificates, OCSP responses, CRLs."""
    certs: list = field(default_factory=list)
    ocsps: list = field(default_factory=list)
    crls: list = field(default_factory=list)

    @classmethod
    def read(cls, reader):
        if "/DSS" not in reader.root:
            return cls()
        from pyhanko.pdf_utils.decode_limits import DecodePurpose
        from pyhanko.sign.validation.dss import DocumentSecurityStore
        try:
            dss = DocumentSecurityStore.read_dss(reader)
            return cls(
                certs=list(dss.load_certs()),
                ocsps=[asn1_ocsp.OCSPResponse.load(r.get_object().read_data(DecodePurpose.OCSP_RESPONSE))
                       for r in dss.ocsps],
                crls=[asn1_crl.CertificateList.load(r.get_object().read_data(DecodePurpose.CRL)) for r in dss.crls])
        except Exception:   # an unreadable DSS counts as no validation data
            return cls()


class _Checker:
    def __init__(self, roots, embedded, allow_fetching, timeout, http, now):
        self.roots, self.embedded, self.allow_fetching = list(roots), embedded, allow_fetching
        self.timeout, self.http, self.now = timeout, http, now
        self.fetched_ocsps, self.fetched_crls = [], []     # what contexts with the network fetched so far

    def context(self, moment, *, fetch, mode):
        """A validation context at `moment` with the document's own data; `fetch` adds the network (and what
        earlier contexts fetched). Without `fetch` only the document's data counts."""
        fetch = bool(fetch and self.allow_fetching)
        kwargs = dict(trust_roots=self.roots, other_certs=self.embedded.certs,
                      ocsps=self.embedded.ocsps + (self.fetched_ocsps if fetch else []),
                      crls=self.embedded.crls + (self.fetched_crls if fetch else []),
                      moment=moment or self.now, retroactive_revinfo=True, revocation_mode=mode,
                      allow_fetching=fetch)
        if fetch:
            kwargs["fetcher_backend"] = _fetcher(self.timeout, self.http)
        return ValidationContext(**kwargs)

    def keep(self, *contexts):
        """Remember what these contexts fetched, so the next ones do not fetch it again."""
        known = {o.dump() for o in self.embedded.ocsps + self.fetched_ocsps}
        known_crls = {c.dump() for c in self.embedded.crls + self.fetched_crls}
        for vc in contexts:
            for o in vc.ocsps:
                if o.dump() not in known:
                    known.add(o.dump())
                    self.fetched_ocsps.append(o)
            for c in vc.crls:
                if c.dump() not in known_crls:
                    known_crls.add(c.dump())
                    self.fetched_crls.append(c)


def _tst_time(signer_info):
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
    for tst in extract_tst_data_iter(signer_info, signed=False):
        try:
            return tst["encap_content_info"]["content"].parsed["gen_time"].native
        except Exception:
            return None
    return None


def _ts_ok(ts):
    return ts is not None and bool(ts.valid and ts.intact and ts.trusted)


async def _doc_timestamps(reader, checker):
    """The document timestamps, oldest first, each validated at the time the next one proves (the newest at
    its own time), with the embedded data and, when allowed, the network."""
    from pyhanko.sign.validation import async_validate_pdf_timestamp
    stamps = sorted(reader.embedded_timestamp_signatures, key=lambda e: e.signed_revision)
    claimed = [_tst_time(e.signer_info) for e in stamps]
    out = []
    for i, emb in enumerate(stamps):
        moment = claimed[i + 1] if i + 1 < len(claimed) and claimed[i + 1] else claimed[i]
        try:
            vc = checker.context(moment, fetch=True, mode="soft-fail")
            st = await async_validate_pdf_timestamp(emb, vc, diff_policy=SIGNATURES_ONLY_POLICY)
            checker.keep(vc)
            ok = bool(st.valid and st.intact and st.trusted and not st.revoked)
            mod = st.modification_level
            ok = ok and (mod is None or mod in ALLOWED_LATER)
            cert = st.signing_cert
            hist = reader.get_historical_resolver(emb.signed_revision)
            out.append({"field": emb.field_name, "revision": emb.signed_revision, "time": st.timestamp,
                        "authority": _name_part(cert.subject, "common_name"), "valid": ok,
                        "expires": _not_after(cert), "covers_dss": "/DSS" in hist.root})
        except Exception as e:
            out.append({"field": emb.field_name, "revision": emb.signed_revision, "time": claimed[i],
                        "authority": "", "valid": False, "expires": None, "covers_dss": False,
                        "error": f"{type(e).__name__}: {e}"})
    return out


async def _verify_one(embedded, checker, doc_stamps, later_of):
    from pyhanko.sign.validation import async_validate_pdf_signature

    subfilter = str(embedded.sig_object.get("/SubFilter", ""))
    fmt = PADES if subfilter == PADES_SUBFILTER else CMS_NOT_PADES
    claimed = _tst_time(embedded.signer_info)

    async def run(sig_moment, ts_moment, *, fetch, mode, skip_diff=True):
        signer_vc = checker.context(sig_moment, fetch=fetch, mode=mode)
        ts_vc = checker.context(ts_moment, fetch=fetch, mode=mode)
        try:
            return await async_validate_pdf_signature(
                embedded, signer_validation_context=signer_vc, ts_validation_context=ts_vc,
                diff_policy=SIGNATURES_ONLY_POLICY, skip_diff=skip_diff)
        finally:
            if fetch:
                checker.keep(signer_vc, ts_vc)

    # 1. integrity, changes after signing, the timestamp, and trust (revocation soft-fail)
    status = await run(claimed, claimed, fetch=True, mode="soft-fail", skip_diff=False)
    ts = status.timestamp_validity
    ts_good = claimed is not None and _ts_ok(ts)
    if claimed is not None and not ts_good:
        # the timestamp proves nothing: the signature is judged now
        status = await run(None, claimed, fetch=True, mode="soft-fail", skip_diff=False)
        ts = status.timestamp_validity
    moment = ts.timestamp if ts_good else None
    # 2. the document's own data, offline, hard-fail: that is what B-LT means
    offline = await run(moment, moment, fetch=False, mode="hard-fail")
    long_term = bool(ts_good and offline.trusted and _ts_ok(offline.timestamp_validity) and not offline.revoked)
    if status.revoked or offline.revoked:
        revocation, revocation_source = "revoked", ("embedded" if offline.revoked else "online")
    elif offline.trusted and not offline.revoked:
        revocation, revocation_source = "good", "embedded"
    else:
        revocation, revocation_source = "unknown", None
        if checker.allow_fetching and status.trusted:
            online = await run(moment, moment, fetch=True, mode="hard-fail")
            if online.revoked:
                revocation, revocation_source = "revoked", "online"
            elif online.trusted:
                revocation, revocation_source = "good", "online"

    doc_ts = [d for d in doc_stamps if d["revision"] > embedded.signed_revision]
    lta = [d for d in doc_ts if d["valid"] and d["covers_dss"]]
    if fmt != PADES:
        level = None
    elif long_term and lta:
        level = "B-LTA"
    elif long_term:
        level = "B-LT"
    elif ts_good:
        level = "B-T"
    else:
        level = "B-B"
    valid_doc_ts = [d for d in doc_ts if d["valid"]]
    if valid_doc_ts:
        last = valid_doc_ts[-1]
        protection = {"kind": "document_timestamp", "time": _iso(last["time"]), "authority": last["authority"],
                      "expires": _iso(last["expires"])}
        expires = last["expires"]
    elif ts_good:
        protection = {"kind": "signature_timestamp", "time": _iso(ts.timestamp),
                      "authority": _name_part(ts.signing_cert.subject, "common_name"),
                      "expires": _iso(_not_after(ts.signing_cert))}
        expires = _not_after(ts.signing_cert)
    else:
        protection, expires = None, None
    timestamp_expired = bool(expires and expires <= checker.now)

    cert = status.signing_cert
    mod = status.modification_level
    changed = bool(mod is not None and mod not in ALLOWED_LATER)
    ok = bool(status.bottom_line and status.intact and status.valid and status.trusted and not changed
              and revocation != "revoked" and not timestamp_expired)
    report = {
        "field": embedded.field_name,
        "revision": embedded.signed_revision,
        "format": fmt,
        "subfilter": subfilter.lstrip("/"),
        "signer": _name_part(cert.subject, "common_name"),
        "agency": _name_part(cert.subject, "organization_name"),
        "issuer": _name_part(cert.issuer, "common_name"),
        "serial": format(cert.serial_number, "x"),
        "certificate_valid_from": _iso(cert["tbs_certificate"]["validity"]["not_before"].native),
        "certificate_valid_to": _iso(_not_after(cert)),
        "signing_time": _iso(status.signer_reported_dt),
        "timestamp": ({"time": _iso(ts.timestamp), "valid": bool(ts.valid and ts.intact),
                       "trusted": bool(ts.trusted), "authority": _name_part(ts.signing_cert.subject, "common_name")}
                      if ts is not None else None),
        "validation_time": _iso(moment or checker.now),
        "level": level,
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "revocation": revocation,
        "revocation_source": revocation_source,
        "long_term": long_term,
        "protected_until": _iso(expires),
        "last_timestamp": protection,
        "timestamp_expired": timestamp_expired,
        "coverage": status.coverage.name.lower() if status.coverage else None,
        "changed_after_signing": changed,
        "modification_level": mod.name.lower() if mod is not None else None,
        "later_revisions": later_of(embedded.signed_revision),
        "ok": ok,
    }
    report["summary"] = summary(report)
    return report


def summary(r):
    """One Vietnamese sentence for a person."""
    if not r["intact"] or not r["valid"]:
        return "Chữ ký không hợp lệ: nội dung đã bị thay đổi hoặc chữ ký bị hỏng."
    if r["revocation"] == "revoked":
        return "Chứng thư số của người ký đã bị thu hồi."
    if r["changed_after_signing"]:
        return "Chữ ký đúng nhưng tài liệu đã bị sửa đổi sau khi ký."
    if not r["trusted"]:
        return "Chữ ký toàn vẹn nhưng chứng thư số không thuộc chuỗi tin cậy đã cấu hình."
    if r.get("timestamp_expired"):
        return "Dấu thời gian bảo vệ chữ ký đã hết hạn; chữ ký không còn được bảo đảm lâu dài."
    text = "Chữ ký hợp lệ, tài liệu không bị thay đổi sau khi ký."
    if r.get("format") == CMS_NOT_PADES:
        text += " Chữ ký theo định dạng CMS (adbe.pkcs7.detached), không phải PAdES."
    return text


def _later(reader, stamps, sigs):
    """What the revisions after a given one add: signature fields, document timestamps, validation data."""
    total = reader.xrefs.total_revisions
    dss_rev = None
    if "/DSS" in reader.root:
        try:
            dss_rev = max(reader.xrefs.get_last_change(ref) for ref in _dss_refs(reader))
        except Exception:
            dss_rev = total - 1

    def later_of(rev):
        return {"count": total - 1 - rev,
                "signatures": [e.field_name for e in sigs if e.signed_revision > rev],
                "document_timestamps": [e.field_name for e in stamps if e.signed_revision > rev],
                "validation_data": dss_rev is not None and dss_rev > rev}
    return later_of


def _dss_refs(reader):
    dss_ref = reader.root.raw_get("/DSS")
    yield dss_ref
    dss = dss_ref.get_object()
    for key in ("/Certs", "/OCSPs", "/CRLs", "/VRI"):
        if key in dss:
            raw = dss.raw_get(key)
            if hasattr(raw, "reference"):
                yield raw.reference


async def async_verify_pdf(pdf_bytes, trust_roots, *, allow_fetching=False, timeout=5, now=None, http_session=None):
    """`http_session`: a callable returning the aiohttp session to fetch with (fetch.session_factory keeps
    fetching to the configured CA hosts)."""
    now = now or datetime.now(timezone.utc)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        reader.root  # noqa: B018 (parses the trailer and the catalogue)
    except Exception:
        return {"valid": False, "count": 0, "signatures": [], "error": "invalid_pdf",
                "summary": "Tệp không phải PDF hợp lệ hoặc không đọc được."}
    try:
        sigs = list(reader.embedded_regular_signatures)
        stamps = list(reader.embedded_timestamp_signatures)
    except Exception:   # the PDF reads, one of its signatures' CMS does not
        return {"valid": False, "count": 0, "signatures": [], "error": "invalid_signature_data",
                "summary": "Tệp PDF đọc được nhưng dữ liệu chữ ký số (CMS) trong tệp bị hỏng: "
                           "chữ ký không hợp lệ."}
    embedded = Embedded.read(reader)
    reports = []
    async with (http_session or aiohttp.ClientSession)() as http:
        checker = _Checker(trust_roots, embedded, allow_fetching, timeout, http, now)
        doc_stamps = await _doc_timestamps(reader, checker)
        later_of = _later(reader, stamps, sigs)
        for emb in sigs:
            try:
                reports.append(await _verify_one(emb, checker, doc_stamps, later_of))
            except Exception as e:   # a malformed signature is reported, never a 500
                reports.append({"field": emb.field_name, "ok": False, "intact": False, "valid": False,
                                "trusted": False, "error": f"{type(e).__name__}: {e}",
                                "summary": "Không kiểm tra được chữ ký này (dữ liệu chữ ký hỏng)."})
    valid = bool(reports) and all(r["ok"] for r in reports)
    if not reports:
        text = "Tài liệu không có chữ ký số."
    elif valid:
        text = "Tất cả chữ ký hợp lệ."
    else:
        text = "Có chữ ký không hợp lệ hoặc không tin cậy."
    result = {"valid": valid, "count": len(reports), "signatures": reports, "summary": text}
    if doc_stamps:
        result["document_timestamps"] = [
            {"field": d["field"], "time": _iso(d["time"]), "authority": d["authority"], "valid": d["valid"],
             "expires": _iso(d["expires"])} for d in doc_stamps]
    return result
