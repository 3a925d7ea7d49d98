"""The issue's bad-input bullets not covered elsewhere: an IPN (even a signed "paid" one) after the order
was cancelled pays nothing; money is integer đồng: a float or a fraction of a đồng from a gateway is refused,
correctly signed or not, and nothing is paid or half-written."""
from motcua.dossiers.models import HistoryEvent, Payment
from motcua.integrations.payments import services
from motcua.integrations.payments.contrib.paygov import signing as paygov_signing
from motcua.integrations.payments.contrib.vnpay import signing as vnpay_signing
from motcua.integrations.payments.models import OrderState, PaymentOrder, Receipt

from .conftest import open_page, query_of


def _ipn(client, query):
    r = client.get("/thanh-toan/vnpay/ipn/?" + query)
    assert r.status_code == 200
    return r.json()["RspCode"]


def test_ipn_after_the_order_was_cancelled_pays_nothing(gateways, filed, actors, client):
    order = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    assert open_page(order.pay_url)[0] == 200
    gateways.act(order.reference, "cancel")
    cancel = gateways.notification(order.reference)["query"]
    assert _ipn(client, cancel) == "00"
    order.refresh_from_db()
    assert order.state == OrderState.FAILED
    # later: a correctly signed "paid" IPN for the cancelled order, and the cancel replayed
    paid = query_of("?" + cancel)
    paid.pop("vnp_SecureHash")
    paid.update(vnp_ResponseCode="00", vnp_TransactionStatus="00")
    assert _ipn(client, vnpay_signing.signed_query("vnpay-secret", paid)) == "02"
    assert _ipn(client, cancel) == "02"
    order.refresh_from_db()
    assert order.state == OrderState.FAILED and order.payment_id is None
    assert not Payment.objects.exists() and not Receipt.objects.exists()
    assert not HistoryEvent.objects.filter(action="pay_online").exists()


def test_a_float_or_a_fraction_of_a_dong_is_refused(gateways, filed, actors, client):
    vn = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    assert open_page(vn.pay_url)[0] == 200
    gateways.act(vn.reference, "pay")
    params = query_of("?" + gateways.notification(vn.reference)["query"])
    params.pop("vnp_SecureHash")
    for amount in ("15000050", "15000000.0", "1.5e7", "-15000000"):       # ×100: 150 000,5 đ; floats; negative
        assert _ipn(client, vnpay_signing.signed_query("vnpay-secret", dict(params, vnp_Amount=amount))) == "04", amount
    pg = services.start(actors["citizen"], filed.code, provider="paygov", purpose="fee")
    gateways.act(pg.reference, "pay")
    body = dict(gateways.notification(pg.reference)["json"])
    for amount in (150000.0, "150000.0", 150000.5):
        bad = {**body, "SoTien": amount}
        bad["MaXacThuc"] = paygov_signing.checksum("paygov-secret", bad, paygov_signing.CONFIRM_FIELDS)
        r = client.post("/thanh-toan/paygov/xac-nhan/", bad, content_type="application/json")
        assert r.status_code == 200 and r.json()["MaLoi"] != "00", amount
    assert set(PaymentOrder.objects.values_list("state", flat=True)) == {OrderState.PENDING}
    assert not Payment.objects.exists() and not Receipt.objects.exists()
    assert all(isinstance(o.amount, int) for o in PaymentOrder.objects.all())
