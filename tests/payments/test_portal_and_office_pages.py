"""Pages: "Thanh toán trực tuyến" on the citizen's dossier, the order page that links to the gateway, the
officer's dossier page showing the payment's state; nobody else sees another citizen's order."""
import re

from django.contrib.auth import get_user_model

from motcua.integrations.payments.models import PaymentOrder

from .conftest import open_page


def test_citizen_pays_from_the_dossier_page_and_the_officer_sees_the_state(gateways, filed, province, client):
    client.force_login(province.citizen)
    page = client.get(f"/ho-so-cua-toi/{filed.code}/").content.decode()
    assert "Thanh toán trực tuyến" in page and "150.000 đ" in page and 'value="vnpay"' in page
    r = client.post(f"/thanh-toan/ho-so/{filed.code}/", {"provider": "vnpay", "purpose": "fee"})
    order = PaymentOrder.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/thanh-toan/don/{order.reference}/"
    page = client.get(r["Location"]).content.decode()
    link = re.search(r'id="go-pay" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert link == order.pay_url and "Lệ phí" in page and "150.000 đ" in page
    assert open_page(link)[0] == 200
    back = gateways.act(order.reference, "pay")
    client.get("/thanh-toan/vnpay/ipn/?" + gateways.notification(order.reference)["query"])
    page = client.get(back.split("testserver", 1)[1]).content.decode()
    assert "Đã thanh toán 150.000 đ" in page
    page = client.get(f"/ho-so-cua-toi/{filed.code}/").content.decode()
    assert 'data-state="paid"' in page and 'id="pay-fee"' not in page
    client.force_login(province.receiver)
    page = client.get(f"/can-bo/ho-so/{filed.code}/").content.decode()
    assert 'id="online-payments"' in page and order.reference in page and 'data-state="paid"' in page


def test_another_citizen_cannot_see_or_start_a_payment(gateways, filed, client):
    other = get_user_model().objects.create_user(username="nguoikhac", password="pw-nguoikhac")
    client.force_login(other)
    r = client.post(f"/thanh-toan/ho-so/{filed.code}/", {"provider": "vnpay", "purpose": "fee"})
    assert r.status_code == 302 and not PaymentOrder.objects.exists()
    from motcua.integrations.payments import services
    from motcua.agencies.scope import actor_for
    order = services.start(actor_for(filed.owner), filed.code, provider="vnpay", purpose="fee")
    assert client.get(f"/thanh-toan/don/{order.reference}/").status_code == 404


def test_no_gateway_configured_shows_no_payment(settings, filed, province, client):
    settings.MOTCUA_PAYMENT_GATEWAYS = []
    client.force_login(province.citizen)
    page = client.get(f"/ho-so-cua-toi/{filed.code}/").content.decode()
    assert 'id="pay-fee"' not in page
