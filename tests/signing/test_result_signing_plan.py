"""The dossier's result is signed by the Decree 30 plan `ket-qua`: the leader's signature, then the agency
seal by the clerk, each in its own place, each one history event; the dossier becomes "result ready" only
when both signatures are present and verify (a single signature, even one flagged signed, is not enough).
Checked with the project's verifier and with poppler's pdfsig; through the service, the API and the page."""
import pytest
from rest_framework.test import APIClient

from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Attachment, Status
from motcua.signing import pdf, plan, results, services
from motcua.signing.models import SignatureRecord

from .conftest import p12_source, pdfsig, pdftotext
from .samples import make_pdf, tamper
from .test_registry_dossier_results_copies_and_outgoing import _approved, keys  # noqa: F401

KQ = plan.PLANS["ket-qua"]


@pytest.fixture
def required(province):
    province.proc.signed_result_required = True
    province.proc.save()


def _actions(d):
    return list(d.history.order_by("seq").values_list("action", flat=True))


def _upload(data, name="giay-phep.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_leader_signs_then_the_clerk_seals_and_only_then_the_dossier_is_ready(
        province, actors, keys, intake_data, pki, required, tmp_path):  # noqa: F811
    d = _approved(province, actors, intake_data)
    doc = make_pdf(1, "GIAY PHEP XAY DUNG")
    with pytest.raises(Conflict) as err:                     # the seal before the leader signed
        results.sign_result(actors["clerk"], d.code, keys["seal"].pk, step="seal")
    assert err.value.code == "plan_out_of_order"
    with pytest.raises(NotAllowed) as err:                   # the clerk is not the person with authority
        results.sign_result(actors["clerk"], d.code, keys["seal"].pk, step="person", pdf_bytes=doc)
    assert err.value.code == "role_required"
    with pytest.raises(ValidationFailed) as err:             # the leader signs as a person, not with the seal
        results.sign_result(actors["leader"], d.code, keys["seal"].pk, step="person", pdf_bytes=doc)
    assert err.value.code == "personal_key_required"
    with pytest.raises(NotFound):                            # another agency: the dossier does not exist for them
        results.sign_result(actors["other"], d.code, keys["leader"].pk, step="person", pdf_bytes=doc)
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and not Attachment.objects.filter(dossier=d).exists()
    assert not SignatureRecord.objects.exists()
    before = len(_actions(d))

    first = results.sign_result(actors["leader"], d.code, keys["leader"].pk, step="person", pdf_bytes=doc,
                                filename="giay-phep.pdf", version=d.version)
    d.refresh_from_db()
    assert first["step"] == "person" and first["next_step"] == "seal" and not first["complete"]
    assert d.status == Status.PROCESSING                     # one signature does not finish the dossier
    assert _actions(d)[before:] == ["sign_result_person"]    # one history event
    draft = first["attachment"]
    assert draft.kind == "other" and draft.internal and not draft.signed   # not the applicant's yet
    progress = results.result_progress(actors["clerk"], d)
    assert [s["done"] for s in progress["steps"]] == [True, False] and progress["next_step"] == "seal"
    assert progress["steps"][0]["signer"] == "Nguyễn Văn Giám" and progress["draft"] == draft
    with pytest.raises(Conflict) as err:                     # nobody marks it ready with the leader's alone
        dossiers.mark_result_ready(actors["clerk"], d.code)
    assert err.value.code == "signed_result_required"
    with pytest.raises(NotAllowed) as err:                   # a specialist does not apply the seal
        results.sign_result(actors["specialist"], d.code, keys["seal"].pk, step="seal")
    assert err.value.code == "role_required"
    with pytest.raises(NotAllowed) as err:                   # the leader does not seal their own signature
        results.sign_result(actors["leader"], d.code, keys["seal"].pk, step="seal")
    assert err.value.code == "role_required"
    with pytest.raises(ValidationFailed) as err:             # the clerk seals the leader's file, not another one
        results.sign_result(actors["clerk"], d.code, keys["seal"].pk, step="seal", pdf_bytes=make_pdf(1))
    assert err.value.code == "file_not_expected"

    second = results.sign_result(actors["clerk"], d.code, keys["seal"].pk)   # the next step: the seal
    d.refresh_from_db()
    assert second["step"] == "seal" and second["complete"] and second["done"] == ["person", "seal"]
    assert d.status == Status.FINISHED
    assert _actions(d)[before:] == ["sign_result_person", "sign_result_seal", "mark_result_ready"]
    result = Attachment.objects.get(dossier=d, kind="result")
    assert result.signed and not result.internal and result.filename == "giay-phep.pdf"
    content = result.file.read()
    assert content == second["signed"] and content.startswith(first["signed"])   # an incremental update
    report = services.verify(content)
    assert report["valid"] and report["count"] == 2 and report["issued_by_motcua"]
    sigs = {s["field"]: s for s in report["signatures"]}
    assert sigs[KQ.field("person")]["signer"] == "Nguyễn Văn Giám"
    assert sigs[KQ.field("seal")]["signer"].startswith("SỞ XÂY DỰNG")
    assert not any(s["changed_after_signing"] for s in report["signatures"])
    assert results.plan_problem(content) is None
    # each appearance in its own place: the seal over the left third of the leader's signature block
    _done, found = plan.progress(content, KQ)
    person_rect, seal_rect = found[KQ.field("person")][2], found[KQ.field("seal")][2]
    assert person_rect != seal_rect and seal_rect[0] < person_rect[0] + (person_rect[2] - person_rect[0]) / 2
    f = tmp_path / "ket-qua.pdf"
    f.write_bytes(content)
    out = pdfsig(pki, f)
    assert out.count("Signature is Valid") == 2 and "Digest Mismatch" not in out, out
    # the leader's signature covers its own revision, unchanged (poppler: valid, not the total document);
    # the verifier reports the later revision as one that only adds the seal, which is allowed
    first_block = out.split("Signature #2")[0]
    assert "KQ-01-person" in first_block and "Not total document signed" in first_block
    assert "Signature is Valid" in first_block and "Certificate is Trusted" in first_block, out
    leader_sig = sigs[KQ.field("person")]
    assert leader_sig["later_revisions"]["signatures"] == [KQ.field("seal")] and leader_sig["ok"], leader_sig
    assert "Nguyễn Văn Giám" in pdftotext(f)
    assert SignatureRecord.objects.filter(purpose="result", dossier_code=d.code).count() == 2
    assert progress_done(actors["leader"], d) == [True, True]
    with pytest.raises(Conflict):                            # finished: nothing more to sign
        results.sign_result(actors["clerk"], d.code, keys["seal"].pk, step="seal")


def progress_done(actor, d):
    return [s["done"] for s in results.result_progress(actor, d)["steps"]]


def test_a_result_with_one_signature_or_a_broken_one_is_never_ready(province, actors, keys, intake_data, pki,
                                                                    required):  # noqa: F811
    """Before the plan, one signature (the leader's or the seal alone) let the dossier move to status 9."""
    d = _approved(province, actors, intake_data)
    single = pdf.sign_pdf(make_pdf(1), p12_source(pki.agency), pdf.SignOptions(level="B-B"))
    dossiers.attach(actors["clerk"], d.code, kind="result", filename="kq.pdf", content=single, signed=True)
    with pytest.raises(Conflict) as err:
        dossiers.mark_result_ready(actors["clerk"], d.code)
    assert err.value.code == "result_signing_incomplete" and err.value.details["missing"] == ["person", "seal"]
    # the leader's step alone, stored as if it were the result
    person = results.sign_result(actors["leader"], d.code, keys["leader"].pk, step="person", pdf_bytes=make_pdf(1),
                                 level="B-B")["signed"]
    dossiers.attach(actors["clerk"], d.code, kind="result", filename="kq.pdf", content=person, signed=True)
    with pytest.raises(Conflict) as err:
        dossiers.mark_result_ready(actors["clerk"], d.code)
    assert err.value.code == "result_signing_incomplete" and err.value.details["missing"] == ["seal"]
    # both signatures, but the content was changed after signing
    sealed = results.sign_result(actors["clerk"], d.code, keys["seal"].pk, level="B-B")
    d.refresh_from_db()
    assert d.status == Status.FINISHED
    assert results.plan_problem(tamper(sealed["signed"], b"trang 1", b"trang 9"))["invalid"]


def test_the_api_signs_the_plan_step_by_step(province, actors, keys, intake_data, required):  # noqa: F811
    d = _approved(province, actors, intake_data)
    url = f"/api/v1/signing/dossiers/{d.code}/result/"
    clerk, leader, other = APIClient(), APIClient(), APIClient()
    clerk.force_authenticate(province.clerk)
    leader.force_authenticate(province.leader)
    other.force_authenticate(province.other)
    r = clerk.get(url)
    assert r.status_code == 200 and r.json()["next_step"] == "person" and not r.json()["complete"]
    assert other.get(url).status_code == 404
    r = clerk.post(url, {"step": "seal", "key_id": keys["seal"].pk, "version": d.version}, format="multipart")
    assert r.status_code == 409 and r.json()["code"] == "plan_out_of_order", r.content
    r = clerk.post(url, {"file": _upload(make_pdf(2)), "step": "person", "key_id": keys["seal"].pk},
                   format="multipart")
    assert r.status_code == 403 and r.json()["code"] == "role_required"
    r = leader.post(url, {"file": _upload(make_pdf(2)), "step": "person", "key_id": keys["leader"].pk,
                          "version": d.version}, format="multipart")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["step"] == "person" and body["next_step"] == "seal" and body["status"] == Status.PROCESSING
    r = clerk.get(url)
    assert [s["done"] for s in r.json()["steps"]] == [True, False] and r.json()["draft"] == body["attachment"]
    r = clerk.post(url, {"step": "seal", "key_id": keys["seal"].pk, "version": body["version"]}, format="multipart")
    assert r.status_code == 201, r.content
    assert r.json()["complete"] and r.json()["status"] == Status.FINISHED and r.json()["done"] == ["person", "seal"]
    assert clerk.get(url).json()["complete"]


def test_the_dossier_page_shows_the_plan_leader_signs_then_clerk_seals(client, province, actors, keys,  # noqa: F811
                                                                     intake_data, required):
    d = _approved(province, actors, intake_data)
    client.force_login(province.clerk)
    page = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert 'id="result-plan"' in page and "Chờ lãnh đạo cơ quan ký số kết quả" in page
    assert 'data-action="sign_result"' not in page            # not the clerk's turn
    client.force_login(province.leader)
    page = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert 'data-action="sign_result" data-step="person"' in page and "Con dấu Sở Xây dựng" not in page.split('id="sr-key"')[1].split("</select>")[0]
    url = f"/can-bo/ky-so/ho-so/{d.code}/ky-ket-qua/"
    r = client.post(url, {"step": "person", "file": _upload(make_pdf(1)), "key_id": keys["leader"].pk,
                          "version": d.version}, follow=True)
    html = r.content.decode()
    assert "chờ văn thư đóng dấu" in html and 'data-action="sign_result"' not in html   # the leader's part is done
    assert 'data-done="1"' in html and "Nguyễn Văn Giám" in html
    d.refresh_from_db()
    assert d.status == Status.PROCESSING
    client.force_login(province.clerk)
    page = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert 'data-action="sign_result" data-step="seal"' in page and "lanh-dao-da-ky.pdf" in page
    r = client.post(url, {"step": "seal", "key_id": keys["seal"].pk, "version": d.version}, follow=True)
    assert "kết quả đã được ký đủ" in r.content.decode()
    d.refresh_from_db()
    assert d.status == Status.FINISHED


def test_the_leader_signs_with_a_remote_key_and_the_clerk_seals_with_a_token_each_typing_the_pin(
        province, actors, pki, csc, softhsm, intake_data, required):
    """Remote CSC for the leader (the provider's confirmation PIN typed at signing) and a PKCS#11 token for the
    agency seal (its PIN typed at signing): neither PIN is stored, a wrong one signs nothing."""
    remote = services.register_key(actors["leader"], "000.00.17.H13", label="Ký số từ xa", kind="personal",
                                   holder=province.leader, holder_name="Nguyễn Văn Giám", source="csc",
                                   config={"service_url": csc.base_url, "credential_id": "cred-leader",
                                           "username": "giamdoc", "password": "mat-khau-csc"})
    token = services.register_key(actors["admin"], "000.00.17.H13", label="Token con dấu", kind="organisation",
                                  source="pkcs11", config={k: v for k, v in softhsm.items() if k != "pin"},
                                  secrets={"pin": softhsm["pin"]})
    assert "pin" not in token.source_config
    d = _approved(province, actors, intake_data)
    with pytest.raises(Conflict):
        results.sign_result(actors["leader"], d.code, remote.pk, step="person", pdf_bytes=make_pdf(1),
                            secrets={"pin": "000000"})
    assert not Attachment.objects.filter(dossier=d).exists() and not SignatureRecord.objects.exists()
    results.sign_result(actors["leader"], d.code, remote.pk, step="person", pdf_bytes=make_pdf(1),
                        secrets={"pin": "246810"})
    with pytest.raises(Conflict) as err:
        results.sign_result(actors["clerk"], d.code, token.pk, step="seal", secrets={"pin": "0000"})
    assert err.value.code == "key_unusable"
    d.refresh_from_db()
    assert d.status == Status.PROCESSING
    out = results.sign_result(actors["clerk"], d.code, token.pk, step="seal", secrets={"pin": softhsm["pin"]})
    d.refresh_from_db()
    assert d.status == Status.FINISHED and out["complete"]
    report = services.verify(out["signed"])
    assert report["valid"] and [s["signer"] for s in report["signatures"]] == ["Nguyễn Văn Giám", "SỞ XÂY DỰNG"]
