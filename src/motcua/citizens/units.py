"""Administrative units for addresses: two levels since 1/7/2025 (province -> commune/ward, no district).

The 34 provinces and cities after the 2025 merger, with their codes. This is seed data, not a legal text
quoted: an administrator can replace it (MOTCUA_PROVINCES, a list of [code, name]) when it changes.
Communes are not listed here (3,300+); the form suggests the communes the agency tree knows and accepts
any commune or ward name typed."""
from django.conf import settings

PROVINCES_2025 = [
    ("01", "Thành phố Hà Nội"), ("04", "Tỉnh Cao Bằng"), ("08", "Tỉnh Tuyên Quang"), ("11", "Tỉnh Điện Biên"),
    ("12", "Tỉnh Lai Châu"), ("14", "Tỉnh Sơn La"), ("15", "Tỉnh Lào Cai"), ("19", "Tỉnh Thái Nguyên"),
    ("20", "Tỉnh Lạng Sơn"), ("22", "Tỉnh Quảng Ninh"), ("24", "Tỉnh Bắc Ninh"), ("25", "Tỉnh Phú Thọ"),
    ("31", "Thành phố Hải Phòng"), ("33", "Tỉnh Hưng Yên"), ("37", "Tỉnh Ninh Bình"), ("38", "Tỉnh Thanh Hóa"),
    ("40", "Tỉnh Nghệ An"), ("42", "Tỉnh Hà Tĩnh"), ("44", "Tỉnh Quảng Trị"), ("46", "Thành phố Huế"),
    ("48", "Thành phố Đà Nẵng"), ("51", "Tỉnh Quảng Ngãi"), ("52", "Tỉnh Gia Lai"), ("56", "Tỉnh Khánh Hòa"),
    ("66", "Tỉnh Đắk Lắk"), ("68", "Tỉnh Lâm Đồng"), ("75", "Tỉnh Đồng Nai"), ("79", "Thành phố Hồ Chí Minh"),
    ("80", "Tỉnh Tây Ninh"), ("82", "Tỉnh Đồng Tháp"), ("86", "Tỉnh Vĩnh Long"), ("91", "Tỉnh An Giang"),
    ("92", "Thành phố Cần Thơ"), ("96", "Tỉnh Cà Mau"),
]


def provinces():
    return [tuple(p) for p in getattr(settings, "MOTCUA_PROVINCES", None) or PROVINCES_2025]


def province_name(code):
    return dict(provinces()).get(code, "")


def known_communes():
    """Commune/ward names the agency tree knows (the demo province's communes): suggestions only."""
    from motcua.agencies.models import Agency
    return list(Agency.objects.filter(kind="commune").order_by("name").values_list("name", flat=True)[:2000])
