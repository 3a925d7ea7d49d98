"""Vietnamese mobile numbers in the 84... form the carriers and Zalo ZNS take."""
import re

from django.utils.translation import gettext as _

from motcua.integrations.portal.base import Permanent

from .masking import mask_phone

MOBILE = re.compile(r"84[35789]\d{8}")


def normalize(phone):
    """'0912 345 678', '+84912345678', '84912345678' -> '84912345678'; anything else -> None."""
    raw = re.sub(r"[\s.\-()]", "", phone or "")
    if raw.startswith("+"):
        raw = raw[1:]
    if raw.startswith("0"):
        raw = "84" + raw[1:]
    return raw if MOBILE.fullmatch(raw) else None


def require_mobile(phone):
    number = normalize(phone)
    if number is None:
        raise Permanent(_("Số điện thoại %(phone)s không đúng định dạng số di động Việt Nam (84xxxxxxxxx).")
                        % {"phone": mask_phone(phone) or "—"}, code="invalid_phone")
    return number
