"""Signing services: the certificate registry, signing a dossier's result, certifying a digitised copy,
signing an outgoing document (never a secret one), and verification for everyone.

Permission checks live here. Errors are DomainError subclasses with a code and a Vietnamese message.
"""
import hashlib
import os
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
from .keys import KeySourceError, source_for
from .models import CertificateKind, NumberSeries, SignatureRecord, SigningKey

SIGNER_ROLES = (Role.AGENCY_LEADER, Role.CLERK)
SECRET_MARKS = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")


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
                roots += pdf.load_certificates(fh.read())
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


def register_key(actor, agency_code, *, label, kind, source, config, holder=None, holder_name="", holder_title="",
                 authority="", signature_image=None, seal_image=None, now=None):
    """Record a certificate and its key source for an agency (administrator or leader of that agency). The
    certificate is read from the source itself, so a wrong passphrase or an absent token fails here."""
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
    try:
        cert = source_for(source, config).certificate()
    except KeySourceError as e:
        raise ValidationFailed(str(e), code=e.code) from e
    fields = _cert_fields(cert)
    now = now or timezone.now()
    if fields["not_after"] <= now:
        raise ValidationFailed(_("Chứng thư số đã hết hạn."), code="certificate_expired",
                               details={"not_after": ap.iso_local(fields["not_after"])})
    if SigningKey.objects.filter(agency=org, fingerprint=fields["fingerprint"]).exists():
        raise Conflict(_("Chứng thư số này đã được đăng ký cho cơ quan."), code="certificate_already_registered")
    return SigningKey.objects.create(
        agency=org, label=label, kind=kind, holder=holder, holder_name=holder_name or cert.subject.native.get(
            "common_name", ""), holder_title=holder_title, authority=authority, source=source, source_config=config,
        signature_image=signature_image, seal_image=seal_image, **fields)


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


def _sign(actor, key, pdf_bytes, look, *, level, purpose, now, dossier_code="", number_symbol="", reason=""):
    if not pdf_bytes or not bytes(pdf_bytes[:5]) == b"%PDF-":
        raise ValidationFailed(_("Chỉ ký được tệp PDF."), code="not_a_pdf")
    from motcua.dossiers.uploads import pdf_active_content
    active = pdf_active_content(bytes(pdf_bytes))
    if active:   # never put the agency's signature on a document that can act by itself
        raise ValidationFailed(_("Không ký tệp PDF có nội dung chủ động: %(what)s.") % {"what": ", ".join(active)},
                               code="pdf_active_content", details={"found": active})
    options = _options(level, reason=reason, location=key.agency.name, signer_name=key.holder_name,
                       signing_time=now)
    try:
        signed = pdf.sign_pdf(pdf_bytes, source_for(key.source, key.source_config), options, look)
    except KeySourceError as e:
        raise Conflict(str(e), code=e.code) from e
    except pdf.SigningFailed as e:
        raise Conflict(str(e), code=e.code) from e
    SignatureRecord.objects.create(
        key=key, agency=key.agency, purpose=purpose, dossier_code=dossier_code, number_symbol=number_symbol,
        level=options.level, input_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        output_sha256=hashlib.sha256(signed).hexdigest(), signed_by_id=actor.user_id, signed_at=now)
    return signed


def sign_pdf_as(actor, key_id, pdf_bytes, *, level=None, visible=True, reason="", now=None):
    """Sign any PDF with one of the actor's agency keys (leader or clerk), the signature block on the last
    page. Returns (signed bytes, warnings)."""
    now = now or timezone.now()
    key = SigningKey.objects.select_related("agency").filter(pk=key_id).first()
    if key is None or not actor.covers(key.agency.path):
        raise NotFound(_("Không tìm thấy chứng thư số."), code="key_not_found")
    _check_signer(actor, key.agency)
    key = _usable_key(actor, key_id, key.agency, now)
    signed = _sign(actor, key, pdf_bytes, _block(key, now) if visible else None, level=level,
                   purpose=SignatureRecord.Purpose.OTHER, now=now, reason=reason)
    return signed, [w for w in [expiry_warning(key, now)] if w]


def sign_dossier_result(actor, dossier_code, pdf_bytes, key_id, *, level=None, filename="ket-qua.pdf",
                        note="", version=None, now=None):
    """Sign the result of a dossier, store it as the dossier's result (what the citizen downloads) and
    move the dossier to "result ready" (status 9). Leader or clerk of the competent agency."""
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.models import Status

    now = now or timezone.now()
    dossier = dossiers.get_for(actor, dossier_code)
    org = dossier.agency.organisation
    _check_signer(actor, org)
    key = _usable_key(actor, key_id, org, now)
    if dossier.status != Status.PROCESSING or not dossier.approved_at:
        raise Conflict(_("Chỉ ký kết quả khi hồ sơ đang xử lý và đã được phê duyệt."), code="not_approved",
                       details={"status": dossier.status})
    if version is not None and int(version) != dossier.version:
        raise Conflict(_("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại."),
                       code="stale_version", details={"version": dossier.version, "yours": int(version)})
    signed = _sign(actor, key, pdf_bytes, _block(key, now), level=level, purpose=SignatureRecord.Purpose.RESULT,
                   now=now, dossier_code=dossier.code,
                   reason=_("Kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code})
    with transaction.atomic():
        attachment = dossiers.attach(actor, dossier.code, kind="result", filename=filename, content=signed,
                                     signed=True, version=version, now=now)
        dossier = dossiers.mark_result_ready(actor, dossier.code, note=note, now=now)
    return {"attachment": attachment, "dossier": dossier, "signed": signed,
            "warnings": [w for w in [expiry_warning(key, now)] if w]}


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
                           level=None, version=None, now=None):
    """Certify the digitised copy of a submitted paper component: the agency's signature top right of page 1
    with the copy's number/symbol (series SY) and the signing time in ISO 8601 (+07:00), then attach it
    to the component as digitised and signed."""
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
                       now=now, dossier_code=dossier.code, number_symbol=number,
                       reason=_("Bản sao điện tử từ bản chính/bản giấy"))
        attachment = dossiers.attach(actor, dossier.code, kind="component", filename=filename, content=signed,
                                     component_id=component_id, digitised=True, signed=True, version=version,
                                     now=now)
    return {"attachment": attachment, "number_symbol": number, "signed": signed,
            "warnings": [w for w in [expiry_warning(key, now)] if w]}


def is_secret(confidentiality):
    mark = (confidentiality or "").strip().upper()
    return any(mark == m or mark.startswith(m) for m in SECRET_MARKS) or mark in ("SECRET", "TOP SECRET")


def sign_outgoing_document(actor, agency_code, pdf_bytes, key_id, *, number_symbol="", confidentiality="",
                           level=None, now=None):
    """Sign an outgoing document (văn bản đi) with the leader's or the agency's key. Secret ("MẬT",
    "TỐI MẬT", "TUYỆT MẬT") documents are never signed or sent through the electronic system (Decree 30)."""
    now = now or timezone.now()
    if is_secret(confidentiality):
        raise NotAllowed(_("Văn bản mật không được ký số và không được gửi qua hệ thống điện tử. "
                           "Hãy phát hành văn bản giấy theo quy định bảo vệ bí mật nhà nước."),
                         code="secret_document_not_signed", details={"confidentiality": confidentiality})
    org = _agency(agency_code).organisation
    _check_signer(actor, org)
    key = _usable_key(actor, key_id, org, now)
    signed = _sign(actor, key, pdf_bytes, _block(key, now), level=level, purpose=SignatureRecord.Purpose.OUTGOING,
                   now=now, number_symbol=number_symbol,
                   reason=_("Văn bản số %(n)s") % {"n": number_symbol} if number_symbol else "")
    return {"signed": signed, "warnings": [w for w in [expiry_warning(key, now)] if w]}


# ---------------------------------------------------------------- verification

def verify(pdf_bytes, *, now=None):
    """Report on every signature of a PDF against the configured trust roots. Anyone may call it."""
    report = pdf.verify_pdf(pdf_bytes, trust_roots(), allow_fetching=settings.MOTCUA_SIGNING_FETCH_REVOCATION,
                            now=now)
    issued = SignatureRecord.objects.filter(output_sha256=hashlib.sha256(pdf_bytes).hexdigest()).exists()
    report["issued_by_motcua"] = issued
    serials = [s.get("serial") for s in report["signatures"] if s.get("serial")]
    known = {k.serial: k for k in SigningKey.objects.select_related("agency").filter(serial__in=serials)}
    for s in report["signatures"]:
        k = known.get(s.get("serial"))
        s["registered_agency"] = k.agency.name if k else None
    return report
