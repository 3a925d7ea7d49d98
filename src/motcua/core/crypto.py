"""Secrets kept in the database, encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256, from `cryptography`).

The key is derived (HKDF-SHA256) from the instance's secret key, settings.SECRET_KEY (MOTCUA_SECRET_KEY, or the
key generated once into var/secret-key), so there is no second key to keep. Rotating MOTCUA_SECRET_KEY: put the
old key in Django's SECRET_KEY_FALLBACKS; values encrypted with it are still read, and each is written again with
the new key the next time it is saved. A value that no key opens (the secret key was lost or changed without a
fallback) reads as "" and is logged: the peer must be given its secret again.

`EncryptedTextField` is a text column that holds only the token; the model attribute is the clear text.
"""
import base64
import functools
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

log = logging.getLogger("motcua.crypto")
PREFIX = "fernet:"


@functools.lru_cache(maxsize=16)
def _fernet(secret_key, purpose):
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"motcua-secrets-at-rest",
               info=purpose.encode()).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(raw))


def _keys(purpose):
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(k, purpose) for k in keys])


def encrypt(text, purpose="db"):
    """The stored form of `text`: "fernet:<token>"; "" stays "" (no secret)."""
    if not text:
        return ""
    return PREFIX + _keys(purpose).encrypt(text.encode()).decode()


def decrypt(stored, purpose="db"):
    """The clear text of a stored value; "" when there is none or no key opens it."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        log.error("a secret in the database is not encrypted; it is ignored (set it again)")
        return ""
    try:
        return _keys(purpose).decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        log.error("a secret in the database cannot be decrypted with the secret key (or its fallbacks); "
                  "set it again")
        return ""


def mask(text):
    """How a secret is shown back: never in full."""
    return "****" if text else ""


class EncryptedTextField(models.TextField):
    """A text column holding the encrypted token of a secret; reads and writes clear text on the model."""

    def __init__(self, *args, purpose="db", **kwargs):
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.purpose != "db":
            kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return decrypt(value, self.purpose) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value, self.purpose) if value is not None else value
