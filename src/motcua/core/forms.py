"""Posted web forms checked with the same serializers as the API, bounded like the database columns, so a
bad value is a message on the page (a DomainError), never a 500."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .errors import ValidationFailed, _flatten, vietnamese_messages

# Column ranges (PostgreSQL; SQLite holds at most the bigint range)
SMALLINT_MAX = 32767
INT_MAX = 2147483647
BIGINT_MAX = 9223372036854775807


def validated(serializer_cls, data):
    """The serializer's validated data, or ValidationFailed naming the first field and its message."""
    s = vietnamese_messages(serializer_cls(data=data))
    if s.is_valid():
        return s.validated_data
    details = _flatten(s.errors)
    field, messages = next(iter(details.items()))
    first = messages[0] if isinstance(messages, list) and messages else messages
    label = s.fields[field].label or field if field in s.fields else field
    raise ValidationFailed(f"{label}: {first}", code="validation_error", details=details)


def present(data, *names):
    """The named fields of a QueryDict that were posted non-empty (others keep their serializer default)."""
    return {n: data.get(n).strip() for n in names if (data.get(n) or "").strip()}


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=INT_MAX, **kwargs)


class VersionForm(serializers.Serializer):
    version = VersionField(required=False, label=_("Phiên bản hồ sơ"))


class ComponentChoice(serializers.Serializer):
    component = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX,
                                         label=_("Thành phần hồ sơ"))
