"""Shared by the exchange tests: a demo PKI whose root the receiving side trusts, a key for the sending agency,
and an issued, signed outgoing document."""
import base64

from motcua.documents import services
from motcua.signing import demopki
from motcua.signing import services as signing
from motcua.signing.models import SecrecyLevel

from ..signing.samples import make_pdf


def trust_demo_pki(settings, directory):
    pki = demopki.DemoPKI(directory)
    if not pki.exists():
        pki.create("http://127.0.0.1:9")       # nothing answers there: revocation is not fetched in these tests
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.root_path)]
    settings.MOTCUA_SIGNING_FETCH_REVOCATION = False
    settings.MOTCUA_SIGNING_LEVEL = "B-B"
    return pki


def register_seal(pki, admin_actor, agency):
    config = {"data_b64": base64.b64encode(pki.issue_p12(agency.name.upper(), agency.name)).decode(),
              "passphrase": demopki.PASSPHRASE}
    return signing.register_key(admin_actor, agency.code, label=f"Con dấu {agency.name}", kind="organisation",
                                source="pkcs12", config=config, seal_image=demopki.seal_png())


def signed_issued(actors, agency_code, key, recipients, *, subject="Về việc phối hợp cấp phép xây dựng", now=None):
    doc = services.create_draft(actors["specialist"], agency_code, type_name="Công văn", subject=subject,
                                secrecy=SecrecyLevel.NORMAL, recipients=recipients, signer_authority="KT. GIÁM ĐỐC",
                                signer_position="PHÓ GIÁM ĐỐC", signer_name="Trần Văn Bình", now=now)
    services.approve(actors["leader"], doc.pk, now=now)
    services.sign(actors["leader"], doc.pk, make_pdf(1, "CONG VAN", subject[:20]), key.pk, level="B-B", now=now)
    return services.issue(actors["clerk"], doc.pk, now=now)
