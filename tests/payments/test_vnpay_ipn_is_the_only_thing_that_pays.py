"""VNPay against the simulator: the signed pay URL, the IPN as the only thing that pays (once), the return
URL that only shows, and every bad IPN (forged or missing checksum, other amount, unknown order) changing
nothing."""
import urllib.parse

import pytest

from motcua.core.errors import Conflict, NotAllowed
from motcua.dossiers.models import HistoryEvent, Payment, PaymentChannel
from motcua.integrations.payments import services
from motcua.integrations.payments.contrib.vnpay import signing
from motcua.integrations.payments.models import GatewayCall, OrderState, PaymentOrder

from .conftest import open_page, query_of


def _ipn(client, query):
    r = client.get("/thanh-toan/vnpay/ipn/?" + query)
    assert r.status_code == 200
    return r.json()


def _paid_at_gateway(sim, order, action="pay"):
    status, html = open_page(order.pay_url)
    assert status == 200 and "Thanh toán" in html, html
    return sim.act(order.reference, action)


def _state(order):
    order.refresh_from_db()
    return order.state


def test_amount_comes_from_the_catalogue_and_the_url_is_signed(gateways, filed, actors):
    order = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee", ip="10.0.0.7")
    assert order.amount == 150000 and order.state == OrderState.PENDING
    q = query_of(order.pay_url)
    assert q["vnp_Amount"] == "15000000" and q["vnp_Version"] == "2.1.0" and q["vnp_Command"] == "pay"
    assert q["vnp_TxnRef"] == order.reference and q["vnp_IpAddr"] == "10.0.0.7" and "vnp_SecureHashType" not in q
    assert order.lines == [{"kind": "le_phi", "name": "Lệ phí cấp phép", "code": order.lines[0]["code"],
                            "amount": 150000}]
    assert open_page(order.pay_url)[0] == 200
    # the simulator checks the HMAC like VNPay: one changed parameter and the page refuses
    forged = order.pay_url.replace("vnp_Amount=15000000", "vnp_Amount=100")
    status, html = open_page(forged)
    assert status == 400 and "Sai chữ ký" in html


def test_only_the_applicant_may_start_and_only_what_is_owed(gateways, filed, actors, province):
    with pytest.raises(NotAllowed):
        services.start(actors["receiver"], filed.code, provider="vnpay", purpose="fee")
    with pytest.raises(Conflict) as exc:
        services.start(actors["citizen"], filed.code, provider="vnpay", purpose="obligation")
    assert exc.value.code == "nothing_to_pay"


def test_ipn_pays_exactly_once_and_the_return_url_only_shows(gateways, filed, actors, client, province):
    order = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    back = _paid_at_gateway(gateways, order)
    # the browser comes back before (without) any IPN: nothing changes, the page says "waiting"
    client.force_login(province.citizen)
    page = client.get(urllib.parse.urlsplit(back).path + "?" + urllib.parse.urlsplit(back).query)
    assert page.status_code == 200 and "Đang chờ cổng thanh toán xác nhận" in page.content.decode()
    assert _state(order) == OrderState.PENDING and not Payment.objects.exists()

    ipn = gateways.notification(order.reference)["query"]
    assert _ipn(client, ipn) == {"RspCode": "00", "Message": "Confirm Success"}
    assert _state(order) == OrderState.PAID and order.gateway_txn
    pay = Payment.objects.get()
    assert (pay.amount, pay.channel, pay.reference, pay.dossier_id) == (150000, PaymentChannel.PROVINCE_GATEWAY,
                                                                        order.reference, filed.pk)
    assert order.payment_id == pay.pk
    events = HistoryEvent.objects.filter(dossier=filed, action="pay_online")
    assert events.count() == 1 and events.get().data["amount"] == 150000

    for _i in range(3):     # replayed: "already confirmed", nothing more
        assert _ipn(client, ipn)["RspCode"] == "02"
    assert Payment.objects.count() == 1 and events.count() == 1
    page = client.get("/thanh-toan/vnpay/ket-qua/?" + ipn)
    assert "Đã thanh toán 150.000 đ" in page.content.decode()
    assert services.options(actors["citizen"], filed) == []


def test_bad_checksums_other_amounts_and_unknown_orders_change_nothing(gateways, filed, actors, client):
    order = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    gateways.mode("bad_signature", times=1)
    _paid_at_gateway(gateways, order)
    bad = gateways.notification(order.reference)["query"]
    assert _ipn(client, bad)["RspCode"] == "97"
    params = query_of("?" + bad)
    params.pop("vnp_SecureHash")
    assert _ipn(client, urllib.parse.urlencode(params))["RspCode"] == "97"                  # missing checksum
    good = gateways.notification(order.reference)
    # a correctly signed IPN whose amount differs from the order
    params["vnp_Amount"] = str(151000 * 100)
    assert _ipn(client, signing.signed_query("vnpay-secret", params))["RspCode"] == "04"
    # tampered amount under the old signature
    params_bad = query_of("?" + bad)
    params_bad["vnp_Amount"] = "100"
    assert _ipn(client, urllib.parse.urlencode(params_bad))["RspCode"] == "97"
    # unknown order
    params["vnp_Amount"], params["vnp_TxnRef"] = str(150000 * 100), "MC999-nope"
    assert _ipn(client, signing.signed_query("vnpay-secret", params))["RspCode"] == "01"
    assert _state(order) == OrderState.PENDING and not Payment.objects.exists()
    assert not HistoryEvent.objects.filter(action="pay_online").exists()
    assert GatewayCall.objects.filter(kind="ipn").count() == 5
    assert good is not None


def test_wrong_amount_from_the_gateway_is_refused(gateways, filed, actors, client):
    order = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    gateways.mode("wrong_amount", times=1)
    _paid_at_gateway(gateways, order)
    assert _ipn(client, gateways.notification(order.reference)["query"])["RspCode"] == "04"
    assert _state(order) == OrderState.PENDING and not Payment.objects.exists()


def test_cancelled_at_the_gateway_fails_the_order_and_pays_nothing(gateways, filed, actors, client):
    order = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    back = _paid_at_gateway(gateways, order, action="cancel")
    assert query_of(back)["vnp_ResponseCode"] == "24"
    assert _ipn(client, gateways.notification(order.reference)["query"])["RspCode"] == "00"
    assert _state(order) == OrderState.FAILED and not Payment.objects.exists()
    # a new attempt is possible: the fee is still owed
    assert services.options(actors["citizen"], filed) == [("fee", 150000)]


def test_paid_twice_keeps_one_payment_and_refunds_the_other(gateways, filed, actors, client, province):
    first = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    second = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    for order in (first, second):
        _paid_at_gateway(gateways, order)
        assert _ipn(client, gateways.notification(order.reference)["query"])["RspCode"] == "00"
    assert Payment.objects.count() == 1 and _state(first) == OrderState.PAID and _state(second) == OrderState.PAID
    second.refresh_from_db()
    assert second.refund == "due" and second.payment_id is None
    assert second.diffs.get().kind == "double"
    answer = services.refund(actors["receiver"], second.reference)
    assert answer["vnp_ResponseCode"] == "00"
    second.refresh_from_db()
    assert second.refund == "done"
    refund_call = [c for c in gateways.state.calls if c["command"] == "refund"][0]
    assert refund_call["valid"] and refund_call["data"]["vnp_Amount"] == "15000000"
    with pytest.raises(Conflict):
        services.refund(actors["receiver"], second.reference)       # once
    assert PaymentOrder.objects.filter(refund="done").count() == 1
