"""The delivery layer: an outbox of messages per integration and dossier, delivered by background jobs.

- `record()` runs inside the act's transaction: it writes the outbox row and the django-tasks job row in
  that same transaction, so a rolled-back act sends nothing and a committed act is never forgotten.
- `run_dossier()` (the job) delivers the dossier's due messages in `seq` order through the delivery core
  (outbox.py, shared with the edXML exchange outbox): a message is claimed with a lease, so two workers
  never send the same message at the same time; message N+1 waits while an earlier one of the same dossier
  and integration is not delivered.
- Failures: Transient -> retry with exponential back-off and jitter up to MAX_ATTEMPTS, then dead with
  the last error; Permanent -> dead at once; CannotMap -> 'cannot map' until an administrator maps and
  replays. Nothing is ever deleted. This module gives the core its "send one" (`send_one`: the plugin).
- `sweep()` (run by `motcua worker` every few seconds) re-enqueues work whose worker died (kill -9): an
  expired lease, a job stuck in RUNNING, a due message nobody picked up.
"""
import logging
from datetime import timedelta

from django.db import router
from django.db.models import Count, Exists, Max, Min, OuterRef, signals
from django.utils import timezone

from . import outbox
from .models import MessageState, OutboxMessage
from .outbox import backoff, conf  # noqa: F401  (the delivery settings and back-off, used by the other outboxes)
from .portal import registry
from .portal.base import Transient
from .portal.services import outbound_identifiers

log = logging.getLogger("motcua.delivery")


# ---------------------------------------------------------------- enqueue (inside the act's transaction)

def record(dossier, event):
    """The act that produced history `event` must reach every outbound integration. Called by the
    history helper in the act's transaction (one call site for every act). Notices to the applicant
    (motcua.integrations.notifications) are written here too, in a savepoint of their own."""
    from .notifications.services import on_dossier_event
    on_dossier_event(dossier, event)
    idents = outbound_identifiers()
    if not idents:
        return
    from motcua.core import batch

    from .tasks import deliver_dossier
    now = timezone.now()
    messages = [OutboxMessage(integration=ident, dossier_id=dossier.pk, agency_id=dossier.agency_id, seq=event.seq,
                              action=event.action, status=event.status_after or dossier.status,
                              next_attempt_at=now, created_at=now) for ident in idents]
    batch.insert(OutboxMessage, messages)
    for ident in idents:
        _enqueue_with_act(deliver_dossier, ident, dossier.pk)


def _enqueue_with_act(task, *args):
    """task.enqueue(*args), with the job row written like the act's other final rows (motcua.core.batch: one
    statement with them on PostgreSQL). The row is exactly the one the django-tasks-db backend writes."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import normalize_json, task_enqueued
    from django_tasks_db.models import DBTaskResult

    from motcua.core import batch

    backend = task.get_backend()
    if type(backend) is not DatabaseBackend:
        task.enqueue(*args)
        return
    backend.validate_task(task)
    row = DBTaskResult(id=backend._get_id(), args_kwargs=normalize_json({"args": args, "kwargs": {}}),
                       priority=task.priority, task_path=task.module_path, queue_name=task.queue_name,
                       run_after=task.run_after, backend_name=backend.alias)
    db = router.db_for_write(DBTaskResult)
    # what DBTaskResult.objects.create() does around its INSERT: the model's signals (the backend's
    # pre_save handler turns run_after=None into "no delay"), then the backend's task_enqueued
    signals.pre_save.send(sender=DBTaskResult, instance=row, raw=False, using=db, update_fields=None)

    def after():
        signals.post_save.send(sender=DBTaskResult, instance=row, created=True, update_fields=None, raw=False,
                               using=db)
        task_enqueued.send(type(backend), task_result=row.task_result)
    batch.insert(DBTaskResult, [row], after=after)


def _enqueue(integration, dossier_id, run_after=None):
    from .tasks import deliver_dossier
    task = deliver_dossier.using(run_after=run_after) if run_after else deliver_dossier
    task.enqueue(integration, dossier_id)


# ---------------------------------------------------------------- the job (the delivery core: outbox.py)

def plugin_for(integration):
    """The national-portal provider, or the notification channel adapter (`notify_<channel>`)."""
    if integration in registry.register:
        return registry.register.get(integration)
    from .notifications.services import outbox_plugin
    return outbox_plugin(integration)


def send_one(msg):
    """Hand one message to its integration's plugin; a DeliveryError says what happens next."""
    try:
        plugin = plugin_for(msg.integration)
    except KeyError:
        raise Transient(f"Không có plugin kết nối '{msg.integration}'.", code="unknown_integration") from None
    plugin.deliver(msg)


OUTBOX = outbox.Outbox(model=OutboxMessage, group=("integration", "dossier_id"), order="seq", send=send_one,
                       enqueue=_enqueue, log=log, label=lambda msg: msg.message_id)


def run_dossier(integration, dossier_id, limit=1000):
    """Deliver due messages of one (integration, dossier) in order; returns how many were delivered."""
    return OUTBOX.run(integration, dossier_id, limit=limit)


# ---------------------------------------------------------------- recovery

def sweep(now=None):
    """Re-enqueue work whose job was lost. Duplicate jobs are harmless (the lease decides)."""
    from django_tasks_db.models import DBTaskResult
    from django_tasks import TaskResultStatus

    now = now or timezone.now()
    pairs = set()
    # 1. a worker died while it held a message
    pairs |= set(OutboxMessage.objects.filter(lease_until__lt=now).exclude(state=MessageState.DELIVERED)
                 .values_list("integration", "dossier_id"))
    # 2. a worker died after claiming the job but before leasing the message: the job stays RUNNING
    stale = now - timedelta(seconds=conf("stale_task_seconds"))
    path = "motcua.integrations.tasks.deliver_dossier"
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path=path, started_at__lt=stale):
        updated = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=now, exception_class_path="motcua.WorkerLost",
            traceback="worker lost (no progress within the stale limit); the delivery was re-enqueued")
        if updated:
            args = row.args_kwargs.get("args") or []
            if len(args) == 2:
                pairs.add((args[0], args[1]))
    # 3. anything due long ago that nobody picked up: only the first undelivered message of a dossier (its
    # followers wait for it by design: while it is retrying they are not lost), and only where no job is
    # waiting already. Without both, every sweep of every worker re-enqueued every waiting dossier: a
    # 10-minute outage left ~84,000 no-op jobs in front of the real ones (bench/README-delivery.md).
    waiting = _waiting_jobs(path)
    if waiting is not None:
        old = now - timedelta(seconds=conf("sweep_after_seconds"))
        earlier = OutboxMessage.objects.filter(integration=OuterRef("integration"), dossier_id=OuterRef("dossier_id"),
                                               seq__lt=OuterRef("seq")).exclude(state=MessageState.DELIVERED)
        heads = (OutboxMessage.objects.filter(state__in=(MessageState.PENDING, MessageState.RETRYING),
                                              next_attempt_at__lt=old, lease_until__isnull=True)
                 .exclude(Exists(earlier)).values_list("integration", "dossier_id").distinct()[:1000])
        pairs |= {pair for pair in heads if pair not in waiting}
    for integration, dossier_id in pairs:
        _enqueue(integration, dossier_id)
    return len(pairs)


WAITING_JOBS_LIMIT = 5000


def _waiting_jobs(path):
    """{(integration, dossier id)} with a job ready to run; None when the queue holds more than
    WAITING_JOBS_LIMIT (the workers are busy: nothing looks lost yet, the next sweeps will see)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = list(DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=path)
                .values_list("args_kwargs", flat=True)[:WAITING_JOBS_LIMIT + 1])
    if len(rows) > WAITING_JOBS_LIMIT:
        return None
    return {tuple(a["args"]) for a in rows if isinstance(a, dict) and len(a.get("args") or []) == 2}


# ---------------------------------------------------------------- administrators

def resend(messages_qs):
    """Dead (or unmappable) messages back to pending, attempts reset, jobs enqueued. Returns the count."""
    return OUTBOX.resend(messages_qs)


def counts(qs=None):
    """{integration: {state: n, ..., 'oldest_undelivered': iso}} over the given messages."""
    qs = OutboxMessage.objects.all() if qs is None else qs
    out = {}
    for row in qs.values("integration", "state").annotate(n=Count("pk")):
        out.setdefault(row["integration"], {s: 0 for s in MessageState.values})[row["state"]] = row["n"]
    for row in (qs.exclude(state=MessageState.DELIVERED).values("integration")
                .annotate(oldest=Min("created_at"), last=Max("created_at"))):
        out.setdefault(row["integration"], {s: 0 for s in MessageState.values})["oldest_undelivered"] = \
            row["oldest"].isoformat()
    return out
