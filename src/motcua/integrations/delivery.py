"""The delivery layer: an outbox of messages per integration and dossier, delivered by background jobs.

- `record()` runs inside the act's transaction: it writes the outbox row and the django-tasks job row in
  that same transaction, so a rolled-back act sends nothing and a committed act is never forgotten.
- `run_dossier()` (the job) delivers the dossier's due messages in `seq` order. A message is claimed with
  a lease (one UPDATE ... WHERE not leased, atomic on SQLite and PostgreSQL), so two workers never send
  the same message at the same time; message N+1 waits while an earlier one of the same dossier and
  integration is not delivered.
- Failures: Transient -> retry with exponential back-off and jitter up to MAX_ATTEMPTS, then dead with
  the last error; Permanent -> dead at once; CannotMap -> 'cannot map' until an administrator maps and
  replays. Nothing is ever deleted.
- `sweep()` (run by `motcua worker` every few seconds) re-enqueues work whose worker died (kill -9): an
  expired lease, a job stuck in RUNNING, a due message nobody picked up.
"""
import logging
import os
import random
import socket
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import router, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, signals
from django.utils import timezone

from .models import BLOCKED, MessageState, OutboxMessage
from .portal import registry
from .portal.base import CannotMap, DeliveryError, Transient
from .portal.services import outbound_identifiers

log = logging.getLogger("motcua.delivery")
WORKER_ID = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def conf(name):
    return getattr(settings, "MOTCUA_DELIVERY", {}).get(name, DEFAULTS[name])


DEFAULTS = {"max_attempts": 15, "backoff_base": 2.0, "backoff_cap": 300.0, "lease_seconds": 120.0,
            "stale_task_seconds": 300.0, "sweep_after_seconds": 300.0}


def backoff(attempts, rnd=random.random):
    """Seconds to wait before attempt `attempts + 1`: exponential, capped, with 'equal jitter'
    (half fixed, half random) so retries of many messages do not arrive together."""
    delay = min(conf("backoff_cap"), conf("backoff_base") * (2 ** max(attempts - 1, 0)))
    return delay / 2 + rnd() * delay / 2


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


# ---------------------------------------------------------------- the job

def _first_undelivered(integration, dossier_id):
    return (OutboxMessage.objects.filter(integration=integration, dossier_id=dossier_id)
            .exclude(state=MessageState.DELIVERED).order_by("seq").first())


def _owner():
    """Lease owner: this process and thread (several worker threads may share a process)."""
    return f"{WORKER_ID}-{threading.get_native_id()}"[:64]


def _claim(msg, now):
    lease = now + timedelta(seconds=conf("lease_seconds"))
    return OutboxMessage.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now),
        pk=msg.pk, state=msg.state, attempts=msg.attempts).update(lease_until=lease, leased_by=_owner()) == 1


def _finish(msg, **fields):
    OutboxMessage.objects.filter(pk=msg.pk, leased_by=_owner()).update(lease_until=None, leased_by="", **fields)


def run_dossier(integration, dossier_id, limit=1000):
    """Deliver due messages of one (integration, dossier) in order; returns how many were delivered."""
    delivered = 0
    for _i in range(limit):
        msg = _first_undelivered(integration, dossier_id)
        if msg is None or msg.state in BLOCKED:
            return delivered          # all done, or blocked behind a dead / unmappable message
        now = timezone.now()
        if msg.next_attempt_at > now:
            return delivered          # its retry job is scheduled for then
        if not _claim(msg, now):
            return delivered          # another worker holds it; it continues with the followers
        if not deliver_one(msg):
            return delivered
        delivered += 1
    _enqueue(integration, dossier_id)   # a very long backlog: continue in a fresh job
    return delivered


def plugin_for(integration):
    """The national-portal provider, or the notification channel adapter (`notify_<channel>`)."""
    if integration in registry.register:
        return registry.register.get(integration)
    from .notifications.services import outbox_plugin
    return outbox_plugin(integration)


def deliver_one(msg):
    """Send one claimed message; record the outcome. True if delivered."""
    try:
        plugin = plugin_for(msg.integration)
    except KeyError:
        _fail(msg, Transient(f"Không có plugin kết nối '{msg.integration}'.", code="unknown_integration"))
        return False
    try:
        plugin.deliver(msg)
    except CannotMap as exc:
        _finish(msg, state=MessageState.CANNOT_MAP, last_error=f"[{exc.code}] {exc.reason}")
        log.warning("delivery %s cannot map: %s", msg.message_id, exc.reason)
        return False
    except DeliveryError as exc:
        _fail(msg, exc)
        return False
    except Exception as exc:   # noqa: BLE001 - a bug or an unexpected answer must not crash the worker
        log.exception("delivery %s failed unexpectedly", msg.message_id)
        _fail(msg, Transient(f"Lỗi không lường trước: {type(exc).__name__}: {exc}", code="unexpected"))
        return False
    _finish(msg, state=MessageState.DELIVERED, delivered_at=timezone.now(), attempts=msg.attempts + 1)
    return True


def _fail(msg, exc):
    attempts = msg.attempts + 1
    error = "".join(ch if ch.isprintable() or ch == "\n" else "\ufffd" for ch in f"[{exc.code}] {exc.reason}")[:4000]
    if not exc.retry or attempts >= conf("max_attempts"):
        _finish(msg, state=MessageState.DEAD, attempts=attempts, last_error=error)
        log.warning("delivery %s dead after %s attempts: %s", msg.message_id, attempts, error)
        return
    at = timezone.now() + timedelta(seconds=backoff(attempts))
    with transaction.atomic():
        _finish(msg, state=MessageState.RETRYING, attempts=attempts, last_error=error, next_attempt_at=at)
        _enqueue(msg.integration, msg.dossier_id, run_after=at)
    log.info("delivery %s attempt %s failed, retry at %s: %s", msg.message_id, attempts, at.isoformat(), error)


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
    now = timezone.now()
    with transaction.atomic():
        rows = list(messages_qs.filter(state__in=BLOCKED).values_list("pk", "integration", "dossier_id"))
        OutboxMessage.objects.filter(pk__in=[r[0] for r in rows]).update(
            state=MessageState.PENDING, attempts=0, next_attempt_at=now, lease_until=None, leased_by="")
        for integration, dossier_id in {(r[1], r[2]) for r in rows}:
            _enqueue(integration, dossier_id)
    return len(rows)


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
