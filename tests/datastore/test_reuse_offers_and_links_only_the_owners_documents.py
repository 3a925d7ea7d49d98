"""Reuse: when the same person files again, each component is offered the documents already held that
satisfy it (same paper kind or result code, still valid), and choosing one links it to the new dossier as a
digitised, reused component. Another person's documents are never offered or linkable, even with a guessed
ID number or document id."""
import pytest

from motcua.core.errors import NotAllowed, NotFound, ValidationFailed
from motcua.datastore import services as store
from motcua.datastore.models import DigitisedDocument, Reuse, Source
from motcua.dossiers import services as dossiers

from ..conftest import at
from .conftest import AN, BINH, finished_with_signed_result

RENEW = {"procedure": "1.009975", "channel": 2, "applicant_name": "Nguyễn Văn An", "applicant_id_number": AN,
         "applicant_phone": "0912345678", "request": "Gia hạn giấy phép"}


@pytest.fixture
def held(store_province, actors, keys, intake_data):
    finished_with_signed_result(actors, keys, intake_data)
    return {d.source: d for d in DigitisedDocument.objects.all()}


def _online(actor, data=RENEW):
    d, _ = dossiers.intake(actor, dict(data), source=dossiers.Source.PORTAL, now=at("2026-07-01 08:00"))
    return d


def _component(d, catalogue_component):
    return d.components.get(component=catalogue_component)


def test_the_owner_is_offered_what_satisfies_each_component_and_the_reuse_is_recorded(store_province, actors,
                                                                                      held):
    p = store_province
    offers = store.offers_for_citizen(p.citizen, p.renew)
    assert offers == {p.renew_permit.pk: [held[Source.SIGNED_RESULT]],
                      p.renew_drawings.pk: [held[Source.CERTIFIED_COPY]]}
    d = _online(actors["citizen"])
    permit, drawings = _component(d, p.renew_permit), _component(d, p.renew_drawings)
    store.reuse_all(actors["citizen"], d.code, [(permit.pk, held[Source.SIGNED_RESULT].pk),
                                                (drawings.pk, held[Source.CERTIFIED_COPY].pk)])
    reuses = {r.dossier_component_id: r for r in Reuse.objects.filter(dossier=d)}
    assert reuses[permit.pk].replaces_result_code == "KQ.GPXD" and reuses[permit.pk].reuse_flag == "2"
    assert reuses[drawings.pk].replaces_result_code == "" and reuses[drawings.pk].reuse_flag == "1"
    assert not any(r.from_national_store for r in reuses.values())
    att = reuses[permit.pk].attachment
    assert (att.dossier_id, att.component_id, att.digitised, att.signed) == (d.pk, permit.pk, True, True)
    assert att.sha256 == held[Source.SIGNED_RESULT].sha256
    event = d.history.filter(action="attach_component").order_by("seq").first()
    assert event.data["reused_document"] == held[Source.SIGNED_RESULT].pk
    assert store.component_flags(d)[att.pk] == {"DuocSoHoa": "1", "DuocTaiSuDung": "2", "DuocLayTuKhoDMQG": "0",
                                                "MaKetQuaThayThe": "KQ.GPXD"}
    with pytest.raises(ValidationFailed) as e:
        store.reuse(actors["citizen"], d.code, permit.pk, held[Source.SIGNED_RESULT].pk)
    assert e.value.code == "already_reused"


def test_another_citizen_sees_nothing_and_cannot_link_even_typing_the_owners_id(store_province, store_actors,
                                                                                held):
    p = store_province
    assert store.offers_for_citizen(p.citizen_b, p.renew) == {}
    assert store.my_documents(p.citizen_b) == []
    with pytest.raises(NotFound):
        store.my_document(p.citizen_b, held[Source.SIGNED_RESULT].pk)
    # Bình files naming An's CCCD (a guessed ID number typed in the form) and An's document id
    d = _online(store_actors["citizen_b"])
    permit = _component(d, p.renew_permit)
    for doc_id in (held[Source.SIGNED_RESULT].pk, str(held[Source.SIGNED_RESULT].pk), "1 OR 1=1", 999999):
        with pytest.raises(NotFound) as e:
            store.reuse(store_actors["citizen_b"], d.code, permit.pk, doc_id)
        assert e.value.code == "document_not_found"
    # and on her own dossier under her own CCCD: still not An's
    own = _online(store_actors["citizen_b"], dict(RENEW, applicant_name="Trần Thị Bình", applicant_id_number=BINH))
    with pytest.raises(NotFound):
        store.reuse(store_actors["citizen_b"], own.code, _component(own, p.renew_permit).pk,
                    held[Source.SIGNED_RESULT].pk)
    # An's dossier is not hers to act on at all
    an = _online(store_actors["citizen"])
    with pytest.raises(NotFound) as e:
        store.reuse(store_actors["citizen_b"], an.code, _component(an, p.renew_permit).pk,
                    held[Source.SIGNED_RESULT].pk)
    assert e.value.code == "dossier_not_found"
    assert not Reuse.objects.exists()


def test_an_unverified_account_is_offered_nothing(store_province, held):
    p = store_province
    p.citizen.profile.verified_at = None
    p.citizen.profile.save()
    assert store.offers_for_citizen(p.citizen, p.renew) == {}
    assert store.my_documents(p.citizen) == []


def test_the_counter_offers_by_id_number_and_name_within_the_officers_receipt_scope(store_province, actors, held):
    p = store_province
    got = store.offers_at_counter(actors["receiver"], p.renew, "0012 0300 4567", "nguyen van  AN")
    assert set(got) == {p.renew_permit.pk, p.renew_drawings.pk}
    assert store.offers_at_counter(actors["receiver"], p.renew, AN, "Nguyễn Văn Anh") == {}
    assert store.offers_at_counter(actors["receiver"], p.renew, BINH, "Nguyễn Văn An") == {}
    with pytest.raises(ValidationFailed):
        store.offers_at_counter(actors["receiver"], p.renew, "12345", "Nguyễn Văn An")
    with pytest.raises(NotAllowed):       # Sở Tư pháp's officer does not receive this procedure
        store.offers_at_counter(actors["other"], p.renew, AN, "Nguyễn Văn An")
    with pytest.raises(NotAllowed):       # a specialist is no receiving officer
        store.offers_at_counter(actors["specialist"], p.renew, AN, "Nguyễn Văn An")


def test_the_counter_links_only_a_document_of_the_dossiers_applicant(store_province, actors, held):
    p = store_province
    counter = dict(RENEW, channel=1)
    mine, _ = dossiers.intake(actors["receiver"], counter, now=at("2026-07-01 08:00"))
    other, _ = dossiers.intake(actors["receiver"], dict(counter, applicant_name="Trần Thị Bình",
                                                        applicant_id_number=BINH), now=at("2026-07-01 08:05"))
    with pytest.raises(NotFound):
        store.reuse(actors["receiver"], other.code, _component(other, p.renew_permit).pk,
                    held[Source.SIGNED_RESULT].pk)
    with pytest.raises(NotFound):         # out of the officer's scope: the dossier itself is 404
        store.reuse(actors["other"], mine.code, _component(mine, p.renew_permit).pk, held[Source.SIGNED_RESULT].pk)
    with pytest.raises(ValidationFailed) as e:   # the drawings' copy does not replace the permit
        store.reuse(actors["receiver"], mine.code, _component(mine, p.renew_permit).pk,
                    held[Source.CERTIFIED_COPY].pk)
    assert e.value.code == "document_not_suitable"
    r = store.reuse(actors["receiver"], mine.code, _component(mine, p.renew_permit).pk, held[Source.SIGNED_RESULT].pk)
    assert r.reused_by_id == p.receiver.pk


def test_an_expired_document_is_neither_offered_nor_linked(store_province, actors, held):
    p = store_province
    DigitisedDocument.objects.filter(pk=held[Source.CERTIFIED_COPY].pk).update(valid_until="2026-06-30")
    assert store.offers_at_counter(actors["receiver"], p.renew, AN, "Nguyễn Văn An",
                                   today=at("2026-07-01 08:00").date()).keys() == {p.renew_permit.pk}
    d, _ = dossiers.intake(actors["receiver"], dict(RENEW, channel=1), now=at("2026-07-01 08:00"))
    with pytest.raises(ValidationFailed) as e:
        store.reuse(actors["receiver"], d.code, _component(d, p.renew_drawings).pk, held[Source.CERTIFIED_COPY].pk,
                    now=at("2026-07-01 09:00"))
    assert e.value.code == "document_expired"
