"""Upload checks: the type is sniffed from the content (never trusted from the name or the browser),
only PDF, JPEG, PNG and DOCX are accepted, and size is limited."""
import hashlib
import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed

TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


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
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def check_upload(filename: str, content: bytes):
    """Returns (clean filename, content type, sha256) or raises a ValidationFailed with a clear code."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if not content:
        raise ValidationFailed(_("Tệp rỗng."), code="file_empty", details={"filename": filename})
    if len(content) > limit:
        raise ValidationFailed(_("Tệp vượt quá dung lượng cho phép (%(mb)d MB).") % {"mb": limit // (1024 * 1024)},
                               code="file_too_large", details={"filename": filename, "limit": limit,
                                                               "size": len(content)})
    kind = sniff(content)
    if kind is None:
        raise ValidationFailed(_("Chỉ chấp nhận tệp PDF, JPEG, PNG hoặc DOCX."), code="file_type_not_allowed",
                               details={"filename": filename, "allowed": sorted(TYPES)})
    clean = "".join(ch for ch in (filename or "tep").replace("\\", "/").split("/")[-1]
                    if ch.isalnum() or ch in "._- ()").strip() or "tep"
    return clean[:200], TYPES[kind], hashlib.sha256(content).hexdigest()
