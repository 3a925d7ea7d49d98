"""`motcua datastore-sim`: DVCQG's digitised-results store on 127.0.0.1 for tests and the demo.

POST /GetKetQuaGiayTo checks every request field (owner and requester ID numbers of 12 digits, requester name,
KenhThucHien "1" or "2", MaThuTuc, a non-empty DanhSachDanhMucKetQua of {MaKetQua, SoKyHieu}) and answers
{errorCode, message, signature, result: {DanhSachGiayToKetQua: [...]}} with the owner's documents of those
result codes (and that number/symbol when one is given). POST /GetGiayToByUrl {CoQuanChuQuan, DuongDan[,
TenTep]} answers the file. A bearer token is required when the simulator has one. Every request is kept
in `state.requests`; POST /_sim/documents adds a document (JSON: owner, code, name, number, agency, file name,
base64 content)."""
import base64
import json
import re
import threading
from http.server import BaseHTTPRequestHandler

from motcua.integrations.simserver import LocalServer

ID = re.compile(r"^\d{12}$")


class State:
    def __init__(self, token=""):
        self.token = token
        self.documents = []          # dicts: owner, code, name, number, agency, files: [(name, path, bytes)]
        self.requests = []
        self.lock = threading.Lock()

    def add(self, owner, code, name, number, agency, filename, content):
        with self.lock:
            path = f"/kho/{owner}/{len(self.documents) + 1}/{filename}"
            self.documents.append({"owner": owner, "code": code, "name": name, "number": number, "agency": agency,
                                   "files": [(filename, path, bytes(content))]})
            return path


def problems_of(body):
    p = []
    if not isinstance(body, dict):
        return ["body: not_an_object"]
    for name in ("SoDinhDanhChuSoHuu", "SoDinhDanhNguoiYeuCau"):
        if not ID.match(str(body.get(name) or "")):
            p.append(f"{name}: twelve_digits")
    if not str(body.get("HoTenNguoiYeuCau") or "").strip():
        p.append("HoTenNguoiYeuCau: required")
    if body.get("KenhThucHien") not in ("1", "2"):
        p.append("KenhThucHien: invalid_code")
    if not str(body.get("MaThuTuc") or "").strip():
        p.append("MaThuTuc: required")
    items = body.get("DanhSachDanhMucKetQua")
    if not isinstance(items, list) or not items:
        p.append("DanhSachDanhMucKetQua: non_empty_list")
    else:
        for i, it in enumerate(items):
            if not isinstance(it, dict) or not str(it.get("MaKetQua") or "").strip():
                p.append(f"DanhSachDanhMucKetQua[{i}].MaKetQua: required")
            elif not isinstance(it.get("SoKyHieu", ""), str):
                p.append(f"DanhSachDanhMucKetQua[{i}].SoKyHieu: not_a_string")
    return p


class Handler(BaseHTTPRequestHandler):
    server_version = "KhoDVCQG-sim/1.0"

    def log_message(self, fmt, *args):
        pass

    @property
    def state(self):
        return self.server.state

    def _send(self, status, obj=None, raw=None, ctype="application/json; charset=utf-8"):
        data = raw if raw is not None else json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            return self._send(400, {"errorCode": "-1", "message": "JSON không hợp lệ"})
        s = self.state
        if self.path == "/_sim/documents":
            path = s.add(body["owner"], body["code"], body["name"], body.get("number", ""), body.get("agency", ""),
                         body.get("filename", "giay-to.pdf"), base64.b64decode(body["content"]))
            return self._send(200, {"path": path})
        if s.token and self.headers.get("Authorization") != f"Bearer {s.token}":
            return self._send(401, {"errorCode": "401", "message": "Chưa xác thực"})
        with s.lock:
            s.requests.append({"path": self.path, "body": body})
        if self.path == "/GetKetQuaGiayTo":
            wrong = problems_of(body)
            if wrong:
                return self._send(200, {"errorCode": "-1", "message": "; ".join(wrong), "signature": "",
                                        "result": None})
            asked = {(it["MaKetQua"], it.get("SoKyHieu") or "") for it in body["DanhSachDanhMucKetQua"]}
            found = [d for d in s.documents if d["owner"] == body["SoDinhDanhChuSoHuu"]
                     and any(d["code"] == c and (not n or d["number"] == n) for c, n in asked)]
            return self._send(200, {"errorCode": "0", "message": "Thành công", "signature": "", "result": {
                "DanhSachGiayToKetQua": [{"MaKetQua": d["code"], "TenGiayTo": d["name"], "SoKyHieu": d["number"],
                                          "CoQuanChuQuan": d["agency"],
                                          "DanhSachTepDinhKem": [{"TenTep": n, "DuongDan": p} for n, p, _b in d["files"]]}
                                         for d in found]}})
        if self.path == "/GetGiayToByUrl":
            if not isinstance(body, dict) or not body.get("DuongDan") or not body.get("CoQuanChuQuan"):
                return self._send(200, {"errorCode": "-1", "message": "Thiếu CoQuanChuQuan hoặc DuongDan"})
            for d in s.documents:
                for _n, p, content in d["files"]:
                    if p == body["DuongDan"] and d["agency"] == body["CoQuanChuQuan"]:
                        return self._send(200, raw=content, ctype="application/pdf")
            return self._send(404, {"errorCode": "-2", "message": "Không tìm thấy tệp"})
        return self._send(404, {"errorCode": "-1", "message": f"Dịch vụ không tồn tại: {self.path}"})


class Simulator(LocalServer):
    def __init__(self, host="127.0.0.1", port=0, token=""):
        super().__init__(Handler, State(token), host, port)
