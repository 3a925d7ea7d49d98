"""A local national exchange platform for tests and `motcua exchange-sim`: systems (id, secret, the agency
codes they serve) send messages addressed to agency codes and pull what is addressed to theirs. Loopback only.

    POST /sendEdoc            headers systemid, secret, from, to (codes, comma-separated), messagetype
    GET  /getReceivedEdocList  -> {"status": "OK", "data": [{"docId", "from", "messagetype"}]}
    GET  /getEdoc?docId=...    -> the message bytes
    POST /updateStatus         {"docId", "status": "done"|"fail"|"processing"}
    GET  /_sim/state           -> counts (tests)
"""
import json
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler

from motcua.integrations.simserver import LocalServer


class State:
    def __init__(self, systems):
        self.systems = {sid: {"secret": secret, "agencies": set(codes)} for sid, (secret, codes) in systems.items()}
        self.messages = {}
        self.lock = threading.Lock()

    def owner(self, code):
        return next((sid for sid, s in self.systems.items() if code in s["agencies"]), None)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, status, payload, ctype="application/json"):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _system(self):
        state = self.server.state
        sid = self.headers.get("systemid", "")
        s = state.systems.get(sid)
        if s is None or s["secret"] != self.headers.get("secret", ""):
            self._answer(401, {"status": "FAIL", "error": "unauthorised"})
            return None
        return sid

    def do_POST(self):
        sid = self._system()
        if sid is None:
            return
        state = self.server.state
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        path = urllib.parse.urlsplit(self.path).path
        if path == "/sendEdoc":
            sender = self.headers.get("from", "")
            if sender not in state.systems[sid]["agencies"]:
                return self._answer(403, {"status": "FAIL", "error": "sender_not_of_system"})
            ids = []
            with state.lock:
                for code in [c for c in self.headers.get("to", "").split(",") if c]:
                    owner = state.owner(code)
                    if owner is None:
                        return self._answer(422, {"status": "FAIL", "error": "unknown_recipient", "code": code})
                    doc_id = uuid.uuid4().hex
                    state.messages[doc_id] = {"to_system": owner, "to": code, "from": sender, "body": body,
                                              "messagetype": self.headers.get("messagetype", "edoc"), "status": "new"}
                    ids.append(doc_id)
            return self._answer(200, {"status": "OK", "docId": ",".join(ids)})
        if path == "/updateStatus":
            try:
                data = json.loads(body)
            except ValueError:
                return self._answer(400, {"status": "FAIL", "error": "invalid_json"})
            msg = state.messages.get(data.get("docId"))
            if msg is None or msg["to_system"] != sid or data.get("status") not in ("done", "fail", "processing"):
                return self._answer(404, {"status": "FAIL", "error": "not_found"})
            msg["status"] = data["status"]
            return self._answer(200, {"status": "OK"})
        self._answer(404, {"status": "FAIL"})

    def do_GET(self):
        state = self.server.state
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/_sim/state":
            counts = {}
            for m in list(state.messages.values()):
                counts[m["status"]] = counts.get(m["status"], 0) + 1
            return self._answer(200, {"messages": len(state.messages), "by_status": counts})
        sid = self._system()
        if sid is None:
            return
        if parts.path == "/getReceivedEdocList":
            data = [{"docId": k, "from": m["from"], "messagetype": m["messagetype"]}
                    for k, m in list(state.messages.items()) if m["to_system"] == sid and m["status"] == "new"]
            return self._answer(200, {"status": "OK", "data": data})
        if parts.path == "/getEdoc":
            doc_id = urllib.parse.parse_qs(parts.query).get("docId", [""])[0]
            msg = state.messages.get(doc_id)
            if msg is None or msg["to_system"] != sid:
                return self._answer(404, {"status": "FAIL", "error": "not_found"})
            return self._answer(200, msg["body"], "application/xml")
        self._answer(404, {"status": "FAIL"})


def start(systems, host="127.0.0.1", port=0):
    """systems: {system id: (secret, [agency codes])}. Returns the started LocalServer."""
    return LocalServer(Handler, State(systems), host, port).start()
