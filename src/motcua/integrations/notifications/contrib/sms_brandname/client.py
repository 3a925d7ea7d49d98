"""SMS brandname over the VNPT "send_sms_list" JSON contract (INTEGRATIONS.md 6, ThanhHoa's client):

POST {url} {"RQST": {"name": "send_sms_list", "REQID", "LABELID", "CONTRACTTYPEID", "CONTRACTID",
"TEMPLATEID", "PARAMS": [{"NUM": "1", "CONTENT": text}], "SCHEDULETIME": "", "MOBILELIST": "84...",
"ISTELCOSUB", "AGENTID", "APIUSER", "APIPASS", "USERNAME", "DATACODING": "0"}}
-> {"RPLY": {"name": "send_sms_list", "ERROR": "0", "ERROR_DESC": "success"}}.

The carrier pre-approves the template; PARAMS fill it. DATACODING "0" is plain GSM text: the content is
sent without Vietnamese diacritics. The meaning of non-zero ERROR codes is not published (NOT CONFIRMED):
they are Permanent unless listed in MOTCUA_SMS_TRANSIENT_ERRORS; transport failures and 5xx are Transient.
"""
import unicodedata

from django.utils.translation import gettext as _

from motcua.integrations.notifications.base import Permanent, Transient
from motcua.integrations.notifications.http import post_json


def plain_sms(text):
    """Vietnamese text without diacritics, on one line ('Hồ sơ đã được' -> 'Ho so da duoc')."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split())


class Client:
    def __init__(self, conf):
        self.conf = conf

    def send(self, phone, template_id, content, request_id):
        c = self.conf
        if not template_id:
            raise Permanent(_("Chưa có mã mẫu tin nhắn (TEMPLATEID) cho thông báo này."), code="sms_template_missing")
        body = {"RQST": {
            "name": "send_sms_list", "REQID": request_id, "LABELID": c["labelid"],
            "CONTRACTTYPEID": c["contracttypeid"], "CONTRACTID": c["contractid"], "TEMPLATEID": str(template_id),
            "PARAMS": [{"NUM": "1", "CONTENT": content}], "SCHEDULETIME": "", "MOBILELIST": phone,
            "ISTELCOSUB": c["istelcosub"], "AGENTID": c["agentid"], "APIUSER": c["apiuser"], "APIPASS": c["apipass"],
            "USERNAME": c["username"], "DATACODING": "0"}}
        status, answer = post_json(c["url"], body, timeout=c["timeout"])
        reply = answer.get("RPLY") if isinstance(answer.get("RPLY"), dict) else None
        if reply is None or "ERROR" not in reply:
            raise Transient(_("Câu trả lời của nhà mạng không đúng dạng RPLY (HTTP %(s)s).") % {"s": status},
                            code="bad_answer")
        error = str(reply.get("ERROR")).strip()
        if error == "0":
            return request_id
        reason = f"SMS brandname ERROR {error}: {reply.get('ERROR_DESC', '')}"
        raise (Transient if error in c.get("transient_errors", []) else Permanent)(reason, code=f"sms_{error}")
