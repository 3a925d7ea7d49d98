"""PAdES signing and verification of PDFs. No database: everything comes in as arguments.

    sign_pdf(pdf_bytes, source, level="B-T", appearance=..., tsa_url=...) -> signed bytes
    verify_pdf(pdf_bytes, trust_roots) -> report (a dict, one entry per signature)

Levels (ETSI EN 319 142-1):
- B-B: CAdES-detached signature (ETSI.CAdES.detached) with the signing certificate attribute.
- B-T: B-B plus an RFC 3161 signature timestamp from a TSA.
- B-LT: B-T plus the validation data (certificates, OCSP responses / CRLs of the signer and of the TSA)
  in the document security store, so it can be validated later without the network.
- B-LTA: B-LT plus a document timestamp over the whole file including the DSS (and the DSS data of that
  timestamp). `extend_pdf` adds another one before the last timestamp's certificate expires.

Every signature is an incremental update: signing an already signed file (co-signing) leaves the earlier
signatures' bytes untouched.
"""
import io
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import aiohttp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator import ValidationContext

from . import appearance as ap
from .common import KeySourceError, run_sync
from .keys import KeySource

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
LONG_TERM = ("B-LT", "B-LTA")

# fontTools reports every table it leaves out of a subset (DejaVu's FFTM): not a problem, not for the log
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


class SigningFailed(Exception):
    def __init__(self, message, code="signing_failed"):
        super().__init__(message)
        self.code = code


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
    if options.level != "B-B" and not options.tsa_url:
        raise SigningFailed("Chưa cấu hình dịch vụ cấp dấu thời gian (TSA) cho mức B-T/B-LT/B-LTA.",
                            code="tsa_not_configured")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except Exception as e:
        raise SigningFailed("Tệp không phải PDF hợp lệ.", code="invalid_pdf") from e
    field_name = options.field_name or getattr(look, "field_name", "") or f"Sig-{uuid.uuid4().hex[:12]}"
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
        if options.level in LONG_TERM:
            validation_context = ValidationContext(trust_roots=list(options.trust_roots), allow_fetching=True,
                                                   fetcher_backend=_fetcher(options.fetch_timeout, http))
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=options.reason or None, location=options.location or None, name=options.signer_name or None,
            embed_validation_info=options.level in LONG_TERM, validation_context=validation_context)
        timestamper = None
        if options.level != "B-B":
            from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
            timestamper = HTTPTimeStamper(options.tsa_url, timeout=options.fetch_timeout, session=http)
        pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=stamp_style,
                                       new_field_spec=field_spec)
        try:
            await pdf_signer.async_sign_pdf(writer, output=out)
            if options.level == "B-LTA":
                return await _add_document_timestamp(out.getvalue(), timestamper, validation_context)
        except SigningError as e:
            raise SigningFailed(f"Ký số thất bại: {e}") from e
    return out.getvalue()


async def _add_document_timestamp(pdf_bytes, timestamper, validation_context):
    """B-LTA: validation data for the newest timestamp into the DSS, then a document timestamp over all of
    it (with its own validation data in a last DSS update)."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    stamper = signers.PdfTimeStamper(timestamper, field_name=f"DocTS-{uuid.uuid4().hex[:12]}")
    out = await stamper.async_update_archival_timestamp_chain(reader, validation_context, in_place=False,
                                                            embed_roots=False)
    return out.getvalue()


def last_timestamp(pdf_bytes):
    """(time, TSA certificate) of the newest timestamp of a file: its last document timestamp, else the
    newest signature timestamp; None when it has none."""
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    found = []
    for emb in reader.embedded_timestamp_signatures:
        found.append((emb.signed_revision, 1, _tst_time_of(emb.signed_data), emb.signer_cert))
    for emb in reader.embedded_regular_signatures:
        for tst in extract_tst_data_iter(emb.signer_info, signed=False):
            found.append((emb.signed_revision, 0, _tst_time_of(tst), _tst_signer(tst)))
    if not found:
        return None
    _, _, when, cert = max(found, key=lambda f: (f[0], f[1]))
    return when, cert


def _tst_time_of(signed_data):
    return signed_data["encap_content_info"]["content"].parsed["gen_time"].native


def _tst_signer(signed_data):
    from pyhanko.sign.general import extract_certificate_info
    return extract_certificate_info(signed_data).signer_cert


async def async_extend_pdf(pdf_bytes, *, tsa_url, trust_roots, fetch_timeout=10):
    """Add a document timestamp (B-LTA) to a signed file, with the validation data of every signature and
    of the previous timestamp fetched now. Earlier revisions stay byte for byte."""
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
    from pyhanko.sign.validation.dss import async_add_validation_info
    if not tsa_url:
        raise SigningFailed("Chưa cấu hình dịch vụ cấp dấu thời gian (TSA).", code="tsa_not_configured")
    async with aiohttp.ClientSession() as http:
        def context():
            return ValidationContext(trust_roots=list(trust_roots), allow_fetching=True, revocation_mode="hard-fail",
                                     fetcher_backend=_fetcher(fetch_timeout, http))
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        if not reader.embedded_timestamp_signatures:
            # the first archive timestamp: make sure every signature's own validation data is in the DSS
            for i in range(len(reader.embedded_regular_signatures)):
                emb = reader.embedded_regular_signatures[i]
                try:
                    out = await async_add_validation_info(emb, context(), embed_roots=False)
                except Exception as e:
                    raise SigningFailed(f"Không thu thập được dữ liệu kiểm tra chứng thư của chữ ký "
                                        f"{emb.field_name}: {e}", code="revocation_unavailable") from e
                pdf_bytes = out.getvalue()
                reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        timestamper = HTTPTimeStamper(tsa_url, timeout=fetch_timeout, session=http)
        try:
            return await _add_document_timestamp(pdf_bytes, timestamper, context())
        except SigningError as e:
            raise SigningFailed(f"Không thêm được dấu thời gian lưu trữ: {e}", code="timestamp_failed") from e


def extend_pdf(pdf_bytes, *, tsa_url, trust_roots, fetch_timeout=10):
    try:
        return run_sync(async_extend_pdf(pdf_bytes, tsa_url=tsa_url, trust_roots=trust_roots,
                                         fetch_timeout=fetch_timeout))
    except SigningFailed:
        raise
    except Exception as e:
        raise SigningFailed(f"Không thêm được dấu thời gian lưu trữ: {type(e).__name__}: {e}",
                            code="timestamp_failed") from e


def sign_pdf(pdf_bytes: bytes, source: KeySource, options: SignOptions | None = None, look=None) -> bytes:
    """Synchronous wrapper (Django views and services are synchronous)."""
    options = options or SignOptions()
    try:
        return run_sync(async_sign_pdf(pdf_bytes, source, options, look))
    except (SigningFailed, KeySourceError):
        raise
    except Exception as e:
        raise SigningFailed(f"Ký số thất bại: {type(e).__name__}: {e}") from e


# ---------------------------------------------------------------- verification (see verify.py)

def verify_pdf(pdf_bytes: bytes, trust_roots, *, allow_fetching=False, timeout=5, now=None,
               http_session=None) -> dict:
    """`http_session`: a callable returning the aiohttp session to fetch with (see fetch.session_factory)."""
    from .verify import async_verify_pdf
    return run_sync(async_verify_pdf(pdf_bytes, trust_roots, allow_fetching=allow_fetching, timeout=timeout,
                                     now=now, http_session=http_session))
