"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<nonce>." + body, hex, with a shared secret.
(No public specification of DVCQG's inbound push exists; this is Motcua's adapter contract.)"""
import hashlib
import hmac

HEADER_TS, HEADER_NONCE, HEADER_SIG = "X-DVCQG-Timestamp", "X-DVCQG-Nonce", "X-DVCQG-Signature"


def sign(secret, timestamp, nonce, body):
    msg = f"{timestamp}.{nonce}.".encode() + body
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()


def valid(secret, timestamp, nonce, body, signature):
    return bool(secret) and hmac.compare_digest(sign(secret, timestamp, nonce, body), signature or "")
