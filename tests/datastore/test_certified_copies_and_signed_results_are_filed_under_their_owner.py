"""Every certified component and every signed result is filed under its owner (the applicant's CCCD or tax
code), in the signing act's own transaction, with the metadata real systems keep; re-filing adds a version."""
import pytest

from motcua.core.errors import ValidationFailed
from motcua.datastore import services as store
from motcua.datastore.models import DigitisedDocument, OwnerKind, Source
from motcua.dossiers import services as dossiers
from motcua.signing.models import SignatureRecord

from ..conftest import at
from .conftest import AN, certified_copy, finished_with_signed_result


def test_a_certified_copy_and_the_sealed_result_are_filed_under_the_applicant(store_province, actors, keys,
                                                                               intake_data):
    d = finished_with_signed_result(actors, keys, intake_data)
    docs = {doc.source: doc for doc in DigitisedDocument.objects.filter(dossier=d)}
    assert set(docs) == {Source.CERTIFIED_COPY, Source.SIGNED_RESULT}
    copy, result = docs[Source.CERTIFIED_COPY], docs[Source.SIGNED_RESULT]
    assert (copy.owner_kind, copy.owner_id_number, copy.owner_name) == (OwnerKind.CITIZEN, AN, "Nguyễn Văn An")
    assert (copy.paper_code, copy.name, copy.number_symbol) == ("GT.BVTK", "Bản vẽ thiết kế", "12/BV")
    assert copy.valid_until.isoformat() == "2030-12-31" and not copy.permanent
    assert copy.certified and copy.attachment.digitised and copy.attachment.signed
    assert copy.dossier_component.component.order == 2 and copy.ocr_text == ""
    assert copy.digitised_by_name == "tiepnhan" and copy.agency == store_province.sxd
    assert (result.result_code, result.name, result.permanent) == ("KQ.GPXD", "Giấy phép xây dựng", True)
    assert result.attachment.kind == "result" and result.certified and result.signer == "Nguyễn Văn Giám"
    assert result.issuing_agency == "Sở Xây dựng" and result.procedure_code == "1.009974"
    assert result.field_code == "XD" and result.sha256 == result.attachment.sha256


def test_certifying_the_same_component_again_adds_a_version(store_province, actors, keys, intake_data):
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    first = certified_copy(actors, keys, d.code)["stored"]
    second = certified_copy(actors, keys, d.code, number_symbol="13/BV")["stored"]
    first.refresh_from_db()
    assert (first.version, first.current) == (1, False)
    assert (second.version, second.current, second.previous_id) == (2, True, first.pk)
    assert list(store.held(AN)) == [second]


def test_bad_metadata_stores_nothing_not_even_the_signature(store_province, actors, keys, intake_data):
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    before = SignatureRecord.objects.count()
    with pytest.raises(ValidationFailed) as e:
        certified_copy(actors, keys, d.code, valid_until="31/12/2030")
    assert e.value.code == "invalid_date"
    with pytest.raises(ValidationFailed) as e:
        certified_copy(actors, keys, d.code, valid_until="2030-12-31", permanent=True)
    assert e.value.code == "validity_conflict"
    assert SignatureRecord.objects.count() == before
    assert not d.attachments.exists() and not DigitisedDocument.objects.exists()


def test_a_dossier_without_a_valid_owner_id_is_signed_but_not_filed(store_province, actors, keys, intake_data):
    d, _ = dossiers.intake(actors["receiver"], dict(intake_data, applicant_id_number=""), now=at("2026-06-01 08:00"))
    out = certified_copy(actors, keys, d.code)
    assert out["stored"] is None and out["attachment"].signed
    assert not DigitisedDocument.objects.exists()


@pytest.mark.parametrize("value,kind,expected", [
    ("001203004567", OwnerKind.CITIZEN, "001203004567"), ("0101234567", OwnerKind.ORGANISATION, "0101234567"),
    ("0101234567001", OwnerKind.ORGANISATION, "0101234567-001")])
def test_owner_identity_accepts_a_cccd_or_a_tax_code(value, kind, expected):
    assert store.owner_identity(value, kind) == (kind, expected)


@pytest.mark.parametrize("value,kind", [("12345", OwnerKind.CITIZEN), ("999203004567", OwnerKind.CITIZEN),
                                        ("", OwnerKind.ORGANISATION), ("01AB234567", OwnerKind.ORGANISATION),
                                        ("001203004567", "alien")])
def test_owner_identity_refuses_anything_else(value, kind):
    with pytest.raises(ValidationFailed) as e:
        store.owner_identity(value, kind)
    assert e.value.code == "owner_id_invalid"
