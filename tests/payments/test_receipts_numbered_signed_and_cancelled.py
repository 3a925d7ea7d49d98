"""Motcua's own electronic receipt (biên lai điện tử): one for phí and one for lệ phí after the IPN, the
agency's beneficiary account and series, yearly numbering gap-free and unique under concurrent
confirmations (threads on PostgreSQL; a deterministic interleaving with rolled-back confirmations on every
database), the PDF read back with pdftotext (number, amount in figures and in words, dossier, gateway
reference), unsigned when no seal is registered, signed with the agency's seal when one is, cancelled on a
refund (the number kept), downloads for the applicant and officers in scope only."""
import re
import shutil
import subprocess
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from motcua.catalog.models import Fee
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Channel
from motcua.integrations.payments import receipts, services
from motcua.integrations.payments.base import Notice
from motcua.integrations.payments.models import PaymentAccount, Receipt

from ..conftest import at
from ..signing.conftest import pki  # noqa: F401  (the local test PKI, a fixture)
from .conftest import open_page

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="real concurrency needs PostgreSQL row locks (CI runs it)")


def pdftotext(pdf):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, timeout=60).stdout.decode()


@pytest.mark.parametrize("n, words", [
    (0, "Không đồng"), (5, "Năm đồng"), (15, "Mười lăm đồng"), (21, "Hai mươi mốt đồng"), (105, "Một trăm linh năm đồng"),
    (150000, "Một trăm năm mươi nghìn đồng"), (1_000_050, "Một triệu không trăm năm mươi đồng"),
    (2_005_000, "Hai triệu không trăm linh năm nghìn đồng"), (45_500, "Bốn mươi lăm nghìn năm trăm đồng"),
    (1_200_000_000, "Một tỷ hai trăm triệu đồng"), (3_000_000_001, "Ba tỷ không trăm linh một đồng"),
])
def test_amount_in_vietnamese_words(n, words):
    assert receipts.amount_in_words(n) == words


@pytest.fixture
def two_fees(province):
    Fee.objects.create(procedure=province.proc, name="Phí thẩm định hồ sơ", amount=45500)
    PaymentAccount.objects.create(agency=province.sxd, account_number="3711.0.1234567", bank_code="KBNN",
                                  account_name="Sở Xây dựng tỉnh Demo", receipt_series="1C26TBL")


def _file(actors, intake_data, province):
    d, _c = dossiers.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), owner=province.citizen)
    return d


def _pay(actors, code, provider="vnpay", now=None):
    order = services.start(actors["citizen"], code, provider=provider, purpose="fee")
    notice = Notice(valid=True, reference=order.reference, amount=order.amount, paid=True, gateway_txn=f"T{order.pk}",
                    code="00")
    assert services.settle(provider, notice, now=now) == "confirmed"
    return order


def test_ipn_issues_one_receipt_for_phi_and_one_for_le_phi_read_back(gateways, two_fees, province, actors,
                                                                     intake_data, client):
    d = _file(actors, intake_data, province)
    order = services.start(actors["citizen"], d.code, provider="vnpay", purpose="fee")
    assert open_page(order.pay_url)[0] == 200
    gateways.act(order.reference, "pay")
    client.get("/thanh-toan/vnpay/ipn/?" + gateways.notification(order.reference)["query"])
    order.refresh_from_db()
    phi, le_phi = Receipt.objects.filter(order=order).order_by("number")
    assert (phi.kind, phi.amount, le_phi.kind, le_phi.amount) == ("phi", 45500, "le_phi", 150000)
    assert (phi.number, le_phi.number) == (1, 2) and phi.series == "1C26TBL" and phi.agency == province.sxd
    text = pdftotext(receipts.pdf_of(le_phi))
    assert "BIÊN LAI THU LỆ PHÍ" in text and "00000002" in text and "1C26TBL" in text
    assert "150.000" in text and "Một trăm năm mươi nghìn đồng" in text and "Phí thẩm định" not in text
    assert d.code in text and "Nguyễn Văn An" in text and order.reference in text
    assert order.gateway_txn and re.search(rf"Mã giao dịch tại\s+cổng:\s+{order.gateway_txn}", text), text
    assert "3711.0.1234567" in text and "Sở Xây dựng" in text and "VNPay" in text
    assert "chưa được ký số" in text                          # no seal registered: issued unsigned, says so
    text = pdftotext(receipts.pdf_of(phi))
    assert "BIÊN LAI THU PHÍ" in text and "Bốn mươi lăm nghìn năm trăm đồng" in text and "45.500" in text
    # the same IPN again: nothing new
    client.get("/thanh-toan/vnpay/ipn/?" + gateways.notification(order.reference)["query"])
    assert Receipt.objects.count() == 2


def test_downloads_for_the_applicant_and_officers_in_scope_only(gateways, two_fees, province, actors, intake_data,
                                                                client):
    d = _file(actors, intake_data, province)
    order = _pay(actors, d.code)
    r = order.receipts.get(kind="le_phi")
    url = f"/thanh-toan/bien-lai/{r.pk}.pdf"
    client.force_login(province.citizen)
    got = client.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf" and got.content.startswith(b"%PDF-")
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert url in page
    client.force_login(province.receiver)
    assert client.get(url).status_code == 200
    assert url in client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    client.force_login(province.other)                    # an officer of another agency
    assert client.get(url).status_code == 404
    client.force_login(get_user_model().objects.create_user(username="khac", password="pw-khac-123"))
    assert client.get(url).status_code == 404 and client.get("/thanh-toan/bien-lai/999999.pdf").status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 404)


def test_numbering_per_agency_and_year_gap_free_with_rolled_back_confirmations(gateways, two_fees, province, actors,
                                                                              intake_data):
    codes = [_file(actors, intake_data, province).code for _ in range(4)]
    _pay(actors, codes[0], now=at("2026-12-31 23:50"))
    with pytest.raises(RuntimeError), transaction.atomic():    # a confirmation that rolls back gives its numbers back
        order = services.start(actors["citizen"], codes[1], provider="vnpay", purpose="fee")
        services._settle_once("vnpay", Notice(valid=True, reference=order.reference, amount=order.amount, paid=True,
                                              code="00"), at("2026-12-31 23:55"))
        raise RuntimeError("rolled back")
    _pay(actors, codes[2], now=at("2026-12-31 23:58"))
    _pay(actors, codes[3], now=at("2027-01-01 00:05"))          # 1 January: the series starts again
    got = sorted((r.year, r.number) for r in Receipt.objects.all())
    assert got == [(2026, 1), (2026, 2), (2026, 3), (2026, 4), (2027, 1), (2027, 2)]


def test_refund_cancels_the_receipt_and_keeps_its_number(gateways, two_fees, province, actors, intake_data, client):
    d = _file(actors, intake_data, province)
    first, second = (services.start(actors["citizen"], d.code, provider="vnpay", purpose="fee") for _ in range(2))
    for order in (first, second):                               # paid twice: refund due, receipts issued anyway
        assert open_page(order.pay_url)[0] == 200
        gateways.act(order.reference, "pay")
        client.get("/thanh-toan/vnpay/ipn/?" + gateways.notification(order.reference)["query"])
    second.refresh_from_db()
    assert second.refund == "due" and second.receipts.count() == 2
    numbers = sorted(second.receipts.values_list("number", flat=True))
    services.refund(actors["receiver"], second.reference)
    assert all(r.cancelled_at and r.cancelled_by_id == province.receiver.pk for r in second.receipts.all())
    assert not first.receipts.filter(cancelled_at__isnull=False).exists()
    assert second.diffs.get().resolved_at is not None
    text = pdftotext(receipts.pdf_of(second.receipts.get(kind="le_phi")))
    assert "ĐÃ HỦY" in text and f"{numbers[1]:08d}" in text
    third = _pay(actors, _file(actors, intake_data, province).code)
    assert min(third.receipts.values_list("number", flat=True)) == 5       # never reused


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_number_uniquely_and_without_gaps(settings, paysim, two_fees, province, actors,
                                                                   intake_data):
    from .conftest import point_at
    point_at(settings, paysim)
    n = 12
    orders = [services.start(actors["citizen"], _file(actors, intake_data, province).code, provider="vnpay",
                             purpose="fee") for _ in range(n)]
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            o = orders[i]
            results[i] = services.settle("vnpay", Notice(valid=True, reference=o.reference, amount=o.amount, paid=True,
                                                         code="00"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == ["confirmed"] * n
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 2 * n + 1))


def test_signed_with_the_agency_seal_when_one_is_registered(gateways, two_fees, province, actors, intake_data, pki,
                                                            settings, tmp_path):
    from motcua.signing import services as signing
    from motcua.signing.models import SignatureRecord

    from ..signing.conftest import p12_config, pdfsig
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.root_pem_path)]
    settings.MOTCUA_SIGNING_TSA_URL = pki.tsa_url
    settings.MOTCUA_SIGNING_LEVEL = "B-T"
    settings.MOTCUA_SIGNING_FETCH_REVOCATION = True
    settings.MOTCUA_SIGNING_FETCH_ALLOW = [pki.base_url.removeprefix("http://")]
    signing.register_key(actors["admin"], province.sxd.code, label="Con dấu Sở Xây dựng", kind="organisation",
                         source="pkcs12", config=p12_config(pki.agency))
    order = _pay(actors, _file(actors, intake_data, province).code)
    r = order.receipts.get(kind="le_phi")
    assert receipts.render_pending() == 2                       # the worker's job
    r.refresh_from_db()
    assert r.signed and SignatureRecord.objects.filter(number_symbol=f"1C26TBL {r.number_text}").count() == 1
    path = tmp_path / "bien-lai.pdf"
    path.write_bytes(bytes(r.pdf))
    report = pdfsig(pki, path)
    assert "Signature #1" in report and "Signature is Valid" in report
    text = pdftotext(bytes(r.pdf))
    assert "Ký số bởi Sở Xây dựng" in text and "chưa được ký số" not in text and "00000002" in text
