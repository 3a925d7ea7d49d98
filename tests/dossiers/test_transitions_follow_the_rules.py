"""Every act starts only from its allowed statuses, needs its reason, and is done only by its roles."""
import pytest

from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status

from ..conftest import at

REASON_ACTS = {"refuse", "request_supplement", "return_step", "request_financial", "stop", "withdraw", "extend"}


def _received(actors, intake_data, when="2026-06-01 08:00"):
    d, _ = services.intake(actors["receiver"], intake_data, now=at(when))
    return d


def _call(action, actor, d, **extra):
    kwargs = {"version": Dossier.objects.get(pk=d.pk).version, "now": at("2026-06-01 10:00")}
    if action in REASON_ACTS:
        kwargs["reason"] = extra.pop("reason", "Lý do kiểm thử")
    if action == "request_supplement":
        kwargs["components"] = extra.pop("components", ["Bản vẽ"])
    if action == "extend":
        kwargs["new_appointment"] = extra.pop("new_appointment", at("2026-06-30 17:00"))
    kwargs.update(extra)
    return services.TRANSITIONS[action](actor, d.code, **kwargs)


@pytest.mark.parametrize("action", sorted(set(services.ACTIONS) - {"receive"}))
def test_closed_dossier_accepts_no_act(province, actors, intake_data, action):
    d = _received(actors, intake_data)
    services.withdraw(actors["receiver"], d.code, reason="Công dân xin rút", version=d.version,
                      now=at("2026-06-01 09:00"))
    leader_like = {"approve": "leader", "stop": "leader", "extend": "leader", "mark_result_ready": "clerk",
                   "return_step": "leader", "request_financial": "head", "forward": "receiver"}
    actor = actors[leader_like.get(action, "receiver")]
    with pytest.raises(Conflict) as err:
        _call(action, actor, d)
    assert err.value.code == "invalid_transition"
    assert Dossier.objects.get(pk=d.pk).status == Status.WITHDRAWN


@pytest.mark.parametrize("action", sorted(REASON_ACTS - {"return_step"}))
def test_reason_is_mandatory(province, actors, intake_data, action):
    d = _received(actors, intake_data)
    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    d.refresh_from_db()
    if action == "request_financial":
        actor = actors["head"]
    elif action in ("stop", "extend"):
        actor = actors["leader"]
    else:
        actor = actors["specialist"] if action != "withdraw" else actors["receiver"]
    before = d.history.count()
    with pytest.raises(ValidationFailed) as err:
        _call(action, actor, d, reason="   ")
    assert (err.value.code, err.value.message, err.value.details) == (
        "reason_required", "Phải nêu rõ lý do.", {"field": "reason"})
    assert d.history.count() == before
    assert Dossier.objects.get(pk=d.pk).version == d.version


def test_receive_twice_is_a_conflict(province, actors, intake_data):
    d = _received(actors, intake_data)
    with pytest.raises(Conflict) as err:
        services.receive(actors["receiver"], d.code, version=d.version)
    assert err.value.code == "invalid_transition"
    assert err.value.status_code == 409
    assert err.value.message == "Không thể thực hiện “Tiếp nhận” khi hồ sơ đang ở trạng thái “Được tiếp nhận”."
    assert err.value.details == {"action": "receive", "status": 2, "allowed_from": [1]}


def test_an_intake_side_specialist_cannot_forward_the_agencys_specialist_step(province, actors, intake_data,
                                                                               django_user_model):
    """Forwarding a processing step belongs to the competent agency's side; holding the step's role at the
    intake centre is not enough (the receiving step alone is shared with the intake side)."""
    from motcua.agencies.models import Membership, Role
    from motcua.agencies.scope import actor_for
    Membership.objects.create(user=province.centre_receiver, agency=province.centre, role=Role.SPECIALIST)
    centre = actor_for(django_user_model.objects.get(pk=province.centre_receiver.pk))   # roles read again
    assert centre.has_role(Role.SPECIALIST, province.centre.path)
    d, _ = services.intake(centre, intake_data, now=at("2026-06-01 08:00"))
    services.forward(centre, d.code, now=at("2026-06-01 09:00"))     # the receiving step: the centre's own
    d.refresh_from_db()
    assert d.current_role == Role.SPECIALIST
    with pytest.raises(NotAllowed) as err:
        services.forward(centre, d.code, version=d.version, now=at("2026-06-01 10:00"))
    assert (err.value.code, err.value.details) == (
        "role_required", {"action": "forward", "roles": ["agency_leader", "specialist", "unit_head"]})
    assert err.value.message == "Bạn không có vai trò phù hợp để thực hiện thao tác này trên hồ sơ."
    services.forward(actors["specialist"], d.code, version=d.version, now=at("2026-06-01 10:00"))


def test_the_next_action_is_the_natural_one_for_each_officer(province, actors, intake_data):
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=2), now=at("2026-06-01 07:00"))
    d.refresh_from_db()
    assert services.next_action(actors["receiver"], d) == "receive"
    services.receive(actors["receiver"], d.code, now=at("2026-06-01 08:00"))
    d.refresh_from_db()
    assert services.next_action(actors["receiver"], d) == "forward"
    services.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    d.refresh_from_db()
    assert services.next_action(actors["leader"], d) == "forward"        # not the last step: no approval yet
    services.forward(actors["specialist"], d.code, now=at("2026-06-01 10:00"))
    d.refresh_from_db()
    assert services.next_action(actors["leader"], d) == "approve"         # the last step: approve, not forward
    assert services.next_action(actors["receiver"], d) == "request_supplement"   # never refuse or stop
    services.approve(actors["leader"], d.code, now=at("2026-06-01 11:00"))
    d.refresh_from_db()
    assert services.next_action(actors["leader"], d) == "mark_result_ready"


def test_specialist_cannot_approve_and_clerk_cannot_forward(province, actors, intake_data):
    d = _received(actors, intake_data)
    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    d.refresh_from_db()
    with pytest.raises(NotAllowed) as err:
        services.forward(actors["clerk"], d.code, version=d.version)
    assert err.value.code == "role_required"
    services.forward(actors["specialist"], d.code, version=d.version, now=at("2026-06-01 10:00"))
    d.refresh_from_db()
    with pytest.raises(NotAllowed) as err:
        services.approve(actors["specialist"], d.code, version=d.version)
    assert err.value.code == "role_required" and err.value.status_code == 403


def test_officer_of_another_agency_gets_not_found(province, actors, intake_data):
    d = _received(actors, intake_data)
    for action in services.ACTIONS:
        with pytest.raises(NotFound):
            _call(action, actors["other"], d)
    with pytest.raises(NotFound):
        services.get_for(actors["other"], d.code)
    assert not services.visible_dossiers(actors["other"]).filter(pk=d.pk).exists()
    assert services.visible_dossiers(actors["specialist"]).filter(pk=d.pk).exists()


def test_approve_only_at_last_step_and_result_only_after_approval(province, actors, intake_data):
    d = _received(actors, intake_data)
    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    d.refresh_from_db()
    with pytest.raises(Conflict) as err:
        services.mark_result_ready(actors["clerk"], d.code, version=d.version)
    assert err.value.code == "not_approved"
    with pytest.raises(Conflict) as err:
        services.approve(actors["leader"], d.code, version=d.version)
    assert err.value.code == "not_last_step"
    services.forward(actors["specialist"], d.code, version=d.version, now=at("2026-06-01 10:00"))
    d.refresh_from_db()
    with pytest.raises(Conflict) as err:
        services.forward(actors["leader"], d.code, version=d.version)
    assert err.value.code == "last_step"


def test_return_to_previous_step_restarts_it(province, actors, intake_data):
    d = _received(actors, intake_data)
    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    d.refresh_from_db()
    services.forward(actors["specialist"], d.code, version=d.version, now=at("2026-06-01 10:00"))
    d.refresh_from_db()
    services.return_step(actors["leader"], d.code, reason="Thiếu ý kiến thẩm định", version=d.version,
                         now=at("2026-06-01 14:00"))
    d.refresh_from_db()
    assert d.current_step == 2 and d.current_role == "specialist"
    step2 = d.steps.get(order=2)
    assert step2.rounds == 2 and step2.started_at == at("2026-06-01 14:00") and step2.finished_at is None
    assert d.steps.get(order=3).outcome.startswith("returned")
    # back once more, to step 1 (the receiving officer's) ...
    services.return_step(actors["leader"], d.code, reason="x", version=d.version, now=at("2026-06-01 15:00"))
    d.refresh_from_db()
    assert d.current_step == 1 and d.current_role == "receiving_officer"
    # ... and step 1 is the first: nothing before it
    with pytest.raises(Conflict) as err:
        services.return_step(actors["leader"], d.code, reason="x", version=d.version, now=at("2026-06-01 15:30"))
    assert err.value.code == "first_step"
    assert Dossier.objects.get(pk=d.pk).version == d.version


def test_refuse_stop_and_withdraw_close_the_dossier(province, actors, intake_data):
    a = _received(actors, intake_data)
    services.refuse(actors["receiver"], a.code, reason="Không thuộc thẩm quyền", version=a.version,
                    now=at("2026-06-01 09:00"))
    a.refresh_from_db()
    assert a.status == Status.NOT_RECEIVED and a.closed_at == at("2026-06-01 09:00")

    b = _received(actors, intake_data)
    services.stop(actors["leader"], b.code, reason="Có tranh chấp", version=b.version, now=at("2026-06-01 09:00"))
    b.refresh_from_db()
    assert b.status == Status.STOPPED and b.finished_at == at("2026-06-01 09:00")
    assert b.history.last().reason == "Có tranh chấp"

    c = _received(actors, intake_data)
    services.request_supplement(actors["specialist"], c.code, reason="Thiếu bản vẽ", components=["Bản vẽ"],
                                version=c.version, now=at("2026-06-01 09:00"))
    c.refresh_from_db()
    services.withdraw(actors["receiver"], c.code, reason="Công dân có đơn xin rút", version=c.version,
                      now=at("2026-06-02 09:00"))
    c.refresh_from_db()
    assert c.status == Status.WITHDRAWN
    assert c.pauses.get().ended_at == at("2026-06-02 09:00")


def test_financial_obligation_pauses_and_resumes(province, actors, intake_data):
    d = _received(actors, intake_data)
    services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 08:00"))
    d.refresh_from_db()
    services.request_financial(actors["specialist"], d.code, reason="Nộp lệ phí trước bạ", amount=500000,
                               version=d.version, now=at("2026-06-01 09:00"))
    d.refresh_from_db()
    assert d.status == Status.FINANCIAL_OBLIGATION and d.paused_since == at("2026-06-01 09:00")
    services.financial_fulfilled(actors["receiver"], d.code, version=d.version, now=at("2026-06-02 09:00"))
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.paused_since is None
    # one working day paused -> due moves from Thu 06-04 08:00 to Fri 06-05 08:00
    assert d.due_at == at("2026-06-05 08:00")


def test_the_next_action_is_chosen_among_the_acts_given(province, actors, intake_data):
    d = _received(actors, intake_data)
    assert services.next_action(actors["receiver"], d) == "forward"
    assert services.next_action(actors["receiver"], d, allowed=["refuse", "extend"]) == "extend"
    assert services.next_action(actors["receiver"], d, allowed=["refuse", "stop"]) is None


def test_a_citizen_sees_only_their_own_dossiers_and_an_anonymous_visitor_none(province, actors, intake_data,
                                                                            django_user_model):
    from motcua.agencies.scope import actor_for
    mine, _ = services.intake(actors["citizen"], dict(intake_data, channel=2), now=at("2026-06-01 07:00"))
    stranger = django_user_model.objects.create_user(username="nguoikhac")
    theirs, _ = services.intake(actor_for(stranger), dict(intake_data, channel=2), now=at("2026-06-01 07:05"))
    _received(actors, intake_data)
    assert list(services.visible_dossiers(actors["citizen"]).values_list("pk", flat=True)) == [mine.pk]
    anonymous = services.Actor(user_id=None, username="")
    assert not services.visible_dossiers(anonymous).exists()
    assert services.visible_dossiers(actors["receiver"]).count() == 3
    assert theirs.pk not in services.visible_dossiers(actors["citizen"]).values_list("pk", flat=True)
