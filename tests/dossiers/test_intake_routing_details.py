"""Intake and counter routing, detail by detail: every refusal with its exact code, Vietnamese message and
details (the contract the API and the pages show), and the small facts an intake stores. Each test was
written for a fault that the other tests let through (bench/mutation/README.md)."""
import re
from datetime import timedelta

import pytest

from motcua.agencies.models import Agency, AgencyKind, Membership, Role
from motcua.agencies.scope import Actor, actor_for
from motcua.catalog.models import Procedure, ProcessStep
from motcua.core.errors import NotAllowed, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier, ResultDelivery

from ..conftest import at


def _refusal(call, kind=ValidationFailed):
    with pytest.raises(kind) as err:
        call()
    return err.value.code, err.value.message, err.value.details


def test_a_submission_time_given_as_iso_text_is_stored_as_that_moment(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], dict(intake_data, submitted_at="2026-06-01T07:45:00+07:00"),
                           now=at("2026-06-01 08:00"))
    assert Dossier.objects.get(pk=d.pk).submitted_at == at("2026-06-01 07:45")
    assert d.code == "000.00.17.H13-260601-0001"


def test_a_procedure_without_process_steps_gets_one_specialist_step_for_the_whole_time(province, actors,
                                                                                     intake_data):
    ProcessStep.objects.filter(procedure=province.proc).delete()
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    steps = list(d.steps.order_by("order"))
    assert [(s.order, s.name, s.role, s.allowance_minutes) for s in steps] == [
        (1, "Xử lý hồ sơ", Role.SPECIALIST, d.statutory_minutes)]
    assert d.statutory_minutes == 3 * 8 * 60
    assert (d.current_step, d.current_role) == (1, Role.SPECIALIST)


def test_a_delivery_address_is_kept_only_for_postal_delivery(province, actors, intake_data):
    counter, _ = services.intake(actors["receiver"], dict(intake_data, delivery_address="5 Lê Lợi"))
    postal, _ = services.intake(actors["receiver"], dict(intake_data, result_delivery=ResultDelivery.POSTAL,
                                                         delivery_address="  5   Lê Lợi,\n Hà Đông "))
    assert (counter.result_delivery, Dossier.objects.get(pk=counter.pk).delivery_address) == (
        ResultDelivery.COUNTER, "")
    assert Dossier.objects.get(pk=postal.pk).delivery_address == "5 Lê Lợi, Hà Đông"


def test_the_lookup_secret_is_the_phones_last_digits_or_six_random_hex_characters(province, actors, intake_data,
                                                                                 settings):
    settings.MOTCUA_LOOKUP_SECRET_DIGITS = 4
    with_phone, _ = services.intake(actors["receiver"], dict(intake_data, applicant_phone="0912 345 678"))
    assert with_phone.lookup_secret == "5678"
    short = [services.intake(actors["receiver"], dict(intake_data, applicant_phone="12"))[0].lookup_secret
             for _ in range(3)]
    assert all(re.fullmatch(r"[0-9A-F]{6}", s) for s in short), short
    assert len(set(short)) > 1


def test_receiving_points_are_read_when_the_actor_was_built_by_hand(province):
    by_hand = Actor(user_id=province.centre_receiver.pk, username="tiepnhan_tt",
                    roles=frozenset({(Role.RECEIVING_OFFICER, province.centre.path)}),
                    org_paths=(province.centre.path,))
    assert by_hand.receiving_orgs is None
    # a centre receives for its whole province
    assert [(org.code, scope) for org, scope in services.receiving_points(by_hand)] == [
        ("000.00.01.H13", province.root.path)]
    assert services.receiving_points(Actor(user_id=None, username="x")) == []
    # the same answer as the actor read with its roles
    read = actor_for(province.centre_receiver)
    assert [(o.pk, s) for o, s in services.receiving_points(read)] == [(province.centre.pk, province.root.path)]


def test_an_unknown_intake_agency_is_refused_with_its_code(province, actors, intake_data):
    code, message, details = _refusal(lambda: services.intake(actors["centre_receiver"],
                                                              dict(intake_data, intake_agency="999.99.99.H13")))
    assert (code, message, details) == ("unknown_agency", "Không có cơ quan mã 999.99.99.H13.",
                                        {"field": "intake_agency", "agency": "999.99.99.H13"})


def test_naming_an_intake_point_where_the_officer_does_not_receive_is_refused(province, actors, intake_data):
    code, message, details = _refusal(
        lambda: services.intake(actors["receiver"], dict(intake_data, intake_agency=province.stp.code)), NotAllowed)
    assert (code, message, details) == ("role_required", "Bạn không phải cán bộ tiếp nhận của nơi tiếp nhận này.",
                                        {"roles": [Role.RECEIVING_OFFICER]})
    assert not Dossier.objects.exists()


def test_a_procedure_without_a_deciding_agency_cannot_be_filed(province, actors, intake_data):
    province.proc.agencies.clear()
    expected = ("procedure_without_agency", "Thủ tục chưa được gán cơ quan có thẩm quyền.", {})
    assert _refusal(lambda: services.intake(actors["receiver"], intake_data)) == expected
    assert _refusal(lambda: services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE))) == expected


def test_a_procedure_of_several_agencies_needs_one_chosen(province, districts, actors, intake_data):
    code, message, details = _refusal(lambda: services.intake(actors["citizen"], dict(
        intake_data, procedure=districts.house.code, channel=Channel.ONLINE)))
    assert (code, message) == ("agency_required",
                               "Thủ tục do nhiều cơ quan giải quyết: phải chọn cơ quan giải quyết.")
    assert (details["field"], sorted(details["agencies"])) == (
        "agency", sorted([districts.luongson.code, districts.kimboi.code]))
    # a centre officer receives for both districts, so has to choose too
    code, _message, details = _refusal(lambda: services.intake(actors["centre_receiver"], dict(
        intake_data, procedure=districts.house.code)))
    assert code == "agency_required" and details["field"] == "agency"
    assert sorted(details["agencies"]) == sorted([districts.luongson.code, districts.kimboi.code])


def test_a_named_agency_that_does_not_decide_the_procedure_is_refused(province, actors, intake_data):
    for actor in (actors["receiver"], actors["citizen"]):
        data = dict(intake_data, agency=province.stp.code, channel=Channel.ONLINE if actor is actors["citizen"] else Channel.IN_PERSON)
        assert _refusal(lambda: services.intake(actor, data)) == (
            "agency_not_competent", "Cơ quan 000.00.18.H13 không có thẩm quyền giải quyết thủ tục này.",
            {"field": "agency", "agency": "000.00.18.H13"})


def test_an_officer_without_the_receiving_role_cannot_receive_at_the_counter(province, actors, intake_data):
    assert _refusal(lambda: services.intake(actors["specialist"], intake_data), NotAllowed) == (
        "role_required", "Chỉ cán bộ tiếp nhận mới được tiếp nhận hồ sơ.", {"roles": [Role.RECEIVING_OFFICER]})


def test_assignable_staff_are_the_steps_role_in_its_unit_ordered_by_full_name(province, actors, intake_data,
                                                                             django_user_model):
    unit = province.sxd_unit
    other_unit = Agency.objects.create(code="000.17.02.H13", name="Phòng Hạ tầng", kind=AgencyKind.UNIT,
                                       parent=province.sxd)
    for username, first, last in [("cv_b", "Bình", "Trần"), ("cv_a2", "An", "Vũ"), ("cv_a1", "An", "Lê"),
                                  ("cv_a0", "An", "Lê")]:
        user = django_user_model.objects.create_user(username=username, first_name=first, last_name=last)
        Membership.objects.create(user=user, agency=unit, role=Role.SPECIALIST)
    elsewhere = django_user_model.objects.create_user(username="cv_ht", first_name="Anh", last_name="Đỗ")
    Membership.objects.create(user=elsewhere, agency=other_unit, role=Role.SPECIALIST)
    gone = django_user_model.objects.create_user(username="cv_nghi", first_name="A", last_name="A", is_active=False)
    Membership.objects.create(user=gone, agency=unit, role=Role.SPECIALIST)

    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    step = services.next_step(d)
    assert step.role == Role.SPECIALIST and step.unit_name == ""
    # ordered by first name, last name, user name ("chuyenvien" has no first name)
    assert [u.username for u in services.assignable_staff(d, step)] == [
        "chuyenvien", "cv_a0", "cv_a1", "cv_a2", "cv_ht", "cv_b"]

    # the process names its unit: only that unit's specialists
    step.unit_name = unit.name
    step.save(update_fields=["unit_name"])
    assert [u.username for u in services.assignable_staff(d, step)] == [
        "chuyenvien", "cv_a0", "cv_a1", "cv_a2", "cv_b"]
    assert services.assignable_staff(d, None).count() == 0


def test_a_late_submission_time_in_the_future_is_refused(province, actors, intake_data):
    now = at("2026-06-01 08:00")
    code, message, _details = _refusal(lambda: services.intake(
        actors["receiver"], dict(intake_data, submitted_at=(now + timedelta(minutes=1)).isoformat()), now=now))
    assert (code, message) == ("submitted_in_future", "Thời điểm nộp không được ở tương lai.")



def test_a_counter_intake_records_the_receipt_time_given(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], dict(intake_data, submitted_at="2026-06-01T07:50:00+07:00",
                                                    received_at="2026-06-01T08:10:00+07:00"),
                           now=at("2026-06-01 09:00"))
    d = Dossier.objects.get(pk=d.pk)
    assert (d.received_at, d.clock_start) == (at("2026-06-01 08:10"), at("2026-06-01 08:10"))
    assert d.steps.get(order=1).started_at == at("2026-06-01 08:10")


def test_the_number_of_sets_brought_is_stored_and_one_by_default(province, actors, intake_data):
    two, _ = services.intake(actors["receiver"], dict(intake_data, sets_count=2))
    one, _ = services.intake(actors["receiver"], intake_data)
    assert (Dossier.objects.get(pk=two.pk).sets_count, Dossier.objects.get(pk=one.pk).sets_count) == (2, 1)


def test_an_unknown_way_of_returning_the_result_is_refused(province, actors, intake_data):
    assert _refusal(lambda: services.intake(actors["receiver"], dict(intake_data, result_delivery="drone"))) == (
        "result_delivery_invalid", "Cách nhận kết quả không hợp lệ.",
        {"field": "result_delivery", "allowed": list(ResultDelivery.values)})


def test_an_officer_receiving_outside_their_agency_is_told_where_to_go(province, actors, intake_data):
    assert _refusal(lambda: services.intake(actors["other"], intake_data), NotAllowed) == (
        "receipt_out_of_scope",
        "Bạn chỉ tiếp nhận được hồ sơ thuộc thẩm quyền của cơ quan mình; hồ sơ của cơ quan khác được tiếp nhận tại "
        "Trung tâm Phục vụ hành chính công.", {"agencies": [province.sxd.code]})


def test_a_file_without_a_component_does_not_hide_a_missing_one(province, actors, intake_data):
    from ..web.helpers import PDF
    province.proc.components.update(required=True)
    checklist = [{"component_id": c.pk, "provided": False} for c in province.proc.components.all()]
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE, components=checklist),
                           now=at("2026-06-01 07:00"))
    required = sorted(d.components.values_list("name", flat=True))
    assert sorted(services.missing_components(d)) == required
    services.attach(actors["receiver"], d.code, kind="other", filename="ghi-chu.pdf", content=PDF)
    assert sorted(services.missing_components(d)) == required
    first = d.components.order_by("id").first()
    services.attach(actors["citizen"], d.code, kind="component", filename="don.pdf", content=PDF,
                    component_id=first.pk)
    assert sorted(services.missing_components(d)) == sorted(set(required) - {first.name})


def test_a_national_portal_dossier_must_be_an_online_one(province, intake_data):
    assert _refusal(lambda: services.intake(services.NATIONAL_PORTAL_ACTOR, dict(intake_data, channel=1),
                                            source=services.SOURCE_DVCQG)) == (
        "channel_not_allowed", "Hồ sơ từ Cổng Dịch vụ công quốc gia là hồ sơ trực tuyến.",
        {"field": "channel", "allowed": [Channel.ONLINE]})


def test_an_officer_receiving_at_the_centre_and_the_department_takes_it_in_at_the_department(
        province, intake_data, django_user_model):
    both = django_user_model.objects.create_user(username="tiepnhan_hai_noi")
    for org in (province.centre, province.sxd):
        Membership.objects.create(user=both, agency=org, role=Role.RECEIVING_OFFICER)
    d, _ = services.intake(actor_for(both), intake_data)
    assert (d.agency, d.intake_agency) == (province.sxd, province.sxd)
    # a procedure of another department: only the centre can take it in
    other, _ = services.intake(actor_for(both), dict(intake_data, procedure=province.proc_stp.code))
    assert (other.agency, other.intake_agency) == (province.stp, province.centre)


def test_a_refusal_at_the_counter_is_dated_at_the_intake(province, actors, intake_data):
    checklist = [{"component_id": c.pk, "provided": False} for c in province.proc.components.all()]
    province.proc.components.update(required=True)
    d = services.intake(actors["receiver"], dict(intake_data, components=checklist, if_incomplete="refuse",
                                                 reason="Thiếu đơn và bản vẽ"), now=at("2026-06-01 08:00"))[0]
    d = Dossier.objects.get(code=d.code)
    assert (d.status, d.closed_at) == (3, at("2026-06-01 08:00"))
    assert [(e.action, e.at) for e in d.history.order_by("seq")] == [
        ("submit", at("2026-06-01 08:00")), ("refuse", at("2026-06-01 08:00"))]


def test_the_steps_of_a_received_dossier_copy_the_process(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    assert [(s.order, s.name, s.role, s.allowance_minutes) for s in d.steps.order_by("order")] == [
        (1, "Tiếp nhận hồ sơ", Role.RECEIVING_OFFICER, 240), (2, "Thẩm định hồ sơ", Role.SPECIALIST, 720),
        (3, "Phê duyệt", Role.AGENCY_LEADER, 480)]


def test_a_checklist_item_outside_the_catalogue_needs_a_name(province, actors, intake_data):
    brought = [{"component_id": c.pk, "provided": True} for c in province.proc.components.all()]
    extra = [*brought, {"name": "Giấy ủy quyền", "provided": True}]
    d, _ = services.intake(actors["receiver"], dict(intake_data, components=extra))
    assert "Giấy ủy quyền" in set(d.components.values_list("name", flat=True))
    assert _refusal(lambda: services.intake(actors["receiver"], dict(intake_data, components=[*brought, {"provided": True}]))) \
        == ("component_name_required", "Thành phần hồ sơ ngoài danh mục phải có tên.", {"field": "components"})
    assert Dossier.objects.count() == 1


def test_an_unknown_channel_is_refused(province, actors, intake_data):
    assert _refusal(lambda: services.intake(actors["receiver"], dict(intake_data, channel=9))) == (
        "invalid_channel", "Kênh tiếp nhận không hợp lệ.", {"field": "channel"})


def test_a_province_level_officer_may_name_the_intake_point_below(province, intake_data, django_user_model):
    officer = django_user_model.objects.create_user(username="tiepnhan_tinh")
    Membership.objects.create(user=officer, agency=province.root, role=Role.RECEIVING_OFFICER)
    named, _ = services.intake(actor_for(officer), dict(intake_data, intake_agency=province.centre.code))
    own, _ = services.intake(actor_for(officer), intake_data)
    assert (named.agency, named.intake_agency) == (province.sxd, province.centre)
    assert (own.agency, own.intake_agency) == (province.sxd, province.root)


def test_an_officer_of_a_centre_and_a_district_preselects_the_district(province, districts, intake_data,
                                                                      django_user_model):
    officer = django_user_model.objects.create_user(username="tiepnhan_tt_ls")
    for org in (province.centre, districts.luongson):
        Membership.objects.create(user=officer, agency=org, role=Role.RECEIVING_OFFICER)
    actor = actor_for(officer)
    options, chosen = services.receivable_agencies(actor, districts.house)
    assert sorted(a.code for a in options) == sorted([districts.luongson.code, districts.kimboi.code])
    assert chosen == districts.luongson
    d, _ = services.intake(actor, dict(intake_data, procedure=districts.house.code))
    assert (d.agency, d.intake_agency) == (districts.luongson, districts.luongson)


def test_filing_online_needs_an_account(province, intake_data):
    assert _refusal(lambda: services.intake(Actor(user_id=None, username=""), dict(intake_data, channel=Channel.ONLINE),
                                            source=services.Source.PORTAL), NotAllowed) == (
        "not_authenticated", "Cần đăng nhập tài khoản để nộp hồ sơ trực tuyến.", {})


def test_an_unknown_procedure_is_refused_with_its_field(province, actors, intake_data):
    assert _refusal(lambda: services.intake(actors["receiver"], dict(intake_data, procedure="9.999999"))) == (
        "unknown_procedure", "Không có thủ tục mã 9.999999 đang áp dụng.", {"field": "procedure"})


def test_the_intake_centres_specialists_are_not_offered_for_the_agencys_steps(province, actors, intake_data,
                                                                            django_user_model):
    Membership.objects.create(user=province.centre_receiver, agency=province.centre, role=Role.SPECIALIST)
    centre = actor_for(django_user_model.objects.get(pk=province.centre_receiver.pk))
    d, _ = services.intake(centre, intake_data, now=at("2026-06-01 08:00"))
    assert d.intake_agency == province.centre
    step = services.next_step(d)
    assert [u.username for u in services.assignable_staff(d, step)] == ["chuyenvien"]


def test_the_applicants_email_is_stored(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], dict(intake_data, applicant_email="an.nguyen@example.vn"))
    assert Dossier.objects.get(pk=d.pk).applicant_email == "an.nguyen@example.vn"
