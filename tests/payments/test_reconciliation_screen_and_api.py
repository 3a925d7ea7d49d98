"""The officer's reconciliation screen (/can-bo/doi-soat-thanh-toan/) and its API: the differences per day
and gateway (paid there not here, double payment), each resolved with a note through services.resolve (who
and when kept), the refund of a double payment after a confirmation step, scoped to the officer's agency
(another agency's officer: nothing listed, 404 on acting), answers checked against the OpenAPI schema."""
from django.utils import timezone

from motcua.integrations.payments import services
from motcua.integrations.payments.models import Discrepancy, PaymentOrder

from ..api.conftest import client_for  # noqa: F401  (API clients with real tokens, a fixture)
from ..api.schema_check import check
from .conftest import open_page

PAGE = "/can-bo/doi-soat-thanh-toan/"


def _paid_twice_and_one_unknown_here(gateways, filed, actors, client):
    """A double payment (VNPay, both IPNs) and a payment the gateway has but Motcua does not (no IPN)."""
    orders = [services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee") for _ in range(3)]
    for o in orders[:2]:
        assert open_page(o.pay_url)[0] == 200
        gateways.act(o.reference, "pay")
        client.get("/thanh-toan/vnpay/ipn/?" + gateways.notification(o.reference)["query"])
    assert open_page(orders[2].pay_url)[0] == 200
    gateways.mode("no_ipn", times=1)
    gateways.act(orders[2].reference, "pay")
    found = services.reconcile("vnpay", timezone.localdate())
    assert sorted(d.kind for d in found) == ["there_not_here"]
    querydr = [c for c in gateways.state.calls if c["command"] == "querydr"]
    assert len(querydr) == 3 and all(c["valid"] for c in querydr)     # VNPay's pipe-joined HMAC, checked by the sim
    double = Discrepancy.objects.get(kind="double")
    return orders, double, found[0]


def test_officer_lists_resolves_and_refunds_with_confirmation(gateways, filed, actors, province, client):
    orders, double, unknown = _paid_twice_and_one_unknown_here(gateways, filed, actors, client)
    client.force_login(province.receiver)
    page = client.get(PAGE).content.decode()
    assert f'id="diff-{double.pk}"' in page and f'id="diff-{unknown.pk}"' in page and 'data-kind="double"' in page
    assert f'id="refund-{double.pk}"' in page and f'id="refund-{unknown.pk}"' not in page
    day = timezone.localdate().isoformat()
    assert f'id="diff-{double.pk}"' in client.get(f"{PAGE}?day={day}&provider=vnpay").content.decode()
    assert f'id="diff-{double.pk}"' not in client.get(f"{PAGE}?day=2020-01-01").content.decode()
    assert f'id="diff-{double.pk}"' not in client.get(f"{PAGE}?provider=paygov").content.decode()
    # resolving without a note is refused, nothing stored
    client.post(f"{PAGE}{unknown.pk}/xu-ly/", {"note": "  "})
    unknown.refresh_from_db()
    assert unknown.resolved_at is None
    client.post(f"{PAGE}{unknown.pk}/xu-ly/", {"note": "IPN bị mất, đã ghi nhận theo đối soát"})
    unknown.refresh_from_db()
    assert unknown.resolved_by_id == province.receiver.pk and unknown.resolved_at and "IPN bị mất" in unknown.resolution
    assert f'id="diff-{unknown.pk}"' not in client.get(PAGE).content.decode()
    assert "IPN bị mất" in client.get(f"{PAGE}?state=resolved").content.decode()
    # refund: a confirmation page first; a POST without the confirmation refunds nothing
    second = double.order
    page = client.get(f"{PAGE}hoan-tien/{second.reference}/").content.decode()
    assert 'id="do-refund"' in page and "150.000 đ" in page and 'name="confirm"' in page
    client.post(f"{PAGE}hoan-tien/{second.reference}/", {})
    second.refresh_from_db()
    assert second.refund == "due"
    client.post(f"{PAGE}hoan-tien/{second.reference}/", {"confirm": "1"})
    second.refresh_from_db()
    double.refresh_from_db()
    assert second.refund == "done" and double.resolved_by_id == province.receiver.pk
    assert all(r.cancelled_at for r in second.receipts.all()) and second.receipts.count() == 1
    assert [c for c in gateways.state.calls if c["command"] == "refund"][0]["valid"]


def test_another_agency_sees_nothing_and_cannot_act(gateways, filed, actors, province, client):
    orders, double, unknown = _paid_twice_and_one_unknown_here(gateways, filed, actors, client)
    client.force_login(province.other)               # Sở Tư pháp, every role there
    page = client.get(f"{PAGE}?state=all").content.decode()
    assert "diff-" not in page and double.reference not in page
    assert client.post(f"{PAGE}{double.pk}/xu-ly/", {"note": "x"}).status_code == 404
    assert client.get(f"{PAGE}hoan-tien/{double.reference}/").status_code == 404
    assert client.post(f"{PAGE}hoan-tien/{double.reference}/", {"confirm": "1"}).status_code == 404
    assert client.get(f"{PAGE}hoan-tien/khong-co/").status_code == 404
    double.refresh_from_db()
    assert double.resolved_at is None and PaymentOrder.objects.get(pk=double.order_id).refund == "due"
    client.force_login(province.specialist)          # in scope, not a finance role: nothing listed
    assert "diff-" not in client.get(PAGE).content.decode()


def test_api_lists_resolves_and_refunds_in_scope_only(gateways, filed, actors, province, client, client_for):
    orders, double, unknown = _paid_twice_and_one_unknown_here(gateways, filed, actors, client)
    mine, other = client_for(province.clerk), client_for(province.other)
    body = check(mine.get("/api/v1/payments/differences/?provider=vnpay"))
    assert body["count"] == 2 and {r["kind"] for r in body["results"]} == {"double", "there_not_here"}
    assert check(mine.get("/api/v1/payments/differences/?day=2020-01-01"))["count"] == 0
    assert check(mine.get("/api/v1/payments/differences/?day=hôm-qua")).get("code") == "invalid_date"
    assert check(other.get("/api/v1/payments/differences/?state=all"))["count"] == 0
    r = other.post(f"/api/v1/payments/differences/{unknown.pk}/resolve/", {"note": "x"}, format="json")
    assert r.status_code == 404 and check(r)["code"] == "discrepancy_not_found"
    r = mine.post(f"/api/v1/payments/differences/{unknown.pk}/resolve/", {"note": ""}, format="json")
    assert r.status_code == 422 and check(r)["code"] == "reason_required"
    r = mine.post(f"/api/v1/payments/differences/{unknown.pk}/resolve/", {"note": "Đã ghi nhận"}, format="json")
    assert r.status_code == 200 and check(r)["resolved_by"] == "vanthu"
    r = mine.post(f"/api/v1/payments/differences/{unknown.pk}/resolve/", {"note": "lần nữa"}, format="json")
    assert r.status_code == 409 and check(r)["code"] == "already_resolved"
    r = other.post(f"/api/v1/payments/orders/{double.reference}/refund/", format="json")
    assert r.status_code == 404 and check(r)["code"] == "order_not_found"
    r = mine.post(f"/api/v1/payments/orders/{double.reference}/refund/", format="json")
    assert r.status_code == 200 and check(r) == {"reference": double.reference, "refund": "done", "gateway_code": "00"}
    r = mine.post(f"/api/v1/payments/orders/{double.reference}/refund/", format="json")
    assert r.status_code == 409 and check(r)["code"] == "refund_not_due"


def test_paygov_double_payment_refunded_by_the_agency_is_resolved_and_its_receipt_cancelled(
        gateways, filed, actors, province, client):
    from motcua.integrations.payments.base import Notice
    orders = [services.start(actors["citizen"], filed.code, provider="paygov", purpose="fee") for _ in range(2)]
    for o in orders:
        assert services.settle("paygov", Notice(valid=True, reference=o.reference, amount=o.amount, paid=True,
                                                code="00")) == "confirmed"
    double = Discrepancy.objects.get(kind="double")
    client.force_login(province.clerk)
    page = client.get(f"{PAGE}hoan-tien/{double.reference}/").content.decode()
    assert "không có chức năng hoàn tiền qua API" in page and 'id="do-refund"' not in page
    assert f'id="refunded-{double.pk}"' in client.get(PAGE).content.decode()
    client.post(f"{PAGE}{double.pk}/xu-ly/", {"note": "Đã chuyển khoản hoàn 150.000 đ ngày 28/11", "refunded": "1"})
    double.refresh_from_db()
    order = PaymentOrder.objects.get(pk=double.order_id)
    assert double.resolved_by_id == province.clerk.pk and order.refund == "done"
    assert [r.cancelled_at is not None and "chuyển khoản" in r.cancel_reason for r in order.receipts.all()] == [True]
    first = PaymentOrder.objects.exclude(pk=order.pk).get()
    assert not first.receipts.filter(cancelled_at__isnull=False).exists()


def test_reconciliation_lists_here_not_there_and_amount_differences(gateways, filed, actors, province, client,
                                                                    intake_data):
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.models import Channel
    other, _c = dossiers.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), owner=province.citizen)
    orders = [services.start(actors["citizen"], code, provider="vnpay", purpose="fee") for code in (filed.code, other.code)]
    for o in orders:
        assert open_page(o.pay_url)[0] == 200
        gateways.act(o.reference, "pay")
        client.get("/thanh-toan/vnpay/ipn/?" + gateways.notification(o.reference)["query"])
    with gateways.state.lock:     # later the gateway's books say otherwise: not paid / another amount
        gateways.state.txns[orders[0].reference]["status"] = "failed"
        gateways.state.txns[orders[1].reference]["amount"] = 151000
    found = services.reconcile("vnpay", timezone.localdate())
    got = sorted((d.kind, d.reference, d.local_amount, d.remote_amount) for d in found)
    assert got == [("amount", orders[1].reference, 150000, 151000), ("here_not_there", orders[0].reference, 150000, 0)]
    assert services.reconcile("vnpay", timezone.localdate()) == []        # each listed once
    client.force_login(province.leader)
    page = client.get(PAGE).content.decode()
    assert 'data-kind="amount"' in page and 'data-kind="here_not_there"' in page and "151.000 đ" in page
