"""Issue 13 leftover: the secret shared with a peer agency is encrypted at rest (core/crypto.py), the exchange
still signs and checks with it, the command that sets it keeps working and nothing shows it back in full."""
import io
import logging

import pytest
from django.core.management import call_command
from django.db import connection

from motcua.core import crypto
from motcua.core.errors import ValidationFailed
from motcua.documents import exchange_flow, transport
from motcua.documents.models import ExchangePeer

SECRET = "a-shared-secret-of-the-two-agencies"


def _column(code):
    with connection.cursor() as cur:
        cur.execute("SELECT secret FROM documents_exchangepeer WHERE code = %s", [code])
        return cur.fetchone()[0]


def test_the_column_holds_a_token_not_the_secret_and_the_model_reads_it_back(province, actors):
    exchange_flow.set_peer(actors["admin"], "000.00.99.H14", name="Sở A", plugin="direct",
                           endpoint="http://127.0.0.1:9/x", secret=SECRET)
    stored = _column("000.00.99.H14")
    assert SECRET not in stored and stored.startswith("fernet:")
    peer = ExchangePeer.objects.get(code="000.00.99.H14")
    assert peer.secret == SECRET
    sig = transport.hmac_sign(peer.secret, "1", "x", b"body")
    assert transport.hmac_valid(ExchangePeer.objects.get().secret, "1", "x", b"body", sig)
    exchange_flow.set_peer(actors["admin"], "000.00.99.H14", name="Sở A", plugin="direct",
                           endpoint="http://127.0.0.1:9/x", secret="another-secret-of-16+")
    assert ExchangePeer.objects.get().secret == "another-secret-of-16+" and _column("000.00.99.H14") != stored


def test_the_command_sets_the_secret_and_never_prints_it(province, actors):
    out = io.StringIO()
    call_command("exchange", "peer", "000.00.99.H14", "--name", "Sở A", "--plugin", "direct",
                 "--endpoint", "http://127.0.0.1:9/x", "--secret", SECRET, "--as", actors["admin"].username, stdout=out)
    call_command("exchange", "peers", stdout=out)
    assert SECRET not in out.getvalue() and "secret=****" in out.getvalue()
    assert ExchangePeer.objects.get().secret == SECRET and SECRET not in _column("000.00.99.H14")


def test_another_secret_key_cannot_read_it_and_a_fallback_can(province, actors, settings, caplog):
    exchange_flow.set_peer(actors["admin"], "000.00.99.H14", name="Sở A", plugin="direct",
                           endpoint="http://127.0.0.1:9/x", secret=SECRET)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "x" * 60 + "another-key"
    with caplog.at_level(logging.ERROR, logger="motcua.crypto"):
        assert ExchangePeer.objects.get().secret == ""          # refused, not garbage: the signature check fails
    assert "cannot be decrypted" in caplog.text and SECRET not in caplog.text
    settings.SECRET_KEY_FALLBACKS = [old]
    assert ExchangePeer.objects.get().secret == SECRET


def test_too_long_a_secret_is_refused_with_a_code(actors):
    with pytest.raises(ValidationFailed) as err:
        exchange_flow.set_peer(actors["admin"], "000.00.99.H14", name="Sở A", plugin="direct",
                               endpoint="http://127.0.0.1:9/x", secret="s" * 201)
    assert err.value.code == "secret_too_long"
    assert crypto.mask(SECRET) == "****" and crypto.mask("") == ""
