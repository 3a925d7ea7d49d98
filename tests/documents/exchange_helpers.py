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


def register_leader(pki_leader_p12_config, actors, province, agency_code):
    """The leader's personal signing key (the person step of the signing plan)."""
    return signing.register_key(actors["leader"], agency_code, label="Giám đốc", kind="personal",
                                holder=province.leader, holder_name="Trần Văn Bình", holder_title="Phó Giám đốc",
                                authority="KT. Giám đốc", source="pkcs12", config=pki_leader_p12_config)


def sign_and_seal(actors, doc_id, keys, *, now=None):
    """The signing plan of an outgoing document: the leader signs, then the clerk numbers it and seals."""
    services.sign(actors["leader"], doc_id, key_id=keys["leader"].pk, level="B-B", now=now)
    return services.sign(actors["clerk"], doc_id, key_id=keys["seal"].pk, level="B-B", now=now)


def approved_draft(actors, agency_code, recipients, *, subject="Về việc phối hợp cấp phép xây dựng", now=None):
    doc = services.create_draft(actors["specialist"], agency_code, type_name="Công văn", subject=subject,
                                secrecy=SecrecyLevel.NORMAL, recipients=recipients, signer_authority="KT. GIÁM ĐỐC",
                                signer_position="PHÓ GIÁM ĐỐC", signer_name="Trần Văn Bình",
                                pdf_bytes=make_pdf(1, "CONG VAN", "PHOI HOP"), now=now)
    services.review(actors["head"], doc.pk, now=now)
    return services.approve(actors["leader"], doc.pk, now=now)


def signed_issued(actors, agency_code, keys, recipients, *, subject="Về việc phối hợp cấp phép xây dựng", now=None):
    doc = approved_draft(actors, agency_code, recipients, subject=subject, now=now)
    sign_and_seal(actors, doc.pk, keys, now=now)
    return services.issue(actors["clerk"], doc.pk, now=now)
