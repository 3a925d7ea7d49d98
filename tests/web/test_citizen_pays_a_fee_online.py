"""In headless Chromium: the citizen pays the procedure's fee online. Dossier page → "Thanh toán trực tuyến"
(VNPay) → the order page → the simulated VNPay page (paygate-sim, a real local server) → "Thanh toán" → the
IPN reaches the live Motcua → back on Motcua's result page: paid; the dossier and the officer's page show it."""
import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Channel, HistoryEvent, Payment, PaymentChannel
from motcua.integrations.payments.models import OrderState, PaymentOrder
from motcua.integrations.payments.sim import PaygateSim

from ..payments.conftest import point_at
from .conftest import axe_violations, login, shot, submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paysim():
    s = PaygateSim(ipn_retries=2, ipn_retry_seconds=0.2).start()
    yield s
    s.stop()


def test_citizen_pays_the_fee_with_vnpay_end_to_end(new_page, live, province, actors, intake_data, paysim, settings):
    point_at(settings, paysim, motcua_url=live.url)
    with paysim.state.lock:
        paysim.state.ipn_url = f"{live.url}/thanh-toan/vnpay/ipn/"
    d, _c = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), owner=province.citizen)
    page = new_page()
    login(page, "congdan", "pw-congdan")
    page.goto(f"/ho-so-cua-toi/{d.code}/")
    assert "150.000 đ" in page.locator("form[data-purpose=fee]").inner_text()
    page.check("#gw-fee-vnpay")
    submit(page, "#pay-fee")
    assert "/thanh-toan/don/" in page.url and page.locator("#order-amount").inner_text() == "150.000 đ"
    found = axe_violations(page)
    assert not found, " | ".join(found)
    submit(page, "#go-pay")
    assert page.url.startswith(paysim.url + "/paymentv2/vpcpay.html")
    assert page.locator("#amount").inner_text() == "150.000 VND"
    submit(page, "#sim-pay")
    assert page.url.startswith(f"{live.url}/thanh-toan/vnpay/ket-qua/")
    assert "Đã thanh toán 150.000 đ" in page.locator("#pay-outcome").inner_text()
    shot(page, "payment-vnpay-paid")
    submit(page, f"a[href='/ho-so-cua-toi/{d.code}/']")
    assert page.locator("#my-payments td[data-state=paid]").count() == 1
    assert page.locator("#pay-fee").count() == 0
    order = PaymentOrder.objects.get()
    assert order.state == OrderState.PAID
    pay = Payment.objects.get()
    assert (pay.amount, pay.channel) == (150000, PaymentChannel.PROVINCE_GATEWAY)
    assert HistoryEvent.objects.filter(dossier=d, action="pay_online").count() == 1
