"""Digitisation figures from the data store's records, for the indicators: the 2022 set's 4.3 (reuse of
digitised data) and 4.4 (connection to the citizen's data store), and DVCQG's MDSH metrics
REUSED_DIGITIZED_DATA, SYNCED_WITH_DVCQG_PERSONAL_STORAGE and ELECTRONIC_CERTIFIED_COPY.

The population is the dossiers received (tiếp nhận) in the period, as the province counts it (ThanhHoa's
"TiếpNhận": status 2, 4-10, i.e. a receipt time). Per dossier:
- reused: at least one component satisfied from the store (`Reuse`; ThanhHoa's "CóTáiSửDụng");
- digitised: at least one component file marked digitised;
- connected: digitised and at least one component taken from the national store (DuocLayTuKhoDMQG,
  ThanhHoa's "CóTáiSửDụngTừDVCQG");
- needs_copy: a component asked for as a certified copy (catalogue form "bản sao chứng thực");
  certified: such a dossier with a certified electronic copy (a digitised, signed component file).

REUSED_DIGITIZED_DATA and 4.3 = reused / received; SYNCED_WITH_DVCQG_PERSONAL_STORAGE and 4.4 = connected /
digitised; ELECTRONIC_CERTIFIED_COPY = certified / needs_copy. DVCQG does not publish these formulas: they are
Motcua's reading of the metric names and of the province's code."""
from django.db.models import Count, Exists, OuterRef, Q

from motcua.catalog.models import ComponentForm
from motcua.dossiers.models import Attachment, AttachmentKind, Dossier, DossierComponent

from .models import Reuse

COMPONENT_KINDS = (AttachmentKind.COMPONENT, AttachmentKind.SUPPLEMENT)
# metric or indicator -> (numerator subset, denominator subset, subset that costs points)
METRICS = {
    "REUSED_DIGITIZED_DATA": ("reused", "received", "not_reused"),
    "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": ("connected", "digitised", "not_connected"),
    "ELECTRONIC_CERTIFIED_COPY": ("certified", "needs_copy", "not_certified"),
}
INDICATORS = {"4.3": "REUSED_DIGITIZED_DATA", "4.4": "SYNCED_WITH_DVCQG_PERSONAL_STORAGE"}
SUBSETS = ("received", "reused", "not_reused", "digitised", "connected", "not_connected", "needs_copy", "certified",
           "not_certified")


def population(start, end, agency_ids=None):
    qs = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    files = Attachment.objects.filter(dossier=OuterRef("pk"), kind__in=COMPONENT_KINDS, digitised=True)
    reuses = Reuse.objects.filter(dossier=OuterRef("pk"))
    return qs.annotate(
        st_reused=Exists(reuses), st_national=Exists(reuses.filter(from_national_store=True)),
        st_digitised=Exists(files), st_certified=Exists(files.filter(signed=True)),
        st_needs_copy=Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"),
                                                             form=ComponentForm.CERTIFIED_COPY)))


CONDITIONS = {
    "received": Q(),
    "reused": Q(st_reused=True), "not_reused": Q(st_reused=False),
    "digitised": Q(st_digitised=True),
    "connected": Q(st_digitised=True, st_national=True),
    "not_connected": Q(st_digitised=True, st_national=False),
    "needs_copy": Q(st_needs_copy=True),
    "certified": Q(st_needs_copy=True, st_certified=True),
    "not_certified": Q(st_needs_copy=True, st_certified=False),
}


def counts(start, end, agency_ids):
    """{agency id: {metric: (numerator, denominator)}} for METRICS."""
    wanted = {s for m in METRICS.values() for s in m[:2]}
    rows = (population(start, end, agency_ids).order_by().values("agency_id")
            .annotate(**{s: Count("pk", filter=CONDITIONS[s]) for s in wanted}))
    out = {aid: {m: (0, 0) for m in METRICS} for aid in agency_ids}
    for r in rows:
        out[r["agency_id"]] = {m: (r[num], r[den]) for m, (num, den, _x) in METRICS.items()}
    return out


def subset(start, end, agency_id, name):
    if name not in CONDITIONS:
        raise KeyError(name)
    return population(start, end, [agency_id]).filter(CONDITIONS[name])
