"""Signing never puts the agency's signature on a PDF that can act by itself (JavaScript, OpenAction,
Launch, embedded files...): motcua.dossiers.uploads.pdf_active_content is asked before signing."""
import pytest

from motcua.core.errors import ValidationFailed
from motcua.signing import services
from motcua.signing.models import SignatureRecord

from ..dossiers import upload_samples as samples
from .conftest import p12_config


@pytest.fixture
def leader_key(province, actors, pki):
    return services.register_key(actors["leader"], "000.00.17.H13", label="Giám đốc", kind="personal",
                                 holder=province.leader, holder_name="Nguyễn Văn Giám", source="pkcs12",
                                 config=p12_config(pki.leader))


@pytest.mark.parametrize("maker", [samples.pdf_openaction_js, samples.pdf_js_in_object_stream,
                                   samples.pdf_launch_link, samples.pdf_embedded_file, samples.pdf_hex_escaped_names])
def test_pdf_with_active_content_is_not_signed(actors, leader_key, maker):
    with pytest.raises(ValidationFailed) as err:
        services.sign_outgoing_document(actors["leader"], "000.00.17.H13", maker(), leader_key.pk,
                                        number_symbol="15/QĐ-SXD", secrecy="thuong")
    assert err.value.code == "pdf_active_content" and err.value.details["found"]
    assert not SignatureRecord.objects.exists()


def test_a_plain_pdf_is_still_signed(actors, leader_key):
    out = services.sign_outgoing_document(actors["leader"], "000.00.17.H13", samples.weasy_pdf(), leader_key.pk,
                                          number_symbol="16/QĐ-SXD", secrecy="thuong")
    assert out["signed"].startswith(b"%PDF") and SignatureRecord.objects.count() == 1
