"""Exchange of documents in edXML: the envelope of an issued outgoing document (never a secret one), and the
intake of a received envelope: checked (shape, no DTD/entities, recipient is this agency, attachments match
the manifest and their checksums, DocumentId not seen before), registered as an incoming document, answered
with a status message: 03 "đã tiếp nhận", or 02 "từ chối tiếp nhận" with the reason code, nothing registered.
(Sending through the background delivery, the intake endpoint, status messages, recall and replacement:
exchange_flow.py and transport.py.)"""
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, DomainError, NotAllowed
from motcua.signing.models import SecrecyLevel
from motcua.worktime import TZ

from . import edxml, services
from .models import OutgoingStatus


def _organ(agency):
    return edxml.Organ(organ_id=agency.code, name=agency.name, in_charge=agency.name, address=agency.address,
                       telephone=agency.phone)


def envelope_for(actor, doc_id, *, attachments=(), response_for=None, business_doc_type=0, now=None) -> bytes:
    return edxml.build(envelope_of(services._outgoing(actor, doc_id), attachments=attachments,
                                   response_for=response_for, business_doc_type=business_doc_type, now=now))


def envelope_of(doc, *, attachments=(), response_for=None, business_doc_type=0, now=None) -> edxml.Envelope:
    """The edXML envelope of an issued (non-secret) outgoing document; `response_for` and
    `business_doc_type` carry a replacement (exchange_flow.replace)."""
    now = now or timezone.now()
    if services.is_secret(doc):
        raise NotAllowed(_("Văn bản mật không được gửi qua hệ thống điện tử."), code="secret_document_not_exchanged",
                         details={"secrecy": doc.secrecy})
    if doc.status != OutgoingStatus.ISSUED:
        raise Conflict(_("Chỉ gửi được văn bản đã phát hành."), code="invalid_transition",
                       details={"status": doc.status})
    number, _sep, notation = doc.number_symbol.partition("/")
    issued = doc.issued_at.astimezone(TZ)
    env = edxml.Envelope(
        sender=_organ(doc.agency), recipients=[edxml.Organ(organ_id=r["OrganId"], name=r["OrganName"])
                                               for r in doc.recipients if r.get("OrganId")],
        code_number=number, code_notation=notation, promulgation_date=issued.date(), subject=doc.subject,
        type_code=doc.doc_type.edxml_type, type_name=doc.doc_type.name, signer_competence=doc.signer_authority,
        signer_position=doc.signer_position, signer_name=doc.signer_name, due_date=doc.due_date,
        priority=doc.priority, timestamp=now.astimezone(TZ).replace(tzinfo=None), attachments=list(attachments),
        response_for=response_for, business_doc_type=business_doc_type)
    if not env.recipients:
        raise Conflict(_("Văn bản chưa có nơi nhận có mã định danh."), code="no_exchange_recipient")
    return env


@dataclass
class Receipt:
    accepted: bool
    code: str                 # "received" or the reason of the refusal
    status: bytes             # the status message for the sender (03 or 02)
    document: object = None
    warnings: list = None


def receive(actor, agency_code, data, *, now=None) -> Receipt:
    now = now or timezone.now()
    org = services._org(agency_code)
    services._require(actor, org, services.CLERK_ROLES, _("tiếp nhận văn bản điện tử"))
    me = _organ(org)
    local = now.astimezone(TZ).replace(tzinfo=None)

    def answer(code, description, env=None, accepted=False, document=None, warnings=None):
        response_for = {"OrganId": env.sender.organ_id if env else "", "DocumentId": env.document_id if env else "",
                        "Code": f"{env.code_number}/{env.code_notation}" if env else "",
                        "PromulgationDate": env.promulgation_date.strftime("%Y/%m/%d") if env else ""}
        status = edxml.build_status(edxml.StatusMessage(
            sender=me, status_code=edxml.RECEIVED if accepted else edxml.REJECTED, response_for=response_for,
            description=description, timestamp=local, staff=actor.username))
        return Receipt(accepted=accepted, code=code, status=status, document=document, warnings=warnings or [])

    try:
        env = edxml.parse(data)
    except edxml.EdxmlError as exc:
        return answer(exc.code, f"{exc.code}: {exc.message}")
    if org.code not in {r.organ_id for r in env.recipients}:
        return answer("unknown_recipient", _("unknown_recipient: Văn bản không gửi đến cơ quan này."), env)
    try:
        doc, warnings = services.register_incoming(
            actor, org.code, sender_code=env.sender.organ_id, sender_name=env.sender.name or env.sender.organ_id,
            number_symbol=f"{env.code_number}/{env.code_notation}" if env.code_notation else env.code_number,
            issued_date=env.promulgation_date, subject=env.subject, type_name=env.type_name,
            secrecy=SecrecyLevel.NORMAL, priority=env.priority, document_id=env.document_id, now=now)
    except DomainError as exc:
        return answer(exc.code, f"{exc.code}: {exc.message}", env)
    return answer("received", _("Đã tiếp nhận, số đến %(n)d.") % {"n": doc.arrival_number}, env, True, doc, warnings)
