"""The "platform" exchange plugin: the national document exchange platform (VDXP/VXP, INTEGRATIONS 3.3),
pull model. Sending is `sendEdoc` (headers from, to, servicetype "eDoc", messagetype edoc|status); receiving is
`getReceivedEdocList` -> `getEdoc` -> our intake -> `updateStatus` done|fail. The connection (URL, system id,
secret) is the instance's, in MOTCUA_EXCHANGE; peers reached this way have plugin "platform" in the directory.
The HTTP shape is Motcua's adapter contract after the VPCP SDK's calls (the SDK's wire format is not public);
`motcua exchange-sim` serves it locally (platform_sim.py)."""
import json
import logging
import urllib.parse
import urllib.request

from django.conf import settings

from ..transport import ExchangePlugin, Permanent, Transient, register
from .direct import post, raise_for

log = logging.getLogger("motcua.exchange")


def _conf():
    conf = settings.MOTCUA_EXCHANGE
    if not conf.get("platform_url"):
        raise Permanent("Chưa cấu hình trục liên thông (MOTCUA_EXCHANGE_PLATFORM_URL).", code="platform_not_configured")
    return conf


def _auth(conf):
    return {"systemid": conf.get("platform_system_id", ""), "secret": conf.get("platform_secret", "")}


def _get(path, params=None):
    conf = _conf()
    url = conf["platform_url"].rstrip("/") + path + ("?" + urllib.parse.urlencode(params) if params else "")
    req = urllib.request.Request(url, headers=_auth(conf))
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.read()
    except urllib.error.HTTPError as exc:
        raise_for(exc.code, exc.read(500).decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError) as exc:
        raise Transient(f"Không kết nối được trục liên thông: {type(exc).__name__}", code="unreachable")


@register("platform")
class Platform(ExchangePlugin):
    def send(self, message, peer):
        conf = _conf()
        headers = {**_auth(conf), "Content-Type": "application/xml; charset=utf-8", "from": message.sender.code,
                   "to": peer.code, "servicetype": "eDoc", "messagetype": message.kind}
        status, text = post(conf["platform_url"].rstrip("/") + "/sendEdoc", bytes(message.payload), headers)
        raise_for(status, text)

    def list_received(self):
        try:
            data = json.loads(_get("/getReceivedEdocList"))
        except ValueError:
            raise Transient("Trục liên thông trả lời không phải JSON.", code="bad_answer")
        return [(item["docId"], item.get("from", "")) for item in data.get("data", [])]

    def fetch(self, doc_id):
        return _get("/getEdoc", {"docId": doc_id})

    def acknowledge(self, doc_id, status):
        conf = _conf()
        body = json.dumps({"docId": doc_id, "status": status}).encode()
        raise_for(*post(conf["platform_url"].rstrip("/") + "/updateStatus", body,
                        {**_auth(conf), "Content-Type": "application/json"}))


def poll_once():
    """List what the platform holds for us, take each message in (the same intake as the direct endpoint),
    acknowledge it: done, or fail when refused. Returns counts. A platform failure is logged; what was not
    acknowledged is listed again at the next poll."""
    from ..exchange_flow import intake
    plugin = Platform()
    out = {"listed": 0, "accepted": 0, "refused": 0, "errors": 0}
    try:
        items = plugin.list_received()
    except (Transient, Permanent) as exc:
        log.warning("exchange platform list failed: %s", exc.reason)
        out["errors"] += 1
        return out
    for doc_id, sender in items:
        out["listed"] += 1
        try:
            result = intake(plugin.fetch(doc_id), sender_code=sender, via="platform")
            plugin.acknowledge(doc_id, "done" if result.accepted else "fail")
            out["accepted" if result.accepted else "refused"] += 1
        except (Transient, Permanent) as exc:
            log.warning("exchange platform message %s: %s", doc_id, exc.reason)
            out["errors"] += 1
    return out
