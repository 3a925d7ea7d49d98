"""The one renderer of web form errors (motcua.core.forms.FormErrors): {% error_summary errors %} at the top,
{% invalid errors "field" %} inside the field's tag (the name may come in parts: "c" c.id "_count"), {% field_error errors "field" %} after it
(with data-code: the machine-readable codes of its problems, when known)."""
from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _message_id(errors, field):
    return f"err-{errors.ids.get(field, field)}"


@register.simple_tag
def error_summary(errors):
    if not errors:
        return ""
    return render_to_string("core/_error_summary.html", {"errors": errors, "rows": errors.summary()})


@register.simple_tag
def invalid(errors, *parts):
    field = "".join(str(p) for p in parts)
    if not errors or field not in errors.by_field:
        return ""
    return format_html(' aria-invalid="true" aria-describedby="{}"', _message_id(errors, field))


@register.simple_tag
def field_error(errors, *parts):
    field = "".join(str(p) for p in parts)
    if not errors or field not in errors.by_field:
        return ""
    codes = format_html(' data-code="{}"', " ".join(errors.codes[field])) if errors.codes.get(field) else ""
    return format_html('<p class="field-error" id="{}"{}>{}</p>', _message_id(errors, field), codes,
                       mark_safe(format_html_join(" ", "{}", ((m,) for m in errors.by_field[field]))))
