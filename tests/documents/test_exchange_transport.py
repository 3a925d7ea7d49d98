"""The exchange in one instance, against real local peers: issuing to peer agencies queues one message per
recipient in the issue's transaction and the worker delivers the signed envelope (HMAC-signed call to a local
HTTP peer; retries then dead letters when the peer is down; the national platform simulator for "platform"
peers); the intake endpoint refuses unsigned/stale/replayed calls (401) and bad envelopes with a 02 status back,
registers a good one once and answers 01/03, then 04/05/06 as the recipient acts; recall (13 -> 15/16) and
replacement (BussinessDocType 3 + ResponseFor)."""
import json
import time
from http.server import BaseHTTPRequestHandler

import pytest
from django.test import Client

from motcua.core.errors import Conflict, NotAllowed, ValidationFailed
from motcua.documents import edxml, exchange, exchange_flow, services, transport
from motcua.documents.contrib import platform_sim
from motcua.documents.contrib.platform import poll_once
from motcua.documents.models import (ExchangeMessage, ExchangePeer, IncomingDocument, IncomingExchange,
                                     OutgoingExchange, Register, RecallState)
from motcua.integrations.simserver import LocalServer
from motcua.integrations.worker import run_jobs
from motcua.signing import services as signing
from motcua.worktime import TZ

from ..signing.conftest import p12_config, pki  # noqa: F401 (the session's local test PKI, served over HTTP)
from .exchange_helpers import approved_draft, register_leader, sign_and_seal, signed_issued

PEER, SECRET = "000.00.99.H14", "a-shared-secret-of-the-two-agencies"
URL = "/api/v1/exchange/edxml/"


class Capture(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.state.append((dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


@pytest.fixture
def key(province, actors, settings, pki):  # noqa: F811
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.root_pem_path)]
    settings.MOTCUA_SIGNING_TSA_URL = pki.tsa_url
    settings.MOTCUA_SIGNING_FETCH_ALLOW = [pki.base_url.removeprefix("http://")]
    return {"seal": signing.register_key(actors["admin"], province.sxd.code, label="Con dấu", kind="organisation",
                                        source="pkcs12", config=p12_config(pki.agency)),
            "leader": register_leader(p12_config(pki.leader), actors, province, province.sxd.code)}


@pytest.fixture
def peer_server():
    server = LocalServer(Capture, []).start()
    yield server
    server.stop()


def _peer(code=PEER, endpoint="http://127.0.0.1:9/x", plugin="direct", secret=SECRET):
    return ExchangePeer.objects.create(code=code, name=f"Cơ quan {code}", plugin=plugin, endpoint=endpoint,
                                       secret=secret)


def _post(body, sender, secret=SECRET, ts=None, sig=None):
    ts = str(int(time.time())) if ts is None else ts
    headers = {"HTTP_X_EDXML_TIMESTAMP": ts, "HTTP_X_EDXML_SENDER": sender,
               "HTTP_X_EDXML_SIGNATURE": sig or transport.hmac_sign(secret, ts, sender, body)}
    return Client().post(URL, data=body, content_type="application/xml", **headers)


def _statuses(key=None):
    qs = ExchangeMessage.objects.filter(kind="status", **({"key": key} if key else {}))
    return [(m.status_code, edxml.parse_status(bytes(m.payload)).description) for m in qs.order_by("id")]


def _envelope_from_sxd(province, actors, key, **kw):
    """An envelope Sở Xây dựng (a peer of this instance for the test) sends to Sở Tư pháp (local here)."""
    doc = signed_issued(actors, province.sxd.code, key, [{"OrganId": province.stp.code, "OrganName": "Sở Tư pháp"}])
    env = exchange.envelope_of(doc, attachments=[edxml.Attachment("cv.pdf", bytes(doc.signed_pdf))])
    for k, v in kw.items():
        setattr(env, k, v)
    return env


def test_issue_queues_one_message_per_peer_and_the_worker_delivers_the_signed_envelope(
        province, actors, key, peer_server, settings):
    settings.MOTCUA_DELIVERY = {**settings.MOTCUA_DELIVERY, "max_attempts": 2, "backoff_base": 60.0}
    _peer(endpoint=peer_server.url + "/api/v1/exchange/edxml/")
    _peer(code="000.00.98.H14")                      # nothing listens on port 9: the peer is down
    doc = signed_issued(actors, province.sxd.code, key, [
        {"OrganId": PEER, "OrganName": "Sở A"}, {"OrganId": "000.00.98.H14", "OrganName": "Sở B"},
        {"OrganId": province.stp.code, "OrganName": "Sở Tư pháp"}])       # a local agency: not exchanged
    msgs = list(ExchangeMessage.objects.order_by("key"))
    assert [(m.key, m.kind, m.state) for m in msgs] == [("000.00.98.H14", "edoc", "pending"), (PEER, "edoc", "pending")]
    run_jobs()
    (headers, body), = peer_server.state
    assert transport.hmac_valid(SECRET, headers["X-Edxml-Timestamp"], province.sxd.code, body,
                                headers["X-Edxml-Signature"])
    env = edxml.parse(body)                           # checksums checked by the parser
    assert env.document_id == OutgoingExchange.objects.get(outgoing=doc).document_id == \
        f"{province.sxd.code},{doc.issued_at.astimezone(TZ):%Y/%m/%d},{doc.number_symbol}"
    assert [r.organ_id for r in env.recipients] == [PEER, "000.00.98.H14", province.stp.code]
    (pdf,) = env.attachments
    assert pdf.content == bytes(doc.signed_pdf) and pdf.description.startswith("sha256:")
    assert signing.verify(pdf.content)["valid"]
    down = ExchangeMessage.objects.get(key="000.00.98.H14")
    assert down.state == "retrying" and "unreachable" in down.last_error
    ExchangeMessage.objects.filter(pk=down.pk).update(next_attempt_at=down.created_at)
    transport.run_key(down.key)
    down.refresh_from_db()
    assert (down.state, down.attempts) == ("dead", 2)
    assert ExchangeMessage.objects.get(key=PEER).state == "delivered"
    assert transport.resend(ExchangeMessage.objects.all()) == 1


def test_unknown_recipient_code_is_refused_and_nothing_is_numbered(province, actors, key):
    with pytest.raises(ValidationFailed) as err:                  # at the draft
        signed_issued(actors, province.sxd.code, key, [{"OrganId": "999.99.99.X99", "OrganName": "?"}])
    assert err.value.code == "unknown_recipient" and err.value.details == {"codes": ["999.99.99.X99"]}
    peer = _peer(code="999.99.99.X99")                             # known when drafted, gone before the seal
    doc = approved_draft(actors, province.sxd.code, [{"OrganId": "999.99.99.X99", "OrganName": "?"}])
    services.sign(actors["leader"], doc.pk, key_id=key["leader"].pk, level="B-B")
    peer.delete()
    with pytest.raises(ValidationFailed) as err:
        services.sign(actors["clerk"], doc.pk, key_id=key["seal"].pk, level="B-B")
    assert err.value.code == "unknown_recipient"
    assert not Register.objects.filter(last_number__gt=0).exists() and not ExchangeMessage.objects.exists()


def test_a_good_envelope_is_registered_once_and_the_sender_hears_every_step(province, actors, key):
    _peer(code=province.sxd.code)
    body = edxml.build(_envelope_from_sxd(province, actors, key))
    resp = _post(body, province.sxd.code)
    assert resp.status_code == 200 and resp.json()["accepted"] is True, resp.content
    doc = IncomingDocument.objects.get(agency=province.stp)
    assert doc.pk == resp.json()["document"] and doc.sender_code == province.sxd.code
    assert exchange_flow.incoming_file(actors["other"], doc.pk)[2] == edxml.parse(body).attachments[0].content
    # a retry whose answer was lost: the sender signs it again with a new timestamp (the same signature twice
    # is a replay and gets 401); nothing is registered twice
    again = _post(body, province.sxd.code, ts=str(int(time.time()) + 1))
    assert again.status_code == 200 and again.json()["document"] == doc.pk
    assert IncomingDocument.objects.count() == 1
    services.assign(actors["other"], doc.pk, lead_unit_code=province.stp.code, working_days=2)
    exchange_flow.start_processing(actors["other"], doc.pk)
    services.complete(actors["other"], doc.pk)
    assert [c for c, _d in _statuses(province.sxd.code)] == ["01", "03", "04", "05", "06"]
    assert "số đến 1" in _statuses()[1][1]


def test_calls_without_a_valid_fresh_signature_are_refused_and_read_nothing(province, actors, key):
    _peer(code=province.sxd.code)
    body = edxml.build(_envelope_from_sxd(province, actors, key))
    assert Client().post(URL, data=body, content_type="application/xml").json()["code"] == "exchange_unsigned"
    assert _post(body, province.sxd.code, secret="not-the-shared-secret").json()["code"] == "exchange_bad_signature"
    assert _post(body, "000.00.77.H14").status_code == 401                        # not in the directory
    stale = str(int(time.time()) - 3600)
    assert _post(body, province.sxd.code, ts=stale).json()["code"] == "exchange_expired"
    ts = str(int(time.time()))
    assert _post(body, province.sxd.code, ts=ts).status_code == 200
    replay = _post(body, province.sxd.code, ts=ts)
    assert (replay.status_code, replay.json()["code"]) == (401, "exchange_replayed")
    assert IncomingDocument.objects.count() == 1


XXE = (b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&x;</edXML>')


@pytest.mark.parametrize("case", ["xxe", "malformed", "unknown_recipient", "checksum_mismatch", "unsigned",
                                  "duplicate_document_id", "sender_mismatch"])
def test_bad_envelopes_are_refused_with_a_02_status_and_nothing_is_registered(province, actors, key, case):
    _peer(code=province.sxd.code)
    env = _envelope_from_sxd(province, actors, key)
    sender = province.sxd.code
    if case == "xxe":
        body = XXE
    elif case == "malformed":
        body = b"<edXML><unclosed>"
    elif case == "unknown_recipient":
        env.recipients = [edxml.Organ("000.00.55.H14", "Không phải ở đây")]
        body = edxml.build(env)
    elif case == "checksum_mismatch":
        digest = edxml.parse(edxml.build(env)).attachments[0].description
        body = edxml.build(env).replace(digest.encode(), b"sha256:" + b"0" * 64)
    elif case == "unsigned":
        from ..signing.samples import make_pdf
        env.attachments = [edxml.Attachment("cv.pdf", make_pdf(1))]
        body = edxml.build(env)
    elif case == "duplicate_document_id":
        assert _post(edxml.build(env), sender).json()["accepted"]
        env.subject = "Một văn bản khác mang cùng DocumentId"
        body = edxml.build(env)
    else:
        env.sender = edxml.Organ(province.stp.code, "Sở Tư pháp")
        body = edxml.build(env)
    before = IncomingDocument.objects.count()
    resp = _post(body, sender)
    assert resp.status_code == 200 and resp.json() == {"accepted": False, "code": case, "document": None} or \
        (case in ("xxe", "malformed") and resp.json()["code"] in ("forbidden_xml", "malformed_xml", "not_edxml"))
    assert IncomingDocument.objects.count() == before
    code, description = _statuses(sender)[-1]
    assert code == "02" and description.startswith(resp.json()["code"])
    assert b"root:" not in bytes(ExchangeMessage.objects.last().payload)


def test_status_messages_recall_and_replacement(province, actors, key, peer_server):
    _peer(endpoint=peer_server.url)
    doc = signed_issued(actors, province.sxd.code, key, [{"OrganId": PEER, "OrganName": "Sở A"}])
    doc_id = OutgoingExchange.objects.get(outgoing=doc).document_id
    rf = {"OrganId": province.sxd.code, "Code": doc.number_symbol, "PromulgationDate": f"{doc.issued_at.astimezone(TZ):%Y/%m/%d}",
          "DocumentId": doc_id}
    for code in ("01", "03", "04"):
        status = edxml.build_status(edxml.StatusMessage(edxml.Organ(PEER, "Sở A"), code, rf))
        assert _post(status, PEER).json() == {"accepted": True, "code": "status", "document": doc.pk}
    seen = exchange_flow.recipient_statuses(actors["clerk"], doc.pk)
    assert seen[PEER]["status"] == "04" and seen[PEER]["history"] == ["01", "03", "04"]
    other = edxml.build_status(edxml.StatusMessage(edxml.Organ(PEER), "03", {**rf, "DocumentId": "x,1/2"}))
    assert _post(other, PEER).status_code == 422                  # about no document of ours
    with pytest.raises(NotAllowed) as err:
        exchange_flow.recall(actors["clerk"], doc.pk, reason="Sai sót")
    assert err.value.code == "role_required"
    exchange_flow.recall(actors["leader"], doc.pk, reason="Sai sót số liệu")
    with pytest.raises(Conflict):
        exchange_flow.recall(actors["leader"], doc.pk, reason="Lần nữa")
    assert _statuses(PEER) == [("13", "Sai sót số liệu")]
    accepted = edxml.build_status(edxml.StatusMessage(edxml.Organ(PEER), "15", rf))
    assert _post(accepted, PEER).status_code == 200
    assert exchange_flow.recipient_statuses(actors["clerk"], doc.pk)[PEER]["status"] == "15"
    # replacement: a new signed document naming the old one
    new = signed_issued(actors, province.sxd.code, key, [{"OrganId": PEER, "OrganName": "Sở A"}], subject="Thay thế")
    draft = approved_draft(actors, province.sxd.code, [{"OrganId": PEER, "OrganName": "Sở A"}], subject="Thay thế")
    sign_and_seal(actors, draft.pk, key)
    replaced = exchange_flow.replace(actors["clerk"], doc.pk, draft.pk)
    assert OutgoingExchange.objects.get(outgoing=doc).replaced_at is not None
    env = edxml.parse(bytes(ExchangeMessage.objects.filter(kind="edoc").last().payload))
    assert env.business_doc_type == exchange_flow.REPLACEMENT and env.response_for["DocumentId"] == doc_id
    assert env.code_number == replaced.number_symbol.split("/")[0] and new.pk != replaced.pk
    with pytest.raises(Conflict):
        exchange_flow.replace(actors["clerk"], doc.pk, new.pk)


def test_the_recipient_answers_a_recall_and_a_replacement_marks_the_old_incoming(province, actors, key):
    _peer(code=province.sxd.code)
    env = _envelope_from_sxd(province, actors, key)
    assert _post(edxml.build(env), province.sxd.code).json()["accepted"]
    incoming = IncomingDocument.objects.get()
    rf = {"OrganId": province.sxd.code, "Code": f"{env.code_number}/{env.code_notation}", "DocumentId": env.document_id,
          "PromulgationDate": f"{env.promulgation_date:%Y/%m/%d}"}
    with pytest.raises(Conflict):
        exchange_flow.answer_recall(actors["other"], incoming.pk, accept=True)
    recall = edxml.build_status(edxml.StatusMessage(edxml.Organ(province.sxd.code), "13", rf, "Sai sót"))
    assert _post(recall, province.sxd.code).json()["code"] == "recall_requested"
    ex = IncomingExchange.objects.get(incoming=incoming)
    assert (ex.recall_state, ex.recall_reason) == (RecallState.REQUESTED, "Sai sót")
    exchange_flow.answer_recall(actors["other"], incoming.pk, accept=False, reason="Đã triển khai")
    assert _statuses(province.sxd.code)[-1] == ("16", "Đã triển khai")
    new = _envelope_from_sxd(province, actors, key, business_doc_type=exchange_flow.REPLACEMENT, response_for=rf)
    new.document_id = ""
    new.__post_init__()
    assert _post(edxml.build(new), province.sxd.code).json()["accepted"]
    ex.refresh_from_db()
    assert ex.replaced_by.document_id == new.document_id


def test_platform_peers_go_through_the_exchange_platform(province, actors, key, settings):
    sim = platform_sim.start({"s1": ("secret-1", [province.sxd.code, province.stp.code]),
                              "s2": ("secret-2", [PEER])})
    try:
        settings.MOTCUA_EXCHANGE = {**settings.MOTCUA_EXCHANGE, "platform_url": sim.url,
                                    "platform_system_id": "s1", "platform_secret": "secret-1"}
        _peer(plugin="platform", endpoint="", secret="")
        signed_issued(actors, province.sxd.code, key, [{"OrganId": PEER, "OrganName": "Sở A"}])
        run_jobs()
        assert ExchangeMessage.objects.get().state == "delivered"
        (held,) = sim.state.messages.values()
        assert (held["to_system"], held["from"], held["messagetype"]) == ("s2", province.sxd.code, "edoc")
        # the peer (system s2) sends us a document for Sở Tư pháp; we pull, take it in, acknowledge
        env = _envelope_from_sxd(province, actors, key, sender=edxml.Organ(PEER, "Sở A"))
        sim.state.messages["m2"] = {"to_system": "s1", "to": province.stp.code, "from": PEER,
                                    "body": edxml.build(env), "messagetype": "edoc", "status": "new"}
        assert poll_once() == {"listed": 1, "accepted": 1, "refused": 0, "errors": 0}
        assert sim.state.messages["m2"]["status"] == "done" and IncomingDocument.objects.count() == 1
        run_jobs()                                    # 01 and 03 back through the platform, in order
        back = [m for k, m in sim.state.messages.items() if k != "m2" and m["messagetype"] == "status"]
        assert [edxml.parse_status(m["body"]).status_code for m in back] == ["01", "03"]
        settings.MOTCUA_EXCHANGE = {**settings.MOTCUA_EXCHANGE, "platform_secret": "wrong"}
        assert poll_once()["errors"] == 1
    finally:
        sim.stop()


def test_only_administrators_set_peers(actors):
    with pytest.raises(NotAllowed) as err:
        exchange_flow.set_peer(actors["clerk"], PEER, name="Sở A", plugin="direct", endpoint="http://x", secret="s" * 20)
    assert err.value.code == "role_required"
    with pytest.raises(ValidationFailed):
        exchange_flow.set_peer(actors["admin"], PEER, name="Sở A", plugin="direct", endpoint="http://x", secret="short")
    peer = exchange_flow.set_peer(actors["admin"], PEER.lower(), name="Sở A", plugin="platform")
    assert (peer.code, peer.plugin) == (PEER, "platform") and json.dumps(peer.name, ensure_ascii=False)
