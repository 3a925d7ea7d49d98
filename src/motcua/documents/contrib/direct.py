"""The "direct" exchange plugin: POST the edXML message to the peer Motcua's exchange endpoint
(`/api/v1/exchange/edxml/`), signed with the secret shared with that peer. 2xx: delivered; 400/401/403/413/
422: the peer refuses the call itself (permanent); anything else, a timeout or a refused connection: retry."""
import time
import urllib.error
import urllib.request

from ..transport import HEADER_SENDER, HEADER_SIG, HEADER_TS, ExchangePlugin, Permanent, Transient, hmac_sign, register

TIMEOUT = 30
PERMANENT = (400, 401, 403, 413, 422)


def post(url, body, headers, timeout=TIMEOUT):
    """(status, text) of a POST; raises Transient when the peer cannot be reached."""
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read(2000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(2000).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        raise Transient(f"Không kết nối được {url}: {type(exc).__name__}", code="unreachable")


def raise_for(status, text):
    if 200 <= status < 300:
        return
    error = Permanent if status in PERMANENT else Transient
    raise error(f"HTTP {status}: {text[:500]}", code=f"http_{status}")


@register("direct")
class Direct(ExchangePlugin):
    def send(self, message, peer):
        if not peer.endpoint or not peer.secret:
            raise Permanent(f"Cơ quan {peer.code} chưa có địa chỉ nhận hoặc khóa bí mật.", code="peer_not_configured")
        body = bytes(message.payload)
        ts, sender = str(int(time.time())), message.sender.code
        headers = {"Content-Type": "application/xml; charset=utf-8", HEADER_TS: ts, HEADER_SENDER: sender,
                   HEADER_SIG: hmac_sign(peer.secret, ts, sender, body)}
        raise_for(*post(peer.endpoint, body, headers))
