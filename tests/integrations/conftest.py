"""The DVCQG simulator in-process on a free port, Motcua pointed at it, mappings for the test province."""
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.integrations.models import AgencyMapping, MessageState, OutboxMessage, ProcedureMapping
from motcua.integrations.portal.contrib.dvcqg.client import forget_tokens
from motcua.integrations.portal.contrib.dvcqg.sim import Simulator

FAST = {"max_attempts": 4, "backoff_base": 0.01, "backoff_cap": 0.05, "lease_seconds": 60,
        "stale_task_seconds": 300, "sweep_after_seconds": 300}


@pytest.fixture
def sim():
    s = Simulator().start()
    yield s
    s.stop()


def point_at(settings, sim, **extra):
    settings.MOTCUA_DVCQG = {**settings.MOTCUA_DVCQG, "url": sim.url, "auth": "lgsp", "client_id": "motcua",
                             "client_secret": "motcua-secret", "username": "motcua", "password": "motcua-pass",
                             "dstcode": "H13", "timeout": 2, "province": "H13", **extra}
    forget_tokens()


@pytest.fixture
def dvcqg(settings, sim, province):
    point_at(settings, sim)
    settings.MOTCUA_DELIVERY = dict(FAST)
    settings.MOTCUA_NATIONAL_PORTAL = "dvcqg"
    ProcedureMapping.objects.create(procedure=province.proc, remote_code="1.009974.000.00.00.H13")
    ProcedureMapping.objects.create(procedure=province.proc_stp, remote_code="2.000908.000.00.00.H13")
    AgencyMapping.objects.create(agency=province.sxd, remote_code="000.00.17.H13")
    AgencyMapping.objects.create(agency=province.stp, remote_code="000.00.18.H13")
    yield sim
    forget_tokens()


def drain(rounds=30):
    """Run every job; make scheduled retries due at once (no sleeping in tests) until nothing is left."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from motcua.integrations.worker import run_jobs

    for _i in range(rounds):
        now = timezone.now()
        OutboxMessage.objects.filter(state=MessageState.RETRYING).update(next_attempt_at=now - timedelta(seconds=1))
        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        if not ready.exists():
            return
        ready.update(run_after=now - timedelta(seconds=1))
        run_jobs()


def states(dossier=None):
    qs = OutboxMessage.objects.order_by("dossier_id", "seq")
    if dossier is not None:
        qs = qs.filter(dossier=dossier)
    return [(m.seq, m.state) for m in qs]
