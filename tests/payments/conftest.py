"""The payment gateway simulator in-process on a free port, Motcua pointed at it, a citizen's dossier."""
import urllib.parse
import urllib.request

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Channel
from motcua.integrations.payments.sim import PaygateSim


@pytest.fixture
def paysim():
    s = PaygateSim(ipn_retries=2, ipn_retry_seconds=0.05).start()
    yield s
    s.stop()


def point_at(settings, sim, motcua_url="http://testserver"):
    settings.MOTCUA_PAYMENT_GATEWAYS = ["vnpay", "paygov"]
    settings.MOTCUA_VNPAY = {"pay_url": f"{sim.url}/paymentv2/vpcpay.html",
                             "api_url": f"{sim.url}/merchant_webapi/api/transaction", "tmn_code": "MOTCUA01",
                             "hash_secret": "vnpay-secret", "return_url": f"{motcua_url}/thanh-toan/vnpay/ket-qua/",
                             "expire_minutes": 15, "timeout": 2}
    settings.MOTCUA_PAYGOV = {"init_url": f"{sim.url}/paygov/init", "check_url": f"{sim.url}/paygov/query",
                              "receipt_url": f"{sim.url}/paygov/bill", "access_token": "paygov-token",
                              "secret_key": "paygov-secret", "partner_code": "MOTCUA", "timeout": 2}
    settings.MOTCUA_NATIONAL_PORTAL = ""
    with sim.state.lock:
        sim.state.return_url = f"{motcua_url}/thanh-toan/paygov/ket-qua/"


@pytest.fixture
def gateways(settings, paysim, province):
    point_at(settings, paysim)
    return paysim


@pytest.fixture
def filed(province, actors, intake_data):
    """A dossier the citizen filed online (fee: Lệ phí cấp phép 150 000 đ)."""
    d, _c = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), owner=province.citizen)
    return d


def open_page(url):
    """The browser opening the gateway's payment page: (status, html)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def query_of(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, keep_blank_values=True))
