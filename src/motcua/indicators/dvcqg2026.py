"""The 2026 scoring of Decision 766 as the national portal (DVCQG) publishes it per agency.

A pure function from counts to points: `score_unit({CODE: {"numerator": n, "denominator": d}, ...})`.
Six groups (CKMB 18, TDGQ 20, ONLINE 12, TTTT 10, MDSH 22, MDHL 18), each the sum of its metrics' points.

The rules were derived from the portal's own published per-unit figures (captures of
dichvucong.gov.vn's 766 API for Gia Lai, October 2026, checked metric by metric in
tests/indicators/data/dvcqg_2026_gia_lai.json) and, for ONLINE and TTTT whose inputs those captures do
not carry in full, from a public reverse analysis of the same API (Phú Thọ, September 2026):
- points = max x min(ratio / threshold, 1); the threshold is 100% unless the rule names another
  (REUSED_DIGITIZED_DATA 80%, DOSSIER_RECEIVING_SATISFACTION 90%, the payment and online ones below);
- each metric's points are rounded half up to 2 decimals first; a group is the sum of its metrics' rounded
  points, the total the sum of the groups (the captures match only this order: e.g. H21.17 MDSH 14.18);
- a null numerator and denominator mean "not measured here" and give the full points with ratio 100
  (ELECTRONIC_CERTIFIED_COPY in every capture);
- a zero denominator gives ratio 0 and 0 points, except the petition metrics, which give the full 6
  points when there was no petition (PETITION_PROCESSING_ON_TIME, PETITION_HANDLING_SATISFACTION);
- the two petition classification metrics carry 0 points (points null): explanatory only.
A metric missing from the input is reported as not held (points null, counted as 0 in its group).
"""
from dataclasses import dataclass
from fractions import Fraction

SET_CODE = "dvcqg-2026"

GROUPS = {"CKMB": 18, "TDGQ": 20, "ONLINE": 12, "TTTT": 10, "MDSH": 22, "MDHL": 18}

FULL, ZERO = "full", "zero"


@dataclass(frozen=True)
class Rule:
    group: str
    max_points: int
    threshold: int = 100       # percent at which the full points are reached
    when_empty: str = ZERO     # denominator 0: ZERO -> 0 points, FULL -> max points
    name: str = ""


RULES = {
    # Công khai, minh bạch (CKMB) 18
    "PUBLISH_ON_TIME": Rule("CKMB", 6, name="Tỷ lệ TTHC công bố đúng hạn"),
    "PUBLIC_UPDATE_ON_TIME": Rule("CKMB", 4, name="Tỷ lệ TTHC cập nhật, công khai đúng hạn"),
    "PUBLIC_CONTENT_FULL": Rule("CKMB", 2, name="Tỷ lệ TTHC công khai đầy đủ nội dung"),
    "DOSSIER_SYNC": Rule("CKMB", 6, name="Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG"),
    # Tiến độ giải quyết (TDGQ) 20: on time / received
    "TDGQ": Rule("TDGQ", 20, name="Tỷ lệ hồ sơ giải quyết đúng hạn"),
    # Dịch vụ công trực tuyến (ONLINE) 12: the portal publishes only the group; its three inputs
    # (reverse analysis, unconfirmed codes of Motcua's own naming)
    "ONLINE_SERVICE_PROVIDED": Rule("ONLINE", 2, threshold=80,
                                    name="Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến"),
    "ONLINE_SERVICE_WITH_DOSSIER": Rule("ONLINE", 4, name="Tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến"),
    "ONLINE_DOSSIER": Rule("ONLINE", 6, threshold=50, name="Tỷ lệ hồ sơ nộp trực tuyến"),
    # Thanh toán trực tuyến (TTTT) 10
    "ONLINE_PAYMENT_DOSSIER": Rule("TTTT", 6, name="Tỷ lệ hồ sơ thanh toán trực tuyến"),
    "ONLINE_PAYMENT_FORMALITY": Rule("TTTT", 2, threshold=80,
                                     name="Tỷ lệ TTHC có phí có giao dịch thanh toán trực tuyến"),
    "ONLINE_PAYMENT_FEE_DOSSIER": Rule("TTTT", 2, threshold=80,
                                       name="Tỷ lệ TTHC có phí phát sinh hồ sơ trên Cổng DVCQG"),
    # Số hóa hồ sơ (MDSH) 22
    "ORIGINAL_RESULT_AVAILABLE": Rule("MDSH", 6, name="Tỷ lệ hồ sơ có kết quả giải quyết điện tử"),
    "SO_HOA_GIAY_TO_GIAI_QUYET": Rule("MDSH", 4, name="Tỷ lệ hồ sơ thực hiện số hóa hồ sơ"),
    "REUSED_DIGITIZED_DATA": Rule("MDSH", 2, threshold=80,
                                  name="Tỷ lệ hồ sơ khai thác, sử dụng lại dữ liệu số hóa"),
    "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": Rule("MDSH", 4,
                                               name="Tỷ lệ hồ sơ số hóa có kết nối kho dữ liệu cá nhân"),
    "CITIZEN_DATA_CONNECTED_DOSSIER": Rule("MDSH", 2, name="Tỷ lệ hồ sơ có sử dụng dữ liệu dân cư"),
    "CITIZEN_DATA_CONNECTED_FORMALITY": Rule("MDSH", 2, name="Tỷ lệ TTHC kết nối, chia sẻ dữ liệu dân cư"),
    "ELECTRONIC_CERTIFIED_COPY": Rule("MDSH", 2, name="Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử"),
    # Mức độ hài lòng (MDHL) 18
    "DOSSIER_RECEIVING_SATISFACTION": Rule("MDHL", 6, threshold=90,
                                           name="Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC"),
    "PETITION_PROCESSING_ON_TIME": Rule("MDHL", 6, when_empty=FULL, name="Tỷ lệ PAKN xử lý đúng hạn"),
    "PETITION_HANDLING_SATISFACTION": Rule("MDHL", 6, when_empty=FULL, name="Tỷ lệ hài lòng trong xử lý PAKN"),
    "PETITION_CLASSIFICATION_TTHC": Rule("MDHL", 0, name="Tỷ lệ PAKN về quy định, thủ tục hành chính"),
    "PETITION_CLASSIFICATION_STAFF": Rule("MDHL", 0, name="Tỷ lệ PAKN về hành vi cán bộ, công chức"),
}

assert all(sum(r.max_points for r in RULES.values() if r.group == g) == pts for g, pts in GROUPS.items())


class ScoringInputError(ValueError):
    """Bad input: `code` is machine-readable, the message is Vietnamese."""

    def __init__(self, message, code, details=None):
        super().__init__(message)
        self.code = code
        self.details = details or {}


def round_half_up(value: Fraction, places=2) -> Fraction:
    scale = 10 ** places
    scaled = value * scale
    return Fraction((scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator), scale)


def _count(value, code, part):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ScoringInputError(f"Chỉ tiêu {code}: {part} phải là số nguyên không âm hoặc null.",
                                "invalid_count", {"metric": code, "field": part, "value": value})
    return value


def score_metric(code, numerator, denominator):
    """(ratio in percent, points) as Fractions rounded half up to 2 decimals; points None for 0-point
    metrics."""
    rule = RULES[code]
    numerator = _count(numerator, code, "numerator")
    denominator = _count(denominator, code, "denominator")
    if (numerator is None) != (denominator is None):
        raise ScoringInputError(f"Chỉ tiêu {code}: tử số và mẫu số phải cùng có hoặc cùng null.",
                                "incomplete_metric", {"metric": code})
    if numerator is None:
        ratio, share = Fraction(100), Fraction(1)
    elif denominator == 0:
        if numerator:
            raise ScoringInputError(f"Chỉ tiêu {code}: mẫu số bằng 0 nhưng tử số khác 0.", "numerator_exceeds",
                                    {"metric": code})
        ratio = Fraction(0)
        share = Fraction(1) if rule.when_empty == FULL else Fraction(0)
    else:
        if numerator > denominator:
            raise ScoringInputError(f"Chỉ tiêu {code}: tử số ({numerator}) lớn hơn mẫu số ({denominator}).",
                                    "numerator_exceeds", {"metric": code})
        ratio = Fraction(100 * numerator, denominator)
        share = min(ratio / rule.threshold, Fraction(1))
    points = None if rule.max_points == 0 else round_half_up(rule.max_points * share)
    return round_half_up(ratio), points


def _number(value):
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)


def score_unit(metrics: dict) -> dict:
    """{"metrics": {CODE: {"ratio", "points", "held"}}, "groups": {...}, "total"} for one agency."""
    if not isinstance(metrics, dict):
        raise ScoringInputError("“metrics” phải là một đối tượng {mã chỉ tiêu: {numerator, denominator}}.",
                                "invalid_metrics")
    unknown = sorted(set(metrics) - set(RULES))
    if unknown:
        raise ScoringInputError("Mã chỉ tiêu không có trong bộ dvcqg-2026: " + ", ".join(unknown),
                                "unknown_metric", {"metrics": unknown, "known": sorted(RULES)})
    out, groups = {}, {g: Fraction(0) for g in GROUPS}
    for code, rule in RULES.items():
        given = metrics.get(code)
        if given is None:
            out[code] = {"ratio": None, "points": None, "held": False}
            continue
        if not isinstance(given, dict):
            raise ScoringInputError(f"Chỉ tiêu {code} phải có dạng {{numerator, denominator}}.", "invalid_metric",
                                    {"metric": code})
        ratio, points = score_metric(code, given.get("numerator"), given.get("denominator"))
        out[code] = {"ratio": _number(ratio), "points": _number(points), "held": True}
        if points is not None:
            groups[rule.group] += points
    return {"metrics": out, "groups": {g: _number(v) for g, v in groups.items()},
            "total": _number(sum(groups.values(), Fraction(0)))}


def score_document(document: dict) -> dict:
    """The command's JSON in, its JSON out (see the module doc and README)."""
    if not isinstance(document, dict) or document.get("set") != SET_CODE:
        raise ScoringInputError(f"Tệp phải có \"set\": \"{SET_CODE}\".", "unknown_set",
                                {"set": document.get("set") if isinstance(document, dict) else None})
    units = document.get("units")
    if not isinstance(units, list):
        raise ScoringInputError("“units” phải là một danh sách đơn vị.", "invalid_units")
    result = []
    for i, unit in enumerate(units):
        if not isinstance(unit, dict) or not isinstance(unit.get("code"), str) or not unit["code"].strip():
            raise ScoringInputError(f"Đơn vị thứ {i + 1} thiếu “code”.", "invalid_unit", {"index": i})
        try:
            scored = score_unit(unit.get("metrics") or {})
        except ScoringInputError as e:
            e.details = {"unit": unit["code"], **e.details}
            raise
        result.append({"code": unit["code"], **scored})
    return {"set": SET_CODE, "units": result}
