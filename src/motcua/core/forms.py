"""Posted web forms checked with the same serializers as the API, bounded like the database columns, so a
bad value is a message on the page (a DomainError), never a 500."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .errors import DomainError, ValidationFailed, _flatten, vietnamese_messages

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


class FormErrors:
    """Every error of a posted web form, by field, for the shared renderer (core/templatetags/form_errors):
    an error summary at the top linking to each field, the message next to its field, the field marked
    aria-invalid and described by its message, the first invalid field focused. `ids` maps a field name to
    the id of its input on the page; errors of fields not on the page go to the summary only."""

    def __init__(self, ids=None, labels=None):
        self.ids = dict(ids or {})
        self.labels = dict(labels or {})
        self.by_field = {}
        self.codes = {}     # field -> the machine-readable codes of its messages, when they came with one
        self.general = []

    def add(self, field, message, code=None):
        if field and field in self.ids:
            self.by_field.setdefault(field, []).append(str(message))
            if code:
                self.codes.setdefault(field, []).append(str(code))
        else:
            self.general.append(str(message))

    def add_error(self, exc):
        """A DomainError: its details name the field ("field") or carry errors by field: a serializer's
        messages, or Problems' {"code", "message"} pairs."""
        details = exc.details if isinstance(getattr(exc, "details", None), dict) else {}
        if exc.code == "validation_error" and details and all(isinstance(v, (list, str)) for v in details.values()):
            for field, msgs in details.items():
                for msg in (msgs if isinstance(msgs, list) else [msgs]):
                    if isinstance(msg, dict):
                        self.add(field, msg.get("message", ""), msg.get("code"))
                    else:
                        self.add(field, msg)
        else:
            self.add(details.get("field"), exc.message)

    def __bool__(self):
        return bool(self.by_field or self.general)

    def __len__(self):
        return sum(len(v) for v in self.by_field.values()) + len(self.general)

    def summary(self):
        """[(input id or "", message)] in the page's field order, then the others."""
        label = lambda f, m: f"{self.labels[f]}: {m}" if f in self.labels else m  # noqa: E731
        rows = [(self.ids[f], label(f, m)) for f in self.ids if f in self.by_field for m in self.by_field[f]]
        return rows + [("", m) for m in self.general]


class Problems:
    """Every problem of a posted web form, found before anything is stored: `add` or `check` each field,
    then `raise_any()` raises one ValidationFailed (code validation_error, the first message; details
    {field: [{"code", "message"}]}, each problem keeping its own code) that FormErrors.add_error marks
    field by field."""

    def __init__(self):
        self.by_field = {}

    def add(self, field, message, code):
        self.by_field.setdefault(field, []).append({"code": str(code), "message": str(message)})

    def check(self, field, check, *args, code=None, default=None):
        """check(*args), or `default` with its DomainError recorded on `field` (under `code` if given)."""
        try:
            return check(*args)
        except DomainError as exc:
            self.add(field, exc.message, code or exc.code)
            return default

    def __bool__(self):
        return bool(self.by_field)

    def raise_any(self):
        if self.by_field:
            first = next(iter(self.by_field.values()))[0]
            raise ValidationFailed(first["message"], code="validation_error", details=self.by_field)
