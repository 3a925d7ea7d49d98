"""Dossiers submitted on DVCQG: polled or pushed (signed webhook), one local dossier per DVCQG code, status 1
channel 2, routed to the competent agency; unknown codes wait in 'cannot map' and are replayed by an
administrator; a bad signature or a replay is refused and creates nothing."""
import json
import time

import pytest

from motcua.dossiers.models import Channel, Dossier, Status
from motcua.integrations import inbound
from motcua.integrations.models import InboundDossier, InboundState, MessageState, OutboxMessage, RemoteDossier
from motcua.integrations.portal.contrib.dvcqg import signing

from .conftest import drain

PAYLOAD = {"MaHoSo": "G22.99-260601-00001", "MaTTHC": "1.009974.000.00.00.H13", "MaDinhDanhDV": "000.00.17.H13",
           "ChuHoSo": "Trần Thị Bình", "SoGiayToChuHoSo": "001203009999", "SoDienThoai": "0987654321",
           "TrichYeuHoSo": "Cấp giấy phép xây dựng nhà ở riêng lẻ", "NgayNopHoSo": "20260601083000",
           "LoaiDoiTuong": "1"}
SECRET = "webhook-secret-for-tests"
URL = "/api/v1/integrations/dvcqg/webhook/"


def test_polling_creates_one_dossier_acknowledges_and_syncs_back(dvcqg):
    dvcqg.originate(dict(PAYLOAD))
    out = inbound.poll_once()
    assert out["listed"] == 1 and out["created"] == 1
    d = Dossier.objects.get()
    assert (d.status, d.channel, d.agency.code) == (Status.NEW, Channel.ONLINE, "000.00.17.H13")
    assert d.applicant_name == "Trần Thị Bình"
    assert d.history.first().actor_name == "dvcqg"
    assert RemoteDossier.objects.get(dossier=d).remote_code == PAYLOAD["MaHoSo"]     # kept beside the local code
    assert dvcqg.state.inbound[PAYLOAD["MaHoSo"]]["acked"] is True
    assert inbound.poll_once()["listed"] == 0
    # the same dossier again by the other way makes no second dossier
    again, created = inbound.receive(dict(PAYLOAD), "webhook")
    assert not created and again.dossier_id == d.pk and Dossier.objects.count() == 1
    drain()
    assert OutboxMessage.objects.get().state == MessageState.DELIVERED
    assert dvcqg.state.dossiers[PAYLOAD["MaHoSo"]]["statuses"] == ["1"]   # updated under its DVCQG code


def test_unknown_procedure_waits_then_admin_maps_and_replays(dvcqg, province, actors):
    payload = {**PAYLOAD, "MaTTHC": "1.999999.000.00.00.H13"}
    item, created = inbound.receive(payload, "poll")
    assert created and item.state == InboundState.CANNOT_MAP and item.reason_code == "procedure_not_mapped"
    assert "1.999999" in item.reason and Dossier.objects.count() == 0
    from motcua.integrations import mapping
    mapping.set_procedure(actors["admin"], "1.009974", "1.999999.000.00.00.H13")
    item = inbound.replay(actors["admin"], payload["MaHoSo"])
    assert item.state == InboundState.CREATED and Dossier.objects.count() == 1


def test_unknown_agency_waits_with_its_reason(dvcqg):
    item, _c = inbound.receive({**PAYLOAD, "MaDinhDanhDV": "000.00.99.H13"}, "poll")
    assert item.state == InboundState.CANNOT_MAP and item.reason_code == "agency_not_mapped"


def _signed(client, body, ts=None, nonce=None, secret=SECRET):
    ts = str(int(time.time()) if ts is None else ts)
    nonce = nonce or f"n-{time.time_ns()}"
    return client.post(URL, data=body, content_type="application/json", headers={
        signing.HEADER_TS: ts, signing.HEADER_NONCE: nonce, signing.HEADER_SIG: signing.sign(secret, ts, nonce, body)})


@pytest.fixture
def webhook(settings, dvcqg):
    settings.MOTCUA_DVCQG = {**settings.MOTCUA_DVCQG, "webhook_secret": SECRET, "webhook_window": 300}


def test_signed_webhook_creates_once_and_refuses_replays(client, webhook):
    body = json.dumps(PAYLOAD).encode()
    r = _signed(client, body, nonce="nonce-0001")
    assert r.status_code == 200 and r.json()["state"] == "created"
    r = _signed(client, body, nonce="nonce-0001")                  # the same call replayed
    assert r.status_code == 401 and r.json()["code"] == "webhook_replayed"
    r = _signed(client, body, nonce="nonce-0002")                  # a fresh call, same dossier: idempotent
    assert r.status_code == 200 and Dossier.objects.count() == 1


@pytest.mark.parametrize("case, code", [("bad_signature", "webhook_bad_signature"), ("stale", "webhook_expired"),
                                        ("unsigned", "webhook_unsigned")])
def test_bad_webhooks_are_refused_and_create_nothing(client, webhook, case, code, caplog):
    body = json.dumps(PAYLOAD).encode()
    if case == "bad_signature":
        r = _signed(client, body, secret="not-the-secret")
    elif case == "stale":
        r = _signed(client, body, ts=int(time.time()) - 3600)
    else:
        r = client.post(URL, data=body, content_type="application/json")
    assert r.status_code == 401 and r.json()["code"] == code and r.json()["message"]
    assert Dossier.objects.count() == 0 and InboundDossier.objects.count() == 0
    assert any(code in rec.getMessage() for rec in caplog.records)      # refused and logged


def test_tampered_body_is_refused(client, webhook):
    body = json.dumps(PAYLOAD).encode()
    ts, nonce = str(int(time.time())), "nonce-tamper"
    sig = signing.sign(SECRET, ts, nonce, body)
    r = client.post(URL, data=body.replace(b"B\\u00ecnh", b"X"), content_type="application/json",
                    headers={signing.HEADER_TS: ts, signing.HEADER_NONCE: nonce, signing.HEADER_SIG: sig})
    assert r.status_code == 401 and Dossier.objects.count() == 0


def test_webhook_without_configured_secret_is_refused(client, dvcqg):
    r = _signed(client, json.dumps(PAYLOAD).encode())
    assert r.status_code == 503 and r.json()["code"] == "webhook_not_configured"


def test_simulator_pushes_signed_webhooks_that_motcua_accepts(client, dvcqg, webhook):
    """The simulator originates a dossier and pushes it over real HTTP; what arrives passes Motcua's check."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    got = {}

    class Catch(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            got["headers"] = self.headers      # case-insensitive
            got["body"] = self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = HTTPServer(("127.0.0.1", 0), Catch)
    threading.Thread(target=server.handle_request, daemon=True).start()
    dvcqg.set_webhook(f"http://127.0.0.1:{server.server_address[1]}{URL}", SECRET)
    assert dvcqg.originate(dict(PAYLOAD)) == 200
    server.server_close()
    h = got["headers"]
    r = client.post(URL, data=got["body"], content_type="application/json", headers={
        signing.HEADER_TS: h[signing.HEADER_TS], signing.HEADER_NONCE: h[signing.HEADER_NONCE],
        signing.HEADER_SIG: h[signing.HEADER_SIG]})
    assert r.status_code == 200 and Dossier.objects.count() == 1
