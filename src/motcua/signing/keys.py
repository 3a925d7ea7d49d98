"""Key sources as plugins.

A key source turns a configuration (a dict stored in the certificate registry) into a pyHanko `Signer`.
Three ship here, registered by name:

- ``pkcs12``: a .p12/.pfx file (``path`` or ``data_b64``; ``passphrase`` or ``passphrase_env``)
- ``pkcs11``: a token through a PKCS#11 module, e.g. SoftHSM2 or a USB token (``module``, ``token_label``
  or ``slot``, ``pin``/``pin_env``, ``key_label``, ``cert_label``)
- ``csc``: a remote signing service speaking the Cloud Signature Consortium API v2 (``service_url``,
  ``credential_id``, ``token``/``token_env`` or ``username``/``password`` for auth/login, ``pin``/``pin_env``)

Another source (a national remote-signing service, a vendor HSM) is a class with the `register`
decorator; it must provide `open()`, an async context manager yielding a pyHanko Signer.
"""
import abc
import base64
import contextlib
import hashlib
import os
import threading

from asn1crypto import x509
from pyhanko.sign import signers

from .common import KeySourceError, load_certificates, run_sync
from .csc import open_csc_v2_signer

REGISTRY = {}


def register(name):
    def deco(cls):
        cls.name = name
        REGISTRY[name] = cls
        return cls
    return deco


def source_for(kind, config, binding=None):
    """The key source `kind` for `config`. `binding` names the registration using it (the registry passes
    "<key id>:<certificate fingerprint>"); sources that keep state between signatures (PKCS#11 sessions)
    keep it per binding."""
    try:
        cls = REGISTRY[kind]
    except KeyError:
        raise KeySourceError(f"Nguồn khóa không được hỗ trợ: {kind}", code="unknown_key_source") from None
    return cls(config or {}, binding=binding)


def _secret(config, key):
    """A secret given in the config or, better, named by `<key>_env` and read from the environment."""
    env = config.get(f"{key}_env")
    if env:
        value = os.environ.get(env)
        if value is None:
            raise KeySourceError(f"Biến môi trường {env} chưa được đặt.", code="secret_missing")
        return value
    return config.get(key)


class KeySource(abc.ABC):
    name = ""

    def __init__(self, config, binding=None):
        self.config = dict(config)
        self.binding = binding

    @abc.abstractmethod
    def open(self):
        """An async context manager yielding a pyHanko Signer."""

    def certificate(self) -> x509.Certificate:
        """The signing certificate (used when the registry records the key)."""
        async def read():
            async with self.open() as signer:
                return signer.signing_cert
        return run_sync(read())


# ---------------------------------------------------------------- PKCS#12

class CachedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner re-imports the private key (with its RSA consistency checks, ~85 ms for
    RSA-2048) for every signature, and signs once more for the size estimate. This one keeps the imported
    key and answers the size estimate with zeros of the right length."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cryptography.hazmat.primitives import serialization
        self._key = serialization.load_der_private_key(self.signing_key.dump(), password=None)

    async def async_sign_raw(self, data, digest_algorithm, dry_run=False):
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash, process_pss_params
        key = self._key
        if dry_run and isinstance(key, rsa.RSAPrivateKey):
            return bytes(key.key_size // 8)
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        name = mechanism.signature_algo
        if name == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if name == "rsassa_pss" and isinstance(key, rsa.RSAPrivateKey):
            pad, algo = process_pss_params(mechanism["parameters"])
            return key.sign(data, pad, algo)
        if name == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return self.sign_raw(data, digest_algorithm)


_P12_CACHE = {}
_P12_LOCK = threading.Lock()


@register("pkcs12")
class Pkcs12Source(KeySource):
    def _load(self):
        passphrase = _secret(self.config, "passphrase")
        pw = passphrase.encode() if isinstance(passphrase, str) else passphrase
        if self.config.get("data_b64"):
            data = base64.b64decode(self.config["data_b64"])
        else:
            path = self.config.get("path")
            if not path or not os.path.exists(path):
                raise KeySourceError(f"Không tìm thấy tệp PKCS#12: {path}", code="key_not_found")
            with open(path, "rb") as fh:
                data = fh.read()
        cache_key = (hashlib.sha256(data).hexdigest(), hashlib.sha256(pw or b"").hexdigest())
        with _P12_LOCK:
            signer = _P12_CACHE.get(cache_key)
        if signer is None:
            try:
                loaded = signers.SimpleSigner.load_pkcs12_data(data, other_certs=None, passphrase=pw)
            except ValueError:
                loaded = None
            if loaded is None:
                raise KeySourceError("Không mở được tệp PKCS#12 (sai mật khẩu hoặc tệp hỏng).",
                                     code="key_unusable")
            signer = CachedKeySigner(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                                     cert_registry=loaded.cert_registry)
            with _P12_LOCK:
                _P12_CACHE[cache_key] = signer
        return signer

    @contextlib.asynccontextmanager
    async def open(self):
        yield self._load()

    def certificate(self):
        return self._load().signing_cert


# ---------------------------------------------------------------- PKCS#11

class _TokenSession:
    """The one open session of this process on one token, and whom it was opened for.

    PKCS#11 keeps the login state per token and application: once one session is logged in, every session
    on that token is, and a second C_Login answers "already logged in" without looking at the PIN. So a
    session is reused only for the same registration (`binding`) with the same PIN it was opened and
    verified with; anything else closes it first (which logs the token out) and logs in afresh, so a wrong
    PIN fails every time."""

    def __init__(self):
        self.lock = threading.RLock()      # held while signing and while the session is replaced
        self.session = None
        self.binding = None
        self.pin_digest = None

    def close(self):
        if self.session is not None:
            with contextlib.suppress(Exception):
                self.session.close()
        self.session = self.binding = self.pin_digest = None


_P11_TOKENS = {}
_P11_LOCK = threading.Lock()
_PIN_SALT = os.urandom(16)


def _pin_digest(pin):
    return hashlib.sha256(_PIN_SALT + (pin or "").encode()).digest()


@register("pkcs11")
class Pkcs11Source(KeySource):
    """A session stays open for the life of the process, bound to the registration that opened it (the
    `binding` given by the registry: key id and certificate fingerprint) and to the PIN that logged it in.
    Signing through one session is serialised with a lock. Without a binding (registration, tests) the
    session is opened, used and closed."""

    def _token(self):
        module = self.config.get("module")
        if not module or not os.path.exists(module):
            raise KeySourceError(f"Không tìm thấy thư viện PKCS#11: {module}", code="key_not_found")
        key = (module, self.config.get("token_label"), self.config.get("slot"))
        with _P11_LOCK:
            return _P11_TOKENS.setdefault(key, _TokenSession())

    def _login(self, entry, pin):
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11 as p11
        entry.close()    # logs the token out: the PIN below is really checked
        token = self.config.get("token_label")
        try:
            entry.session = p11.open_pkcs11_session(
                self.config["module"], slot_no=self.config.get("slot"),
                token_criteria=TokenCriteria(label=token) if token else None, user_pin=pin)
        except Exception as e:
            entry.close()
            raise KeySourceError(f"Không mở được token PKCS#11 (sai mã PIN hoặc không có token): {e}",
                                 code="key_unusable") from e
        entry.binding, entry.pin_digest = self.binding, _pin_digest(pin)

    @contextlib.asynccontextmanager
    async def open(self):
        from pyhanko.sign.pkcs11 import PKCS11Signer
        entry = self._token()
        pin = _secret(self.config, "pin")
        with entry.lock:
            if (self.binding is None or entry.session is None or entry.binding != self.binding
                    or entry.pin_digest != _pin_digest(pin)):
                self._login(entry, pin)
            try:
                chain = None
                if self.config.get("chain_pem"):
                    chain = load_certificates(self.config["chain_pem"].encode())
                pull = self.config.get("other_certs", "all")   # the CA certificates stored on the token
                signer = PKCS11Signer(entry.session, cert_label=self.config.get("cert_label"), ca_chain=chain,
                                      other_certs_to_pull=None if pull == "all" else tuple(pull),
                                      key_label=self.config.get("key_label"),
                                      cert_id=bytes.fromhex(self.config["cert_id"]) if self.config.get("cert_id") else None,
                                      key_id=bytes.fromhex(self.config["key_id"]) if self.config.get("key_id") else None)
                yield signer
            finally:
                if self.binding is None:
                    entry.close()

    @staticmethod
    def close_all():
        with _P11_LOCK:
            for entry in _P11_TOKENS.values():
                with entry.lock:
                    entry.close()
            _P11_TOKENS.clear()


# ---------------------------------------------------------------- CSC API v2

@register("csc")
class CscSource(KeySource):
    @contextlib.asynccontextmanager
    async def open(self):
        import aiohttp

        timeout = aiohttp.ClientTimeout(total=float(self.config.get("timeout", 30)))
        async with aiohttp.ClientSession(timeout=timeout) as http:
            try:
                signer = await open_csc_v2_signer(
                    http, self.config["service_url"], self.config["credential_id"],
                    token=_secret(self.config, "token"), username=self.config.get("username"),
                    password=_secret(self.config, "password"), pin=_secret(self.config, "pin"))
            except KeySourceError:
                raise
            except Exception as e:
                raise KeySourceError(f"Dịch vụ ký số từ xa không phản hồi đúng: {e}", code="remote_signing_failed") from e
            yield signer
