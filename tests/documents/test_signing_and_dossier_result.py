"""The positive signing path of an outgoing document: the leader signs (the block carries the authority line,
"KT. GIÁM ĐỐC"), the clerk numbers it and applies the agency's seal in one act, then issues it; pdfsig shows
two valid signatures. A dossier's result drafted as an outgoing document becomes the dossier's signed result
file when issued, and the link reads both ways."""
import pytest

from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.documents import services
from motcua.documents.models import OutgoingStatus
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Attachment, Status
from motcua.signing import services as signing
from motcua.signing.models import SecrecyLevel

from ..conftest import at
from ..signing.conftest import _signing_settings, pdfsig, pdftotext, pki  # noqa: F401
from ..signing.samples import make_pdf
from ..signing.test_registry_dossier_results_copies_and_outgoing import _approved, keys  # noqa: F401


def _approved_doc(actors, province, **kw):
    data = dict(type_name="Quyết định", subject="Về việc cấp giấy phép xây dựng", secrecy=SecrecyLevel.NORMAL,
                signer_authority="KT. Giám đốc", signer_position="Phó Giám đốc", pdf_bytes=make_pdf(1, "QUYET DINH"))
    data.update(kw)
    doc = services.create_draft(actors["specialist"], province.sxd.code, now=at("2026-06-03 08:00"), **data)
    services.review(actors["head"], doc.pk, now=at("2026-06-03 08:30"))
    return services.approve(actors["leader"], doc.pk, now=at("2026-06-03 09:00"))


def test_leader_signs_clerk_numbers_and_seals_then_issues(province, actors, keys, pki, tmp_path):  # noqa: F811
    doc = _approved_doc(actors, province)
    with pytest.raises(Conflict):                                  # the seal before the leader's signature
        services.sign(actors["clerk"], doc.pk, key_id=keys["seal"].pk, step="seal")
    with pytest.raises(NotAllowed):                                # the clerk is not the person with authority
        services.sign(actors["clerk"], doc.pk, key_id=keys["seal"].pk, step="person")
    with pytest.raises(ValidationFailed) as err:                   # the leader signs as a person
        services.sign(actors["leader"], doc.pk, key_id=keys["seal"].pk, step="person")
    assert err.value.code == "personal_key_required"
    with pytest.raises(NotFound):
        services.sign(actors["other"], doc.pk, key_id=keys["leader"].pk)
    doc = services.sign(actors["leader"], doc.pk, key_id=keys["leader"].pk, now=at("2026-06-03 10:00"))
    assert doc.status == OutgoingStatus.SIGNING and doc.number is None and doc.signer_name == "Nguyễn Văn Giám"
    with pytest.raises(NotAllowed):                                # the leader does not seal
        services.sign(actors["leader"], doc.pk, key_id=keys["seal"].pk)
    doc = services.sign(actors["clerk"], doc.pk, key_id=keys["seal"].pk, now=at("2026-06-03 10:30"))
    assert doc.status == OutgoingStatus.SIGNED and doc.number_symbol == "01/QĐ-SXD"
    doc = services.issue(actors["clerk"], doc.pk, now=at("2026-06-03 11:00"))
    assert doc.status == OutgoingStatus.ISSUED and doc.number_symbol == "01/QĐ-SXD"    # not numbered twice
    assert [e.action for e in doc.events.all()] == ["draft", "review", "approve", "sign_person", "sign_seal",
                                                    "issue"]
    content = bytes(doc.signed_pdf)
    report = signing.verify(content)
    assert report["valid"] and report["count"] == 2
    f = tmp_path / "van-ban.pdf"
    f.write_bytes(content)
    out = pdfsig(pki, f)
    assert out.count("Signature is Valid") == 2 and "Digest Mismatch" not in out, out
    text = pdftotext(f)
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Nguyễn Văn Giám" in text, text


def test_secret_document_refused_before_any_key(province, actors, keys, pki):  # noqa: F811
    doc = _approved_doc(actors, province, secrecy=SecrecyLevel.SECRET)
    with pytest.raises(NotAllowed) as err:
        services.sign(actors["leader"], doc.pk, key_id=keys["leader"].pk)
    assert err.value.code == "secret_document_not_signed"
    assert services.issue(actors["clerk"], doc.pk).register.kind == "outgoing_secret"


def test_a_dossier_result_issued_as_an_outgoing_document(province, actors, keys, intake_data, pki):  # noqa: F811
    province.proc.signed_result_required = True
    province.proc.save()
    d = _approved(province, actors, intake_data)
    with pytest.raises(NotFound):                                  # another agency's officer: no such dossier
        services.create_draft(actors["other"], province.stp.code, type_name="Quyết định", subject="x",
                              secrecy=SecrecyLevel.NORMAL, dossier_code=d.code)
    doc = _approved_doc(actors, province, subject="Giấy phép xây dựng", dossier_code=d.code)
    services.sign(actors["leader"], doc.pk, key_id=keys["leader"].pk, now=at("2026-06-03 10:00"))
    services.sign(actors["clerk"], doc.pk, key_id=keys["seal"].pk, now=at("2026-06-03 10:30"))
    before = d.history.count()
    doc = services.issue(actors["clerk"], doc.pk, now=at("2026-06-03 11:00"))
    result = Attachment.objects.get(dossier=d, kind="result")
    assert result.signed and result.file.read() == bytes(doc.signed_pdf)
    assert d.history.count() == before + 1                         # one dossier event for the result file
    event = d.history.order_by("-seq").first()
    assert event.data["outgoing_document"] == doc.pk and event.data["number_symbol"] == "01/QĐ-SXD"
    # both ways: the document names its dossier, the dossier lists its documents
    assert doc.dossier == d and list(d.outgoing_documents.all()) == [doc]
    # the document's two signatures are the result's plan: the dossier may now be finished
    d = dossiers.mark_result_ready(actors["clerk"], d.code, now=at("2026-06-03 11:30"))
    assert d.status == Status.FINISHED


def test_the_dossier_page_links_its_result_documents(client, province, actors, intake_data):
    d = _approved(province, actors, intake_data)
    doc = services.create_draft(actors["specialist"], province.sxd.code, type_name="Quyết định", subject="Giấy phép",
                                secrecy=SecrecyLevel.NORMAL, dossier_code=d.code)
    client.force_login(province.specialist)
    page = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert f"/can-bo/van-ban/di/{doc.pk}/" in page and f"?ho_so={d.code}" in page
    detail = client.get(f"/can-bo/van-ban/di/{doc.pk}/").content.decode()
    assert f"/can-bo/ho-so/{d.code}/" in detail
