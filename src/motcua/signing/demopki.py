"""A test PKI for the demo province: root CA, issuing CA, TSA, and a certificate for every department and
district (the agency seal) and for its leader, registered in the certificate registry. Never for
production: the keys sit in a directory and in the database.

    motcua signing demo-pki [--dir var/demo-pki] [--base-url http://127.0.0.1:8000]

The certificates name `<base-url>/demo-pki/ocsp` and `<base-url>/demo-pki/crl/ca.crl`, and the TSA is
`<base-url>/demo-pki/tsa`; Motcua itself answers them (`views`) when `MOTCUA_SIGNING_DEMO_PKI` names the
directory, which `motcua demo` sets together with the trust root, the TSA URL and the fetch allow-list.
"""
import base64
import datetime as dt
import io
import json
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = dt.timezone.utc
PASSPHRASE = "motcua-demo"


def _name(cn, org):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem(obj):
    if isinstance(obj, x509.Certificate):
        return obj.public_bytes(serialization.Encoding.PEM)
    return obj.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _issue(subject, key, issuer_name, issuer_key, *, days, ca=False, eku=None, base_url=None):
    now = dt.datetime.now(UTC).replace(microsecond=0)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
         .not_valid_after(now + dt.timedelta(days=days))
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not ca and eku is None,
                                      key_encipherment=False, data_encipherment=False, key_agreement=False,
                                      key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False),
                        critical=True))
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage([eku]), critical=True)
    if base_url:
        b = (b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(f"{base_url}/demo-pki/crl/ca.crl")], None, None, None)]),
                critical=False)
             .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                 x509.oid.AuthorityInformationAccessOID.OCSP,
                 x509.UniformResourceIdentifier(f"{base_url}/demo-pki/ocsp"))]), critical=False))
    return b.sign(issuer_key, hashes.SHA256())


class DemoPKI:
    """The CA material in `directory` (root.pem, ca.pem, ca.key, tsa.pem, tsa.key, issued.json)."""

    def __init__(self, directory):
        self.dir = Path(directory)

    @property
    def root_path(self):
        return self.dir / "root.pem"

    def exists(self):
        return (self.dir / "ca.key").exists()

    def load(self, name):
        return x509.load_pem_x509_certificate((self.dir / f"{name}.pem").read_bytes())

    def key(self, name):
        return serialization.load_pem_private_key((self.dir / f"{name}.key").read_bytes(), password=None)

    def base_url(self):
        return json.loads((self.dir / "pki.json").read_text())["base_url"]

    def create(self, base_url):
        self.dir.mkdir(parents=True, exist_ok=True)
        root_key, ca_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(2))
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)   # pyHanko's TSA logic: RSA
        root_name = _name("Motcua Demo Root CA", "Motcua Demo PKI")
        root = _issue(root_name, root_key, root_name, root_key, days=3650, ca=True)
        ca_name = _name("Motcua Demo Issuing CA", "Motcua Demo PKI")
        ca = _issue(ca_name, ca_key, root_name, root_key, days=1825, ca=True)
        tsa = _issue(_name("Motcua Demo TSA", "Motcua Demo PKI"), tsa_key, ca_name, ca_key, days=1825,
                     eku=ExtendedKeyUsageOID.TIME_STAMPING, base_url=base_url)
        for name, cert, key in (("root", root, None), ("ca", ca, ca_key), ("tsa", tsa, tsa_key)):
            (self.dir / f"{name}.pem").write_bytes(_pem(cert))
            if key is not None:
                (self.dir / f"{name}.key").write_bytes(_pem(key))
                (self.dir / f"{name}.key").chmod(0o600)
        (self.dir / "pki.json").write_text(json.dumps({"base_url": base_url, "revoked": {}}))
        return self

    def issue_p12(self, cn, org, *, days=730):
        """A PKCS#12 (passphrase PASSPHRASE) with a fresh key, the certificate and the chain."""
        key = ec.generate_private_key(ec.SECP256R1())
        ca = self.load("ca")
        cert = _issue(_name(cn, org), key, ca.subject, self.key("ca"), days=days, base_url=self.base_url())
        return pkcs12.serialize_key_and_certificates(
            cn.encode(), key, cert, [ca, self.load("root")],
            serialization.BestAvailableEncryption(PASSPHRASE.encode()))

    # ---- the services the certificates name
    def crl(self):
        ca, key = self.load("ca"), self.key("ca")
        now = dt.datetime.now(UTC)
        b = (x509.CertificateRevocationListBuilder().issuer_name(ca.subject)
             .last_update(now - dt.timedelta(minutes=5)).next_update(now + dt.timedelta(days=1))
             .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False))
        return b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ocsp_response(self, der_request, certificates):
        """Every certificate this CA issued is good (the demo revokes nothing); unknown serials: unauthorized."""
        req = ocsp.load_der_ocsp_request(der_request)
        target = certificates.get(req.serial_number)
        if target is None:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
                serialization.Encoding.DER)
        ca, key = self.load("ca"), self.key("ca")
        now = dt.datetime.now(UTC)
        b = ocsp.OCSPResponseBuilder().add_response(
            cert=target, issuer=ca, algorithm=hashes.SHA1() if isinstance(req.hash_algorithm, hashes.SHA1)
            else hashes.SHA256(), cert_status=ocsp.OCSPCertStatus.GOOD, this_update=now - dt.timedelta(minutes=1),
            next_update=now + dt.timedelta(hours=12), revocation_time=None, revocation_reason=None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, ca)
        for ext in req.extensions:
            if isinstance(ext.value, x509.OCSPNonce):
                b = b.add_extension(ext.value, critical=False)
        return b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def timestamp_response(self, der_request):
        from asn1crypto import keys as asn1_keys
        from asn1crypto import tsp
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        def a(cert):
            return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        key = asn1_keys.PrivateKeyInfo.load(self.key("tsa").private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        stamper = DummyTimeStamper(tsa_cert=a(self.load("tsa")), tsa_key=key, certs_to_embed=[a(self.load("ca"))])
        return stamper.request_tsa_response(tsp.TimeStampReq.load(der_request)).dump()


def seal_png(size=240):
    """A red round seal image (demo only)."""
    from PIL import Image, ImageDraw
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((4, 4, size - 4, size - 4), outline=(200, 20, 20, 230), width=10)
    d.ellipse((40, 40, size - 40, size - 40), outline=(200, 20, 20, 230), width=5)
    d.regular_polygon((size // 2, size // 2, size // 6), 5, fill=(200, 20, 20, 230))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def signature_png(w=360, h=140):
    from PIL import Image, ImageDraw
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pts = [(20, 100), (60, 30), (90, 110), (130, 40), (170, 100), (210, 50), (250, 95), (300, 35), (340, 80)]
    d.line(pts, fill=(20, 40, 160, 255), width=6, joint="curve")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def register_demo_keys(pki, admin_actor, *, kinds=("department", "district")):
    """A seal certificate for every department and district, and a personal one for its leader, registered
    (idempotent: agencies that already have keys are skipped). Returns the number of keys registered."""
    from motcua.agencies.models import Agency, Membership, Role

    from . import services
    from .models import SigningKey

    seal, signature = seal_png(), signature_png()
    n = 0
    for agency in Agency.objects.filter(kind__in=kinds).order_by("code"):
        if SigningKey.objects.filter(agency=agency).exists():
            continue
        config = lambda p12: {"data_b64": base64.b64encode(p12).decode(), "passphrase": PASSPHRASE}  # noqa: E731
        services.register_key(admin_actor, agency.code, label=f"Con dấu {agency.name}", kind="organisation",
                              source="pkcs12", config=config(pki.issue_p12(agency.name.upper(), agency.name)),
                              seal_image=seal)
        n += 1
        leader = Membership.objects.filter(agency=agency, role=Role.AGENCY_LEADER).select_related("user").first()
        if leader is None:
            continue
        person = f"{leader.user.last_name} {leader.user.first_name}".strip() or leader.user.username
        authority = "KT. GIÁM ĐỐC" if agency.kind == "department" else "TM. ỦY BAN NHÂN DÂN"
        services.register_key(admin_actor, agency.code, label=f"Chữ ký số {person}", kind="personal",
                              holder=leader.user, holder_name=person, holder_title=leader.title or "",
                              authority=authority, source="pkcs12",
                              config=config(pki.issue_p12(person, agency.name)), signature_image=signature,
                              seal_image=seal)
        n += 1
    return n


def issued_certificates():
    """serial -> certificate of every registered key (what the demo OCSP responder answers for)."""
    from .models import SigningKey
    out = {}
    for der in SigningKey.objects.values_list("certificate_der", flat=True):
        cert = x509.load_der_x509_certificate(bytes(der))
        out[cert.serial_number] = cert
    return out


# ---------------------------------------------------------------- the services, answered by Motcua itself

def _pki():
    from django.conf import settings
    from django.http import Http404
    directory = getattr(settings, "MOTCUA_SIGNING_DEMO_PKI", "")
    if not directory or not DemoPKI(directory).exists():
        raise Http404
    return DemoPKI(directory)


def crl_view(request, name):
    from django.http import Http404, HttpResponse
    if name != "ca":
        raise Http404
    return HttpResponse(_pki().crl(), content_type="application/pkix-crl")


def ocsp_view(request):
    from django.http import HttpResponse, HttpResponseNotAllowed
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pki = _pki()
    certs = issued_certificates()
    tsa = pki.load("tsa")
    certs[tsa.serial_number] = tsa
    return HttpResponse(pki.ocsp_response(request.body, certs), content_type="application/ocsp-response")


def tsa_view(request):
    from django.http import HttpResponse, HttpResponseNotAllowed
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return HttpResponse(_pki().timestamp_response(request.body), content_type="application/timestamp-reply")


def urls():
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt
    return [path("crl/<str:name>.crl", crl_view), path("ocsp", csrf_exempt(ocsp_view)),
            path("tsa", csrf_exempt(tsa_view))]
