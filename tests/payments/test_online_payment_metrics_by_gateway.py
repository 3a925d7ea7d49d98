"""The online-payment figures (766 indicator 3.6, DVCQG 2026 TTTT ONLINE_PAYMENT_DOSSIER) come from the
payments the gateways confirmed, and drill down by where the money was paid: PayGov, VNPay, the counter
(the dossiers and the per-gateway counts and amounts, on the page and through the API)."""
from django.utils import timezone

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Channel, PaymentChannel
from motcua.indicators import compute, drilldown
from motcua.indicators.periods import parse
from motcua.integrations.payments import services
from motcua.integrations.payments.base import Notice

from ..api.conftest import client_for  # noqa: F401  (API clients with real tokens, a fixture)
from ..api.schema_check import check


def _received(actors, intake_data, province):
    d, _c = dossiers.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), owner=province.citizen)
    dossiers.receive(actors["receiver"], d.code)
    return d.code


def _pay_online(actors, code, provider):
    order = services.start(actors["citizen"], code, provider=provider, purpose="fee")
    assert services.settle(provider, Notice(valid=True, reference=order.reference, amount=order.amount, paid=True,
                                            code="00")) == "confirmed"


def test_figures_and_drill_down_by_gateway(gateways, actors, intake_data, province, client, client_for):  # noqa: F811
    via_vnpay, via_paygov, at_counter, unpaid = (_received(actors, intake_data, province) for _ in range(4))
    _pay_online(actors, via_vnpay, "vnpay")
    _pay_online(actors, via_paygov, "paygov")
    dossiers.record_payment(actors["receiver"], at_counter, amount=150000, channel=PaymentChannel.COUNTER,
                            reference="PT-0001")
    period = parse(timezone.localdate().strftime("%Y-%m"))
    rep = compute.report(period, agencies=[province.sxd.code])
    ind = {i["code"]: i for i in rep["agencies"][0]["indicators"]}
    assert (ind["3.6"]["numerator"], ind["3.6"]["denominator"]) == (2, 3)
    codes = lambda subset: {d.code for d in drilldown.dossiers(period, province.sxd, "3.6", subset)}  # noqa: E731
    assert codes("gateway_vnpay") == {via_vnpay} and codes("gateway_paygov") == {via_paygov}
    assert codes("counter") == {at_counter} and codes("paid_online") == {via_vnpay, via_paygov}
    assert {d.code for d in drilldown.dossiers(period, province.sxd, "ONLINE_PAYMENT_DOSSIER", "gateway_vnpay")} \
        == {via_vnpay}
    assert drilldown.by_gateway(period, province.sxd) == [("gateway_paygov", 1, 1, 150000),
                                                          ("gateway_vnpay", 1, 1, 150000), ("counter", 1, 1, 150000)]
    client.force_login(province.leader)
    page = client.get(f"/chi-so/ho-so/?period={period.code}&agency={province.sxd.code}&indicator=3.6"
                      "&subset=gateway_paygov").content.decode()
    assert 'id="by-gateway"' in page and 'data-subset="gateway_vnpay"' in page and via_paygov in page
    assert via_vnpay not in page and unpaid not in page and "đã nộp qua VNPay" in page
    body = check(client_for(province.leader).get(
        f"/api/v1/indicators/dossiers/?period={period.code}&agency={province.sxd.code}&indicator=3.6&subset=counter"))
    assert [d["code"] for d in body["results"]] == [at_counter]
