"""What the search index holds: one `Kind` per kind of object, and text sources that add text to a kind.

A kind says which model it indexes, how to read one object into an `Entry` (title, text, scope, link), and
which objects `motcua search-reindex` rebuilds. Other apps extend the index without touching this module:

    from motcua.search.kinds import text_source

    @text_source("result")              # or "component", "dossier", ...
    def ocr_text(attachment):           # the kind's object; return extra text ("" for none)
        return text_of(attachment)

and, when that text changes later (an OCR job finishing), ask for the row to be rebuilt after the commit:
`motcua.search.services.index_later(attachment)` (or `index_later(component)`). A new kind of object (e.g.
the data store's digitised documents) registers a `Kind` subclass with `@kinds("name")` and connects its
model with `signals.watch(Model)`. A text source that raises is logged and skipped: indexing never fails
an act."""
import functools
import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.integrations.registry import Registry

log = logging.getLogger(__name__)
MAX_TEXT = 200_000          # characters of text kept per row (a long result's first pages)
PDF_PAGES = 50

kinds = Registry("search kind")
_sources: dict[str, list] = {}


def text_source(kind):
    def decorator(fn):
        _sources.setdefault(kind, []).append(fn)
        return fn
    return decorator


def extra_text(kind, obj):
    out = []
    for fn in _sources.get(kind, ()):
        try:
            text = fn(obj)
        except Exception:   # a broken source must not stop indexing (nor the act that triggered it)
            log.exception("search text source %s failed for %s %s", getattr(fn, "__name__", fn), kind, obj.pk)
            continue
        if text:
            out.append(str(text))
    return out


@dataclass(frozen=True)
class Entry:
    title: str
    text: str
    agency_path: str
    url: str
    intake_path: str = ""
    secret: bool = False


class Kind:
    """One kind of searchable object. Subclasses set `model` and `label` and implement `entry`."""
    model = None
    label = ""
    order = 100          # place of the group on the results page

    def queryset(self):
        return self.model._default_manager.all()

    def entry(self, obj) -> Entry | None:
        raise NotImplementedError

    def owns(self, obj):
        return isinstance(obj, self.model)


def kind_of(obj):
    for name, cls in kinds:
        if cls().owns(obj):
            return name
    return None


def _join(*parts):
    return "\n".join(p for p in parts if p)


@functools.cache
def _dossier_url_pattern():
    return reverse("office:dossier", args=["CODE"])


def _dossier_url(code):
    """The officer's dossier page (reverse() once: it costs more than the rest of an index row)."""
    return _dossier_url_pattern().replace("CODE", quote(code, safe=""))


@kinds("dossier")
class DossierKind(Kind):
    label = _("Hồ sơ")
    order = 1

    @property
    def model(self):
        from motcua.dossiers.models import Dossier
        return Dossier

    def queryset(self):
        return super().queryset().select_related("procedure").only(
            "code", "applicant_name", "applicant_id_number", "request", "agency_path", "intake_path", "procedure__name")

    def entry(self, d):
        return Entry(title=f"{d.code} · {d.applicant_name}", url=_dossier_url(d.code),
                     agency_path=d.agency_path, intake_path=d.intake_path,
                     text=_join(d.code, d.applicant_name, d.applicant_id_number, d.procedure.name, d.request,
                                *extra_text("dossier", d)))


@kinds("component")
class ComponentKind(Kind):
    label = _("Thành phần hồ sơ")
    order = 2

    @property
    def model(self):
        from motcua.dossiers.models import DossierComponent
        return DossierComponent

    def queryset(self):
        return super().queryset().select_related("dossier")

    def entry(self, c):
        d = c.dossier
        return Entry(title=f"{c.name} · {d.code}", url=_dossier_url(d.code), agency_path=d.agency_path,
                     intake_path=d.intake_path, text=_join(c.name, *extra_text("component", c)))


def file_text(attachment):
    """The text layer of a PDF (pdftotext, first pages) or a plain-text file; "" for anything else, for a
    file not available (quarantined, infected) or when reading fails."""
    if not attachment.available or not attachment.file:
        return ""
    try:
        if attachment.content_type == "text/plain":
            with attachment.file.open("rb") as f:
                return f.read(MAX_TEXT * 4).decode("utf-8", "replace")
        if attachment.content_type != "application/pdf" or not shutil.which("pdftotext"):
            return ""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp, attachment.file.open("rb") as f:
            shutil.copyfileobj(f, tmp)
            tmp.flush()
            out = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", "-l", str(PDF_PAGES), tmp.name, "-"],
                                 capture_output=True, timeout=60, check=False)
        return out.stdout.decode("utf-8", "replace") if out.returncode == 0 else ""
    except (OSError, subprocess.TimeoutExpired, ValueError):
        log.warning("search: no text read from attachment %s", attachment.pk, exc_info=True)
        return ""


@kinds("result")
class ResultKind(Kind):
    label = _("Kết quả giải quyết")
    order = 3

    @property
    def model(self):
        from motcua.dossiers.models import Attachment
        return Attachment

    def queryset(self):
        from motcua.dossiers.models import AttachmentKind
        return super().queryset().filter(kind=AttachmentKind.RESULT).select_related("dossier")

    def owns(self, obj):
        from motcua.dossiers.models import AttachmentKind
        return isinstance(obj, self.model) and obj.kind == AttachmentKind.RESULT

    def entry(self, a):
        d = a.dossier
        return Entry(title=f"{a.filename} · {d.code}", url=_dossier_url(d.code), agency_path=d.agency_path,
                     intake_path=d.intake_path,
                     text=_join(a.filename, file_text(a), *extra_text("result", a))[:MAX_TEXT])


def _registers_url(year):
    return f"{reverse('documents_office:registers')}?nam={year}"


def _secret(doc):
    from motcua.signing.models import SecrecyLevel
    return doc.secrecy != SecrecyLevel.NORMAL


@kinds("outgoing")
class OutgoingKind(Kind):
    label = _("Văn bản đi")
    order = 4

    @property
    def model(self):
        from motcua.documents.models import OutgoingDocument
        return OutgoingDocument

    def queryset(self):
        return super().queryset().select_related("agency", "doc_type")

    def entry(self, doc):
        year = (doc.issued_at or doc.created_at).year
        return Entry(title=" · ".join(p for p in (doc.number_symbol, doc.subject) if p),
                     url=_registers_url(year), agency_path=doc.agency.path, secret=_secret(doc),
                     text=_join(doc.number_symbol, doc.doc_type.name, doc.subject, doc.signer_name,
                                *extra_text("outgoing", doc)))


@kinds("incoming")
class IncomingKind(Kind):
    label = _("Văn bản đến")
    order = 5

    @property
    def model(self):
        from motcua.documents.models import IncomingDocument
        return IncomingDocument

    def queryset(self):
        return super().queryset().select_related("agency")

    def entry(self, doc):
        return Entry(title=f"{doc.number_symbol} · {doc.subject}", url=_registers_url(doc.arrival_date.year),
                     agency_path=doc.agency.path, secret=_secret(doc),
                     text=_join(doc.number_symbol, doc.sender_name, doc.sender_code, doc.type_name, doc.subject,
                                *extra_text("incoming", doc)))
