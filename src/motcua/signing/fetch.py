"""Outbound HTTP for verification, limited to an allow-list of configured CA hosts.

A file uploaded to the public verification page carries certificates written by whoever made it; their
OCSP, CRL and AIA caIssuers URLs may point anywhere (the server's own network, a host to attack). The
verifier therefore fetches only from the hosts in `MOTCUA_SIGNING_FETCH_ALLOW` ("host" or "host:port",
comma separated: the national root CA's and the licensed CAs' OCSP/CRL/certificate hosts). Every
connection is checked, redirects included; anything else fails as a fetch error (revocation "unknown").
"""
import aiohttp


class HostNotAllowed(aiohttp.ClientError):
    pass


def _allowed(url, allow):
    host = (url.host or "").lower().rstrip(".")
    port = url.port
    return host in allow or f"{host}:{port}" in allow


class AllowListConnector(aiohttp.TCPConnector):
    def __init__(self, allow, **kwargs):
        super().__init__(**kwargs)
        self.allow = frozenset(a.strip().lower() for a in allow if a.strip())

    async def connect(self, req, traces, timeout):
        if not _allowed(req.url, self.allow):
            raise HostNotAllowed(f"host not in MOTCUA_SIGNING_FETCH_ALLOW: {req.url.host}")
        return await super().connect(req, traces, timeout)


def session_factory(allow):
    """A callable making aiohttp sessions that only connect to `allow`."""
    allow = tuple(allow or ())

    def make():
        return aiohttp.ClientSession(connector=AllowListConnector(allow))
    return make

