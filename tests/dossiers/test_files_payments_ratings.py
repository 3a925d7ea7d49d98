"""Attachments are checked by content, payments and ratings are recorded once, each in the history."""
import io
import zipfile

import pytest

from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Attachment, Channel, Status

from ..conftest import at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _online(actors, intake_data):
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), now=at("2026-06-01 08:00"))
    return d


def test_citizen_attaches_components_to_a_new_online_dossier(province, actors, intake_data, media):
    d = _online(actors, intake_data)
    comp = d.components.first()
    a = services.attach(actors["citizen"], d.code, kind="component", filename="../../đơn đề nghị.pdf", content=PDF,
                        component_id=comp.pk, version=d.version)
    assert a.content_type == "application/pdf" and a.size == len(PDF) and "/" not in a.filename
    assert a.file.read() == PDF
    b = services.attach(actors["citizen"], d.code, kind="component", filename="bản vẽ.docx", content=_docx(),
                        version=d.version + 1)
    assert b.content_type.endswith("wordprocessingml.document")
    d.refresh_from_db()
    assert [e.action for e in d.history.order_by("seq")][-2:] == ["attach_component", "attach_component"]


@pytest.mark.parametrize("name,content,code", [
    ("virus.pdf", b"MZ\x90\x00 not a pdf", "file_type_not_allowed"),
    ("empty.pdf", b"", "file_empty"),
    ("fake.docx", b"PK\x03\x04garbage", "file_type_not_allowed"),
])
def test_bad_uploads_are_refused_and_nothing_is_stored(province, actors, intake_data, media, name, content, code):
    d = _online(actors, intake_data)
    with pytest.raises(ValidationFailed) as err:
        services.attach(actors["citizen"], d.code, kind="component", filename=name, content=content, version=d.version)
    assert err.value.code == code
    assert not Attachment.objects.exists()
    assert d.history.count() == 1


def test_size_limit(province, actors, intake_data, media, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 100
    d = _online(actors, intake_data)
    with pytest.raises(ValidationFailed) as err:
        services.attach(actors["citizen"], d.code, kind="component", filename="a.png", content=PNG + b"\x00" * 100,
                        version=d.version)
    assert err.value.code == "file_too_large"


def test_citizen_cannot_attach_after_receipt_unless_asked(province, actors, intake_data, media):
    d = _online(actors, intake_data)
    services.receive(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    d.refresh_from_db()
    with pytest.raises(Conflict) as err:
        services.attach(actors["citizen"], d.code, kind="component", filename="a.pdf", content=PDF, version=d.version)
    assert err.value.code == "invalid_transition"
    services.request_supplement(actors["receiver"], d.code, reason="Thiếu bản vẽ", components=["Bản vẽ"],
                                version=d.version, now=at("2026-06-01 10:00"))
    d.refresh_from_db()
    services.attach(actors["citizen"], d.code, kind="supplement", filename="bản vẽ.pdf", content=PDF, version=d.version)
    assert d.attachments.get().kind == "supplement"


def test_other_agency_cannot_attach_a_result(province, actors, intake_data, media):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    with pytest.raises(NotFound) as err:
        services.attach(actors["other"], d.code, kind="result", filename="kq.pdf", content=PDF, version=d.version)
    assert err.value.code == "dossier_not_found" and err.value.status_code == 404
    assert not d.attachments.exists()


def test_payment_recorded_once_per_reference(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    p = services.record_payment(actors["receiver"], d.code, amount=150000, channel=2, reference="GW-001",
                                version=d.version)
    assert p.online
    with pytest.raises(Conflict) as err:
        services.record_payment(actors["receiver"], d.code, amount=150000, channel=2, reference="GW-001",
                                version=d.version + 1)
    assert err.value.code == "duplicate_payment"
    with pytest.raises(ValidationFailed) as err:
        services.record_payment(actors["receiver"], d.code, amount=0, channel=2, version=d.version + 1)
    assert err.value.code == "invalid_amount"


def test_rating_only_by_the_owner_after_return_and_only_once(province, actors, intake_data):
    d = _online(actors, intake_data)
    with pytest.raises(Conflict) as err:
        services.rate(actors["citizen"], d.code, score=5, version=d.version)
    assert err.value.code == "invalid_transition"
    from motcua.dossiers.models import Dossier
    Dossier.objects.filter(pk=d.pk).update(status=Status.RETURNED)
    with pytest.raises(NotAllowed) as err:
        services.rate(actors["receiver"], d.code, score=1, version=d.version)
    assert err.value.code == "role_required"
    with pytest.raises(ValidationFailed) as err:
        services.rate(actors["citizen"], d.code, score=6, version=d.version)
    assert err.value.code == "invalid_score"
    services.rate(actors["citizen"], d.code, score=4, comment="Nhanh", version=d.version)
    with pytest.raises(Conflict) as err:
        services.rate(actors["citizen"], d.code, score=5, version=d.version + 1)
    assert err.value.code == "already_rated"
    assert d.rating.score == 4
