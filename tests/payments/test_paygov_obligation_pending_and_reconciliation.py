"""The national payment platform (PayGov) against the simulator: INIT with its checksum and bill, CONFIRM,
a status-6 dossier moved back to processing by the payment (one event, one sync message), a gateway down at
INIT, a pending transaction that settles later (QUERY polling) or after 3 days, reconciliation."""
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.errors import ValidationFailed
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import HistoryEvent, Payment, PaymentChannel, Status
from motcua.integrations.models import OutboxMessage
from motcua.integrations.payments import services
from motcua.integrations.payments.contrib.paygov import signing
from motcua.integrations.payments.models import Discrepancy, OrderState, PaymentAccount, PaymentOrder
from motcua.integrations.portal.contrib.dvcqg import payload

from .conftest import open_page


def _confirm(client, body):
    r = client.post("/thanh-toan/paygov/xac-nhan/", body, content_type="application/json")
    assert r.status_code == 200
    return r.json()


@pytest.fixture
def obligation(filed, actors):
    d = filed
    dossiers.receive(actors["receiver"], d.code, provided=list(d.components.values_list("pk", flat=True)))
    d.refresh_from_db()
    dossiers.forward(actors["receiver"], d.code, version=d.version)
    d.refresh_from_db()
    dossiers.request_financial(actors["specialist"], d.code, reason="Nộp lệ phí trước bạ", amount=500000,
                               version=d.version)
    d.refresh_from_db()
    assert d.status == Status.FINANCIAL_OBLIGATION
    return d


def test_init_is_signed_and_carries_the_bill_with_the_agency_account(gateways, filed, actors, province):
    PaymentAccount.objects.create(agency=province.sxd, account_number="1234567890", bank_code="970415",
                                  account_name="Sở Xây dựng - thu phí")
    order = services.start(actors["citizen"], filed.code, provider="paygov", purpose="fee", ip="10.1.2.3")
    init = [c for c in gateways.state.calls if c["command"] == "INIT"][0]
    assert init["valid"]
    body = init["data"]
    assert (body["LoaiBanTin"], body["PhienBan"], body["SoTien"], body["MaThamChieu"]) == \
        ("INIT", "1.0.6", 150000, order.reference)
    assert len(body["ThoiGianGD"]) == 14 and body["Ip"] == "10.1.2.3"
    bill = body["ThongTinBienLai"]
    assert (bill["MaDichVu"], bill["MaHoSo"], bill["TKThuHuong"], bill["MaNHThuHuong"]) == \
        ("2", filed.code, "1234567890", "970415")
    assert bill["PhiLePhi"] == [{"LoaiPhiLePhi": "2", "MaPhiLePhi": order.lines[0]["code"],
                                 "TenPhiLePhi": "Lệ phí cấp phép", "SoTien": 150000}]
    assert order.pay_url.startswith(gateways.url + "/paygov/pay/") and open_page(order.pay_url)[0] == 200


def test_confirm_of_the_full_obligation_moves_the_dossier_back_to_processing(gateways, obligation, actors, client,
                                                                            settings):
    settings.MOTCUA_NATIONAL_PORTAL = "dvcqg"
    assert services.options(actors["citizen"], obligation) == [("obligation", 500000), ("fee", 150000)]
    order = services.start(actors["citizen"], obligation.code, provider="paygov", purpose="obligation")
    assert order.amount == 500000
    gateways.act(order.reference, "pay")
    body = gateways.notification(order.reference)["json"]
    outbox_before = OutboxMessage.objects.count()
    reply = _confirm(client, body)
    assert reply["MaLoi"] == "00" and signing.valid("paygov-secret", reply, signing.DEFAULT_REPLY_FIELDS)
    obligation.refresh_from_db()
    assert obligation.status == Status.PROCESSING and obligation.paused_since is None
    event = HistoryEvent.objects.get(dossier=obligation, action="pay_online")
    assert (event.status_before, event.status_after, event.data["obligation_settled"]) == (6, 4, True)
    assert OutboxMessage.objects.count() == outbox_before + 1            # one sync message
    pay = Payment.objects.get(dossier=obligation)
    assert pay.channel == PaymentChannel.NATIONAL_PORTAL and pay.amount == 500000
    item = payload.dossier_item(obligation, status=obligation.status, remote_code="X", procedure_code="P",
                                agency_ident="A", events=None)
    assert item["DuocThanhToanTrucTuyen"] == "1"
    assert _confirm(client, body)["MaLoi"] == "00"                       # again: already confirmed, nothing more
    assert Payment.objects.count() == 1 and HistoryEvent.objects.filter(action="pay_online").count() == 1


def test_forged_confirm_and_confirm_for_unknown_order_change_nothing(gateways, obligation, actors, client):
    order = services.start(actors["citizen"], obligation.code, provider="paygov", purpose="obligation")
    gateways.act(order.reference, "pay")
    body = dict(gateways.notification(order.reference)["json"])
    forged = {**body, "SoTien": 1}
    assert _confirm(client, forged)["MaLoi"] == "97"
    assert _confirm(client, {k: v for k, v in body.items() if k != "MaXacThuc"})["MaLoi"] == "97"
    other = {**body, "MaThamChieu": "nope"}
    other["MaXacThuc"] = signing.checksum("paygov-secret", other, signing.CONFIRM_FIELDS)
    assert _confirm(client, other)["MaLoi"] == "01"
    wrong = {**body, "SoTien": 499000}
    wrong["MaXacThuc"] = signing.checksum("paygov-secret", wrong, signing.CONFIRM_FIELDS)
    assert _confirm(client, wrong)["MaLoi"] == "04"
    obligation.refresh_from_db()
    assert obligation.status == Status.FINANCIAL_OBLIGATION and not Payment.objects.exists()
    order.refresh_from_db()
    assert order.state == OrderState.PENDING


def test_gateway_down_at_init_leaves_a_failed_order_and_nothing_paid(gateways, filed, actors, client, province):
    gateways.mode("down")
    with pytest.raises(services.GatewayUnavailable) as exc:
        services.start(actors["citizen"], filed.code, provider="paygov", purpose="fee")
    assert exc.value.status_code == 503
    order = PaymentOrder.objects.get()
    assert order.state == OrderState.FAILED and "connection" in order.error
    assert not Payment.objects.exists()
    client.force_login(province.citizen)
    r = client.post(f"/thanh-toan/ho-so/{filed.code}/", {"provider": "paygov", "purpose": "fee"}, follow=True)
    assert "Cổng thanh toán đang gián đoạn" in r.content.decode()
    gateways.mode("ok")
    r = client.post(f"/thanh-toan/ho-so/{filed.code}/", {"provider": "paygov", "purpose": "fee", "amount": "1"})
    assert r.status_code == 302
    assert PaymentOrder.objects.filter(state=OrderState.PENDING).get().amount == 150000   # never from the form


def test_pending_settles_later_through_query_polling(gateways, obligation, actors):
    order = services.start(actors["citizen"], obligation.code, provider="paygov", purpose="obligation")
    gateways.mode("pending", times=1)
    gateways.act(order.reference, "pay")
    assert gateways.notification(order.reference) is None     # no CONFIRM while pending
    later = timezone.now() + timedelta(minutes=40)
    assert services.poll_pending(now=later) == {"pending": 1}
    assert gateways.settle(order.reference, "paid", notify=False)       # the platform settles, CONFIRM lost
    assert services.poll_pending(now=later + timedelta(days=1)) == {"paid": 1}
    obligation.refresh_from_db()
    order.refresh_from_db()
    assert order.state == OrderState.PAID and obligation.status == Status.PROCESSING
    assert Payment.objects.count() == 1
    assert services.poll_pending(now=later + timedelta(days=1, hours=1)) == {}


def test_pending_that_settles_after_three_days_expires_then_its_confirm_still_pays_once(gateways, obligation,
                                                                                       actors, client):
    order = services.start(actors["citizen"], obligation.code, provider="paygov", purpose="obligation")
    gateways.mode("pending", times=1)
    gateways.act(order.reference, "pay")
    services.poll_pending(now=timezone.now() + timedelta(days=3, minutes=1))
    order.refresh_from_db()
    assert order.state == OrderState.EXPIRED
    gateways.settle(order.reference, "paid", notify=False)
    assert services.poll_pending(now=timezone.now() + timedelta(days=4)) == {}    # no longer polled
    # the daily reconciliation sees it: paid there, not here
    diffs = services.reconcile("paygov", timezone.localdate())
    assert [(d.kind, d.remote_amount, d.local_amount) for d in diffs] == [("there_not_here", 500000, 0)]
    assert services.reconcile("paygov", timezone.localdate()) == []     # listed once
    # the platform's late CONFIRM is accepted: the money is real and the obligation still owed
    body = gateways.notification(order.reference)["json"]
    assert _confirm(client, body)["MaLoi"] == "00"
    assert _confirm(client, body)["MaLoi"] == "00"
    order.refresh_from_db()
    obligation.refresh_from_db()
    assert order.state == OrderState.PAID and obligation.status == Status.PROCESSING
    assert Payment.objects.count() == 1
    diff = Discrepancy.objects.get()
    with pytest.raises(ValidationFailed):
        services.resolve(actors["receiver"], diff.pk, note="")
    services.resolve(actors["receiver"], diff.pk, note="CONFIRM đến muộn, đã ghi nhận")
    diff.refresh_from_db()
    assert diff.resolved_at and diff.resolved_by_id is not None


def test_platform_receipt_is_fetched_for_a_paid_order(gateways, filed, actors, client):
    order = services.start(actors["citizen"], filed.code, provider="paygov", purpose="fee")
    gateways.act(order.reference, "pay")
    _confirm(client, gateways.notification(order.reference)["json"])
    order.refresh_from_db()
    assert services.fetch_receipts() == 1 and services.fetch_receipts() == 0
    order.refresh_from_db()
    assert bytes(order.receipt_pdf).startswith(b"%PDF")
    bill = [c for c in gateways.state.calls if c["command"] == "GET_BILL"][0]
    assert bill["valid"]
    client.force_login(filed.owner)
    r = client.get(f"/thanh-toan/don/{order.reference}/bien-lai.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and r["Content-Type"] == "application/pdf"
    assert 'id="receipt"' in client.get(f"/thanh-toan/don/{order.reference}/").content.decode()
    client.logout()
    assert client.get(f"/thanh-toan/don/{order.reference}/bien-lai.pdf").status_code == 302   # to the login page


def test_the_worker_polls_pending_orders_and_the_command_reconciles(gateways, obligation, actors, settings):
    from io import StringIO

    from django.core.management import call_command

    from motcua.integrations import worker

    order = services.start(actors["citizen"], obligation.code, provider="paygov", purpose="obligation")
    PaymentOrder.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(hours=1))
    gateways.mode("pending", times=1)
    gateways.act(order.reference, "pay")
    gateways.settle(order.reference, "paid", notify=False)
    jobs = {name: (seconds, job) for name, seconds, job in worker.periodic_jobs()}
    assert jobs["payments_poll"][0] == 33 * 60 and jobs["payments_reconcile"][0] == 86400
    worker.run_due([("payments_poll", 1, jobs["payments_poll"][1])], {}, now=0.0)
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    out = StringIO()
    call_command("payments", "reconcile", "--provider", "paygov", "--date", timezone.localdate().isoformat(), stdout=out)
    assert "0 chênh lệch mới" in out.getvalue()
