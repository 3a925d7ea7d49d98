"""Sign-in through a REAL OpenID Connect provider (django-oauth-toolkit in a second local server process,
tests/oidc_provider): the code flow with PKCE, the RS256 ID token checked against the provider's JWKS,
the claims (12-digit CCCD, full name, birth date) mapped to the account, which is marked verified.
Bad token, unverifiable signature, provider down and wrong CCCD: a Vietnamese message, nothing saved."""
import json
import socket
import subprocess
import sys
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from motcua.citizens.models import Profile

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/dang-nhap/dinh-danh/callback/"
CLAIMS = {
    "an": {"cccd": "001090012345", "name": "Nguyễn Văn An", "birthdate": "1990-02-03"},
    "binh": {"cccd": "079203001234", "name": "Trần Thị Bình", "birthdate": "2003-05-01"},
    "sai": {"cccd": "12345678", "name": "Lê Sai Số", "birthdate": "1990-01-01"},
    "lech": {"cccd": "001090012399", "name": "Phạm Lệch Năm", "birthdate": "1985-01-01"},
}


class Provider:
    def __init__(self, base, proc):
        self.base, self.proc = base, proc
        self.issuer = f"{base}/o"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    work = tmp_path_factory.mktemp("oidc")
    config = work / "config.json"
    config.write_text(json.dumps({"client_id": "motcua", "client_secret": "bi-mat-cua-motcua",
                                  "redirect_uris": [CALLBACK], "claims": CLAIMS}))
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests/oidc_provider/serve.py"), str(work / "p"), str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.kill()
        raise RuntimeError(f"OIDC provider did not start: {line} {proc.stderr.read()[-3000:]}")
    yield Provider(f"http://127.0.0.1:{int(line.split()[1])}", proc)
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def oidc(settings, provider):
    o = provider.issuer
    settings.OIDC_RP_CLIENT_ID = "motcua"
    settings.OIDC_RP_CLIENT_SECRET = "bi-mat-cua-motcua"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{o}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{o}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{o}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{o}/.well-known/jwks.json"
    settings.MOTCUA_OIDC_ISSUER = o
    settings.MOTCUA_OIDC_PROVIDER_NAME = "VNeID"
    return settings


def _authorize(client, provider, who, next_url):
    resp = client.get("/dang-nhap/dinh-danh/", {"next": next_url})
    assert resp.status_code == 302 and resp["Location"].startswith(provider.issuer + "/authorize/")
    browser = requests.Session()                 # the citizen's browser at the provider
    assert browser.get(f"{provider.base}/login-as/{who}/", timeout=10).status_code == 200
    back = browser.get(resp["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK), back.text[:500]
    return urlsplit(back.headers["Location"])


def sign_in(client, provider, who, next_url="/thu-tuc/1.009974/nop/"):
    cb = _authorize(client, provider, who, next_url)
    return client.get(cb.path + "?" + cb.query)


def _messages(resp):
    return [str(m) for m in get_messages(resp.wsgi_request)]


def test_sign_in_creates_a_verified_account_and_returns_to_the_procedure(client, province, oidc, provider):
    resp = sign_in(client, provider, "an")
    assert resp.status_code == 302 and resp["Location"] == "/thu-tuc/1.009974/nop/"
    p = Profile.objects.select_related("user").get(id_number="001090012345")
    assert p.is_verified and p.verified_by == "VNeID" and p.verified_at is not None
    assert (p.full_name, p.birth_date) == ("Nguyễn Văn An", date(1990, 2, 3))
    assert p.user.first_name == "Nguyễn Văn An" and not p.user.has_usable_password()
    assert "001090012345" not in p.user.username       # no ID number in the username shown on every page
    body = client.get("/thu-tuc/1.009974/nop/").content.decode()
    assert 'value="001090012345"' in body and 'id="verified-note"' in body
    # the same identity again signs in to the same account
    client.logout()
    sign_in(client, provider, "an")
    assert get_user_model().objects.filter(profile__id_number="001090012345").count() == 1
    assert client.get("/ho-so-cua-toi/").status_code == 200


def test_local_password_login_works_when_no_provider_is_configured(client, province, settings):
    settings.OIDC_RP_CLIENT_ID = settings.OIDC_OP_TOKEN_ENDPOINT = ""
    settings.OIDC_OP_JWKS_ENDPOINT = None
    resp = client.post("/dang-nhap/", {"username": "congdan", "password": "pw-congdan"})
    assert resp.status_code == 302 and client.session["_auth_user_id"] == str(province.citizen.pk)


def test_a_signed_in_local_account_is_bound_to_the_identity(client, province, oidc, provider):
    client.force_login(province.citizen)
    sign_in(client, provider, "binh", "/ho-so-ca-nhan/")
    p = Profile.objects.get(user=province.citizen)
    assert p.is_verified and p.id_number == "079203001234"
    # local accounts keep working with their password
    client.logout()
    resp = client.post("/dang-nhap/", {"username": "congdan", "password": "pw-congdan"})
    assert resp.status_code == 302


@pytest.mark.parametrize("who, expected", [("sai", "12 chữ số"), ("lech", "không khớp ngày sinh")])
def test_a_wrong_cccd_from_the_provider_saves_nothing(client, province, oidc, provider, who, expected):
    n_users = get_user_model().objects.count()
    resp = sign_in(client, provider, who)
    assert resp.status_code == 302 and resp["Location"] == "/dang-nhap/"
    assert any(expected in m for m in _messages(resp)), _messages(resp)
    assert get_user_model().objects.count() == n_users and not Profile.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_bad_code_is_refused_by_the_provider(client, province, oidc, provider):
    cb = _authorize(client, provider, "an", "/")
    query = parse_qs(cb.query)
    resp = client.get(cb.path, {"code": "ma-gia-mao", "state": query["state"][0]})
    assert resp["Location"] == "/dang-nhap/"
    assert any("không hợp lệ hoặc đã hết hạn" in m for m in _messages(resp))
    assert not Profile.objects.exists() and "_auth_user_id" not in client.session


@pytest.fixture
def foreign_jwks(provider):
    """A real JWKS endpoint publishing another key under the provider's key id: the provider's signature
    cannot be verified with it."""
    from jwcrypto import jwk
    kid = requests.get(f"{provider.issuer}/.well-known/jwks.json", timeout=10).json()["keys"][0]["kid"]
    other = json.loads(jwk.JWK.generate(kty="RSA", size=2048).export_public())
    body = json.dumps({"keys": [dict(other, kid=kid, alg="RS256", use="sig")]}).encode()

    class H(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/jwks.json"
    server.shutdown()


def test_an_unverifiable_token_is_refused(client, province, oidc, provider, foreign_jwks):
    oidc.OIDC_OP_JWKS_ENDPOINT = foreign_jwks
    resp = sign_in(client, provider, "an")
    assert resp["Location"] == "/dang-nhap/"
    assert any("Không xác minh được" in m for m in _messages(resp)), _messages(resp)
    assert not Profile.objects.exists() and "_auth_user_id" not in client.session


def test_a_token_for_another_client_is_refused(client, province, oidc, provider):
    oidc.MOTCUA_OIDC_ISSUER = "https://khac.example/o"
    resp = sign_in(client, provider, "an")
    assert any("Không xác minh được" in m for m in _messages(resp))
    assert not Profile.objects.exists()


def test_a_provider_that_is_down(client, province, oidc, provider):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]          # nothing listens here once the socket is closed
    cb = _authorize(client, provider, "an", "/")
    oidc.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{closed}/o/token/"
    resp = client.get(cb.path + "?" + cb.query)
    assert resp["Location"] == "/dang-nhap/"
    assert any("Không kết nối được với nhà cung cấp định danh" in m for m in _messages(resp))
    assert not Profile.objects.exists() and "_auth_user_id" not in client.session


def test_the_login_page_offers_the_provider_only_when_configured(client, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert "oidc-login" not in client.get("/dang-nhap/").content.decode()
    assert client.get("/dang-nhap/dinh-danh/").status_code == 404
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_OP_TOKEN_ENDPOINT = "motcua", "http://127.0.0.1:9/token"
    assert "oidc-login" not in client.get("/dang-nhap/").content.decode()    # no way to check signatures yet
    settings.OIDC_OP_JWKS_ENDPOINT = "http://127.0.0.1:9/jwks"
    body = client.get("/dang-nhap/?next=/thu-tuc/1.009974/nop/").content.decode()
    assert 'id="oidc-login"' in body and "next=/thu-tuc/1.009974/nop/" in body.replace("%2F", "/")
