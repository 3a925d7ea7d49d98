"""Intake: code format and daily sequence, idempotency, online filing, province-wide receipt."""
import pytest

from motcua.core.errors import Conflict, NotAllowed, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Channel, DailyCounter, Dossier, Status

from ..conftest import at


def test_daily_sequence_per_agency_and_day(province, actors, intake_data):
    codes = [services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))[0].code for _ in range(3)]
    assert codes == ["000.00.17.H13-260601-0001", "000.00.17.H13-260601-0002", "000.00.17.H13-260601-0003"]
    next_day = services.intake(actors["receiver"], intake_data, now=at("2026-06-02 08:00"))[0]
    assert next_day.code == "000.00.17.H13-260602-0001"
    other = services.intake(actors["other"], dict(intake_data, procedure="2.000908"), now=at("2026-06-01 08:00"))[0]
    assert other.code == "000.00.18.H13-260601-0001"


def test_failed_intake_does_not_consume_a_number(province, actors, intake_data):
    services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["receiver"], dict(intake_data, components=[{"component_id": 999999}]),
                        now=at("2026-06-01 08:05"))
    assert err.value.code == "unknown_component"
    d = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:10"))[0]
    assert d.code.endswith("-0002")
    assert DailyCounter.objects.get(agency=province.sxd).last == 2


def test_idempotency_key_replays_and_rejects_a_different_body(province, actors, intake_data):
    a, replayed_a = services.intake(actors["receiver"], intake_data, idempotency_key="abc")
    b, replayed_b = services.intake(actors["receiver"], intake_data, idempotency_key="abc")
    assert a.pk == b.pk and (replayed_a, replayed_b) == (False, True)
    with pytest.raises(Conflict) as err:
        services.intake(actors["receiver"], dict(intake_data, applicant_name="Trần Thị B"), idempotency_key="abc")
    assert err.value.code == "idempotency_key_reused"
    assert Dossier.objects.count() == 1
    # the same key from another user is a different request
    c, replayed_c = services.intake(actors["centre_receiver"], intake_data, idempotency_key="abc")
    assert c.pk != a.pk and not replayed_c


def test_online_filing_waits_for_receipt(province, actors, intake_data):
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), now=at("2026-06-06 20:00"))
    assert d.status == Status.NEW and d.owner == province.citizen and d.received_at is None
    assert services.get_for(actors["citizen"], d.code).pk == d.pk
    services.receive(actors["receiver"], d.code, version=d.version, now=at("2026-06-08 08:00"))
    d.refresh_from_db()
    assert d.status == Status.RECEIVED and d.clock_start == at("2026-06-08 08:00")
    # the owner may withdraw their own dossier; another citizen may not even see it
    services.withdraw(actors["citizen"], d.code, reason="Tôi nộp nhầm", version=d.version)
    assert Dossier.objects.get(pk=d.pk).status == Status.WITHDRAWN


def test_citizen_cannot_file_at_the_counter_channel_for_someone_else(province, actors, intake_data):
    with pytest.raises(NotAllowed) as err:
        services.intake(actors["citizen"], intake_data)
    assert err.value.code == "role_required"


def test_province_wide_receipt_routes_to_the_competent_agency(province, actors, intake_data):
    d, _ = services.intake(actors["centre_receiver"], intake_data, now=at("2026-06-01 08:00"))
    assert d.agency == province.sxd and d.intake_agency == province.centre
    assert d.code.startswith("000.00.17.H13-")
    # both the centre and the department see it; the centre hands over, the department processes
    assert services.visible_dossiers(actors["centre_receiver"]).filter(pk=d.pk).exists()
    assert services.visible_dossiers(actors["specialist"]).filter(pk=d.pk).exists()
    services.forward(actors["centre_receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    d.refresh_from_db()
    assert d.current_role == "specialist"
    with pytest.raises(NotAllowed) as err:
        services.forward(actors["centre_receiver"], d.code, version=d.version)
    assert err.value.code == "role_required"


def test_unknown_procedure_and_missing_name_are_clear_errors(province, actors, intake_data):
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["receiver"], dict(intake_data, procedure="9.999999"))
    assert err.value.code == "unknown_procedure"
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["receiver"], dict(intake_data, applicant_name="  "))
    assert err.value.code == "applicant_name_required"
    assert Dossier.objects.count() == 0


def test_procedure_with_several_agencies_needs_a_choice_at_the_centre(province, actors, intake_data):
    province.proc.agencies.add(province.stp)
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["centre_receiver"], intake_data)
    assert err.value.code == "agency_required"
    d, _ = services.intake(actors["centre_receiver"], dict(intake_data, agency="000.00.17.H13"))
    assert d.agency == province.sxd


def test_components_checklist_records_what_was_brought(province, actors, intake_data):
    comps = list(province.proc.components.all())
    comps[1].required = False
    comps[1].save()
    data = dict(intake_data, components=[{"component_id": comps[0].id, "count": 1, "provided": True},
                                         {"component_id": comps[1].id, "count": 1, "provided": False}])
    d, _ = services.intake(actors["receiver"], data)
    rows = {c.component_id: c for c in d.components.all()}
    assert rows[comps[0].id].provided and not rows[comps[1].id].provided
    assert d.fee_total == 150000


def test_an_idempotency_key_of_more_than_128_characters_is_refused(province, actors, intake_data):
    d, replayed = services.intake(actors["receiver"], intake_data, idempotency_key="k" * 128)
    assert not replayed
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["receiver"], intake_data, idempotency_key="k" * 129)
    assert err.value.code == "idempotency_key_invalid"
    assert err.value.message == "Idempotency-Key quá dài (tối đa 128 ký tự)."
    assert Dossier.objects.count() == 1


def test_an_online_filing_goes_to_the_agency_the_applicant_chose(province, actors, intake_data):
    province.proc.agencies.add(province.stp)
    online = dict(intake_data, channel=Channel.ONLINE)
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["citizen"], online)
    assert err.value.code == "agency_required"
    for agency in (province.stp, province.sxd):
        d, _ = services.intake(actors["citizen"], dict(online, agency=agency.code))
        assert d.agency == agency


def test_the_applicant_kind_is_recorded_as_given_and_citizen_by_default(province, actors, intake_data):
    firm, _ = services.intake(actors["receiver"], dict(intake_data, applicant_kind="organisation",
                                                       applicant_name="Công ty TNHH Xây dựng Hòa Bình"))
    person, _ = services.intake(actors["receiver"], {k: v for k, v in intake_data.items() if k != "applicant_kind"})
    assert (Dossier.objects.get(pk=firm.pk).applicant_kind, Dossier.objects.get(pk=person.pk).applicant_kind) == (
        "organisation", "citizen")
