"""The only place the data store changes.

    file_document(actor, attachment, source=..., ...)    file a certified copy / signed result under its owner
    my_documents(user)                                   the verified citizen's own documents
    offers_for_citizen(user, procedure)                  what the store holds for each component (portal)
    offers_at_counter(actor, procedure, id_number, name) the same for a receiving officer (counter intake)
    reuse(actor, dossier_code, component_id, document_id) link a held document to a new dossier's component

Filing runs inside the signing transaction that made the certified copy or the sealed result (called from
motcua.signing.services.certify_digitised_copy and motcua.signing.results.sign_result): the file, its
signature record, the dossier's history event and the store's record are written together or not at all.
Nothing leaves the machine while filing (the national store's write contract is unknown), so there is no
outbox message to order after the commit.

Ownership is the owner's identity number (CCCD, or a tax code for an organisation). A citizen's owner is
always the verified CCCD of their account (citizens.Profile, set only by an identity sign-in), never a form
field. A receiving officer sees offers only for a procedure they may receive, and only by the applicant's ID
number together with the owner's name as filed. Every link re-checks that the document's owner is the
dossier's applicant: a guessed document id or ID number answers 404 (no existence leak).
"""
import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from motcua.core.values import iso_date

from .models import DigitisedDocument, OwnerKind, Reuse, Source


# ---------------------------------------------------------------- owner identity

def owner_identity(value, kind=OwnerKind.CITIZEN):
    """(kind, normalised number) of an owner: a 12-digit CCCD (Circular 59/2021 checks) or a tax code;
    raises ValidationFailed (`owner_id_invalid`) otherwise."""
    from motcua.citizens.checks import check_cccd, check_tax_code

    try:
        if kind == OwnerKind.CITIZEN:
            return OwnerKind.CITIZEN, check_cccd(value)
        if kind == OwnerKind.ORGANISATION:
            number = check_tax_code(value)
            if number:
                return OwnerKind.ORGANISATION, number
    except ValidationFailed:
        pass
    raise ValidationFailed(_("Số định danh chủ giấy tờ không hợp lệ (CCCD 12 chữ số hoặc mã số thuế)."),
                           code="owner_id_invalid", details={"field": "owner_id_number"})


def _owner_of(dossier):
    """The dossier's applicant as a store owner, or None when the dossier names no valid ID number."""
    kind = OwnerKind.ORGANISATION if dossier.applicant_kind == "organisation" else OwnerKind.CITIZEN
    try:
        return owner_identity(dossier.applicant_id_number, kind)
    except ValidationFailed:
        return None


def _folded(text):
    text = unicodedata.normalize("NFD", " ".join(str(text or "").split())).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


# ---------------------------------------------------------------- filing

METADATA = ("name", "paper_code", "result_code", "number_symbol", "issuing_agency", "signer", "issued_on",
            "valid_until", "permanent", "scope", "summary", "hidden_from_citizen")


def _clean_metadata(meta):
    meta = dict(meta or {})
    unknown = set(meta) - set(METADATA)
    if unknown:
        raise ValidationFailed(_("Thông tin giấy tờ số hóa không hợp lệ."), code="invalid_document_metadata",
                               details={"unknown": sorted(unknown)})
    for key in ("issued_on", "valid_until"):
        value = meta.get(key)
        if isinstance(value, str):
            meta[key] = iso_date(value.strip(), key) if value.strip() else None
    limits = {"name": 500, "paper_code": 64, "result_code": 64, "number_symbol": 60, "issuing_agency": 255,
              "signer": 255, "scope": 255, "summary": 1000}
    for key, limit in limits.items():
        if key in meta:
            meta[key] = " ".join(str(meta[key] or "").split())
            if len(meta[key]) > limit:
                raise ValidationFailed(_("Thông tin giấy tờ quá dài."), code="too_long",
                                       details={"field": key, "max_length": limit})
    if meta.get("valid_until") and meta.get("permanent"):
        raise ValidationFailed(_("Giấy tờ có hiệu lực vĩnh viễn thì không có ngày hết hiệu lực."),
                               code="validity_conflict", details={"field": "valid_until"})
    return meta


def file_document(actor, attachment, *, source, dossier_component=None, metadata=None, signer="", now=None):
    """File a certified component copy or a signed result of a dossier under its owner (the applicant); or,
    `Source.SCANNED`, an unsigned scan of a component or a paper result digitised at the counter (the demo;
    certified stays false).
    Called inside the signing act's transaction; returns the new DigitisedDocument, or None when the dossier
    names no valid owner ID number (nothing can be filed under nobody). Re-filing the same component or the
    same dossier's result adds a version."""
    if source not in (Source.CERTIFIED_COPY, Source.SIGNED_RESULT, Source.SCANNED):
        raise ValueError(f"file_document does not file {source!r}")
    is_result = attachment.kind == "result"
    if source == Source.SIGNED_RESULT and not is_result or source == Source.CERTIFIED_COPY and is_result:
        raise ValueError(f"{source} does not file a {attachment.kind} attachment")
    now = now or timezone.now()
    dossier = attachment.dossier
    owner = _owner_of(dossier)
    meta = _clean_metadata(metadata)
    if owner is None:
        return None
    proc = dossier.procedure
    component = dossier_component.component if dossier_component is not None else None
    local_day = timezone.localtime(now).date()
    if is_result:
        lineage = f"result:{dossier.pk}"
        defaults = {"name": proc.result_type or proc.name, "result_code": proc.result_code,
                    "number_symbol": "", "issuing_agency": dossier.agency.name, "signer": signer,
                    "issued_on": local_day, "permanent": True, "summary": proc.name}
    else:
        lineage = f"component:{dossier_component.pk}"
        defaults = {"name": dossier_component.name, "paper_code": component.paper_code if component else "",
                    "result_code": "", "issued_on": None, "permanent": True,
                    "summary": _("Bản sao điện tử chứng thực từ hồ sơ %(code)s") % {"code": dossier.code}}
    values = {**defaults, **meta}
    values.setdefault("ocr_text", _ocr_text(attachment))
    if values.get("valid_until"):
        values["permanent"] = False
    with transaction.atomic():
        previous = (DigitisedDocument.objects.select_for_update().filter(lineage=lineage, current=True).first())
        if previous is not None:
            DigitisedDocument.objects.filter(pk=previous.pk).update(current=False)
        doc = DigitisedDocument.objects.create(
            owner_kind=owner[0], owner_id_number=owner[1], owner_name=dossier.applicant_name, source=source,
            certified=bool(attachment.signed), attachment=attachment, size=attachment.size, sha256=attachment.sha256,
            dossier=dossier, dossier_component=dossier_component, procedure_code=proc.code,
            field_code=proc.field.code if proc.field_id else "", agency=dossier.agency,
            digitised_by_id=actor.user_id, digitised_by_name=actor.username, digitised_at=now,
            lineage=lineage, version=(previous.version + 1) if previous else 1, previous=previous,
            **{k: v for k, v in values.items() if v is not None or k in ("issued_on", "valid_until")})
    return doc


def _ocr_text(attachment):
    from motcua.ocr.services import text_of
    return text_of(attachment)


def record_ocr_text(attachment_ids, text):
    """An OCR job finished reading these attachments: their digitised-document records that have no text
    yet get it (an OCR text is the reading of the file, not an act on the record: no version)."""
    if not text:
        return 0
    return DigitisedDocument.objects.filter(attachment_id__in=attachment_ids, ocr_text="").update(ocr_text=text)


# ---------------------------------------------------------------- reading

def held(owner_id_number, *, for_citizen=False):
    """The current documents of one owner."""
    qs = DigitisedDocument.objects.filter(owner_id_number=owner_id_number, current=True)
    if for_citizen:
        qs = qs.filter(hidden_from_citizen=False)
    return qs.select_related("attachment", "dossier").order_by("-digitised_at", "-id")


def verified_owner(user):
    """The verified CCCD of a citizen's account (identity sign-in), or None."""
    from motcua.citizens.models import Profile

    profile = Profile.objects.filter(user_id=getattr(user, "pk", None)).first()
    return profile.id_number if profile is not None and profile.is_verified else None


def my_documents(user):
    """The signed-in citizen's own documents (none until their identity is verified)."""
    owner = verified_owner(user)
    return list(held(owner, for_citizen=True)) if owner else []


def my_document(user, pk):
    """One of the citizen's own documents, or 404."""
    owner = verified_owner(user)
    doc = held(owner, for_citizen=True).filter(pk=pk).first() if owner else None
    if doc is None:
        raise NotFound(_("Không tìm thấy giấy tờ trong kho dữ liệu."), code="document_not_found")
    return doc


def satisfies(doc, component):
    """A held document satisfies a catalogue component of the same paper kind, or whose replacing result
    code is the document's result code."""
    return bool((component.paper_code and doc.paper_code == component.paper_code)
                or (component.result_code and doc.result_code == component.result_code))


def offers(owner_id_number, procedure, *, for_citizen, today=None):
    """{catalogue component id: [documents still valid that satisfy it]} for one owner."""
    today = today or timezone.localdate()
    components = [c for c in procedure.components.all() if c.paper_code or c.result_code]
    if not owner_id_number or not components:
        return {}
    docs = [d for d in held(owner_id_number, for_citizen=for_citizen) if d.valid_on(today)]
    out = {}
    for c in components:
        found = [d for d in docs if satisfies(d, c)]
        if found:
            out[c.pk] = found
    return out


def offers_for_citizen(user, procedure, *, today=None):
    """Offers on the portal: the owner is the account's verified CCCD, never what the form says."""
    return offers(verified_owner(user), procedure, for_citizen=True, today=today)


def _counter_scope(actor, procedure):
    from motcua.agencies.models import Role
    from motcua.dossiers import services as dossiers

    if not actor.has_role(Role.RECEIVING_OFFICER):
        raise NotAllowed(_("Chỉ cán bộ tiếp nhận được tra cứu kho dữ liệu của người nộp."), code="role_required",
                         details={"roles": [Role.RECEIVING_OFFICER]})
    options, _pre = dossiers.receivable_agencies(actor, procedure)
    if not options:
        raise dossiers.receipt_out_of_scope([])


def offers_at_counter(actor, procedure, id_number, name, *, today=None):
    """Offers at the counter: a receiving officer who may receive this procedure types the applicant's ID
    number and name; only documents of that owner, filed under that same name, that satisfy one of the
    procedure's components are offered (never the rest of the store)."""
    _counter_scope(actor, procedure)
    if not str(id_number or "").strip():
        return {}
    kind = OwnerKind.ORGANISATION if len("".join(ch for ch in str(id_number) if ch.isdigit())) in (10, 13) \
        else OwnerKind.CITIZEN
    _kind, number = owner_identity(id_number, kind)
    found = offers(number, procedure, for_citizen=False, today=today)
    wanted = _folded(name)
    return {cid: kept for cid, docs in found.items() if (kept := [d for d in docs if _folded(d.owner_name) == wanted])}


# ---------------------------------------------------------------- reuse

def _own_account(actor, dossier):
    return dossier.owner_id is not None and dossier.owner_id == actor.user_id \
        and not actor.covers(dossier.agency_path) and not actor.covers(dossier.intake_path)


def _component_of(dossier, component_id):
    dc = dossier.components.select_related("component").filter(pk=component_id).first()
    if dc is None:
        raise ValidationFailed(_("Thành phần hồ sơ không thuộc hồ sơ này."), code="unknown_component",
                               details={"component_id": component_id})
    if Reuse.objects.filter(dossier_component=dc).exists():
        raise ValidationFailed(_("Thành phần này đã dùng giấy tờ trong kho."), code="already_reused",
                               details={"component_id": dc.pk})
    return dc


def _not_found():
    return NotFound(_("Không tìm thấy giấy tờ trong kho dữ liệu."), code="document_not_found")


def _link(actor, dossier, dc, doc, content, filename, *, national, replaces, now, national_result=None):
    """Attach the held file to the component (one history event) and record the reuse; one transaction.
    A document read from the national store is filed in the store first (under the applicant)."""
    from motcua.dossiers import services as dossiers

    with transaction.atomic():
        att = dossiers.attach(actor, dossier.code, kind="component", filename=filename, content=content,
                              component_id=dc.pk, digitised=True, signed=bool(doc and doc.certified), now=now,
                              data={"reused_document": doc.pk if doc else None,
                                    "reused_from": doc.dossier.code if doc and doc.dossier else "",
                                    "national_store": national, "replaces_result_code": replaces})
        if doc is None:
            r = national_result
            owner = _owner_of(dossier)
            doc = DigitisedDocument.objects.create(
                owner_kind=owner[0], owner_id_number=owner[1], owner_name=dossier.applicant_name,
                name=(r.name or dc.name)[:500], result_code=r.result_code[:64], number_symbol=r.number_symbol[:60],
                issuing_agency=r.owner_agency[:255], permanent=True, source=Source.NATIONAL_STORE,
                attachment=att, size=att.size, sha256=att.sha256, dossier=dossier, dossier_component=dc,
                procedure_code=dossier.procedure.code, agency=dossier.agency, digitised_by_id=actor.user_id,
                digitised_by_name=actor.username, digitised_at=now, national_code=r.files[0].path[:100],
                lineage=f"national:{dc.pk}", summary=_("Lấy từ kho dữ liệu trên Cổng DVCQG"))
        if not dc.provided:
            type(dc).objects.filter(pk=dc.pk).update(provided=True)
        return Reuse.objects.create(dossier=dossier, dossier_component=dc, document=doc, attachment=att,
                                    from_national_store=national, replaces_result_code=replaces,
                                    reused_by_id=actor.user_id, reused_at=now)


def reuse(actor, dossier_code, component_id, document_id, *, now=None):
    """Satisfy a dossier component with a document held in the store: the file is attached to the component
    as digitised (one history event `attach_component` naming the reused document) and the reuse recorded,
    in one transaction. The document must belong to the dossier's applicant (and, for the applicant's own
    account, to its verified CCCD), be current, still valid and satisfy the component."""
    from motcua.dossiers import services as dossiers

    now = now or timezone.now()
    dossier = dossiers.get_for(actor, dossier_code)                      # 404 outside scope
    owner = _owner_of(dossier)
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    if owner is None:
        raise _not_found()
    doc = DigitisedDocument.objects.filter(pk=document_id, current=True, owner_id_number=owner[1]).first()
    own_account = _own_account(actor, dossier)
    if doc is not None and own_account and (verified_owner_id(actor) != doc.owner_id_number
                                            or doc.hidden_from_citizen):
        doc = None
    if doc is not None and not own_account and _folded(doc.owner_name) != _folded(dossier.applicant_name):
        doc = None
    if doc is None:
        raise _not_found()
    dc = _component_of(dossier, component_id)
    if dc.component is None or not satisfies(doc, dc.component):
        raise ValidationFailed(_("Giấy tờ này không thay thế được thành phần “%(name)s”.") % {"name": dc.name},
                               code="document_not_suitable", details={"component_id": dc.pk})
    if not doc.valid_on(timezone.localtime(now).date()):
        raise ValidationFailed(_("Giấy tờ đã hết hiệu lực ngày %(d)s.") % {"d": doc.valid_until.strftime("%d/%m/%Y")},
                               code="document_expired", details={"valid_until": doc.valid_until.isoformat()})
    if doc.attachment is None:
        raise ValidationFailed(_("Giấy tờ trong kho không có tệp đính kèm."), code="document_without_file")
    with doc.attachment.file.open("rb") as fh:
        content = fh.read()
    replaces = doc.result_code if (dc.component.result_code and doc.result_code == dc.component.result_code) else ""
    return _link(actor, dossier, dc, doc, content, doc.attachment.filename, national=False, replaces=replaces,
                 now=now)


def reuse_from_national_store(actor, dossier_code, component_id, *, number_symbol="", now=None):
    """Satisfy a component whose catalogue entry names a replacing result code with the applicant's result
    read from the national store (GetKetQuaGiayTo by owner and result code, then GetGiayToByUrl): the file is
    attached, filed in the store under the applicant (source national_store) and the reuse recorded with
    DuocLayTuKhoDMQG. The owner asked about is the dossier's applicant; on the applicant's own account it
    must be the account's verified CCCD (otherwise 404, nothing is asked)."""
    from motcua.dossiers import services as dossiers

    from . import national

    now = now or timezone.now()
    dossier = dossiers.get_for(actor, dossier_code)
    owner = _owner_of(dossier)
    own_account = _own_account(actor, dossier)
    if owner is None or owner[0] != OwnerKind.CITIZEN or (own_account and verified_owner_id(actor) != owner[1]):
        raise _not_found()
    dc = _component_of(dossier, component_id)
    code = dc.component.result_code if dc.component is not None else ""
    if not code:
        raise ValidationFailed(_("Thành phần “%(name)s” không có mã kết quả để tra cứu kho dữ liệu quốc gia.")
                               % {"name": dc.name}, code="no_result_code", details={"component_id": dc.pk})
    plugin = national.enabled()
    if plugin is None:
        raise ValidationFailed(_("Chưa kết nối kho dữ liệu trên Cổng DVCQG."), code="national_store_not_connected")
    request = national.Request(owner_id_number=owner[1], requester_name=dossier.applicant_name,
                               requester_id_number=owner[1], channel="2" if own_account else "1",
                               procedure_code=dossier.procedure.code, results=[(code, number_symbol)])
    try:
        found = [r for r in plugin.results(request) if r.result_code == code and r.files]
        if not found:
            raise _not_found()
        content = plugin.file(found[0], found[0].files[0])
    except national.NationalStoreError as e:
        raise DomainError(e.message, code=e.code, status_code=502) from e
    return _link(actor, dossier, dc, None, content, found[0].files[0].name or "ket-qua.pdf", national=True,
                 replaces=code, now=now, national_result=found[0])


def verified_owner_id(actor):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=actor.user_id).first()
    return verified_owner(user) if user is not None else None


def reuse_all(actor, dossier_code, chosen, *, now=None):
    """reuse() for each (dossier component id, document id) pair; one transaction for them all."""
    with transaction.atomic():
        return [reuse(actor, dossier_code, cid, did, now=now) for cid, did in chosen]


# ---------------------------------------------------------------- DVCQG flags

def component_flags(dossier):
    """{attachment id: {"DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG", "MaKetQuaThayThe"}} for the
    dossier's reused attachments (others: digitised flag from the attachment, not reused)."""
    return {r.attachment_id: {"DuocSoHoa": "1", "DuocTaiSuDung": r.reuse_flag,
                              "DuocLayTuKhoDMQG": "1" if r.from_national_store else "0",
                              "MaKetQuaThayThe": r.replaces_result_code}
            for r in Reuse.objects.filter(dossier=dossier)}
