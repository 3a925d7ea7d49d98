"""Production settings: no start with a published or weak secret key when debug is off (a fresh machine gets a
generated key under var/), HTTPS settings from the environment with `check --deploy` clean, forwarded headers
trusted only from configured proxies, and a Content-Security-Policy on every page."""
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from motcua.core.limits import resolve_client

ROOT = Path(__file__).resolve().parents[2]
STRONG = "k" * 20 + "Vx9-2f_QpL7mZt4RwY8aBn3cDe6FgHj1KsU0"

DEPLOY = {"MOTCUA_SECRET_KEY": STRONG, "MOTCUA_DEBUG": "false", "MOTCUA_ALLOWED_HOSTS": "motcua.example.gov.vn",
          "MOTCUA_SSL_REDIRECT": "true", "MOTCUA_HSTS_SECONDS": "31536000", "MOTCUA_HSTS_INCLUDE_SUBDOMAINS": "true",
          "MOTCUA_HSTS_PRELOAD": "true", "MOTCUA_SECURE_COOKIES": "true", "MOTCUA_TRUSTED_PROXIES": "10.0.0.0/8"}


def motcua(tmp_path, *args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_"))}
    base.update(MOTCUA_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **env)
    return subprocess.run([sys.executable, "-m", "motcua.cli", *args], env=base, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


PRINT_KEY = ("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")


@pytest.mark.parametrize("key", ["dev-only-insecure-key-change-me", "short-key", "django-insecure-" + "x" * 50])
def test_refuses_to_start_with_the_development_or_a_weak_key_when_debug_is_off(tmp_path, key):
    run = motcua(tmp_path, *PRINT_KEY, MOTCUA_SECRET_KEY=key, MOTCUA_DEBUG="false")
    assert run.returncode != 0
    assert "refusing to start" in run.stderr and key not in run.stdout
    # with debug on (a developer's machine) it starts
    assert motcua(tmp_path, *PRINT_KEY, MOTCUA_SECRET_KEY=key, MOTCUA_DEBUG="true").stdout.strip() == key


def test_without_a_key_one_is_generated_once_under_var_and_kept(tmp_path):
    first = motcua(tmp_path, *PRINT_KEY)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    path = tmp_path / "secret-key"
    assert path.read_text().strip() == key and len(key) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert motcua(tmp_path, *PRINT_KEY).stdout.strip() == key            # the same on the next start
    assert key != "dev-only-insecure-key-change-me"


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    run = motcua(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **DEPLOY)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout
    # and without them it is not (the check looks at what the variables set)
    bare = motcua(tmp_path, "check", "--deploy", "--fail-level", "WARNING", MOTCUA_SECRET_KEY=STRONG)
    assert bare.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in bare.stdout + bare.stderr, warning


def test_https_settings_take_effect(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # plain http is redirected; a client claiming https itself is not believed
    assert Client(REMOTE_ADDR="203.0.113.5").get("/thu-tuc/").status_code == 301
    assert Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https").get("/thu-tuc/").status_code == 301
    # the trusted proxy says https: served, with HSTS
    resp = Client(REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_PROTO="https",
                  HTTP_X_FORWARDED_FOR="203.0.113.5").get("/thu-tuc/")
    assert resp.status_code == 200
    assert resp["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("peer, forwarded, client", [
    ("203.0.113.5", "1.2.3.4", "203.0.113.5"),                  # not a proxy: its X-Forwarded-For is ignored
    ("10.0.0.1", "1.2.3.4", "1.2.3.4"),                         # the trusted proxy's word
    ("10.0.0.1", "6.6.6.6, 1.2.3.4", "1.2.3.4"),                # what the client prepended is not believed
    ("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.7", "1.2.3.4"),      # two trusted proxies: rightmost untrusted hop
    ("10.0.0.1", "garbage, 1.2.3.4", "1.2.3.4"),
    ("10.0.0.1", "1.2.3.4, garbage", "10.0.0.1"),               # a proxy never writes that: stop at the proxy
    ("10.0.0.1", "", "10.0.0.1"),
    ("10.0.0.1", "10.0.0.9", "10.0.0.9"),                       # everything trusted: the leftmost
    ("2001:db8::1", "1.2.3.4", "2001:db8::1"),
])
def test_client_address_behind_trusted_proxies(peer, forwarded, client):
    import ipaddress
    assert resolve_client(peer, forwarded, [ipaddress.ip_network("10.0.0.0/8")]) == client


def test_the_lookup_limit_follows_the_address_the_trusted_proxy_reports(settings, province):
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public_lookup": "2/min"}}
    c = Client(REMOTE_ADDR="10.0.0.1")

    def ask(xff):
        return c.post("/api/v1/public/lookup/", {"code": "X", "secret": "1"}, content_type="application/json",
                      HTTP_X_FORWARDED_FOR=xff).status_code
    assert [ask("1.1.1.1"), ask("9.9.9.9, 1.1.1.1"), ask("8.8.8.8, 1.1.1.1")] == [404, 404, 429]
    assert ask("2.2.2.2") == 404                                # another client behind the same proxy


PAGES = ["/", "/thu-tuc/", "/thu-tuc/1.009974/", "/tra-cuu/", "/dang-nhap/", "/dang-ky/", "/ty-le-dung-han/",
         "/chi-so/cong-khai/", "/xac-thuc-chu-ky/", "/khong-co/", "/api/v1/procedures/", "/api/v1/docs/",
         "/api/v1/schema/", "/can-bo/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_content_security_policy(province, path):
    resp = Client().get(path)
    policy = dict(p.strip().split(" ", 1) for p in resp["Content-Security-Policy"].split(";"))
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["default-src"] == "'self'" and policy["form-action"] == "'self'"


def test_the_api_docs_page_carries_its_nonce(db):
    resp = Client().get("/api/v1/docs/")
    nonce = resp["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = resp.content.decode()
    assert f'<style nonce="{nonce}">' in html and "<style>" not in html
    # Swagger UI's start-up code comes from the site (?script=), not inline
    assert "<script>" not in html and '<script src="/api/v1/docs/?script=">' in html
