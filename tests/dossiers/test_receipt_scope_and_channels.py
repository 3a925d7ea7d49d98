"""Where an officer may receive (Decree 118/2025): a department, district or commune receives for itself and
what lies under it; a public administration service centre receives for every agency of the province. A
procedure several agencies decide is taken in for the one the officer may receive for (or chosen among
them). Only online sources create online (channel 2) dossiers."""
import pytest

from motcua.agencies.scope import actor_for
from motcua.core.errors import NotAllowed, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier, Status

from ..conftest import at


def data(procedure, **extra):
    return {"procedure": procedure, "channel": 1, "applicant_name": "Bùi Văn Sơn", "applicant_phone": "0912000111",
            **extra}


def test_district_officer_takes_in_a_procedure_every_district_decides(districts):
    """The blocker: luongson.tiepnhan and 2.000386 (decided by every district) got 'agency_required'."""
    officer = actor_for(districts.district_ro)
    options, preselected = services.receivable_agencies(officer, districts.house)
    assert options == [districts.luongson] and preselected == districts.luongson
    d, _ = services.intake(officer, data("2.000386"), now=at("2026-06-01 08:00"))
    assert d.agency == districts.luongson and d.intake_agency == districts.luongson and d.status == Status.RECEIVED
    with pytest.raises(NotAllowed) as err:
        services.intake(officer, data("2.000386", agency=districts.kimboi.code))
    assert err.value.code == "receipt_out_of_scope" and err.value.status_code == 403


def test_commune_officer_takes_in_a_procedure_every_commune_decides(districts):
    d, _ = services.intake(actor_for(districts.commune_ro), data("1.001193"), now=at("2026-06-01 08:00"))
    assert d.agency == districts.x1 and d.intake_agency == districts.x1


def test_district_officer_chooses_among_its_communes(districts):
    officer = actor_for(districts.district_ro)
    options, preselected = services.receivable_agencies(officer, districts.birth)
    assert options == [districts.x1, districts.x2] and preselected is None
    with pytest.raises(ValidationFailed) as err:
        services.intake(officer, data("1.001193"))
    assert err.value.code == "agency_required"
    assert err.value.details["agencies"] == [districts.x1.code, districts.x2.code]   # only those it may receive for
    d, _ = services.intake(officer, data("1.001193", agency=districts.x2.code), now=at("2026-06-01 08:00"))
    assert d.agency == districts.x2 and d.intake_agency == districts.luongson


def test_centre_receives_province_wide_and_must_choose(districts, actors):
    centre = actors["centre_receiver"]
    options, preselected = services.receivable_agencies(centre, districts.house)
    assert set(options) == {districts.luongson, districts.kimboi} and preselected is None
    with pytest.raises(ValidationFailed) as err:
        services.intake(centre, data("2.000386"))
    assert err.value.code == "agency_required"
    d, _ = services.intake(centre, data("2.000386", agency=districts.kimboi.code), now=at("2026-06-01 08:00"))
    assert d.agency == districts.kimboi and d.intake_agency == districts.centre


def test_department_officer_takes_in_only_its_own_procedures(province, actors):
    """Sở Xây dựng's officer cannot take in Sở Tư pháp's procedure; the centre can."""
    with pytest.raises(NotAllowed) as err:
        services.intake(actors["receiver"], data("2.000908"))
    assert err.value.code == "receipt_out_of_scope"
    with pytest.raises(NotAllowed):
        services.intake(actors["receiver"], data("2.000908", agency=province.stp.code))
    assert not Dossier.objects.exists()
    d, _ = services.intake(actors["centre_receiver"], data("2.000908"), now=at("2026-06-01 08:00"))
    assert d.agency == province.stp and d.intake_agency == province.centre


def test_department_with_a_shared_procedure_takes_it_in_for_itself(province, actors, intake_data):
    province.proc.agencies.add(province.stp)
    d, _ = services.intake(actors["receiver"], intake_data)
    assert d.agency == province.sxd
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["centre_receiver"], intake_data)
    assert err.value.code == "agency_required"
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["receiver"], dict(intake_data, agency="000.99.99.H13"))
    assert err.value.code == "agency_not_competent"


def test_province_wide_receipt_kinds_are_configuration(province, actors, settings):
    settings.MOTCUA_PROVINCE_WIDE_RECEIPT_KINDS = ["centre", "department"]
    d, _ = services.intake(actors["receiver"], data("2.000908"), now=at("2026-06-01 08:00"))
    assert d.agency == province.stp and d.intake_agency == province.sxd


def test_counter_intake_cannot_be_recorded_as_online(province, actors, intake_data):
    with pytest.raises(ValidationFailed) as err:
        services.intake(actors["receiver"], dict(intake_data, channel=Channel.ONLINE))
    assert err.value.code == "channel_not_allowed" and err.value.details["field"] == "channel"
    assert not Dossier.objects.exists()
    for channel in (Channel.IN_PERSON, Channel.POSTAL):
        assert services.intake(actors["receiver"], dict(intake_data, channel=channel))[0].channel == channel


def test_online_dossiers_come_from_the_portal_or_the_national_portal(province, actors, intake_data):
    mine, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE))
    assert mine.channel == Channel.ONLINE and mine.status == Status.NEW and mine.owner == province.citizen
    # an officer filing their own dossier on the portal files it as an applicant
    own, _ = services.intake(actors["specialist"], dict(intake_data, channel=Channel.ONLINE),
                             source=services.Source.PORTAL)
    assert own.status == Status.NEW and own.owner == province.specialist
    # DVCQG inbound: a system actor; the dossier waits for receipt like any online filing
    inbound, _ = services.intake(services.NATIONAL_PORTAL_ACTOR, dict(intake_data, channel=Channel.ONLINE),
                                 source=services.Source.NATIONAL_PORTAL)
    assert inbound.status == Status.NEW and inbound.owner is None and inbound.intake_agency == province.sxd
    assert inbound.history.get(seq=1).actor_name == "dvcqg"
    with pytest.raises(ValidationFailed) as err:
        services.intake(services.NATIONAL_PORTAL_ACTOR, intake_data, source=services.Source.NATIONAL_PORTAL)
    assert err.value.code == "channel_not_allowed"
