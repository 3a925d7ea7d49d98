"""A citizen's profile, kept once and used to pre-fill every filing form. One per account; changes only
through motcua.citizens.services."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import ResultDelivery


class NotifyChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    ZALO = "zalo", _("Zalo")
    SMS = "sms", _("Tin nhắn SMS")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    id_number = models.CharField(_("số CCCD/định danh cá nhân"), max_length=12, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại (84...)"), max_length=15, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    province_code = models.CharField(_("tỉnh/thành phố"), max_length=4, blank=True)
    commune = models.CharField(_("xã/phường/đặc khu"), max_length=150, blank=True)
    street = models.CharField(_("số nhà, đường, thôn/ấp"), max_length=255, blank=True)
    organisation_name = models.CharField(_("tên tổ chức"), max_length=255, blank=True)
    tax_code = models.CharField(_("mã số thuế tổ chức"), max_length=14, blank=True)
    result_delivery = models.CharField(_("cách nhận kết quả ưa dùng"), max_length=12,
                                       choices=ResultDelivery.choices, default=ResultDelivery.COUNTER)
    # Which channels the citizen wants notifications on: a JSON list of "email", "zalo", "sms".
    notify_channels = models.JSONField(_("kênh nhận thông báo"), default=list, blank=True)
    # Set only by a sign-in through an identity provider (never by the citizen): which provider vouched
    # for id_number / full_name / birth_date, and when.
    verified_by = models.CharField(_("xác thực bởi"), max_length=100, blank=True)
    verified_at = models.DateTimeField(_("thời điểm xác thực"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ cá nhân")
        constraints = [
            # one verified identity belongs to one account
            models.UniqueConstraint(fields=["id_number"], condition=models.Q(verified_at__isnull=False),
                                    name="uniq_verified_id_number"),
        ]

    def __str__(self):
        return f"profile of {self.user_id}"

    @property
    def is_verified(self):
        return bool(self.verified_at and self.id_number)

    @property
    def province_name(self):
        from .units import province_name
        return province_name(self.province_code)

    @property
    def address(self):
        """One line, street -> commune -> province (two levels since 7/2025)."""
        return ", ".join(p for p in (self.street, self.commune, self.province_name) if p)

    @property
    def phone_display(self):
        return "0" + self.phone[2:] if self.phone.startswith("84") else self.phone
