"""PAdES signing and verification of PDFs. No database: everything comes in as arguments.

    sign_pdf(pdf_bytes, source, level="B-T", appearance=..., tsa_url=...) -> signed bytes
    verify_pdf(pdf_bytes, trust_roots) -> report (a dict, one entry per signature)

Levels (ETSI EN 319 142-1):
- B-B: CAdES-detached signature (ETSI.CAdES.detached) with the signing certificate attribute.
- B-T: B-B plus an RFC 3161 signature timestamp from a TSA.
- B-LT: B-T plus the validation data (certificates, OCSP responses / CRLs of the signer and of the TSA)
  in the document security store, so it can be validated later without the network.
"""
import asyncio
import io
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import aiohttp
from asn1crypto import pem as asn1_pem
from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator import ValidationContext

from . import appearance as ap
from .keys import KeySource, KeySourceError

LEVELS = ("B-B", "B-T", "B-LT")

# fontTools reports every table it leaves out of a subset (DejaVu's FFTM): not a problem, not for the log
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


class SigningFailed(Exception):
    def __init__(self, message, code="signing_failed"):
        super().__init__(message)
        self.code = code


def load_certificates(data: bytes):
    """Certificates from PEM (one or many) or DER bytes."""
    if asn1_pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in asn1_pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def _fetcher(timeout, http):
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
    return AIOHttpFetcherBackend(session=http, per_request_timeout=timeout)


def _page_size(writer, page_ix):
    page_ref, _ = writer.find_page_for_modification(page_ix)
    node = page_ref.get_object()
    while node is not None:
        box = node.get("/CropBox") or node.get("/MediaBox")
        if box is not None:
            x1, y1, x2, y2 = [float(v) for v in box]
            return x2 - x1, y2 - y1
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return 595.0, 842.0   # A4


def _page_count(writer):
    return int(writer.root["/Pages"]["/Count"])


def run_sync(coro):
    """Run a coroutine to completion from synchronous code. If this thread already runs an event loop
    (an ASGI server, or Playwright's sync API in the tests), run it on a fresh loop in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@dataclass
class SignOptions:
    level: str = "B-T"
    tsa_url: str = ""
    trust_roots: tuple = ()           # needed for B-LT: where the chain ends
    field_name: str = ""
    reason: str = ""
    location: str = ""
    signer_name: str = ""
    signing_time: datetime | None = None   # shown in the appearance; the CMS signing time is the real clock
    fonts: tuple = ()
    fetch_timeout: float = 10


async def async_sign_pdf(pdf_bytes: bytes, source: KeySource, options: SignOptions, look=None) -> bytes:
    if options.level not in LEVELS:
        raise SigningFailed(f"Mức chữ ký không hợp lệ: {options.level}", code="invalid_level")
    if options.level in ("B-T", "B-LT") and not options.tsa_url:
        raise SigningFailed("Chưa cấu hình dịch vụ cấp dấu thời gian (TSA) cho mức B-T/B-LT.",
                            code="tsa_not_configured")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except Exception as e:
        raise SigningFailed("Tệp không phải PDF hợp lệ.", code="invalid_pdf") from e
    field_name = options.field_name or f"Sig-{uuid.uuid4().hex[:12]}"
    field_spec = None
    stamp_style = None
    if look is not None:
        count = _page_count(writer)
        page = look.page if look.page >= 0 else count + look.page
        page = min(max(page, 0), count - 1)
        width, height = _page_size(writer, page)
        box = ap.place(look, width, height)
        field_spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box)
        stamp_style = ap.Decree30StampStyle(appearance=look, fonts=options.fonts or ap.default_fonts(),
                                            signing_time=options.signing_time or datetime.now(timezone.utc))
    else:
        field_spec = fields.SigFieldSpec(sig_field_name=field_name)
    out = io.BytesIO()
    async with source.open() as signer, aiohttp.ClientSession() as http:
        validation_context = None
        if options.level == "B-LT":
            validation_context = ValidationContext(trust_roots=list(options.trust_roots), allow_fetching=True,
                                                   fetcher_backend=_fetcher(options.fetch_timeout, http))
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=options.reason or None, location=options.location or None, name=options.signer_name or None,
            embed_validation_info=options.level == "B-LT", validation_context=validation_context)
        timestamper = None
        if options.level in ("B-T", "B-LT"):
            from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
            timestamper = HTTPTimeStamper(options.tsa_url, timeout=options.fetch_timeout, session=http)
        pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=stamp_style,
                                       new_field_spec=field_spec)
        try:
            await pdf_signer.async_sign_pdf(writer, output=out)
        except SigningError as e:
            raise SigningFailed(f"Ký số thất bại: {e}") from e
    return out.getvalue()


def sign_pdf(pdf_bytes: bytes, source: KeySource, options: SignOptions | None = None, look=None) -> bytes:
    """Synchronous wrapper (Django views and services are synchronous)."""
    options = options or SignOptions()
    try:
        return run_sync(async_sign_pdf(pdf_bytes, source, options, look))
    except (SigningFailed, KeySourceError):
        raise
    except Exception as e:
        raise SigningFailed(f"Ký số thất bại: {type(e).__name__}: {e}") from e


# ---------------------------------------------------------------- verification

def _name_part(name: x509.Name, key):
    return name.native.get(key, "") if name is not None else ""


def _iso(moment):
    return ap.iso_local(moment) if moment else None


def _level(status, has_dss):
    if status.timestamp_validity is None:
        return "B-B"
    return "B-LT" if has_dss else "B-T"


async def _verify_one(embedded, roots, allow_fetching, timeout, dss, now, http):
    from pyhanko.sign.validation import async_validate_pdf_signature

    def context():
        kwargs = dict(trust_roots=list(roots), allow_fetching=allow_fetching, revocation_mode="soft-fail",
                      fetcher_backend=_fetcher(timeout, http), moment=now)
        if dss is not None:   # B-LT: the certificates and revocation data embedded at signing time
            return dss.as_validation_context(kwargs)
        return ValidationContext(**kwargs)
    vc = context()
    status = await async_validate_pdf_signature(embedded, signer_validation_context=vc,
                                                ts_validation_context=context())
    level = _level(status, dss is not None)
    cert = status.signing_cert
    mod = status.modification_level
    coverage = status.coverage.name.lower() if status.coverage else None
    changed = bool(mod is not None and mod.name not in ("NONE", "LTA_UPDATES"))
    if status.revoked:
        revocation = "revoked"
    elif level == "B-LT" or len(vc.ocsps) + len(vc.crls) > 0:
        revocation = "good" if status.trusted else "unknown"
    else:
        revocation = "unknown"
    ts = status.timestamp_validity
    ok = bool(status.bottom_line and status.intact and status.valid and status.trusted and not changed)
    report = {
        "field": embedded.field_name,
        "signer": _name_part(cert.subject, "common_name"),
        "agency": _name_part(cert.subject, "organization_name"),
        "issuer": _name_part(cert.issuer, "common_name"),
        "serial": format(cert.serial_number, "x"),
        "certificate_valid_from": _iso(cert["tbs_certificate"]["validity"]["not_before"].native),
        "certificate_valid_to": _iso(cert["tbs_certificate"]["validity"]["not_after"].native),
        "signing_time": _iso(status.signer_reported_dt),
        "timestamp": ({"time": _iso(ts.timestamp), "valid": bool(ts.valid and ts.intact),
                       "trusted": bool(ts.trusted), "authority": _name_part(ts.signing_cert.subject, "common_name")}
                      if ts is not None else None),
        "level": level,
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "revocation": revocation,
        "coverage": coverage,
        "changed_after_signing": changed,
        "modification_level": mod.name.lower() if mod is not None else None,
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
    return "Chữ ký hợp lệ, tài liệu không bị thay đổi sau khi ký."


async def async_verify_pdf(pdf_bytes, trust_roots, *, allow_fetching=False, timeout=5, now=None, http_session=None):
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        reader.root  # noqa: B018 (parses the trailer and the catalogue)
    except Exception:
        return {"valid": False, "count": 0, "signatures": [], "error": "invalid_pdf",
                "summary": "Tệp không phải PDF hợp lệ hoặc không đọc được."}
    try:
        sigs = list(reader.embedded_regular_signatures)
    except Exception:   # the PDF reads, one of its signatures' CMS does not
        return {"valid": False, "count": 0, "signatures": [], "error": "invalid_signature_data",
                "summary": "Tệp PDF đọc được nhưng dữ liệu chữ ký số (CMS) trong tệp bị hỏng: "
                           "chữ ký không hợp lệ."}
    dss = None
    if "/DSS" in reader.root:
        from pyhanko.sign.validation.dss import DocumentSecurityStore
        try:
            dss = DocumentSecurityStore.read_dss(reader)
        except Exception:
            dss = None
    reports = []
    async with (http_session or aiohttp.ClientSession)() as http:
        for embedded in sigs:
            try:
                reports.append(await _verify_one(embedded, trust_roots, allow_fetching, timeout, dss, now, http))
            except Exception as e:   # a malformed signature is reported, never a 500
                reports.append({"field": embedded.field_name, "ok": False, "intact": False, "valid": False,
                                "trusted": False, "error": f"{type(e).__name__}: {e}",
                                "summary": "Không kiểm tra được chữ ký này (dữ liệu chữ ký hỏng)."})
    valid = bool(reports) and all(r["ok"] for r in reports)
    if not reports:
        text = "Tài liệu không có chữ ký số."
    elif valid:
        text = "Tất cả chữ ký hợp lệ."
    else:
        text = "Có chữ ký không hợp lệ hoặc không tin cậy."
    return {"valid": valid, "count": len(reports), "signatures": reports, "summary": text}


def verify_pdf(pdf_bytes: bytes, trust_roots, *, allow_fetching=False, timeout=5, now=None,
               http_session=None) -> dict:
    """`http_session`: a callable returning the aiohttp session to fetch with (see fetch.session_factory)."""
    return run_sync(async_verify_pdf(pdf_bytes, trust_roots, allow_fetching=allow_fetching, timeout=timeout,
                                        now=now, http_session=http_session))
