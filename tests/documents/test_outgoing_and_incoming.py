"""Outgoing documents: draft -> approve -> issue with Decree 30 numbers (01 per agency per year, a separate
secret series, the "number/symbol" form); incoming: yearly incoming number the same day, duplicate warning,
assignment with a working-time deadline. Permissions are checked in the services."""
import pytest

from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.documents import services
from motcua.documents.models import IncomingStatus, OutgoingStatus, Register, RegisterKind
from motcua.signing.models import SecrecyLevel

from ..conftest import at


def _draft(actors, province, **kw):
    data = dict(type_name="Quyết định", subject="Về việc cấp phép xây dựng", secrecy=SecrecyLevel.NORMAL,
                signer_authority="KT. GIÁM ĐỐC", signer_position="PHÓ GIÁM ĐỐC", signer_name="Trần Văn Bình")
    data.update(kw)
    return services.create_draft(actors["specialist"], province.sxd.code, now=at("2026-03-02 08:00"), **data)


def _issue(actors, province, when="2026-03-02 09:00", **kw):
    doc = _draft(actors, province, **kw)
    services.review(actors["leader"], doc.pk)
    services.approve(actors["leader"], doc.pk, now=at(when))
    return services.issue(actors["clerk"], doc.pk, now=at(when))


def test_numbers_run_from_01_per_agency_and_year_in_number_symbol_form(province, actors):
    first = _issue(actors, province)
    second = _issue(actors, province, type_name="Công văn", drafting_unit_code=province.sxd_unit.code)
    assert (first.number, first.number_symbol, first.status) == (1, "01/QĐ-SXD", OutgoingStatus.ISSUED)
    assert second.number_symbol == "02/SXD"           # the unit has no symbol: agency only
    province.sxd_unit.symbol = "QLXD"
    province.sxd_unit.save()
    third = _issue(actors, province, type_name="Công văn", drafting_unit_code=province.sxd_unit.code)
    assert third.number_symbol == "03/SXD-QLXD"
    tenth = [_issue(actors, province, type_name="TB") for _ in range(7)][-1]
    assert tenth.number_symbol == "10/TB-SXD"
    # a new calendar year (local time: 31/12 23:30 UTC is already 1 January in Viet Nam) starts again at 01
    new_year = _issue(actors, province, when="2027-01-01 00:30")
    assert new_year.number_symbol == "01/QĐ-SXD" and new_year.register.year == 2027
    # another agency has its own series
    other = services.create_draft(actors["other"], province.stp.code, type_name="Quyết định", subject="X",
                                  secrecy=SecrecyLevel.NORMAL)
    services.review(actors["other"], other.pk)
    services.approve(actors["other"], other.pk)
    assert services.issue(actors["other"], other.pk, now=at("2026-03-02 10:00")).number_symbol == "01/QĐ-STP"


def test_secret_documents_have_their_own_series_and_are_never_signed(province, actors):
    _issue(actors, province)
    secret = _issue(actors, province, secrecy=SecrecyLevel.CONFIDENTIAL)
    normal = _issue(actors, province)
    assert secret.number == 1 and secret.register.kind == RegisterKind.OUTGOING_SECRET
    assert normal.number == 2 and normal.register.kind == RegisterKind.OUTGOING
    draft = _draft(actors, province, secrecy=SecrecyLevel.SECRET)
    services.review(actors["leader"], draft.pk)
    services.approve(actors["leader"], draft.pk)
    with pytest.raises(NotAllowed) as err:
        services.sign(actors["leader"], draft.pk, b"%PDF-1.4", key_id=1)
    assert err.value.code == "secret_document_not_signed"


def test_roles_and_states_are_checked(province, actors):
    doc = _draft(actors, province)
    with pytest.raises(NotAllowed):
        services.approve(actors["clerk"], doc.pk)                 # the clerk does not approve
    with pytest.raises(Conflict) as err:
        services.issue(actors["clerk"], doc.pk)                   # not approved yet
    assert err.value.code == "invalid_transition"
    with pytest.raises(Conflict) as err:
        services.approve(actors["leader"], doc.pk)                # not reviewed yet
    assert err.value.code == "invalid_transition"
    with pytest.raises(NotAllowed):
        services.review(actors["specialist"], doc.pk)             # the drafter does not review
    services.review(actors["head"], doc.pk)
    services.approve(actors["leader"], doc.pk)
    with pytest.raises(NotAllowed):
        services.issue(actors["leader"], doc.pk)                  # only the văn thư numbers
    with pytest.raises(NotFound):
        services.issue(actors["other"], doc.pk)                   # another department does not even see it
    with pytest.raises(NotAllowed):
        services.create_draft(actors["citizen"], province.sxd.code, type_name="QĐ", subject="x",
                              secrecy=SecrecyLevel.NORMAL)
    with pytest.raises(ValidationFailed) as err:
        _draft(actors, province, secrecy="")
    assert err.value.code == "secrecy_required"
    with pytest.raises(ValidationFailed) as err:
        _draft(actors, province, signer_authority="THAY MẶT")
    assert err.value.code == "invalid_authority"
    assert Register.objects.count() == 0                          # nothing numbered by the failures
    # every act is one event of the append-only history
    assert [e.action for e in services.history(actors["clerk"], outgoing_id=doc.pk)] == ["draft", "review", "approve"]
    with pytest.raises(NotFound):
        services.history(actors["other"], outgoing_id=doc.pk)
    event = doc.events.first()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_a_failed_issue_gives_its_number_back(province, actors, monkeypatch):
    doc = _draft(actors, province)
    services.review(actors["leader"], doc.pk)
    services.approve(actors["leader"], doc.pk)
    real = services.format_number_symbol
    monkeypatch.setattr(services, "format_number_symbol", lambda *a: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        services.issue(actors["clerk"], doc.pk, now=at("2026-03-02 09:00"))
    monkeypatch.setattr(services, "format_number_symbol", real)
    assert services.issue(actors["clerk"], doc.pk, now=at("2026-03-02 09:00")).number == 1


def _incoming(actors, province, when="2026-03-02 15:00", **kw):
    from datetime import date
    data = dict(sender_code="000.00.18.H13", sender_name="Sở Tư pháp", number_symbol="120/STP-VP",
                issued_date=date(2026, 2, 27), subject="Về việc góp ý dự thảo", secrecy=SecrecyLevel.NORMAL)
    data.update(kw)
    return services.register_incoming(actors["clerk"], province.sxd.code, now=at(when), **data)


def test_incoming_numbered_the_same_day_with_duplicate_warning(province, actors):
    first, warnings = _incoming(actors, province)
    assert (first.arrival_number, str(first.arrival_date), warnings) == (1, "2026-03-02", [])
    again, warnings = _incoming(actors, province)
    assert again.arrival_number == 2 and again.duplicate_of == first
    assert [w["code"] for w in warnings] == ["duplicate"] and warnings[0]["details"] == {"id": first.pk}
    other, warnings = _incoming(actors, province, number_symbol="121/STP-VP")
    assert other.arrival_number == 3 and warnings == []
    secret, _w = _incoming(actors, province, number_symbol="5/STP-M", secrecy=SecrecyLevel.CONFIDENTIAL)
    assert secret.arrival_number == 1 and secret.register.kind == RegisterKind.INCOMING_SECRET
    _incoming(actors, province, document_id="000.00.18.H13,2026/02/27,122/STP-VP", number_symbol="122/STP-VP")
    with pytest.raises(Conflict) as err:
        _incoming(actors, province, document_id="000.00.18.H13,2026/02/27,122/STP-VP", number_symbol="122/STP-VP")
    assert err.value.code == "duplicate_document_id"
    with pytest.raises(NotAllowed):
        services.register_incoming(actors["specialist"], province.sxd.code, sender_name="A", number_symbol="1/A",
                                   issued_date=first.issued_date, subject="x", secrecy=SecrecyLevel.NORMAL)


def test_assignment_deadline_in_working_time_and_done(province, actors):
    doc, _w = _incoming(actors, province, when="2026-03-06 15:00")          # a Friday afternoon
    with pytest.raises(NotAllowed):
        services.assign(actors["clerk"], doc.pk, lead_unit_code=province.sxd_unit.code, working_days=2)
    with pytest.raises(ValidationFailed):
        services.assign(actors["leader"], doc.pk, lead_unit_code=province.stp.code, working_days=2)
    doc = services.assign(actors["leader"], doc.pk, lead_unit_code=province.sxd_unit.code, working_days=2,
                          now=at("2026-03-06 15:00"))
    # 2 working days from Friday 15:00 skip the weekend: Tuesday 15:00
    assert doc.deadline == at("2026-03-10 15:00") and doc.status == IncomingStatus.ASSIGNED
    assert list(services.overdue(actors["leader"], now=at("2026-03-10 16:00"))) == [doc]
    assert list(services.overdue(actors["other"], now=at("2026-03-10 16:00"))) == []
    services.complete(actors["specialist"], doc.pk, now=at("2026-03-09 10:00"))
    assert list(services.overdue(actors["leader"], now=at("2026-03-10 16:00"))) == []
