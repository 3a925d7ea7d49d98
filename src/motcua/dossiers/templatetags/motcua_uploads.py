"""{% virus_scan_off %}: True when uploads are stored without a virus scan (MOTCUA_VIRUS_SCAN=off), so the
officer pages can say so."""
from django import template

from motcua.dossiers import clamav

register = template.Library()


@register.simple_tag
def virus_scan_off():
    return not clamav.enabled()
