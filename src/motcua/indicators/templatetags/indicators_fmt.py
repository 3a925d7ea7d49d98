"""{% load indicators_fmt %}: {{ x|num }} / {{ x|num:1 }} / {{ x|pct }} (see motcua.indicators.fmt)."""
from django import template

from motcua.indicators import fmt

register = template.Library()


@register.filter
def num(value, places=2):
    return fmt.number(value, int(places))


@register.filter
def pct(value, places=1):
    return fmt.percent(value, int(places))


@register.filter
def signed(value, places=2):
    """A change: +1,25 / −0,50 / 0,00."""
    if value is None:
        return fmt.no_data()
    text = fmt.number(abs(value), int(places))
    return ("+" if value > 0 else "−" if value < 0 else "") + text
