"""Dossiers (hồ sơ), their steps, pauses, extensions and the append-only history.

State lives here; it changes only through motcua.dossiers.services.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Role
from motcua.catalog.models import Component, ComponentForm, Procedure


class Status(models.IntegerChoices):
    """One-to-one with the national portal's TrangThaiHoSo codes."""
    NEW = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    NOT_RECEIVED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung giấy tờ")
    FINANCIAL_OBLIGATION = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    FINISHED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


CLOSED_STATUSES = (Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)
# Still being worked on or waiting for the applicant: neither closed nor processed (status 9).
OPEN_STATUSES = (Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED,
                 Status.FINANCIAL_OBLIGATION)


class Channel(models.IntegerChoices):
    """KenhThucHien."""
    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Dịch vụ bưu chính công ích")


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class ResultDelivery(models.TextChoices):
    """How the applicant receives the result: at the counter, by public postal service (channel 3, to
    delivery_address), or electronically (the signed file in "Hồ sơ của tôi")."""
    COUNTER = "counter", _("Nhận trực tiếp tại bộ phận một cửa")
    POSTAL = "postal", _("Qua dịch vụ bưu chính công ích")
    ELECTRONIC = "electronic", _("Bản điện tử (tệp ký số trong “Hồ sơ của tôi”)")


class Timing(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dossiers",
                               verbose_name=_("cơ quan giải quyết"))
    intake_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="intake_dossiers",
                                      verbose_name=_("nơi tiếp nhận"))
    # Denormalised materialised paths of both agencies: scope checks are one indexed prefix match.
    agency_path = models.CharField(max_length=255, editable=False)
    intake_path = models.CharField(max_length=255, editable=False)
    channel = models.PositiveSmallIntegerField(_("kênh"), choices=Channel.choices)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=Status.choices, default=Status.NEW)
    version = models.PositiveIntegerField(default=1)

    applicant_kind = models.CharField(max_length=15, choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN)
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh/CCCD/MST"), max_length=20, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    request = models.TextField(_("nội dung yêu cầu"), blank=True)
    sets_count = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="own_dossiers")
    lookup_secret = models.CharField(max_length=16, blank=True, editable=False)

    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận hợp lệ"), null=True, blank=True)
    clock_start = models.DateTimeField(null=True, blank=True, editable=False)
    due_at = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    statutory_minutes = models.PositiveIntegerField(default=0)
    paused_since = models.DateTimeField(null=True, blank=True)
    supplement_requests = models.PositiveSmallIntegerField(default=0)
    approved_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm xử lý xong"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    timing = models.CharField(max_length=8, choices=Timing.choices, blank=True)
    current_step = models.PositiveSmallIntegerField(default=0)
    current_role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    status_before_pause = models.PositiveSmallIntegerField(null=True, blank=True)
    fee_total = models.PositiveBigIntegerField(default=0)
    return_place = models.CharField(_("nơi trả kết quả"), max_length=255, blank=True)
    result_delivery = models.CharField(_("cách nhận kết quả"), max_length=12, choices=ResultDelivery.choices,
                                       default=ResultDelivery.COUNTER)
    delivery_address = models.CharField(_("địa chỉ nhận kết quả qua bưu chính"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            # Worklists: scope is a prefix match on the materialised paths, which on PostgreSQL needs the
            # pattern operator class; partial on the worklists' own conditions (see dossiers/api.py).
            models.Index(fields=["agency_path", "current_role", "due_at", "id"], name="dossier_todo_agency",
                         opclasses=["varchar_pattern_ops", "varchar_ops", "timestamptz_ops", "int8_ops"],
                         condition=models.Q(status__in=[2, 4], approved_at__isnull=True)),
            models.Index(fields=["intake_path", "current_role", "due_at", "id"], name="dossier_todo_intake",
                         opclasses=["varchar_pattern_ops", "varchar_ops", "timestamptz_ops", "int8_ops"],
                         condition=models.Q(status__in=[2, 4], approved_at__isnull=True)),
            models.Index(fields=["agency_path", "due_at", "id"], name="dossier_open_agency",
                         opclasses=["varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
                         condition=models.Q(status__in=[1, 2, 4, 5, 6], paused_since__isnull=True)),
            models.Index(fields=["intake_path", "due_at", "id"], name="dossier_open_intake",
                         opclasses=["varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
                         condition=models.Q(status__in=[1, 2, 4, 5, 6], paused_since__isnull=True)),
            models.Index(fields=["agency_path", "due_at", "id"], name="dossier_to_issue",
                         opclasses=["varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
                         condition=models.Q(status=4, approved_at__isnull=False)),
            models.Index(fields=["agency_path", "status", "due_at"], name="dossier_scope_status",
                         opclasses=["varchar_pattern_ops", "int2_ops", "timestamptz_ops"]),
            models.Index(fields=["intake_path", "status", "due_at"], name="dossier_intake_scope_status",
                         opclasses=["varchar_pattern_ops", "int2_ops", "timestamptz_ops"]),
        ]

    def __str__(self):
        return self.code

    @property
    def is_closed(self):
        return self.status in CLOSED_STATUSES


class DossierComponent(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(Component, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=500)
    form = models.CharField(max_length=20, choices=ComponentForm.choices, default=ComponentForm.ORIGINAL)
    count = models.PositiveSmallIntegerField(default=1)
    provided = models.BooleanField(default=True)

    class Meta:
        ordering = ["dossier", "id"]


class DossierStep(models.Model):
    """One step of the dossier's internal process, a snapshot of the procedure's ProcessStep."""
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    unit_name = models.CharField(max_length=255, blank=True)
    role = models.CharField(max_length=30, choices=Role.choices)
    allowance_minutes = models.PositiveIntegerField()
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    handled_by_name = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=255, blank=True)
    timing = models.CharField(max_length=8, choices=Timing.choices, blank=True)
    rounds = models.PositiveSmallIntegerField(default=0, help_text="times this step was (re)started")
    # the specialist named by whoever forwarded to this step (None: left to the unit to assign)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="uniq_dossier_step")]


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    FINANCIAL = "financial", _("Chờ thực hiện nghĩa vụ tài chính")


class Pause(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=12, choices=PauseKind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()
    components = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["dossier", "started_at"]


class Extension(models.Model):
    """Apology letter and new appointment (Form 4)."""
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="extensions")
    at = models.DateTimeField()
    reason = models.TextField()
    previous_appointment = models.DateTimeField(null=True)
    new_appointment = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["dossier", "at"]


class HistoryEvent(models.Model):
    """Append-only, hash-chained record of every act on a dossier (one chain per dossier).

    hash = sha256(prev_hash | canonical JSON of every field of the event, including the digest of the dossier
    row the act left: `state_hash`); database triggers refuse UPDATE and DELETE. See dossiers/history.py.
    """
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="history", db_index=False)
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=255)
    action = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    status_before = models.PositiveSmallIntegerField(null=True)
    status_after = models.PositiveSmallIntegerField(null=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    state_hash = models.CharField(max_length=64, blank=True)
    scheme = models.PositiveSmallIntegerField(default=2)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="uniq_history_seq")]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("history is append-only")


class DailyCounter(models.Model):
    """Gap-free daily sequence per agency for dossier codes (incremented inside the intake transaction)."""
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="uniq_counter_day")]


class IdempotentRequest(models.Model):
    """An intake already done under an Idempotency-Key: the same key replays the same answer."""
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_key")]


class AttachmentKind(models.TextChoices):
    COMPONENT = "component", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
    RESULT = "result", _("Kết quả giải quyết")
    OTHER = "other", _("Tài liệu khác")


def attachment_path(instance, filename):
    return f"dossiers/{instance.dossier.agency.code}/{instance.dossier.code}/{instance.sha256[:16]}-{filename}"


class ScanState(models.TextChoices):
    CLEAN = "clean", _("Đã quét virus")
    PENDING = "pending", _("Đang chờ quét")
    UNSCANNED = "unscanned", _("Chưa quét virus")
    INFECTED = "infected", _("Có mã độc, đã xoá tệp")


class Attachment(models.Model):
    """A file of a dossier: a scanned/uploaded component, a supplement, or the result. Never overwritten:
    a newer file is a new row; `digitised` marks a certified digital copy of a paper component."""
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="attachments")
    component = models.ForeignKey(DossierComponent, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="attachments")
    kind = models.CharField(max_length=12, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=500)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    signed = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)
    # Internal documents (officers' working papers) are never shown to the applicant; components,
    # supplements and results are theirs. See motcua.dossiers.visibility.
    internal = models.BooleanField(_("tài liệu nội bộ"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()
    # virus scan: "pending" files (scanner was unavailable) are kept in quarantine, never served
    scan = models.CharField(max_length=10, choices=ScanState.choices, default=ScanState.UNSCANNED)
    scan_signature = models.CharField(max_length=200, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "uploaded_at", "id"]

    @property
    def available(self):
        """May be downloaded: scanned clean, or stored while scanning was switched off."""
        return self.scan in (ScanState.CLEAN, ScanState.UNSCANNED)


class PaymentChannel(models.IntegerChoices):
    """1 and 2 follow the national portal's payment flag; 3 = cash or card at the counter."""
    NATIONAL_PORTAL = 1, _("Thanh toán trên Cổng Dịch vụ công quốc gia")
    PROVINCE_GATEWAY = 2, _("Thanh toán qua cổng thanh toán của tỉnh")
    COUNTER = 3, _("Nộp trực tiếp tại quầy")


class Payment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveBigIntegerField()
    channel = models.PositiveSmallIntegerField(choices=PaymentChannel.choices)
    reference = models.CharField(max_length=100, blank=True)
    paid_at = models.DateTimeField()

    class Meta:
        ordering = ["dossier", "paid_at"]
        constraints = [models.UniqueConstraint(fields=["channel", "reference"], condition=~models.Q(reference=""),
                                               name="uniq_payment_reference")]

    @property
    def online(self):
        return self.channel in (PaymentChannel.NATIONAL_PORTAL, PaymentChannel.PROVINCE_GATEWAY)


class Rating(models.Model):
    """Đánh giá hài lòng: the applicant's rating after the result (one per dossier)."""
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField(help_text="1 (rất không hài lòng) .. 5 (rất hài lòng)")
    comment = models.TextField(blank=True)
    rated_at = models.DateTimeField()
