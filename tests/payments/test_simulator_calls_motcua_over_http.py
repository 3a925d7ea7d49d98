"""The simulator calling a live Motcua over HTTP, as the gateways do: IPN and CONFIRM signed and answered,
retries when Motcua could not be reached, and (PostgreSQL, real row locks) many copies of one IPN at once
paying exactly once."""
import time
import urllib.request

import pytest
from django.db import connection

from motcua.core.errors import Conflict
from motcua.dossiers.models import HistoryEvent, Payment
from motcua.integrations.payments import services
from motcua.integrations.payments.models import OrderState, PaymentOrder

from .conftest import open_page, point_at


@pytest.fixture
def live(live_server):
    """As tests/web: history rows removed after the test on SQLite so the transactional flush can run."""
    yield live_server
    if connection.vendor == "sqlite":
        from importlib import import_module
        m = import_module("motcua.dossiers.migrations.0002_history_append_only")
        with connection.cursor() as cur:
            cur.execute("DROP TRIGGER IF EXISTS history_no_delete")
            cur.execute(f"DELETE FROM {m.TABLE}")
            cur.execute(m.SQLITE[1])


@pytest.fixture
def wired(settings, paysim, live, province):
    point_at(settings, paysim, motcua_url=live.url)
    urllib.request.urlopen(live.url + "/", timeout=120).read()   # the live server's first request loads every module
    with paysim.state.lock:
        paysim.state.ipn_url = f"{live.url}/thanh-toan/vnpay/ipn/"
        paysim.state.confirm_url = f"{live.url}/thanh-toan/paygov/xac-nhan/"
    return paysim


def _wait(predicate, seconds=10):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_ipn_and_confirm_arrive_signed_and_are_answered(wired, filed, actors):
    vn = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    assert open_page(vn.pay_url)[0] == 200
    wired.act(vn.reference, "pay")
    first = wired.state.notifications[0]
    assert first["status"] == 200, (first["error"], first["reply"])
    assert first["reply"] == {"RspCode": "00", "Message": "Confirm Success"}
    vn.refresh_from_db()
    assert vn.state == OrderState.PAID and Payment.objects.count() == 1
    # the fee is paid: a PayGov order for the same fee cannot even start
    with pytest.raises(Conflict) as err:
        services.start(actors["citizen"], filed.code, provider="paygov", purpose="fee")
    assert err.value.code == "nothing_to_pay"


def test_paygov_confirm_reply_is_signed(wired, filed, actors):
    pg = services.start(actors["citizen"], filed.code, provider="paygov", purpose="fee")
    wired.act(pg.reference, "pay")
    note = wired.state.notifications[0]
    assert note["reply"]["MaLoi"] == "00" and note["reply_valid"] is True
    pg.refresh_from_db()
    assert pg.state == OrderState.PAID


def test_ipn_is_retried_until_motcua_can_be_reached(wired, filed, actors, live):
    order = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    with wired.state.lock:
        wired.state.ipn_url = "http://127.0.0.1:9/thanh-toan/vnpay/ipn/"      # nothing listens there
        wired.state.ipn_retry_seconds = 0.3
    open_page(order.pay_url)
    wired.act(order.reference, "pay")
    assert wired.state.notifications[0]["status"] is None
    with wired.state.lock:
        wired.state.ipn_url = f"{live.url}/thanh-toan/vnpay/ipn/"
    # (the simulator's record first: on in-memory SQLite the test must not read while the server writes)
    assert _wait(lambda: any(n["reply"] == {"RspCode": "00", "Message": "Confirm Success"}
                             for n in wired.state.notifications))
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.PAID
    assert Payment.objects.count() == 1 and [n["attempt"] for n in wired.state.notifications][-1] >= 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL row locks")
def test_the_same_ipn_ten_times_at_once_pays_once(wired, filed, actors):
    order = services.start(actors["citizen"], filed.code, provider="vnpay", purpose="fee")
    open_page(order.pay_url)
    wired.mode("duplicate", times=1, copies=10)
    wired.act(order.reference, "pay")
    _wait(lambda: len(wired.state.notifications) >= 10)
    codes = sorted(n["reply"]["RspCode"] for n in wired.state.notifications[:10] if n["reply"])
    assert codes.count("00") == 1 and set(codes) <= {"00", "02", "99"}
    # a "99" (lock wait) is retried by the simulator and then answered 02
    assert _wait(lambda: all(n["reply"] and n["reply"]["RspCode"] in ("00", "02")
                             for n in wired.state.notifications[-1:]))
    assert Payment.objects.count() == 1
    assert HistoryEvent.objects.filter(dossier=filed, action="pay_online").count() == 1
