"""For "Một phần" (partly online) procedures: which paper originals the applicant brings or sends, and when.

Components whose form is an original or a certified copy must be shown on paper; the moment depends on how
the result is received (configurable: MOTCUA_ORIGINALS_WHEN, keyed by result delivery)."""
from django.conf import settings
from django.utils.translation import gettext as _

from motcua.catalog.models import ComponentForm, OnlineLevel
from motcua.dossiers.models import ResultDelivery

PAPER_FORMS = (ComponentForm.ORIGINAL, ComponentForm.CERTIFIED_COPY, ComponentForm.ORIGINAL_OR_COPY)


def _when():
    default = {
        ResultDelivery.COUNTER: _("Mang bản giấy đến bộ phận một cửa khi nhận kết quả (trước khi nhận kết quả) "
                                  "để đối chiếu."),
        ResultDelivery.POSTAL: _("Gửi bản giấy qua bưu chính công ích đến nơi tiếp nhận trước ngày hẹn trả; "
                                 "bưu điện giao kết quả khi đã nhận đủ."),
        ResultDelivery.ELECTRONIC: _("Mang hoặc gửi qua bưu chính bản giấy đến nơi tiếp nhận trước ngày hẹn trả "
                                     "để đối chiếu; kết quả điện tử được trả sau khi đối chiếu."),
    }
    return {**default, **getattr(settings, "MOTCUA_ORIGINALS_WHEN", {})}


def originals_for(procedure, components, delivery=ResultDelivery.COUNTER):
    """None for a procedure that is not "Một phần"; otherwise {"items": [(name, form label, count)],
    "when": text}. `components` are catalogue Components or DossierComponents (name, form, count)."""
    if procedure.online_level != OnlineLevel.PARTIAL:
        return None
    labels = dict(ComponentForm.choices)
    items = [(c.name, labels.get(c.form, c.form), c.count) for c in components if c.form in PAPER_FORMS]
    when = _when().get(delivery) or _when()[ResultDelivery.COUNTER]
    return {"items": items, "when": when}
