"""Numbers on the indicator pages and exports: one decimal separator per language (Vietnamese: comma,
English: point), no grouping; a figure without data is "Không có dữ liệu", never a number. The JSON API
keeps plain numbers."""
from django.utils import formats
from django.utils.translation import gettext as _


def no_data():
    return _("Không có dữ liệu")


def number(value, places=2):
    """`value` with `places` decimals in the active language ("66,67" in Vietnamese, "66.67" in English)."""
    if value is None:
        return no_data()
    return formats.number_format(round(float(value), places), decimal_pos=places, use_l10n=True,
                                 force_grouping=False)


def percent(value, places=1):
    return no_data() if value is None else f"{number(value, places)}%"
