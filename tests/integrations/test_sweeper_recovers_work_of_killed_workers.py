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
