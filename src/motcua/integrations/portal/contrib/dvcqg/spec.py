"""DVCQG field rules, shared by the client (which truncates to the limits) and the simulator (which
checks every payload against them). Sources: ../shared/INTEGRATIONS.md §1.2-1.3 (OpenCPS and the
ThanhHoa client). Limits marked "documented" come from real client code; the others are Motcua's own,
chosen to fit the fields they hold (no public specification states them)."""
import re
from datetime import datetime

from motcua.worktime import TZ

DATE_FORMAT = "%Y%m%d%H%M%S"        # yyyyMMddHHmmss, local time (Asia/Ho_Chi_Minh)
DATE_RE = re.compile(r"^\d{14}$")
STATUS_CODES = {str(n) for n in range(1, 11)}
CHANNELS = {"1", "2", "3"}
PROGRESS_CHUNK = 10                 # CapNhatTienDoHoSoMC: at most 10 progress items per call (ThanhHoa)

# field: (required, max length or None, kind) ; kind: str | date | status | channel | flag | list
DOSSIER_FIELDS = {
    "MaHoSo": (True, 64, "str"),
    "MaHoSoKhac": (False, 64, "str"),
    "MaTTHC": (True, 60, "str"),
    "TenTTHC": (True, 1000, "str"),
    "MaLinhVuc": (False, 40, "str"),
    "TenLinhVuc": (False, 255, "str"),
    "KenhThucHien": (True, None, "channel"),
    "ChuHoSo": (True, 255, "str"),
    "LoaiDoiTuong": (True, None, "kind"),
    "MaDoiTuong": (False, 64, "str"),
    "SoGiayToChuHoSo": (False, 20, "str"),
    "DinhDanhCHS": (False, None, "list"),
    "Email": (False, 254, "str"),
    "SoDienThoai": (False, 20, "str"),
    "ThongTinKhac": (False, 500, "str"),
    "TrichYeuHoSo": (True, 1000, "str"),            # documented (ThanhHoa)
    "NgayNopHoSo": (True, None, "date"),
    "NgayTiepNhan": (False, None, "date"),
    "NgayHenTra": (False, None, "date"),
    "TrangThaiHoSo": (True, None, "status"),
    "NgayTra": (False, None, "date"),
    "ThongTinTra": (False, 1000, "str"),
    "HinhThuc": (False, None, "flag01"),
    "NgayTuChoi": (False, None, "date"),
    "NgayKetThucXuLy": (False, None, "date"),
    "DonViXuLy": (False, 255, "str"),
    "HoSoCoThanhPhanSoHoa": (True, None, "flag01"),
    "TaiKhoanDuocXacThucVoiVNeID": (False, None, "flag01"),
    "DuocThanhToanTrucTuyen": (True, None, "payflag"),
    "TaiLieuNop": (False, None, "list"),
    "DanhSachLePhi": (False, None, "list"),
    "DanhSachGiayToKetQua": (False, None, "list"),
}
DOCUMENT_FIELDS = {
    "TepDinhKemId": (True, 64, "str"),
    "TenTepDinhKem": (True, 4000, "str"),           # documented (ThanhHoa)
    "IsDeleted": (True, None, "bool_text"),
    "MaThanhPhanHoSo": (False, 64, "str"),
    "DuongDanTaiTepTin": (False, 2000, "str"),
    "DuocSoHoa": (True, None, "flag01"),
    "DuocTaiSuDung": (True, None, "flag012"),
    "DuocLayTuKhoDMQG": (True, None, "flag01"),
    "MaKetQuaThayThe": (False, 64, "str"),
}
FEE_FIELDS = {
    "TenPhiLePhi": (True, 255, "str"),
    "MaPhiLePhi": (False, 40, "str"),
    "HinhThucThu": (False, 10, "str"),
    "Gia": (True, None, "int"),
    "LoaiPhiLePhi": (False, 10, "str"),
}
RESULT_FIELDS = {
    "TenGiayTo": (True, 500, "str"),
    "MaThanhPhanHoSo": (False, 64, "str"),
    "GiayToId": (True, 64, "str"),
    "DuongDanTepTinKetQua": (False, 2000, "str"),
    "MaGiayToKetQua": (False, 64, "str"),
}
PROGRESS_FIELDS = {
    "MaHoSo": (True, 64, "str"),
    "NguoiXuLy": (True, 50, "str"),                 # documented (ThanhHoa truncates to 50)
    "ChucDanh": (False, 255, "str"),
    "ThoiDiemXuLy": (True, None, "date"),
    "PhongBanXuLy": (False, 255, "str"),
    "NoiDungXuLy": (True, 2000, "str"),
    "TrangThai": (True, None, "status"),
    "NgayBatDau": (False, None, "date"),
    "NgayKetThucTheoQuyDinh": (False, None, "date"),
}
ID_FIELDS = {"LoaiDinhDanh": (True, None, "idkind"), "SoDinhDanh": (True, 12, "str")}
NESTED = {"TaiLieuNop": DOCUMENT_FIELDS, "DanhSachLePhi": FEE_FIELDS, "DanhSachGiayToKetQua": RESULT_FIELDS,
          "DinhDanhCHS": ID_FIELDS}

KIND_VALUES = {"status": STATUS_CODES, "channel": CHANNELS, "kind": {"1", "2", "3", "4"}, "flag01": {"0", "1"},
               "flag012": {"0", "1", "2"}, "payflag": {"1", "3"}, "bool_text": {"True", "False"},
               "idkind": {"1", "2"}}


def fmt_date(value):
    """yyyyMMddHHmmss in Vietnamese local time ('' for None)."""
    if value is None:
        return ""
    return value.astimezone(TZ).strftime(DATE_FORMAT)


def parse_date(text):
    return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=TZ)


def clip(value, limit):
    value = "" if value is None else str(value)
    return value if limit is None or len(value) <= limit else value[:limit]


def check(item, rules, where=""):
    """Problems of one object against its rules: a list of (field path, problem) pairs."""
    problems = []
    if not isinstance(item, dict):
        return [(where or "item", "not_an_object")]
    for name, (required, limit, kind) in rules.items():
        path = f"{where}{name}"
        value = item.get(name)
        if value in (None, ""):
            if required:
                problems.append((path, "required"))
            continue
        if kind == "list":
            if not isinstance(value, list):
                problems.append((path, "not_a_list"))
                continue
            for i, sub in enumerate(value):
                problems += check(sub, NESTED[name], f"{path}[{i}].")
            continue
        if kind == "int":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems.append((path, "not_an_integer"))
            continue
        if not isinstance(value, str):
            problems.append((path, "not_a_string"))
            continue
        if limit is not None and len(value) > limit:
            problems.append((path, f"longer_than_{limit}"))
        if kind == "date":
            if not DATE_RE.match(value):
                problems.append((path, "date_format_yyyyMMddHHmmss"))
            else:
                try:
                    parse_date(value)
                except ValueError:
                    problems.append((path, "invalid_date"))
        elif kind in KIND_VALUES and value not in KIND_VALUES[kind]:
            problems.append((path, "invalid_code"))
    return problems


def cross_check(item):
    """Digitisation flags that contradict each other in one DongBoHoSoMC item (Motcua's reading of the
    ThanhHoa client: a reused or national-store component is a digitised one; MaKetQuaThayThe goes with
    DuocTaiSuDung "2", a result replacing the component; the dossier flag says whether any component is
    digitised). A list of (field path, problem) pairs."""
    problems = []
    docs = item.get("TaiLieuNop") or []
    if not isinstance(docs, list):
        return problems
    for i, d in enumerate(docs):
        if not isinstance(d, dict):
            continue
        path = f"TaiLieuNop[{i}]."
        reused = d.get("DuocTaiSuDung") in ("1", "2")
        if (reused or d.get("DuocLayTuKhoDMQG") == "1") and d.get("DuocSoHoa") != "1":
            problems.append((path + "DuocSoHoa", "reused_but_not_digitised"))
        if d.get("DuocLayTuKhoDMQG") == "1" and not reused:
            problems.append((path + "DuocLayTuKhoDMQG", "national_store_but_not_reused"))
        if bool(d.get("MaKetQuaThayThe")) != (d.get("DuocTaiSuDung") == "2"):
            problems.append((path + "MaKetQuaThayThe", "replacing_result_code_mismatch"))
    if docs and item.get("HoSoCoThanhPhanSoHoa") != ("1" if any(isinstance(d, dict) and d.get("DuocSoHoa") == "1"
                                                               for d in docs) else "0"):
        problems.append(("HoSoCoThanhPhanSoHoa", "digitised_flag_mismatch"))
    return problems
