"""Settings read from the environment that need checking (imported by settings.py: stdlib and Django's
exceptions only): the secret key and the trusted proxies."""
import ipaddress
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# ---------------------------------------------------------------- secret key

# The key earlier releases used when MOTCUA_SECRET_KEY was not set: public, so never valid with debug off.
PUBLISHED_DEV_KEYS = {"dev-only-insecure-key-change-me"}


def weak_key(key):
    """Django's own test (check --deploy, security.W009), plus the keys published in this repository."""
    return (not key or key in PUBLISHED_DEV_KEYS or len(key) < 50 or len(set(key)) < 5
            or key.startswith("django-insecure-"))


def local_secret_key(var_dir):
    """A random key generated once into var/secret-key (mode 0600) and kept: `./run demo`, `./run test` and
    a one-machine `motcua serve` work out of the box, and sessions survive restarts. Several servers that
    must share sessions set MOTCUA_SECRET_KEY instead."""
    path = Path(var_dir) / "secret-key"
    try:
        key = path.read_text().strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".secret-key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(48))
    try:
        os.link(tmp, path)          # atomic: the first process to link wins, the others read its key
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text().strip()


def secret_key(environ, var_dir, debug):
    key = environ.get("MOTCUA_SECRET_KEY", "")
    if not key:
        return local_secret_key(var_dir)
    if not debug and weak_key(key):
        raise ImproperlyConfigured(
            "MOTCUA_SECRET_KEY is the published development key or too weak (fewer than 50 characters): refusing "
            "to start with debug off. Set a long random key, e.g. python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(48))', or unset it to use the key generated in var/secret-key.")
    return key



def trusted_proxies(environ):
    nets = [n.strip() for n in environ.get("MOTCUA_TRUSTED_PROXIES", "").split(",") if n.strip()]
    for n in nets:
        try:
            ipaddress.ip_network(n, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"MOTCUA_TRUSTED_PROXIES: {n!r} is not an address or CIDR ({exc})") from None
    return nets
