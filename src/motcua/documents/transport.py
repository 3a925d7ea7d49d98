"""Sending edXML messages to other agencies through the background delivery.

- `enqueue()` writes one `ExchangeMessage` per recipient agency, and its wake-up job, inside the caller's
  transaction (the issue, the recall, the registration...): a rolled-back act sends nothing.
- `run_key()` (the job) delivers the due messages of one peer in `id` order with a lease, like the dossier
  outbox (motcua.integrations.delivery): Transient -> retry with the same back-off, Permanent or the last
  attempt -> dead with the error, kept for an administrator's `resend`.
- The plugin is chosen per peer in the peer directory (`ExchangePeer.plugin`): "direct" POSTs to the peer
  Motcua's exchange endpoint, signed with the shared secret; "platform" hands the message to the national
  exchange platform (contrib/platform.py).

Direct calls are signed: HMAC-SHA256 over "<timestamp>.<sender code>." + body with the secret shared by the
two agencies, hex, in X-Edxml-Signature; the receiver refuses a stale timestamp and a signature seen before.
"""
import hashlib
import hmac
import logging
from datetime import timedelta
from importlib import import_module

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.integrations.delivery import _enqueue_with_act, _owner, backoff, conf
from motcua.integrations.models import BLOCKED, MessageState
from motcua.integrations.portal.base import DeliveryError, Permanent, Transient
from motcua.integrations.registry import Registry

from .models import ExchangeMessage, ExchangePeer

log = logging.getLogger("motcua.exchange")

HEADER_TS, HEADER_SENDER, HEADER_SIG = "X-Edxml-Timestamp", "X-Edxml-Sender", "X-Edxml-Signature"
PLUGIN_MODULES = ("motcua.documents.contrib.direct", "motcua.documents.contrib.platform")

register = Registry("exchange plugin")


class ExchangePlugin:
    identifier = ""

    def send(self, message, peer):
        """Hand one message (kind, payload bytes) to `peer`; raise a DeliveryError on failure."""
        raise NotImplementedError


def load_plugins():
    for module in PLUGIN_MODULES:
        import_module(module)


def plugin(identifier):
    load_plugins()
    return register.get(identifier)


def hmac_sign(secret, timestamp, sender, body):
    msg = f"{timestamp}.{sender}.".encode() + body
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()


def hmac_valid(secret, timestamp, sender, body, signature):
    return bool(secret) and hmac.compare_digest(hmac_sign(secret, timestamp, sender, body), signature or "")


# ---------------------------------------------------------------- enqueue (in the act's transaction)

def enqueue(sender, key, kind, document_id, payload, status_code="", now=None):
    from .tasks import deliver_exchange
    now = now or timezone.now()
    msg = ExchangeMessage.objects.create(key=key, kind=kind, sender=sender, document_id=document_id,
                                         status_code=status_code, payload=payload, next_attempt_at=now,
                                         created_at=now)
    _enqueue_with_act(deliver_exchange, key)
    return msg


def _enqueue_job(key, run_after=None):
    from .tasks import deliver_exchange
    (deliver_exchange.using(run_after=run_after) if run_after else deliver_exchange).enqueue(key)


# ---------------------------------------------------------------- the job

def _first_undelivered(key):
    return ExchangeMessage.objects.filter(key=key).exclude(state=MessageState.DELIVERED).order_by("id").first()


def _claim(msg, now):
    lease = now + timedelta(seconds=conf("lease_seconds"))
    return ExchangeMessage.objects.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now), pk=msg.pk,
                                          state=msg.state, attempts=msg.attempts) \
        .update(lease_until=lease, leased_by=_owner()) == 1


def _finish(msg, **fields):
    ExchangeMessage.objects.filter(pk=msg.pk, leased_by=_owner()).update(lease_until=None, leased_by="", **fields)


def run_key(key, limit=1000):
    """Deliver the due messages of one peer, in order; returns how many were delivered."""
    delivered = 0
    for _i in range(limit):
        msg = _first_undelivered(key)
        if msg is None or msg.state in BLOCKED:
            return delivered
        now = timezone.now()
        if msg.next_attempt_at > now or not _claim(msg, now):
            return delivered
        if not deliver_one(msg):
            return delivered
        delivered += 1
    _enqueue_job(key)
    return delivered


def deliver_one(msg):
    peer = ExchangePeer.objects.filter(code=msg.key, is_active=True).first()
    try:
        if peer is None:
            raise Transient(f"Không có cơ quan liên thông mã {msg.key} trong danh bạ.", code="unknown_peer")
        plugin(peer.plugin).send(msg, peer)
    except DeliveryError as exc:
        _fail(msg, exc)
        return False
    except Exception as exc:   # noqa: BLE001 - a bug or an odd answer must not crash the worker
        log.exception("exchange message %s failed unexpectedly", msg.pk)
        _fail(msg, Transient(f"Lỗi không lường trước: {type(exc).__name__}: {exc}", code="unexpected"))
        return False
    _finish(msg, state=MessageState.DELIVERED, delivered_at=timezone.now(), attempts=msg.attempts + 1)
    return True


def _fail(msg, exc):
    attempts = msg.attempts + 1
    error = f"[{exc.code}] {exc.reason}"[:4000]
    if not exc.retry or attempts >= conf("max_attempts"):
        _finish(msg, state=MessageState.DEAD, attempts=attempts, last_error=error)
        log.warning("exchange message %s dead after %s attempts: %s", msg.pk, attempts, error)
        return
    at = timezone.now() + timedelta(seconds=backoff(attempts))
    with transaction.atomic():
        _finish(msg, state=MessageState.RETRYING, attempts=attempts, last_error=error, next_attempt_at=at)
        _enqueue_job(msg.key, run_after=at)


def sweep(now=None):
    """Re-enqueue peers whose job was lost (expired lease, or due long ago and not picked up)."""
    now = now or timezone.now()
    old = now - timedelta(seconds=conf("sweep_after_seconds"))
    keys = set(ExchangeMessage.objects.filter(lease_until__lt=now).exclude(state=MessageState.DELIVERED)
               .values_list("key", flat=True))
    keys |= set(ExchangeMessage.objects.filter(state__in=(MessageState.PENDING, MessageState.RETRYING),
                                               next_attempt_at__lt=old, lease_until__isnull=True)
                .values_list("key", flat=True).distinct()[:1000])
    for key in keys:
        _enqueue_job(key)
    return len(keys)


def resend(qs):
    """Dead messages back to pending (attempts reset) and their jobs enqueued. Returns the count."""
    with transaction.atomic():
        rows = list(qs.filter(state__in=BLOCKED).values_list("pk", "key"))
        ExchangeMessage.objects.filter(pk__in=[r[0] for r in rows]).update(
            state=MessageState.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_until=None, leased_by="")
        for key in {r[1] for r in rows}:
            _enqueue_job(key)
    return len(rows)


__all__ = ["ExchangePlugin", "Permanent", "Transient", "enqueue", "run_key", "sweep", "resend", "register"]
