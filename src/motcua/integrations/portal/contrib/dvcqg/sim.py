"""`motcua dvcqg-sim`: a small real HTTP server on 127.0.0.1 playing DVCQG and the LGSP gateway.

- LGSP: POST /token (client credentials) -> bearer token that expires; POST /dvcqg/<Service>?MaDinhDanhDV=
  &isUpdating= with `Authorization: Bearer`.
- Classic adapter: POST /adapter/auth {"username","password"} -> session; POST /adapter/integration
  {"session","madonvi","service",...,"data"}.
- Services: DongBoHoSoMC, CapNhatTienDoHoSoMC (validated against spec.py: required fields, types, lengths,
  date formats, status codes, at most 10 progress items per call; the digitisation flags agree with each
  other: spec.cross_check), LayDanhSachHoSoMoi / LayHoSo /
  XacNhanHoSo (inbound dossiers it originated, for the polling client). Answers {"error_code","message"}
  like the real services ("0" ok, "-1" invalid data, "3" already exists, "-2" unknown dossier).
- Procedure cards: LayDanhSachTTHC (the codes it publishes) and LayThuTuc {"maTTHC"} (one card, answered
  {"error_code":"0","result":[card]} as OpenCPS reads it), through /dvcqg/<Service> (LGSP) or
  /adapter/share {"session","service","maTTHC"} (classic adapter). The cards are sim_cards.CARDS; tests
  change `state.cards`, or POST /_sim/cards {"cards": [...], "replace": true|false}.
- De-duplicates by the X-Message-Id header: a repeat is answered OK and not applied again.
- Control (JSON): GET /_sim/state, GET /_sim/received, POST /_sim/mode {"mode": ok|down|slow|500|html|
  garbage|truncated, "times": n, "slow_seconds": s}, POST /_sim/expire-tokens, POST /_sim/refuse-tokens
  {"refuse": true}, POST /_sim/inbound {dossier...} (originate; pushed to the webhook if one is set),
  POST /_sim/reset.
Tests run it in-process on a free port: `Simulator().start()`.
"""
import copy
import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler

from motcua.integrations.simserver import LocalServer

from . import signing, spec
from .sim_cards import CARDS

SHARE_SERVICES = ("LayDanhSachTTHC", "LayThuTuc")
MODES = ("ok", "down", "slow", "500", "html", "garbage", "truncated")


class State:
    def __init__(self, clients=None, users=None, token_lifetime=3600):
        self.lock = threading.RLock()
        self.clients = clients or {"motcua": "motcua-secret"}
        self.users = users or {"motcua": "motcua-pass"}
        self.token_lifetime = token_lifetime
        self.reset()

    def reset(self):
        with self.lock:
            self.tokens = {}            # token -> expires (time.time())
            self.sessions = {}
            self.received = []          # every business call, in arrival order
            self.dossiers = {}          # MaHoSo -> {"item", "statuses", "progress", "message_ids", "agency"}
            self.seen = set()
            self.duplicates = 0
            self.inbound = {}           # MaHoSo -> {"payload", "acked"}
            self.mode, self.mode_times, self.slow_seconds = "ok", None, 2.0
            self.refuse_tokens = False
            self.token_requests = 0
            self.webhook_url, self.webhook_secret = "", ""
            self.cards = {c["MATTHC"]: copy.deepcopy(c) for c in CARDS}   # MaTTHC -> card (any JSON, even bad)

    def take_mode(self):
        with self.lock:
            mode = self.mode
            if mode != "ok" and self.mode_times is not None:
                self.mode_times -= 1
                if self.mode_times <= 0:
                    self.mode, self.mode_times = "ok", None
            return mode

    def snapshot(self):
        with self.lock:
            return {"mode": self.mode, "received": len(self.received), "duplicates": self.duplicates,
                    "dossiers": {k: {"statuses": v["statuses"], "progress": len(v["progress"]),
                                     "message_ids": v["message_ids"]} for k, v in self.dossiers.items()},
                    "inbound": {k: {"acked": v["acked"]} for k, v in self.inbound.items()},
                    "token_requests": self.token_requests}


def _error(code, message, **extra):
    return {"error_code": code, "message": message, **extra}


class Handler(BaseHTTPRequestHandler):
    server_version = "DVCQG-sim/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):   # quiet
        pass

    @property
    def state(self):
        return self.server.state

    # ------------------------------------------------------------ plumbing
    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, status, obj=None, raw=None, ctype="application/json; charset=utf-8"):
        data = raw if raw is not None else json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _misbehave(self, mode):
        """Apply a failure mode; True if the request was answered (or dropped) by it."""
        if mode == "down":
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return True
        if mode == "slow":
            time.sleep(self.state.slow_seconds)
            return False
        if mode == "500":
            self._send(500, raw=b"Internal Server Error", ctype="text/plain")
            return True
        if mode == "html":
            self._send(200, raw="<html><body><h1>Hệ thống đang bảo trì</h1></body></html>".encode(),
                       ctype="text/html; charset=utf-8")
            return True
        if mode == "garbage":
            self._send(200, raw=b"\x00\x17garbage{{", ctype="application/json")
            return True
        if mode == "truncated":
            data = json.dumps(_error("0", "Thành công")).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data) + 40))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True
            return True
        return False

    # ------------------------------------------------------------ routes
    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        if path == "/_sim/state":
            return self._send(200, self.state.snapshot())
        if path == "/_sim/received":
            with self.state.lock:
                return self._send(200, self.state.received)
        return self._send(404, {"error": "not_found"})

    def do_POST(self):
        url = urllib.parse.urlparse(self.path)
        body = self._body()
        if url.path.startswith("/_sim/"):
            return self._control(url.path, body)
        if self._misbehave(self.state.take_mode()):
            return None
        if url.path == "/token":
            return self._token(body)
        if url.path == "/adapter/auth":
            return self._login(body)
        if url.path in ("/adapter/integration", "/adapter/share"):
            return self._adapter(body, share=url.path == "/adapter/share")
        if url.path.startswith("/dvcqg/"):
            return self._lgsp(url.path[len("/dvcqg/"):], dict(urllib.parse.parse_qsl(url.query)), body)
        return self._send(404, {"error": "not_found"})

    def _control(self, path, body):
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return self._send(400, {"error": "bad_json"})
        s = self.state
        with s.lock:
            if path == "/_sim/mode":
                mode = data.get("mode", "ok")
                if mode not in MODES:
                    return self._send(400, {"error": "unknown_mode", "modes": MODES})
                s.mode, s.mode_times = mode, data.get("times")
                s.slow_seconds = float(data.get("slow_seconds", s.slow_seconds))
            elif path == "/_sim/expire-tokens":
                s.tokens.clear()
                s.sessions.clear()
            elif path == "/_sim/refuse-tokens":
                s.refuse_tokens = bool(data.get("refuse", True))
            elif path == "/_sim/webhook":
                s.webhook_url, s.webhook_secret = data.get("url", ""), data.get("secret", "")
            elif path == "/_sim/inbound":
                return self._send(200, {"pushed": self.server.originate(data)})
            elif path == "/_sim/cards":
                if data.get("replace"):
                    s.cards = {}
                for i, card in enumerate(data.get("cards") or []):
                    key = card.get("MATTHC") if isinstance(card, dict) else None
                    s.cards[str(key) if key else f"_bad{i}"] = card
            elif path == "/_sim/reset":
                s.reset()
            else:
                return self._send(404, {"error": "not_found"})
        return self._send(200, {"ok": True, "mode": s.mode})

    def _token(self, body):
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
        s = self.state
        with s.lock:
            s.token_requests += 1
            if form.get("grant_type") != "client_credentials":
                return self._send(400, {"error": "unsupported_grant_type"})
            if s.refuse_tokens or s.clients.get(form.get("client_id")) != form.get("client_secret"):
                return self._send(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
            token = secrets.token_urlsafe(24)
            s.tokens[token] = time.time() + s.token_lifetime
        return self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": s.token_lifetime,
                                "scope": "default"})

    def _login(self, body):
        try:
            data = json.loads(body)
        except ValueError:
            return self._send(200, _error("-1", "Dữ liệu đăng nhập không hợp lệ"))
        s = self.state
        with s.lock:
            s.token_requests += 1
            if s.refuse_tokens or s.users.get(data.get("username")) != data.get("password") \
                    or not self.headers.get("dstcode"):
                return self._send(200, _error("-1", "Sai tên đăng nhập, mật khẩu hoặc dstcode"))
            session = secrets.token_hex(16)
            s.sessions[session] = time.time() + s.token_lifetime
        return self._send(200, {"error_code": 0, "session": session})

    def _valid(self, table, credential):
        with self.state.lock:
            exp = table.get(credential)
            return exp is not None and exp > time.time()

    def _lgsp(self, service, params, body):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or not self._valid(self.state.tokens, auth[7:]):
            return self._send(401, {"fault": {"code": 900901, "message": "Invalid Credentials",
                                              "description": "Access token hết hạn hoặc không hợp lệ"}})
        try:
            data = json.loads(body)
        except ValueError:
            return self._send(200, _error("-1", "Dữ liệu không phải JSON hợp lệ"))
        if service in SHARE_SERVICES:
            return self._send(200, self._share(service, data))
        return self._send(200, self._service(service, data, params))

    def _adapter(self, body, share=False):
        try:
            wrapper = json.loads(body)
        except ValueError:
            return self._send(200, _error("-1", "Dữ liệu không phải JSON hợp lệ"))
        if not isinstance(wrapper, dict) or not self.headers.get("dstcode"):
            return self._send(200, _error("-1", "Thiếu dstcode hoặc dữ liệu"))
        if not self._valid(self.state.sessions, wrapper.get("session")):
            return self._send(200, _error("-401", "Phiên đăng nhập hết hạn hoặc không hợp lệ"))
        if share:
            args = {k: v for k, v in wrapper.items() if k not in ("session", "service", "madonvi")}
            return self._send(200, self._share(wrapper.get("service", ""), args))
        params = {"MaDinhDanhDV": wrapper.get("madonvi", "")}
        if "isUpdating" in wrapper:
            params["isUpdating"] = wrapper["isUpdating"]
        return self._send(200, self._service(wrapper.get("service", ""), wrapper.get("data"), params))

    # ------------------------------------------------------------ services
    def _service(self, service, data, params):
        mid = self.headers.get("X-Message-Id", "")
        s = self.state
        with s.lock:
            entry = {"service": service, "message_id": mid, "params": params, "data": data, "at": time.time(),
                     "applied": False}
            s.received.append(entry)
            if service in ("DongBoHoSoMC", "CapNhatTienDoHoSoMC"):
                answer = self._check(service, data, params)
                if answer:
                    entry["error"] = answer
                    return answer
                if mid and mid in s.seen:
                    s.duplicates += 1
                    entry["duplicate"] = True
                    return _error("0", "Thành công (thông điệp đã nhận trước đó)")
                answer = self._apply(service, data, params, mid)
                if answer["error_code"] == "0":
                    entry["applied"] = True
                    if mid:
                        s.seen.add(mid)
                else:
                    entry["error"] = answer
                return answer
            if service == "LayDanhSachHoSoMoi":
                return {**_error("0", "Thành công"),
                        "data": [{"MaHoSo": k} for k, v in s.inbound.items() if not v["acked"]]}
            if service in ("LayHoSo", "XacNhanHoSo"):
                code = (data or {}).get("MaHoSo") if isinstance(data, dict) else None
                if code not in s.inbound:
                    return _error("-2", "Hồ sơ không tồn tại")
                if service == "XacNhanHoSo":
                    s.inbound[code]["acked"] = True
                    return _error("0", "Thành công")
                return {**_error("0", "Thành công"), "data": s.inbound[code]["payload"]}
            return _error("-1", f"Dịch vụ không tồn tại: {service}")

    def _share(self, service, args):
        """The sharing services: LayDanhSachTTHC, LayThuTuc. Arguments are checked like every payload."""
        s = self.state
        with s.lock:
            s.received.append({"service": service, "message_id": "", "params": {}, "data": args, "at": time.time(),
                               "applied": False})
            if not isinstance(args, dict):
                return _error("-1", "Tham số phải là một đối tượng JSON")
            if service == "LayDanhSachTTHC":
                return {**_error("0", "Thành công"),
                        "result": [{"MATTHC": c.get("MATTHC", k) if isinstance(c, dict) else k,
                                    "TENTTHC": c.get("TENTTHC") if isinstance(c, dict) else None}
                                   for k, c in s.cards.items()]}
            if service == "LayThuTuc":
                code = args.get("maTTHC", args.get("MaTTHC"))
                if not isinstance(code, str) or not code.strip():
                    return _error("-1", "Thiếu tham số maTTHC (mã thủ tục hành chính)")
                if len(code) > 60:
                    return _error("-1", "maTTHC dài quá 60 ký tự")
                if code not in s.cards:
                    return _error("-2", f"Không tìm thấy thủ tục hành chính mã {code}")
                return {**_error("0", "Thành công"), "result": [copy.deepcopy(s.cards[code])]}
            return _error("-1", f"Dịch vụ không tồn tại: {service}")

    def _check(self, service, data, params):
        if not isinstance(data, list) or not data:
            return _error("-1", "Dữ liệu phải là một danh sách không rỗng")
        if not params.get("MaDinhDanhDV"):
            return _error("-1", "Thiếu mã định danh đơn vị (MaDinhDanhDV/madonvi)")
        if service == "DongBoHoSoMC":
            if params.get("isUpdating") not in ("True", "False"):
                return _error("-1", "isUpdating phải là \"True\" hoặc \"False\"")
            rules = spec.DOSSIER_FIELDS
        else:
            if len(data) > spec.PROGRESS_CHUNK:
                return _error("-1", f"Tối đa {spec.PROGRESS_CHUNK} bản ghi tiến độ mỗi lần gửi")
            rules = spec.PROGRESS_FIELDS
        problems = []
        for i, item in enumerate(data):
            problems += [(f"[{i}].{p}", why) for p, why in spec.check(item, rules)]
            if service == "DongBoHoSoMC":
                problems += [(f"[{i}].{p}", why) for p, why in spec.cross_check(item)]
        if problems:
            return _error("-1", "Dữ liệu không hợp lệ: " + "; ".join(f"{p}: {w}" for p, w in problems[:10]),
                          errors=[{"field": p, "problem": w} for p, w in problems])
        return None

    def _apply(self, service, data, params, mid):
        s = self.state
        if service == "DongBoHoSoMC":
            for item in data:
                code = item["MaHoSo"]
                exists = code in s.dossiers
                if params["isUpdating"] == "False" and exists:
                    return _error("3", "Hồ sơ đã tồn tại trên hệ thống")
                if params["isUpdating"] == "True" and not exists:
                    return _error("-2", "Hồ sơ không tồn tại, không thể cập nhật")
            for item in data:
                d = s.dossiers.setdefault(item["MaHoSo"], {"statuses": [], "progress": [], "message_ids": [],
                                                           "agency": params["MaDinhDanhDV"]})
                d["item"] = item
                d["statuses"].append(item["TrangThaiHoSo"])
                d["message_ids"].append(mid)
            return _error("0", "Đồng bộ thành công")
        for item in data:
            if item["MaHoSo"] not in s.dossiers:
                return _error("-2", f"Hồ sơ {item['MaHoSo']} không tồn tại")
        for item in data:
            s.dossiers[item["MaHoSo"]]["progress"].append(item)
        return _error("0", "Cập nhật tiến độ thành công")


class Simulator(LocalServer):
    """In-process handle: start(), url, state, mode(), originate(), stop()."""

    def __init__(self, host="127.0.0.1", port=0, **state_kwargs):
        super().__init__(Handler, State(**state_kwargs), host, port)
        self.server.originate = self.originate

    def mode(self, mode, times=None, slow_seconds=None):
        with self.state.lock:
            self.state.mode, self.state.mode_times = mode, times
            if slow_seconds is not None:
                self.state.slow_seconds = slow_seconds

    def expire_tokens(self):
        with self.state.lock:
            self.state.tokens.clear()
            self.state.sessions.clear()

    def set_webhook(self, url, secret):
        with self.state.lock:
            self.state.webhook_url, self.state.webhook_secret = url, secret

    def originate(self, payload):
        """A dossier submitted on DVCQG: queued for polling, and pushed to the webhook if one is set.
        Returns the webhook's HTTP status (None when not pushed)."""
        code = payload.get("MaHoSo") or f"G22.99-{time.strftime('%y%m%d')}-{secrets.randbelow(10**5):05d}"
        payload = {**payload, "MaHoSo": code}
        with self.state.lock:
            self.state.inbound[code] = {"payload": payload, "acked": False}
            # submitted on DVCQG: it exists there, so the province's updates (isUpdating=True) apply to it
            self.state.dossiers.setdefault(code, {"item": payload, "statuses": [], "progress": [], "message_ids": [],
                                                  "agency": payload.get("MaDinhDanhDV", "")})
            url, secret = self.state.webhook_url, self.state.webhook_secret
        if not url:
            return None
        body = json.dumps(payload, ensure_ascii=False).encode()
        ts, nonce = str(int(time.time())), secrets.token_hex(12)
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", signing.HEADER_TS: ts, signing.HEADER_NONCE: nonce,
            signing.HEADER_SIG: signing.sign(secret, ts, nonce, body)})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return None
