"""An OCR job: one scan (a dossier component's attachment at the counter, or a file of a bulk upload) read
by OCRmyPDF + Tesseract into a searchable PDF/A. Its state only changes in motcua.ocr.services."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class State(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang nhận dạng")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")
    TOO_LARGE = "too_large", _("Quá lớn")
    NEEDS_PASSWORD = "needs_password", _("Cần mật khẩu")
    BLANK = "blank", _("Trang trắng")
    UNSUPPORTED = "unsupported", _("Không hỗ trợ")


FINAL = (State.DONE, State.FAILED, State.TOO_LARGE, State.NEEDS_PASSWORD, State.BLANK, State.UNSUPPORTED)


def input_path(instance, filename):
    return f"ocr/{instance.agency.code}/in/{instance.input_sha256[:16]}-{filename}"


def output_path(instance, filename):
    return f"ocr/{instance.agency.code}/out/{instance.pk}-{filename}"


class OcrJob(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # a counter scan: the component's attachment read, and the searchable PDF/A that became the component's
    # attachment (the original is kept); a bulk job has neither and belongs to the officer who uploaded it
    attachment = models.ForeignKey("dossiers.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="ocr_jobs")
    result_attachment = models.ForeignKey("dossiers.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.QUEUED)
    reason = models.CharField(max_length=40, blank=True)              # machine-readable code of a bad outcome
    warnings = models.JSONField(default=list, blank=True)              # [{"code": ..., ...}]
    input_file = models.FileField(upload_to=input_path, max_length=500, blank=True)   # bulk (and decrypted) input
    input_name = models.CharField(max_length=255)
    input_type = models.CharField(max_length=100)
    input_size = models.PositiveBigIntegerField(default=0)
    input_sha256 = models.CharField(max_length=64)
    output_file = models.FileField(upload_to=output_path, max_length=500, blank=True)  # searchable PDF/A-2b
    text = models.TextField(blank=True)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    rotations = models.JSONField(default=list, blank=True)             # [{"page": 1, "degrees": 180}]
    language = models.CharField(max_length=40, default="vie+eng")
    dpi = models.PositiveIntegerField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True)              # mean Tesseract word confidence, 0-100
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)   # the OCR run itself

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["attachment", "state"]), models.Index(fields=["uploaded_by", "created_at"])]

    @property
    def final(self):
        return self.state in FINAL

    @property
    def source_name(self):
        return self.input_name
