"""The events a citizen is told about, the dossier act behind each, and the variables its templates get.

Context values are plain strings and lists of strings, snapshotted when the act happens (a later act does
not change what an earlier notice says). Templates see these variables and nothing else.
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.worktime import TZ


@dataclass(frozen=True)
class Event:
    key: str
    label: str
    variables: tuple


COMMON = ("ho_ten", "ma_ho_so", "ten_thu_tuc", "co_quan", "trang_thai", "tra_cuu")

EVENTS = {e.key: e for e in (
    Event("received", _("Tiếp nhận hồ sơ, hẹn trả kết quả"), COMMON + ("ngay_tiep_nhan", "ngay_hen", "noi_tra")),
    Event("supplement_requested", _("Yêu cầu bổ sung hồ sơ"), COMMON + ("ly_do", "giay_to")),
    Event("financial_obligation", _("Yêu cầu thực hiện nghĩa vụ tài chính"), COMMON + ("ly_do", "so_tien", "cach_nop")),
    Event("refused", _("Từ chối tiếp nhận, giải quyết hồ sơ"), COMMON + ("ly_do",)),
    Event("result_ready", _("Đã có kết quả"), COMMON + ("ngay_hen", "noi_tra")),
    Event("result_returned", _("Đã trả kết quả"), COMMON + ("thoi_diem",)),
    Event("apology", _("Trễ hạn: xin lỗi và hẹn lại ngày trả"), COMMON + ("ly_do", "ngay_hen_cu", "ngay_hen_moi")),
    Event("stopped", _("Dừng giải quyết hồ sơ"), COMMON + ("ly_do",)),
    Event("feedback_answered", _("Trả lời phản ánh, kiến nghị"), COMMON + ("ma_phan_anh", "ket_qua", "tra_loi")),
)}

# dossier act (history action) -> event
FOR_ACTION = {
    "receive": "received", "request_supplement": "supplement_requested", "request_financial": "financial_obligation",
    "refuse": "refused", "mark_result_ready": "result_ready", "return_result": "result_returned", "extend": "apology",
    "stop": "stopped",
}


def when(value):
    if value is None:
        return ""
    if isinstance(value, str):
        from datetime import datetime
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return timezone.localtime(value, TZ).strftime("%H:%M ngày %d/%m/%Y")


def money(amount):
    return f"{int(amount):,}".replace(",", ".") + " đồng"


def lookup_url(code):
    from urllib.parse import quote
    base = (settings.MOTCUA_NOTIFY.get("public_url") or getattr(settings, "MOTCUA_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}/tra-cuu/?code={quote(code)}"


def common(dossier):
    from motcua.dossiers.models import Status
    return {"ho_ten": dossier.applicant_name, "ma_ho_so": dossier.code, "ten_thu_tuc": dossier.procedure.name,
            "co_quan": dossier.agency.name, "trang_thai": str(Status(dossier.status).label),
            "tra_cuu": lookup_url(dossier.code)}


def dossier_context(key, dossier, event):
    """The variables of `key` for the act `event` (a HistoryEvent) on `dossier`."""
    data = event.data or {}
    ctx = common(dossier)
    if key == "received":
        ctx.update(ngay_tiep_nhan=when(dossier.received_at), ngay_hen=when(dossier.appointment_at or dossier.due_at),
                   noi_tra=dossier.return_place)
    elif key == "supplement_requested":
        ctx.update(ly_do=event.reason, giay_to=[str(c) for c in data.get("components") or []])
    elif key == "financial_obligation":
        amount = data.get("amount")
        ctx.update(ly_do=event.reason, so_tien=money(amount if amount is not None else dossier.fee_total),
                   cach_nop=str(settings.MOTCUA_NOTIFY["payment_howto"]))
    elif key in ("refused", "stopped"):
        ctx.update(ly_do=event.reason)
    elif key == "result_ready":
        ctx.update(ngay_hen=when(dossier.appointment_at or dossier.due_at), noi_tra=dossier.return_place)
    elif key == "result_returned":
        ctx.update(thoi_diem=when(dossier.returned_at or event.at))
    elif key == "apology":
        ctx.update(ly_do=event.reason, ngay_hen_cu=when(data.get("previous_appointment")),
                   ngay_hen_moi=when(data.get("new_appointment")))
    return ctx


def feedback_context(feedback):
    from motcua.feedback.models import FeedbackStatus
    ctx = common(feedback.dossier)
    ctx.update(ma_phan_anh=str(feedback.pk), ket_qua=str(FeedbackStatus(feedback.status).label),
               tra_loi=feedback.answer)
    return ctx


SAMPLE = {
    "ho_ten": "Nguyễn Văn An", "ma_ho_so": "000.00.17.H13-260601-0001", "ten_thu_tuc": "Cấp giấy phép xây dựng",
    "co_quan": "Sở Xây dựng", "trang_thai": "Được tiếp nhận", "tra_cuu": "https://dichvucong.example.vn/tra-cuu/?code=000.00.17.H13-260601-0001",
    "ngay_tiep_nhan": "08:00 ngày 01/06/2026", "ngay_hen": "17:00 ngày 04/06/2026", "noi_tra": "Bộ phận Một cửa Sở Xây dựng",
    "ly_do": "Bản vẽ thiết kế chưa có chữ ký của đơn vị thiết kế", "giay_to": ["Bản vẽ thiết kế", "Đơn đề nghị cấp giấy phép"],
    "so_tien": "150.000 đồng", "cach_nop": "Nộp trực tuyến trên Cổng Dịch vụ công quốc gia hoặc nộp tại Bộ phận Một cửa.",
    "thoi_diem": "10:30 ngày 05/06/2026", "ngay_hen_cu": "17:00 ngày 04/06/2026", "ngay_hen_moi": "17:00 ngày 10/06/2026",
    "ma_phan_anh": "125", "ket_qua": "Đã xử lý", "tra_loi": "Cơ quan đã kiểm tra và trả lời như sau: ...",
}


def sample_context(key):
    return {name: SAMPLE[name] for name in EVENTS[key].variables}
