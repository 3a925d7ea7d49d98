"""Checksums of the DVCQG national payment platform (PayGov), version 1.0.6 (INTEGRATIONS.md §2.1, from the
ThanhHoa client): MaXacThuc = hex SHA-256 of the fields joined by '|' with the secret key appended. A plain
SHA-256 of the string including the secret, not an HMAC.

The reply to CONFIRM echoes MaLoi, MoTaLoi, MaDoiTac, ThoiGianGD, MaXacThuc; which fields its MaXacThuc
covers is NOT CONFIRMED (no public source): Motcua signs MaLoi|MaDoiTac|ThoiGianGD|secret by default and
the field list is configuration (MOTCUA_PAYGOV["reply_fields"]).
"""
import hashlib
import hmac

INIT_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "LoaiHinhThanhToan",
               "MaKenhThanhToan", "MaThietBi", "NgonNgu", "MaTienTe", "MaNganHang", "ThongTinGiaoDich",
               "ThoiGianGD", "Ip")
CONFIRM_FIELDS = ("LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich",
                  "MaNganHang", "ThoiGianGD", "ThongTinGiaoDich")
QUERY_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")   # QUERY and GET_BILL
DEFAULT_REPLY_FIELDS = ("MaLoi", "MaDoiTac", "ThoiGianGD")


def checksum(secret, data, fields):
    text = "|".join("" if data.get(f) is None else str(data.get(f)) for f in fields) + "|" + secret
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def valid(secret, data, fields):
    given = str(data.get("MaXacThuc") or "")
    return bool(secret) and bool(given) and hmac.compare_digest(checksum(secret, data, fields), given.lower())
