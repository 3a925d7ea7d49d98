"""Motcua dossier -> DVCQG payloads (DongBoHoSoMC item, CapNhatTienDoHoSoMC items).

The real status code is sent as it is (never 5, 6 or 8 folded into 9): Motcua's statuses are the
national TrangThaiHoSo codes one to one."""
from django.conf import settings

from motcua.citizens.services import verified_provider
from motcua.dossiers.models import (Attachment, AttachmentKind, Channel, Payment, PaymentChannel, ResultDelivery,
                                    Status)

from . import spec

ACTION_TEXT = {
    "submit": "Nộp hồ sơ", "receive": "Tiếp nhận hồ sơ", "refuse": "Từ chối hồ sơ",
    "request_supplement": "Yêu cầu bổ sung giấy tờ", "supplement_received": "Nhận hồ sơ bổ sung",
    "forward": "Chuyển xử lý", "return_step": "Trả về bước trước", "approve": "Phê duyệt",
    "request_financial": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "financial_fulfilled": "Đã thực hiện nghĩa vụ tài chính", "stop": "Dừng xử lý", "withdraw": "Rút hồ sơ",
    "extend": "Gia hạn, hẹn lại ngày trả", "mark_result_ready": "Có kết quả giải quyết",
    "return_result": "Trả kết quả", "attach_component": "Bổ sung tệp thành phần", "attach_supplement": "Nộp bổ sung",
    "attach_result": "Đính kèm kết quả", "attach_other": "Đính kèm tài liệu", "record_payment": "Thanh toán phí, lệ phí",
    "pay_online": "Thanh toán trực tuyến",
    "rate": "Đánh giá mức độ hài lòng", "sign_result_person": "Lãnh đạo ký số kết quả",
    "sign_result_seal": "Đóng dấu số kết quả", "recompute": "Tính lại hạn giải quyết",
}


def remote_code_for(dossier, agency_ident):
    """DVCQG expects dossier codes prefixed by the agency identifier code: keep the local code when it
    already carries the province code, otherwise '<identifier>-<local code>' (the local code goes in
    MaHoSoKhac)."""
    province = getattr(settings, "MOTCUA_DVCQG", {}).get("province", "")
    if province and province in dossier.code:
        return dossier.code[:64]
    return f"{agency_ident}-{dossier.code}"[:64]


RETURN_TEXT = {ResultDelivery.COUNTER: "Nhận trực tiếp tại bộ phận một cửa",
               ResultDelivery.POSTAL: "Qua dịch vụ bưu chính công ích",
               ResultDelivery.ELECTRONIC: "Bản điện tử (tệp ký số)"}


def _return_text(dossier):
    text = RETURN_TEXT.get(dossier.result_delivery, "")
    if dossier.result_delivery == ResultDelivery.POSTAL and dossier.delivery_address:
        return f"{text}: {dossier.delivery_address}"
    if dossier.result_delivery == ResultDelivery.COUNTER and dossier.return_place:
        return f"{text}: {dossier.return_place}"
    return text


def _id_kind(number):
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    if len(digits) == 12:
        return "1", digits
    if len(digits) == 9:
        return "2", digits
    return None, digits


def dossier_item(dossier, *, status, remote_code, procedure_code, agency_ident, events, base_url=""):
    p = dossier.procedure
    attachments = list(Attachment.objects.filter(dossier=dossier).select_related("component"))
    online_paid = Payment.objects.filter(dossier=dossier, channel__in=(PaymentChannel.NATIONAL_PORTAL,
                                                                      PaymentChannel.PROVINCE_GATEWAY)).exists()
    kind, number = _id_kind(dossier.applicant_id_number)
    # the filing account verified by the identity provider (VNeID) with the applicant's own CCCD
    verified = kind == "1" and bool(verified_provider(dossier.owner_id, number))
    from motcua.datastore.services import component_flags

    reused = component_flags(dossier)       # the data store's reuse records (DuocTaiSuDung, ...)
    documents = [{
        "TepDinhKemId": str(a.pk), "TenTepDinhKem": spec.clip(a.filename, 4000), "IsDeleted": "False",
        "MaThanhPhanHoSo": str(a.component.component_id or a.component_id) if a.component_id else "",
        "DuongDanTaiTepTin": "", **reused.get(a.pk, {
            "DuocSoHoa": "1" if a.digitised else "0", "DuocTaiSuDung": "0", "DuocLayTuKhoDMQG": "0",
            "MaKetQuaThayThe": ""}),
    } for a in attachments if a.kind in (AttachmentKind.COMPONENT, AttachmentKind.SUPPLEMENT)]
    item = {
        "MaHoSo": remote_code,
        "MaHoSoKhac": dossier.code if remote_code != dossier.code else "",
        "MaTTHC": procedure_code,
        "TenTTHC": spec.clip(p.name, 1000),
        "MaLinhVuc": spec.clip(p.field.code, 40),
        "TenLinhVuc": spec.clip(p.field.name, 255),
        "KenhThucHien": str(dossier.channel),
        "ChuHoSo": spec.clip(dossier.applicant_name, 255),
        "LoaiDoiTuong": "1" if dossier.applicant_kind == "citizen" else "2",
        "SoGiayToChuHoSo": spec.clip(dossier.applicant_id_number, 20),
        # 12 digits = CCCD, 9 = CMND; the placeholder 000000001 when unknown (as the ThanhHoa client does)
        "DinhDanhCHS": [{"LoaiDinhDanh": kind or "1", "SoDinhDanh": number if kind else "000000001"}],
        "Email": spec.clip(dossier.applicant_email, 254),
        "SoDienThoai": spec.clip(dossier.applicant_phone, 20),
        "ThongTinKhac": spec.clip(dossier.applicant_address, 500),
        "TrichYeuHoSo": spec.clip(dossier.request or p.name, 1000),
        "NgayNopHoSo": spec.fmt_date(dossier.submitted_at),
        "NgayTiepNhan": spec.fmt_date(dossier.received_at),
        "NgayHenTra": spec.fmt_date(dossier.appointment_at or dossier.due_at),
        "TrangThaiHoSo": str(int(status)),
        "NgayTra": spec.fmt_date(dossier.returned_at) if status == Status.RETURNED else "",
        # how the result goes back: HinhThuc 1 = by public postal service (OpenCPS's viaPostal; meaning
        # NOT CONFIRMED), ThongTinTra says it in words with the delivery address
        "HinhThuc": "1" if dossier.result_delivery == ResultDelivery.POSTAL else "0",
        "ThongTinTra": spec.clip(_return_text(dossier), 1000),
        "NgayTuChoi": spec.fmt_date(dossier.closed_at) if status == Status.NOT_RECEIVED else "",
        "NgayKetThucXuLy": spec.fmt_date(dossier.finished_at) if status in (Status.FINISHED, Status.RETURNED,
                                                                           Status.STOPPED) else "",
        "DonViXuLy": spec.clip(dossier.agency.name, 255),
        "HoSoCoThanhPhanSoHoa": "1" if any(t["DuocSoHoa"] == "1" for t in documents) else "0",
        "TaiKhoanDuocXacThucVoiVNeID": "1" if verified else "0",
        "DuocThanhToanTrucTuyen": "1" if online_paid else "3",
        "TaiLieuNop": documents,
        "DanhSachLePhi": [{"TenPhiLePhi": spec.clip(f.name, 255), "MaPhiLePhi": str(f.pk), "HinhThucThu": "",
                           "Gia": int(f.amount), "LoaiPhiLePhi": "1"} for f in p.fees.all()],
        "DanhSachGiayToKetQua": [{
            "TenGiayTo": spec.clip(a.filename, 500), "MaThanhPhanHoSo": "", "GiayToId": str(a.pk),
            "DuongDanTepTinKetQua": "",
            # the procedure's main result code (MaKetQuaChinh of the DVCQG card), never its name
            "MaGiayToKetQua": spec.clip(p.result_code, 64),
        } for a in attachments if a.kind == AttachmentKind.RESULT],
    }
    if dossier.channel != Channel.ONLINE:
        item.pop("MaDoiTuong", None)
    return item


def progress_items(dossier, events, *, remote_code, unit_name=""):
    """One CapNhatTienDoHoSoMC item per history event (every status change and step)."""
    needs_steps = any(e.action in ("forward", "return_step") for e in events)
    steps = {s.order: s for s in dossier.steps.all()} if needs_steps else {}
    items = []
    for e in events:
        step = None
        data = e.data or {}
        if e.action in ("forward", "return_step"):
            step = steps.get(data.get("to_step"))
        status = e.status_after or e.status_before or dossier.status
        text = ACTION_TEXT.get(e.action, e.action)
        if e.reason:
            text = f"{text}: {e.reason}"
        items.append({
            "MaHoSo": remote_code,
            "NguoiXuLy": spec.clip(e.actor_name or "Hệ thống", 50),
            "ChucDanh": "",
            "ThoiDiemXuLy": spec.fmt_date(e.at),
            "PhongBanXuLy": spec.clip(step.unit_name if step and step.unit_name else unit_name, 255),
            "NoiDungXuLy": spec.clip(text, 2000),
            "TrangThai": str(int(status)),
            "NgayBatDau": spec.fmt_date(step.started_at) if step else "",
            "NgayKetThucTheoQuyDinh": spec.fmt_date(step.due_at) if step and step.due_at else "",
            "_seq": e.seq,
        })
    return items
