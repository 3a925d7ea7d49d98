from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def vnd(amount):
    """150000 -> '150.000 đ'."""
    try:
        return f"{int(amount):,}".replace(",", ".") + " đ"
    except (TypeError, ValueError):
        return ""


@register.filter
def dt(value):
    if not value:
        return "—"
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


@register.filter
def d(value):
    if not value:
        return "—"
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@register.filter
def hours(minutes):
    if not minutes:
        return "0"
    h = minutes / 60
    return f"{h:g}"


@register.simple_tag
def urgency(dossier, soon_limit, now):
    """CSS class: due-late / due-soon / due-early for an open dossier's due moment."""
    due = dossier.due_at
    step_due = getattr(dossier, "step_due", None)      # the worklist's current step due, when annotated
    if step_due and (due is None or step_due < due):
        due = step_due
    if not due or dossier.is_closed or dossier.finished_at:
        return ""
    if due < now:
        return "due-late"
    if due <= soon_limit:
        return "due-soon"
    return "due-early"


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def pdf_font_faces():
    """@font-face rules of the bundled PDF font (motcua.core.pdffonts); use font-family "Motcua Serif"."""
    from django.utils.safestring import mark_safe

    from motcua.core.pdffonts import font_face_css
    return mark_safe(font_face_css())
