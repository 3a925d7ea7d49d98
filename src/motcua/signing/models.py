"""Certificate registry per agency, and a log of every signature made through Motcua."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class CertificateKind(models.TextChoices):
    ORGANISATION = "organisation", _("Chứng thư số của cơ quan, tổ chức")
    PERSONAL = "personal", _("Chứng thư số cá nhân")


class SecrecyLevel(models.TextChoices):
    """Độ mật (Law on Protection of State Secrets 2018): only "thường" documents are signed electronically."""
    NORMAL = "thuong", _("Thường")
    CONFIDENTIAL = "mat", _("Mật")
    SECRET = "toi_mat", _("Tối mật")
    TOP_SECRET = "tuyet_mat", _("Tuyệt mật")


class SigningKey(models.Model):
    """One certificate of an agency and the key source that signs with it (PKCS#12, PKCS#11, CSC, ...).

    `source_config` holds what the plugin needs; secrets should be named through `*_env` entries (read from
    the environment at signing time) rather than stored here."""
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="signing_keys")
    label = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=CertificateKind.choices)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="signing_keys", help_text="Người được cấp (chứng thư cá nhân)")
    holder_name = models.CharField(max_length=200, blank=True)
    holder_title = models.CharField(max_length=200, blank=True, help_text="Ví dụ: PHÓ GIÁM ĐỐC")
    authority = models.CharField(max_length=200, blank=True, help_text="Ví dụ: KT. GIÁM ĐỐC (TM., Q., KT., TL., TUQ.)")
    source = models.CharField(max_length=30)
    source_config = models.JSONField(default=dict)
    certificate_der = models.BinaryField()
    subject = models.CharField(max_length=500)
    issuer = models.CharField(max_length=500)
    serial = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 của chứng thư")
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()
    signature_image = models.BinaryField(null=True, blank=True)
    seal_image = models.BinaryField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency", "not_after", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "fingerprint"], name="uniq_signing_key_cert")]
        indexes = [models.Index(fields=["active", "not_after"])]

    def __str__(self):
        return f"{self.label} ({self.subject})"


class SignatureRecord(models.Model):
    """Every signature Motcua made: what, by whom, with which certificate, at which level."""

    class Purpose(models.TextChoices):
        RESULT = "result", _("Kết quả giải quyết hồ sơ")
        DIGITISED_COPY = "digitised_copy", _("Bản sao điện tử từ bản giấy")
        OUTGOING = "outgoing", _("Văn bản đi")
        OTHER = "other", _("Khác")

    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="signatures")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    dossier_code = models.CharField(max_length=64, blank=True, db_index=True)
    number_symbol = models.CharField(max_length=100, blank=True)
    level = models.CharField(max_length=5)
    input_sha256 = models.CharField(max_length=64)
    output_sha256 = models.CharField(max_length=64, db_index=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField()
    certificate_fingerprint = models.CharField(max_length=64, blank=True,
                                               help_text="SHA-256 của chứng thư đã dùng để ký (đã đối chiếu)")
    secrecy = models.CharField(max_length=10, choices=SecrecyLevel.choices, default=SecrecyLevel.NORMAL,
                               help_text="Độ mật của văn bản đã ký (chỉ văn bản thường được ký)")

    class Meta:
        ordering = ["-signed_at", "-id"]


class NumberSeries(models.Model):
    """Yearly number series per agency (e.g. copies "SY"): 01, 02, ... unique in the year (Decree 30)."""
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "series", "year"], name="uniq_signing_series")]


class ArchiveTimestamp(models.Model):
    """One document timestamp added to an archived signed file."""
    attachment = models.ForeignKey("dossiers.Attachment", on_delete=models.PROTECT, related_name="archive_timestamps")
    input_sha256 = models.CharField(max_length=64)
    input_size = models.PositiveBigIntegerField()
    output_sha256 = models.CharField(max_length=64, db_index=True)
    timestamp_at = models.DateTimeField(help_text="Thời điểm của dấu thời gian mới")
    authority = models.CharField(max_length=300)
    protected_until = models.DateTimeField(help_text="Hết hạn chứng thư của dấu thời gian mới")
    previous_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        app_label = "signing"
        ordering = ["attachment", "-created_at", "-id"]
        indexes = [models.Index(fields=["attachment", "-protected_until"], name="signing_archive_att_until")]
