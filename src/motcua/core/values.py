"""Plain input values read from requests and service calls, refused with a clear error when malformed."""
from datetime import date

from django.utils.translation import gettext as _

from .errors import ValidationFailed


def iso_date(value, field):
    """A date given as a date or as ISO 8601 text (YYYY-MM-DD); ValidationFailed `invalid_date` naming `field`."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationFailed(_("Ngày không hợp lệ (YYYY-MM-DD)."), code="invalid_date",
                               details={"field": field}) from None
