"""`motcua paygate-sim`: one small real HTTP server on 127.0.0.1 playing both payment gateways.

VNPay (INTEGRATIONS.md §2.2):
- GET /paymentv2/vpcpay.html?vnp_...&vnp_SecureHash=... : the payment page. The HMAC-SHA512 is checked
  (a bad one shows VNPay's "Sai chữ ký" page, code 70), as are the merchant, version, amount and expiry.
  The tester clicks "Thanh toán" / "Hủy giao dịch" / "Giao dịch lỗi" (ResponseCode 00 / 24 / 51).
- Then, as VNPay does: the IPN (GET <ipn_url>?vnp_...&vnp_SecureHash=..., signed the same way) is called,
  and retried (`ipn_retries`, every `ipn_retry_seconds`) while the merchant's reply is not JSON with RspCode
  00 or 02; the browser is sent to vnp_ReturnUrl with the same signed parameters.
- POST /merchant_webapi/api/transaction: querydr and refund (pipe-joined HMAC-SHA512 checked both ways;
  answers 00, 91 not found, 94 duplicate request, 97 bad checksum, 02 refund refused).
PayGov, the national payment platform (§2.1), with `Authorization: Bearer <token>`:
- POST /paygov/init (INIT, SHA-256 MaXacThuc checked) -> {"error_code":"0","message":"{\"UrlThanhToan\":...}"};
- GET /paygov/pay/<MaThamChieu>: the payment page; then CONFIRM (POST JSON, signed) to `confirm_url`, retried
  while Motcua's reply is not MaLoi "00", and the browser to `return_url?MaThamChieu=...`;
- POST /paygov/query (QUERY: TrangThaiGD 1 paid, 3 pending, 4 failed), POST /paygov/bill (GET_BILL: a PDF).
Failure modes, POST /_sim/mode {"mode": M, "times": n (default: until reset)}:
  down (every gateway request dropped), bad_signature (IPN/CONFIRM/return signed with a wrong key),
  wrong_amount (IPN/CONFIRM says 1 000 đ more), duplicate (the IPN/CONFIRM sent `copies` times at once,
  default 2), no_ipn (return only), pending (PayGov: the transaction stays at TrangThaiGD 3 until
  POST /_sim/settle {"reference", "outcome": "paid"|"failed", "notify": bool}).
Control: GET /_sim/state, POST /_sim/pay {"reference","action": pay|cancel|fail} (a tester's click, answers
{"return_url"}), POST /_sim/resend {"reference"} (the same notification again), POST /_sim/reset.
Tests run it in-process on a free port: `PaygateSim(...).start()`.
"""
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from html import escape
from http.server import BaseHTTPRequestHandler

from motcua.integrations.simserver import LocalServer
from motcua.worktime import TZ

from .contrib.paygov import signing as pg
from .contrib.vnpay import signing as vn

MODES = ("ok", "down", "bad_signature", "wrong_amount", "duplicate", "no_ipn", "pending")
FINAL_VNPAY = ("00", "02")
VNPAY_CODES = {"pay": ("00", "00"), "cancel": ("24", "02"), "fail": ("51", "02")}
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
               b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def now_vn():
    return datetime.now(TZ).strftime("%Y%m%d%H%M%S")


class State:
    def __init__(self, *, tmn_code="MOTCUA01", hash_secret="vnpay-secret", ipn_url="", partner_code="MOTCUA",
                 secret_key="paygov-secret", access_token="paygov-token", confirm_url="", return_url="",
                 ipn_retries=3, ipn_retry_seconds=1.0, ipn_timeout=30.0):
        self.lock = threading.RLock()
        self.tmn_code, self.hash_secret, self.ipn_url = tmn_code, hash_secret, ipn_url
        self.partner_code, self.secret_key, self.access_token = partner_code, secret_key, access_token
        self.confirm_url, self.return_url = confirm_url, return_url
        self.ipn_retries, self.ipn_retry_seconds, self.ipn_timeout = ipn_retries, ipn_retry_seconds, ipn_timeout
        self.reset()

    def reset(self):
        with self.lock:
            self.txns = {}             # reference -> dict
            self.calls = []            # what Motcua sent (init, querydr, refund, query, bill) with checks
            self.notifications = []    # every IPN/CONFIRM sent: {reference, attempt, status, reply}
            self.request_ids = set()
            self.mode, self.mode_times, self.copies = "ok", None, 2

    def take_mode(self, *applies_to):
        with self.lock:
            mode = self.mode
            if mode == "ok" or (applies_to and mode not in applies_to):
                return "ok"
            if self.mode_times is not None:
                self.mode_times -= 1
                if self.mode_times <= 0:
                    self.mode, self.mode_times = "ok", None
            return mode

    def snapshot(self):
        with self.lock:
            return {"mode": self.mode, "txns": {k: {x: v[x] for x in ("gateway", "amount", "status", "txn_no")}
                                                for k, v in self.txns.items()},
                    "calls": len(self.calls), "notifications": list(self.notifications)}


class Handler(BaseHTTPRequestHandler):
    server_version = "Paygate-sim/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    @property
    def state(self):
        return self.server.state

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, status, obj=None, raw=None, ctype="application/json; charset=utf-8", headers=None):
        data = raw if raw is not None else json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _html(self, status, title, body):
        page = (f"<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
                f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>")
        return self._send(status, raw=page.encode(), ctype="text/html; charset=utf-8")

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    # ------------------------------------------------------------ routing
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/_sim/state":
            return self._send(200, self.state.snapshot())
        if self.state.take_mode("down") == "down":
            return self._drop()
        if url.path == "/paymentv2/vpcpay.html":
            return self._vnpay_page(dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True)))
        if url.path.startswith("/paygov/pay/"):
            return self._paygov_page(urllib.parse.unquote(url.path[len("/paygov/pay/"):]))
        return self._send(404, {"error": "not_found"})

    def do_POST(self):
        url = urllib.parse.urlparse(self.path)
        body = self._body()
        if url.path.startswith("/_sim/"):
            return self._control(url.path, body)
        if self.state.take_mode("down") == "down":
            return self._drop()
        if url.path.startswith("/_pay/"):
            form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
            ref = urllib.parse.unquote(url.path[len("/_pay/"):])
            target = self.server.sim.act(ref, form.get("action", ""))
            if target is None:
                return self._html(404, "Không tìm thấy giao dịch", "<p>Giao dịch không tồn tại hoặc đã xử lý.</p>")
            return self._send(303, raw=b"", headers={"Location": target})
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return self._send(400, {"error": "bad_json"})
        if url.path == "/merchant_webapi/api/transaction":
            return self._send(200, self._vnpay_api(data))
        if url.path in ("/paygov/init", "/paygov/query", "/paygov/bill"):
            if self.headers.get("Authorization") != f"Bearer {self.state.access_token}":
                return self._send(401, {"error_code": "401", "message": "Access token không hợp lệ"})
            return getattr(self, "_paygov_" + url.path.rsplit("/", 1)[1])(data)
        return self._send(404, {"error": "not_found"})

    def _control(self, path, body):
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return self._send(400, {"error": "bad_json"})
        sim, s = self.server.sim, self.state
        if path == "/_sim/mode":
            if data.get("mode", "ok") not in MODES:
                return self._send(400, {"error": "unknown_mode", "modes": MODES})
            sim.mode(data.get("mode", "ok"), data.get("times"), data.get("copies"))
        elif path == "/_sim/pay":
            return self._send(200, {"return_url": sim.act(data.get("reference", ""), data.get("action", "pay"))})
        elif path == "/_sim/settle":
            return self._send(200, {"ok": sim.settle(data.get("reference", ""), data.get("outcome", "paid"),
                                                     notify=bool(data.get("notify", True)))})
        elif path == "/_sim/resend":
            return self._send(200, {"sent": sim.resend(data.get("reference", ""))})
        elif path == "/_sim/reset":
            s.reset()
        else:
            return self._send(404, {"error": "not_found"})
        return self._send(200, {"ok": True, "mode": s.mode})

    # ------------------------------------------------------------ VNPay
    def _vnpay_page(self, params):
        s = self.state
        problems = []
        if params.get("vnp_TmnCode") != s.tmn_code:
            problems.append("02: Merchant không hợp lệ")
        elif not vn.valid_params(s.hash_secret, params):
            problems.append("70: Sai chữ ký")
        for key in ("vnp_Version", "vnp_Command", "vnp_Amount", "vnp_CreateDate", "vnp_CurrCode", "vnp_IpAddr",
                    "vnp_Locale", "vnp_OrderInfo", "vnp_OrderType", "vnp_ReturnUrl", "vnp_TxnRef", "vnp_ExpireDate"):
            if not params.get(key):
                problems.append(f"03: Thiếu tham số {key}")
        if params.get("vnp_Version") != "2.1.0" or params.get("vnp_Command") != "pay":
            problems.append("03: Sai phiên bản hoặc lệnh")
        amount = params.get("vnp_Amount", "")
        if not amount.isdigit() or int(amount) % 100 or int(amount) <= 0:
            problems.append("03: Số tiền không hợp lệ")
        if params.get("vnp_ExpireDate", "") and params["vnp_ExpireDate"] < now_vn():
            problems.append("11: Giao dịch đã hết hạn")
        ref = params.get("vnp_TxnRef", "")
        with s.lock:
            known = s.txns.get(ref)
            if known and known["status"] != "new":
                problems.append("01: Giao dịch đã tồn tại")
            if not problems:
                s.txns.setdefault(ref, {"gateway": "vnpay", "reference": ref, "amount": int(amount) // 100,
                                        "status": "new", "txn_no": "", "return_url": params["vnp_ReturnUrl"],
                                        "order_info": params["vnp_OrderInfo"], "create_date": params["vnp_CreateDate"],
                                        "pay_date": "", "refunded": 0, "last": None})
        if problems:
            return self._html(400, "Thông báo lỗi", "".join(f"<p class=\"error\">{escape(p)}</p>" for p in problems))
        return self._pay_form("VNPAY", ref, int(amount) // 100, params["vnp_OrderInfo"])

    def _pay_form(self, brand, ref, amount, info):
        form = (f"<dl><dt>Mã giao dịch</dt><dd id=\"ref\">{escape(ref)}</dd><dt>Số tiền</dt>"
                f"<dd id=\"amount\">{amount:,} VND</dd>".replace(",", ".") + f"<dt>Nội dung</dt><dd>{escape(info)}</dd></dl>"
                f"<form method=\"post\" action=\"/_pay/{urllib.parse.quote(ref)}\">"
                "<button name=\"action\" value=\"pay\" id=\"sim-pay\">Thanh toán</button> "
                "<button name=\"action\" value=\"cancel\" id=\"sim-cancel\">Hủy giao dịch</button> "
                "<button name=\"action\" value=\"fail\" id=\"sim-fail\">Giao dịch lỗi</button></form>")
        return self._html(200, f"{brand} — Cổng thanh toán (mô phỏng)", form)

    def _vnpay_api(self, data):
        s = self.state
        command = data.get("vnp_Command")
        fields, answer_fields = ((vn.QUERYDR_FIELDS, vn.QUERYDR_ANSWER_FIELDS) if command == "querydr"
                                 else (vn.REFUND_FIELDS, vn.REFUND_ANSWER_FIELDS))
        valid = vn.valid_pipe(s.hash_secret, data, fields)
        rid = str(data.get("vnp_RequestId", ""))
        with s.lock:
            s.calls.append({"gateway": "vnpay", "command": command, "valid": valid, "data": data})
            answer = {"vnp_ResponseId": secrets.token_hex(16), "vnp_Command": command, "vnp_TmnCode": s.tmn_code,
                      "vnp_TxnRef": data.get("vnp_TxnRef", "")}
            if command not in ("querydr", "refund"):
                answer.update(vnp_ResponseCode="99", vnp_Message="Unknown command")
            elif not valid or data.get("vnp_TmnCode") != s.tmn_code:
                answer.update(vnp_ResponseCode="97", vnp_Message="Invalid checksum")
            elif rid in s.request_ids:
                answer.update(vnp_ResponseCode="94", vnp_Message="Duplicate request")
            else:
                s.request_ids.add(rid)
                t = s.txns.get(data.get("vnp_TxnRef", ""))
                if t is None or t["gateway"] != "vnpay":
                    answer.update(vnp_ResponseCode="91", vnp_Message="Transaction not found")
                elif command == "querydr":
                    status = {"paid": "00", "new": "01", "failed": "02", "cancelled": "02"}.get(t["status"], "01")
                    answer.update(vnp_ResponseCode="00", vnp_Message="Query success", vnp_Amount=str(t["amount"] * 100),
                                  vnp_BankCode="NCB" if t["txn_no"] else "", vnp_PayDate=t["pay_date"],
                                  vnp_TransactionNo=t["txn_no"], vnp_TransactionType="01",
                                  vnp_TransactionStatus=status, vnp_OrderInfo=t["order_info"])
                else:
                    amount = int(str(data.get("vnp_Amount") or 0)) // 100
                    if t["status"] != "paid" or amount <= 0 or t["refunded"] + amount > t["amount"]:
                        answer.update(vnp_ResponseCode="02", vnp_Message="Refund refused")
                    else:
                        t["refunded"] += amount
                        answer.update(vnp_ResponseCode="00", vnp_Message="Refund success",
                                      vnp_Amount=str(amount * 100), vnp_BankCode="NCB", vnp_PayDate=now_vn(),
                                      vnp_TransactionNo=t["txn_no"], vnp_TransactionType=data.get("vnp_TransactionType"),
                                      vnp_TransactionStatus="05", vnp_OrderInfo=data.get("vnp_OrderInfo", ""))
        answer.setdefault("vnp_Message", "")
        answer["vnp_SecureHash"] = vn.sign_pipe(s.hash_secret, answer, answer_fields)
        return answer

    # ------------------------------------------------------------ PayGov
    def _paygov_init(self, data):
        s = self.state
        valid = pg.valid(s.secret_key, data, pg.INIT_FIELDS)
        with s.lock:
            s.calls.append({"gateway": "paygov", "command": "INIT", "valid": valid, "data": data})
        problems = []
        if not valid:
            problems.append("Sai mã xác thực")
        if data.get("LoaiBanTin") != "INIT" or data.get("PhienBan") != "1.0.6" or data.get("MaDoiTac") != s.partner_code:
            problems.append("Sai loại bản tin, phiên bản hoặc mã đối tác")
        for k, v in {"LoaiHinhThanhToan": "PAY", "MaKenhThanhToan": "1", "MaThietBi": "1", "NgonNgu": "vi-VN",
                     "MaTienTe": "VND", "MaNganHang": "PAYMENT"}.items():
            if data.get(k) != v:
                problems.append(f"Sai {k}")
        amount = data.get("SoTien")
        if not isinstance(amount, int) or amount <= 0:
            problems.append("Số tiền không hợp lệ")
        bill = data.get("ThongTinBienLai") or {}
        if isinstance(amount, int) and sum(int(x.get("SoTien", 0)) for x in bill.get("PhiLePhi") or []) != amount:
            problems.append("Tổng phí, lệ phí khác số tiền")
        ref = str(data.get("MaThamChieu", ""))
        with s.lock:
            if ref in s.txns:
                problems.append("Mã tham chiếu đã tồn tại")
            if problems:
                return self._send(200, {"error_code": "-1", "message": "; ".join(problems)})
            s.txns[ref] = {"gateway": "paygov", "reference": ref, "amount": amount, "status": "new", "txn_no": "",
                           "return_url": s.return_url, "order_info": data.get("ThongTinGiaoDich", ""),
                           "create_date": data.get("ThoiGianGD", ""), "pay_date": "", "refunded": 0, "last": None,
                           "bill": bill}
        host, port = self.server.server_address[:2]
        url = f"http://{host}:{port}/paygov/pay/{urllib.parse.quote(ref)}"
        return self._send(200, {"error_code": "0", "message": json.dumps({"UrlThanhToan": url, "MaThamChieu": ref})})

    def _paygov_page(self, ref):
        with self.state.lock:
            t = self.state.txns.get(ref)
        if t is None or t["gateway"] != "paygov" or t["status"] != "new":
            return self._html(404, "Không tìm thấy giao dịch", "<p>Giao dịch không tồn tại hoặc đã xử lý.</p>")
        return self._pay_form("Nền tảng thanh toán DVCQG", ref, t["amount"], t["order_info"])

    def _paygov_query(self, data):
        s = self.state
        valid = pg.valid(s.secret_key, data, pg.QUERY_FIELDS) and data.get("LoaiBanTin") == "QUERY"
        with s.lock:
            s.calls.append({"gateway": "paygov", "command": "QUERY", "valid": valid, "data": data})
            if not valid:
                return self._send(200, {"error_code": "-1", "message": "Sai mã xác thực"})
            t = s.txns.get(str(data.get("MaThamChieu", "")))
            if t is None or t["gateway"] != "paygov":
                return self._send(200, {"error_code": "-2", "message": "Không tìm thấy giao dịch"})
            state = {"paid": "1", "failed": "4", "cancelled": "4"}.get(t["status"], "3")
            inner = {"MaThamChieu": t["reference"], "TrangThaiGD": state, "SoTien": t["amount"],
                     "MaGiaoDich": t["txn_no"]}
        return self._send(200, {"error_code": "0", "message": json.dumps(inner)})

    def _paygov_bill(self, data):
        s = self.state
        valid = pg.valid(s.secret_key, data, pg.QUERY_FIELDS) and data.get("LoaiBanTin") == "GET_BILL"
        with s.lock:
            s.calls.append({"gateway": "paygov", "command": "GET_BILL", "valid": valid, "data": data})
            t = s.txns.get(str(data.get("MaThamChieu", "")))
        if not valid or t is None or t["status"] != "paid":
            return self._send(200, {"error_code": "-1", "message": "Không có biên lai"})
        return self._send(200, raw=MINIMAL_PDF, ctype="application/pdf")


class PaygateSim(LocalServer):
    """In-process handle: start(), url, state, mode(), act(), settle(), resend(), stop()."""

    def __init__(self, host="127.0.0.1", port=0, **state_kwargs):
        super().__init__(Handler, State(**state_kwargs), host, port)
        self.server.sim = self
        self._pool = ThreadPoolExecutor(max_workers=32)
        self._timers = []
        self._stopped = False

    def stop(self):
        self._stopped = True
        for timer in list(self._timers):
            timer.cancel()
        super().stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def mode(self, mode, times=None, copies=None):
        with self.state.lock:
            self.state.mode, self.state.mode_times = mode, times
            if copies:
                self.state.copies = int(copies)

    # ------------------------------------------------------------ the tester's click and what follows
    def act(self, reference, action):
        """Pay / cancel / fail a transaction as the tester's click does; sends the notification(s) and
        returns the URL the browser is sent to (None for an unknown or finished transaction)."""
        s = self.state
        if action not in VNPAY_CODES:
            return None
        with s.lock:
            t = s.txns.get(reference)
            if t is None or t["status"] != "new":
                return None
            mode = s.take_mode("bad_signature", "wrong_amount", "duplicate", "no_ipn", "pending")
            copies = s.copies
            if mode == "pending" and t["gateway"] == "paygov" and action == "pay":
                t["status"] = "pending"
                return f"{t['return_url']}?{urllib.parse.urlencode({'MaThamChieu': reference})}"
            t["status"] = {"pay": "paid", "cancel": "cancelled", "fail": "failed"}[action]
            if action == "pay":
                t["txn_no"] = str(10_000_000 + secrets.randbelow(89_999_999))
                t["pay_date"] = now_vn()
            t["last"] = (action, mode)
        return self._notify(t, action, mode, copies)

    def settle(self, reference, outcome, notify=True):
        """A pending transaction settles later (PayGov TrangThaiGD 3 -> 1 or 4)."""
        with self.state.lock:
            t = self.state.txns.get(reference)
            if t is None or t["status"] not in ("pending", "new"):
                return False
            action = "pay" if outcome == "paid" else "fail"
            t["status"] = "paid" if action == "pay" else "failed"
            if action == "pay":
                t["txn_no"], t["pay_date"] = str(10_000_000 + secrets.randbelow(89_999_999)), now_vn()
            t["last"] = (action, "ok")
        if notify:
            self._notify(t, action, "ok", 1)
        else:       # the notification was lost on the way: kept for a later resend
            with self.state.lock:
                t["payload"] = self._payload(t, action, "ok")
        return True

    def resend(self, reference):
        with self.state.lock:
            t = self.state.txns.get(reference)
            last = t and t["last"]
        if not last:
            return False
        self._send_notification(t, self._payload(t, last[0], last[1]), 1)
        return True

    def _payload(self, t, action, mode):
        s = self.state
        amount = t["amount"] + (1000 if mode == "wrong_amount" else 0)
        if t["gateway"] == "vnpay":
            code, status = VNPAY_CODES[action]
            params = {"vnp_Amount": str(amount * 100), "vnp_BankCode": "NCB", "vnp_CardType": "ATM",
                      "vnp_OrderInfo": t["order_info"], "vnp_PayDate": t["pay_date"] or now_vn(),
                      "vnp_ResponseCode": code, "vnp_TmnCode": s.tmn_code, "vnp_TransactionNo": t["txn_no"] or "0",
                      "vnp_TransactionStatus": status, "vnp_TxnRef": t["reference"]}
            if t["txn_no"]:
                params["vnp_BankTranNo"] = "VNP" + t["txn_no"]
            secret = s.hash_secret if mode != "bad_signature" else "not-the-secret"
            return {"query": vn.signed_query(secret, params)}
        body = {"LoaiBanTin": "CONFIRM", "MaLoi": "00" if action == "pay" else "99", "MaDoiTac": s.partner_code,
                "MaThamChieu": t["reference"], "SoTien": amount, "MaTienTe": "VND", "MaGiaoDich": t["txn_no"],
                "MaNganHang": "PAYMENT", "ThoiGianGD": t["pay_date"] or now_vn(), "ThongTinGiaoDich": t["order_info"]}
        secret = s.secret_key if mode != "bad_signature" else "not-the-secret"
        body["MaXacThuc"] = pg.checksum(secret, body, pg.CONFIRM_FIELDS)
        return {"json": body}

    def notification(self, reference):
        """The last IPN query string (VNPay) or CONFIRM body (PayGov) made for a transaction, as sent."""
        with self.state.lock:
            t = self.state.txns.get(reference)
            return dict(t["payload"]) if t and t.get("payload") else None

    def _notify(self, t, action, mode, copies):
        payload = self._payload(t, action, mode)
        with self.state.lock:
            t["payload"] = payload
        if mode != "no_ipn":
            n = copies if mode == "duplicate" else 1
            if n > 1:
                futures = [self._pool.submit(self._send_notification, t, payload, 1) for _i in range(n)]
                for f in futures:
                    f.result()
            else:
                self._send_notification(t, payload, 1)
        if t["gateway"] == "vnpay":
            return f"{t['return_url']}?{payload['query']}"
        return f"{t['return_url']}?{urllib.parse.urlencode({'MaThamChieu': t['reference']})}"

    def _send_notification(self, t, payload, attempt):
        """One IPN / CONFIRM; retried in the background while the merchant's answer is not final."""
        s = self.state
        if t["gateway"] == "vnpay":
            url, req = s.ipn_url, None
            if url:
                req = urllib.request.Request(f"{url}?{payload['query']}", method="GET")
        else:
            url = s.confirm_url
            req = urllib.request.Request(url, data=json.dumps(payload["json"], ensure_ascii=False).encode(),
                                         method="POST", headers={"Content-Type": "application/json"}) if url else None
        status, reply, text = None, None, "no notification URL"
        if req is not None:
            try:
                with urllib.request.urlopen(req, timeout=s.ipn_timeout) as resp:
                    status, text = resp.status, resp.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as exc:
                status, text = exc.code, ""
            except OSError as exc:
                status, text = None, str(exc)
            try:
                reply = json.loads(text)
            except ValueError:
                reply = None
        final = isinstance(reply, dict) and (
            reply.get("RspCode") in FINAL_VNPAY if t["gateway"] == "vnpay" else reply.get("MaLoi") == "00")
        entry = {"reference": t["reference"], "gateway": t["gateway"], "attempt": attempt, "status": status,
                 "error": text if status is None else "",
                 "reply": reply, "at": time.time()}
        if t["gateway"] == "paygov" and isinstance(reply, dict) and "MaXacThuc" in reply:
            entry["reply_valid"] = pg.valid(s.secret_key, reply, pg.DEFAULT_REPLY_FIELDS)
        with s.lock:
            s.notifications.append(entry)
        if not final and req is not None and attempt <= s.ipn_retries and not self._stopped:
            timer = threading.Timer(s.ipn_retry_seconds, self._send_notification, args=(t, payload, attempt + 1))
            timer.daemon = True
            self._timers.append(timer)
            timer.start()
        return entry
