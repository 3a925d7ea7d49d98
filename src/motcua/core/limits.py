"""Rate limits and lock-outs kept in a store every worker process shares (Django's default cache: the
database cache on the embedded default, Redis when MOTCUA_CACHE_URL says so), and the client address
as the trusted proxies report it.

- `hit(scope, ident, rate)`: count one request in a window that starts at the first hit; True when over the rate.
- `locked_for(scope, ident)`, `record_failure(scope, ident, max_failures, lockout)`, `clear_failures`:
  a lock-out after N failures (wrong lookup secrets, wrong passwords) for a while.
- `client_ip(request)`: the address the limits are keyed by (see TrustedProxyMiddleware).
"""
import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def store():
    return caches["default"]


def parse_rate(rate):
    """'30/min' -> (30, 60); '10/15m' -> (10, 900); '100/h' -> (100, 3600)."""
    num, _sep, period = rate.partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period.lstrip("0123456789")[:1] or "m"
    return int(num), int(digits or 1) * PERIODS.get(unit, 60)


def _key(*parts):
    # Hash what the client chose (a dossier code, a user name) so any text makes a valid, short key.
    return "motcua:limit:" + ":".join(parts[:-1]) + ":" + hashlib.sha256(str(parts[-1]).encode()).hexdigest()[:40]


def count(scope, ident, seconds):
    """Add one to the counter of `ident` under `scope` and return the new count. The window starts at the first
    hit and lasts `seconds` (the entry's expiry; incr keeps it), so no window boundary falls between hits."""
    key = _key(scope, ident)
    cache = store()
    if cache.add(key, 0, seconds):
        cache.set(key + ":start", time.time(), seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        cache.set(key + ":start", time.time(), seconds)
        return 1


def hit(scope, ident, rate):
    """Count one request of `ident` under `scope`; True when it goes over `rate` ('30/min')."""
    num, seconds = parse_rate(rate)
    return count(scope, ident, seconds) > num


def retry_after(scope, ident, rate):
    """Seconds until the window of `ident` under `scope` ends."""
    _num, seconds = parse_rate(rate)
    start = store().get(_key(scope, ident) + ":start")
    return max(1, int((start or time.time()) + seconds - time.time()) + 1)


def locked_for(scope, ident):
    """Seconds left on the lock-out of `ident`, or 0."""
    until = store().get(_key("lock", scope, ident))
    return max(0, int(until - time.time()) + 1) if until else 0


def record_failure(scope, ident, max_failures, lockout_seconds):
    """One more failure; after `max_failures` within `lockout_seconds`, lock `ident` for `lockout_seconds`.
    Returns the seconds of lock-out now in force (0 when not locked)."""
    n = count(f"fail:{scope}", ident, lockout_seconds)
    if n >= max_failures:
        until = time.time() + lockout_seconds
        store().set(_key("lock", scope, ident), until, lockout_seconds)
        return lockout_seconds
    return 0


def clear_failures(scope, ident):
    store().delete_many([_key(f"fail:{scope}", ident), _key(f"fail:{scope}", ident) + ":start"])


# ---------------------------------------------------------------- client address

def _networks():
    nets = getattr(settings, "MOTCUA_TRUSTED_PROXIES", [])
    return [ipaddress.ip_network(n, strict=False) for n in nets]


def _ip(text):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def resolve_client(remote_addr, forwarded_for, networks):
    """The client's address: the peer itself, unless the peer is a trusted proxy; then the rightmost
    address of X-Forwarded-For that is not a trusted proxy (anything left of it is the client's own claim)."""
    peer = _ip(remote_addr or "")
    if peer is None:
        return remote_addr or "?"

    def trusted(ip):
        return any(ip in n for n in networks)

    if not trusted(peer) or not forwarded_for:
        return str(peer)
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        ip = _ip(hop)
        if ip is None:
            break           # garbage where a proxy should have written an address: stop at the last good hop
        client = ip
        if not trusted(ip):
            break
    return str(client)


def client_ip(request):
    """The client's address after TrustedProxyMiddleware (REMOTE_ADDR is already resolved there)."""
    return request.META.get("REMOTE_ADDR") or "?"


class SharedRateThrottle(SimpleRateThrottle):
    """DRF throttle over the shared fixed-window counters, keyed by the resolved client address (never by a
    client-sent X-Forwarded-For). Set `scope`; the rate comes from REST_FRAMEWORK's DEFAULT_THROTTLE_RATES."""

    def get_cache_key(self, request, view):
        return client_ip(request)

    def get_rate(self):
        from rest_framework.settings import api_settings   # read now, so settings changes apply
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        return not hit(f"throttle:{self.scope}", self.key, self.rate)

    def parse_rate(self, rate):
        return parse_rate(rate) if rate else (None, None)

    def wait(self):
        return retry_after(f"throttle:{self.scope}", self.key, self.rate)


class ScopedSharedRateThrottle(SharedRateThrottle):
    """Like DRF's ScopedRateThrottle: the view's `throttle_scope` names the rate."""

    def __init__(self):
        pass

    def allow_request(self, request, view):
        self.scope = getattr(view, "throttle_scope", None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
