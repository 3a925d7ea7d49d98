"""DVCQG procedure cards (`LayThuTuc`) read into a plain, checked `ProcedureCard`.

What is known (../shared/INTEGRATIONS.md §1.2, OpenCPS `syncServiceInfo`, [primary-code]): the card is the
first element of the answer's `result` array, asked for with `maTTHC`; its fields are TENTTHC,
LINHVUCTHUCHIEN[MALINHVUC, TENLINHVUC], CACHTHUCTHUCHIEN[KENH, THOIGIAN[THOIGIANGIAIQUYET, DONVITINH, MOTA,
PHILEPHI[MAPHILEPHI, SOTIEN, DONVI, MOTA]]], THANHPHANHOSO[TRUONGHOP, GIAYTO[MAGIAYTO, TENGIAYTO, TENMAUDON,
URL]], KETQUATHUCHIEN[MAKETQUA, TENKETQUA], CANCUPHAPLY[SOVANBAN, TENVANBAN], COQUANTHUCHIEN[MADONVI,
TENDONVI], YEUCAU, TRANGTHAI (1 = published).

NOT CONFIRMED, hence configuration (`MOTCUA_DVCQG_CARD` in settings, defaults below): the list service and
its answer key, the card's own code field, the copy counts of a document (SOBANCHINH/SOBANSAO, seen only in a
scraper's table), and the level field (toàn trình / một phần): no source shows it on the card. Without a
level field the level is derived from the channels: an online channel (KENH 2) gives "một phần" (the card
cannot prove "toàn trình"), none gives "không trực tuyến".

Every problem is a `BadCard(code, message)`: the card is skipped whole, nothing of it is written.
"""
import re
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass
class CardConfig:
    card_service: str = "LayThuTuc"
    code_arg: str = "maTTHC"                  # OpenCPS body key; INTEGRATIONS.md writes it MaTTHC
    result_key: str = "result"
    code_field: str = "MATTHC"                # the card's own code, when it carries one (checked against the ask)
    list_service: str = "LayDanhSachTTHC"
    list_args: dict = field(default_factory=dict)
    list_result_key: str = "result"
    list_code_field: str = "MATTHC"
    level_field: str = "MUCDO"
    level_values: dict = field(default_factory=lambda: {
        "4": "full", "toàn trình": "full", "toan trinh": "full", "toantrinh": "full",
        "3": "partial", "một phần": "partial", "mot phan": "partial", "motphan": "partial",
        "2": "none", "1": "none", "không": "none"})
    original_count_field: str = "SOBANCHINH"
    copy_count_field: str = "SOBANSAO"

    @classmethod
    def from_settings(cls):
        conf = dict(getattr(settings, "MOTCUA_DVCQG_CARD", {}) or {})
        return cls(**{k: v for k, v in conf.items() if k in {f.name for f in fields(cls)}})


class BadCard(Exception):
    def __init__(self, code, message, **details):
        super().__init__(message)
        self.code, self.message, self.details = code, str(message), details


@dataclass
class ProcedureCard:
    remote_code: str
    name: str
    field_code: str
    field_name: str
    online_level: str
    time_value: Decimal
    time_unit: str
    components: list          # dicts: order, name, form, count, required
    fees: list                # dicts: name, amount, note
    result_type: str
    legal_basis: str
    requirements: str
    published: bool
    agency_codes: list        # identifier codes (MADONVI)
    raw: dict


DAY_UNITS = {"ngày", "ngày làm việc", "ngay", "ngay lam viec"}
HOUR_UNITS = {"giờ", "giờ làm việc", "gio", "gio lam viec"}
VND_UNITS = {"", "đồng", "dong", "vnđ", "vnd", "đ", "việt nam đồng"}
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")


def _text(value, limit=None):
    if value is None:
        return ""
    if isinstance(value, (dict, list, bool)):
        raise BadCard("garbage", _("Giá trị không phải văn bản: %(v)s") % {"v": str(value)[:80]})
    text = " ".join(str(value).replace("\x00", " ").split())
    return text[:limit] if limit else text


def _list(card, key):
    value = card.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BadCard("garbage", _("Trường %(k)s của phiếu thủ tục không đúng cấu trúc.") % {"k": key}, field=key)
    return value


def _number(value):
    if isinstance(value, bool) or value is None:
        return None
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _amount(value):
    """VND as written on cards: 50000, 50000.0, "50.000", "50,000", "50000"."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and value >= 0 else None
    text = str(value).strip()
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)
    return int(text) if text.isdigit() else None


def _count(value, default):
    if value in (None, ""):
        return default
    n = _number(value)
    if n is None or n != n.to_integral_value() or n < 0 or n > 100:
        raise BadCard("bad_component", _("Số lượng bản giấy tờ không hợp lệ: %(v)s") % {"v": str(value)[:40]})
    return int(n)


def parse_card(card, asked_code, conf=None):
    """The card answered for `asked_code`, checked and normalised; BadCard on anything unusable."""
    conf = conf or CardConfig.from_settings()
    if not isinstance(card, dict):
        raise BadCard("not_a_card", _("Cổng DVCQG trả về dữ liệu không phải phiếu thủ tục."))
    asked_code = (asked_code or "").strip()
    own = card.get(conf.code_field)
    code = _text(own) if own is not None else asked_code
    if not code:
        raise BadCard("missing_code", _("Phiếu thủ tục không có mã TTHC."))
    if asked_code and code != asked_code:
        raise BadCard("code_mismatch", _("Phiếu trả về mã %(got)s, không phải mã đã hỏi %(asked)s.")
                      % {"got": code, "asked": asked_code})
    if len(code) > 40 or not CODE_RE.match(code):
        raise BadCard("bad_code", _("Mã TTHC không hợp lệ (tối đa 40 ký tự, chữ, số, dấu chấm): %(c)s") % {"c": code[:80]})
    name = _text(card.get("TENTTHC"))
    if not name:
        raise BadCard("missing_name", _("Phiếu thủ tục %(c)s không có tên thủ tục (TENTTHC).") % {"c": code})
    if len(name) > 500:
        raise BadCard("name_too_long", _("Tên thủ tục dài quá 500 ký tự."))
    fields_ = _list(card, "LINHVUCTHUCHIEN")
    f_code = _text(fields_[0].get("MALINHVUC")) if fields_ else ""
    f_name = _text(fields_[0].get("TENLINHVUC")) if fields_ else ""
    if not f_code or not f_name or len(f_code) > 40 or len(f_name) > 255:
        raise BadCard("missing_field", _("Phiếu thủ tục %(c)s thiếu lĩnh vực (MALINHVUC, TENLINHVUC).") % {"c": code})

    channels = _list(card, "CACHTHUCTHUCHIEN")
    kinds = set()
    for ch in channels:
        kind = _number(ch.get("KENH"))
        if kind not in (1, 2, 3):
            raise BadCard("bad_channel", _("Kênh thực hiện không hợp lệ (KENH phải là 1, 2 hoặc 3): %(v)s")
                          % {"v": _text(ch.get("KENH"), 40)})
        kinds.add(int(kind))
    chosen = next((ch for ch in channels if _number(ch.get("KENH")) == 1), channels[0] if channels else None)
    times = _list(chosen, "THOIGIAN") if chosen else []
    if not times:
        raise BadCard("missing_time", _("Phiếu thủ tục %(c)s không có thời hạn giải quyết (THOIGIAN).") % {"c": code})
    t = times[0]
    value = _number(t.get("THOIGIANGIAIQUYET"))
    if value is None or value < 0 or value > Decimal("99999.99") or value != value.quantize(Decimal("0.01")):
        raise BadCard("bad_time_value", _("Thời hạn giải quyết không phải số hợp lệ: %(v)s")
                      % {"v": _text(t.get("THOIGIANGIAIQUYET"), 40)})
    unit_text = _text(t.get("DONVITINH")).lower()
    if unit_text in DAY_UNITS:
        unit = "days"
    elif unit_text in HOUR_UNITS:
        unit = "hours"
    else:
        raise BadCard("bad_time_unit", _("Đơn vị thời hạn “%(u)s” không dùng được (chỉ nhận ngày, ngày làm việc, giờ).")
                      % {"u": unit_text[:40]})
    fees = []
    for fee in _list(t, "PHILEPHI"):
        amount = _amount(fee.get("SOTIEN"))
        unit_fee = _text(fee.get("DONVI")).lower()
        if amount is None or amount > 10**15 or unit_fee not in VND_UNITS:
            raise BadCard("bad_fee", _("Mức phí, lệ phí không phải số tiền đồng: %(v)s %(u)s")
                          % {"v": _text(fee.get("SOTIEN"), 40), "u": unit_fee[:20]})
        label = _text(fee.get("MOTA"), 255) or _text(fee.get("MAPHILEPHI"), 255) or _("Lệ phí")
        fees.append({"name": label, "amount": amount, "note": _text(fee.get("MAPHILEPHI"), 255)})

    raw_level = card.get(conf.level_field)
    if raw_level not in (None, ""):
        level = conf.level_values.get(_text(raw_level).lower())
        if level is None:
            raise BadCard("bad_level", _("Mức độ trực tuyến “%(v)s” không xác định.") % {"v": _text(raw_level, 40)})
    else:
        level = "partial" if 2 in kinds else "none"

    groups = _list(card, "THANHPHANHOSO")
    components = []
    for g in groups:
        case = _text(g.get("TRUONGHOP"), 200)
        for doc in _list(g, "GIAYTO"):
            doc_name = _text(doc.get("TENGIAYTO"))
            if not doc_name:
                raise BadCard("bad_component", _("Thành phần hồ sơ không có tên giấy tờ (TENGIAYTO)."))
            originals = _count(doc.get(conf.original_count_field), None)
            copies = _count(doc.get(conf.copy_count_field), None)
            if originals and copies:
                form, count = "either", max(originals, copies)
            elif copies and not originals:
                form, count = "copy", copies
            else:
                form, count = "original", originals or 1
            if len(groups) > 1 and case:
                doc_name = f"{doc_name} ({_('trường hợp')}: {case})"
            components.append({"order": len(components) + 1, "name": doc_name[:500], "form": form, "count": count,
                               "required": len(groups) <= 1})
    results = [_text(r.get("TENKETQUA")) for r in _list(card, "KETQUATHUCHIEN")]
    laws = [" ".join(x for x in (_text(r.get("SOVANBAN")), _text(r.get("TENVANBAN"))) if x)
            for r in _list(card, "CANCUPHAPLY")]
    agencies = [_text(a.get("MADONVI")) for a in _list(card, "COQUANTHUCHIEN")]
    status = card.get("TRANGTHAI")
    published = status in (None, "") or _number(status) == 1
    return ProcedureCard(
        remote_code=code, name=name, field_code=f_code, field_name=f_name, online_level=level, time_value=value,
        time_unit=unit, components=components, fees=fees, result_type="; ".join(r for r in results if r)[:500],
        legal_basis="\n".join(x for x in laws if x), requirements=_text(card.get("YEUCAU")), published=published,
        agency_codes=[a for a in agencies if a], raw=card)
