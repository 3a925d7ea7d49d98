"""Middleware: the client address behind trusted proxies, and a Content-Security-Policy on every page."""
import secrets

from django.conf import settings

from .limits import _ip, _networks, resolve_client

# ---------------------------------------------------------------- trusted proxies

class TrustedProxyMiddleware:
    """Forwarded headers count only when the peer is one of MOTCUA_TRUSTED_PROXIES (CIDRs). REMOTE_ADDR
    becomes the client address (the rightmost X-Forwarded-For hop that is not a trusted proxy), and
    X-Forwarded-For / X-Forwarded-Proto from anyone else are dropped, so nothing downstream (rate limits,
    DRF throttles, SECURE_PROXY_SSL_HEADER) can be fooled by a client sending them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = _networks()

    def __call__(self, request):
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        meta["MOTCUA_PEER_ADDR"] = peer
        client = resolve_client(peer, meta.get("HTTP_X_FORWARDED_FOR", ""), self.networks)
        peer_ip = _ip(peer)
        if peer_ip is None or not any(peer_ip in n for n in self.networks):
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        meta.pop("HTTP_X_FORWARDED_FOR", None)
        meta["REMOTE_ADDR"] = client
        return self.get_response(request)


# ---------------------------------------------------------------- Content-Security-Policy

def _origin(url):
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every response: scripts and styles only from this site (plus a per-request
    nonce, `csp_nonce` in templates), no plugins, no framing, forms post only here. A response that already has
    a policy (stored files served with their own) keeps it. The API docs page also loads Swagger UI from its
    distribution (SPECTACULAR_SETTINGS SWAGGER_UI_DIST)."""

    def __init__(self, get_response):
        self.get_response = get_response
        dist = _origin(getattr(settings, "SPECTACULAR_SETTINGS", {}).get("SWAGGER_UI_DIST", ""))
        self.docs_extra = f" {dist}" if dist else ""

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy(request)
        return response

    def policy(self, request):
        extra = self.docs_extra if request.path.startswith("/api/v1/docs/") else ""
        nonce = f" 'nonce-{request.csp_nonce}'"
        return "; ".join([
            "default-src 'self'",
            f"script-src 'self'{nonce}{extra}",
            f"style-src 'self'{nonce}{extra}",
            f"img-src 'self' data:{extra}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ])


def csp(request):
    """Template context: {{ csp_nonce }} for the rare inline <script>/<style> (prefer static files)."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


# ---------------------------------------------------------------- redirects

def local_redirect(request, target, default="/"):
    """`target` when it stays on this site (a path, or this host over the request's scheme), else `default`:
    no open redirect through ?next= (https://evil.example, //evil, https:evil, \\\\evil, /\\evil, ...)."""
    from django.utils.http import url_has_allowed_host_and_scheme
    target = (target or "").strip()
    # Only a path of this site: redirect() would take other text ("abc") for a view name to reverse.
    if target.startswith("/") and "\x00" not in target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
