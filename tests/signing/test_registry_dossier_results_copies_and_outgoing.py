"""The certificate registry per agency (with expiry warnings), and where signing is used: the dossier's
result (then status 9, the signed file is the result), a certified digitised copy of a component, an
outgoing document, and the refusal of secret documents."""
import base64
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Attachment, Status
from motcua.signing import pdf, results, services
from motcua.signing.models import SignatureRecord

from ..conftest import at
from .conftest import p12_config, pdfsig, pdftotext
from .samples import make_pdf, seal_png, signature_png


@pytest.fixture
def keys(province, actors, pki):
    k = {}
    k["seal"] = services.register_key(actors["admin"], "000.00.17.H13", label="Con dấu Sở Xây dựng", kind="organisation",
                                      source="pkcs12", config=p12_config(pki.agency), seal_image=seal_png())
    k["leader"] = services.register_key(actors["leader"], "000.00.17.H13", label="Giám đốc", kind="personal",
                                        holder=province.leader, holder_name="Nguyễn Văn Giám",
                                        holder_title="Phó Giám đốc", authority="KT. Giám đốc", source="pkcs12",
                                        config=p12_config(pki.leader), signature_image=signature_png(),
                                        seal_image=seal_png())
    k["expiring"] = services.register_key(actors["admin"], "000.00.17.H13", label="Sắp hết hạn", kind="organisation",
                                          source="pkcs12", config=p12_config(pki.expiring))
    return k


def _approved(province, actors, intake_data):
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    dossiers.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    dossiers.forward(actors["specialist"], d.code, now=at("2026-06-02 10:00"))
    dossiers.approve(actors["leader"], d.code, now=at("2026-06-03 09:00"))
    d.refresh_from_db()
    return d


def _signed_result(actors, code, leader_key, seal_key, doc=None, *, level=None, leader="leader", clerk="clerk"):
    """The result's plan on a dossier: the leader signs, the clerk seals. Returns the seal step's answer."""
    results.sign_result(actors[leader], code, leader_key.pk, step="person", pdf_bytes=doc or make_pdf(1),
                        level=level)
    return results.sign_result(actors[clerk], code, seal_key.pk, step="seal", level=level)


def test_registry_reads_the_certificate_and_warns_before_expiry(province, actors, keys, pki, capsys):
    assert keys["seal"].subject.startswith("Common Name: SỞ XÂY DỰNG")
    assert keys["seal"].agency == province.sxd
    from motcua.signing.models import SigningKey
    stored = {k.label: k for k in SigningKey.objects.all()}
    assert bytes(stored["Con dấu Sở Xây dựng"].seal_image) == seal_png()          # the images given are kept
    assert bytes(stored["Giám đốc"].signature_image) == signature_png()
    assert stored["Sắp hết hạn"].seal_image is None and stored["Sắp hết hạn"].signature_image is None
    rows = services.expiring_keys(actors["admin"])
    assert [r["key"] for r in rows] == [keys["expiring"]] and 8 <= rows[0]["days_left"] <= 10
    assert services.expiring_keys(actors["other"]) == []          # another agency's officers see nothing
    assert "sẽ hết hạn sau" in services.expiry_warning(keys["expiring"])
    with pytest.raises(SystemExit) as exit_:
        call_command("signing", "expiring")
    assert exit_.value.code == 1 and "Sắp hết hạn" in capsys.readouterr().out
    with pytest.raises(Conflict) as err:
        services.register_key(actors["admin"], "000.00.17.H13", label="lại", kind="organisation", source="pkcs12",
                              config=p12_config(pki.agency))
    assert err.value.code == "certificate_already_registered"
    with pytest.raises(NotAllowed):
        services.register_key(actors["specialist"], "000.00.17.H13", label="x", kind="organisation",
                              source="pkcs12", config=p12_config(pki.stp))
    with pytest.raises(ValidationFailed) as err:
        services.register_key(actors["admin"], "000.00.17.H13", label="x", kind="organisation", source="pkcs12",
                              config=dict(p12_config(pki.stp), passphrase="sai"))
    assert err.value.code == "key_unusable"


def test_signing_the_result_attaches_it_and_finishes_the_dossier(province, actors, keys, intake_data, pki, tmp_path):
    d = _approved(province, actors, intake_data)
    results.sign_result(actors["leader"], d.code, keys["leader"].pk, step="person",
                        pdf_bytes=make_pdf(2, "GIAY PHEP XAY DUNG"), version=d.version)
    result = results.sign_result(actors["clerk"], d.code, keys["seal"].pk, step="seal")
    d.refresh_from_db()
    assert d.status == Status.FINISHED
    att = Attachment.objects.get(dossier=d, kind="result")
    assert att.signed and att.content_type == "application/pdf"
    content = att.file.read()
    assert content == result["signed"]
    report = services.verify(content)
    assert report["valid"] and report["issued_by_motcua"] and report["count"] == 2
    sig = report["signatures"][0]
    assert sig["signer"] == "Nguyễn Văn Giám" and sig["level"] == "B-T"
    assert sig["registered_agency"] == "Sở Xây dựng"
    f = tmp_path / "result.pdf"
    f.write_bytes(content)
    assert pdfsig(pki, f).count("Signature is Valid") == 2
    text = pdftotext(f)
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Nguyễn Văn Giám" in text
    actions = list(d.history.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == ["sign_result_person", "sign_result_seal", "mark_result_ready"]
    recs = SignatureRecord.objects.order_by("pk")
    assert [r.purpose for r in recs] == ["result", "result"] and {r.dossier_code for r in recs} == {d.code}
    assert [r.signed_by for r in recs] == [province.leader, province.clerk]


def test_result_signing_refusals(province, actors, keys, intake_data, pki):
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    with pytest.raises(Conflict) as err:                       # not approved yet
        results.sign_result(actors["leader"], d.code, keys["leader"].pk, step="person", pdf_bytes=make_pdf(1))
    assert err.value.as_dict() == {"code": "not_approved", "details": {"status": Status.RECEIVED},
                                   "message": "Chỉ ký kết quả khi hồ sơ đang xử lý và đã được phê duyệt."}
    d = _approved(province, actors, dict(intake_data, applicant_phone="0900000001"))
    with pytest.raises(NotAllowed) as err:                     # a specialist does not sign for the agency
        results.sign_result(actors["specialist"], d.code, keys["seal"].pk, step="seal")
    assert err.value.code == "role_required"
    from motcua.agencies.models import Membership, Role
    from motcua.agencies.scope import actor_for
    Membership.objects.create(user=province.head, agency=province.sxd, role=Role.AGENCY_LEADER)
    deputy = actor_for(type(province.head).objects.get(pk=province.head.pk))
    with pytest.raises(NotAllowed) as err:                     # another leader's personal certificate
        results.sign_result(deputy, d.code, keys["leader"].pk, step="person", pdf_bytes=make_pdf(1))
    assert err.value.code == "not_key_holder"
    with pytest.raises(NotFound):                              # another agency: the dossier does not exist for them
        results.sign_result(actors["other"], d.code, keys["seal"].pk, step="seal")
    with pytest.raises(ValidationFailed) as err:
        results.sign_result(actors["leader"], d.code, keys["leader"].pk, step="person", pdf_bytes=b"GIF89a")
    assert err.value.code == "not_a_pdf"
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and not Attachment.objects.filter(dossier=d).exists()
    # the clerk seals with the agency certificate (B-B here), with an expiry warning for that key
    results.sign_result(actors["leader"], d.code, keys["leader"].pk, step="person", pdf_bytes=make_pdf(1),
                        level="B-B")
    out = results.sign_result(actors["clerk"], d.code, keys["expiring"].pk, step="seal", level="B-B")
    assert out["warnings"] and "hết hạn" in out["warnings"][0]


def test_certified_digitised_copy_has_the_agency_signature_top_right(province, actors, keys, intake_data, pki,
                                                                    tmp_path):
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    comp = d.components.first()
    first = services.certify_digitised_copy(actors["receiver"], d.code, comp.pk, make_pdf(1, "DON DE NGHI"),
                                            keys["seal"].pk)
    second = services.certify_digitised_copy(actors["receiver"], d.code, comp.pk, make_pdf(1, "DON DE NGHI"),
                                             keys["seal"].pk)
    assert (first["number_symbol"], second["number_symbol"]) == ("01/SY-SXD", "02/SY-SXD")
    other, _ = dossiers.intake(actors["receiver"], dict(intake_data, applicant_phone="0900000009"),
                               now=at("2026-06-01 09:00"))
    with pytest.raises(ValidationFailed) as err:         # a component of another dossier
        services.certify_digitised_copy(actors["receiver"], d.code, other.components.first().pk, make_pdf(1),
                                        keys["seal"].pk)
    assert (err.value.code, err.value.message) == ("unknown_component", "Thành phần hồ sơ không thuộc hồ sơ này.")
    att = first["attachment"]
    assert att.kind == "component" and att.digitised and att.signed and att.component_id == comp.pk
    f = tmp_path / "copy.pdf"
    f.write_bytes(att.file.read())
    corner = pdftotext(f, 1, 300, 0, 295, 100)
    assert "Số: 01/SY-SXD" in corner and "Sở Xây dựng" in corner and "+07:00" in corner
    assert services.verify(f.read_bytes())["valid"]
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    (sig,) = PdfFileReader(io.BytesIO(f.read_bytes())).embedded_signatures
    assert str(sig.sig_object["/Reason"]) == "Bản sao điện tử từ bản chính/bản giấy"
    with pytest.raises(ValidationFailed) as err:                # a copy needs the agency's certificate
        services.certify_digitised_copy(actors["leader"], d.code, comp.pk, make_pdf(1), keys["leader"].pk)
    assert err.value.code == "organisation_key_required"


def test_outgoing_document_is_signed_but_a_secret_one_never(province, actors, keys, pki):
    out = services.sign_outgoing_document(actors["leader"], "000.00.17.H13", make_pdf(1, "QUYET DINH"),
                                          keys["leader"].pk, number_symbol="15/QĐ-SXD", secrecy="thuong")
    assert pdf.verify_pdf(out["signed"], [pki.root.asn1])["valid"]
    for mark in ("MẬT", "Tối mật", "TUYỆT MẬT"):
        with pytest.raises(NotAllowed) as err:
            services.sign_outgoing_document(actors["leader"], "000.00.17.H13", make_pdf(1), keys["leader"].pk,
                                            confidentiality=mark)
        assert err.value.code == "secret_document_not_signed" and "mật" in err.value.message
    assert SignatureRecord.objects.filter(purpose="outgoing").count() == 1


def test_expired_or_inactive_keys_do_not_sign(province, actors, keys, pki):
    keys["seal"].active = False
    keys["seal"].save()
    with pytest.raises(Conflict) as err:
        services.sign_outgoing_document(actors["clerk"], "000.00.17.H13", make_pdf(1), keys["seal"].pk,
                                        secrecy="thuong")
    assert err.value.code == "key_inactive"
    from datetime import timedelta

    from django.utils import timezone
    with pytest.raises(Conflict) as err:
        services.sign_outgoing_document(actors["clerk"], "000.00.17.H13", make_pdf(1), keys["expiring"].pk,
                                        secrecy="thuong", now=timezone.now() + timedelta(days=11))
    assert err.value.code == "certificate_expired"
    assert err.value.message == "Chứng thư số đã hết hạn, không thể ký."
    from motcua.signing import appearance as ap
    assert err.value.details == {"not_after": ap.iso_local(keys["expiring"].not_after)}
