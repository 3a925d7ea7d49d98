"""Notification templates administrators edit, the notifications written with each act, and the log of
every send attempt (recipient masked).

A notification goes out through the delivery outbox (motcua.integrations.delivery): one OutboxMessage per
notification, integration `notify_<channel>`, `seq` = the notification's id (increasing, so the dossier's
notices of one channel go out in the order of its acts). Retries, dead letters and resend are the outbox's.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier

from .events import EVENTS


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    ZALO = "zalo", _("Zalo (ZNS)")
    SMS = "sms", _("Tin nhắn SMS")


EVENT_CHOICES = [(k, e.label) for k, e in EVENTS.items()]


class NotificationTemplate(models.Model):
    """The text of one event on one channel (Django template syntax; only the event's variables).
    For Zalo ZNS and SMS brandname, `provider_template_id` is the template approved by Zalo / the carrier;
    the rendered body fills its message parameter."""
    event = models.CharField(_("sự kiện"), max_length=40, choices=EVENT_CHOICES)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("tiêu đề (thư điện tử)"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    provider_template_id = models.CharField(_("mã mẫu đã đăng ký với nhà cung cấp"), max_length=64, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="uniq_notification_template")]
        ordering = ["event", "channel"]


class Notification(models.Model):
    """One notice to one applicant on one channel. `recipient` is kept whole (it is needed to send) and
    never shown or logged unmasked."""
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    feedback_id = models.PositiveBigIntegerField(null=True, blank=True)
    event = models.CharField(max_length=40, choices=EVENT_CHOICES)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=255)
    context = models.JSONField(default=dict)
    history_seq = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["dossier", "channel"], name="notification_dossier")]

    @property
    def integration(self):
        return f"notify_{self.channel}"


class Outcome(models.TextChoices):
    SENT = "sent", _("Đã gửi")
    RETRY = "retry", _("Lỗi tạm thời, sẽ thử lại")
    FAILED = "failed", _("Bị từ chối, không thử lại")


class SendLog(models.Model):
    """Every attempt to send a notification, with its outcome; the recipient is masked."""
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    event = models.CharField(max_length=40, choices=EVENT_CHOICES)
    dossier_code = models.CharField(max_length=64)
    recipient_masked = models.CharField(max_length=255)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    code = models.CharField(max_length=40, blank=True)
    detail = models.TextField(blank=True)
    provider_ref = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
