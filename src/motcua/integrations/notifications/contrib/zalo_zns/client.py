"""Zalo Notification Service (ZNS): a template message to a phone number (INTEGRATIONS.md 6).

POST {url}/message/template, header `access_token`, JSON {"phone": "84...", "template_id", "template_data",
"tracking_id"} -> {"error": 0, "message": "Success", "data": {"msg_id", "sent_time", ...}}.

Error codes (zalo.cloud/zns/guidelines/handle-error-code for -100..-109; the rest as listed by ZNS
resellers, not confirmed on Zalo's own page): what is worth retrying is Transient, the rest Permanent.
"""
import re

from django.utils.translation import gettext_lazy as _

from motcua.integrations.notifications.base import Permanent, Transient
from motcua.integrations.notifications.http import post_json

PATH = "/message/template"
TRACKING_ID = re.compile(r"[A-Za-z0-9_]{1,48}")

# code -> (retry?, meaning)
ERRORS = {
    -100: (True, _("lỗi không xác định phía Zalo")),
    -101: (False, _("ứng dụng không hợp lệ")),
    -102: (False, _("ứng dụng không tồn tại")),
    -103: (False, _("ứng dụng chưa được kích hoạt")),
    -104: (False, _("secret key của ứng dụng không hợp lệ")),
    -105: (False, _("ứng dụng chưa liên kết với OA")),
    -106: (False, _("phương thức không được hỗ trợ")),
    -107: (False, _("ID thông báo không hợp lệ")),
    -108: (False, _("số điện thoại không hợp lệ")),
    -109: (False, _("ID mẫu ZNS không hợp lệ")),
    -111: (False, _("mẫu ZNS không có dữ liệu")),
    -112: (False, _("dữ liệu mẫu ZNS không hợp lệ")),
    -114: (False, _("người dùng không nhận được ZNS (tài khoản, tuỳ chọn nhận tin, phiên bản Zalo)")),
    -115: (True, _("tài khoản ZNS không đủ số dư")),
    -117: (False, _("OA hoặc ứng dụng không có quyền dùng mẫu này")),
    -118: (False, _("tài khoản Zalo không tồn tại hoặc đã bị vô hiệu hoá")),
    -119: (False, _("tài khoản không thể nhận ZNS")),
    -124: (True, _("access token không hợp lệ hoặc đã hết hạn")),
    -131: (False, _("mẫu ZNS chưa được phê duyệt")),
    -133: (True, _("không được gửi ZNS vào ban đêm")),
    -144: (True, _("OA đã vượt hạn mức gửi ZNS trong ngày")),
}


class Client:
    def __init__(self, url, access_token, timeout=20.0):
        self.url, self.access_token, self.timeout = url.rstrip("/"), access_token, timeout

    def send(self, phone, template_id, template_data, tracking_id):
        """The msg_id of a sent message; raises Transient / Permanent."""
        if not template_id:
            raise Permanent(_("Chưa có mã mẫu ZNS cho thông báo này."), code="zns_template_missing")
        if not TRACKING_ID.fullmatch(tracking_id):
            raise Permanent(_("tracking_id không hợp lệ."), code="zns_tracking_id")
        status, answer = post_json(self.url + PATH, {"phone": phone, "template_id": str(template_id),
                                                     "template_data": template_data, "tracking_id": tracking_id},
                                   headers={"access_token": self.access_token}, timeout=self.timeout)
        try:
            error = int(answer.get("error"))
        except (TypeError, ValueError):
            raise Transient(_("Câu trả lời của Zalo thiếu mã lỗi (HTTP %(s)s).") % {"s": status}, code="bad_answer") \
                from None
        if error == 0:
            return str((answer.get("data") or {}).get("msg_id") or "")
        retry, meaning = ERRORS.get(error, (False, _("lỗi khác")))
        reason = f"Zalo ZNS {error}: {meaning} ({answer.get('message', '')})"
        raise (Transient if retry else Permanent)(reason, code=f"zns_{error}")
