"""Phản ánh, kiến nghị (PAKN): citizen feedback about an agency or one of its dossiers.

State changes only through motcua.feedback.services. Every handling moment is stored so that Decision 766
group 5 (5.1 by category, 5.2 handled on time, 5.3 satisfaction with handling) is computed from data.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier


class Category(models.TextChoices):
    PROCEDURE = "procedure", _("Quy định thủ tục hành chính")
    ATTITUDE = "attitude", _("Thái độ, hành vi của cán bộ")
    DELAY = "delay", _("Chậm trễ giải quyết hồ sơ")
    FEES = "fees", _("Phí, lệ phí, chi phí không chính thức")
    SYSTEM = "system", _("Hệ thống, dịch vụ công trực tuyến")
    OTHER = "other", _("Khác")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung thông tin")
    PROCESSED = "processed", _("Đã xử lý")
    REJECTED = "rejected", _("Từ chối xử lý")
    PUBLISHED = "published", _("Đã công khai kết quả")


class Feedback(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="feedback",
                               verbose_name=_("cơ quan bị phản ánh"))
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback")
    category = models.CharField(_("nhóm phản ánh"), max_length=20, choices=Category.choices)
    sender_name = models.CharField(_("người phản ánh"), max_length=255)
    sender_contact = models.CharField(_("liên hệ"), max_length=255, blank=True)
    content = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=24, choices=FeedbackStatus.choices,
                              default=FeedbackStatus.RECEIVED)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    supplement_requested_at = models.DateTimeField(null=True, blank=True)
    supplement_received_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("kết quả xử lý / lý do"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("mức hài lòng với việc xử lý"), null=True, blank=True,
                                                    help_text="1 (rất không hài lòng) .. 5 (rất hài lòng)")
    handled_by = models.CharField(max_length=150, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text="the citizen account that sent it (rates the handling)")

    class Meta:
        ordering = ["-received_at", "id"]
        indexes = [models.Index(fields=["agency", "received_at"], name="feedback_agency_received")]

    def __str__(self):
        return f"PAKN #{self.pk} ({self.get_category_display()})"
