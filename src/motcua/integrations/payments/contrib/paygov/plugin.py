"""The DVCQG national payment platform (PayGov), message version 1.0.6 (INTEGRATIONS.md §2.1, from the
ThanhHoa client): INIT (create the payment, answer `UrlThanhToan`), CONFIRM (the platform calls Motcua,
IPN-style; `MaLoi` "00" = paid), QUERY (`TrangThaiGD` 1 paid, 3 pending, 4 failed) and GET_BILL (the
platform's receipt PDF). JSON over HTTPS with `Authorization: Bearer <AccessToken>`.

Settings MOTCUA_PAYGOV: init_url, receipt_url, check_url, access_token, secret_key, partner_code (MaDoiTac),
timeout (30), ca_file. NOT CONFIRMED, hence configuration: the fields signed in the reply to CONFIRM
(`reply_fields`), the codes of LoaiPhiLePhi for phí and lệ phí (`fee_kind_codes`), and the envelope of the
QUERY answer (read either as INIT's {"error_code","message":"<json>"} or as a flat object). The platform
has no public refund API: refunds of PayGov payments are made by the agency and recorded by an officer.
"""
import json

from django.conf import settings

from motcua.dossiers.models import PaymentChannel

from ... import http
from ...base import (ALREADY, BAD_AMOUNT, BAD_SIGNATURE, CONFIRMED, ERROR, NOT_FOUND, GatewayDown, GatewayRefused,
                     Notice, PaymentGateway, Start)
from ...registry import register
from . import signing

VERSION = "1.0.6"
FIXED = {"LoaiHinhThanhToan": "PAY", "MaKenhThanhToan": "1", "MaThietBi": "1", "NgonNgu": "vi-VN",
         "MaTienTe": "VND", "MaNganHang": "PAYMENT"}
# Motcua's reply codes to CONFIRM (only "00" = accepted is documented)
REPLIES = {CONFIRMED: ("00", "Xác nhận thành công"), ALREADY: ("00", "Giao dịch đã được xác nhận trước đó"),
           NOT_FOUND: ("01", "Không tìm thấy giao dịch"), BAD_AMOUNT: ("04", "Số tiền không khớp"),
           BAD_SIGNATURE: ("97", "Sai mã xác thực"), ERROR: ("99", "Lỗi không xác định")}


def conf():
    return {"init_url": "", "receipt_url": "", "check_url": "", "access_token": "", "secret_key": "",
            "partner_code": "", "timeout": 30.0, "ca_file": "",
            "reply_fields": signing.DEFAULT_REPLY_FIELDS, "fee_kind_codes": {"phi": "1", "le_phi": "2"},
            **getattr(settings, "MOTCUA_PAYGOV", {})}


def _amount(value):
    try:
        n = int(str(value))
    except (TypeError, ValueError):
        return None
    return n if n >= 0 else None


def _unwrap(data):
    """INIT's envelope {"error_code": "0", "message": "<json>"}, or a flat object."""
    if not isinstance(data, dict):
        raise GatewayDown("Nền tảng thanh toán trả lời không đúng mẫu.", code="bad_answer")
    if "error_code" in data:
        if str(data.get("error_code")) != "0":
            raise GatewayRefused(f"Nền tảng thanh toán từ chối (error_code {data.get('error_code')}): "
                                 f"{data.get('message', '')}", code="paygov_refused")
        inner = data.get("message")
        if isinstance(inner, str):
            try:
                inner = json.loads(inner)
            except ValueError:
                raise GatewayDown("Nền tảng thanh toán trả lời message không phải JSON.", code="bad_answer") from None
        return inner if isinstance(inner, dict) else {}
    return data


@register("paygov")
class PaygovGateway(PaymentGateway):
    verbose_name = "Nền tảng thanh toán trực tuyến (Cổng DVCQG)"
    channel = PaymentChannel.NATIONAL_PORTAL
    has_receipt = True

    def _post(self, url_key, body, expect_json=True):
        c = conf()
        if not (c[url_key] and c["secret_key"] and c["partner_code"]):
            raise GatewayDown("Chưa cấu hình nền tảng thanh toán (MOTCUA_PAYGOV).", code="not_configured")
        return http.post(c[url_key], json.dumps(body, ensure_ascii=False).encode("utf-8"),
                         headers={"Authorization": f"Bearer {c['access_token']}"}, timeout=float(c["timeout"]),
                         ca_file=c["ca_file"], expect_json=expect_json)

    def bill_info(self, order, dossier):
        c = conf()
        from motcua.integrations.models import PaymentAccount, ProcedureMapping
        account = PaymentAccount.objects.filter(agency=dossier.agency).first()
        mapping = ProcedureMapping.objects.filter(procedure=dossier.procedure).first()
        procedure_code = mapping.remote_code if mapping else dossier.procedure.code
        kinds = c["fee_kind_codes"]
        return {
            "MaDichVu": "2", "MaDVC": f"{procedure_code}.01", "TenDVC": dossier.procedure.name[:500],
            "MaTTHC": procedure_code, "TenTTHC": dossier.procedure.name[:500],
            "MaDonVi": dossier.agency.code, "TenDonVi": dossier.agency.name, "MaHoSo": dossier.code,
            "TKThuHuong": account.account_number if account else "", "MaNHThuHuong": account.bank_code if account else "",
            "TenTKThuHuong": account.account_name if account else "",
            "MaLoaiHinhThuPhat": "", "TenLoaiHinhThuPhat": "", "MaCoQuanQD": "", "TenCoQuanQD": "", "KhoBac": "",
            "NgayQD": "", "SoQD": "", "ThoiGianViPham": "", "DiaDiemViPham": "", "TenNguoiViPham": "",
            "TaiKhoanThuNSNN": "",
            "NoiDungThanhToan": f"Thanh toán hồ sơ {dossier.code}", "HoTenNguoiNop": dossier.applicant_name,
            "SoCMNDNguoiNop": dossier.applicant_id_number, "DiaChiNguoiNop": dossier.applicant_address,
            "HuyenNguoiNop": "", "TinhNguoiNop": "",
            "PhiLePhi": [{"LoaiPhiLePhi": kinds.get(line["kind"], ""), "MaPhiLePhi": str(line.get("code", "")),
                          "TenPhiLePhi": line["name"], "SoTien": int(line["amount"])} for line in order.lines],
            "DSKhoanNop": [{"NoiDung": line["name"], "SoTien": int(line["amount"])} for line in order.lines],
        }

    def start(self, order, *, ip, info, dossier):
        c = conf()
        body = {"LoaiBanTin": "INIT", "PhienBan": VERSION, "MaDoiTac": c["partner_code"],
                "MaThamChieu": order.reference, "SoTien": int(order.amount), **FIXED, "ThongTinGiaoDich": info[:255],
                "ThoiGianGD": order.gateway_time, "Ip": ip or "127.0.0.1"}
        body["MaXacThuc"] = signing.checksum(c["secret_key"], body, signing.INIT_FIELDS)
        body["ThongTinBienLai"] = self.bill_info(order, dossier)
        inner = _unwrap(self._post("init_url", body))
        url = inner.get("UrlThanhToan")
        if not url or not str(url).startswith(("http://", "https://")):
            raise GatewayDown("Nền tảng thanh toán không trả về địa chỉ thanh toán (UrlThanhToan).", code="bad_answer")
        return Start(pay_url=str(url))

    def read_notification(self, data):
        c = conf()
        data = data if isinstance(data, dict) else {}
        ok = signing.valid(c["secret_key"], data, signing.CONFIRM_FIELDS) and \
            str(data.get("MaDoiTac", "")) == c["partner_code"] and data.get("LoaiBanTin") in ("CONFIRM", "PAY", None, "")
        code = str(data.get("MaLoi", ""))
        return Notice(valid=ok, reference=str(data.get("MaThamChieu", "")), amount=_amount(data.get("SoTien")),
                      paid=code == "00", gateway_txn=str(data.get("MaGiaoDich", "")),
                      bank_code=str(data.get("MaNganHang", "")), code=code, raw=data)

    def read_return(self, data):
        """The platform's browser return is not documented: only the reference is read (never trusted)."""
        return Notice(valid=False, reference=str(data.get("MaThamChieu", "")), raw=dict(data))

    def reply(self, outcome, notice):
        c = conf()
        code, message = REPLIES.get(outcome, REPLIES[ERROR])
        body = {"MaLoi": code, "MoTaLoi": message, "MaDoiTac": c["partner_code"],
                "ThoiGianGD": str(notice.raw.get("ThoiGianGD", ""))}
        body["MaXacThuc"] = signing.checksum(c["secret_key"], body, tuple(c["reply_fields"]))
        return 200, body

    def _signed(self, kind, order):
        from django.utils import timezone

        from motcua.worktime import TZ
        c = conf()
        body = {"LoaiBanTin": kind, "PhienBan": VERSION, "MaDoiTac": c["partner_code"], "MaThamChieu": order.reference,
                "ThoiGianGD": timezone.now().astimezone(TZ).strftime("%Y%m%d%H%M%S")}
        body["MaXacThuc"] = signing.checksum(c["secret_key"], body, signing.QUERY_FIELDS)
        return body

    def query(self, order):
        inner = _unwrap(self._post("check_url", self._signed("QUERY", order)))
        state = str(inner.get("TrangThaiGD", ""))
        paid = {"1": True, "4": False}.get(state)     # 3 (and anything unknown) = still pending
        return Notice(valid=True, reference=str(inner.get("MaThamChieu") or order.reference),
                      amount=_amount(inner.get("SoTien")) if inner.get("SoTien") is not None else None, paid=paid,
                      gateway_txn=str(inner.get("MaGiaoDich", "")), code=state, raw=inner)

    def receipt(self, order):
        pdf = self._post("receipt_url", self._signed("GET_BILL", order), expect_json=False)
        if not pdf.startswith(b"%PDF"):
            raise GatewayDown("Nền tảng thanh toán không trả về biên lai PDF.", code="bad_answer")
        return pdf
