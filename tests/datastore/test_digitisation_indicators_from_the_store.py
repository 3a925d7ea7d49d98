"""The MDSH metrics REUSED_DIGITIZED_DATA, SYNCED_WITH_DVCQG_PERSONAL_STORAGE and ELECTRONIC_CERTIFIED_COPY
(dvcqg-2026) and the 2022 set's 4.3 / 4.4 are computed from the data store's records, with drill-down to
the dossiers behind each figure. Four dossiers received in June 2026 at Sở Xây dựng:
D1 permit, drawings certified (digitised, signed); D2 renewal reusing D1's permit from the store;
D3 renewal taking the permit from the national store; D4 permit with nothing digitised.
The drawings are asked for as a certified copy (D1, D4)."""
import pytest

from motcua.catalog.models import Component
from motcua.datastore import services as store
from motcua.datastore.contrib.kho_dvcqg.sim import Simulator
from motcua.datastore.models import DigitisedDocument, Source
from motcua.dossiers import services as dossiers
from motcua.indicators import compute, drilldown, own2026
from motcua.indicators.periods import parse

from ..conftest import at
from ..signing.samples import make_pdf
from .conftest import AN, finished_with_signed_result
from .test_reuse_offers_and_links_only_the_owners_documents import RENEW


@pytest.fixture
def june(store_province, actors, keys, intake_data, settings):
    p = store_province
    Component.objects.filter(procedure=p.proc, order=2).update(form="certified_copy")
    sim = Simulator().start()
    settings.MOTCUA_DATASTORE_NATIONAL = {"plugin": "kho-dvcqg", "url": sim.url, "timeout": 2}
    sim.state.add(AN, "KQ.GPXD", "Giấy phép xây dựng", "45/GPXD", "Sở Xây dựng", "gpxd.pdf", make_pdf(1))
    d1 = finished_with_signed_result(actors, keys, intake_data)
    permit = DigitisedDocument.objects.get(source=Source.SIGNED_RESULT)
    counter = dict(RENEW, channel=1)
    d2, _ = dossiers.intake(actors["receiver"], counter, now=at("2026-06-10 08:00"))
    store.reuse(actors["receiver"], d2.code, d2.components.get(component=p.renew_permit).pk, permit.pk)
    d3, _ = dossiers.intake(actors["receiver"], counter, now=at("2026-06-11 08:00"))
    store.reuse_from_national_store(actors["receiver"], d3.code, d3.components.get(component=p.renew_permit).pk)
    d4, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-12 08:00"))
    yield {"d1": d1.code, "d2": d2.code, "d3": d3.code, "d4": d4.code}
    sim.stop()


def test_mdsh_metrics_are_held_and_counted_from_the_store(june, store_province):
    rep = own2026.report(parse("2026-06"), agencies=[store_province.sxd.code])
    m = next(a for a in rep["agencies"] if a["code"] == store_province.sxd.code)["metrics"]
    got = {c: (m[c]["held"], m[c]["numerator"], m[c]["denominator"], m[c]["points"])
           for c in ("REUSED_DIGITIZED_DATA", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "ELECTRONIC_CERTIFIED_COPY")}
    assert got == {"REUSED_DIGITIZED_DATA": (True, 2, 4, 1.25),          # 2 x (50 / 80)
                   "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": (True, 1, 3, 1.33),  # 4 x 1/3
                   "ELECTRONIC_CERTIFIED_COPY": (True, 1, 2, 1)}         # 2 x 1/2
    assert m["REUSED_DIGITIZED_DATA"]["drill"] == "not_reused"
    assert {x["code"] for x in rep["not_held"]} == {"PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME",
                                                     "CITIZEN_DATA_CONNECTED_FORMALITY"}


def test_the_2022_set_computes_4_3_and_4_4(june, store_province):
    rep = compute.report(parse("2026-06"), agencies=[store_province.sxd.code])
    items = {i["code"]: i for i in rep["agencies"][0]["indicators"]}
    assert (items["4.3"]["numerator"], items["4.3"]["denominator"], items["4.3"]["points"]) == (2, 4, 2.5)
    assert (items["4.4"]["numerator"], items["4.4"]["denominator"], items["4.4"]["points"]) == (1, 3, 0.67)
    assert items["4.3"]["supported"] and items["4.4"]["supported"]


@pytest.mark.parametrize("indicator, subset, expected", [
    ("REUSED_DIGITIZED_DATA", "not_reused", ["d1", "d4"]), ("4.3", "reused", ["d2", "d3"]),
    ("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "not_connected", ["d1", "d2"]), ("4.4", "connected", ["d3"]),
    ("ELECTRONIC_CERTIFIED_COPY", "not_certified", ["d4"]), ("ECC", "certified", ["d1"]),
])
def test_drill_down_lists_the_dossiers_behind_each_figure(june, store_province, indicator, subset, expected):
    qs = drilldown.dossiers(parse("2026-06"), store_province.sxd, indicator, subset)
    assert [d.code for d in qs] == [june[k] for k in expected]
