"""Local peers that enforce the providers' contracts, for tests and the demo (`motcua notify-sim`):

- ZnsSimulator: POST /message/template with header `access_token` (else error -124), phone 84xxxxxxxxx
  (else -108), a known template_id (else -109), non-empty template_data (else -111), a tracking_id of at
  most 48 letters, digits or '_' (else -107); phones in `not_zalo` answer -118. Success:
  {"error": 0, "message": "Success", "data": {"msg_id", "sent_time"}}.
- SmsSimulator: POST / {"RQST": {"name": "send_sms_list", ...}} checking APIUSER/APIPASS, TEMPLATEID, the
  84... MOBILELIST, PARAMS and DATACODING "0" content without diacritics. Its ERROR codes are the
  simulator's own ("0" ok, "1" login, "2" template, "3" phone, "4" content, "5" missing field): the
  carrier's list is not published.
- Both: GET /_sim/state, POST /_sim/mode {"mode": "ok"|"down"|"500"|"garbage", "times": n}
  ("down" drops the connection without an answer), POST /_sim/play {"modes": [...]} (one mode for each
  of the next calls), POST /_sim/reset.
Tests run them in-process on a free port: `ZnsSimulator().start()`.
"""
import json
import re
import secrets
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler

from motcua.integrations.simserver import LocalServer

PHONE = re.compile(r"84\d{9}")
TRACKING = re.compile(r"[A-Za-z0-9_]{1,48}")


class _Sim:
    def __init__(self, port=0):
        self.port = port
        self.lock = threading.RLock()
        self.reset()
        self._server = None

    def reset(self):
        with self.lock:
            self.received = []      # accepted messages
            self.refused = []       # (error, body) of refused calls
            self.calls = 0
            self.mode, self.mode_times = "ok", None
            self.script = []        # modes for the next calls, one each, before `mode` applies again

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def set_mode(self, mode, times=None):
        with self.lock:
            self.mode, self.mode_times = mode, times

    def play(self, *modes):
        with self.lock:
            self.script.extend(modes)

    def _take_mode(self):
        with self.lock:
            if self.script:
                return self.script.pop(0)
            mode = self.mode
            if self.mode_times is not None:
                self.mode_times -= 1
                if self.mode_times <= 0:
                    self.mode, self.mode_times = "ok", None
            return mode

    def state(self):
        with self.lock:
            return {"received": list(self.received), "refused": list(self.refused), "calls": self.calls,
                    "mode": self.mode}

    def handle_business(self, path, headers, body):   # -> (status, json)
        raise NotImplementedError

    def start(self):
        self._server = LocalServer(_Handler, self, port=self.port).start()
        self.port = self._server.server.server_address[1]
        return self

    def stop(self):
        if self._server:
            self._server.stop()


class _Handler(BaseHTTPRequestHandler):
    """The contract server's HTTP side; the simulator it plays is the server's state (LocalServer)."""

    def log_message(self, *a):
        pass

    def _answer(self, status, obj=None, raw=None):
        data = raw if raw is not None else json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_sim/state":
            return self._answer(200, self.server.state.state())
        return self._answer(404, {"error": "not found"})

    def do_POST(self):
        sim = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path.startswith("/_sim/"):
            data = json.loads(raw or b"{}")
            if self.path == "/_sim/mode":
                sim.set_mode(data.get("mode", "ok"), data.get("times"))
            elif self.path == "/_sim/play":
                sim.play(*data.get("modes", []))
            elif self.path == "/_sim/reset":
                sim.reset()
            return self._answer(200, {"ok": True})
        with sim.lock:
            sim.calls += 1
        mode = sim._take_mode()
        if mode == "down":
            self.close_connection = True
            self.connection.close()
            return None
        if mode == "500":
            return self._answer(503, raw=b"<html>Service Unavailable</html>")
        if mode == "garbage":
            return self._answer(200, raw=b"<html>oops")
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._answer(400, {"error": -100, "message": "Body is not JSON"})
        status, answer = sim.handle_business(self.path, self.headers, body)
        return self._answer(status, answer)


class ZnsSimulator(_Sim):
    def __init__(self, port=0, access_token="zns-test-token", templates=("231001", "231002"), not_zalo=()):
        self.access_token, self.templates, self.not_zalo = access_token, set(templates), set(not_zalo)
        super().__init__(port)

    def _refuse(self, error, message, body):
        with self.lock:
            self.refused.append({"error": error, "body": body})
        return 200, {"error": error, "message": message}

    def handle_business(self, path, headers, body):
        if path != "/message/template":
            return 404, {"error": -106, "message": "Method unsupported"}
        if headers.get("access_token") != self.access_token:
            return self._refuse(-124, "Access token is invalid", body)
        phone = str(body.get("phone", ""))
        if not PHONE.fullmatch(phone):
            return self._refuse(-108, "Phone number invalid", body)
        if str(body.get("template_id", "")) not in self.templates:
            return self._refuse(-109, "Template ID invalid", body)
        data = body.get("template_data")
        if not isinstance(data, dict) or not data:
            return self._refuse(-111, "Template data empty", body)
        if not TRACKING.fullmatch(str(body.get("tracking_id", ""))):
            return self._refuse(-107, "Message ID invalid", body)
        if phone in self.not_zalo:
            return self._refuse(-118, "Zalo account not existed", body)
        msg_id = secrets.token_hex(16)
        with self.lock:
            self.received.append({**body, "msg_id": msg_id})
        return 200, {"error": 0, "message": "Success",
                     "data": {"msg_id": msg_id, "sent_time": str(int(time.time() * 1000))}}


REQUIRED = ("REQID", "LABELID", "CONTRACTTYPEID", "CONTRACTID", "TEMPLATEID", "PARAMS", "MOBILELIST", "ISTELCOSUB",
            "AGENTID", "APIUSER", "APIPASS", "USERNAME", "DATACODING")


class SmsSimulator(_Sim):
    def __init__(self, port=0, apiuser="motcua", apipass="motcua-sms", templates=("9001",)):
        self.apiuser, self.apipass, self.templates = apiuser, apipass, set(templates)
        super().__init__(port)

    def _reply(self, error, desc, body=None):
        if error != "0":
            with self.lock:
                self.refused.append({"error": error, "body": body})
        return 200, {"RPLY": {"name": "send_sms_list", "ERROR": error, "ERROR_DESC": desc}}

    def handle_business(self, path, headers, body):
        rq = body.get("RQST") if isinstance(body, dict) else None
        if not isinstance(rq, dict) or rq.get("name") != "send_sms_list":
            return self._reply("5", "RQST.name must be send_sms_list", body)
        missing = [k for k in REQUIRED if k not in rq]
        if missing:
            return self._reply("5", "missing " + ",".join(missing), body)
        if rq["APIUSER"] != self.apiuser or rq["APIPASS"] != self.apipass:
            return self._reply("1", "authentication failed", body)
        if str(rq["TEMPLATEID"]) not in self.templates:
            return self._reply("2", "template not registered", body)
        if not PHONE.fullmatch(str(rq["MOBILELIST"])):
            return self._reply("3", "invalid MOBILELIST", body)
        params = rq["PARAMS"]
        content = params[0].get("CONTENT", "") if isinstance(params, list) and params and isinstance(params[0], dict) else ""
        if not content or rq["DATACODING"] != "0" or any(unicodedata.combining(c) for c in
                                                        unicodedata.normalize("NFKD", content)) or "đ" in content.lower():
            return self._reply("4", "content empty or not plain text for DATACODING 0", body)
        with self.lock:
            self.received.append(rq)
        return self._reply("0", "success")
