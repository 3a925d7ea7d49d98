"""What the key sources, the remote-signing client and the PDF signer share, in one small module they all
import (so that none of them imports another for it): the key-source error, certificate loading and the
runner of a coroutine from synchronous code."""
import asyncio

from asn1crypto import pem as asn1_pem
from asn1crypto import x509


class KeySourceError(Exception):
    """A key source cannot be opened or used (bad passphrase, token missing, service refusing)."""

    def __init__(self, message, code="key_source_error"):
        super().__init__(message)
        self.code = code


def load_certificates(data: bytes):
    """Certificates from PEM (one or many) or DER bytes."""
    if asn1_pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in asn1_pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def run_sync(coro):
    """Run a coroutine to completion from synchronous code. If this thread already runs an event loop
    (an ASGI server, or Playwright's sync API in the tests), run it on a fresh loop in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
