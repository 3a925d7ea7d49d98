"""`motcua token USERNAME [--days N]` prints a new token (shown once, stored hashed) that authenticates as that
user: Authorization: Token ... Tokens expire and can be revoked (`motcua token --revoke`); an expired or revoked
token is 401 with the error shape. Tokens of DRF's authtoken carry over through the migration."""
import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from motcua.agencies.models import ApiToken

from .schema_check import check


def run(*args):
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().strip()


def me(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/me/")


def test_printed_token_authenticates(province):
    key = run("tiepnhan")
    assert len(key) == 40
    body = check(me(key))
    assert body["username"] == "tiepnhan" and body["roles"][0]["agency"] == "000.00.17.H13"
    assert me(f"{key[:-1]}x").status_code == 401
    # only the hash is stored, never the key
    row = ApiToken.objects.get(prefix=key[:8])
    assert row.digest == hashlib.sha256(key.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest=key).exists()
    assert run("tiepnhan") != key                        # each call issues a new token; both work
    assert me(key).status_code == 200


def test_token_expires(province):
    key = run("tiepnhan", "--days", "2")
    row = ApiToken.objects.get(prefix=key[:8])
    assert timedelta(days=2) - timedelta(minutes=1) < row.expires_at - timezone.now() <= timedelta(days=2)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    resp = me(key)
    assert resp.status_code == 401 and resp["WWW-Authenticate"] == "Token"
    body = check(resp)
    assert body["code"] == "token_expired" and "hết hạn" in body["message"]


def test_token_is_revoked_by_key_or_prefix_or_for_the_whole_account(province):
    a, b, c = run("tiepnhan"), run("tiepnhan"), run("tiepnhan")
    assert "Đã thu hồi" in run("--revoke", a)
    run("--revoke", b[:8])
    for key in (a, b):
        resp = me(key)
        assert resp.status_code == 401 and check(resp)["code"] == "token_revoked"
    assert me(c).status_code == 200
    assert "1 token" in run("tiepnhan", "--revoke-all")
    assert check(me(c))["code"] == "token_revoked"
    listing = run("tiepnhan", "--list")
    assert listing.count("đã thu hồi") == 3


def test_bad_input_is_a_clear_error(province):
    with pytest.raises(CommandError):
        run("khong-co")
    with pytest.raises(CommandError, match="ngày"):
        run("tiepnhan", "--days", "0")
    with pytest.raises(CommandError, match="token"):
        run("--revoke", "deadbeef")


def test_migration_carries_legacy_authtoken_tokens_over(province, django_user_model):
    """A token created by DRF's authtoken before the upgrade keeps working (hashed now), until an expiry."""
    from importlib import import_module
    migration = import_module("motcua.agencies.migrations.0002_api_tokens_expiring_hashed")
    key = "0123456789abcdef0123456789abcdef01234567"
    user = django_user_model.objects.get(username="tiepnhan")
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp with time zone "
                    "NOT NULL, user_id integer NOT NULL)" if connection.vendor == "postgresql" else
                    "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created datetime NOT NULL, "
                    "user_id integer NOT NULL)")
        cur.execute("INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
                    [key, timezone.now(), user.pk])
    from types import SimpleNamespace

    from django.apps import apps
    migration.carry_over_legacy_tokens(apps, SimpleNamespace(connection=connection))
    assert check(me(key))["username"] == "tiepnhan"
    row = ApiToken.objects.get(prefix=key[:8])
    assert timezone.now() + timedelta(days=89) < row.expires_at < timezone.now() + timedelta(days=91)
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cur.fetchone()[0] == 0                  # no plain-text key left behind
