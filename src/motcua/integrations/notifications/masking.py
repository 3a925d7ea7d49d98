"""No full phone number or ID number in any log, error text or administrator page.

`mask_phone("84912345123")` -> "84******123"; `scrub(text)` masks every run of 9 or more digits (phone
numbers, 12-digit CCCD numbers, tax codes), also when written with spaces or dots ("0912 345 678"), and
shortens e-mail addresses ("an***@example.vn"). Dossier codes (digit runs of at most 6 between dashes)
and amounts stay readable.
"""
import re

_DIGIT_RUN = re.compile(r"\+?\d(?:[ .]?\d){8,}")
_EMAIL = re.compile(r"([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+)")


def mask_digits(digits):
    digits = re.sub(r"\D", "", digits or "")
    if len(digits) <= 5:
        return "*" * len(digits)
    return digits[:2] + "*" * (len(digits) - 5) + digits[-3:]


def mask_phone(phone):
    return mask_digits(phone)


def mask_email(email):
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", email or "")


def mask_address(address):
    """An e-mail address or a phone number, masked for display and logs."""
    return mask_email(address) if "@" in (address or "") else mask_phone(address)


def scrub(text):
    text = _DIGIT_RUN.sub(lambda m: mask_digits(m.group(0)), str(text or ""))
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
