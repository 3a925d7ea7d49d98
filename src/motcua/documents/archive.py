"""The archive (Decree 30, Appendix VI; Law on Archives): a closed dossier or a closed document file (hồ sơ
công việc) exported as a BagIt package (the `bagit` library, SHA-256 manifests):

    data/files/<n>-<name>.pdf         PDF/A-2b copies (ocrmypdf); a signed PDF, or one that cannot be
                                      converted, is kept as it is and the record says so (`pdfa` = false)
    data/metadata/record.xml          the record (FileCode, Title, Maintenance, Rights, dates, totals)
    data/metadata/documents/<n>.xml   one per document/file (Appendix VI names; SHA-256, PDF/A status)

`validate_package` re-checks a package (manifests, payload oxum, XML read with defusedxml): a changed,
missing or added file is a clear error (`archive_package_invalid`). Retention (Maintenance) comes from
`RetentionRule` rows per procedure and per document type (0 = permanent). A closed record is due for
transfer MOTCUA_ARCHIVE_TRANSFER_MONTHS after it closed; `notify_due` (a periodic worker job) warns once,
MOTCUA_ARCHIVE_WARNING_DAYS before; `due` lists what is due and not yet exported.
"""
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

import bagit
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Role
from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.worktime import TZ

from .models import (ArchiveKind, ArchiveNotice, ArchivePackage, DocumentFile, DocumentType, RetentionRule,
                     RetentionYears)
from .services import nfc, record

log = logging.getLogger("motcua.archive")
ARCHIVE_ROLES = (Role.CLERK, Role.AGENCY_LEADER)
NS = "urn:motcua:archive:1"


# ---------------------------------------------------------------- retention and transfer dates

def retention_for_dossier(dossier):
    rule = RetentionRule.objects.filter(procedure_id=dossier.procedure_id).first()
    return rule.years if rule else settings.MOTCUA_ARCHIVE_DEFAULT_RETENTION_YEARS


def _longest(years):
    """The longest of several retention periods: permanent (0) wins."""
    years = list(years)
    return 0 if 0 in years else max(years, default=settings.MOTCUA_ARCHIVE_DEFAULT_RETENTION_YEARS)


def retention_for_file(doc_file):
    if doc_file.retention_years is not None:
        return doc_file.retention_years
    names = {o.doc_type.name for o in doc_file.outgoing.select_related("doc_type")} | \
        {i.type_name for i in doc_file.incoming.all() if i.type_name}
    rules = RetentionRule.objects.filter(doc_type__in=DocumentType.objects.filter(name__in=names))
    return _longest(r.years for r in rules)


def _add_months(day, n):
    months = day.month - 1 + n
    year, month = day.year + months // 12, months % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue


def transfer_due_on(closed_at):
    return _add_months(closed_at.astimezone(TZ).date(), settings.MOTCUA_ARCHIVE_TRANSFER_MONTHS)


def _closed_dossiers(qs=None):
    from motcua.dossiers.models import CLOSED_STATUSES, Dossier
    qs = Dossier.objects.all() if qs is None else qs
    return qs.filter(status__in=CLOSED_STATUSES, closed_at__isnull=False)


def due(actor=None, *, now=None, within_days=None):
    """The closed records (dossiers and files) of the actor's scope (everything without an actor) due for
    transfer within `within_days` (default: the warning period) and not yet exported, soonest first:
    [{"kind", "id", "code", "title", "agency", "closed_at", "due_on", "retention_years", "overdue"}]."""
    now = now or timezone.now()
    today = now.astimezone(TZ).date()
    horizon = today + timedelta(days=settings.MOTCUA_ARCHIVE_WARNING_DAYS if within_days is None else within_days)
    dossiers = _closed_dossiers().select_related("agency", "procedure")
    files = DocumentFile.objects.filter(closed_at__isnull=False).select_related("agency")
    if actor is not None:
        dossiers = dossiers.filter(actor.scope_q("agency__path"))
        files = files.filter(actor.scope_q("agency__path"))
    exported_d = set(ArchivePackage.objects.filter(dossier__isnull=False).values_list("dossier_id", flat=True))
    exported_f = set(ArchivePackage.objects.filter(file__isnull=False).values_list("file_id", flat=True))
    # due by the horizon = closed on or before (horizon - N months) + a day of slack for month ends
    latest = _add_months(horizon, -settings.MOTCUA_ARCHIVE_TRANSFER_MONTHS) + timedelta(days=4)
    cutoff = datetime.combine(latest, time.max, tzinfo=TZ)
    rows = []
    for d in dossiers.filter(closed_at__lte=cutoff).exclude(pk__in=exported_d):
        rows.append({"kind": ArchiveKind.DOSSIER, "id": d.pk, "code": d.code, "title": d.procedure.name,
                     "agency": d.agency, "closed_at": d.closed_at, "due_on": transfer_due_on(d.closed_at),
                     "retention_years": retention_for_dossier(d)})
    for f in files.filter(closed_at__lte=cutoff).exclude(pk__in=exported_f):
        rows.append({"kind": ArchiveKind.FILE, "id": f.pk, "code": str(f), "title": f.title, "agency": f.agency,
                     "closed_at": f.closed_at, "due_on": transfer_due_on(f.closed_at),
                     "retention_years": retention_for_file(f)})
    rows = [dict(r, overdue=r["due_on"] < today) for r in rows if r["due_on"] <= horizon]
    return sorted(rows, key=lambda r: (r["due_on"], r["kind"], r["id"]))


def notify_due(*, now=None):
    """The periodic job: one ArchiveNotice (and one log warning) per record newly due within the warning
    period. Returns the notices created."""
    now = now or timezone.now()
    created = []
    for row in due(now=now):
        key = {"dossier_id": row["id"]} if row["kind"] == ArchiveKind.DOSSIER else {"file_id": row["id"]}
        if ArchiveNotice.objects.filter(**key).exists():
            continue
        notice = ArchiveNotice.objects.create(kind=row["kind"], agency=row["agency"], due_on=row["due_on"],
                                              notified_at=now, **key)
        log.warning("archive: %s %s of %s is due for transfer on %s", row["kind"], row["code"],
                    row["agency"].code, row["due_on"].isoformat())
        created.append(notice)
    return created


# ---------------------------------------------------------------- PDF/A

def is_signed_pdf(content):
    return b"/ByteRange" in content and b"/Sig" in content


def to_pdfa(content, workdir):
    """(bytes, converted, note): a PDF/A-2b copy made by ocrmypdf (no OCR: --skip-text), or the original
    with the reason it was kept (signed: converting would break its signatures; not a PDF; conversion
    failed or ocrmypdf is missing)."""
    if not content.startswith(b"%PDF-"):
        return content, False, "not_pdf"
    if is_signed_pdf(content):
        return content, False, "signed_original_kept"
    exe = shutil.which("ocrmypdf")
    if not exe:
        return content, False, "converter_missing"
    src, out = Path(workdir) / "in.pdf", Path(workdir) / "out.pdf"
    src.write_bytes(content)
    try:
        run = subprocess.run([exe, "--skip-text", "--output-type", "pdfa-2", "--optimize", "0", "--jobs", "1",
                              "--quiet", str(src), str(out)], capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        return content, False, "conversion_failed"
    if run.returncode != 0 or not out.exists():
        return content, False, "conversion_failed"
    return out.read_bytes(), True, "pdfa-2b"


# ---------------------------------------------------------------- XML

def _xml(tag, fields):
    root = Element(tag, xmlns=NS)
    for name, value in fields:
        if isinstance(value, list):
            holder = SubElement(root, name)
            for sub in value:
                item = SubElement(holder, sub[0])
                for k, v in sub[1]:
                    SubElement(item, k).text = "" if v is None else str(v)
        else:
            SubElement(root, name).text = "" if value is None else str(value)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8")


def _iso(moment):
    return moment.astimezone(TZ).isoformat(timespec="seconds") if moment else ""


def _maintenance(years):
    return RetentionYears(years).label if years in RetentionYears.values else f"{years}"


# ---------------------------------------------------------------- export

def _check_archivist(actor, agency):
    org = agency.organisation
    if not actor.covers(agency.path):
        raise NotFound(_("Không tìm thấy hồ sơ."), code="record_not_found")
    if not any(actor.has_role(r, org.path) for r in ARCHIVE_ROLES):
        from motcua.core.errors import NotAllowed
        raise NotAllowed(_("Bạn không có vai trò phù hợp để nộp lưu hồ sơ."), code="role_required",
                         details={"roles": sorted(str(r) for r in ARCHIVE_ROLES)})
    return org


def _safe(name):
    keep = "".join(c if c.isalnum() or c in ".-_" else "-" for c in name)
    return keep.strip(".-")[:80] or "tep"


def _write_bag(target, record_fields, items, bag_info):
    """items: [(filename, content, [(field, value)...])]. Builds the bag in a temporary directory next to
    `target`, then moves it into place. Returns the path and the manifest's digest."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise Conflict(_("Gói lưu trữ đã tồn tại."), code="package_exists", details={"path": str(target)})
    work = Path(tempfile.mkdtemp(prefix=".bag-", dir=target.parent))
    try:
        (work / "files").mkdir()
        (work / "metadata" / "documents").mkdir(parents=True)
        with tempfile.TemporaryDirectory() as conv:
            doc_meta = []
            for n, (filename, content, fields) in enumerate(items, 1):
                copy, converted, note = to_pdfa(content, conv)
                stored = f"{n:03d}-{_safe(filename)}"
                (work / "files" / stored).write_bytes(copy)
                meta = [("DocOrdinal", n), *fields, ("FileName", f"files/{stored}"), ("OriginalName", filename),
                        ("SHA256", hashlib.sha256(copy).hexdigest()),
                        ("OriginalSHA256", hashlib.sha256(content).hexdigest()),
                        ("PdfA", "true" if converted else "false"), ("PdfANote", note)]
                (work / "metadata" / "documents" / f"{n:03d}.xml").write_bytes(_xml("Document", meta))
                doc_meta.append(meta)
        record_fields = [*record_fields, ("DocTotal", len(items))]
        (work / "metadata" / "record.xml").write_bytes(_xml("Record", record_fields))
        bagit.make_bag(str(work), bag_info, checksums=["sha256"])
        manifest = hashlib.sha256((work / "manifest-sha256.txt").read_bytes()).hexdigest()
        os.rename(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target, manifest


def export_dossier(actor, dossier_code, *, dest=None, now=None):
    """Export a closed dossier: its files (components, results...) and its record. Returns ArchivePackage."""
    from motcua.dossiers.models import CLOSED_STATUSES, Dossier
    now = now or timezone.now()
    d = Dossier.objects.select_related("agency", "procedure").filter(code=nfc(dossier_code)).first()
    if d is None:
        raise NotFound(_("Không tìm thấy hồ sơ."), code="record_not_found")
    org = _check_archivist(actor, d.agency)
    if d.status not in CLOSED_STATUSES or d.closed_at is None:
        raise Conflict(_("Chỉ nộp lưu hồ sơ đã kết thúc."), code="record_not_closed", details={"status": d.status})
    years = retention_for_dossier(d)
    items = []
    for att in d.attachments.exclude(scan__in=("pending", "infected")).order_by("uploaded_at", "id"):
        with att.file.open("rb") as fh:
            content = fh.read()
        items.append((att.filename, content, [("Kind", att.kind), ("Signed", str(att.signed).lower()),
                                              ("Internal", str(att.internal).lower()),
                                              ("UploadedAt", _iso(att.uploaded_at))]))
    for doc in d.outgoing_documents.select_related("doc_type").exclude(signed_pdf=None):
        items.append((f"{doc.number_symbol or doc.pk}.pdf", bytes(doc.signed_pdf), _outgoing_fields(doc)))
    fields = [("FileCode", f"{org.code}.{d.closed_at.astimezone(TZ).year}.{d.code}"), ("OrganId", org.code),
              ("OrganName", org.name), ("FileNotation", d.code), ("Title", f"{d.procedure.name}: {d.applicant_name}"),
              ("Procedure", d.procedure.code), ("Maintenance", _maintenance(years)), ("MaintenanceYears", years),
              ("Rights", "Hạn chế"), ("Language", "Tiếng Việt"), ("StartDate", _iso(d.submitted_at or d.received_at)),
              ("EndDate", _iso(d.closed_at)), ("Status", d.status)]
    target = Path(dest or settings.MOTCUA_ARCHIVE_DIR) / f"{_safe(d.code)}-{now.astimezone(TZ):%Y%m%d%H%M%S}"
    bag_info = {"Source-Organization": org.name, "Organization-Address": org.code, "External-Identifier": d.code,
                "Bagging-Date": now.astimezone(TZ).date().isoformat()}
    with transaction.atomic():
        path, manifest = _write_bag(target, fields, items, bag_info)
        try:
            return ArchivePackage.objects.create(kind=ArchiveKind.DOSSIER, agency=org, dossier=d,
                                                 retention_years=years, manifest_sha256=manifest, path=str(path),
                                                 exported_by_id=actor.user_id, exported_at=now)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise


def _outgoing_fields(doc):
    return [("Direction", "outgoing"), ("OrganId", doc.agency.code), ("TypeName", doc.doc_type.name),
            ("CodeNumber", doc.number or ""), ("CodeNotation", doc.number_symbol), ("IssuedDate", _iso(doc.issued_at)),
            ("OrganName", doc.agency.name), ("Subject", doc.subject), ("Language", "Tiếng Việt"),
            ("PageAmount", doc.page_amount), ("SignerInfo", " ".join(x for x in (doc.signer_authority,
                                                                                doc.signer_position,
                                                                                doc.signer_name) if x)),
            ("Secrecy", doc.secrecy), ("IssuedAmount", doc.issued_amount)]


def _incoming_fields(doc):
    return [("Direction", "incoming"), ("OrganId", doc.sender_code), ("OrganName", doc.sender_name),
            ("TypeName", doc.type_name), ("CodeNotation", doc.number_symbol), ("IssuedDate", doc.issued_date),
            ("Subject", doc.subject), ("ArrivalNumber", doc.arrival_number), ("ArrivalDate", doc.arrival_date),
            ("Secrecy", doc.secrecy), ("DueDate", _iso(doc.deadline))]


def export_file(actor, file_id, *, dest=None, now=None):
    """Export a closed document file: every document's PDF (signed copy, draft or scan) and its metadata."""
    now = now or timezone.now()
    f = DocumentFile.objects.select_related("agency").filter(pk=file_id).first()
    if f is None:
        raise NotFound(_("Không tìm thấy hồ sơ."), code="record_not_found")
    org = _check_archivist(actor, f.agency)
    if f.closed_at is None:
        raise Conflict(_("Chỉ nộp lưu hồ sơ đã kết thúc."), code="record_not_closed")
    years = retention_for_file(f)
    items = []
    for doc in f.outgoing.select_related("doc_type", "agency").order_by("issued_at", "id"):
        content = doc.signed_pdf or doc.draft_pdf
        if content:
            items.append((f"{doc.number_symbol or doc.pk}.pdf", bytes(content), _outgoing_fields(doc)))
    for doc in f.incoming.order_by("arrival_date", "id"):
        if doc.scan_pdf:
            items.append((f"den-{doc.arrival_number}.pdf", bytes(doc.scan_pdf), _incoming_fields(doc)))
    fields = [("FileCode", str(f)), ("OrganId", org.code), ("OrganName", org.name), ("FileCatalog", f.year),
              ("FileNotation", f.notation), ("Title", f.title), ("Maintenance", _maintenance(years)),
              ("MaintenanceYears", years), ("Rights", f.rights), ("Language", "Tiếng Việt"),
              ("StartDate", _iso(f.created_at)), ("EndDate", _iso(f.closed_at))]
    target = Path(dest or settings.MOTCUA_ARCHIVE_DIR) / f"{_safe(str(f))}-{now.astimezone(TZ):%Y%m%d%H%M%S}"
    bag_info = {"Source-Organization": org.name, "Organization-Address": org.code, "External-Identifier": str(f),
                "Bagging-Date": now.astimezone(TZ).date().isoformat()}
    with transaction.atomic():
        path, manifest = _write_bag(target, fields, items, bag_info)
        try:
            package = ArchivePackage.objects.create(kind=ArchiveKind.FILE, agency=org, file=f, retention_years=years,
                                                    manifest_sha256=manifest, path=str(path),
                                                    exported_by_id=actor.user_id, exported_at=now)
            record(actor, "archive_export", now, file=f, package=package.pk, manifest_sha256=manifest)
            return package
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise


# ---------------------------------------------------------------- re-import

def validate_package(path):
    """Validate a package: BagIt structure, every SHA-256 in the manifests, no file added or missing, and
    the metadata XML (defusedxml: no DTD, no entity). Returns {"record": {...}, "documents": [{...}]}."""
    path = Path(path)
    try:
        bag = bagit.Bag(str(path))
        bag.validate()
    except bagit.BagValidationError as e:
        problems = []
        for d in getattr(e, "details", None) or []:
            problems.append({"path": getattr(d, "path", ""), "problem": type(d).__name__})
        raise ValidationFailed(_("Gói lưu trữ không toàn vẹn: tệp bị thay đổi, thiếu hoặc thừa."),
                               code="archive_package_invalid", details={"problems": problems or [str(e)]}) from e
    except bagit.BagError as e:
        raise ValidationFailed(_("Không phải gói lưu trữ BagIt hợp lệ."), code="archive_package_invalid",
                               details={"problems": [str(e)]}) from e

    def read(p):
        try:
            root = SafeET.fromstring(p.read_bytes(), forbid_dtd=True)
        except Exception as e:   # noqa: BLE001 - malformed or forbidden XML: the package is refused
            raise ValidationFailed(_("Siêu dữ liệu của gói lưu trữ không đọc được."), code="archive_metadata_invalid",
                                   details={"file": p.name}) from e
        return {child.tag.split("}")[-1]: child.text or "" for child in root}

    data = path / "data"
    return {"record": read(data / "metadata" / "record.xml"),
            "documents": [read(p) for p in sorted((data / "metadata" / "documents").glob("*.xml"))]}
