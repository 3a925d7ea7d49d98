"""Forwarding can name the specialist of the next step (or leave it to the unit): the named person must hold
the next step's role in the competent agency, the one history event names them, and they find the dossier
in their "assigned to me" worklist (web and API)."""
import pytest

from motcua.agencies.models import Membership, Role
from motcua.core.errors import ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.api import _worklist_filter
from motcua.dossiers.models import Dossier, HistoryEvent

from ..conftest import at, make_user

pytestmark = pytest.mark.django_db


def _received(actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    return d


def _mine(actor):
    return set(Dossier.objects.filter(_worklist_filter(actor, "assigned_to_me", at("2026-06-01 09:00")))
               .values_list("code", flat=True))


def test_forward_to_a_named_specialist(province, actors, intake_data, django_user_model):
    from motcua.agencies.scope import actor_for
    second = make_user(django_user_model, "chuyenvien2", province.sxd_unit, Role.SPECIALIST)
    d = _received(actors, intake_data)
    staff = list(services.assignable_staff(d, services.next_step(d)))
    assert {u.username for u in staff} == {"chuyenvien", "chuyenvien2"}
    services.forward(actors["receiver"], d.code, assignee="chuyenvien2", now=at("2026-06-01 09:00"))
    step = d.steps.get(order=2)
    assert step.assignee == second
    event = HistoryEvent.objects.filter(dossier=d).order_by("-seq").first()
    assert event.action == "forward" and event.data["assignee"] == second.pk
    assert event.data["assignee_name"] == "chuyenvien2"
    assert _mine(actor_for(second)) == {d.code}
    assert _mine(actors["specialist"]) == set()


def test_forward_by_id_and_to_the_unit(province, actors, intake_data):
    d = _received(actors, intake_data)
    services.forward(actors["receiver"], d.code, assignee=str(province.specialist.pk), now=at("2026-06-01 09:00"))
    assert d.steps.get(order=2).assignee_id == province.specialist.pk
    d2 = _received(actors, intake_data)
    services.forward(actors["receiver"], d2.code, now=at("2026-06-01 09:00"))
    assert d2.steps.get(order=2).assignee is None
    assert "assignee" not in HistoryEvent.objects.filter(dossier=d2).order_by("-seq").first().data


@pytest.mark.parametrize("who", ["tiepnhan_stp", "giamdoc", "nobody", "vanthu", "99999999"])
def test_an_assignee_outside_the_step_is_refused_and_nothing_moves(province, actors, intake_data, who):
    d = _received(actors, intake_data)
    before = HistoryEvent.objects.filter(dossier=d).count()
    with pytest.raises(ValidationFailed) as exc:
        services.forward(actors["receiver"], d.code, assignee=who, now=at("2026-06-01 09:00"))
    assert exc.value.code == "assignee_not_eligible"
    assert exc.value.message == ("Người được giao phải là cán bộ giữ vai trò “Chuyên viên xử lý” của đơn vị thực "
                                 "hiện bước tiếp theo.")
    assert exc.value.details == {"field": "assignee", "assignee": who, "role": "specialist", "step": 2}
    d.refresh_from_db()
    assert d.current_step == 1 and HistoryEvent.objects.filter(dossier=d).count() == before


def test_the_steps_unit_narrows_the_choice(province, actors, intake_data, django_user_model):
    from motcua.agencies.models import Agency, AgencyKind
    other_unit = Agency.objects.create(code="000.17.02.H13", name="Phòng Hạ tầng", kind=AgencyKind.UNIT,
                                       parent=province.sxd)
    make_user(django_user_model, "chuyenvien_ht", other_unit, Role.SPECIALIST)
    province.proc.steps.filter(order=2).update(unit_name="Phòng Quản lý xây dựng")
    d = _received(actors, intake_data)
    assert [u.username for u in services.assignable_staff(d, services.next_step(d))] == ["chuyenvien"]
    with pytest.raises(ValidationFailed):
        services.forward(actors["receiver"], d.code, assignee="chuyenvien_ht", now=at("2026-06-01 09:00"))
    assert Membership.objects.filter(user__username="chuyenvien_ht").exists()


def test_an_assignee_is_found_by_a_user_name_of_the_longest_length(province, actors, intake_data, django_user_model):
    longest = make_user(django_user_model, "c" * 150, province.sxd_unit, Role.SPECIALIST)     # Django's limit
    d = _received(actors, intake_data)
    services.forward(actors["receiver"], d.code, assignee="c" * 150, now=at("2026-06-01 09:00"))
    assert d.steps.get(order=2).assignee_id == longest.pk
    with pytest.raises(ValidationFailed) as exc:      # longer than any user name: not looked up at all
        services.forward(actors["specialist"], d.code, assignee="c" * 151, now=at("2026-06-01 10:00"))
    assert exc.value.code == "assignee_not_eligible" and exc.value.details["assignee"] == "c" * 150
