"""Two officers acting on one dossier at the same moment: exactly one wins, the other gets 409, and the
history has exactly one new event. Concurrent intakes get unique, gap-free codes. Real threads on
PostgreSQL (row locks); the stale-version rule itself is checked deterministically on every database."""
import pytest

from motcua.core.errors import Conflict
from motcua.dossiers import history, services
from motcua.dossiers.models import Dossier, Status

from ..conftest import at, postgres_only, race



def test_stale_version_is_refused(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    seen = d.version
    services.forward(actors["receiver"], d.code, version=seen, now=at("2026-06-01 09:00"))
    with pytest.raises(Conflict) as err:
        services.refuse(actors["receiver"], d.code, reason="Sai thẩm quyền", version=seen)
    assert err.value.code == "stale_version" and err.value.status_code == 409
    assert err.value.message == "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại."
    assert err.value.details == {"version": seen + 1, "yours": seen}
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.history.count() == 3




@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_race_one_wins(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    version = d.version
    acts = [
        lambda: services.forward(actors["receiver"], d.code, version=version, now=at("2026-06-01 09:00")),
        lambda: services.refuse(actors["receiver"], d.code, reason="Sai thẩm quyền", version=version,
                                now=at("2026-06-01 09:00")),
    ] * 4
    results = race(len(acts), lambda i: acts[i]())
    wins = [r for r in results if r[0] == "ok"]
    losses = [r for r in results if r[0] == "error"]
    assert len(wins) == 1, results
    assert all(isinstance(e, Conflict) and e.code in ("stale_version", "invalid_transition") for _s, e in losses)
    d = Dossier.objects.get(pk=d.pk)
    assert d.version == version + 1
    assert d.history.count() == 3
    assert history.verify_chain(d) == []


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_get_unique_gap_free_codes(province, actors, intake_data):
    n = 12
    results = race(n, lambda i: services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))[0].code)
    assert all(r[0] == "ok" for r in results), results
    codes = sorted(r[1] for r in results)
    assert codes == [f"000.00.17.H13-260601-{i:04d}" for i in range(1, n + 1)]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_idempotency_key_make_one_dossier(province, actors, intake_data):
    results = race(6, lambda i: services.intake(actors["receiver"], intake_data, idempotency_key="k-1",
                                                 now=at("2026-06-01 08:00")))
    assert all(r[0] == "ok" for r in results), results
    assert len({r[1][0].code for r in results}) == 1
    assert sum(1 for r in results if r[1][1] is False) == 1
    assert Dossier.objects.count() == 1


def _at_specialist_step(actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    d = services.forward(actors["receiver"], d.code, version=d.version, now=at("2026-06-01 09:00"))
    assert d.current_role == "specialist"
    return d


def test_loser_of_a_forward_gets_stale_version_not_role_required(province, actors, intake_data):
    """The winner's forward moves the dossier to the leader's step; a second specialist who read the old
    version must get 409 stale_version, not 403 because a specialist may not act on the leader's step."""
    d = _at_specialist_step(actors, intake_data)
    seen = d.version
    services.forward(actors["specialist"], d.code, version=seen, now=at("2026-06-01 10:00"))
    with pytest.raises(Conflict) as err:
        services.forward(actors["specialist"], d.code, version=seen, now=at("2026-06-01 10:00"))
    assert err.value.code == "stale_version" and err.value.status_code == 409
    d.refresh_from_db()
    assert d.current_role == "agency_leader" and d.version == seen + 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_officers_forward_at_once_one_wins_nineteen_get_stale_version(province, actors, intake_data,
                                                                            django_user_model):
    from motcua.agencies.models import Role
    from motcua.agencies.scope import actor_for

    from ..conftest import make_user
    officers = [actor_for(make_user(django_user_model, f"chuyenvien{i}", province.sxd_unit, Role.SPECIALIST))
                for i in range(20)]
    d = _at_specialist_step(actors, intake_data)
    version = d.version
    results = race(20, lambda i: services.forward(officers[i], d.code, version=version,
                                                   now=at("2026-06-01 10:00")))
    wins = [r for r in results if r[0] == "ok"]
    losses = [e for s, e in results if s == "error"]
    assert len(wins) == 1, results
    assert len(losses) == 19 and all(isinstance(e, Conflict) and e.code == "stale_version" for e in losses), losses
    d = Dossier.objects.get(pk=d.pk)
    assert d.version == version + 1 and d.current_role == "agency_leader"
    assert d.history.count() == 4 and history.verify_chain(d) == []
