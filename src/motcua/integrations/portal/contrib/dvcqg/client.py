"""The HTTP protocol to DVCQG, both ways real gateways authenticate:

- `session`: the classic adapter (OpenCPS): POST {url}{auth_endpoint} {"username","password"} with header
  `dstcode` -> {"error_code":0,"session":"..."}; every call POSTs {"session","madonvi","service",...} to
  {url}{integration_endpoint}.
- `lgsp`: OAuth2 client credentials through an LGSP/NGSP gateway (WSO2 style): POST {url}/token
  grant_type=client_credentials -> bearer token, cached per process and refreshed before it expires; each
  service is POST {url}/dvcqg/<Service>?MaDinhDanhDV=...&isUpdating=... with the JSON array as body.

Every failure becomes a Transient (retry later) or Permanent (the content was refused) error with a clear
reason: refused connection, timeout, TLS error, HTML or garbage or truncated answer, 5xx, a token
endpoint that says no. A 401 refreshes the session/token once and retries the call once.
"""
import http.client
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from motcua.integrations.portal.base import Permanent, Transient

_tokens = {}            # (auth kind, url, client) -> (token, expires_at monotonic)
_tokens_lock = threading.Lock()
REFRESH_MARGIN = 60     # seconds before expiry a bearer token is renewed


class AlreadyExists(Exception):
    pass


class Unauthorized(Exception):
    pass


@dataclass
class Config:
    url: str
    auth: str = "lgsp"
    client_id: str = ""
    client_secret: str = ""
    username: str = ""
    password: str = ""
    dstcode: str = ""
    auth_endpoint: str = "/adapter/auth"
    integration_endpoint: str = "/adapter/integration"
    share_endpoint: str = "/adapter/share"      # dictionaries and procedure cards (OpenCPS getSharingData)
    timeout: float = 30.0
    ca_file: str = ""

    @classmethod
    def from_settings(cls):
        conf = dict(getattr(settings, "MOTCUA_DVCQG", {}))
        return cls(**{k: v for k, v in conf.items() if k in cls.__dataclass_fields__})


def _short(text, n=200):
    """One line, printable (a NUL byte from a garbage answer cannot be stored in PostgreSQL text)."""
    text = " ".join("".join(ch if ch.isprintable() else "\ufffd" for ch in (text or "")).split())
    return text if len(text) <= n else text[:n] + "…"


def http_post(url, body, headers, conf):
    """POST; returns (status, content_type, text). Network-level failures raise Transient."""
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    ctx = ssl.create_default_context(cafile=conf.ca_file or None) if url.startswith("https") else None
    try:
        with urllib.request.urlopen(req, timeout=conf.timeout, context=ctx) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        try:
            text = exc.read().decode("utf-8", "replace")
        except Exception:   # noqa: BLE001 - a broken error body is still an HTTP error
            text = ""
        return exc.code, exc.headers.get("Content-Type", "") if exc.headers else "", text
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ssl.SSLError):
            raise Transient(f"Lỗi TLS khi kết nối {url}: {reason}", code="tls_error") from exc
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise Transient(f"Hết thời gian chờ ({conf.timeout:g} s) khi kết nối {url}", code="timeout") from exc
        raise Transient(f"Không kết nối được {url}: {reason}", code="connection_failed") from exc
    except ssl.SSLError as exc:
        raise Transient(f"Lỗi TLS khi kết nối {url}: {exc}", code="tls_error") from exc
    except (socket.timeout, TimeoutError) as exc:
        raise Transient(f"Hết thời gian chờ ({conf.timeout:g} s) từ {url}", code="timeout") from exc
    except (http.client.HTTPException, ConnectionError, OSError) as exc:
        raise Transient(f"Kết nối tới {url} bị ngắt: {type(exc).__name__} {exc}", code="connection_broken") from exc


def parse_answer(status, content_type, text, url):
    """The JSON answer, or a Transient/Permanent error saying what was wrong with it."""
    if status == 401:
        raise Unauthorized(_short(text))
    if status >= 500 or status in (408, 429):
        raise Transient(f"{url} trả lời HTTP {status}: {_short(text)}", code=f"http_{status}")
    stripped = text.lstrip()
    if "html" in content_type.lower() or stripped[:1] == "<":
        raise Transient(f"{url} trả lời HTML thay vì JSON (HTTP {status}): {_short(text)}", code="html_answer")
    try:
        data = json.loads(text)
    except ValueError:
        raise Transient(f"{url} trả lời không phải JSON hợp lệ (có thể bị cắt cụt, HTTP {status}): {_short(text)}",
                        code="garbage_answer") from None
    if status >= 400:
        message = data.get("message") if isinstance(data, dict) else None
        raise Permanent(f"{url} từ chối (HTTP {status}): {message or _short(text)}", code=f"http_{status}")
    if not isinstance(data, dict) or "error_code" not in data:
        raise Transient(f"{url} trả lời JSON không đúng mẫu (thiếu error_code): {_short(text)}", code="bad_answer")
    return data


def check_result(data, url):
    code = str(data.get("error_code"))
    message = str(data.get("message") or "")
    if code == "0":
        return data
    if code in ("3", "-3") and "tồn tại" in message:
        raise AlreadyExists(message)
    if code in ("-401", "401"):
        raise Unauthorized(message)
    if code.startswith("5") or code == "-500":
        raise Transient(f"{url} lỗi máy chủ (error_code {code}): {message}", code="remote_error")
    raise Permanent(f"Cổng DVCQG từ chối (error_code {code}): {message}", code="rejected")


class Client:
    def __init__(self, conf=None):
        self.conf = conf or Config.from_settings()
        if not self.conf.url:
            raise Transient("Chưa cấu hình địa chỉ Cổng DVCQG (MOTCUA_DVCQG_URL).", code="not_configured")
        if self.conf.auth not in ("lgsp", "session"):
            raise Permanent(f"Kiểu xác thực không hỗ trợ: {self.conf.auth}", code="bad_config")

    # ------------------------------------------------------------ auth
    def _key(self):
        c = self.conf
        return (c.auth, c.url, c.client_id or c.username)

    def _credential(self, refresh=False):
        key = self._key()
        now = time.monotonic()
        with _tokens_lock:
            cached = _tokens.get(key)
            if cached and not refresh and cached[1] - REFRESH_MARGIN > now:
                return cached[0]
        token, lifetime = self._login()
        with _tokens_lock:
            _tokens[key] = (token, now + lifetime)
        return token

    def _login(self):
        c = self.conf
        if c.auth == "lgsp":
            url = c.url.rstrip("/") + "/token"
            body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": c.client_id,
                                           "client_secret": c.client_secret}).encode()
            status, ctype, text = http_post(url, body, {"Content-Type": "application/x-www-form-urlencoded"}, c)
            if status in (400, 401, 403):
                raise Transient(f"Máy chủ cấp token từ chối (HTTP {status}): {_short(text)}", code="token_refused")
            try:
                data = json.loads(text) if status < 500 and "html" not in ctype.lower() else None
            except ValueError:
                data = None
            if status >= 300 or not isinstance(data, dict) or not data.get("access_token"):
                raise Transient(f"Không lấy được token từ {url} (HTTP {status}): {_short(text)}", code="token_failed")
            try:
                lifetime = max(int(data.get("expires_in") or 300), 1)
            except (TypeError, ValueError):
                lifetime = 300
            return str(data["access_token"]), lifetime
        url = c.url.rstrip("/") + c.auth_endpoint
        body = json.dumps({"username": c.username, "password": c.password}).encode()
        status, ctype, text = http_post(url, body, {"Content-Type": "application/json", "dstcode": c.dstcode}, c)
        try:
            data = parse_answer(status, ctype, text, url)
        except Unauthorized:
            raise Transient(f"Đăng nhập adapter DVCQG bị từ chối: {_short(text)}", code="token_refused") from None
        if str(data.get("error_code")) != "0" or not data.get("session"):
            raise Transient(f"Đăng nhập adapter DVCQG bị từ chối: {data.get('message') or _short(text)}",
                            code="token_refused")
        return str(data["session"]), 30 * 60   # the adapter does not announce a lifetime; a 401 renews it

    # ------------------------------------------------------------ calls
    def _request(self, credential, service, data, params, message_id):
        c = self.conf
        headers = {"Content-Type": "application/json; charset=utf-8", "Charset": "utf-8"}
        if message_id:
            headers["X-Message-Id"] = message_id
        if c.auth == "lgsp":
            url = f"{c.url.rstrip('/')}/dvcqg/{service}"
            if params:
                url += "?" + urllib.parse.urlencode(params)
            headers["Authorization"] = f"Bearer {credential}"
            body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        else:
            url = c.url.rstrip("/") + c.integration_endpoint
            headers["dstcode"] = c.dstcode
            wrapper = {"session": credential, "madonvi": (params or {}).get("MaDinhDanhDV", ""), "service": service}
            wrapper.update({k: v for k, v in (params or {}).items() if k != "MaDinhDanhDV"})
            wrapper["data"] = data
            body = json.dumps(wrapper, ensure_ascii=False).encode("utf-8")
        status, ctype, text = http_post(url, body, headers, c)
        return check_result(parse_answer(status, ctype, text, url), url)

    def _share_request(self, credential, service, args, result_key):
        c = self.conf
        headers = {"Content-Type": "application/json; charset=utf-8", "Charset": "utf-8"}
        if c.auth == "lgsp":
            url = f"{c.url.rstrip('/')}/dvcqg/{service}"
            headers["Authorization"] = f"Bearer {credential}"
            body = json.dumps(args, ensure_ascii=False).encode("utf-8")
        else:
            url = c.url.rstrip("/") + c.share_endpoint
            headers["dstcode"] = c.dstcode
            body = json.dumps({"session": credential, "service": service, **args}, ensure_ascii=False).encode("utf-8")
        status, ctype, text = http_post(url, body, headers, c)
        return parse_share_answer(status, ctype, text, url, result_key)

    def share(self, service, args, result_key="result"):
        """A sharing (dictionary) service such as LayThuTuc: the classic adapter takes its arguments at the top
        level of the wrapper (`{"session","service","maTTHC"}`), the LGSP gateway as the JSON body.
        Same auth, same one-time renewal on 401 as `call`."""
        credential = self._credential()
        try:
            return self._share_request(credential, service, args, result_key)
        except Unauthorized:
            credential = self._credential(refresh=True)
            try:
                return self._share_request(credential, service, args, result_key)
            except Unauthorized as exc:
                raise Transient(f"Cổng DVCQG vẫn từ chối xác thực sau khi làm mới token: {exc}",
                                code="unauthorized") from None

    def call(self, service, data, params=None, message_id=None):
        """One service call; a 401 (expired token/session) renews the credential once and retries once."""
        credential = self._credential()
        try:
            return self._request(credential, service, data, params, message_id)
        except Unauthorized:
            credential = self._credential(refresh=True)
            try:
                return self._request(credential, service, data, params, message_id)
            except Unauthorized as exc:
                raise Transient(f"Cổng DVCQG vẫn từ chối xác thực sau khi làm mới token: {exc}",
                                code="unauthorized") from None


def parse_share_answer(status, content_type, text, url, result_key):
    """A sharing service's answer ({"result": [...]} in OpenCPS's LayThuTuc reading; `error_code` may be
    absent there): the answer dict, or the same Transient/Permanent errors as a business call."""
    try:
        data = parse_answer(status, content_type, text, url)
    except Transient as exc:
        if exc.code != "bad_answer":
            raise
        data = json.loads(text)
        if not isinstance(data, dict) or result_key not in data:
            raise
        return data
    return check_result(data, url)


def forget_tokens():
    with _tokens_lock:
        _tokens.clear()
