"""The co-signing service: the specialist's initials, the leader's signature and the clerk's agency seal on
one outgoing document, each by the person whose role and key fit the step, in the plan's order; a step
out of turn, by the wrong role or with the wrong kind of key is refused with a clear code, and so is
signing on top of a document changed since its earlier signatures."""
import pytest

from motcua.core.errors import Conflict, NotAllowed, ValidationFailed
from motcua.signing import cosign, services
from motcua.signing.models import SignatureRecord

from .conftest import p12_config
from .samples import make_pdf, seal_png, signature_png, tamper

SXD = "000.00.17.H13"


@pytest.fixture
def keys(province, actors, pki):
    reg = services.register_key
    return {
        "specialist": reg(actors["leader"], SXD, label="Chuyên viên", kind="personal", holder=province.specialist,
                          holder_name="Lê Văn Sắp Hết", source="pkcs12", config=p12_config(pki.expiring)),
        "leader": reg(actors["leader"], SXD, label="Giám đốc", kind="personal", holder=province.leader,
                      holder_name="Nguyễn Văn Giám", holder_title="Phó Giám đốc", authority="KT. Giám đốc",
                      source="pkcs12", config=p12_config(pki.leader), signature_image=signature_png(),
                      seal_image=seal_png()),
        "seal": reg(actors["admin"], SXD, label="Con dấu", kind="organisation", source="pkcs12",
                    config=p12_config(pki.agency), seal_image=seal_png()),
    }


def test_initials_leader_then_seal(actors, keys, pki):
    doc = make_pdf(1, "CONG VAN")
    r1 = cosign.sign_plan_step(actors["specialist"], SXD, doc, keys["specialist"].pk, secrecy="thuong", step="initials")
    assert r1["done"] == ["initials"] and r1["next_step"] == "person"
    r2 = cosign.sign_plan_step(actors["leader"], SXD, r1["signed"], keys["leader"].pk, secrecy="thuong", step="person")
    r3 = cosign.sign_plan_step(actors["clerk"], SXD, r2["signed"], keys["seal"].pk, secrecy="thuong", step="seal")
    assert r3["done"] == ["initials", "person", "seal"] and r3["next_step"] is None
    assert r3["signed"].startswith(r2["signed"]) and r2["signed"].startswith(r1["signed"])
    report = services.verify(r3["signed"])
    assert report["valid"] and report["count"] == 3 and report["issued_by_motcua"]
    assert [s["registered_agency"] for s in report["signatures"]] == ["Sở Xây dựng"] * 3
    assert not any(s["changed_after_signing"] for s in report["signatures"])
    assert SignatureRecord.objects.filter(purpose="outgoing").count() == 3


def test_refusals(actors, keys, pki):
    doc = make_pdf(1)
    with pytest.raises(ValidationFailed) as err:   # an outgoing document must declare its secrecy level
        cosign.sign_plan_step(actors["specialist"], SXD, doc, keys["specialist"].pk, step="initials")
    assert err.value.code == "secrecy_required"
    with pytest.raises(Conflict) as err:       # the seal before the person signed
        cosign.sign_plan_step(actors["clerk"], SXD, doc, keys["seal"].pk, secrecy="thuong", step="seal")
    assert err.value.code == "plan_out_of_order"
    with pytest.raises(NotAllowed) as err:     # a clerk is not the person with authority
        cosign.sign_plan_step(actors["clerk"], SXD, doc, keys["seal"].pk, secrecy="thuong", step="person")
    assert err.value.code == "role_required"
    with pytest.raises(ValidationFailed) as err:   # the seal step needs the agency's certificate
        cosign.sign_plan_step(actors["leader"], SXD, doc, keys["leader"].pk, secrecy="thuong", step="seal")
    assert err.value.code == "organisation_key_required"
    with pytest.raises(ValidationFailed) as err:   # the person's step needs a personal certificate
        cosign.sign_plan_step(actors["leader"], SXD, doc, keys["seal"].pk, secrecy="thuong", step="person", plan="ket-qua")
    assert err.value.code == "personal_key_required"
    with pytest.raises(ValidationFailed) as err:
        cosign.sign_plan_step(actors["leader"], SXD, doc, keys["leader"].pk, secrecy="thuong", step="copy")
    assert err.value.code == "step_not_in_plan"
    with pytest.raises(NotAllowed) as err:
        cosign.sign_plan_step(actors["leader"], SXD, doc, keys["leader"].pk, secrecy="thuong", step="person", plan="ket-qua",
                              confidentiality="MẬT")
    assert err.value.code == "secret_document_not_signed"

    first = cosign.sign_plan_step(actors["leader"], SXD, doc, keys["leader"].pk, secrecy="thuong", step="person", plan="ket-qua")
    with pytest.raises(Conflict) as err:
        cosign.sign_plan_step(actors["leader"], SXD, first["signed"], keys["leader"].pk, secrecy="thuong", step="person",
                              plan="ket-qua")
    assert err.value.code == "step_already_signed"
    # somebody changed the signed content: the seal is not put on top of it
    changed = tamper(first["signed"], b"trang 1", b"trang 9")
    with pytest.raises(Conflict) as err:
        cosign.sign_plan_step(actors["clerk"], SXD, changed, keys["seal"].pk, secrecy="thuong", step="seal", plan="ket-qua")
    assert err.value.code == "earlier_signature_invalid"
    assert SignatureRecord.objects.count() == 1
