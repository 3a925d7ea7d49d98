"""Every change to a citizen's profile goes through here: one transaction each, inputs checked first so
that nothing is half-saved. A citizen changes only their own profile; the identity fields a provider
vouched for (CCCD, full name, date of birth) are then changed only by the provider (a new sign-in)."""
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, NotAllowed, ValidationFailed
from motcua.dossiers.models import ResultDelivery

from . import checks
from .models import NotifyChannel, Profile
from .units import province_name

EDITABLE = ("full_name", "id_number", "birth_date", "phone", "email", "province_code", "commune", "street",
            "organisation_name", "tax_code", "result_delivery", "notify_channels")
VERIFIED_FIELDS = ("id_number", "full_name", "birth_date")


def profile_for(user) -> Profile:
    """The account's profile; an unsaved one pre-filled from the account when there is none yet."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        profile = Profile(user=user, full_name=user.get_full_name(), email=user.email or "")
    return profile


def _clean(data: dict, current: Profile) -> dict:
    """Checked and normalised values for the fields present in `data` (others keep the current value)."""
    out = {}
    get = data.get
    if "full_name" in data:
        out["full_name"] = " ".join(str(get("full_name") or "").split())[:150]
    if "birth_date" in data:
        out["birth_date"] = checks.check_birth_date(get("birth_date"))
    if "id_number" in data:
        raw = str(get("id_number") or "").strip()
        birth = out.get("birth_date", current.birth_date)
        out["id_number"] = checks.check_cccd(raw, birth) if raw else ""
    elif "birth_date" in data and current.id_number and out["birth_date"]:
        checks.check_cccd(current.id_number, out["birth_date"])
    if "phone" in data:
        out["phone"] = checks.normalise_phone(get("phone"))
    if "email" in data:
        out["email"] = checks.check_email(get("email"))
    if "province_code" in data:
        code = str(get("province_code") or "").strip()
        if code and not province_name(code):
            raise ValidationFailed(_("Tỉnh/thành phố không có trong danh mục."), code="province_invalid",
                                   details={"field": "province_code"})
        out["province_code"] = code
    for name, limit in (("commune", 150), ("street", 255), ("organisation_name", 255)):
        if name in data:
            out[name] = " ".join(str(get(name) or "").split())[:limit]
    if "tax_code" in data:
        out["tax_code"] = checks.check_tax_code(get("tax_code"))
    if "result_delivery" in data:
        value = str(get("result_delivery") or ResultDelivery.COUNTER)
        if value not in ResultDelivery.values:
            raise ValidationFailed(_("Cách nhận kết quả không hợp lệ."), code="result_delivery_invalid",
                                   details={"field": "result_delivery", "allowed": ResultDelivery.values})
        out["result_delivery"] = value
    if "notify_channels" in data:
        channels = get("notify_channels") or []
        if isinstance(channels, str):
            channels = [channels]
        if not isinstance(channels, (list, tuple)) or any(c not in NotifyChannel.values for c in channels):
            raise ValidationFailed(_("Kênh nhận thông báo không hợp lệ."), code="notify_channels_invalid",
                                   details={"field": "notify_channels", "allowed": NotifyChannel.values})
        out["notify_channels"] = [c for c in NotifyChannel.values if c in channels]   # canonical order, no repeats
    return out


def _check_whole(profile: Profile):
    """Rules across fields, on the profile as it would be saved."""
    if profile.province_code and not profile.commune:
        raise ValidationFailed(_("Phải ghi xã/phường khi đã chọn tỉnh/thành phố."), code="commune_required",
                               details={"field": "commune"})
    if profile.commune and not profile.province_code:
        raise ValidationFailed(_("Phải chọn tỉnh/thành phố của xã/phường."), code="province_required",
                               details={"field": "province_code"})
    if profile.result_delivery == ResultDelivery.POSTAL and not (profile.street and profile.commune):
        raise ValidationFailed(_("Nhận kết quả qua bưu chính cần địa chỉ đầy đủ (số nhà/đường, xã/phường, tỉnh)."),
                               code="delivery_address_required", details={"field": "street"})
    if NotifyChannel.EMAIL in profile.notify_channels and not profile.email:
        raise ValidationFailed(_("Chọn nhận thông báo qua thư điện tử thì phải có địa chỉ thư điện tử."),
                               code="email_required", details={"field": "email"})
    if {NotifyChannel.ZALO, NotifyChannel.SMS} & set(profile.notify_channels) and not profile.phone:
        raise ValidationFailed(_("Chọn nhận thông báo qua Zalo hoặc SMS thì phải có số điện thoại."),
                               code="phone_required", details={"field": "phone"})


def update_profile(user, data: dict) -> Profile:
    """The citizen's own change of their profile (any subset of EDITABLE). A verified identity's CCCD,
    name and birth date cannot be changed here (a new sign-in through the provider updates them)."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("Cần đăng nhập để sửa hồ sơ cá nhân."), code="not_authenticated")
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(_("Trường không sửa được: %(f)s.") % {"f": ", ".join(sorted(unknown))},
                               code="field_not_editable", details={"fields": sorted(unknown)})
    with transaction.atomic():
        profile = Profile.objects.select_for_update().filter(user=user).first() or profile_for(user)
        values = _clean(data, profile)
        if profile.is_verified:
            changed = [f for f in VERIFIED_FIELDS if f in values and values[f] != getattr(profile, f)]
            if changed:
                raise NotAllowed(_("Thông tin định danh đã được %(p)s xác thực, không sửa được tại đây.")
                                 % {"p": profile.verified_by}, code="identity_verified",
                                 details={"fields": changed})
        for k, v in values.items():
            setattr(profile, k, v)
        _check_whole(profile)
        profile.save()
        sync = {}
        if "email" in values and values["email"] and user.email != values["email"]:
            sync["email"] = values["email"]
        if "full_name" in values and values["full_name"] and user.first_name != values["full_name"][:150]:
            sync["first_name"], sync["last_name"] = values["full_name"][:150], ""
        if sync:
            get_user_model().objects.filter(pk=user.pk).update(**sync)
            for k, v in sync.items():
                setattr(user, k, v)
    return profile


@dataclass(frozen=True)
class Identity:
    """What an identity provider vouched for, checked: the 12-digit CCCD, full name, birth date."""
    provider: str
    id_number: str
    full_name: str
    birth_date: object = None


def verified_identity(provider: str, *, id_number, full_name, birth_date=None) -> Identity:
    """Check the claims from a provider before any account is touched (a bad one raises, nothing saved)."""
    birth = checks.check_birth_date(birth_date) if birth_date else None
    number = checks.check_cccd(id_number, birth)
    name = " ".join(str(full_name or "").split())[:150]
    if not name:
        raise ValidationFailed(_("Nhà cung cấp định danh không gửi họ tên."), code="identity_name_missing")
    return Identity(provider=provider, id_number=number, full_name=name, birth_date=birth)


def account_for_identity(identity: Identity):
    """The account already bound to this verified CCCD, or None."""
    p = Profile.objects.select_related("user").filter(id_number=identity.id_number,
                                                      verified_at__isnull=False).first()
    return p.user if p else None


def mark_verified(user, identity: Identity, *, now=None) -> Profile:
    """Bind the account to a provider-verified identity: CCCD, name and birth date set from the claims,
    verified_by / verified_at recorded. An account already verified with another CCCD, or a CCCD already
    verified on another account, is refused (Conflict) and nothing changes."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            profile = Profile.objects.select_for_update().filter(user=user).first() or profile_for(user)
            if profile.is_verified and profile.id_number != identity.id_number:
                raise Conflict(_("Tài khoản này đã gắn với một số định danh khác."), code="identity_mismatch")
            other = Profile.objects.filter(id_number=identity.id_number, verified_at__isnull=False) \
                .exclude(user=user).exists()
            if other:
                raise Conflict(_("Số định danh này đã gắn với một tài khoản khác."), code="identity_taken")
            profile.id_number, profile.full_name = identity.id_number, identity.full_name
            if identity.birth_date:
                profile.birth_date = identity.birth_date
            profile.verified_by, profile.verified_at = identity.provider[:100], now
            profile.save()
            get_user_model().objects.filter(pk=user.pk).update(first_name=identity.full_name[:150], last_name="")
            user.first_name, user.last_name = identity.full_name[:150], ""
    except IntegrityError:
        raise Conflict(_("Số định danh này đã gắn với một tài khoản khác."), code="identity_taken") from None
    return profile


def filing_defaults(user) -> dict:
    """The online filing form's initial values, from the profile (each correctable per dossier)."""
    p = profile_for(user)
    organisation = bool(p.tax_code and p.organisation_name)
    return {
        "applicant_kind": "organisation" if organisation else "citizen",
        "applicant_name": (p.organisation_name if organisation else p.full_name)
        or user.get_full_name() or user.get_username(),
        "applicant_id_number": p.tax_code if organisation else p.id_number,
        "applicant_address": p.address,
        "applicant_phone": p.phone_display,
        "applicant_email": p.email or user.email,
        "result_delivery": p.result_delivery,
        "delivery_address": p.address,
    }


def verified_provider(user_id, id_number) -> str:
    """The identity provider that verified the account with exactly this CCCD number ('' when none): a
    dossier filed by a verified account about its own holder (for the DVCQG sync's
    TaiKhoanDuocXacThucVoiVNeID and the officer's dossier page)."""
    if not user_id or not id_number:
        return ""
    return Profile.objects.filter(user_id=user_id, id_number=id_number, verified_at__isnull=False) \
        .values_list("verified_by", flat=True).first() or ""
