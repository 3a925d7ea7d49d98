"""A per-process cache of active procedures with their agencies, components, fees and steps: intake reads
them on every request. Saves in this process invalidate it at once (signals); other processes see a
change within TTL_SECONDS."""
import threading
import time

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Component, Fee, Procedure, ProcessStep

TTL_SECONDS = 30
_lock = threading.Lock()
_cache = {}


def active_procedure(code):
    now = time.monotonic()
    with _lock:
        hit = _cache.get(code)
    if hit and now - hit[0] < TTL_SECONDS:
        return hit[1]
    procedure = (Procedure.objects.filter(code=code, is_active=True)
                 .prefetch_related("agencies", "components", "fees", "steps").first())
    with _lock:
        if len(_cache) > 5000:
            _cache.clear()
        _cache[code] = (now, procedure)
    return procedure


def invalidate(*_args, **_kwargs):
    with _lock:
        _cache.clear()


for model in (Procedure, Component, Fee, ProcessStep):
    receiver(post_save, sender=model, weak=False)(invalidate)
    receiver(post_delete, sender=model, weak=False)(invalidate)
receiver(m2m_changed, sender=Procedure.agencies.through, weak=False)(invalidate)
