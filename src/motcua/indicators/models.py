"""Decision 766 indicators: definitions as versioned data, targets, the incremental aggregates they are
computed from, and administrative-reform plans and inspections.

Definitions (groups, indicators, max points, thresholds, formula parameters) are rows valid for a period
(`IndicatorSet.valid_from .. valid_to`), loaded by a data migration; a new decision is a new set, never an
edit of the old one, so past reports keep their scores.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier


class IndicatorSet(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=255)
    legal_basis = models.CharField(max_length=255, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="exclusive; empty = still in force")

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self):
        return self.code


class IndicatorGroup(models.Model):
    set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=255)
    weight = models.DecimalField(max_digits=6, decimal_places=2, help_text="points of the group")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["set", "order"]
        constraints = [models.UniqueConstraint(fields=["set", "code"], name="uniq_indicator_group")]


class Support(models.TextChoices):
    DOSSIERS = "dossiers", _("Tính từ dữ liệu hồ sơ")
    CATALOG = "catalog", _("Tính từ danh mục thủ tục")
    FEEDBACK = "feedback", _("Tính từ phản ánh, kiến nghị")
    NONE = "none", _("Dữ liệu hệ thống chưa hỗ trợ")


class IndicatorDefinition(models.Model):
    set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    group = models.ForeignKey(IndicatorGroup, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=500)
    formula = models.CharField(max_length=40, help_text="name of the formula in motcua.indicators.compute")
    max_points = models.DecimalField(max_digits=6, decimal_places=2)
    threshold = models.DecimalField(max_digits=6, decimal_places=4, default=1,
                                    help_text="rate at which full points are reached; below: points x rate/threshold")
    params = models.JSONField(default=dict, blank=True)
    support = models.CharField(max_length=10, choices=Support.choices)
    note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["set", "order"]
        constraints = [models.UniqueConstraint(fields=["set", "code"], name="uniq_indicator_code")]


class Target(models.Model):
    """A target (chỉ tiêu) for an indicator rate; agency empty = every agency (province-wide default)."""
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=10)
    value = models.DecimalField(max_digits=6, decimal_places=4, help_text="rate 0..1")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["indicator", "agency", "-valid_from"]


# ---------------------------------------------------------------- incremental aggregates

OPEN_MONTH = 1_000_000      # end_month of a dossier still open; due_month of a dossier paused within deadline


class DossierFact(models.Model):
    """One row per received dossier: what the indicators need to know about it, in month coordinates
    (months since 1970-01, local time). Kept current by motcua.indicators.facts.refresh()."""
    dossier = models.OneToOneField(Dossier, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="+")
    agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    recv_month = models.IntegerField()
    end_month = models.IntegerField()           # processed/stopped/refused: end; withdrawn: withdrawal; else OPEN_MONTH
    due_month = models.IntegerField()
    end_kind = models.SmallIntegerField()       # 0 open, 1 processed, 2 stopped/refused, 3 withdrawn
    ended_late = models.BooleanField()          # ended after the statutory due, or after a 2nd supplement request
    # month of the second supplement request (late whatever the dates from that month on; OPEN_MONTH: none).
    # A month, not a flag: a period that ended before the request is judged without it (DOMAIN.md, 2.1).
    forced_month = models.IntegerField()
    online = models.BooleanField()
    digitised = models.BooleanField()           # component file AND result file attached
    e_result = models.BooleanField()            # signed electronic result
    paid = models.BooleanField()
    paid_online = models.BooleanField()
    rating = models.SmallIntegerField()         # 0 none, 1..5
    complaint = models.BooleanField()           # a PAKN feedback about this dossier
    minutes = models.IntegerField()             # working minutes from clock start to end, pauses excluded
    statutory = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["agency_id", "recv_month"], name="fact_agency_month")]


CUBE_KEY = ("agency_id", "procedure_id", "recv_month", "end_month", "due_month", "end_kind", "ended_late",
            "forced_month")
CUBE_MEASURES = ("n", "n_online", "n_digitised", "n_e_result", "n_paid", "n_paid_online", "n_rated", "n_neg1",
                 "n_neg2", "n_neg3", "sum_minutes", "sum_statutory")


class MonthlyCube(models.Model):
    """DossierFact summed by agency, procedure and the month coordinates. Every indicator of any period
    made of whole months (month, quarter, half year, year) is a conditional sum over these rows."""
    agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    recv_month = models.IntegerField()
    end_month = models.IntegerField()
    due_month = models.IntegerField()
    end_kind = models.SmallIntegerField()
    ended_late = models.BooleanField()
    forced_month = models.IntegerField()
    n = models.BigIntegerField(default=0)
    n_online = models.BigIntegerField(default=0)
    n_digitised = models.BigIntegerField(default=0)
    n_e_result = models.BigIntegerField(default=0)
    n_paid = models.BigIntegerField(default=0)
    n_paid_online = models.BigIntegerField(default=0)
    n_rated = models.BigIntegerField(default=0)
    n_neg1 = models.BigIntegerField(default=0)    # complaint or rating <= 1
    n_neg2 = models.BigIntegerField(default=0)    # complaint or rating <= 2
    n_neg3 = models.BigIntegerField(default=0)    # complaint or rating <= 3
    sum_minutes = models.BigIntegerField(default=0)
    sum_statutory = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=list(CUBE_KEY), name="uniq_cube_key")]
        indexes = [models.Index(fields=["recv_month", "end_month"], name="cube_months")]


class RefreshState(models.Model):
    """High-water marks of the incremental refresh (one row)."""
    history_id = models.BigIntegerField(default=0)
    feedback_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)


# ---------------------------------------------------------------- reform plans and inspections

class ReformPlan(models.Model):
    """Kế hoạch cải cách hành chính of an agency for a year."""
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reform_plans")
    year = models.PositiveSmallIntegerField()
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "agency"]


class ReformTask(models.Model):
    plan = models.ForeignKey(ReformPlan, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    area = models.CharField(_("lĩnh vực cải cách"), max_length=120, blank=True)
    owner_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField(_("người chủ trì"), max_length=255, blank=True)
    deadline = models.DateField(_("thời hạn"))
    done_at = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    result = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "deadline", "id"]


class Inspection(models.Model):
    """Kiểm tra công tác cải cách hành chính / một cửa at an agency."""
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField(_("ngày kiểm tra"))
    inspector = models.CharField(_("đoàn kiểm tra"), max_length=255)
    decision = models.CharField(_("quyết định kiểm tra"), max_length=120, blank=True)
    summary = models.TextField(_("kết luận"), blank=True)

    class Meta:
        ordering = ["-inspected_on"]


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    description = models.TextField(_("tồn tại, hạn chế"))
    follow_up = models.TextField(_("yêu cầu khắc phục"))
    due = models.DateField(_("hạn khắc phục"))
    resolved_on = models.DateField(_("ngày khắc phục xong"), null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["inspection", "due", "id"]
