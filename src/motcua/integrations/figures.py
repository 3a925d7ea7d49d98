"""Sync completeness from the real delivery state, for the indicators: 1.4 of the 2022 set and DVCQG's
DOSSIER_SYNC ("Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG"). A dossier counts as synced when at least one message
reached DVCQG and none is still undelivered (pending, retrying, dead or unmappable): its latest state is
the one DVCQG holds."""
from django.db.models import Count, Exists, OuterRef, Q

from motcua.dossiers.models import Dossier

from .models import MessageState, OutboxMessage

INTEGRATION = "dvcqg"


def _annotated(qs):
    mine = OutboxMessage.objects.filter(dossier=OuterRef("pk"), integration=INTEGRATION)
    return qs.annotate(sync_done=Exists(mine.filter(state=MessageState.DELIVERED)),
                       sync_open=Exists(mine.exclude(state=MessageState.DELIVERED)))


SYNCED = Q(sync_done=True, sync_open=False)


def population(start, end, agency_ids=None):
    """Dossiers submitted in [start, end)."""
    qs = Dossier.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return _annotated(qs)


def counts(start, end, agency_ids):
    """{agency id: (synced, submitted)}."""
    rows = (population(start, end, agency_ids).order_by().values("agency_id")
            .annotate(den=Count("pk"), num=Count("pk", filter=SYNCED)))
    return {r["agency_id"]: (r["num"], r["den"]) for r in rows}


def subset(start, end, agency_id, name):
    qs = population(start, end, [agency_id])
    if name == "synced":
        return qs.filter(SYNCED)
    if name == "not_synced":
        return qs.exclude(SYNCED)
    return qs
