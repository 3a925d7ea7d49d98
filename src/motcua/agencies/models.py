"""Agencies (cơ quan/đơn vị) as a tree, and staff roles scoped to an agency.

The tree: province -> departments (Sở) / districts -> units (phòng); communes under districts. A staff
member's *scope* is the nearest non-unit ancestor of the agency they belong to (their organisation) and
everything below it: an officer of one department never sees another department's dossiers.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/Thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Quận/Huyện")
    COMMUNE = "commune", _("Xã/Phường/Thị trấn")
    CENTRE = "centre", _("Trung tâm phục vụ hành chính công")
    UNIT = "unit", _("Phòng/Đơn vị trực thuộc")


class Agency(models.Model):
    code = models.CharField(_("mã định danh"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    symbol = models.CharField(_("ký hiệu viết tắt"), max_length=40, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Materialised path of ids ("/1/5/23/") so subtree queries are one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    # The place name (địa danh) printed before the date of the agency's documents (Decree 30, e.g. "Hòa Bình");
    # empty = the nearest ancestor's, then the province's name without its administrative prefix.
    place_name = models.CharField(_("địa danh"), max_length=80, blank=True)
    # Office hours as [["07:30","11:30"],["13:00","17:00"]]; empty = the default from DOMAIN.md.
    office_hours = models.JSONField(_("giờ làm việc"), default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("cơ quan")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path != self.path:
            old = self.path
            Agency.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old != "/":
                for child in Agency.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    child.save()

    @property
    def organisation(self):
        """The nearest ancestor (or self) that is not a unit: the scope of its staff."""
        node = self
        while node.kind == AgencyKind.UNIT and node.parent_id:
            node = node.parent
        return node

    def place(self):
        """The place name of the date line: this agency's, else the nearest ancestor's, else the province's
        name without "UBND", "tỉnh", "thành phố" ("UBND tỉnh Hòa Bình" -> "Hòa Bình")."""
        node = self
        while node is not None:
            if node.place_name:
                return node.place_name
            if node.kind == AgencyKind.PROVINCE or node.parent_id is None:
                return _bare_place(node.name)
            node = node.parent
        return ""

    def subtree(self):
        return Agency.objects.filter(path__startswith=self.path)


_PLACE_PREFIXES = ("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân ", "tỉnh ", "thành phố ")


def _bare_place(name):
    text = " ".join(name.split())
    changed = True
    while changed:
        changed = False
        for prefix in _PLACE_PREFIXES:
            if text.lower().startswith(prefix):
                text, changed = text[len(prefix):], True
    return text


class Role(models.TextChoices):
    RECEIVING_OFFICER = "receiving_officer", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    UNIT_HEAD = "unit_head", _("Lãnh đạo phòng")
    AGENCY_LEADER = "agency_leader", _("Lãnh đạo cơ quan")
    CLERK = "clerk", _("Văn thư")
    ADMINISTRATOR = "administrator", _("Quản trị")


class Membership(models.Model):
    """A role a person holds in an agency (or one of its units)."""
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    title = models.CharField(_("chức danh"), max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="uniq_membership")]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()} - {self.agency.code}"


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class CalendarOverride(models.Model):
    """An administrator's change to the national calendar (e.g. a newly announced holiday swap)."""
    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=OverrideKind.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]


class ApiToken(models.Model):
    """An API token (`Authorization: Token <key>`). Only the key's SHA-256 is stored; every token expires
    and can be revoked (motcua.agencies.tokens, `motcua token`)."""
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, db_index=True, help_text="first characters of the key, to name it")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.prefix}… ({self.user_id})"
