"""Checks and normalisation of what a citizen types: CCCD number, phone, tax code, email.

Pure functions: each returns the normalised value or raises ValidationFailed with a machine-readable
code and a Vietnamese message.

CCCD (12 digits, Circular 59/2021/TT-BCA): 3 digits birth-registration province code (the 63 codes from
before the 2025 merger), 1 digit century and sex (0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s,
8/9 = 1800s; even = male), 2 digits year of birth, 6 digits serial. DOMAIN.md does not state these rules,
so the province-code list is configuration (MOTCUA_CCCD_PROVINCE_CODES; an empty list turns the check off).
"""
import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed

CCCD_PROVINCE_CODES = (
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 "
    "042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 "
    "086 087 089 091 092 093 094 095 096").split()
CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}


def _province_codes():
    codes = getattr(settings, "MOTCUA_CCCD_PROVINCE_CODES", None)
    return CCCD_PROVINCE_CODES if codes is None else codes


def cccd_birth_year(number: str) -> int:
    return CENTURY[int(number[3])] + int(number[4:6])


def check_cccd(value, birth_date: date | None = None, *, today: date | None = None) -> str:
    """A 12-digit CCCD number (spaces allowed in the input), consistent with the birth date when known."""
    number = re.sub(r"[\s.]", "", str(value or ""))
    if not re.fullmatch(r"\d{12}", number):
        raise ValidationFailed(_("Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số."), code="cccd_invalid",
                               details={"field": "id_number"})
    codes = _province_codes()
    if codes and number[:3] not in codes:
        raise ValidationFailed(_("Ba số đầu của CCCD (%(p)s) không phải mã tỉnh nơi đăng ký khai sinh.")
                               % {"p": number[:3]}, code="cccd_province_invalid", details={"field": "id_number"})
    year = cccd_birth_year(number)
    if year > (today or date.today()).year:
        raise ValidationFailed(_("Số CCCD cho năm sinh %(y)d ở tương lai.") % {"y": year}, code="cccd_invalid",
                               details={"field": "id_number"})
    if birth_date is not None and birth_date.year != year:
        raise ValidationFailed(_("Số CCCD (năm sinh %(y)d) không khớp ngày sinh %(d)s.")
                               % {"y": year, "d": birth_date.strftime("%d/%m/%Y")},
                               code="cccd_birth_year_mismatch", details={"field": "id_number"})
    return number


def check_birth_date(value, *, today: date | None = None):
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationFailed(_("Ngày sinh không hợp lệ."), code="birth_date_invalid",
                                   details={"field": "birth_date"}) from None
    today = today or date.today()
    if value > today or value.year < today.year - 130:
        raise ValidationFailed(_("Ngày sinh không hợp lệ."), code="birth_date_invalid", details={"field": "birth_date"})
    return value


def normalise_phone(value) -> str:
    """'0912 345 678', '+84 912.345.678', '(024) 3825 1234' -> '84912345678', '842438251234'.
    Mobile: 9 national digits starting 3, 5, 7, 8 or 9; landline: 10 starting 2."""
    text = str(value or "").strip()
    if not text:
        return ""
    compact = re.sub(r"[\s.\-()]", "", text)
    if compact.startswith("+"):
        compact = compact[1:]
        if not compact.startswith("84"):
            raise ValidationFailed(_("Chỉ nhận số điện thoại Việt Nam (+84)."), code="phone_invalid",
                                   details={"field": "phone"})
    if not compact.isdigit() or not compact.isascii():
        raise ValidationFailed(_("Số điện thoại chỉ gồm chữ số (có thể có +84, dấu cách, dấu chấm)."),
                               code="phone_invalid", details={"field": "phone"})
    if compact.startswith("84") and len(compact) in (11, 12):
        national = compact[2:]
    elif compact.startswith("0"):
        national = compact[1:]
    else:
        national = compact
    if not (len(national) == 9 and national[0] in "35789") and not (len(national) == 10 and national[0] == "2"):
        raise ValidationFailed(_("Số điện thoại %(v)s không đúng định dạng Việt Nam (ví dụ 0912 345 678).")
                               % {"v": text[:30]}, code="phone_invalid", details={"field": "phone"})
    return "84" + national


def check_email(value) -> str:
    email = str(value or "").strip()
    if not email:
        return ""
    try:
        EmailValidator()(email)
    except ValidationError:
        raise ValidationFailed(_("Địa chỉ thư điện tử không hợp lệ."), code="email_invalid",
                               details={"field": "email"}) from None
    return email.lower() if len(email) <= 254 else email


def check_tax_code(value) -> str:
    """Organisation tax code: 10 digits, or 10-3 for a branch (13 digits written 10-3); since 7/2025 a
    person's tax code is their 12-digit identity number."""
    code = re.sub(r"\s", "", str(value or ""))
    if not code:
        return ""
    if re.fullmatch(r"\d{10}", code) or re.fullmatch(r"\d{12}", code):
        return code
    if re.fullmatch(r"\d{13}", code):
        return f"{code[:10]}-{code[10:]}"
    if re.fullmatch(r"\d{10}-\d{3}", code):
        return code
    raise ValidationFailed(_("Mã số thuế phải gồm 10 chữ số (chi nhánh: 10 chữ số, dấu gạch, 3 chữ số)."),
                           code="tax_code_invalid", details={"field": "tax_code"})
