"""Several workers at once on PostgreSQL (real threads, real connections): every job runs exactly once
(django-tasks-db claims it with FOR UPDATE SKIP LOCKED), every message is delivered once and in order.
On SQLite one worker drains the same load."""
import threading

import pytest
from django.db import connections
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import services
from motcua.integrations.models import MessageState, OutboxMessage
from motcua.integrations.worker import make_worker, run_jobs

from ..conftest import at, postgres_only



def _load(actors, intake_data, n):
    codes = []
    for i in range(n):
        d = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))[0]
        services.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
        services.forward(actors["specialist"], d.code, now=at("2026-06-01 10:00"))
        codes.append(d.code)
    return codes


def _check(sim, codes):
    assert not OutboxMessage.objects.exclude(state=MessageState.DELIVERED).exists()
    assert OutboxMessage.objects.count() == 3 * len(codes)
    for code in codes:
        assert sim.state.dossiers[code]["statuses"] == ["2", "4", "4"]
        ids = sim.state.dossiers[code]["message_ids"]
        seqs = [int(m.split(":")[2]) for m in ids]
        assert seqs == sorted(seqs) == [2, 3, 4]
    assert sim.state.duplicates == 0


@postgres_only
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_four_workers_on_postgresql(dvcqg, actors, intake_data):
    codes = _load(actors, intake_data, 15)
    errors = []

    def work(i):
        try:
            make_worker(batch=True, interval=0, worker_id=f"w{i}").run()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    jobs = list(DBTaskResult.objects.all())
    assert len(jobs) >= 45
    assert all(j.status == TaskResultStatus.SUCCESSFUL for j in jobs)
    assert all(len(j.worker_ids) == 1 for j in jobs)          # no job was claimed twice
    assert len({w for j in jobs for w in j.worker_ids}) > 1   # the work really was shared
    _check(dvcqg, codes)


def test_one_worker_on_any_database(dvcqg, actors, intake_data):
    codes = _load(actors, intake_data, 5)
    run_jobs()
    _check(dvcqg, codes)
