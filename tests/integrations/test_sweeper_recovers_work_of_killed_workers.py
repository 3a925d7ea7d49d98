"""A worker killed with kill -9 leaves a leased message and/or a job stuck in RUNNING: the sweeper puts
the work back, so nothing is lost (the benchmark kills real workers: bench/bench_delivery.py kill)."""
from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import services
from motcua.integrations import delivery
from motcua.integrations.models import MessageState, OutboxMessage
from motcua.integrations.worker import run_jobs

from ..conftest import at
from .conftest import drain, states


def _killed_mid_send(actors, intake_data):
    d = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))[0]
    long_ago = timezone.now() - timedelta(hours=1)
    # the dead worker had claimed the job and leased the message
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["dead"])
    OutboxMessage.objects.update(lease_until=long_ago + timedelta(seconds=120), leased_by="dead")
    return d


def test_nothing_runs_until_swept_then_everything_is_delivered(dvcqg, actors, intake_data):
    d = _killed_mid_send(actors, intake_data)
    assert run_jobs() == 0                                   # no ready job: the work looks lost
    assert delivery.sweep() == 1
    lost = DBTaskResult.objects.get(worker_ids=["dead"])
    assert lost.status == TaskResultStatus.FAILED and "worker lost" in lost.traceback
    run_jobs()
    m = OutboxMessage.objects.get()
    assert m.state == MessageState.DELIVERED and m.attempts == 1
    assert dvcqg.state.dossiers[d.code]["statuses"] == ["2"]


def test_a_live_lease_is_respected(dvcqg, actors, intake_data):
    _killed_mid_send(actors, intake_data)
    OutboxMessage.objects.update(lease_until=timezone.now() + timedelta(seconds=60), leased_by="alive")
    DBTaskResult.objects.update(status=TaskResultStatus.READY, run_after=timezone.now() - timedelta(seconds=1))
    run_jobs()
    assert OutboxMessage.objects.get().state == MessageState.PENDING     # the other worker is still on it
    assert dvcqg.state.received == []


def test_sweep_does_not_flood_the_queue_during_an_outage(settings, dvcqg, actors, intake_data):
    """Followers of a retrying message wait by design and a dossier with a job waiting is not lost: the sweep
    (every few seconds, in every worker) must not enqueue them again, or a long outage buries the real work
    under no-op jobs (it did: ~84,000 after 10 minutes, bench/README-delivery.md)."""
    settings.MOTCUA_DELIVERY = {**settings.MOTCUA_DELIVERY, "backoff_base": 60, "backoff_cap": 300}
    dvcqg.mode("down")
    d = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))[0]
    run_jobs()                                                    # seq 2 fails: retrying, retry job scheduled
    services.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    services.forward(actors["specialist"], d.code, now=at("2026-06-01 10:00"))
    run_jobs()
    long_ago = timezone.now() - timedelta(hours=1)
    OutboxMessage.objects.filter(state=MessageState.PENDING).update(next_attempt_at=long_ago)   # old followers
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    before = ready.count()
    assert delivery.sweep() == 0 and ready.count() == before
    # the head is due long ago too, but its job is still waiting in the queue: not lost either
    OutboxMessage.objects.update(next_attempt_at=long_ago)
    assert delivery.sweep() == 0 and ready.count() == before
    ready.delete()                                                # now the job is really gone: recovered
    assert delivery.sweep() == 1 and ready.count() == 1
    dvcqg.mode("ok")
    drain()
    assert [s for _seq, s in states(d)] == [MessageState.DELIVERED] * 3
    assert [int(s) for s in dvcqg.state.dossiers[d.code]["statuses"]] == [2, 4, 4]
