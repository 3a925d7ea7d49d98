from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcrConfig(AppConfig):
    name = "motcua.ocr"
    label = "ocr"
    verbose_name = _("Số hóa (OCR)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import feeds
        feeds.connect()
