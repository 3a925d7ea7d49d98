"""Indicator 1.4 (and DVCQG's DOSSIER_SYNC rule) from the real delivery state, with drill-down to the
dossiers not yet synced."""
from motcua.dossiers import services
from motcua.indicators import compute, drilldown
from motcua.indicators.periods import parse
from motcua.integrations.models import MessageState, OutboxMessage

from ..conftest import at
from .conftest import drain


def test_sync_rate_and_drilldown(dvcqg, province, actors, intake_data):
    synced = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))[0]
    drain()
    late = services.intake(actors["receiver"], intake_data, now=at("2026-06-02 08:00"))[0]  # not delivered yet
    failing = services.intake(actors["receiver"], intake_data, now=at("2026-06-03 08:00"))[0]
    OutboxMessage.objects.filter(dossier=failing).update(state=MessageState.DEAD, last_error="x")
    # a synced dossier with a newer act still waiting is not synced any more
    services.forward(actors["receiver"], synced.code, now=at("2026-06-04 08:00"))
    rep = compute.report(parse("2026-06"), agencies=[province.sxd.code])
    item = {i["code"]: i for i in rep["agencies"][0]["indicators"]}["1.4"]
    assert item["supported"] and (item["numerator"], item["denominator"]) == (0, 3)
    drain()
    rep = compute.report(parse("2026-06"), agencies=[province.sxd.code])
    item = {i["code"]: i for i in rep["agencies"][0]["indicators"]}["1.4"]
    assert (item["numerator"], item["denominator"]) == (2, 3) and item["points"] is not None
    missing = list(drilldown.dossiers(parse("2026-06"), province.sxd, "1.4", "not_synced"))
    assert [d.code for d in missing] == [failing.code]
    assert {d.code for d in drilldown.dossiers(parse("2026-06"), province.sxd, "1.4", "synced")} == \
        {synced.code, late.code}
