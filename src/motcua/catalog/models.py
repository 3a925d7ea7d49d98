"""The procedure catalogue (thủ tục hành chính): what a citizen can ask for, what to bring, how long
it takes, what it costs, and the agency's internal process (ordered steps with unit, role, allowance)."""
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Role


class Field(models.Model):
    """Lĩnh vực."""
    code = models.CharField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class TimeUnit(models.TextChoices):
    DAYS = "days", _("ngày làm việc")
    HOURS = "hours", _("giờ làm việc")


class PausePolicy(models.TextChoices):
    PAUSE = "pause", _("Tạm dừng tính thời gian khi yêu cầu bổ sung")
    RESTART = "restart", _("Tính lại từ đầu khi nhận đủ hồ sơ bổ sung")


class Procedure(models.Model):
    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures")
    agencies = models.ManyToManyField(Agency, related_name="procedures", verbose_name=_("cơ quan có thẩm quyền"))
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices,
                                    default=OnlineLevel.PARTIAL)
    time_value = models.DecimalField(_("thời hạn giải quyết"), max_digits=7, decimal_places=2)
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=5, choices=TimeUnit.choices, default=TimeUnit.DAYS)
    cutoff = models.TimeField(_("giờ tiếp nhận cuối"), null=True, blank=True,
                              help_text=_("Nhận sau giờ này được tính từ ngày làm việc tiếp theo"))
    pause_policy = models.CharField(max_length=10, choices=PausePolicy.choices, default=PausePolicy.PAUSE)
    result_type = models.CharField(_("kết quả"), max_length=500, blank=True)
    # MaKetQuaChinh: the main result code of the DVCQG procedure card (KETQUATHUCHIEN[].MAKETQUA); sent as
    # MaGiayToKetQua with the result and filed on the digitised result in the citizen's data store.
    result_code = models.CharField(_("mã kết quả chính"), max_length=64, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    signed_result_required = models.BooleanField(
        _("kết quả phải ký số"), default=False,
        help_text=_("Hồ sơ chỉ chuyển “Đã xử lý xong” khi đã có kết quả ký số (kết quả trả bản điện tử)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def working_minutes(self):
        per = Decimal(480) if self.time_unit == TimeUnit.DAYS else Decimal(60)
        return int(self.time_value * per)

    def minutes_for(self, minutes_per_day):
        if self.time_unit == TimeUnit.DAYS:
            return int(self.time_value * minutes_per_day)
        return int(self.time_value * 60)


class ComponentForm(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
    ORIGINAL_OR_COPY = "either", _("Bản chính hoặc bản sao")


class Component(models.Model):
    """Thành phần hồ sơ."""
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    form = models.CharField(_("loại bản"), max_length=20, choices=ComponentForm.choices, default=ComponentForm.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    # What satisfies this component from the citizen's data store (motcua.datastore): a digitised paper
    # of this kind (mã giấy tờ), or the result of an earlier procedure with this result code (mã kết quả).
    paper_code = models.CharField(_("mã giấy tờ"), max_length=64, blank=True)
    result_code = models.CharField(_("mã kết quả thay thế"), max_length=64, blank=True)
    # The blank form (mẫu đơn, tờ khai) the applicant fills in, offered on the procedure page; stored only after
    # the upload inspection of attachments (motcua.catalog.services.set_blank_form).
    template_file = models.FileField(_("mẫu đơn, tờ khai"), upload_to="catalog/blank-forms/", max_length=300,
                                     blank=True)
    template_filename = models.CharField(max_length=255, blank=True)
    template_content_type = models.CharField(max_length=100, blank=True)
    template_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["procedure", "order", "id"]

    # what motcua.dossiers.uploads.file_response reads to serve a stored file with the safe headers
    @property
    def available(self):
        return bool(self.template_file)

    @property
    def file(self):
        return self.template_file

    @property
    def filename(self):
        return self.template_filename

    @property
    def content_type(self):
        return self.template_content_type


class Fee(models.Model):
    """Phí, lệ phí (VND)."""
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("tên phí/lệ phí"), max_length=255)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["procedure", "id"]


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ)."""
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("tên bước"), max_length=255)
    unit_name = models.CharField(_("đơn vị thực hiện"), max_length=255, blank=True,
                                 help_text=_("Ví dụ: Bộ phận một cửa, Phòng chuyên môn, Lãnh đạo Sở"))
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    allowance_hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["procedure", "order"]
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="uniq_step_order")]

    @property
    def allowance_minutes(self):
        return int(self.allowance_hours * 60)
