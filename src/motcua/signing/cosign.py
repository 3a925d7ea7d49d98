"""Co-signing service: one step of a signing plan (`plan.py`) on a document, by the person whose turn it is.

    sign_plan_step(actor, agency_code, pdf_bytes, key_id, step="person", plan="van-ban")

| step | who (role in the agency) | key |
|---|---|---|
| `initials` | specialist, unit head | the actor's personal certificate |
| `person` | agency leader | the actor's personal certificate |
| `seal`, `copy` | clerk or agency leader | the agency's (organisation) certificate |

The earlier signatures of the document must still be valid and unchanged (checked offline against the
trust roots) before the next one is added; the key checks, the signing and the `SignatureRecord` are the
registry's own (`services._usable_key`, `services._sign`).
"""
import dataclasses
import unicodedata

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Role
from motcua.core.errors import Conflict, ValidationFailed

from . import appearance as ap
from . import pdf
from . import plan as plans
from . import services
from .models import CertificateKind, SignatureRecord

STEP_ROLES = {
    "initials": (Role.SPECIALIST, Role.UNIT_HEAD),
    "person": (Role.AGENCY_LEADER,),
    "seal": (Role.CLERK, Role.AGENCY_LEADER),
    "copy": (Role.CLERK, Role.AGENCY_LEADER),
}
ORGANISATION_STEPS = ("seal", "copy")


def initials_of(name):
    """"Nguyễn Văn An" -> "NVA" (the first letter of each word, without diacritics on the letter's base)."""
    letters = [w[0] for w in (name or "").split() if w]
    return unicodedata.normalize("NFC", "".join(letters).upper())


def _look(step, key, org, now, number_symbol):
    when = ap.iso_local(now)
    if step == "initials":
        return ap.Initials(text=initials_of(key.holder_name), note=when,
                           signature_image=bytes(key.signature_image) if key.signature_image else None)
    if step == "person":
        # the seal is the agency's own signature, a later step: the person's block draws no seal
        return dataclasses.replace(services._block(key, now), seal_image=None)
    if step == "seal":
        return ap.SealImprint(seal_image=bytes(key.seal_image) if key.seal_image else None, agency=org.name)
    return ap.CopyStamp(agency=org.name, number_symbol=number_symbol,
                        seal_image=bytes(key.seal_image) if key.seal_image else None)


def _earlier_signatures_hold(pdf_bytes):
    report = pdf.verify_pdf(pdf_bytes, services.trust_roots(), allow_fetching=False)
    if report.get("error"):
        raise ValidationFailed(_("Chỉ ký được tệp PDF."), code="not_a_pdf")
    broken = [s["field"] for s in report["signatures"]
              if not (s["intact"] and s["valid"] and not s.get("changed_after_signing"))]
    if broken:
        raise Conflict(_("Văn bản có chữ ký trước đã bị sửa đổi hoặc không hợp lệ; không ký tiếp."),
                       code="earlier_signature_invalid", details={"fields": broken})


def sign_plan_step(actor, agency_code, pdf_bytes, key_id, *, step, plan="van-ban", level=None, number_symbol="",
                   secrecy=None, confidentiality="", now=None):
    """Sign one step of a co-signing plan. Returns {"signed", "step", "done", "next_step", "warnings"}."""
    now = now or timezone.now()
    try:
        the_plan = plans.get_plan(plan)
    except plans.PlanError as e:
        raise ValidationFailed(_("Không có kế hoạch ký này."), code=e.code, details=e.details) from e
    if step not in STEP_ROLES or step not in the_plan.steps:
        raise ValidationFailed(_("Bước ký không thuộc kế hoạch ký của văn bản."), code="step_not_in_plan",
                               details={"steps": list(the_plan.steps)})
    # An outgoing document declares its secrecy level (fixed field); a dossier's result or a copy is an
    # ordinary document unless a marking says otherwise. Secret ones are never signed electronically.
    services._refuse_secret(secrecy if plan == "van-ban" else (secrecy or "thuong"), confidentiality)
    org = services._agency(agency_code).organisation
    services._check_signer(actor, org, roles=STEP_ROLES[step])
    key = services._usable_key(actor, key_id, org, now, organisation_only=step in ORGANISATION_STEPS)
    if step not in ORGANISATION_STEPS and key.kind != CertificateKind.PERSONAL:
        raise ValidationFailed(_("Bước ký này phải dùng chứng thư số cá nhân của người ký."),
                               code="personal_key_required")
    if not pdf_bytes or bytes(pdf_bytes[:5]) != b"%PDF-":
        raise ValidationFailed(_("Chỉ ký được tệp PDF."), code="not_a_pdf")
    try:
        look = plans.next_look(pdf_bytes, the_plan, step, _look(step, key, org, now, number_symbol))
    except plans.PlanError as e:
        messages = {"plan_out_of_order": _("Chưa đến lượt ký: các bước trước chưa được ký theo thứ tự."),
                    "step_already_signed": _("Bước ký này đã được thực hiện trên văn bản.")}
        raise Conflict(messages.get(e.code, str(e)), code=e.code, details=e.details) from e
    _earlier_signatures_hold(pdf_bytes)
    signed = services._sign(actor, key, pdf_bytes, look, level=level, purpose=SignatureRecord.Purpose.OUTGOING,
                            now=now, number_symbol=number_symbol,
                            reason=_("Văn bản số %(n)s") % {"n": number_symbol} if number_symbol else "")
    done, _found = plans.progress(signed, the_plan)
    later = [s for s in the_plan.steps if s not in done]
    return {"signed": signed, "step": step, "done": done, "next_step": later[0] if later else None,
            "warnings": [w for w in [services.expiry_warning(key, now)] if w]}
