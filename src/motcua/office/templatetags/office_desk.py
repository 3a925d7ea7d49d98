"""The back office's small display helpers."""
from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def waited(since, now):
    """How long since `since` until `now`, in plain days, hours and minutes: "2 ngày 3 giờ", "45 phút"."""
    if not since or not now or now <= since:
        return _("vừa xong")
    minutes = int((now - since).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours})
    if not days and (mins or not hours):
        parts.append(ngettext("%(n)d phút", "%(n)d phút", mins) % {"n": mins})
    return " ".join(parts)
