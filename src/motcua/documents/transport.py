"""Sending edXML messages to other agencies through the background delivery.

- `enqueue()` writes one `ExchangeMessage` per recipient agency, and its wake-up job, inside the caller's
  transaction (the issue, the recall, the registration...): a rolled-back act sends nothing.
- `run_key()` (the job) delivers the due messages of one peer in `id` order through the delivery core that
  the dossier outbox uses too (motcua.integrations.outbox: lease, Transient -> retry with the same back-off,
  Permanent or the last attempt -> dead with the error, kept for an administrator's `resend`); this module
  gives it the exchange's "send one" (`send_one`: the peer's plugin).
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

from django.utils import timezone

from motcua.integrations import outbox
from motcua.integrations.delivery import _enqueue_with_act
from motcua.integrations.models import MessageState
from motcua.integrations.outbox import conf
from motcua.integrations.portal.base import Permanent, Transient
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

def send_one(msg):
    """Hand one message to its peer's plugin; a DeliveryError says what happens next."""
    peer = ExchangePeer.objects.filter(code=msg.key, is_active=True).first()
    if peer is None:
        raise Transient(f"Không có cơ quan liên thông mã {msg.key} trong danh bạ.", code="unknown_peer")
    plugin(peer.plugin).send(msg, peer)


OUTBOX = outbox.Outbox(model=ExchangeMessage, group=("key",), order="id", send=send_one, enqueue=_enqueue_job,
                       log=log, label=lambda msg: f"exchange message {msg.pk}")


def run_key(key, limit=1000):
    """Deliver the due messages of one peer, in order; returns how many were delivered."""
    return OUTBOX.run(key, limit=limit)


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
    return OUTBOX.resend(qs)


__all__ = ["ExchangePlugin", "Permanent", "Transient", "enqueue", "run_key", "sweep", "resend", "register"]
