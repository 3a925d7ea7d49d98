"""One small JSON-over-HTTP POST for the HTTP channels: every transport failure becomes Transient with a
clear reason (refused connection, timeout, TLS, 5xx, an answer that is not JSON)."""
import http.client
import json
import socket
import ssl
import urllib.error
import urllib.request

from django.utils.translation import gettext as _

from .base import Transient


def post_json(url, body, headers=None, timeout=20.0):
    """(HTTP status, decoded JSON object) of a POST; 4xx answers are returned for the caller to judge."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json", "Accept": "application/json",
                                          **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:   # noqa: S310 - configured https/http URL
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError, ssl.SSLError,
            http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Transient(_("Không kết nối được %(url)s: %(e)s") % {"url": url, "e": reason}, code="unreachable") from None
    if status >= 500:
        raise Transient(_("Máy chủ nhà cung cấp trả lỗi HTTP %(s)s.") % {"s": status}, code=f"http_{status}")
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Transient(_("Câu trả lời của nhà cung cấp không phải JSON (HTTP %(s)s).") % {"s": status},
                        code="bad_answer") from None
    if not isinstance(answer, dict):
        raise Transient(_("Câu trả lời của nhà cung cấp không đúng dạng (HTTP %(s)s).") % {"s": status},
                        code="bad_answer")
    return status, answer
