"""The signing service's refusals as the API and the pages show them: code, Vietnamese message and details,
word for word (each was once changed by a fault no other test noticed: bench/mutation/README.md)."""
import pytest

from motcua.core.errors import NotAllowed, NotFound, ValidationFailed
from motcua.dossiers import services as dossiers
from motcua.dossiers.uploads import pdf_active_content
from motcua.signing import services
from motcua.signing.models import SignatureRecord, SigningKey

from ..conftest import at
from ..dossiers import upload_samples as samples
from .conftest import p12_config
from .samples import make_pdf


def _refusal(call, kind):
    with pytest.raises(kind) as err:
        call()
    return err.value.as_dict()


def test_registering_a_key_of_an_unknown_kind_or_agency(province, actors, pki):
    register = dict(label="Con dấu", source="pkcs12", config=p12_config(pki.agency))
    assert _refusal(lambda: services.register_key(actors["admin"], "000.00.17.H13", kind="dongdau", **register),
                    ValidationFailed) == {
        "code": "invalid_certificate_kind", "message": "Loại chứng thư không hợp lệ.",
        "details": {"allowed": ["organisation", "personal"]}}
    assert _refusal(lambda: services.register_key(actors["admin"], "999.99.99.H13", kind="organisation", **register),
                    NotFound) == {
        "code": "agency_not_found", "message": "Không tìm thấy cơ quan 999.99.99.H13.", "details": {}}
    assert not SigningKey.objects.exists()


def test_a_pdf_that_can_act_by_itself_is_refused_naming_what_it_found(province, actors, pki):
    key = services.register_key(actors["leader"], "000.00.17.H13", label="Giám đốc", kind="personal",
                                holder=province.leader, holder_name="Nguyễn Văn Giám", source="pkcs12",
                                config=p12_config(pki.leader))
    active = samples.pdf_openaction_js()
    found = pdf_active_content(active)
    assert found
    assert _refusal(lambda: services.sign_outgoing_document(actors["leader"], "000.00.17.H13", active, key.pk,
                                                            number_symbol="15/QĐ-SXD", secrecy="thuong"),
                    ValidationFailed) == {
        "code": "pdf_active_content", "message": f"Không ký tệp PDF có nội dung chủ động: {', '.join(found)}.",
        "details": {"found": found}}
    assert not SignatureRecord.objects.exists()


def test_certifying_a_copy_needs_a_role_of_the_dossiers_agency(province, actors, intake_data, pki,
                                                               django_user_model):
    from motcua.agencies.models import Membership, Role
    from motcua.agencies.scope import actor_for
    key = services.register_key(actors["admin"], "000.00.17.H13", label="Con dấu", kind="organisation",
                                source="pkcs12", config=p12_config(pki.agency))
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    admin_only = django_user_model.objects.create_user(username="quantri2")
    Membership.objects.create(user=admin_only, agency=province.sxd, role=Role.ADMINISTRATOR)
    assert _refusal(lambda: services.certify_digitised_copy(actor_for(admin_only), d.code,
                                                            d.components.first().pk, make_pdf(1), key.pk),
                    NotAllowed) == {
        "code": "role_required", "message": "Bạn không có vai trò phù hợp để chứng thực bản sao điện tử.",
        "details": {"roles": ["agency_leader", "clerk", "receiving_officer", "specialist"]}}
    assert not SignatureRecord.objects.exists()


def test_a_document_without_a_secrecy_level_or_with_an_unknown_one_is_not_signed():
    allowed = ["thuong", "mat", "toi_mat", "tuyet_mat"]
    with pytest.raises(ValidationFailed) as err:
        services.secrecy_level(None, "Số: 15/QĐ-SXD")
    assert err.value.as_dict() == {
        "code": "secrecy_required",
        "message": "Hãy chọn độ mật của văn bản (thường, mật, tối mật, tuyệt mật) trước khi ký.",
        "details": {"allowed": allowed, "confidentiality": "Số: 15/QĐ-SXD"}}
    with pytest.raises(ValidationFailed) as err:
        services.secrecy_level("binh-thuong-lam")
    assert err.value.as_dict() == {"code": "invalid_secrecy", "message": "Độ mật không hợp lệ.",
                                   "details": {"allowed": allowed}}


def test_signing_an_outgoing_document_without_a_signing_role(province, actors, pki):
    key = services.register_key(actors["admin"], "000.00.17.H13", label="Con dấu", kind="organisation",
                                source="pkcs12", config=p12_config(pki.agency))
    assert _refusal(lambda: services.sign_outgoing_document(actors["specialist"], "000.00.17.H13", make_pdf(1), key.pk,
                                                            number_symbol="15/QĐ-SXD", secrecy="thuong"),
                    NotAllowed) == {
        "code": "role_required", "message": "Bạn không có vai trò phù hợp để ký số cho cơ quan này.",
        "details": {"roles": ["agency_leader", "clerk"]}}
    assert not SignatureRecord.objects.exists()


def test_only_a_pdf_is_signed(province, actors, pki):
    key = services.register_key(actors["admin"], "000.00.17.H13", label="Con dấu", kind="organisation",
                                source="pkcs12", config=p12_config(pki.agency))
    assert _refusal(lambda: services.sign_outgoing_document(actors["clerk"], "000.00.17.H13", b"GIF89a", key.pk,
                                                            number_symbol="15/QĐ-SXD", secrecy="thuong"),
                    ValidationFailed) == {"code": "not_a_pdf", "message": "Chỉ ký được tệp PDF.", "details": {}}


def test_certificate_names_match_whatever_the_punctuation_case_and_spacing():
    same = services._same_name
    assert same("SỞ XÂY DỰNG, TỈNH HÒA BÌNH", "Sở Xây dựng tỉnh Hòa Bình")
    assert same("Sở Xây dựng -  tỉnh Hòa Bình.", "sở xây dựng tỉnh hòa bình")
    assert same("So\u031b\u0309 Xây dựng", "Sở Xây dựng")                       # NFD from a token
    assert not same("Sở Xây dựng tỉnh Hòa Bình", "Sở Xây dựng tỉnh Hà Nam")
