"""Document services (Decree 30/2020): drafting, approving, signing and issuing outgoing documents; registering,
assigning and closing incoming ones. Every state change is one function, one transaction, permission checked
here: staff act only within their organisation; the leader approves and assigns; the clerk (văn thư) numbers
and registers. Secret documents get a separate series and are never signed electronically nor exchanged.
"""
import dataclasses
import hashlib
import unicodedata
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.calendar import calendar_for
from motcua.agencies.models import Agency, Role
from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.signing import services as signing
from motcua.signing.models import SecrecyLevel
from motcua.worktime import TZ

from . import exchange_flow
from .models import (DocumentEvent, DocumentFile, DocumentType, IncomingDocument, IncomingStatus, OutgoingDocument, OutgoingStatus,
                     Register, RegisterKind)

DRAFTER_ROLES = (Role.SPECIALIST, Role.UNIT_HEAD, Role.AGENCY_LEADER, Role.CLERK)
REVIEWER_ROLES = (Role.UNIT_HEAD, Role.AGENCY_LEADER)
LEADER_ROLES = (Role.AGENCY_LEADER,)
CLERK_ROLES = (Role.CLERK,)
AUTHORITY_PREFIXES = ("TM.", "Q.", "KT.", "TL.", "TUQ.")


def nfc(text):
    return unicodedata.normalize("NFC", str(text or "")).strip()


# ---------------------------------------------------------------- history

def record(actor, action, now, *, outgoing=None, incoming=None, file=None, **data):
    """One append-only history event of an act (called inside the act's transaction)."""
    return DocumentEvent.objects.create(outgoing=outgoing, incoming=incoming, file=file, action=action,
                                        actor_id=actor.user_id, actor_name=actor.username, at=now, data=data)


# ---------------------------------------------------------------- scope and roles

def _org(code):
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise NotFound(_("Không tìm thấy cơ quan."), code="unknown_agency", details={"agency": code})
    return agency.organisation


def _require(actor, org, roles, what):
    if not any(actor.has_role(r, org.path) for r in roles):
        raise NotAllowed(_("Bạn không có vai trò phù hợp để %(what)s.") % {"what": what}, code="role_required",
                         details={"roles": sorted(str(r) for r in roles), "agency": org.code})


def _in_scope(actor, qs, pk, lock, message, code):
    """The row `pk` of `qs` (locked for the act when `lock`); NotFound when it is absent or belongs to an
    agency outside the actor's scope: out of scope looks like absent."""
    if lock:
        qs = qs.select_for_update(of=("self",))
    row = qs.filter(pk=pk).first()
    if row is None or not actor.covers(row.agency.path):
        raise NotFound(message, code=code, details={"id": pk})
    return row


DOCUMENT_NOT_FOUND = gettext_lazy("Không tìm thấy văn bản.")


def _outgoing(actor, doc_id, *, lock=False):
    return _in_scope(actor, OutgoingDocument.objects.select_related("agency", "doc_type", "drafting_unit"), doc_id,
                     lock, DOCUMENT_NOT_FOUND, "document_not_found")


def _incoming(actor, doc_id, *, lock=False):
    return _in_scope(actor, IncomingDocument.objects.select_related("agency"), doc_id, lock, DOCUMENT_NOT_FOUND,
                     "document_not_found")


def _secrecy(secrecy):
    value = nfc(secrecy)
    if value not in SecrecyLevel.values:
        raise ValidationFailed(_("Hãy chọn độ mật của văn bản (thường, mật, tối mật, tuyệt mật)."),
                               code="secrecy_required", details={"allowed": list(SecrecyLevel.values)})
    return value


def is_secret(doc):
    return doc.secrecy != SecrecyLevel.NORMAL


# ---------------------------------------------------------------- numbering

def allocate_number(org, kind, year):
    """The next number of the agency's register of this kind and year: the register row is locked
    (SELECT ... FOR UPDATE) until the caller's transaction ends, so concurrent issuers queue and numbers are
    unique and gap-free (a rolled-back issue gives its number back). Must run inside transaction.atomic."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside transaction.atomic")
    try:
        with transaction.atomic():
            Register.objects.get_or_create(agency=org, kind=kind, year=year)
    except IntegrityError:      # another transaction created it first: it exists now
        pass
    register = Register.objects.select_for_update().get(agency=org, kind=kind, year=year)
    if register.closed_at is not None:
        raise Conflict(_("Sổ đăng ký năm %(year)d đã khóa.") % {"year": year}, code="register_closed",
                       details={"year": year, "kind": kind})
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return register, register.last_number


def format_number_symbol(number, doc_type, org, drafting_unit=None):
    """Decree 30 "number/symbol": two digits below 10; groups joined by "-": 15/QĐ-SXD; a công văn (no type
    symbol) carries the agency and the drafting unit: 788/SVHTTDL-VP."""
    org_symbol = org.symbol or org.code
    if doc_type.symbol:
        return f"{number:02d}/{doc_type.symbol}-{org_symbol}"
    unit = drafting_unit.symbol if drafting_unit is not None and drafting_unit.symbol else ""
    return f"{number:02d}/{org_symbol}-{unit}" if unit else f"{number:02d}/{org_symbol}"


# ---------------------------------------------------------------- outgoing

def _check_pdf(pdf_bytes, field="file"):
    """An uploaded document file: a PDF without active content (the signing app's own check)."""
    if not pdf_bytes or not bytes(pdf_bytes).startswith(b"%PDF-"):
        raise ValidationFailed(_("Tệp văn bản phải là PDF."), code="not_a_pdf", details={"field": field})
    signing._check_content(bytes(pdf_bytes))
    return bytes(pdf_bytes)


def _dossier_for(actor, org, dossier_code):
    """The dossier whose result the document is: in the actor's scope (404 otherwise), decided by `org`."""
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.models import CLOSED_STATUSES
    dossier = dossiers.get_for(actor, nfc(dossier_code))
    if dossier.agency.organisation.pk != org.pk:
        raise ValidationFailed(_("Hồ sơ không do cơ quan ban hành văn bản giải quyết."), code="dossier_of_other_agency",
                               details={"dossier": dossier.code})
    if dossier.status in CLOSED_STATUSES:
        raise Conflict(_("Hồ sơ đã kết thúc."), code="dossier_closed", details={"status": dossier.status})
    return dossier


def create_draft(actor, agency_code, *, type_name, subject, secrecy, drafting_unit_code=None, priority=0,
                 recipients=(), signer_authority="", signer_position="", signer_name="", page_amount=1,
                 issued_amount=1, due_date=None, pdf_bytes=None, dossier_code=None, now=None):
    """A draft (dự thảo) by a specialist, unit head, leader or clerk of the organisation; with `dossier_code`
    it is the result of that dossier (decision, licence...)."""
    now = now or timezone.now()
    org = _org(agency_code)
    _require(actor, org, DRAFTER_ROLES, _("soạn thảo văn bản"))
    doc_type = DocumentType.objects.filter(name=nfc(type_name)).first() or \
        DocumentType.objects.filter(symbol=nfc(type_name)).exclude(symbol="").first()
    if doc_type is None:
        raise ValidationFailed(_("Loại văn bản không có trong danh mục."), code="unknown_document_type",
                               details={"type": type_name})
    subject = nfc(subject)
    if not subject:
        raise ValidationFailed(_("Phải có trích yếu nội dung."), code="subject_required", details={"field": "subject"})
    if len(subject) > 500:
        raise ValidationFailed(_("Trích yếu dài quá 500 ký tự."), code="too_long", details={"field": "subject"})
    authority = nfc(signer_authority).upper()
    if authority and not authority.startswith(AUTHORITY_PREFIXES):
        raise ValidationFailed(_("Thẩm quyền ký phải bắt đầu bằng TM., Q., KT., TL. hoặc TUQ."),
                               code="invalid_authority", details={"allowed": list(AUTHORITY_PREFIXES)})
    unit = None
    if drafting_unit_code:
        unit = Agency.objects.filter(code=drafting_unit_code, path__startswith=org.path).first()
        if unit is None:
            raise ValidationFailed(_("Đơn vị soạn thảo không thuộc cơ quan."), code="unknown_unit",
                                   details={"unit": drafting_unit_code})
    clean_recipients = []
    for r in recipients or ():
        code, name = nfc(r.get("OrganId", ""))[:13], nfc(r.get("OrganName", ""))[:200]
        if not (code or name):
            raise ValidationFailed(_("Nơi nhận phải có mã định danh hoặc tên."), code="invalid_recipient")
        clean_recipients.append({"OrganId": code, "OrganName": name})
    exchange_flow.check_recipients(clean_recipients)
    level = _secrecy(secrecy)
    content = _check_pdf(pdf_bytes) if pdf_bytes else None
    try:
        priority, page_amount, issued_amount = int(priority), int(page_amount), int(issued_amount)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Số trang, số bản và độ khẩn phải là số."), code="invalid_number")
    with transaction.atomic():
        dossier = _dossier_for(actor, org, dossier_code) if dossier_code else None
        doc = OutgoingDocument.objects.create(
            agency=org, drafting_unit=unit, doc_type=doc_type, subject=subject, secrecy=level,
            priority=priority, created_by_id=actor.user_id, created_at=now, signer_authority=authority,
            signer_position=nfc(signer_position)[:100], signer_name=nfc(signer_name)[:50],
            recipients=clean_recipients, page_amount=page_amount, issued_amount=issued_amount,
            due_date=due_date, draft_pdf=content, dossier=dossier)
        record(actor, "draft", now, outgoing=doc, type=doc_type.name, secrecy=level,
               dossier=dossier.code if dossier else None)
    return doc


def _step(actor, doc_id, *, roles, what, allowed, message):
    """The locked document of an act, after its role and state checks (inside the act's transaction)."""
    doc = _outgoing(actor, doc_id, lock=True)
    _require(actor, doc.agency, roles, what)
    if doc.status not in allowed:
        raise Conflict(message, code="invalid_transition", details={"status": doc.status, "allowed": list(allowed)})
    return doc


def review(actor, doc_id, *, note="", now=None):
    """The head of the drafting unit (or the leader) checks the draft before it goes to the leader."""
    now = now or timezone.now()
    with transaction.atomic():
        doc = _step(actor, doc_id, roles=REVIEWER_ROLES, what=_("kiểm tra dự thảo"), allowed=(OutgoingStatus.DRAFT,),
                    message=_("Chỉ kiểm tra được văn bản đang dự thảo."))
        doc.status, doc.reviewed_by_id, doc.reviewed_at = OutgoingStatus.REVIEWED, actor.user_id, now
        doc.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        record(actor, "review", now, outgoing=doc, note=nfc(note)[:500])
    return doc


def approve(actor, doc_id, *, note="", now=None):
    now = now or timezone.now()
    with transaction.atomic():
        doc = _step(actor, doc_id, roles=LEADER_ROLES, what=_("duyệt văn bản"), allowed=(OutgoingStatus.REVIEWED,),
                    message=_("Chỉ duyệt được văn bản đã được kiểm tra."))
        doc.status, doc.approved_by_id, doc.approved_at = OutgoingStatus.APPROVED, actor.user_id, now
        doc.save(update_fields=["status", "approved_by", "approved_at"])
        record(actor, "approve", now, outgoing=doc, note=nfc(note)[:500])
    return doc


def _number(doc, now):
    kind = RegisterKind.OUTGOING_SECRET if is_secret(doc) else RegisterKind.OUTGOING
    register, number = allocate_number(doc.agency, kind, now.astimezone(TZ).year)
    doc.register, doc.number = register, number
    doc.number_symbol = format_number_symbol(number, doc.doc_type, doc.agency, doc.drafting_unit)


def sign(actor, doc_id, pdf_bytes=None, key_id=None, *, step=None, level=None, secrets=None, now=None):
    """The signing plan of an outgoing document (signing plan `ket-qua`, the same as a dossier's result): the
    leader signs with their personal certificate (`person`: the signature block carries the document's
    authority line, TM./KT./Q./TL./TUQ., and position), then the clerk numbers and registers the document and
    applies the agency's seal (`seal`, organisation certificate) in one act. Never a secret document: refused
    before any key is touched."""
    from motcua.signing import cosign
    from motcua.signing import plan as plans
    from motcua.signing.models import CertificateKind, SignatureRecord
    from motcua.signing.results import the_plan

    now = now or timezone.now()
    with transaction.atomic():
        doc = _outgoing(actor, doc_id, lock=True)
        if is_secret(doc):
            raise NotAllowed(_("Văn bản mật không được ký số và không được gửi qua hệ thống điện tử."),
                             code="secret_document_not_signed", details={"secrecy": doc.secrecy})
        step = step or ("seal" if doc.status == OutgoingStatus.SIGNING else "person")
        if step not in ("person", "seal"):
            raise ValidationFailed(_("Bước ký không thuộc kế hoạch ký của văn bản."), code="step_not_in_plan",
                                   details={"steps": ["person", "seal"]})
        wanted = OutgoingStatus.APPROVED if step == "person" else OutgoingStatus.SIGNING
        if doc.status != wanted:
            raise Conflict(_("Chưa đến lượt bước ký này: văn bản phải được duyệt, lãnh đạo ký rồi văn thư đóng dấu."),
                           code="invalid_transition", details={"status": doc.status, "step": step})
        org = doc.agency
        signing._check_signer(actor, org, roles=LEADER_ROLES if step == "person" else CLERK_ROLES)
        key = signing._usable_key(actor, key_id, org, now, organisation_only=step == "seal")
        if step == "person":
            if key.kind != CertificateKind.PERSONAL:
                raise ValidationFailed(_("Lãnh đạo ký bằng chứng thư số cá nhân của mình."),
                                       code="personal_key_required")
            document = _check_pdf(pdf_bytes or doc.draft_pdf)
            look = cosign._look("person", key, org, now, "")
            titles = [t.upper() for t in (doc.signer_authority, doc.signer_position) if t]
            if titles:
                look = dataclasses.replace(look, title_lines=titles)
        else:
            if pdf_bytes:
                raise ValidationFailed(_("Văn thư đóng dấu lên chính tệp lãnh đạo đã ký, không tải tệp khác."),
                                       code="file_not_expected", details={"field": "file"})
            document = bytes(doc.signed_pdf)
            cosign._earlier_signatures_hold(document)
            exchange_flow.check_recipients(doc.recipients)       # before the number is taken
            _number(doc, now)
            look = cosign._look("seal", key, org, now, doc.number_symbol)
        try:
            look = plans.next_look(document, the_plan(), step, look)
        except plans.PlanError as e:
            raise Conflict(_("Chưa đến lượt ký hoặc bước này đã được ký trên văn bản."), code=e.code,
                           details=e.details) from e
        signed = signing._sign(actor, key, document, look, level=level, purpose=SignatureRecord.Purpose.OUTGOING,
                               now=now, number_symbol=doc.number_symbol, secrets=secrets,
                               reason=_("Văn bản số %(n)s") % {"n": doc.number_symbol} if doc.number_symbol else "")
        doc.signed_pdf = signed
        doc.status = OutgoingStatus.SIGNING if step == "person" else OutgoingStatus.SIGNED
        fields = ["signed_pdf", "status"]
        if step == "person":
            doc.signer_name = key.holder_name[:50] or doc.signer_name
            fields.append("signer_name")
        else:
            fields += ["register", "number", "number_symbol"]
        doc.save(update_fields=fields)
        record(actor, f"sign_{step}", now, outgoing=doc, key=key.pk, certificate=key.fingerprint,
               number_symbol=doc.number_symbol, signed_sha256=hashlib.sha256(signed).hexdigest())
    return doc


def issue(actor, doc_id, *, replaces=None, now=None):
    """Issue (phát hành): the clerk's act. A signed and sealed document was numbered with its seal; an approved
    one not signed electronically (paper, and every secret document: the secret series) is numbered and
    registered here. The number's year is the local (+07:00) calendar year. A dossier's result document
    becomes the dossier's (signed) result file in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        doc = _step(actor, doc_id, roles=CLERK_ROLES, what=_("cấp số và đăng ký văn bản đi"),
                    allowed=(OutgoingStatus.APPROVED, OutgoingStatus.SIGNED),
                    message=_("Chỉ phát hành văn bản đã được duyệt (hoặc đã ký và đóng dấu)."))
        if doc.number is None:
            _number(doc, now)
        doc.status, doc.issued_at, doc.issued_by_id = OutgoingStatus.ISSUED, now, actor.user_id
        doc.save(update_fields=["register", "number", "number_symbol", "status", "issued_at", "issued_by"])
        attachment = _result_to_dossier(actor, doc, now)
        record(actor, "issue", now, outgoing=doc, number_symbol=doc.number_symbol,
               dossier_attachment=attachment.pk if attachment else None)
        exchange_flow.on_issued(actor, doc, replaces=replaces, now=now)   # peer recipients: the exchange outbox
    return doc


def _result_to_dossier(actor, doc, now):
    if doc.dossier_id is None:
        return None
    from motcua.dossiers import services as dossiers
    content = bytes(doc.signed_pdf) if doc.signed_pdf else None
    if content is None:
        return None      # a paper result: the dossier keeps its own result flow
    name = "".join(c if c.isalnum() else "-" for c in doc.number_symbol) + ".pdf"
    return dossiers.attach(actor, doc.dossier.code, kind="result", filename=name, content=content, signed=True,
                           now=now,
                           data={"outgoing_document": doc.pk, "number_symbol": doc.number_symbol})


def history(actor, *, outgoing_id=None, incoming_id=None):
    """The events of one document the actor may see (404 otherwise), oldest first."""
    if outgoing_id is not None:
        return list(_outgoing(actor, outgoing_id).events.all())
    return list(_incoming(actor, incoming_id).events.all())


# ---------------------------------------------------------------- incoming

def find_duplicates(org, sender_code, sender_name, number_symbol, issued_date):
    qs = IncomingDocument.objects.filter(agency=org, number_symbol=nfc(number_symbol), issued_date=issued_date)
    return qs.filter(sender_code=sender_code) if sender_code else qs.filter(sender_name=nfc(sender_name))


def register_incoming(actor, agency_code, *, sender_name, number_symbol, issued_date, subject, secrecy,
                      sender_code="", type_name="", priority=0, document_id="", scan_pdf=None, now=None,
                      event_data=None):
    """Register a received document with the next yearly incoming number, dated the day of receipt. A
    document already registered with the same sender, number/symbol and date is registered (paper and
    electronic copies do arrive twice) but flagged: the result carries a `duplicate` warning. The same edXML
    DocumentId twice is refused (`duplicate_document_id`). `event_data`: what the exchange adds to the event
    of a registration on receipt (how it came, the status messages queued back)."""
    now = now or timezone.now()
    org = _org(agency_code)
    _require(actor, org, CLERK_ROLES, _("vào sổ văn bản đến"))
    sender_name, number_symbol, subject = nfc(sender_name), nfc(number_symbol), nfc(subject)
    for field, value in (("sender_name", sender_name), ("number_symbol", number_symbol), ("subject", subject)):
        if not value:
            raise ValidationFailed(_("Thiếu thông tin bắt buộc: %(f)s.") % {"f": field}, code="field_required",
                                   details={"field": field})
    if not isinstance(issued_date, date):
        raise ValidationFailed(_("Ngày văn bản không hợp lệ."), code="invalid_date", details={"field": "issued_date"})
    level = _secrecy(secrecy)
    scan = _check_pdf(scan_pdf, "scan") if scan_pdf else None
    local = now.astimezone(TZ)
    with transaction.atomic():
        if document_id and IncomingDocument.objects.filter(agency=org, document_id=document_id).exists():
            raise Conflict(_("Văn bản điện tử này đã được vào sổ."), code="duplicate_document_id",
                           details={"document_id": document_id})
        duplicate = find_duplicates(org, sender_code, sender_name, number_symbol, issued_date).order_by("id").first()
        kind = RegisterKind.INCOMING if level == SecrecyLevel.NORMAL else RegisterKind.INCOMING_SECRET
        register, number = allocate_number(org, kind, local.year)
        doc = IncomingDocument.objects.create(
            agency=org, register=register, arrival_number=number, arrival_date=local.date(), received_at=now,
            sender_code=nfc(sender_code)[:13], sender_name=sender_name[:200], number_symbol=number_symbol[:41],
            issued_date=issued_date, type_name=nfc(type_name)[:100], subject=subject[:500], secrecy=level,
            priority=int(priority), document_id=document_id, duplicate_of=duplicate, registered_by_id=actor.user_id,
            scan_pdf=scan)
        record(actor, "register", now, incoming=doc, arrival_number=number,
               duplicate_of=duplicate.pk if duplicate else None, document_id=document_id, **(event_data or {}))
    warnings = []
    if duplicate is not None:
        warnings.append({"code": "duplicate", "message": _("Văn bản có thể trùng với văn bản đến số %(n)d ngày "
                                                           "%(d)s.") % {"n": duplicate.arrival_number,
                                                                        "d": duplicate.arrival_date.strftime("%d/%m/%Y")},
                         "details": {"id": duplicate.pk}})
    return doc, warnings


def assign(actor, doc_id, *, lead_unit_code, support_unit_codes=(), working_days=None, working_hours=None,
           now=None):
    """The leader assigns a lead unit, supporting units and a deadline counted in working time from now."""
    now = now or timezone.now()
    with transaction.atomic():
        doc = _incoming(actor, doc_id, lock=True)
        _require(actor, doc.agency, LEADER_ROLES, _("phân công xử lý văn bản đến"))
        if doc.status == IncomingStatus.DONE:
            raise Conflict(_("Văn bản đã xử lý xong."), code="invalid_transition", details={"status": doc.status})
        units = {}
        for code in [lead_unit_code, *support_unit_codes]:
            unit = Agency.objects.filter(code=code, path__startswith=doc.agency.path).first()
            if unit is None:
                raise ValidationFailed(_("Đơn vị không thuộc cơ quan."), code="unknown_unit", details={"unit": code})
            units[code] = unit
        deadline = None
        if working_days is not None or working_hours is not None:
            cal = calendar_for(doc.agency)
            try:
                minutes = cal.minutes_for(working_days=working_days, working_hours=working_hours)
                deadline = cal.add_working_minutes(cal.clock_start(now), minutes)
            except (ValueError, OverflowError):
                raise ValidationFailed(_("Không tính được hạn xử lý."), code="invalid_deadline")
        doc.lead_unit, doc.deadline = units[lead_unit_code], deadline
        doc.assigned_by_id, doc.assigned_at, doc.status = actor.user_id, now, IncomingStatus.ASSIGNED
        doc.save(update_fields=["lead_unit", "deadline", "assigned_by", "assigned_at", "status"])
        doc.support_units.set([units[c] for c in support_unit_codes if c != lead_unit_code])
        sent = exchange_flow.notify_sender(doc, "04", actor=actor, now=now)   # received by exchange: 04 back
        record(actor, "assign", now, incoming=doc, lead_unit=lead_unit_code,
               support_units=[c for c in support_unit_codes if c != lead_unit_code],
               deadline=deadline.isoformat() if deadline else None, **exchange_flow.status_data(sent))
    return doc


def complete(actor, doc_id, *, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        doc = _incoming(actor, doc_id, lock=True)
        lead_path = doc.lead_unit.path if doc.lead_unit_id else doc.agency.path
        if not (actor.has_role(Role.AGENCY_LEADER, doc.agency.path) or
                any(actor.has_role(r, lead_path) for r in (Role.UNIT_HEAD, Role.SPECIALIST))):
            raise NotAllowed(_("Bạn không có vai trò phù hợp để kết thúc xử lý văn bản."), code="role_required")
        if doc.status != IncomingStatus.ASSIGNED:
            raise Conflict(_("Chỉ kết thúc được văn bản đã phân công."), code="invalid_transition",
                           details={"status": doc.status})
        doc.status, doc.done_at = IncomingStatus.DONE, now
        doc.save(update_fields=["status", "done_at"])
        sent = exchange_flow.notify_sender(doc, "06", actor=actor, now=now)
        record(actor, "complete", now, incoming=doc, **exchange_flow.status_data(sent))
    return doc


def overdue(actor, *, now=None):
    """Incoming documents in the actor's scope past their deadline and not done."""
    now = now or timezone.now()
    return IncomingDocument.objects.filter(actor.scope_q("agency__path"), deadline__lt=now) \
        .exclude(status=IncomingStatus.DONE)


def _year_filter(year):
    if year in (None, ""):
        return None
    if not str(year).isdigit() or not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("Năm không hợp lệ."), code="invalid_year", details={"year": year})
    return int(year)


def get_outgoing(actor, doc_id):
    return _outgoing(actor, doc_id)


def get_incoming(actor, doc_id):
    return _incoming(actor, doc_id)


def outgoing_in_scope(actor, *, status=None, year=None, dossier=None):
    """Outgoing documents of the actor's organisations, newest first (drafts of the year by creation)."""
    qs = OutgoingDocument.objects.filter(actor.scope_q("agency__path")) \
        .select_related("agency", "doc_type", "dossier")
    if status:
        if status not in OutgoingStatus.values:
            raise ValidationFailed(_("Trạng thái không hợp lệ."), code="invalid_status",
                                   details={"allowed": list(OutgoingStatus.values)})
        qs = qs.filter(status=status)
    year = _year_filter(year)
    if year:
        qs = qs.filter(created_at__year=year)
    if dossier is not None:
        qs = qs.filter(dossier=dossier)
    return qs.order_by("-id")


def incoming_in_scope(actor, *, status=None, year=None, overdue=False, now=None):
    qs = IncomingDocument.objects.filter(actor.scope_q("agency__path")).select_related("agency", "lead_unit")
    if status:
        if status not in IncomingStatus.values:
            raise ValidationFailed(_("Trạng thái không hợp lệ."), code="invalid_status",
                                   details={"allowed": list(IncomingStatus.values)})
        qs = qs.filter(status=status)
    year = _year_filter(year)
    if year:
        qs = qs.filter(register__year=year)
    if overdue:
        qs = qs.filter(deadline__lt=now or timezone.now()).exclude(status=IncomingStatus.DONE)
    return qs.order_by("-id")


def follow_up(actor, *, now=None, due_soon_minutes=480):
    """Assigned incoming documents of the actor's scope with their deadline measured in working time (the
    agency's calendar): [(doc, state, working minutes left)], state "overdue", "due_soon" (less than a working
    day left) or "on_track"; overdue first."""
    now = now or timezone.now()
    rows = []
    for doc in incoming_in_scope(actor, status=IncomingStatus.ASSIGNED).filter(deadline__isnull=False):
        if doc.deadline <= now:
            rows.append((doc, "overdue", 0))
            continue
        left = calendar_for(doc.agency).working_minutes_between(now, doc.deadline)
        rows.append((doc, "due_soon" if left < due_soon_minutes else "on_track", left))
    order = {"overdue": 0, "due_soon": 1, "on_track": 2}
    return sorted(rows, key=lambda r: (order[r[1]], r[0].deadline))


def registers_in_scope(actor, year):
    """The outgoing (normal series) and incoming documents of the actor's organisations for one year."""
    out = OutgoingDocument.objects.filter(actor.scope_q("agency__path"), register__year=year,
                                          register__kind=RegisterKind.OUTGOING) \
        .select_related("agency", "doc_type").order_by("agency__code", "number")
    inc = IncomingDocument.objects.filter(actor.scope_q("agency__path"), register__year=year,
                                          register__kind=RegisterKind.INCOMING) \
        .select_related("agency", "lead_unit").order_by("agency__code", "arrival_number")
    return out, inc


# ---------------------------------------------------------------- document files (hồ sơ công việc)

def create_file(actor, agency_code, *, notation, title, year=None, retention_years=None, rights="", now=None):
    """Open a file of the agency (a clerk or the leader): FileCode = agency code + year + notation."""
    from .models import RetentionYears
    now = now or timezone.now()
    org = _org(agency_code)
    _require(actor, org, CLERK_ROLES + LEADER_ROLES, _("lập hồ sơ công việc"))
    notation, title = nfc(notation), nfc(title)
    if not notation or len(notation) > 20:
        raise ValidationFailed(_("Số và ký hiệu hồ sơ phải có, tối đa 20 ký tự."), code="invalid_notation",
                               details={"field": "notation"})
    if not title:
        raise ValidationFailed(_("Phải có tiêu đề hồ sơ."), code="field_required", details={"field": "title"})
    if retention_years not in (None, "") and int(retention_years) not in RetentionYears.values:
        raise ValidationFailed(_("Thời hạn bảo quản phải là vĩnh viễn, 70, 20, 10 hoặc 5 năm."),
                               code="invalid_retention", details={"allowed": list(RetentionYears.values)})
    year = int(year or now.astimezone(TZ).year)
    with transaction.atomic():
        if DocumentFile.objects.filter(agency=org, year=year, notation=notation).exists():
            raise Conflict(_("Đã có hồ sơ với số và ký hiệu này trong năm."), code="duplicate_file",
                           details={"notation": notation, "year": year})
        f = DocumentFile.objects.create(agency=org, year=year, notation=notation, title=title[:500],
                                        retention_years=None if retention_years in (None, "") else int(retention_years),
                                        rights=nfc(rights)[:30] or "Công khai", created_at=now)
        record(actor, "file_open", now, file=f, notation=notation)
    return f


def _file(actor, file_id, *, lock=False):
    return _in_scope(actor, DocumentFile.objects.select_related("agency"), file_id, lock,
                     gettext_lazy("Không tìm thấy hồ sơ."), "record_not_found")


def file_documents(actor, file_id, *, outgoing_ids=(), incoming_ids=(), now=None):
    """Put documents of the same agency into an open file."""
    now = now or timezone.now()
    with transaction.atomic():
        f = _file(actor, file_id, lock=True)
        _require(actor, f.agency, CLERK_ROLES + LEADER_ROLES, _("lập hồ sơ công việc"))
        if f.closed_at is not None:
            raise Conflict(_("Hồ sơ đã đóng."), code="file_closed")
        out = list(OutgoingDocument.objects.filter(pk__in=outgoing_ids, agency=f.agency))
        inc = list(IncomingDocument.objects.filter(pk__in=incoming_ids, agency=f.agency))
        if len(out) != len(set(outgoing_ids)) or len(inc) != len(set(incoming_ids)):
            raise NotFound(_("Không tìm thấy văn bản."), code="document_not_found")
        f.outgoing.add(*out)
        f.incoming.add(*inc)
        record(actor, "file_add", now, file=f, outgoing_ids=[d.pk for d in out], incoming_ids=[d.pk for d in inc])
    return f


def close_file(actor, file_id, *, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        f = _file(actor, file_id, lock=True)
        _require(actor, f.agency, CLERK_ROLES + LEADER_ROLES, _("kết thúc hồ sơ công việc"))
        if f.closed_at is not None:
            raise Conflict(_("Hồ sơ đã đóng."), code="file_closed")
        f.closed_at = now
        f.save(update_fields=["closed_at"])
        record(actor, "file_close", now, file=f)
    return f
