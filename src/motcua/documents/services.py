"""Document services (Decree 30/2020): drafting, approving, signing and issuing outgoing documents; registering,
assigning and closing incoming ones. Every state change is one function, one transaction, permission checked
here: staff act only within their organisation; the leader approves and assigns; the clerk (văn thư) numbers
and registers. Secret documents get a separate series and are never signed electronically nor exchanged.
"""
import unicodedata
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.calendar import calendar_for
from motcua.agencies.models import Agency, Role
from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.signing import services as signing
from motcua.signing.models import SecrecyLevel
from motcua.worktime import TZ

from . import exchange_flow
from .models import (DocumentType, IncomingDocument, IncomingStatus, OutgoingDocument, OutgoingStatus, Register,
                     RegisterKind)

DRAFTER_ROLES = (Role.SPECIALIST, Role.UNIT_HEAD, Role.AGENCY_LEADER, Role.CLERK)
LEADER_ROLES = (Role.AGENCY_LEADER,)
CLERK_ROLES = (Role.CLERK,)
AUTHORITY_PREFIXES = ("TM.", "Q.", "KT.", "TL.", "TUQ.")


def nfc(text):
    return unicodedata.normalize("NFC", str(text or "")).strip()


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


def _outgoing(actor, doc_id, *, lock=False):
    qs = OutgoingDocument.objects.select_related("agency", "doc_type", "drafting_unit")
    if lock:
        qs = qs.select_for_update(of=("self",))
    doc = qs.filter(pk=doc_id).first()
    if doc is None or not actor.covers(doc.agency.path):   # out of scope looks like absent
        raise NotFound(_("Không tìm thấy văn bản."), code="document_not_found", details={"id": doc_id})
    return doc


def _incoming(actor, doc_id, *, lock=False):
    qs = IncomingDocument.objects.select_related("agency")
    if lock:
        qs = qs.select_for_update(of=("self",))
    doc = qs.filter(pk=doc_id).first()
    if doc is None or not actor.covers(doc.agency.path):
        raise NotFound(_("Không tìm thấy văn bản."), code="document_not_found", details={"id": doc_id})
    return doc


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

def create_draft(actor, agency_code, *, type_name, subject, secrecy, drafting_unit_code=None, priority=0,
                 recipients=(), signer_authority="", signer_position="", signer_name="", page_amount=1,
                 issued_amount=1, due_date=None, now=None):
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
    return OutgoingDocument.objects.create(
        agency=org, drafting_unit=unit, doc_type=doc_type, subject=subject, secrecy=_secrecy(secrecy),
        priority=int(priority), created_by_id=actor.user_id, created_at=now, signer_authority=authority,
        signer_position=nfc(signer_position)[:100], signer_name=nfc(signer_name)[:50], recipients=clean_recipients,
        page_amount=int(page_amount), issued_amount=int(issued_amount), due_date=due_date)


def approve(actor, doc_id, *, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        doc = _outgoing(actor, doc_id, lock=True)
        _require(actor, doc.agency, LEADER_ROLES, _("duyệt văn bản"))
        if doc.status != OutgoingStatus.DRAFT:
            raise Conflict(_("Chỉ duyệt được văn bản đang dự thảo."), code="invalid_transition",
                           details={"status": doc.status})
        doc.status, doc.approved_by_id, doc.approved_at = OutgoingStatus.APPROVED, actor.user_id, now
        doc.save(update_fields=["status", "approved_by", "approved_at"])
    return doc


def sign(actor, doc_id, pdf_bytes, key_id, *, level=None, secrets=None, now=None):
    """Sign the approved document through the signing app (never a secret one: refused before any key is
    touched). Numbering happens at issue, so the signature carries the subject only."""
    now = now or timezone.now()
    with transaction.atomic():
        doc = _outgoing(actor, doc_id, lock=True)
        if is_secret(doc):
            raise NotAllowed(_("Văn bản mật không được ký số và không được gửi qua hệ thống điện tử."),
                             code="secret_document_not_signed", details={"secrecy": doc.secrecy})
        if doc.status != OutgoingStatus.APPROVED:
            raise Conflict(_("Chỉ ký được văn bản đã được duyệt."), code="invalid_transition",
                           details={"status": doc.status})
        result = signing.sign_outgoing_document(actor, doc.agency.code, pdf_bytes, key_id, secrecy=doc.secrecy,
                                                level=level, secrets=secrets, now=now)
        doc.signed_pdf, doc.status = result["signed"], OutgoingStatus.SIGNED
        doc.save(update_fields=["signed_pdf", "status"])
    return doc


def issue(actor, doc_id, *, replaces=None, now=None):
    """Number and register an approved (or signed) document: the clerk's act. Secret documents take the
    secret series. The number's year is the local (+07:00) calendar year of issue."""
    now = now or timezone.now()
    with transaction.atomic():
        doc = _outgoing(actor, doc_id, lock=True)
        _require(actor, doc.agency, CLERK_ROLES, _("cấp số và đăng ký văn bản đi"))
        if doc.status not in (OutgoingStatus.APPROVED, OutgoingStatus.SIGNED):
            raise Conflict(_("Chỉ cấp số cho văn bản đã được duyệt."), code="invalid_transition",
                           details={"status": doc.status})
        kind = RegisterKind.OUTGOING_SECRET if is_secret(doc) else RegisterKind.OUTGOING
        register, number = allocate_number(doc.agency, kind, now.astimezone(TZ).year)
        doc.register, doc.number = register, number
        doc.number_symbol = format_number_symbol(number, doc.doc_type, doc.agency, doc.drafting_unit)
        doc.status, doc.issued_at, doc.issued_by_id = OutgoingStatus.ISSUED, now, actor.user_id
        doc.save(update_fields=["register", "number", "number_symbol", "status", "issued_at", "issued_by"])
        exchange_flow.on_issued(actor, doc, replaces=replaces, now=now)   # peer recipients: the exchange outbox
    return doc


# ---------------------------------------------------------------- incoming

def find_duplicates(org, sender_code, sender_name, number_symbol, issued_date):
    qs = IncomingDocument.objects.filter(agency=org, number_symbol=nfc(number_symbol), issued_date=issued_date)
    return qs.filter(sender_code=sender_code) if sender_code else qs.filter(sender_name=nfc(sender_name))


def register_incoming(actor, agency_code, *, sender_name, number_symbol, issued_date, subject, secrecy,
                      sender_code="", type_name="", priority=0, document_id="", now=None):
    """Register a received document with the next yearly incoming number, dated the day of receipt. A
    document already registered with the same sender, number/symbol and date is registered (paper and
    electronic copies do arrive twice) but flagged: the result carries a `duplicate` warning. The same edXML
    DocumentId twice is refused (`duplicate_document_id`)."""
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
            priority=int(priority), document_id=document_id, duplicate_of=duplicate, registered_by_id=actor.user_id)
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
        exchange_flow.notify_sender(doc, "04", actor=actor, now=now)   # received by exchange: 04 to the sender
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
        exchange_flow.notify_sender(doc, "06", actor=actor, now=now)
    return doc


def overdue(actor, *, now=None):
    """Incoming documents in the actor's scope past their deadline and not done."""
    now = now or timezone.now()
    return IncomingDocument.objects.filter(actor.scope_q("agency__path"), deadline__lt=now) \
        .exclude(status=IncomingStatus.DONE)


def registers_in_scope(actor, year):
    """The outgoing (normal series) and incoming documents of the actor's organisations for one year."""
    out = OutgoingDocument.objects.filter(actor.scope_q("agency__path"), register__year=year,
                                          register__kind=RegisterKind.OUTGOING) \
        .select_related("agency", "doc_type").order_by("agency__code", "number")
    inc = IncomingDocument.objects.filter(actor.scope_q("agency__path"), register__year=year,
                                          register__kind=RegisterKind.INCOMING) \
        .select_related("agency", "lead_unit").order_by("agency__code", "arrival_number")
    return out, inc
