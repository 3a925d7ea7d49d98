"""Upload inspection: every path that stores a file (portal filing and supplements, counter intake, office
uploads, signed results and certified copies) goes through `inspect` here, via services.attach.

What is refused, with a code and a Vietnamese message (nothing is stored):
- a type other than PDF, JPEG, PNG or DOCX, sniffed from the content (never from the name or the browser);
- PDFs with active content (JavaScript, an OpenAction that is not a plain "go to page", Launch, additional
  actions /AA, embedded files, RichMedia, XFA, form submission): parsed with pikepdf (qpdf, object streams
  included) and also searched in the raw bytes, with hex-escaped names (/J#61vaScript) decoded and object
  streams inflated, so a file the parser reads differently from a viewer is still caught;
- polyglots: a ZIP inside a PDF, a PDF header inside the first KiB of an image or a DOCX;
- decompression-bomb images (pixel count read from the header, before anything is decoded);
- zip bombs (total uncompressed size and compression ratio, counted while inflating), macro-enabled or
  ActiveX/OLE-carrying Office files (a DOCM renamed .docx included), XML with a DOCTYPE or entities;
- files over the size limit (see `LimitedUploadHandler`: the limit is enforced while the request streams in).

Then the bytes go to ClamAV (`clamd` over its socket, INSTREAM). Infected: refused. Scanner unavailable:
the file is stored but quarantined (scan = pending: not downloadable, officers see "đang chờ quét") until
`motcua scan-uploads` finds the scanner again. Scanning may only be switched off explicitly
(MOTCUA_VIRUS_SCAN=off, development), which `manage.py check` reports as a warning.
"""
import base64
import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from motcua.core.errors import ValidationFailed

TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "docx": "docx"}
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

CHUNK = 64 * 1024


# ---------------------------------------------------------------- size, read in chunks

def limit_bytes():
    return settings.MOTCUA_MAX_UPLOAD_BYTES


def too_large(filename, size=None):
    limit = limit_bytes()
    details = {"filename": filename, "limit": limit}
    if size is not None:
        details["size"] = size
    return ValidationFailed(_("Tệp vượt quá dung lượng cho phép (%(mb)d MB).") % {"mb": max(1, limit // (1024 * 1024))},
                            code="file_too_large", details=details)


def read_limited(upload, limit=None):
    """The bytes of an uploaded file, read in chunks with a running count: past the limit it stops and
    raises file_too_large (never holds more than limit + one chunk)."""
    limit = limit_bytes() if limit is None else limit
    if getattr(upload, "oversize", False):
        raise too_large(upload.name, upload.size)
    buf, total = io.BytesIO(), 0
    chunks = upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise too_large(getattr(upload, "name", ""), total)
        buf.write(chunk)
    return buf.getvalue()


class OversizeUpload(UploadedFile):
    """What a request's file becomes when it passed the size limit while streaming: its bytes are gone,
    reading it raises file_too_large."""
    oversize = True

    def __init__(self, name, size, field_name=None):
        super().__init__(file=io.BytesIO(), name=name, content_type="application/octet-stream", size=size)
        self.field_name = field_name

    def read(self, *args, **kwargs):
        raise too_large(self.name, self.size)

    def chunks(self, chunk_size=None):
        raise too_large(self.name, self.size)

    def multiple_chunks(self, chunk_size=None):
        return False


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes as they arrive. Past MOTCUA_MAX_UPLOAD_BYTES
    it stops passing data on (the rest of the file is read from the socket and dropped, nothing is kept in
    memory or on disk) and the file becomes an OversizeUpload."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.count = 0
        self.over = False

    def receive_data_chunk(self, raw_data, start):
        self.count += len(raw_data)
        if self.over or self.count > limit_bytes():
            self.over = True
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.over:
            return OversizeUpload(self.file_name, self.count, self.field_name)
        return None


# ---------------------------------------------------------------- names

_RISKY_EXT = re.compile(r"\.([A-Za-z][A-Za-z0-9]{0,6})$")


def safe_name(filename, kind):
    """A name fit to store and to show: no path parts, no control or direction characters, no
    extensions of its own (`hoa-don.pdf.exe` -> `hoa-don.pdf` for a PDF, `a.html` -> `a.png` for a PNG);
    the extension is that of the detected type; at most 120 characters."""
    name = unicodedata.normalize("NFC", str(filename or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in name)
    name = "".join(ch for ch in name if ch.isalnum() or ch in "._- ()")
    for _i in range(4):   # strip up to four trailing extensions (".pdf.exe", ".tar.gz.html", ...)
        stem = _RISKY_EXT.sub("", name)
        if stem == name:
            break
        name = stem
    name = re.sub(r"\s+", " ", name).strip(" .-_") or "tep"
    ext = EXTENSIONS[kind]
    while len(name.encode("utf-8")) > 180 or len(name) > 120:   # file systems limit names to 255 bytes
        name = name[:-1]
    return f"{name.rstrip(' .')}.{ext}"


# ---------------------------------------------------------------- sniffing

def sniff(content: bytes):
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


# ---------------------------------------------------------------- PDF active content

ACTION_TYPES = {"JavaScript", "Launch", "SubmitForm", "ImportData", "GoToE", "GoToR", "Rendition", "Movie",
                "Sound", "RichMediaExecute"}
# names that never appear in a plain document; OpenAction is judged by the parser (a "go to page" is fine)
RAW_NAMES = {"JavaScript": "JavaScript", "JS": "JavaScript", "AA": "AA", "Launch": "Launch",
             "EmbeddedFile": "EmbeddedFile", "EmbeddedFiles": "EmbeddedFile", "RichMedia": "RichMedia",
             "RichMediaExecute": "RichMedia", "RichMediaContent": "RichMedia", "XFA": "XFA",
             "SubmitForm": "SubmitForm", "ImportData": "ImportData", "GoToE": "GoToE"}
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")   # "endstream" matches are skipped in the loop (a lookbehind is 40x slower)
MAX_OBJSTM_BYTES = 64 * 1024 * 1024


def _pdf_name(raw: bytes) -> str:
    return _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def _names_in(data: bytes):
    return {_pdf_name(m.group(1)) for m in _NAME.finditer(data)}


FILTERS = {"FlateDecode": "flate", "Fl": "flate", "ASCIIHexDecode": "hex", "AHx": "hex", "ASCII85Decode": "a85",
           "A85": "a85"}


def _decode_stream(data: bytes, filters):
    for f in filters:
        kind = FILTERS.get(f)
        if kind == "flate":
            d = zlib.decompressobj()
            out = d.decompress(data, MAX_OBJSTM_BYTES)
            if d.unconsumed_tail:
                raise ValueError("object stream too large")
            data = out
        elif kind == "hex":
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">")[0])
            data = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
        elif kind == "a85":
            body = data.strip()
            body = body[2:] if body.startswith(b"<~") else body
            data = base64.a85decode(body.split(b"~>")[0], adobe=False, ignorechars=b" \t\n\r\x0c")
        else:
            raise ValueError(f"filter {f}")
    return data


def _raw_pdf_findings(data: bytes):
    """Names in the raw bytes and in every object stream (/ObjStm), hex escapes decoded."""
    found = set()
    names = _names_in(data)
    for m in _STREAM.finditer(data):
        if data[max(0, m.start() - 3):m.start()] == b"end":
            continue
        head = data[max(0, m.start() - 4096):m.start()]
        head = head[head.rfind(b"obj") + 3:] if b"obj" in head else head
        head_names = [_pdf_name(x.group(1)) for x in _NAME.finditer(head)]
        if "ObjStm" not in head_names:
            continue
        end = data.find(b"endstream", m.end())
        body = data[m.end():end if end != -1 else len(data)]
        filters = [n for n in head_names if n in FILTERS or n.endswith("Decode") or n in ("LZW", "RL", "CCF", "DCT")]
        try:
            names |= _names_in(_decode_stream(body, filters))
        except (ValueError, zlib.error):
            try:   # a damaged but readable deflate stream still yields its objects
                names |= _names_in(zlib.decompressobj().decompress(body, MAX_OBJSTM_BYTES))
            except zlib.error:
                found.add("ObjStm:undecodable")
    for n in names:
        if n in RAW_NAMES:
            found.add(RAW_NAMES[n])
    return found


def _structural_pdf_findings(data: bytes):
    """The same questions asked of the parsed document (pikepdf / qpdf, object streams resolved).
    Returns None when qpdf cannot read the file."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except Exception:   # noqa: BLE001 - any parse failure: the raw scan decides alone
        return None
    found = set()
    with pdf:
        root = pdf.Root
        oa = root.get("/OpenAction")
        if oa is not None and not isinstance(oa, pikepdf.Array):
            if not (isinstance(oa, pikepdf.Dictionary) and str(oa.get("/S", "")) == "/GoTo"):
                found.add("OpenAction")
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                obj = obj.stream_dict
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            keys = set(obj.keys())
            if keys & {"/JS", "/JavaScript"}:
                found.add("JavaScript")
            if "/AA" in keys:
                found.add("AA")
            if keys & {"/EmbeddedFiles", "/EF"} or str(obj.get("/Type", "")) == "/EmbeddedFile":
                found.add("EmbeddedFile")
            if "/XFA" in keys:
                found.add("XFA")
            if any(k.startswith("/RichMedia") for k in keys) or str(obj.get("/Subtype", "")) == "/RichMedia":
                found.add("RichMedia")
            s = str(obj.get("/S", "")).lstrip("/")
            if s in ACTION_TYPES:
                found.add({"RichMediaExecute": "RichMedia"}.get(s, s))
    return found


def _zip_inside(data: bytes):
    """A ZIP that a ZIP reader would find inside these bytes: an end-of-central-directory record within
    the last 64 KiB, or a plausible local file header anywhere."""
    tail_start = max(0, len(data) - 65557)
    eocd = data.rfind(b"PK\x05\x06", tail_start)
    if eocd != -1 and len(data) - eocd >= 22:
        entries = int.from_bytes(data[eocd + 10:eocd + 12], "little")
        cd_size = int.from_bytes(data[eocd + 12:eocd + 16], "little")
        comment = int.from_bytes(data[eocd + 20:eocd + 22], "little")
        if entries > 0 and cd_size < len(data) and eocd + 22 + comment <= len(data) + 1:
            return True
    pos = data.find(b"PK\x03\x04")
    while pos != -1:
        hdr = data[pos:pos + 30]
        if len(hdr) == 30:
            version = int.from_bytes(hdr[4:6], "little")
            method = int.from_bytes(hdr[8:10], "little")
            name_len = int.from_bytes(hdr[26:28], "little")
            name = data[pos + 30:pos + 30 + name_len]
            if (version <= 63 and method in (0, 8, 9, 12, 14, 93, 95, 98) and 0 < name_len <= 1024
                    and len(name) == name_len and all(32 <= b < 127 or b >= 128 for b in name)):
                return True
        pos = data.find(b"PK\x03\x04", pos + 1)
    return False


def pdf_active_content(data: bytes) -> list:
    """What in this PDF could act by itself when opened: names such as "JavaScript", "OpenAction",
    "Launch", "AA", "EmbeddedFile", "RichMedia", "XFA", or "zip-polyglot". Empty list = a plain document.
    Signing calls this before signing anything."""
    found = _raw_pdf_findings(data)
    structural = _structural_pdf_findings(data)
    if structural is not None:
        # qpdf read the object streams itself (also encrypted ones, which the raw scan cannot inflate)
        found = (found - {"ObjStm:undecodable"}) | structural
    if _zip_inside(data):
        found.add("zip-polyglot")
    return sorted(found)


# ---------------------------------------------------------------- images

def _check_image(filename, content, kind):
    from PIL import Image

    max_pixels = settings.MOTCUA_MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as im:   # reads the header only
            width, height = im.size
            if width * height > max_pixels:
                raise ValidationFailed(
                    _("Ảnh quá lớn (%(w)d × %(h)d điểm ảnh); tối đa %(max)d triệu điểm ảnh.") % {
                        "w": width, "h": height, "max": max_pixels // 1_000_000},
                    code="image_too_many_pixels",
                    details={"filename": filename, "width": width, "height": height, "max_pixels": max_pixels})
            im.verify()
    except ValidationFailed:
        raise
    except Exception as exc:   # noqa: BLE001 - Pillow raises many kinds for broken files
        if type(exc).__name__ == "DecompressionBombError":
            raise ValidationFailed(_("Ảnh quá lớn."), code="image_too_many_pixels",
                                   details={"filename": filename}) from exc
        raise ValidationFailed(_("Tệp ảnh bị hỏng hoặc không đúng định dạng."), code="image_unreadable",
                               details={"filename": filename, "type": kind}) from exc


# ---------------------------------------------------------------- DOCX

_MACRO_TYPES = ("macroenabled", "vbaproject", "vbadata", "activex", "oleobject", "ms-office.vbaproject")


def _office_problems(content):
    """[(code, detail)] for a DOCX: zip bomb, macros (whatever the file is called), ActiveX and OLE
    objects, external templates, XML with a DOCTYPE or entities."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    problems = []
    max_total = settings.MOTCUA_MAX_UNZIPPED_BYTES
    max_ratio = settings.MOTCUA_MAX_ZIP_RATIO
    zf = zipfile.ZipFile(io.BytesIO(content))
    infos = zf.infolist()
    if len(infos) > 5000:
        return [("zip_bomb", {"entries": len(infos)})]
    total = 0
    for info in infos:
        lower = info.filename.lower()
        if lower.endswith("vbaproject.bin") or lower.endswith("vbadata.xml") or "/activex/" in lower \
                or (lower.startswith("word/embeddings/") and lower.endswith(".bin")) \
                or lower.endswith((".docm", ".xlsm", ".pptm", ".dotm", ".xlam")):
            problems.append(("office_macro", {"part": info.filename}))
        if info.flag_bits & 0x1:
            problems.append(("zip_encrypted", {"part": info.filename}))
            continue
        size = 0
        keep = lower.endswith((".xml", ".rels"))
        parts = []
        try:
            with zf.open(info) as fh:
                while True:
                    chunk = fh.read(CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    total += len(chunk)
                    if total > max_total:
                        return problems + [("zip_bomb", {"uncompressed_over": max_total})]
                    if keep:
                        parts.append(chunk)
        except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError) as exc:
            problems.append(("zip_broken", {"part": info.filename, "error": str(exc)[:200]}))
            continue
        if size > 1024 * 1024 and size > max_ratio * max(info.compress_size, 1):
            return problems + [("zip_bomb", {"part": info.filename, "ratio": size // max(info.compress_size, 1)})]
        if not keep:
            continue
        xml = b"".join(parts)
        probe = xml.replace(b"\x00", b"").upper()
        if b"<!DOCTYPE" in probe or b"<!ENTITY" in probe:
            problems.append(("xml_entities", {"part": info.filename}))
            continue
        try:
            root = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except DefusedXmlException:
            problems.append(("xml_entities", {"part": info.filename}))
            continue
        except (ParseError, ValueError):
            continue   # not well-formed: Word will not open it either; nothing in it can act
        text = xml.decode("utf-8", "replace").lower()
        if lower == "[content_types].xml":
            if any(t in text for t in _MACRO_TYPES):
                problems.append(("office_macro", {"part": info.filename}))
            for el in root.iter():
                if el.get("PartName", "").lower() == "/word/document.xml" and el.get("ContentType") and \
                        el.get("ContentType") != DOCX_MAIN:
                    problems.append(("office_macro" if "macro" in el.get("ContentType").lower() else
                                     "docx_not_document", {"content_type": el.get("ContentType")}))
        elif lower.endswith(".rels"):
            for el in root.iter():
                kind = (el.get("Type") or "").rsplit("/", 1)[-1].lower()
                target = (el.get("Target") or "").strip().lower()
                if kind in ("vbaproject", "activexcontrol", "oleobject", "attachedtemplate", "package") \
                        and (el.get("TargetMode") == "External" or kind in ("vbaproject", "activexcontrol")):
                    problems.append(("office_macro" if kind in ("vbaproject", "activexcontrol") else
                                     "office_external_object", {"part": info.filename, "type": kind}))
                elif el.get("TargetMode") == "External" and kind not in ("hyperlink",):
                    problems.append(("office_external_object", {"part": info.filename, "type": kind}))
                if target.startswith(("mhtml:", "ms-msdt:", "file:", "\\\\", "ms-")):
                    problems.append(("office_external_object", {"part": info.filename, "target": target[:100]}))
    return problems


# ---------------------------------------------------------------- the inspection

@dataclass
class Inspection:
    kind: str
    content_type: str
    filename: str
    size: int
    sha256: str
    scan: str = "unscanned"          # clean | pending (scanner unavailable) | unscanned (scanning off)
    notes: dict = field(default_factory=dict)


MESSAGES = {
    "pdf_active_content": _noop("Tệp PDF chứa nội dung chủ động (mã lệnh, hành động tự chạy hoặc tệp nhúng): %(what)s. "
                                 "Hãy in lại thành PDF thường (Print to PDF) rồi nộp."),
    "file_polyglot": _noop("Tệp chứa đồng thời nhiều định dạng (ví dụ PDF lẫn ZIP); không được chấp nhận."),
    "office_macro": _noop("Tệp Word chứa macro hoặc đối tượng nhúng (ActiveX/OLE); hãy lưu lại dạng .docx thường "
                           "hoặc PDF."),
    "office_external_object": _noop("Tệp Word tham chiếu mẫu hoặc đối tượng bên ngoài; không được chấp nhận."),
    "zip_bomb": _noop("Tệp nén quá mức (giải nén quá dung lượng cho phép)."),
    "zip_encrypted": _noop("Tệp Word có phần bị mã hoá; không kiểm tra được."),
    "zip_broken": _noop("Tệp Word bị hỏng."),
    "xml_entities": _noop("Tệp Word chứa khai báo XML không được phép (DOCTYPE/ENTITY)."),
    "docx_not_document": _noop("Tệp không phải văn bản Word (.docx)."),
}


def _refuse(code, filename, **details):
    from django.utils.translation import gettext
    message = gettext(MESSAGES[code])
    if "%(what)s" in message:
        message = message % {"what": ", ".join(details.get("found", []))}
    raise ValidationFailed(message, code=code, details={"filename": filename, **details})


def inspect(filename, content: bytes, *, scan=True) -> Inspection:
    """Check one file completely. Returns an Inspection (clean name, type, sha256, scan state) or raises
    ValidationFailed with a clear code. `scan=False` skips ClamAV (the early check before a dossier exists;
    services.attach always scans)."""
    if not content:
        raise ValidationFailed(_("Tệp rỗng."), code="file_empty", details={"filename": filename})
    if len(content) > limit_bytes():
        raise too_large(filename, len(content))
    kind = sniff(content)
    if kind is None:
        raise ValidationFailed(_("Chỉ chấp nhận tệp PDF, JPEG, PNG hoặc DOCX."), code="file_type_not_allowed",
                               details={"filename": filename, "allowed": sorted(TYPES)})
    if kind == "pdf":
        found = pdf_active_content(content)
        if "zip-polyglot" in found:
            _refuse("file_polyglot", filename, found=found)
        if found:
            _refuse("pdf_active_content", filename, found=found)
    elif b"%PDF-" in content[:1024]:
        _refuse("file_polyglot", filename, found=["pdf-header"])
    if kind in ("jpeg", "png"):
        _check_image(filename, content, kind)
        if _zip_inside(content):
            _refuse("file_polyglot", filename, found=["zip"])
    if kind == "docx":
        problems = _office_problems(content)
        if problems:
            code, detail = problems[0]
            _refuse(code, filename, problems=[{"code": c, **d} for c, d in problems][:10])
    result = Inspection(kind=kind, content_type=TYPES[kind], filename=safe_name(filename, kind), size=len(content),
                        sha256=hashlib.sha256(content).hexdigest())
    if scan:
        from . import clamav
        verdict = clamav.scan(content)
        if verdict.infected:
            raise ValidationFailed(_("Tệp bị phần mềm diệt virus phát hiện mã độc (%(sig)s).") % {
                "sig": verdict.signature}, code="file_infected",
                details={"filename": filename, "signature": verdict.signature})
        result.scan = verdict.state
        if verdict.error:
            result.notes["scanner"] = verdict.error
    return result


def check_upload(filename: str, content: bytes):
    """Compatibility: (clean filename, content type, sha256) after every check except the virus scan."""
    r = inspect(filename, content, scan=False)
    return r.filename, r.content_type, r.sha256


# ---------------------------------------------------------------- serving stored files

CSP_SANDBOX = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; "
               "form-action 'none'; base-uri 'none'; sandbox")
# Chromium refuses to start its PDF viewer inside a CSP-sandboxed document, so PDFs (which are never
# stored with active content, see pdf_active_content) get the same policy without the sandbox keyword.
CSP_PDF = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; "
           "form-action 'none'; base-uri 'none'")
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def file_response(att):
    """The response that serves a stored attachment: its detected type, never sniffed by the browser
    (nosniff), a Content-Security-Policy that blocks scripts, inline only for PDFs and images (everything
    else is a download). Quarantined files (scan pending) or removed ones are not served."""
    from django.http import FileResponse, Http404

    if not att.available:
        raise Http404(_("Tệp đang chờ quét virus."))
    ctype = att.content_type if att.content_type in TYPES.values() else "application/octet-stream"
    inline = ctype in INLINE_TYPES
    resp = FileResponse(att.file.open("rb"), as_attachment=not inline, filename=att.filename, content_type=ctype)
    resp["Content-Security-Policy"] = CSP_PDF if ctype == "application/pdf" else CSP_SANDBOX
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cross-Origin-Resource-Policy"] = "same-origin"
    resp["Cache-Control"] = "private, no-store"
    return resp


# ---------------------------------------------------------------- online filings not yet submitted

PENDING = "pending-uploads"


def pending_root():
    from pathlib import Path
    return Path(settings.MEDIA_ROOT) / PENDING


def pending_dir(user_id, token):
    """Where the portal keeps a filing's files between "review" and "submit": one folder per account."""
    return pending_root() / str(int(user_id)) / token


def _usage(folder):
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    return len(files), sum(p.stat().st_size for p in files)


def cleanup_pending(now=None, max_age_hours=None, user_id=None):
    """Remove unsubmitted filings older than MOTCUA_PENDING_UPLOAD_HOURS (all accounts, or one).
    Returns {"filings": n, "files": n, "bytes": n}."""
    import shutil
    import time

    now = time.time() if now is None else now
    hours = settings.MOTCUA_PENDING_UPLOAD_HOURS if max_age_hours is None else max_age_hours
    root = pending_root()
    removed = {"filings": 0, "files": 0, "bytes": 0}
    if not root.exists():
        return removed
    accounts = [root / str(int(user_id))] if user_id is not None else [p for p in root.iterdir() if p.is_dir()]
    for account in accounts:
        if not account.is_dir():
            continue
        for filing in list(account.iterdir()):
            if filing.is_dir() and now - filing.stat().st_mtime > hours * 3600:
                n, size = _usage(filing)
                shutil.rmtree(filing, ignore_errors=True)
                removed["filings"] += 1
                removed["files"] += n
                removed["bytes"] += size
        if account.is_dir() and not any(account.iterdir()):
            account.rmdir()
    for stray in root.iterdir():   # folders of the old layout (<token> directly under the root)
        if stray.is_dir() and not stray.name.isdigit() and now - stray.stat().st_mtime > hours * 3600:
            shutil.rmtree(stray, ignore_errors=True)
            removed["filings"] += 1
    return removed


def reserve_pending(user_id, sizes):
    """Refuse a new unsubmitted filing when the account would hold more than MOTCUA_PENDING_UPLOAD_MAX_FILES
    files or MOTCUA_PENDING_UPLOAD_MAX_BYTES bytes of unsubmitted uploads (expired ones are removed first)."""
    cleanup_pending(user_id=user_id)
    n, size = _usage(pending_root() / str(int(user_id)))
    max_files, max_bytes = settings.MOTCUA_PENDING_UPLOAD_MAX_FILES, settings.MOTCUA_PENDING_UPLOAD_MAX_BYTES
    if n + len(sizes) > max_files or size + sum(sizes) > max_bytes:
        raise ValidationFailed(
            _("Tài khoản đang có quá nhiều tệp chưa nộp (tối đa %(files)d tệp, %(mb)d MB). Hãy hoàn tất hoặc "
              "bỏ các hồ sơ đang soạn, hoặc thử lại sau %(hours)d giờ.") % {
                "files": max_files, "mb": max_bytes // (1024 * 1024), "hours": settings.MOTCUA_PENDING_UPLOAD_HOURS},
            code="pending_upload_quota",
            details={"files": n, "bytes": size, "max_files": max_files, "max_bytes": max_bytes})
