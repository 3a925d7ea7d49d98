"""From a figure to the dossiers behind it: the same predicates as the cube sums, on DossierFact rows."""
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.dossiers.models import Dossier

from . import facts
from .models import DossierFact
from .periods import open_due_cut, overdue_this_month


def _sets(period, negative_max_score=2):
    ms, mt = period.ms, period.mt
    cut, month_start, as_of = open_due_cut(period)
    timely = ~Q(end_kind=3, end_month__lt=mt) & Q(recv_month__lt=mt, end_month__gte=ms)
    in_time = (Q(end_month__lt=mt) & Q(ended_late=False)) | (Q(end_month__gte=mt) & Q(forced_month__gte=mt) &
                                                             Q(due_month__gte=cut))
    if month_start is not None:   # period in progress: overdue since the 1st of this month is late already
        in_time &= ~Q(dossier_id__in=overdue_this_month(month_start, as_of).values("id"))
    on_time = timely & in_time
    late = timely & ~in_time
    recv = Q(recv_month__gte=ms, recv_month__lt=mt)
    processed = Q(end_kind=1, end_month__gte=ms, end_month__lt=mt)
    negative = Q(complaint=True) | Q(rating__gt=0, rating__lte=negative_max_score)
    return {
        "2.1": {"population": timely, "on_time": on_time, "late": late},
        "2.2": {"processed": processed},
        "3.3": {"received": recv, "online": recv & Q(online=True), "offline": recv & Q(online=False)},
        "3.6": {"paid": recv & Q(paid=True), "paid_online": recv & Q(paid_online=True),
                "paid_offline": recv & Q(paid=True, paid_online=False),
                **{subset: recv & Q(paid=True, dossier_id__in=paid_through(subset)) for subset in GATEWAY_SUBSETS}},
        "4.1": {"processed": processed, "e_result": processed & Q(e_result=True),
                "missing": processed & Q(e_result=False)},
        "4.2": {"processed": processed, "digitised": processed & Q(digitised=True),
                "not_digitised": processed & Q(digitised=False)},
        "5.4": {"population": timely, "late": late, "dissatisfied": timely & negative},
    }


# 3.6 / DVCQG TTTT by where the money was paid: each online gateway (its confirmed orders), the counter
GATEWAY_SUBSETS = ("gateway_paygov", "gateway_vnpay", "counter")


def paid_through(subset):
    """Ids of the dossiers with a payment made through `subset` (a confirmed order of the gateway, or a
    payment recorded at the counter)."""
    from motcua.dossiers.models import Payment, PaymentChannel
    from motcua.integrations.payments.models import PaymentOrder
    if subset == "counter":
        return Payment.objects.filter(channel=PaymentChannel.COUNTER).values("dossier_id")
    return PaymentOrder.objects.filter(provider=subset.removeprefix("gateway_"), payment__isnull=False) \
        .values("dossier_id")


def by_gateway(period, agency):
    """[(subset, dossiers, payments, amount in đồng)] of the dossiers received in the period (3.6's
    population), per gateway and the counter: the figures behind the online-payment rate."""
    from django.db.models import Count, Sum

    from motcua.dossiers.models import Payment, PaymentChannel
    facts.refresh()
    recv = _sets(period)["3.6"]["paid"] & Q(agency_id=agency.pk)
    ids = DossierFact.objects.filter(recv).values("dossier_id")
    out = []
    for subset in GATEWAY_SUBSETS:
        pays = Payment.objects.filter(dossier_id__in=ids)
        if subset == "counter":
            pays = pays.filter(channel=PaymentChannel.COUNTER)
        else:
            pays = pays.filter(order__provider=subset.removeprefix("gateway_"))
        agg = pays.aggregate(n=Count("id"), d=Count("dossier_id", distinct=True), s=Sum("amount"))
        out.append((subset, agg["d"], agg["n"], int(agg["s"] or 0)))
    return out


SYNC_SUBSETS = ("population", "synced", "not_synced")     # 1.4: from the delivery state, not the facts

# the dvcqg-2026 metrics (motcua.indicators.own2026) counted with the same sums as these 766 indicators
METRIC_DRILL = {"DOSSIER_SYNC": "1.4", "TDGQ": "2.1", "ONLINE_DOSSIER": "3.3", "ONLINE_PAYMENT_DOSSIER": "3.6",
                "ORIGINAL_RESULT_AVAILABLE": "4.1", "SO_HOA_GIAY_TO_GIAI_QUYET": "4.2",
                "DOSSIER_RECEIVING_SATISFACTION": "5.4", "REUSED_DIGITIZED_DATA": "4.3",
                "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": "4.4", "ELECTRONIC_CERTIFIED_COPY": "ECC"}
# from the data store's records (motcua.datastore.figures), not the facts
STORE_SETS = {"4.3": ("received", "reused", "not_reused"), "4.4": ("digitised", "connected", "not_connected"),
              "ECC": ("needs_copy", "certified", "not_certified")}


def choices():
    from .periods import parse
    out = {**{code: list(v) for code, v in _sets(parse("2026")).items()}, "1.4": list(SYNC_SUBSETS),
           **{code: list(v) for code, v in STORE_SETS.items()}}
    return {**out, **{metric: out[code] for metric, code in METRIC_DRILL.items()}}


def dossiers(period, agency, indicator, subset, *, procedure=None):
    """Queryset of the dossiers behind a figure (agency: an Agency; indicator: a 766 code or a dvcqg-2026
    metric of METRIC_DRILL)."""
    indicator = METRIC_DRILL.get(indicator, indicator)
    if indicator == "1.4" and subset in SYNC_SUBSETS:
        from motcua.integrations import figures
        qs = figures.subset(period.start, period.end, agency.pk, subset)
        if procedure is not None:
            qs = qs.filter(procedure_id=procedure.pk)
        return qs.select_related("procedure").order_by("received_at", "id")
    if indicator in STORE_SETS and subset in STORE_SETS[indicator]:
        from motcua.datastore import figures as store_figures
        qs = store_figures.subset(period.start, period.end, agency.pk, subset)
        if procedure is not None:
            qs = qs.filter(procedure_id=procedure.pk)
        return qs.select_related("procedure").order_by("received_at", "id")
    facts.refresh()
    sets = _sets(period)
    if indicator not in sets or subset not in sets[indicator]:
        raise ValidationFailed(_("Không có danh sách hồ sơ cho chỉ số %(i)s / %(s)s.") % {"i": indicator, "s": subset},
                               code="invalid_drilldown", details={"allowed": choices()})
    q = sets[indicator][subset] & Q(agency_id=agency.pk)
    if procedure is not None:
        q &= Q(procedure_id=procedure.pk)
    ids = DossierFact.objects.filter(q).values("dossier_id")
    return (Dossier.objects.filter(pk__in=ids).select_related("procedure")
            .order_by("received_at", "id"))
