"""Fixtures of the signing suite: one local test PKI (root, CA, TSA, OCSP, CRLs) served over HTTP on
127.0.0.1 for the whole session, SoftHSM2 and CSC servers when asked, and pdfsig/pdftotext helpers."""
import base64
import os
import shutil
import subprocess

import pytest

from motcua.signing import keys

from . import pki as testpki

SOFTHSM_LIBS = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"]
USER_PIN = "1234"


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    p = testpki.start_pki(tmp_path_factory.mktemp("pki"))
    yield p
    p.server.shutdown()


@pytest.fixture(autouse=True)
def _signing_settings(settings, pki, tmp_path):
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.root_pem_path)]
    settings.MOTCUA_SIGNING_TSA_URL = pki.tsa_url
    settings.MOTCUA_SIGNING_LEVEL = "B-T"
    settings.MOTCUA_SIGNING_FETCH_REVOCATION = True
    settings.MOTCUA_SIGNING_FETCH_ALLOW = [pki.base_url.removeprefix("http://")]
    settings.MEDIA_ROOT = tmp_path / "media"


def p12_config(issued):
    return {"data_b64": base64.b64encode(issued.p12()).decode(), "passphrase": testpki.P12_PASSWORD}


def p12_source(issued):
    return keys.source_for("pkcs12", p12_config(issued))


def pdfsig(pki, path):
    """pdfsig's report on a file (trusting the test root through an NSS database), or skip."""
    if not shutil.which("pdfsig"):
        pytest.skip("poppler's pdfsig is not installed (apt-get install poppler-utils)")
    args = ["pdfsig"]
    if shutil.which("certutil"):
        args += ["-nssdir", pki.nss_db()]
    return subprocess.run(args + [str(path)], capture_output=True, text=True, timeout=60).stdout


def pyhanko_cli():
    """The pyHanko command line (pyhanko-cli, in requirements-test.txt) next to this Python, or skip."""
    import sys
    from pathlib import Path
    exe = Path(sys.executable).parent / "pyhanko"
    found = str(exe) if exe.exists() else shutil.which("pyhanko")
    if not found:
        pytest.skip("the pyHanko command line is not installed (pip install pyhanko-cli)")
    return found


def pdftotext(path, *crop):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed (apt-get install poppler-utils)")
    args = ["pdftotext", "-layout"]
    if crop:
        page, x, y, w, h = crop
        args += ["-f", str(page), "-l", str(page), "-r", "72", "-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)]
    return subprocess.run(args + [str(path), "-"], capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="session")
def softhsm(pki, tmp_path_factory):
    """A SoftHSM2 token holding the agency key and certificate; skipped when SoftHSM2 is absent."""
    lib = next((p for p in SOFTHSM_LIBS if os.path.exists(p)), None)
    if lib is None or not shutil.which("softhsm2-util"):
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2)")
    d = tmp_path_factory.mktemp("softhsm")
    (d / "tokens").mkdir()
    conf = d / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {d / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    run = lambda *a: subprocess.run(["softhsm2-util", *a], check=True, capture_output=True, text=True)  # noqa: E731
    run("--init-token", "--free", "--label", "motcua-test", "--pin", USER_PIN, "--so-pin", "12345678")
    key_file = d / "agency.key.pem"
    key_file.write_bytes(pki.agency.key_pem())
    run("--import", str(key_file), "--token", "motcua-test", "--label", "agency", "--id", "0a", "--pin", USER_PIN)
    key_file.unlink()
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass
    token = pkcs11.lib(lib).get_token(token_label="motcua-test")
    with token.open(rw=True, user_pin=USER_PIN) as session:
        session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                               Attribute.TOKEN: True, Attribute.LABEL: "agency", Attribute.ID: b"\x0a",
                               Attribute.VALUE: pki.agency.der, Attribute.SUBJECT: pki.agency.asn1.subject.dump()})
        session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                               Attribute.TOKEN: True, Attribute.LABEL: "ca", Attribute.ID: b"\x0b",
                               Attribute.VALUE: pki.ca.der, Attribute.SUBJECT: pki.ca.asn1.subject.dump()})
    yield {"module": lib, "token_label": "motcua-test", "pin": USER_PIN, "key_label": "agency", "cert_label": "agency"}
    keys.Pkcs11Source.close_all()


@pytest.fixture(scope="session")
def csc(pki):
    server = testpki.start_csc(
        credentials={"cred-leader": {"issued": pki.leader, "pin": "246810", "owner": "giamdoc"}},
        users={"giamdoc": "mat-khau-csc"})
    yield server
    server.shutdown()
