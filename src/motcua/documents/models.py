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
from motcua.core.crypto import EncryptedTextField
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
    # Forms 3, 4 and 5 of Circular 03/2025 (refusal, apology and extension, stop): one yearly series per agency.
    ONE_STOP_FORMS = "one_stop_forms", _("Sổ phiếu, thông báo một cửa (mẫu 3, 4, 5)")


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


# ---------------------------------------------------------------- exchange between agencies (edXML)

class ExchangePlugin(models.TextChoices):
    DIRECT = "direct", _("Gửi trực tiếp đến hệ thống Motcua của cơ quan nhận")
    PLATFORM = "platform", _("Qua trục liên thông văn bản quốc gia")


class ExchangePeer(models.Model):
    """The peer directory: an agency identifier code of another agency -> how to reach it. `secret` is shared
    with that agency (direct: HMAC of every call both ways); it is stored encrypted (core/crypto.py: the column
    holds a Fernet token, the attribute is the clear text) and never shown back. Set by administrators
    (exchange.set_peer)."""
    code = models.CharField(_("mã định danh cơ quan"), max_length=13, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=200)
    plugin = models.CharField(_("cách gửi"), max_length=10, choices=ExchangePlugin.choices)
    endpoint = models.URLField(_("địa chỉ nhận"), blank=True)
    secret = EncryptedTextField(_("khóa bí mật dùng chung"), blank=True, purpose="exchange-peer")
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("cơ quan liên thông")

    def __str__(self):
        return f"{self.code} {self.name}"


class ExchangeMessage(models.Model):
    """Outbox of the exchange: one edXML envelope or status message for one peer agency. Delivered by the
    background jobs in `id` order per peer (`key`), retried with back-off, dead after the last attempt."""
    key = models.CharField(max_length=13, help_text="the peer agency code; messages of one key go in order")
    kind = models.CharField(max_length=6)            # edoc | status
    sender = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    document_id = models.CharField(max_length=200)   # the edXML DocumentId the message is (about)
    status_code = models.CharField(max_length=2, blank=True)
    payload = models.BinaryField()
    state = models.CharField(max_length=12, default="pending")   # integrations.models.MessageState values
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["key", "state", "id"], name="exchange_outbox_key")]


class OutgoingExchange(models.Model):
    """What the exchange knows of an issued outgoing document: its DocumentId, a recall, a replacement."""
    outgoing = models.OneToOneField(OutgoingDocument, on_delete=models.CASCADE, related_name="exchange")
    document_id = models.CharField(max_length=200, unique=True)
    recalled_at = models.DateTimeField(null=True, blank=True)
    recall_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True)
    replaces = models.ForeignKey(OutgoingDocument, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="replaced_by")
    replaced_at = models.DateTimeField(null=True, blank=True)


class RecallState(models.TextChoices):
    NONE = "", _("Không")
    REQUESTED = "requested", _("Nơi gửi đề nghị thu hồi")
    ACCEPTED = "accepted", _("Đã đồng ý thu hồi")
    REFUSED = "refused", _("Đã từ chối thu hồi")


class IncomingExchange(models.Model):
    """What the exchange knows of an incoming document received electronically."""
    incoming = models.OneToOneField(IncomingDocument, on_delete=models.CASCADE, related_name="exchange")
    sender_code = models.CharField(max_length=13)
    document_id = models.CharField(max_length=200)
    envelope_sha256 = models.CharField(max_length=64)
    attachments = models.JSONField(default=list)       # [{"name","content_type","sha256","size"}]
    signature = models.JSONField(default=dict)         # summary of the PDF signature check
    in_progress_at = models.DateTimeField(null=True, blank=True)
    recall_state = models.CharField(max_length=10, choices=RecallState.choices, blank=True, default="")
    recall_reason = models.CharField(max_length=500, blank=True)
    recall_answered_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(IncomingDocument, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")


class ExchangeAttachment(models.Model):
    exchange = models.ForeignKey(IncomingExchange, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()


class ExchangeStatus(models.Model):
    """A status message received from a recipient about one of our outgoing documents (or one we sent)."""
    outgoing = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="exchange_statuses")
    organ_id = models.CharField(max_length=13)
    status_code = models.CharField(max_length=2)
    description = models.CharField(max_length=1000, blank=True)
    timestamp = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]


class ExchangeEvent(models.Model):
    """An exchange fact that is no act on one of our documents: `peer_set` (the peer directory), `refused` (an
    envelope refused, nothing registered), `refused_by_peer` (a 02 about a DocumentId we do not know). The acts on
    a document (sent, status received, recall, receipt...) are in its own history, DocumentEvent."""
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    document_id = models.CharField(max_length=200)
    actor = models.CharField(max_length=150, blank=True)
    details = models.JSONField(default=dict)
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
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
