"""Two officers acting on one dossier at the same moment: exactly one wins, the other gets 409, and the
history has exactly one new event. Concurrent intakes get unique, gap-free codes. Real threads on
PostgreSQL (row locks); the stale-version rule itself is checked deterministically on every database."""
import threading

import pytest
from django.db import connection, connections

from motcua.core.errors import Conflict
from motcua.dossiers import history, services
from motcua.dossiers.models import Dossier, Status

from ..conftest import at

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="real concurrency needs PostgreSQL row locks (CI runs it)")


def test_stale_version_is_refused(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    seen = d.version
    services.forward(actors["receiver"], d.code, version=seen, now=at("2026-06-01 09:00"))
    with pytest.raises(Conflict) as err:
        services.refuse(actors["receiver"], d.code, reason="Sai thẩm quyền", version=seen)
    assert err.value.code == "stale_version" and err.value.status_code == 409
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.history.count() == 3


def _race(n, work):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = ("ok", work(i))
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


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
    results = _race(len(acts), lambda i: acts[i]())
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
    results = _race(n, lambda i: services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))[0].code)
    assert all(r[0] == "ok" for r in results), results
    codes = sorted(r[1] for r in results)
    assert codes == [f"000.00.17.H13-260601-{i:04d}" for i in range(1, n + 1)]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_idempotency_key_make_one_dossier(province, actors, intake_data):
    results = _race(6, lambda i: services.intake(actors["receiver"], intake_data, idempotency_key="k-1",
                                                 now=at("2026-06-01 08:00")))
    assert all(r[0] == "ok" for r in results), results
    assert len({r[1][0].code for r in results}) == 1
    assert sum(1 for r in results if r[1][1] is False) == 1
    assert Dossier.objects.count() == 1
