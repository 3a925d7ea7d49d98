"""In headless Chromium: a citizen paid the same fee twice through VNPay (the simulator); the receiving
officer opens "Đối soát thanh toán trực tuyến", sees the double payment, goes to the refund confirmation,
confirms, and the refund goes through VNPay's refund API (the simulator checks its checksum); the receipt of
the refunded payment is cancelled. Both pages pass axe."""
import urllib.parse

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Channel
from motcua.integrations.payments import services as payments
from motcua.integrations.payments.models import Discrepancy

from ..payments.conftest import open_page, point_at
from .conftest import axe_violations, login, shot, submit
from .test_citizen_pays_a_fee_online import paysim  # noqa: F401  (the simulator, a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_refunds_a_double_payment_after_confirming(new_page, live, province, actors, intake_data,
                                                           paysim, settings):  # noqa: F811
    point_at(settings, paysim, motcua_url=live.url)
    d, _c = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), owner=province.citizen)
    orders = [payments.start(actors["citizen"], d.code, provider="vnpay", purpose="fee") for _ in range(2)]
    for o in orders:
        assert open_page(o.pay_url)[0] == 200
        paysim.act(o.reference, "pay")
        query = paysim.notification(o.reference)["query"]
        payments.notify("vnpay", dict(urllib.parse.parse_qsl(query, keep_blank_values=True)))
    diff = Discrepancy.objects.get(kind="double")
    page = new_page()
    login(page, "tiepnhan", "pw-tiepnhan")
    page.goto("/can-bo/")
    submit(page, "a[href='/can-bo/doi-soat-thanh-toan/']")
    assert page.locator(f"#diff-{diff.pk}[data-kind=double]").count() == 1
    found = axe_violations(page)
    assert not found, " | ".join(found)
    submit(page, f"#refund-{diff.pk}")
    assert page.locator("#refund-amount").inner_text() == "150.000 đ"
    found = axe_violations(page)
    assert not found, " | ".join(found)
    page.check("#confirm")
    submit(page, "#do-refund")
    shot(page, "payment-refund-done")
    assert diff.reference in page.locator("div.messages").inner_text()
    assert page.locator(f"#diff-{diff.pk}").count() == 0            # resolved by the refund
    diff.refresh_from_db()
    assert diff.resolved_at and diff.order.refund == "done"
    assert [r.cancelled_at is not None for r in diff.order.receipts.all()] == [True]
    assert [c["valid"] for c in paysim.state.calls if c["command"] == "refund"] == [True]
