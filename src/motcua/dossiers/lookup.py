"""The public status lookup, shared by the API and the portal page: the dossier code plus a second secret
(by default the last 4 digits of the applicant's phone). Per dossier code, MOTCUA_LOOKUP_MAX_FAILURES wrong
secrets lock its lookup for MOTCUA_LOOKUP_LOCKOUT_MINUTES (counted in the store every worker shares), on top
of the per-address rate limit. Unknown codes are counted and locked the same way, so a lock says nothing
about whether a dossier exists; a wrong code and a wrong secret give the same answer."""
import hmac

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core import limits
from motcua.core.errors import DomainError, NotFound, ValidationFailed

from .models import OPEN_STATUSES, Dossier

SCOPE = "lookup"


class LookupLocked(DomainError):
    status_code = 429
    code = "lookup_locked"


def _lockout_seconds():
    return settings.MOTCUA_LOOKUP_LOCKOUT_MINUTES * 60


def _locked_error(seconds):
    minutes = max(1, (seconds + 59) // 60)
    return LookupLocked(_("Hồ sơ này tạm khóa tra cứu vì nhập sai mã tra cứu quá nhiều lần. "
                          "Vui lòng thử lại sau %(minutes)d phút.") % {"minutes": minutes},
                        details={"retry_after": seconds})


def find(code, secret):
    """The dossier whose code and lookup secret match, or LookupLocked / NotFound / ValidationFailed."""
    code, secret = (code or "").strip(), (secret or "").strip()
    if not code or not secret:
        raise ValidationFailed(_("Phải nhập mã hồ sơ và mã tra cứu."), code="lookup_fields_required")
    if "\x00" in code or "\x00" in secret or len(code) > 64 or len(secret) > 16:
        raise NotFound(_("Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập."), code="lookup_not_found")
    wait = limits.locked_for(SCOPE, code)
    if wait:
        raise _locked_error(wait)
    d = Dossier.objects.select_related("procedure", "agency").filter(code=code).first()
    expected = d.lookup_secret if d else "x" * 8
    if d is None or not hmac.compare_digest(expected.upper().encode(), secret.upper().encode()):
        limits.record_failure(SCOPE, code, settings.MOTCUA_LOOKUP_MAX_FAILURES, _lockout_seconds())
        raise NotFound(_("Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập."), code="lookup_not_found")
    limits.clear_failures(SCOPE, code)
    return d


def current_step(d):
    return d.steps.filter(order=d.current_step).first() if d.status in OPEN_STATUSES else None
