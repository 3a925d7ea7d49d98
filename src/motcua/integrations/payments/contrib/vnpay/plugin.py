"""VNPay (INTEGRATIONS.md §2.2): pay URL v2.1.0 signed with HMAC-SHA512 over the sorted, URL-encoded
parameters, amount x 100; the IPN (server to server, GET) is the only thing that changes an order, the
return URL only shows the outcome; replies {RspCode, Message}; querydr and refund on merchant_webapi with
their own pipe-joined checksums.

Settings MOTCUA_VNPAY: pay_url, api_url, tmn_code, hash_secret, return_url (absolute, Motcua's
/thanh-toan/vnpay/ket-qua/), expire_minutes (15), timeout (30), locale (vn), order_type (other). The IPN
URL is registered with VNPay in the merchant portal: Motcua's /thanh-toan/vnpay/ipn/.
"""
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from motcua.dossiers.models import PaymentChannel
from motcua.worktime import TZ

from ... import http
from ...base import (ALREADY, BAD_AMOUNT, BAD_SIGNATURE, CONFIRMED, ERROR, NOT_FOUND, GatewayDown, GatewayRefused,
                     Notice, PaymentGateway, Start)
from ...registry import register
from . import signing

VERSION = "2.1.0"
REPLIES = {CONFIRMED: ("00", "Confirm Success"), NOT_FOUND: ("01", "Order not found"),
           ALREADY: ("02", "Order already confirmed"), BAD_AMOUNT: ("04", "Invalid amount"),
           BAD_SIGNATURE: ("97", "Invalid Checksum"), ERROR: ("99", "Unknown error")}


def conf():
    return {"pay_url": "", "api_url": "", "tmn_code": "", "hash_secret": "", "return_url": "", "expire_minutes": 15,
            "timeout": 30.0, "locale": "vn", "order_type": "other", "ca_file": "",
            **getattr(settings, "MOTCUA_VNPAY", {})}


def vn_time(dt):
    return dt.astimezone(TZ).strftime("%Y%m%d%H%M%S")


def ascii_info(text):
    """vnp_OrderInfo: VNPay asks for Vietnamese without accents and no special characters."""
    import unicodedata
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return "".join(c if c.isalnum() or c in " -.:" else " " for c in text)[:255].strip()


def _amount(value):
    try:
        n = int(str(value))
    except (TypeError, ValueError):
        return None
    return n // 100 if n % 100 == 0 else None     # VND x 100: a fraction of a đồng is not a valid amount


@register("vnpay")
class VnpayGateway(PaymentGateway):
    verbose_name = "VNPay"
    channel = PaymentChannel.PROVINCE_GATEWAY

    def start(self, order, *, ip, info, dossier):
        c = conf()
        if not (c["pay_url"] and c["tmn_code"] and c["hash_secret"] and c["return_url"]):
            raise GatewayDown("Chưa cấu hình VNPay (MOTCUA_VNPAY).", code="not_configured")
        params = {"vnp_Version": VERSION, "vnp_Command": "pay", "vnp_TmnCode": c["tmn_code"],
                  "vnp_Amount": str(order.amount * 100), "vnp_CreateDate": order.gateway_time, "vnp_CurrCode": "VND",
                  "vnp_IpAddr": ip or "127.0.0.1", "vnp_Locale": c["locale"], "vnp_OrderInfo": ascii_info(info),
                  "vnp_OrderType": c["order_type"], "vnp_ReturnUrl": c["return_url"], "vnp_TxnRef": order.reference,
                  "vnp_ExpireDate": vn_time(order.created_at + timedelta(minutes=int(c["expire_minutes"])))}
        return Start(pay_url=f"{c['pay_url']}?{signing.signed_query(c['hash_secret'], params)}")

    def read_notification(self, data):
        c = conf()
        data = {k: v for k, v in data.items() if isinstance(k, str)}
        ok = signing.valid_params(c["hash_secret"], data) and data.get("vnp_TmnCode") == c["tmn_code"]
        code, status = str(data.get("vnp_ResponseCode", "")), str(data.get("vnp_TransactionStatus", ""))
        return Notice(valid=ok, reference=str(data.get("vnp_TxnRef", "")), amount=_amount(data.get("vnp_Amount")),
                      paid=(code == "00" and status == "00"), gateway_txn=str(data.get("vnp_TransactionNo", "")),
                      bank_code=str(data.get("vnp_BankCode", "")), code=code, raw=data)

    def reply(self, outcome, notice):
        code, message = REPLIES.get(outcome, REPLIES[ERROR])
        return 200, {"RspCode": code, "Message": message}

    # ------------------------------------------------------------ merchant_webapi
    def _api(self, body, answer_fields):
        c = conf()
        if not c["api_url"]:
            raise GatewayDown("Chưa cấu hình VNPay merchant_webapi (MOTCUA_VNPAY api_url).", code="not_configured")
        import json
        data = http.post(c["api_url"], json.dumps(body).encode(), timeout=float(c["timeout"]), ca_file=c["ca_file"])
        if not isinstance(data, dict):
            raise GatewayDown("VNPay trả lời không đúng mẫu.", code="bad_answer")
        if data.get("vnp_SecureHash") and not signing.valid_pipe(c["hash_secret"], data, answer_fields):
            raise GatewayRefused("Chữ ký câu trả lời của VNPay không hợp lệ.", code="bad_signature")
        if not data.get("vnp_SecureHash") and str(data.get("vnp_ResponseCode")) == "00":
            raise GatewayRefused("Câu trả lời của VNPay thiếu chữ ký.", code="bad_signature")
        return data

    def _base(self, command, order, now):
        c = conf()
        return {"vnp_RequestId": secrets.token_hex(16), "vnp_Version": VERSION, "vnp_Command": command,
                "vnp_TmnCode": c["tmn_code"], "vnp_TxnRef": order.reference,
                "vnp_OrderInfo": ascii_info(f"{command} {order.reference}"), "vnp_TransactionDate": order.gateway_time,
                "vnp_CreateDate": vn_time(now), "vnp_IpAddr": "127.0.0.1"}

    def query(self, order):
        c = conf()
        body = self._base("querydr", order, timezone.now())
        if order.gateway_txn:
            body["vnp_TransactionNo"] = order.gateway_txn
        body["vnp_SecureHash"] = signing.sign_pipe(c["hash_secret"], body, signing.QUERYDR_FIELDS)
        data = self._api(body, signing.QUERYDR_ANSWER_FIELDS)
        code = str(data.get("vnp_ResponseCode", ""))
        if code == "91":
            return Notice(valid=True, reference=order.reference, paid=None, code="91", raw=data)   # not found there
        if code != "00":
            raise GatewayRefused(f"VNPay từ chối truy vấn (mã {code}): {data.get('vnp_Message', '')}", code=f"vnpay_{code}")
        status = str(data.get("vnp_TransactionStatus", ""))
        paid = True if status == "00" else (None if status in ("01", "") else False)
        return Notice(valid=True, reference=str(data.get("vnp_TxnRef", "")), amount=_amount(data.get("vnp_Amount")),
                      paid=paid, gateway_txn=str(data.get("vnp_TransactionNo", "")),
                      bank_code=str(data.get("vnp_BankCode", "")), code=status, raw=data)

    def refund(self, order, *, amount, by):
        c = conf()
        body = self._base("refund", order, timezone.now())
        body.update({"vnp_TransactionType": "02" if amount == order.amount else "03",
                     "vnp_Amount": str(int(amount) * 100), "vnp_TransactionNo": order.gateway_txn,
                     "vnp_CreateBy": (by or "motcua")[:250]})
        body["vnp_SecureHash"] = signing.sign_pipe(c["hash_secret"], body, signing.REFUND_FIELDS)
        data = self._api(body, signing.REFUND_ANSWER_FIELDS)
        code = str(data.get("vnp_ResponseCode", ""))
        if code != "00":
            raise GatewayRefused(f"VNPay từ chối hoàn tiền (mã {code}): {data.get('vnp_Message', '')}", code=f"vnpay_{code}")
        return data
