"""The delivery core shared by the outboxes (the dossier outbox, integrations/delivery.py; the edXML exchange
outbox, documents/transport.py). Each outbox has its own message model, its own ordering and grouping and its
own "send one" function; this module does the rest the same way for both:

- `run(*group)`: deliver the due messages of one group (an integration and dossier; a peer agency) in order.
  A message is claimed with a lease (one UPDATE ... WHERE not leased, atomic on SQLite and PostgreSQL), so two
  workers never send the same message at the same time; message N+1 waits while an earlier one of the same
  group is not delivered.
- Failures: Transient -> retry with exponential back-off and jitter up to `max_attempts`, then dead with the
  last error; Permanent -> dead at once; CannotMap -> 'cannot map' until an administrator maps and replays.
- `resend(qs)`: dead (or unmappable) messages back to pending, attempts reset, jobs enqueued.

A message model needs: state, attempts, next_attempt_at, lease_until, leased_by, last_error, delivered_at.
"""
import logging
import os
import random
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import BLOCKED, MessageState
from .portal.base import CannotMap, DeliveryError, Transient

WORKER_ID = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"

DEFAULTS = {"max_attempts": 15, "backoff_base": 2.0, "backoff_cap": 300.0, "lease_seconds": 120.0,
            "stale_task_seconds": 300.0, "sweep_after_seconds": 300.0}


def conf(name):
    return getattr(settings, "MOTCUA_DELIVERY", {}).get(name, DEFAULTS[name])


def backoff(attempts, rnd=random.random):
    """Seconds to wait before attempt `attempts + 1`: exponential, capped, with 'equal jitter'
    (half fixed, half random) so retries of many messages do not arrive together."""
    delay = min(conf("backoff_cap"), conf("backoff_base") * (2 ** max(attempts - 1, 0)))
    return delay / 2 + rnd() * delay / 2


def owner():
    """Lease owner: this process and thread (several worker threads may share a process)."""
    return f"{WORKER_ID}-{threading.get_native_id()}"[:64]


def _clean(text):
    return "".join(ch if ch.isprintable() or ch == "\n" else "\ufffd" for ch in text)[:4000]


@dataclass(frozen=True)
class Outbox:
    """One outbox: `model` holds its messages, `group` names the fields whose messages go in `order`;
    `send(msg)` delivers one message or raises a DeliveryError; `enqueue(*group, run_after=None)` writes the
    job that runs `run(*group)`; `label(msg)` names a message in the log."""
    model: type
    group: tuple
    order: str
    send: Callable
    enqueue: Callable
    log: logging.Logger
    label: Callable

    def group_of(self, msg):
        return tuple(getattr(msg, f) for f in self.group)

    def first_undelivered(self, *group):
        return (self.model.objects.filter(**dict(zip(self.group, group)))
                .exclude(state=MessageState.DELIVERED).order_by(self.order).first())

    def claim(self, msg, now):
        lease = now + timedelta(seconds=conf("lease_seconds"))
        return self.model.objects.filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now),
            pk=msg.pk, state=msg.state, attempts=msg.attempts).update(lease_until=lease, leased_by=owner()) == 1

    def finish(self, msg, **fields):
        self.model.objects.filter(pk=msg.pk, leased_by=owner()).update(lease_until=None, leased_by="", **fields)

    def run(self, *group, limit=1000):
        """Deliver the due messages of one group in order; returns how many were delivered."""
        delivered = 0
        for _i in range(limit):
            msg = self.first_undelivered(*group)
            if msg is None or msg.state in BLOCKED:
                return delivered          # all done, or blocked behind a dead / unmappable message
            now = timezone.now()
            if msg.next_attempt_at > now:
                return delivered          # its retry job is scheduled for then
            if not self.claim(msg, now):
                return delivered          # another worker holds it; it continues with the followers
            if not self.deliver_one(msg):
                return delivered
            delivered += 1
        self.enqueue(*group)              # a very long backlog: continue in a fresh job
        return delivered

    def deliver_one(self, msg):
        """Send one claimed message; record the outcome. True if delivered."""
        try:
            self.send(msg)
        except CannotMap as exc:
            self.finish(msg, state=MessageState.CANNOT_MAP, last_error=f"[{exc.code}] {exc.reason}")
            self.log.warning("delivery %s cannot map: %s", self.label(msg), exc.reason)
            return False
        except DeliveryError as exc:
            self.fail(msg, exc)
            return False
        except Exception as exc:   # noqa: BLE001 - a bug or an unexpected answer must not crash the worker
            self.log.exception("delivery %s failed unexpectedly", self.label(msg))
            self.fail(msg, Transient(f"Lỗi không lường trước: {type(exc).__name__}: {exc}", code="unexpected"))
            return False
        self.finish(msg, state=MessageState.DELIVERED, delivered_at=timezone.now(), attempts=msg.attempts + 1)
        return True

    def fail(self, msg, exc):
        attempts = msg.attempts + 1
        error = _clean(f"[{exc.code}] {exc.reason}")
        if not exc.retry or attempts >= conf("max_attempts"):
            self.finish(msg, state=MessageState.DEAD, attempts=attempts, last_error=error)
            self.log.warning("delivery %s dead after %s attempts: %s", self.label(msg), attempts, error)
            return
        at = timezone.now() + timedelta(seconds=backoff(attempts))
        with transaction.atomic():
            self.finish(msg, state=MessageState.RETRYING, attempts=attempts, last_error=error, next_attempt_at=at)
            self.enqueue(*self.group_of(msg), run_after=at)
        self.log.info("delivery %s attempt %s failed, retry at %s: %s", self.label(msg), attempts, at.isoformat(),
                      error)

    def resend(self, qs):
        """Dead (or unmappable) messages back to pending, attempts reset, jobs enqueued. Returns the count."""
        now = timezone.now()
        with transaction.atomic():
            rows = list(qs.filter(state__in=BLOCKED).values_list("pk", *self.group))
            self.model.objects.filter(pk__in=[r[0] for r in rows]).update(
                state=MessageState.PENDING, attempts=0, next_attempt_at=now, lease_until=None, leased_by="")
            for group in {r[1:] for r in rows}:
                self.enqueue(*group)
        return len(rows)
