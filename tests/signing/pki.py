"""A complete local test PKI and the HTTP services it needs, all on 127.0.0.1 in threads.

- Root CA -> issuing CA -> end-entity certificates (agency seal, leader, revoked, expiring soon, a foreign
  one from an untrusted root), and a TSA certificate (EKU timeStamping).
- One HTTP server answers RFC 3161 timestamp requests (/tsa), OCSP (/ocsp) and CRLs (/crl/*.crl); the
  certificates carry its URLs in their AIA and CRL distribution point extensions, so B-LT signing and
  verification fetch real revocation data from it.
- A CSC API v2 remote-signing server (csc_server) with auth/login, credentials/list|info|authorize and
  signatures/signHash, holding keys in memory and checking the PIN and that the SAD covers the hashes.

Built with `cryptography` (keys, certificates, CRLs, OCSP responses) and pyHanko's in-process TSA logic
(`DummyTimeStamper`) behind a real HTTP endpoint.
"""
import base64
import datetime as dt
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = dt.timezone.utc
P12_PASSWORD = "matkhau-thu"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(cn, org="UBND tỉnh Demo", unit=None):
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(parts)


@dataclass
class Issued:
    name: str
    key: object
    cert: x509.Certificate
    chain: list = field(default_factory=list)   # issuer certificates, nearest first

    @property
    def der(self):
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def asn1(self):
        return asn1_x509.Certificate.load(self.der)

    def key_pem(self):
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())

    def p12(self, password=P12_PASSWORD):
        return pkcs12.serialize_key_and_certificates(
            self.name.encode(), self.key, self.cert, [c.cert for c in self.chain],
            serialization.BestAvailableEncryption(password.encode()))


class TestPKI:
    def __init__(self, base_url, directory: Path):
        self.base_url = base_url
        self.dir = directory
        now = dt.datetime.now(UTC).replace(microsecond=0)
        self.now = now
        start = now - dt.timedelta(days=30)
        self.root = self._issue("root", _name("Motcua Test Root CA", "Motcua Test PKI"), None, start,
                                now + dt.timedelta(days=3650), ca=True)
        self.ca = self._issue("ca", _name("Motcua Test Issuing CA", "Motcua Test PKI"), self.root, start,
                              now + dt.timedelta(days=1825), ca=True, crl="root")
        ee = dict(start=start, end=now + dt.timedelta(days=365))
        self.tsa = self._issue("tsa", _name("Motcua Test TSA", "Motcua Test PKI"), self.ca, ee["start"], ee["end"],
                               eku=ExtendedKeyUsageOID.TIME_STAMPING, crl="ca", ocsp=True)
        self.agency = self._issue("agency", _name("SỞ XÂY DỰNG", "Sở Xây dựng tỉnh Demo"), self.ca, ee["start"],
                                  ee["end"], crl="ca", ocsp=True)
        self.leader = self._issue("leader", _name("Nguyễn Văn Giám", "Sở Xây dựng tỉnh Demo", "Giám đốc"), self.ca,
                                  ee["start"], ee["end"], crl="ca", ocsp=True)
        self.revoked = self._issue("revoked", _name("Trần Thị Thu Hồi", "Sở Xây dựng tỉnh Demo"), self.ca,
                                   ee["start"], ee["end"], crl="ca", ocsp=True)
        self.expiring = self._issue("expiring", _name("Lê Văn Sắp Hết", "Sở Xây dựng tỉnh Demo"), self.ca,
                                    ee["start"], now + dt.timedelta(days=10), crl="ca", ocsp=True)
        self.stp = self._issue("stp", _name("SỞ TƯ PHÁP", "Sở Tư pháp tỉnh Demo"), self.ca, ee["start"], ee["end"],
                               crl="ca", ocsp=True)
        self.foreign_root = self._issue("foreign-root", _name("Untrusted Root", "Elsewhere"), None, start,
                                        now + dt.timedelta(days=3650), ca=True)
        self.foreign = self._issue("foreign", _name("Người Lạ", "Elsewhere"), self.foreign_root, ee["start"],
                                   ee["end"])
        self.revoked_at = now - dt.timedelta(days=1)
        self.revoked_serials = {self.revoked.cert.serial_number: self.revoked_at}
        self.crls = {"root": self._crl(self.root, {}), "ca": self._crl(self.ca, self.revoked_serials)}
        self.by_serial = {c.cert.serial_number: c for c in
                          (self.tsa, self.agency, self.leader, self.revoked, self.expiring, self.stp)}
        self.dir.mkdir(parents=True, exist_ok=True)
        self.root_pem_path = self.dir / "root.pem"
        self.root_pem_path.write_bytes(self.root.pem)

    def _issue(self, name, subject, issuer, start, end, *, ca=False, eku=None, crl=None, ocsp=False):
        key = _key()
        b = (x509.CertificateBuilder().subject_name(subject)
             .issuer_name(issuer.cert.subject if issuer else subject)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(start).not_valid_after(end)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
        if issuer:
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                                critical=False)
        if ca:
            b = (b.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                 .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                              key_encipherment=False, data_encipherment=False,
                                              key_agreement=False, key_cert_sign=True, crl_sign=True,
                                              encipher_only=False, decipher_only=False), critical=True))
        else:
            b = (b.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                 .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=eku is None,
                                              key_encipherment=False, data_encipherment=False,
                                              key_agreement=False, key_cert_sign=False, crl_sign=False,
                                              encipher_only=False, decipher_only=False), critical=True))
        if eku:
            b = b.add_extension(x509.ExtendedKeyUsage([eku]), critical=True)
        if crl:
            b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(f"{self.base_url}/crl/{crl}.crl")], None, None, None)]),
                critical=False)
        if ocsp:
            b = b.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                x509.oid.AuthorityInformationAccessOID.OCSP,
                x509.UniformResourceIdentifier(f"{self.base_url}/ocsp"))]), critical=False)
        signing_key = issuer.key if issuer else key
        cert = b.sign(signing_key, hashes.SHA256())
        chain = ([issuer] + issuer.chain) if issuer else []
        return Issued(name, key, cert, chain)

    def _crl(self, issuer, revoked):
        now = dt.datetime.now(UTC)
        b = (x509.CertificateRevocationListBuilder().issuer_name(issuer.cert.subject)
             .last_update(now - dt.timedelta(minutes=5)).next_update(now + dt.timedelta(days=7))
             .add_extension(x509.CRLNumber(1), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                            critical=False))
        for serial, when in revoked.items():
            b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial)
                                          .revocation_date(when).build())
        return b.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    # ---- services
    def ocsp_response(self, der_request):
        req = ocsp.load_der_ocsp_request(der_request)
        target = self.by_serial.get(req.serial_number)
        if target is None:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
                serialization.Encoding.DER)
        now = dt.datetime.now(UTC)
        revoked_at = self.revoked_serials.get(req.serial_number)
        status = ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD
        b = ocsp.OCSPResponseBuilder().add_response(
            cert=target.cert, issuer=self.ca.cert, algorithm=hashes.SHA1() if isinstance(req.hash_algorithm, hashes.SHA1)
            else hashes.SHA256(), cert_status=status, this_update=now - dt.timedelta(minutes=1),
            next_update=now + dt.timedelta(days=1), revocation_time=revoked_at,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, self.ca.cert)
        for ext in req.extensions:
            if isinstance(ext.value, x509.OCSPNonce):
                b = b.add_extension(ext.value, critical=False)
        return b.sign(self.ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def timestamper(self):
        from asn1crypto import cms, core
        from pyhanko.sign import general
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash

        loaded = self.tsa.key

        class KeptKeyTimeStamper(DummyTimeStamper):
            """pyHanko's TSA logic, but like a real TSA it keeps its key loaded instead of importing it
            (with RSA consistency checks, ~85 ms) for every token."""

            def _sign_tst_info(self, tst_info_data, md_algorithm, dt):
                h = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
                h.update(tst_info_data)
                attrs = cms.CMSAttributes([
                    general.simple_cms_attribute("content_type", "tst_info"),
                    general.simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                    general.simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
                    general.simple_cms_attribute("message_digest", h.finalize()),
                ])
                return loaded.sign(attrs.dump(), padding.PKCS1v15(),
                                   get_pyca_cryptography_hash(md_algorithm.upper())), attrs

        key = asn1_keys.PrivateKeyInfo.load(self.tsa.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        return KeptKeyTimeStamper(tsa_cert=self.tsa.asn1, tsa_key=key, certs_to_embed=[self.ca_asn1()])

    def ca_asn1(self):
        return self.ca.asn1

    def nss_db(self):
        """An NSS database trusting the test root, for `pdfsig -nssdir`."""
        import subprocess
        d = self.dir / "nssdb"
        if not (d / "cert9.db").exists():
            d.mkdir(exist_ok=True)
            subprocess.run(["certutil", "-N", "-d", f"sql:{d}", "--empty-password"], check=True,
                           capture_output=True)
            subprocess.run(["certutil", "-A", "-d", f"sql:{d}", "-n", "motcua-test-root", "-t", "CT,C,C",
                            "-i", str(self.root_pem_path)], check=True, capture_output=True)
        return f"sql:{d}"


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, status, body=b"", ctype="application/octet-stream"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PKIHandler(_Quiet):
    pki: TestPKI = None
    stamper = None
    counts = None

    def do_GET(self):
        if self.path.startswith("/crl/"):
            name = self.path[len("/crl/"):].removesuffix(".crl")
            if name in self.pki.crls:
                self.counts["crl"] += 1
                return self._send(200, self.pki.crls[name], "application/pkix-crl")
        if self.path.startswith("/ocsp/"):
            from urllib.parse import unquote
            self.counts["ocsp"] += 1
            return self._send(200, self.pki.ocsp_response(base64.b64decode(unquote(self.path[6:]))),
                              "application/ocsp-response")
        self._send(404)

    def do_POST(self):
        body = self._body()
        if self.path == "/tsa":
            self.counts["tsa"] += 1
            req = tsp.TimeStampReq.load(body)
            resp = self.stamper.request_tsa_response(req)
            return self._send(200, resp.dump(), "application/timestamp-reply")
        if self.path == "/ocsp":
            self.counts["ocsp"] += 1
            return self._send(200, self.pki.ocsp_response(body), "application/ocsp-response")
        self._send(404)


def serve(handler_cls):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_cls)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True, name=handler_cls.__name__)
    thread.start()
    return server


def start_pki(directory: Path):
    """Bind first (to learn the port the certificates must name), then build the PKI and serve it."""
    handler = type("Handler", (PKIHandler,), {"counts": {"tsa": 0, "ocsp": 0, "crl": 0}})
    server = serve(handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pki = TestPKI(base, directory)
    handler.pki = pki
    handler.stamper = pki.timestamper()
    pki.server = server
    pki.counts = handler.counts
    pki.tsa_url = f"{base}/tsa"
    return pki


# ---------------------------------------------------------------- CSC API v2 server

class CSCHandler(_Quiet):
    """Just enough of CSC API v2 for a client: Bearer tokens from auth/login (HTTP Basic), SADs bound to the
    authorised hashes, single-use, PIN checked at credentials/authorize."""
    users = None          # {username: password}
    credentials = None    # {credential_id: {"issued": Issued, "pin": str, "owner": username}}
    tokens = None         # {token: username}
    sads = None           # {sad: (credential_id, set(hashes))}
    calls = None

    def _json(self, status, data):
        self._send(status, json.dumps(data).encode(), "application/json")

    def _error(self, status, error, description):
        self._json(status, {"error": error, "error_description": description})

    def _user(self):
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return self.tokens.get(auth[7:])
        return None

    def do_POST(self):
        body = self._body()
        path = self.path
        self.calls.append(path)
        if path == "/csc/v2/info":
            return self._json(200, {"specs": "2.0.0.0", "name": "Motcua test CSC", "lang": "vi-VN",
                                    "authType": ["basic"], "methods": ["auth/login", "credentials/list",
                                    "credentials/info", "credentials/authorize", "signatures/signHash"]})
        if path == "/csc/v2/auth/login":
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                user, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
                if self.users.get(user) == pw:
                    token = secrets.token_urlsafe(16)
                    self.tokens[token] = user
                    return self._json(200, {"access_token": token, "expires_in": 3600})
            return self._error(401, "invalid_request", "bad credentials")
        user = self._user()
        if user is None:
            return self._error(401, "invalid_token", "missing or bad bearer token")
        try:
            req = json.loads(body or b"{}")
        except ValueError:
            return self._error(400, "invalid_request", "bad JSON")
        if path == "/csc/v2/credentials/list":
            return self._json(200, {"credentialIDs": [k for k, v in self.credentials.items() if v["owner"] == user]})
        cred_id = req.get("credentialID")
        cred = self.credentials.get(cred_id)
        if cred is None or cred["owner"] != user:
            return self._error(400, "invalid_request", "unknown credentialID")
        issued = cred["issued"]
        if path == "/csc/v2/credentials/info":
            certs = [issued.der] + [c.der for c in issued.chain]
            return self._json(200, {
                "description": issued.name,
                "key": {"status": "enabled", "algo": ["1.2.840.113549.1.1.11", "1.2.840.113549.1.1.1"], "len": 2048},
                "cert": {"status": "valid", "certificates": [base64.b64encode(c).decode() for c in certs]},
                "authMode": "explicit", "SCAL": "2", "multisign": 10})
        if path == "/csc/v2/credentials/authorize":
            if req.get("PIN") != cred["pin"]:
                return self._error(400, "invalid_pin", "wrong PIN")
            hashes_ = req.get("hashes") or []
            if not hashes_ or req.get("numSignatures") != len(hashes_):
                return self._error(400, "invalid_request", "hashes and numSignatures required")
            sad = secrets.token_urlsafe(16)
            self.sads[sad] = (cred_id, set(hashes_))
            return self._json(200, {"SAD": sad, "expiresIn": 300})
        if path == "/csc/v2/signatures/signHash":
            sad = self.sads.pop(req.get("SAD"), None)
            hashes_ = req.get("hashes") or []
            if sad is None or sad[0] != cred_id or not set(hashes_) <= sad[1]:
                return self._error(400, "invalid_request", "SAD missing, used or not covering the hashes")
            if req.get("hashAlgorithmOID") != "2.16.840.1.101.3.4.2.1":
                return self._error(400, "invalid_request", "only SHA-256 here")
            sigs = [base64.b64encode(issued.key.sign(base64.b64decode(h), padding.PKCS1v15(),
                                                     Prehashed(hashes.SHA256()))).decode() for h in hashes_]
            return self._json(200, {"signatures": sigs})
        self._error(404, "invalid_request", "unknown endpoint")


def start_csc(credentials, users):
    handler = type("CSC", (CSCHandler,), {"users": users, "credentials": credentials, "tokens": {}, "sads": {},
                                          "calls": []})
    server = serve(handler)
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    server.calls = handler.calls
    return server
