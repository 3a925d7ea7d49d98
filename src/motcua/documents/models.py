"""Official documents (Decree 30/2020): outgoing (văn bản đi) and incoming (văn bản đến) documents and the
yearly registers (sổ đăng ký) that number them.

A register is one row per agency, kind and calendar year; its `last_number` is the counter that numbering
locks (select_for_update) so numbers run from 01 without gaps or duplicates. Secret ("MẬT") documents have
their own registers (a separate number series). Field names follow Appendix VI where they map directly.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.signing.models import SecrecyLevel


class DocumentType(models.Model):
    """A type of document and its symbol (Decree 30, Appendix III). Công văn has no symbol. Data, not code."""
    name = models.CharField(_("tên loại văn bản"), max_length=100, unique=True)
    symbol = models.CharField(_("ký hiệu"), max_length=10, blank=True)
    edxml_type = models.PositiveSmallIntegerField(_("mã loại trong edXML"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("loại văn bản")

    def __str__(self):
        return f"{self.name} ({self.symbol})" if self.symbol else self.name


class RegisterKind(models.TextChoices):
    OUTGOING = "outgoing", _("Sổ đăng ký văn bản đi")
    OUTGOING_SECRET = "outgoing_secret", _("Sổ đăng ký văn bản đi mật")
    INCOMING = "incoming", _("Sổ đăng ký văn bản đến")
    INCOMING_SECRET = "incoming_secret", _("Sổ đăng ký văn bản đến mật")


class Register(models.Model):
    """A yearly register of one agency; `last_number` is the last number given in it."""
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="document_registers")
    kind = models.CharField(_("loại sổ"), max_length=20, choices=RegisterKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency", "year", "kind"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "year"], name="uniq_document_register")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} - {self.agency.code}"


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    REVIEWED = "reviewed", _("Đã kiểm tra")
    APPROVED = "approved", _("Đã duyệt")
    SIGNING = "signing", _("Lãnh đạo đã ký, chờ đóng dấu")
    SIGNED = "signed", _("Đã ký và đóng dấu")
    ISSUED = "issued", _("Đã phát hành")


class OutgoingDocument(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="outgoing_documents")
    drafting_unit = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("trích yếu"), max_length=500)
    secrecy = models.CharField(_("độ mật"), max_length=10, choices=SecrecyLevel.choices)
    priority = models.PositiveSmallIntegerField(_("độ khẩn"), default=0)
    status = models.CharField(max_length=10, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True,
                                        help_text="TM., Q., KT., TL., TUQ. ...")
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=50, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)   # [{"OrganId","OrganName"}]
    page_amount = models.PositiveSmallIntegerField(_("số trang"), default=1)
    issued_amount = models.PositiveSmallIntegerField(_("số bản"), default=1)
    due_date = models.DateField(_("hạn trả lời"), null=True, blank=True)
    draft_pdf = models.BinaryField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # a dossier's result issued as an outgoing document (a decision, a licence...)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="outgoing_documents")
    signed_pdf = models.BinaryField(null=True, blank=True)
    register = models.ForeignKey(Register, null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing")
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=41, blank=True)
    issued_at = models.DateTimeField(_("ngày ban hành"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["register", "number"], name="uniq_outgoing_number")]

    def __str__(self):
        return self.number_symbol or f"#{self.pk} {self.subject[:40]}"


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã vào sổ")
    ASSIGNED = "assigned", _("Đã phân công")
    DONE = "done", _("Đã xử lý xong")


class IncomingDocument(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="incoming_documents")
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="incoming")
    arrival_number = models.PositiveIntegerField(_("số đến"))
    arrival_date = models.DateField(_("ngày đến"))
    received_at = models.DateTimeField()
    sender_code = models.CharField(_("mã định danh nơi gửi"), max_length=13, blank=True)
    sender_name = models.CharField(_("cơ quan ban hành"), max_length=200)
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=41)
    issued_date = models.DateField(_("ngày văn bản"))
    type_name = models.CharField(_("loại văn bản"), max_length=100, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=500)
    secrecy = models.CharField(_("độ mật"), max_length=10, choices=SecrecyLevel.choices)
    priority = models.PositiveSmallIntegerField(_("độ khẩn"), default=0)
    document_id = models.CharField(_("mã văn bản edXML"), max_length=200, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=IncomingStatus.choices, default=IncomingStatus.REGISTERED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lead_unit = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    support_units = models.ManyToManyField(Agency, blank=True, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    assigned_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    scan_pdf = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["register", "arrival_number"], name="uniq_incoming_number"),
            models.UniqueConstraint(fields=["agency", "document_id"], condition=~models.Q(document_id=""),
                                    name="uniq_incoming_edxml_document"),
        ]
        indexes = [models.Index(fields=["agency", "sender_code", "number_symbol", "issued_date"])]

    def __str__(self):
        return f"{self.arrival_number} - {self.number_symbol}"


class DocumentFile(models.Model):
    """A file (hồ sơ công việc) of an agency grouping documents for the archive (Decree 30, Appendix VI:
    FileCode = OrganId + FileCatalog (year) + FileNotation)."""
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="document_files")
    year = models.PositiveSmallIntegerField(_("năm hồ sơ"))
    notation = models.CharField(_("số và ký hiệu hồ sơ"), max_length=20)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=500)
    retention_years = models.PositiveSmallIntegerField(_("thời hạn bảo quản (năm, 0: vĩnh viễn)"), null=True,
                                                       blank=True)
    rights = models.CharField(_("chế độ sử dụng"), max_length=30, default="Công khai")
    outgoing = models.ManyToManyField(OutgoingDocument, blank=True, related_name="files")
    incoming = models.ManyToManyField(IncomingDocument, blank=True, related_name="files")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "notation"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "notation"], name="uniq_document_file")]

    def __str__(self):
        return f"{self.agency.code}.{self.year}.{self.notation}"


class DocumentEvent(models.Model):
    """The append-only history of a document or a file: one row per act (draft, review, approve, sign, seal,
    issue, register, assign, complete, link, archive...). Rows are never changed nor deleted."""
    outgoing = models.ForeignKey(OutgoingDocument, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="events")
    incoming = models.ForeignKey(IncomingDocument, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="events")
    file = models.ForeignKey(DocumentFile, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("document events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("document events are append-only")


class RetentionYears(models.IntegerChoices):
    PERMANENT = 0, _("Vĩnh viễn")
    Y70 = 70, _("70 năm")
    Y20 = 20, _("20 năm")
    Y10 = 10, _("10 năm")
    Y5 = 5, _("5 năm")


class RetentionRule(models.Model):
    """How long a record is kept (Maintenance): per procedure (a dossier) or per document type. Data, edited
    by the administrator; the defaults come from a data migration and are the agency's to confirm."""
    procedure = models.OneToOneField("catalog.Procedure", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="retention_rule")
    doc_type = models.OneToOneField(DocumentType, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="retention_rule")
    years = models.PositiveSmallIntegerField(_("thời hạn bảo quản"), choices=RetentionYears.choices)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=(models.Q(procedure__isnull=False, doc_type__isnull=True)
                       | models.Q(procedure__isnull=True, doc_type__isnull=False)),
            name="retention_rule_one_target")]

    def __str__(self):
        return f"{self.procedure or self.doc_type}: {self.get_years_display()}"


class ArchiveKind(models.TextChoices):
    DOSSIER = "dossier", _("Hồ sơ thủ tục hành chính")
    FILE = "file", _("Hồ sơ công việc")


class ArchivePackage(models.Model):
    """A BagIt package exported for the archive (nộp lưu): what it holds and its manifest's digest."""
    kind = models.CharField(max_length=10, choices=ArchiveKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    file = models.ForeignKey(DocumentFile, null=True, blank=True, on_delete=models.PROTECT, related_name="packages")
    retention_years = models.PositiveSmallIntegerField(choices=RetentionYears.choices)
    manifest_sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=500)
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    exported_at = models.DateTimeField()

    class Meta:
        ordering = ["-exported_at"]


class ArchiveNotice(models.Model):
    """A warning, given once, that a record is due for transfer to the agency's archive within 30 days."""
    kind = models.CharField(max_length=10, choices=ArchiveKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    file = models.ForeignKey(DocumentFile, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    notified_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier"], condition=models.Q(dossier__isnull=False),
                                    name="uniq_archive_notice_dossier"),
            models.UniqueConstraint(fields=["file"], condition=models.Q(file__isnull=False),
                                    name="uniq_archive_notice_file"),
        ]
