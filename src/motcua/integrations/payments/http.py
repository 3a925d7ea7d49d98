"""JSON over HTTP(S) to a gateway; every network-level or garbage answer becomes GatewayDown."""
import json
import socket
import ssl
import urllib.error
import urllib.request

from .base import GatewayDown


def _short(text, n=200):
    text = " ".join("".join(ch if ch.isprintable() else "\ufffd" for ch in (text or "")).split())
    return text if len(text) <= n else text[:n] + "…"


def post(url, body, *, headers=None, timeout=30.0, ca_file="", expect_json=True):
    """POST bytes; returns the parsed JSON (or the raw bytes when expect_json is False)."""
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})})
    ctx = ssl.create_default_context(cafile=ca_file or None) if url.startswith("https") else None
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=ctx) as resp:
            status, ctype, raw = resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        raise GatewayDown(f"{url} trả lời HTTP {exc.code}", code=f"http_{exc.code}") from None
    except (urllib.error.URLError, ssl.SSLError, socket.timeout, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GatewayDown(f"Không kết nối được cổng thanh toán {url}: {reason}", code="connection_failed") from None
    except Exception as exc:   # noqa: BLE001 - http.client errors on a broken answer
        raise GatewayDown(f"Kết nối tới {url} bị ngắt: {type(exc).__name__}", code="connection_broken") from None
    if not expect_json:
        return raw
    text = raw.decode("utf-8", "replace")
    if "html" in ctype.lower() or text.lstrip()[:1] == "<":
        raise GatewayDown(f"{url} trả lời HTML thay vì JSON (HTTP {status}): {_short(text)}", code="html_answer")
    try:
        return json.loads(text)
    except ValueError:
        raise GatewayDown(f"{url} trả lời không phải JSON hợp lệ: {_short(text)}", code="garbage_answer") from None
