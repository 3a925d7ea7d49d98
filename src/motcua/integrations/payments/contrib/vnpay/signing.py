"""VNPay checksums (INTEGRATIONS.md §2.2, VNPay's own documentation and sample code).

- Pay URL, return URL and IPN: vnp_SecureHash = hex HMAC-SHA512(HashSecret, query string) where the query
  string is the vnp_* parameters (without vnp_SecureHash / vnp_SecureHashType) sorted by key, each value
  URL-encoded (quote_plus, as VNPay's Python sample does), joined k=v&k=v.
- querydr / refund (merchant_webapi, JSON): HMAC-SHA512 over the listed fields joined by "|".
"""
import hashlib
import hmac
import urllib.parse

SKIP = ("vnp_SecureHash", "vnp_SecureHashType")

QUERYDR_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                  "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
REFUND_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType",
                 "vnp_TxnRef", "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy",
                 "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
# Answers of the merchant_webapi (VNPay's querydr/refund pages; not in INTEGRATIONS.md: verified when present)
QUERYDR_ANSWER_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                         "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                         "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                         "vnp_PromotionAmount")
REFUND_ANSWER_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                        "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                        "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo")


def hmac512(secret, text):
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha512).hexdigest()


def hash_data(params):
    """The string VNPay signs: vnp_* parameters sorted by key, URL-encoded values, '&'-joined (an empty
    value received is signed as `k=`, as VNPay's samples do; a request simply leaves empty ones out)."""
    items = sorted((k, v) for k, v in params.items() if k.startswith("vnp_") and k not in SKIP and v is not None)
    return "&".join(f"{k}={urllib.parse.quote_plus(str(v))}" for k, v in items)


def sign_params(secret, params):
    return hmac512(secret, hash_data(params))


def signed_query(secret, params):
    """The query string of a signed URL (pay URL, or the return/IPN call VNPay makes)."""
    data = hash_data(params)
    return f"{data}&vnp_SecureHash={hmac512(secret, data)}"


def valid_params(secret, params):
    given = str(params.get("vnp_SecureHash") or "")
    return bool(secret) and bool(given) and hmac.compare_digest(sign_params(secret, params), given.lower())


def sign_pipe(secret, data, fields):
    return hmac512(secret, "|".join(str(data.get(f, "") if data.get(f) is not None else "") for f in fields))


def valid_pipe(secret, data, fields):
    given = str(data.get("vnp_SecureHash") or "")
    return bool(given) and hmac.compare_digest(sign_pipe(secret, data, fields), given.lower())
