"""Exchange of documents between agencies, end to end (issue 13): the peer directory, sending an issued
document to other agencies, taking in what they send (envelopes and status messages), status messages back as
the recipient acts, recall and replacement. Each act is one function, one transaction, one event in the
document's own history (`DocumentEvent`, beside its other acts); a status message queued by another act (assign:
04, complete: 06) is named in that act's event (`status_sent`). What is no act on a document of ours (the peer
directory, an envelope refused and not registered, a refusal about a document we do not know) is an
`ExchangeEvent`. Permissions are checked here. Delivery is transport.py (outbox, retries); the plugins are
contrib/.

Status codes (INTEGRATIONS 3.2): 01 arrived and 03 received when an envelope is registered, 02 rejected with
the reason code, 04 assigned, 05 in progress, 06 done, 13 recalled by the sender, 15/16 recall accepted/refused.
A replacement is a new envelope with BussinessDocType 3 and ResponseFor naming the replaced document (the
meaning of the values 1-3 is NOT CONFIRMED in public sources: Motcua's use, between Motcua instances).
"""
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Role
from motcua.agencies.scope import Actor
from motcua.core.errors import Conflict, DomainError, NotAllowed, NotFound, ValidationFailed
from motcua.signing import services as signing
from motcua.signing.models import SecrecyLevel
from motcua.worktime import TZ

from . import edxml, exchange, services, transport
from .models import (ExchangeAttachment, ExchangeEvent, ExchangePeer, ExchangePlugin, ExchangeStatus,
                     IncomingDocument, IncomingExchange, IncomingStatus, OutgoingDocument, OutgoingExchange,
                     OutgoingStatus, RecallState)

log = logging.getLogger("motcua.exchange")
REPLACEMENT = 3          # BussinessDocType of a replacing document (Motcua's use, see above)
CODE_RE = re.compile(r"^[0-9A-Z.]{5,13}$")


def _event(agency, action, document_id, actor="", now=None, **details):
    """An exchange fact that is no act on one of our documents (peer directory, refused envelope...)."""
    ExchangeEvent.objects.create(agency=agency, action=action, document_id=document_id[:200],
                                 actor=str(actor or "")[:150], details=details, at=now or timezone.now())


def _peer_actor(code):
    """Who did an act that arrived from another agency: its identifier code (no account here)."""
    return SimpleNamespace(user_id=None, username=code)


def _doc_event(actor, action, now, *, outgoing=None, incoming=None, **data):
    """The one history event of an exchange act, in the document's history (inside the act's transaction)."""
    return services.record(actor, action, now or timezone.now(), outgoing=outgoing, incoming=incoming, **data)


def status_data(code):
    """What an act's event says of the status message it queued to the sender: {} or {"status_sent": code}."""
    return {"status_sent": code} if code else {}


def _nfc(text):
    return unicodedata.normalize("NFC", str(text or "")).strip()


# ---------------------------------------------------------------- peer directory (administrators)

def set_peer(actor, code, *, name, plugin, endpoint="", secret="", is_active=True, now=None):
    """Add or change one peer agency: its identifier code, how to reach it and the shared secret (stored
    encrypted, never shown back: ExchangePeer.secret)."""
    if not actor.has_role(Role.ADMINISTRATOR):
        raise NotAllowed(_("Chỉ quản trị hệ thống được cấu hình cơ quan liên thông."), code="role_required")
    code, name = _nfc(code).upper(), _nfc(name)
    if not CODE_RE.match(code):
        raise ValidationFailed(_("Mã định danh cơ quan không hợp lệ."), code="invalid_agency_code",
                               details={"code": code})
    if plugin not in ExchangePlugin.values:
        raise ValidationFailed(_("Cách gửi không hợp lệ."), code="invalid_plugin",
                               details={"allowed": list(ExchangePlugin.values)})
    if plugin == ExchangePlugin.DIRECT and not (endpoint.startswith(("http://", "https://")) and len(secret) >= 16):
        raise ValidationFailed(_("Gửi trực tiếp cần địa chỉ nhận (http/https) và khóa bí mật từ 16 ký tự."),
                               code="peer_incomplete")
    if not name:
        raise ValidationFailed(_("Phải có tên cơ quan."), code="field_required", details={"field": "name"})
    if len(secret) > 200:
        raise ValidationFailed(_("Khóa bí mật dài quá 200 ký tự."), code="secret_too_long")
    with transaction.atomic():
        peer, created = ExchangePeer.objects.update_or_create(
            code=code, defaults={"name": name[:200], "plugin": plugin, "endpoint": endpoint, "secret": secret,
                                 "is_active": is_active})
        home = Agency.objects.filter(parent__isnull=True).order_by("id").first()
        if home is not None:
            _event(home, "peer_set", code, actor.username, now, plugin=plugin, created=created)
    return peer


# ---------------------------------------------------------------- sending (inside the issue)

def check_recipients(recipients):
    """The recipient codes reached through the exchange. A code neither in this instance nor in the peer
    directory is refused (`unknown_recipient`): when the draft is written, again before the seal gives the
    document its number, and at issue, so that nothing is numbered for a recipient nobody can reach."""
    codes = [r["OrganId"] for r in recipients if r.get("OrganId")]
    local = set(Agency.objects.filter(code__in=codes).values_list("code", flat=True))
    peers = set(ExchangePeer.objects.filter(code__in=codes, is_active=True).values_list("code", flat=True))
    unknown = [c for c in codes if c not in local and c not in peers]
    if unknown:
        raise ValidationFailed(_("Nơi nhận %(codes)s không có trong danh bạ liên thông.") % {"codes": ", ".join(unknown)},
                               code="unknown_recipient", details={"codes": unknown})
    return [c for c in codes if c in peers and c not in local]


def _exchange_recipients(doc):
    return check_recipients(doc.recipients)


def _pdf_name(doc):
    return re.sub(r"[^\w.-]+", "-", doc.number_symbol, flags=re.UNICODE).strip("-") + ".pdf"


def on_issued(actor, doc, *, replaces=None, now=None):
    """Called by services.issue inside its transaction: one outbox message per peer recipient, carrying the
    envelope with the signed PDF. Secret and unsigned documents are refused when they have peer recipients."""
    peers = _exchange_recipients(doc)
    if not peers and replaces is None:
        return None
    if services.is_secret(doc):
        raise NotAllowed(_("Văn bản mật không được gửi qua hệ thống điện tử."), code="secret_document_not_exchanged")
    if not doc.signed_pdf:
        raise Conflict(_("Văn bản gửi liên thông phải được ký số trước khi phát hành."), code="document_not_signed")
    response_for, business = None, 0
    if replaces is not None:
        old = replaces.exchange
        response_for = {"OrganId": replaces.agency.code, "Code": replaces.number_symbol,
                        "PromulgationDate": replaces.issued_at.astimezone(TZ).strftime("%Y/%m/%d"),
                        "DocumentId": old.document_id}
        business = REPLACEMENT
    env = exchange.envelope_of(doc, attachments=[edxml.Attachment(_pdf_name(doc), bytes(doc.signed_pdf))],
                      response_for=response_for, business_doc_type=business, now=now)
    payload = edxml.build(env)
    OutgoingExchange.objects.create(outgoing=doc, document_id=env.document_id, replaces=replaces)
    for code in peers:
        transport.enqueue(doc.agency, code, "edoc", env.document_id, payload, now=now)
    _doc_event(actor, "sent", now, outgoing=doc, document_id=env.document_id, recipients=peers,
               replaces=response_for and response_for["DocumentId"])
    return env.document_id


def replace(actor, old_id, new_id, *, now=None):
    """Issue `new_id` (approved and signed) as the replacement of the issued `old_id`: the new envelope names the
    old one (ResponseFor, BussinessDocType 3) and the old document is marked replaced."""
    now = now or timezone.now()
    with transaction.atomic():
        old = services._outgoing(actor, old_id, lock=True)
        services._require(actor, old.agency, services.CLERK_ROLES, _("phát hành văn bản thay thế"))
        ex = OutgoingExchange.objects.select_for_update().filter(outgoing=old).first()
        if ex is None or old.status != OutgoingStatus.ISSUED:
            raise Conflict(_("Chỉ thay thế được văn bản đã gửi liên thông."), code="not_exchanged")
        if ex.replaced_at is not None:
            raise Conflict(_("Văn bản đã được thay thế."), code="already_replaced")
        new = services._outgoing(actor, new_id)
        if new.agency_id != old.agency_id or new.pk == old.pk:
            raise NotFound(_("Không tìm thấy văn bản."), code="document_not_found", details={"id": new_id})
        ex.replaced_at = now
        ex.save(update_fields=["replaced_at"])
        new = services.issue(actor, new.pk, replaces=old, now=now)
        _doc_event(actor, "replaced", now, outgoing=old, document_id=ex.document_id, replaced_by=new.pk,
                   number_symbol=new.number_symbol)
        return new


# ---------------------------------------------------------------- status messages (receiving side acts)

def _status_payload(agency, code, response_for, description, staff, now):
    return edxml.build_status(edxml.StatusMessage(
        sender=exchange._organ(agency), status_code=code, response_for=response_for, staff=staff or "",
        description=description or edxml.STATUS_CODES[code], timestamp=now.astimezone(TZ).replace(tzinfo=None)))


def _incoming_response_for(ex):
    doc = ex.incoming
    return {"OrganId": ex.sender_code, "Code": doc.number_symbol,
            "PromulgationDate": doc.issued_date.strftime("%Y/%m/%d"), "DocumentId": ex.document_id}


def notify_sender(doc, code, *, actor=None, description="", now=None):
    """Queue status `code` about an incoming document received by exchange to its sender (no-op otherwise).
    Runs inside the caller's act (register, assign, start, complete, answer to a recall), whose event names it
    (`status_data`). Returns `code` when a message was queued, else None."""
    ex = IncomingExchange.objects.filter(incoming=doc).select_related("incoming", "incoming__agency").first()
    if ex is None:
        return None
    now = now or timezone.now()
    payload = _status_payload(doc.agency, code, _incoming_response_for(ex), description,
                              getattr(actor, "username", ""), now)
    transport.enqueue(doc.agency, ex.sender_code, "status", ex.document_id, payload, status_code=code, now=now)
    return code


def start_processing(actor, doc_id, *, now=None):
    """The lead unit starts on an assigned incoming document: 05 to the sender."""
    now = now or timezone.now()
    with transaction.atomic():
        doc = services._incoming(actor, doc_id, lock=True)
        lead_path = doc.lead_unit.path if doc.lead_unit_id else doc.agency.path
        if not (actor.has_role(Role.AGENCY_LEADER, doc.agency.path) or
                any(actor.has_role(r, lead_path) for r in (Role.UNIT_HEAD, Role.SPECIALIST))):
            raise NotAllowed(_("Bạn không có vai trò phù hợp để xử lý văn bản."), code="role_required")
        ex = IncomingExchange.objects.select_for_update().filter(incoming=doc).first()
        if doc.status != IncomingStatus.ASSIGNED or ex is None or ex.in_progress_at is not None:
            raise Conflict(_("Chỉ bắt đầu xử lý được văn bản liên thông đã phân công."), code="invalid_transition",
                           details={"status": doc.status})
        ex.in_progress_at = now
        ex.save(update_fields=["in_progress_at"])
        sent = notify_sender(doc, edxml.IN_PROGRESS, actor=actor, now=now)
        _doc_event(actor, "in_progress", now, incoming=doc, document_id=ex.document_id, **status_data(sent))
    return doc


# ---------------------------------------------------------------- recall

def recall(actor, doc_id, *, reason, now=None):
    """The sender's leader recalls an issued document: 13 with the reason to every recipient."""
    now = now or timezone.now()
    reason = _nfc(reason)
    if not reason:
        raise ValidationFailed(_("Phải nêu lý do thu hồi."), code="reason_required", details={"field": "reason"})
    with transaction.atomic():
        doc = services._outgoing(actor, doc_id, lock=True)
        services._require(actor, doc.agency, services.LEADER_ROLES, _("thu hồi văn bản"))
        ex = OutgoingExchange.objects.select_for_update().filter(outgoing=doc).first()
        if ex is None:
            raise Conflict(_("Văn bản chưa được gửi liên thông."), code="not_exchanged")
        if ex.recalled_at is not None:
            raise Conflict(_("Văn bản đã được thu hồi."), code="already_recalled")
        ex.recalled_at, ex.recall_reason = now, reason[:500]
        ex.save(update_fields=["recalled_at", "recall_reason"])
        response_for = {"OrganId": doc.agency.code, "Code": doc.number_symbol,
                        "PromulgationDate": doc.issued_at.astimezone(TZ).strftime("%Y/%m/%d"),
                        "DocumentId": ex.document_id}
        payload = _status_payload(doc.agency, edxml.RECALLED, response_for, reason, actor.username, now)
        peers = _exchange_recipients(doc)
        for code in peers:
            transport.enqueue(doc.agency, code, "status", ex.document_id, payload, status_code=edxml.RECALLED,
                              now=now)
        _doc_event(actor, "recalled", now, outgoing=doc, document_id=ex.document_id, reason=reason, recipients=peers)
    return ex


def answer_recall(actor, doc_id, *, accept, reason="", now=None):
    """The recipient (leader or clerk) accepts (15: the document is cancelled here) or refuses (16) a recall."""
    now = now or timezone.now()
    with transaction.atomic():
        doc = services._incoming(actor, doc_id, lock=True)
        services._require(actor, doc.agency, services.LEADER_ROLES + services.CLERK_ROLES,
                          _("trả lời đề nghị thu hồi"))
        ex = IncomingExchange.objects.select_for_update().filter(incoming=doc).first()
        if ex is None or ex.recall_state != RecallState.REQUESTED:
            raise Conflict(_("Văn bản không có đề nghị thu hồi đang chờ."), code="no_recall_pending")
        ex.recall_state = RecallState.ACCEPTED if accept else RecallState.REFUSED
        ex.recall_answered_at = now
        ex.save(update_fields=["recall_state", "recall_answered_at"])
        code = edxml.RECALL_ACCEPTED if accept else edxml.RECALL_REFUSED
        sent = notify_sender(doc, code, actor=actor, description=_nfc(reason)[:500], now=now)
        _doc_event(actor, "recall_" + ("accepted" if accept else "refused"), now, incoming=doc,
                   document_id=ex.document_id, reason=_nfc(reason)[:500], **status_data(sent))
    return ex


# ---------------------------------------------------------------- receiving

@dataclass
class Intake:
    accepted: bool
    code: str
    document: object = None
    http_status: int = 200


def _system_clerk(org):
    """The exchange registers what arrives on behalf of the recipient's clerk (Decree 30 Art. 21-22: same day)."""
    return Actor(user_id=None, username="lien-thong", roles=frozenset({(Role.CLERK, org.path)}),
                 org_paths=(org.path,))


def _home():
    return Agency.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()


def _refuse(me, sender_code, env, code, message, now):
    """A 02 status back to the sender (when it is a known peer) and an event; nothing registered."""
    document_id = env.document_id if env else ""
    response_for = {"OrganId": env.sender.organ_id if env else sender_code, "DocumentId": document_id or "-",
                    "Code": f"{env.code_number}/{env.code_notation}" if env else "",
                    "PromulgationDate": env.promulgation_date.strftime("%Y/%m/%d") if env else ""}
    with transaction.atomic():
        if me is not None:
            _event(me, "refused", document_id, "lien-thong", now, code=code, sender=sender_code, reason=message)
            if sender_code and ExchangePeer.objects.filter(code=sender_code, is_active=True).exists():
                payload = _status_payload(me, edxml.REJECTED, response_for, f"{code}: {message}", "lien-thong", now)
                transport.enqueue(me, sender_code, "status", document_id or "-", payload,
                                  status_code=edxml.REJECTED, now=now)
    log.info("exchange envelope from %s refused: %s", sender_code, code)
    return Intake(False, code)


def _check_signatures(attachments):
    """([], {name: summary}) when every PDF attachment carries a valid signature (and there is at least one
    PDF); else ((code, message), ...). The check is the signing app's verification against the configured
    trust roots."""
    pdfs = [a for a in attachments if a.content_type == "application/pdf" or a.name.lower().endswith(".pdf")]
    if not pdfs:
        return ("no_signed_pdf", _("Gói tin không có văn bản PDF đã ký số.")), {}
    checked = {}
    for a in pdfs:
        if not re.fullmatch(r"sha256:[0-9a-fA-F]{64}", a.description or ""):
            return ("checksum_missing", _("Tệp đính kèm không có mã kiểm tra SHA-256 trong danh mục.")), {}
        if not settings.MOTCUA_EXCHANGE.get("require_signature", True):
            continue
        report = signing.verify(a.content)
        if not report.get("count"):
            return ("unsigned", _("Văn bản PDF không có chữ ký số.")), {}
        if not report.get("valid"):
            return ("invalid_signature", _("Chữ ký số của văn bản không hợp lệ hoặc không tin cậy.")), {}
        checked[a.name] = {"count": report["count"], "summary": report.get("summary", ""),
                           "signers": [s.get("signer") or s.get("subject") or "" for s in report["signatures"]]}
    return (), checked


def intake(data, *, sender_code, via, now=None):
    """Take in one edXML message from `sender_code` (authenticated by the caller: HMAC or the platform)."""
    now = now or timezone.now()
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        _root, header = edxml._root(data)
    except edxml.EdxmlError as exc:
        return _refuse(_home(), sender_code, None, exc.code, exc.message, now)
    if header.find(edxml._q("Status")) is not None:
        return _intake_status(data, sender_code, now)
    return _intake_envelope(data, sender_code, via, now)


def _intake_envelope(data, sender_code, via, now):
    home = _home()
    try:
        env = edxml.parse(data)
    except edxml.EdxmlError as exc:
        return _refuse(home, sender_code, None, exc.code, exc.message, now)
    if env.sender.organ_id != sender_code:
        return _refuse(home, sender_code, env, "sender_mismatch",
                       _("Cơ quan gửi trong gói tin khác cơ quan đã xác thực."), now)
    codes = [r.organ_id for r in env.recipients]
    orgs = list(Agency.objects.filter(code__in=codes, is_active=True))
    if not orgs:
        return _refuse(home, sender_code, env, "unknown_recipient", _("Văn bản không gửi đến cơ quan nào ở đây."), now)
    digest = hashlib.sha256(data).hexdigest()
    problem, checked = _check_signatures(env.attachments)
    if problem:
        return _refuse(orgs[0], sender_code, env, *problem, now)
    first = None
    for org in orgs:
        same = IncomingExchange.objects.filter(incoming__agency=org, document_id=env.document_id).first()
        if same is not None:
            if same.envelope_sha256 == digest:     # the same message again (a retry whose answer was lost)
                first = first or same.incoming
                continue
            return _refuse(org, sender_code, env, "duplicate_document_id", _("Văn bản điện tử này đã được vào sổ."), now)
        try:
            with transaction.atomic():
                doc = _register(org, env, digest, via, now, checked)
        except IntegrityError:                      # the same DocumentId registered concurrently
            return _refuse(org, sender_code, env, "duplicate_document_id", _("Văn bản điện tử này đã được vào sổ."), now)
        except DomainError as exc:
            return _refuse(org, sender_code, env, exc.code, exc.message, now)
        first = first or doc
    return Intake(True, "received", first)


def _register(org, env, digest, via, now, checked):
    """Receipt by exchange: the registration (its one event says how it came and the 01 and 03 queued back)."""
    clerk = _system_clerk(org)
    number_symbol = f"{env.code_number}/{env.code_notation}" if env.code_notation else env.code_number
    old = None
    if env.business_doc_type == REPLACEMENT and env.response_for:
        old = IncomingExchange.objects.filter(incoming__agency=org, sender_code=env.sender.organ_id,
                                              document_id=env.response_for.get("DocumentId", "")).first()
    doc, _warnings = services.register_incoming(
        clerk, org.code, sender_code=env.sender.organ_id, sender_name=env.sender.name or env.sender.organ_id,
        number_symbol=number_symbol, issued_date=env.promulgation_date, subject=env.subject,
        type_name=env.type_name, secrecy=SecrecyLevel.NORMAL, priority=env.priority, document_id=env.document_id,
        now=now, event_data={"via": via, "status_sent": [edxml.ARRIVED, edxml.RECEIVED],
                             "replaces": old.document_id if old else None})
    ex = IncomingExchange.objects.create(
        incoming=doc, sender_code=env.sender.organ_id, document_id=env.document_id, envelope_sha256=digest,
        signature=checked,
        attachments=[{"name": a.name, "content_type": a.content_type, "size": len(a.content),
                      "sha256": hashlib.sha256(a.content).hexdigest()} for a in env.attachments])
    ExchangeAttachment.objects.bulk_create([ExchangeAttachment(exchange=ex, name=a.name[:255],
                                                               content_type=a.content_type[:100], content=a.content)
                                            for a in env.attachments])
    if old is not None:
        old.replaced_by = doc
        old.save(update_fields=["replaced_by"])
    notify_sender(doc, edxml.ARRIVED, actor=clerk, now=now)
    notify_sender(doc, edxml.RECEIVED, actor=clerk, now=now,
                  description=_("Đã tiếp nhận, số đến %(n)d.") % {"n": doc.arrival_number})
    return doc


def _intake_status(data, sender_code, now):
    try:
        msg = edxml.parse_status(data)
    except edxml.EdxmlError as exc:
        return Intake(False, exc.code, http_status=422)
    if msg.sender.organ_id != sender_code:
        return Intake(False, "sender_mismatch", http_status=403)
    rf = msg.response_for
    with transaction.atomic():
        if msg.status_code == edxml.RECALLED:      # the sender recalls a document we received
            ex = IncomingExchange.objects.select_for_update().select_related("incoming__agency") \
                .filter(document_id=rf["DocumentId"], sender_code=sender_code).first()
            if ex is None:
                return Intake(False, "unknown_document", http_status=422)
            if ex.recall_state == RecallState.NONE:
                ex.recall_state, ex.recall_reason = RecallState.REQUESTED, msg.description[:500]
                ex.save(update_fields=["recall_state", "recall_reason"])
                _doc_event(_peer_actor(sender_code), "recall_requested", now, incoming=ex.incoming,
                           document_id=ex.document_id, reason=msg.description[:500])
            return Intake(True, "recall_requested", ex.incoming)
        ex = OutgoingExchange.objects.select_related("outgoing__agency").filter(document_id=rf["DocumentId"]).first()
        recipients = {r.get("OrganId") for r in ex.outgoing.recipients} if ex else set()
        if ex is None and msg.status_code == edxml.REJECTED:    # a refusal of what it could not read
            home = _home()
            if home is not None:
                _event(home, "refused_by_peer", rf["DocumentId"], sender_code, now, reason=msg.description[:500])
            return Intake(True, "status_unmatched")
        if ex is None or sender_code not in recipients:
            return Intake(False, "unknown_document", http_status=422)
        ts = msg.timestamp.replace(tzinfo=TZ) if msg.timestamp else None
        ExchangeStatus.objects.create(outgoing=ex.outgoing, organ_id=sender_code, status_code=msg.status_code,
                                      description=msg.description[:1000], timestamp=ts, received_at=now)
        _doc_event(_peer_actor(sender_code), "status_received", now, outgoing=ex.outgoing, document_id=ex.document_id,
                   status=msg.status_code, recipient=sender_code, description=msg.description[:1000])
    return Intake(True, "status", ex.outgoing)


# ---------------------------------------------------------------- what the sender sees

def recipient_statuses(actor, doc_id):
    """{recipient code: {"name", "status", "label", "description", "at", "history": [codes]}} of an outgoing
    document, for its agency's staff."""
    doc = services._outgoing(actor, doc_id)
    out = {r["OrganId"]: {"name": r.get("OrganName", ""), "status": "", "label": _("Chưa có phản hồi"),
                          "description": "", "at": None, "history": []}
           for r in doc.recipients if r.get("OrganId")}
    for st in ExchangeStatus.objects.filter(outgoing=doc).order_by("id"):
        row = out.setdefault(st.organ_id, {"name": "", "history": []})
        row.update(status=st.status_code, label=edxml.STATUS_CODES[st.status_code], description=st.description,
                   at=st.timestamp)
        row["history"].append(st.status_code)
    return out


def incoming_file(actor, doc_id):
    """The signed PDF (name, content type, bytes) received with an incoming document."""
    doc = services._incoming(actor, doc_id)
    att = ExchangeAttachment.objects.filter(exchange__incoming=doc).order_by("id").first()
    if att is None:
        raise NotFound(_("Văn bản không có tệp điện tử."), code="file_not_found")
    return att.name, att.content_type, bytes(att.content)


__all__ = ["set_peer", "on_issued", "replace", "recall", "answer_recall", "start_processing", "intake",
           "notify_sender", "recipient_statuses", "incoming_file", "IncomingDocument", "OutgoingDocument"]
