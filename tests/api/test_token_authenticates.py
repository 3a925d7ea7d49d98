"""`motcua token USERNAME` prints a token that authenticates as that user: Authorization: Token ..."""
import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from .schema_check import check


def token_of(username):
    out = io.StringIO()
    call_command("token", username, stdout=out)
    return out.getvalue().strip()


def test_printed_token_authenticates(province):
    key = token_of("tiepnhan")
    assert len(key) == 40
    assert token_of("tiepnhan") == key                 # stable: the same token on the next call
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = check(client.get("/api/v1/me/"))
    assert me["username"] == "tiepnhan" and me["roles"][0]["agency"] == "000.00.17.H13"
    client.credentials(HTTP_AUTHORIZATION=f"Token {key[:-1]}x")
    assert client.get("/api/v1/me/").status_code == 401


def test_unknown_user_is_an_error(province):
    with pytest.raises(CommandError):
        token_of("khong-co")
