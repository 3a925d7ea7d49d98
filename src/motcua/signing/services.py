"""Signing services: the certificate registry, signing a dossier's result, certifying a digitised copy,
signing an outgoing document (never a secret one), and verification for everyone.

Permission checks live here. Errors are DomainError subclasses with a code and a Vietnamese message.
"""
import contextlib
import hashlib
import os
import re
import unicodedata
from datetime import timedelta

from asn1crypto import x509
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Role
from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed

from . import appearance as ap
from . import pdf
from .common import KeySourceError, load_certificates
from .keys import KeySource, source_for
from .models import ArchiveTimestamp, CertificateKind, NumberSeries, SecrecyLevel, SignatureRecord, SigningKey
from .revocation import CertificateRefused, check_signing_certificate

SIGNER_ROLES = (Role.AGENCY_LEADER, Role.CLERK)


# ---------------------------------------------------------------- text

def nfc(text):
    """Free text as stored and compared: Unicode NFC (a decomposed "MẬT" is the same word), trimmed."""
    return unicodedata.normalize("NFC", text or "").strip()


def _folded(text):
    """Upper case without accents, đ as D, punctuation as spaces: "Độ mật: MẬT" -> "DO MAT MAT"."""
    bare = "".join(c for c in unicodedata.normalize("NFD", nfc(text)) if not unicodedata.combining(c))
    bare = bare.replace("đ", "d").replace("Đ", "D").upper()
    return " ".join(re.sub(r"[^0-9A-Z]+", " ", bare).split())


def _same_name(a, b):
    """Names compared NFC, case-insensitively, with runs of spaces (and , . - around words) as one space."""
    norm = lambda t: " ".join(re.sub(r"[,.;\-]+", " ", nfc(t).casefold()).split())  # noqa: E731
    return norm(a) == norm(b)


# ---------------------------------------------------------------- configuration

_ROOTS_CACHE = {}


def trust_roots():
    """The configured trust anchors (MOTCUA_SIGNING_TRUST_ROOTS: PEM/DER files or directories)."""
    paths = []
    for entry in settings.MOTCUA_SIGNING_TRUST_ROOTS:
        if os.path.isdir(entry):
            paths += sorted(os.path.join(entry, n) for n in os.listdir(entry)
                            if n.lower().endswith((".pem", ".crt", ".cer", ".der")))
        elif os.path.exists(entry):
            paths.append(entry)
    key = tuple((p, os.path.getmtime(p)) for p in paths)
    if key not in _ROOTS_CACHE:
        roots = []
        for p in paths:
            with open(p, "rb") as fh:
                roots += load_certificates(fh.read())
        _ROOTS_CACHE.clear()
        _ROOTS_CACHE[key] = roots
    return _ROOTS_CACHE[key]


def _options(level, **kw):
    level = level or settings.MOTCUA_SIGNING_LEVEL
    if level not in pdf.LEVELS:
        raise ValidationFailed(_("Mức chữ ký không hợp lệ."), code="invalid_level",
                               details={"allowed": list(pdf.LEVELS)})
    return pdf.SignOptions(level=level, tsa_url=settings.MOTCUA_SIGNING_TSA_URL, trust_roots=tuple(trust_roots()), **kw)


# ---------------------------------------------------------------- the certificate registry

def _cert_fields(cert: x509.Certificate):
    validity = cert["tbs_certificate"]["validity"]
    return dict(certificate_der=cert.dump(), subject=cert.subject.human_friendly[:500],
                issuer=cert.issuer.human_friendly[:500], serial=format(cert.serial_number, "x"),
                fingerprint=hashlib.sha256(cert.dump()).hexdigest(),
                not_before=validity["not_before"].native, not_after=validity["not_after"].native)


def _agency(code):
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound(_("Không tìm thấy cơ quan %(code)s.") % {"code": code}, code="agency_not_found")
    return agency


def certificate_organisations(cert):
    """The organisation (O) values of a certificate's subject."""
    value = cert.subject.native.get("organization_name") or []
    return [value] if isinstance(value, str) else list(value)


def names_for_certificate(org):
    """The organisation names a certificate of `org` may carry: the agency's name, or that name followed by
    its province's ("Sở Xây dựng tỉnh Hòa Bình" when the province is "UBND tỉnh Hòa Bình")."""
    names = [org.name]
    root = org
    while root.parent_id is not None:
        root = root.parent
    if root != org:
        place = re.sub(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", "", nfc(root.name), flags=re.IGNORECASE)
        names.append(f"{org.name} {place}")
    return names


def _check_certificate_agency(cert, org):
    """A certificate is registered only by the agency it names (subject O, compared NFC and case-insensitive)."""
    found = certificate_organisations(cert)
    if not any(_same_name(o, n) for o in found for n in names_for_certificate(org)):
        raise NotAllowed(_("Chứng thư số được cấp cho “%(found)s”, không phải cho %(agency)s: cơ quan chỉ đăng ký "
                           "được chứng thư số mang tên mình.") % {"found": ", ".join(found) or "?", "agency": org.name},
                         code="certificate_of_other_agency",
                         details={"certificate_organisation": found, "agency": org.name})


def register_key(actor, agency_code, *, label, kind, source, config, holder=None, holder_name="", holder_title="",
                 authority="", signature_image=None, seal_image=None, secrets=None, now=None):
    """Record a certificate and its key source for an agency (administrator or leader of that agency). The
    certificate is read from the source itself, so a wrong passphrase, a wrong PIN or an absent token fails
    here, and it must name the agency (subject O)."""
    agency = _agency(agency_code)
    org = agency.organisation
    if not (actor.has_role(Role.ADMINISTRATOR, org.path) or actor.has_role(Role.AGENCY_LEADER, org.path)):
        raise NotAllowed(_("Chỉ quản trị hoặc lãnh đạo cơ quan được đăng ký chứng thư số."), code="role_required",
                         details={"roles": [Role.ADMINISTRATOR, Role.AGENCY_LEADER]})
    if kind not in CertificateKind.values:
        raise ValidationFailed(_("Loại chứng thư không hợp lệ."), code="invalid_certificate_kind",
                               details={"allowed": list(CertificateKind.values)})
    if kind == CertificateKind.PERSONAL and holder is None:
        raise ValidationFailed(_("Chứng thư cá nhân phải có người được cấp."), code="holder_required")
    if not nfc(label):
        raise ValidationFailed(_("Hãy đặt tên cho chứng thư số."), code="field_required", details={"field": "label"})
    try:   # `secrets` (a PIN, a passphrase typed now) open the source but are not stored
        cert = source_for(source, _with_secrets(source, config, secrets)).certificate()
    except KeySourceError as e:
        raise ValidationFailed(str(e), code=e.code) from e
    _check_certificate_agency(cert, org)
    fields = _cert_fields(cert)
    now = now or timezone.now()
    if fields["not_after"] <= now:
        raise ValidationFailed(_("Chứng thư số đã hết hạn."), code="certificate_expired",
                               details={"not_after": ap.iso_local(fields["not_after"])})
    if SigningKey.objects.filter(agency=org, fingerprint=fields["fingerprint"]).exists():
        raise Conflict(_("Chứng thư số này đã được đăng ký cho cơ quan."), code="certificate_already_registered")
    return SigningKey.objects.create(
        agency=org, label=nfc(label), kind=kind, holder=holder,
        holder_name=nfc(holder_name or cert.subject.native.get("common_name", "")), holder_title=nfc(holder_title),
        authority=nfc(authority), source=source, source_config=config, signature_image=signature_image,
        seal_image=seal_image, **fields)


def keys_for(actor, agency_code=None):
    qs = SigningKey.objects.select_related("agency", "holder")
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    return qs.filter(actor.scope_q("agency__path"))


def expiring_keys(actor=None, *, within_days=None, now=None):
    """Active certificates that expire within the warning window (or already expired), soonest first."""
    now = now or timezone.now()
    days = settings.MOTCUA_SIGNING_EXPIRY_WARNING_DAYS if within_days is None else within_days
    qs = SigningKey.objects.select_related("agency").filter(active=True, not_after__lte=now + timedelta(days=days))
    if actor is not None:
        qs = qs.filter(actor.scope_q("agency__path"))
    return [dict(key=k, days_left=(k.not_after - now).days, expired=k.not_after <= now)
            for k in qs.order_by("not_after")]


def expiry_warning(key, now=None):
    now = now or timezone.now()
    left = key.not_after - now
    if left <= timedelta(days=settings.MOTCUA_SIGNING_EXPIRY_WARNING_DAYS):
        return _("Chứng thư số “%(label)s” sẽ hết hạn sau %(days)d ngày (%(at)s).") % {
            "label": key.label, "days": max(left.days, 0), "at": ap.iso_local(key.not_after)}
    return None


# ---------------------------------------------------------------- signing

def _usable_key(actor, key_id, org, now, *, organisation_only=False):
    key = SigningKey.objects.select_related("agency").filter(pk=key_id).first()
    if key is None or not actor.covers(key.agency.path):
        raise NotFound(_("Không tìm thấy chứng thư số."), code="key_not_found")
    if key.agency_id != org.pk:
        raise NotAllowed(_("Chứng thư số không thuộc cơ quan có thẩm quyền."), code="key_of_other_agency")
    if not key.active:
        raise Conflict(_("Chứng thư số đã bị ngừng sử dụng."), code="key_inactive")
    if key.not_after <= now:
        raise Conflict(_("Chứng thư số đã hết hạn, không thể ký."), code="certificate_expired",
                       details={"not_after": ap.iso_local(key.not_after)})
    if organisation_only and key.kind != CertificateKind.ORGANISATION:
        raise ValidationFailed(_("Bản sao điện tử phải ký bằng chứng thư số của cơ quan."),
                               code="organisation_key_required")
    if key.kind == CertificateKind.PERSONAL and key.holder_id != actor.user_id:
        raise NotAllowed(_("Chỉ người được cấp mới được dùng chứng thư số cá nhân này."), code="not_key_holder")
    return key


def needs_secret(key):
    """True when the officer must type a PIN/passphrase to sign with this key (none stored for it)."""
    name = SECRET_NAMES.get(key.source, "pin")
    config = key.source_config or {}
    return not (config.get(name) or config.get(f"{name}_env"))


def keys_for_dossier(actor, dossier, *, now=None):
    """What the actor may sign this dossier with: {"result": [...], "copy": [...]} (active, unexpired keys of
    the competent agency, personal ones only their holder's; copies: organisation keys of the competent
    agency or of the intake agency)."""
    now = now or timezone.now()
    org = dossier.agency.organisation
    usable = SigningKey.objects.select_related("agency").filter(active=True, not_after__gt=now).filter(
        models_q_holder(actor))
    result = []
    if any(actor.has_role(r, org.path) for r in SIGNER_ROLES):
        result = list(usable.filter(agency=org))
    orgs = [a.organisation for a in (dossier.agency, dossier.intake_agency) if a is not None]
    copy_orgs = [o for o in orgs if any(actor.has_role(r, o.path) for r in COPY_ROLES)]
    copy = list(usable.filter(agency__in=copy_orgs, kind=CertificateKind.ORGANISATION))
    return {"result": result, "copy": copy}


def models_q_holder(actor):
    from django.db.models import Q
    return Q(kind=CertificateKind.ORGANISATION) | Q(holder_id=actor.user_id)


def _check_signer(actor, org, roles=SIGNER_ROLES):
    if not any(actor.has_role(r, org.path) for r in roles):
        raise NotAllowed(_("Bạn không có vai trò phù hợp để ký số cho cơ quan này."), code="role_required",
                         details={"roles": sorted(str(r) for r in roles)})


def _block(key, now):
    title = [line for line in (key.authority, key.holder_title) if line]
    return ap.SignatureBlock(title_lines=[t.upper() for t in title], name=key.holder_name,
                             signature_image=bytes(key.signature_image) if key.signature_image else None,
                             seal_image=bytes(key.seal_image) if key.seal_image else None,
                             note=_("Ký số: %(at)s") % {"at": ap.iso_local(now)})


SECRET_NAMES = {"pkcs12": "passphrase", "pkcs11": "pin", "csc": "pin"}


def _with_secrets(source, config, secrets):
    """The stored configuration plus what the officer typed: {"pin": ...} is the passphrase of a PKCS#12
    file, the PIN of a token or the remote service's signing PIN."""
    config = dict(config or {})
    for k, v in (secrets or {}).items():
        if v in (None, ""):
            continue
        name = SECRET_NAMES.get(source, "pin") if k == "pin" else k
        config[name] = v
        config.pop(f"{name}_env", None)
    return config


class RegisteredSource(KeySource):
    """The registered key's source, checked every time it is opened to sign, at every level:
    - the certificate the source really signs with is the registered one (SHA-256 fingerprint): a replaced
      PKCS#12 file or another token's key does not sign under the registered name
    - that certificate is valid now
    - OCSP, then the CRL, says it is not revoked (fail closed: no answer, no signature)."""

    def __init__(self, key, secrets=None):
        config = _with_secrets(key.source, key.source_config, secrets)
        super().__init__(config, binding=f"{key.pk}:{key.fingerprint}")
        self.key = key
        self.inner = source_for(key.source, config, binding=self.binding)
        self.roots = tuple(trust_roots())

    @contextlib.asynccontextmanager
    async def open(self):
        async with self.inner.open() as signer:
            cert = signer.signing_cert
            if hashlib.sha256(cert.dump()).hexdigest() != self.key.fingerprint:
                raise CertificateRefused(
                    _("Chứng thư số trong nguồn khóa không phải chứng thư đã đăng ký (%(serial)s): không ký. "
                      "Hãy đăng ký lại chứng thư mới.") % {"serial": self.key.serial}, code="certificate_mismatch")
            validity = cert["tbs_certificate"]["validity"]
            real_now = timezone.now()
            if not (validity["not_before"].native <= real_now < validity["not_after"].native):
                raise CertificateRefused(_("Chứng thư số đã hết hạn hoặc chưa có hiệu lực, không thể ký."),
                                         code="certificate_expired")
            await check_signing_certificate(signer, self.roots)
            yield signer


def _check_content(pdf_bytes):
    """What a file must be before anything signs it."""
    if not pdf_bytes or not bytes(pdf_bytes[:5]) == b"%PDF-":
        raise ValidationFailed(_("Chỉ ký được tệp PDF."), code="not_a_pdf")
    from motcua.dossiers.uploads import pdf_active_content
    active = pdf_active_content(bytes(pdf_bytes))
    if active:   # never put the agency's signature on a document that can act by itself
        raise ValidationFailed(_("Không ký tệp PDF có nội dung chủ động: %(what)s.") % {"what": ", ".join(active)},
                               code="pdf_active_content", details={"found": active})


def _sign(actor, key, pdf_bytes, look, *, level, purpose, now, dossier_code="", number_symbol="", reason="",
          secrets=None, secrecy=SecrecyLevel.NORMAL):
    _check_content(pdf_bytes)
    options = _options(level, reason=reason, location=key.agency.name, signer_name=key.holder_name,
                       signing_time=now)
    try:
        signed = pdf.sign_pdf(pdf_bytes, RegisteredSource(key, secrets), options, look)
    except KeySourceError as e:
        raise Conflict(str(e), code=e.code) from e
    except pdf.SigningFailed as e:
        raise Conflict(str(e), code=e.code) from e
    SignatureRecord.objects.create(
        key=key, agency=key.agency, purpose=purpose, dossier_code=dossier_code, number_symbol=number_symbol,
        level=options.level, input_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        output_sha256=hashlib.sha256(signed).hexdigest(), signed_by_id=actor.user_id, signed_at=now,
        certificate_fingerprint=key.fingerprint, secrecy=secrecy)
    return signed


def sign_pdf_as(actor, key_id, pdf_bytes, *, level=None, visible=True, reason="", secrets=None, now=None):
    """Sign any PDF with one of the actor's agency keys (leader or clerk), the signature block on the last
    page. Returns (signed bytes, warnings)."""
    now = now or timezone.now()
    key = SigningKey.objects.select_related("agency").filter(pk=key_id).first()
    if key is None or not actor.covers(key.agency.path):
        raise NotFound(_("Không tìm thấy chứng thư số."), code="key_not_found")
    _check_signer(actor, key.agency)
    key = _usable_key(actor, key_id, key.agency, now)
    signed = _sign(actor, key, pdf_bytes, _block(key, now) if visible else None, level=level,
                   purpose=SignatureRecord.Purpose.OTHER, now=now, reason=nfc(reason), secrets=secrets)
    return signed, [w for w in [expiry_warning(key, now)] if w]


def next_number(agency, series, year):
    """Next number of a yearly series (row-locked increment, gap-free within committed transactions)."""
    with transaction.atomic():
        row, _ = NumberSeries.objects.get_or_create(agency=agency, series=series, year=year)
        NumberSeries.objects.filter(pk=row.pk).update(last=F("last") + 1)
        row.refresh_from_db(fields=["last"])
        return row.last


def number_symbol(number, type_symbol, agency):
    """Decree 30: two digits below 10, "number/symbol", groups joined by "-": 01/SY-SXD."""
    return f"{number:02d}/{type_symbol}-{agency.symbol or agency.code}"


COPY_ROLES = (Role.RECEIVING_OFFICER, Role.SPECIALIST, Role.CLERK, Role.AGENCY_LEADER)


def certify_digitised_copy(actor, dossier_code, component_id, pdf_bytes, key_id, *, filename="ban-sao.pdf",
                           level=None, version=None, secrets=None, now=None, metadata=None):
    """Certify the digitised copy of a submitted paper component: the agency's signature top right of page 1
    with the copy's number/symbol (series SY) and the signing time in ISO 8601 (+07:00), then attach it
    to the component as digitised and signed, and file it in the applicant's data store (motcua.datastore;
    `metadata`: the paper's number/symbol, issuing agency, dates, validity...)."""
    from motcua.datastore import services as store
    from motcua.datastore.models import Source
    from motcua.dossiers import services as dossiers

    now = now or timezone.now()
    dossier = dossiers.get_for(actor, dossier_code)
    orgs = {a.organisation for a in (dossier.agency, dossier.intake_agency) if a is not None}
    org = next((o for o in orgs if any(actor.has_role(r, o.path) for r in COPY_ROLES)), None)
    if org is None:
        raise NotAllowed(_("Bạn không có vai trò phù hợp để chứng thực bản sao điện tử."), code="role_required",
                         details={"roles": sorted(str(r) for r in COPY_ROLES)})
    key = SigningKey.objects.filter(pk=key_id).select_related("agency").first()
    if key is not None and key.agency in orgs:
        org = key.agency
    key = _usable_key(actor, key_id, org, now, organisation_only=True)
    if not dossier.components.filter(pk=component_id).exists():
        raise ValidationFailed(_("Thành phần hồ sơ không thuộc hồ sơ này."), code="unknown_component",
                               details={"component_id": component_id})
    local = now.astimezone(ap.TZ)
    with transaction.atomic():
        number = number_symbol(next_number(org, "SY", local.year), "SY", org)
        look = ap.CopyStamp(agency=org.name, number_symbol=number,
                            seal_image=bytes(key.seal_image) if key.seal_image else None)
        signed = _sign(actor, key, pdf_bytes, look, level=level, purpose=SignatureRecord.Purpose.DIGITISED_COPY,
                       now=now, dossier_code=dossier.code, number_symbol=number, secrets=secrets,
                       reason=_("Bản sao điện tử từ bản chính/bản giấy"))
        attachment = dossiers.attach(actor, dossier.code, kind="component", filename=filename, content=signed,
                                     component_id=component_id, digitised=True, signed=True, version=version,
                                     now=now)
        # the store's record in the same transaction: no certified copy without its record, or the reverse
        stored = store.file_document(actor, attachment, source=Source.CERTIFIED_COPY,
                                     dossier_component=attachment.component, metadata=metadata, now=now)
    return {"attachment": attachment, "number_symbol": number, "signed": signed, "stored": stored,
            "warnings": [w for w in [expiry_warning(key, now)] if w]}


_NORMAL_WORDS = {"THUONG", "BINH THUONG", "NORMAL"}


def secrecy_of_text(text):
    """What a free-text marking says, in any spelling: a SecrecyLevel value, "" when the text is empty, or
    None when it says something else (the officer must choose the level). Anything that contains the word
    MẬT in any form (NFD, without accents "MAT", "Độ mật: MẬT", "MẬT - Khẩn", "không mật") counts as secret:
    a secret document wrongly signed cannot be unsent, a normal one refused is only delayed."""
    folded = _folded(text)
    if not folded:
        return ""
    words = f" {folded} "
    if " TUYET MAT " in words:
        return SecrecyLevel.TOP_SECRET
    if " TOI MAT " in words:
        return SecrecyLevel.SECRET
    if " MAT " in words or "SECRET" in folded or "CONFIDENTIAL" in folded:
        return SecrecyLevel.CONFIDENTIAL
    if folded in _NORMAL_WORDS:
        return SecrecyLevel.NORMAL
    return None


def secrecy_level(secrecy=None, confidentiality=""):
    """The document's secrecy level from the fixed field, checked against any free-text marking. Fails closed:
    only a document both declared "thường" and carrying no secret-looking marking is normal."""
    declared = nfc(secrecy or "")
    if declared and declared not in SecrecyLevel.values:
        declared = secrecy_of_text(declared)
        if declared in (None, ""):
            raise ValidationFailed(_("Độ mật không hợp lệ."), code="invalid_secrecy",
                                   details={"allowed": list(SecrecyLevel.values)})
    marked = secrecy_of_text(confidentiality)
    if marked and marked != SecrecyLevel.NORMAL:
        return marked
    if declared:
        return declared
    if marked == SecrecyLevel.NORMAL:
        return SecrecyLevel.NORMAL
    raise ValidationFailed(_("Hãy chọn độ mật của văn bản (thường, mật, tối mật, tuyệt mật) trước khi ký."),
                           code="secrecy_required", details={"allowed": list(SecrecyLevel.values),
                                                             "confidentiality": nfc(confidentiality)})


def is_secret(secrecy=None, confidentiality=""):
    """True unless the document is positively normal ("thường"); unclear or missing counts as secret."""
    try:
        return secrecy_level(secrecy, confidentiality) != SecrecyLevel.NORMAL
    except ValidationFailed:
        return True


def _refuse_secret(secrecy, confidentiality):
    level = secrecy_level(secrecy, confidentiality)
    if level != SecrecyLevel.NORMAL:
        raise NotAllowed(_("Văn bản mật không được ký số và không được gửi qua hệ thống điện tử. "
                           "Hãy phát hành văn bản giấy theo quy định bảo vệ bí mật nhà nước."),
                         code="secret_document_not_signed",
                         details={"secrecy": level, "confidentiality": nfc(confidentiality)})
    return level


def sign_outgoing_document(actor, agency_code, pdf_bytes, key_id, *, number_symbol="", secrecy=None,
                           confidentiality="", level=None, secrets=None, now=None):
    """Sign an outgoing document (văn bản đi) with the leader's or the agency's key. Its secrecy level is a
    fixed field (thường, mật, tối mật, tuyệt mật); only "thường" is signed: secret documents are never
    signed or sent through the electronic system (Decree 30). A free-text marking that looks secret in any
    spelling refuses too."""
    now = now or timezone.now()
    secrecy = _refuse_secret(secrecy, confidentiality)
    number_symbol = nfc(number_symbol)
    org = _agency(agency_code).organisation
    _check_signer(actor, org)
    key = _usable_key(actor, key_id, org, now)
    signed = _sign(actor, key, pdf_bytes, _block(key, now), level=level, purpose=SignatureRecord.Purpose.OUTGOING,
                   now=now, number_symbol=number_symbol, secrets=secrets, secrecy=secrecy,
                   reason=_("Văn bản số %(n)s") % {"n": number_symbol} if number_symbol else "")
    return {"signed": signed, "warnings": [w for w in [expiry_warning(key, now)] if w]}


# ---------------------------------------------------------------- verification

def verify(pdf_bytes, *, now=None):
    """Report on every signature of a PDF against the configured trust roots. Anyone may call it."""
    from .fetch import session_factory
    allow = settings.MOTCUA_SIGNING_FETCH_ALLOW
    report = pdf.verify_pdf(pdf_bytes, trust_roots(),
                            allow_fetching=bool(settings.MOTCUA_SIGNING_FETCH_REVOCATION and allow),
                            http_session=session_factory(allow), now=now)
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    issued = (SignatureRecord.objects.filter(output_sha256=digest).exists()
              or ArchiveTimestamp.objects.filter(output_sha256=digest).exists())
    report["issued_by_motcua"] = issued
    serials = [s.get("serial") for s in report["signatures"] if s.get("serial")]
    known = {k.serial: k for k in SigningKey.objects.select_related("agency").filter(serial__in=serials)}
    for s in report["signatures"]:
        k = known.get(s.get("serial"))
        s["registered_agency"] = k.agency.name if k else None
    return report
