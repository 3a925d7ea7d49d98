"""Issue 13 leftover: a document has one history. The exchange acts (sent, status received, recall, replacement;
on the receiving side the registration on receipt, the status messages queued back, the recall asked and
answered, processing) are events of the document itself (DocumentEvent), written in the act's transaction, one
per act, in order; ExchangeEvent keeps only what is no act on one of our documents."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.documents import edxml, exchange_flow, services
from motcua.documents.models import DocumentEvent, ExchangeEvent, IncomingDocument, OutgoingExchange
from motcua.worktime import TZ

from .exchange_helpers import approved_draft, sign_and_seal, signed_issued
from ..signing.conftest import pki  # noqa: F401 (the session's local test PKI)
from .test_exchange_transport import PEER, _envelope_from_sxd, _peer, _post, key, peer_server  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=False)


def _history(actor, **doc):
    return [(e.action, e.data) for e in services.history(actor, **doc)]


def test_the_senders_document_shows_its_exchange_acts_in_order(province, actors, key, peer_server):  # noqa: F811
    _peer(endpoint=peer_server.url)
    doc = signed_issued(actors, province.sxd.code, key, [{"OrganId": PEER, "OrganName": "Sở A"}])
    doc_id = OutgoingExchange.objects.get(outgoing=doc).document_id
    rf = {"OrganId": province.sxd.code, "Code": doc.number_symbol,
          "PromulgationDate": f"{doc.issued_at.astimezone(TZ):%Y/%m/%d}", "DocumentId": doc_id}
    for code in ("01", "03"):
        _post(edxml.build_status(edxml.StatusMessage(edxml.Organ(PEER, "Sở A"), code, rf, "ok")), PEER)
    exchange_flow.recall(actors["leader"], doc.pk, reason="Sai sót số liệu")
    _post(edxml.build_status(edxml.StatusMessage(edxml.Organ(PEER), "15", rf)), PEER)
    draft = approved_draft(actors, province.sxd.code, [{"OrganId": PEER, "OrganName": "Sở A"}], subject="Thay thế")
    sign_and_seal(actors, draft.pk, key)
    new = exchange_flow.replace(actors["clerk"], doc.pk, draft.pk)

    events = services.history(actors["clerk"], outgoing_id=doc.pk)
    acts = [(e.action, e.actor_name) for e in events]
    issue = acts.index(("issue", actors["clerk"].username))
    assert acts[issue:] == [("issue", actors["clerk"].username),
                            ("sent", actors["clerk"].username), ("status_received", PEER),
                            ("status_received", PEER), ("recalled", actors["leader"].username),
                            ("status_received", PEER), ("replaced", actors["clerk"].username)]
    data = [e.data for e in events[issue:]]
    assert data[1] == {"document_id": doc_id, "recipients": [PEER], "replaces": None}
    assert [d["status"] for d in data if "status" in d] == ["01", "03", "15"]
    assert data[4]["reason"] == "Sai sót số liệu" and data[4]["recipients"] == [PEER]
    assert data[6]["replaced_by"] == new.pk
    new_acts = [e.action for e in services.history(actors["clerk"], outgoing_id=new.pk)]
    assert new_acts[-2:] == ["issue", "sent"]
    assert services.history(actors["clerk"], outgoing_id=new.pk)[-1].data["replaces"] == doc_id
    # the API shows the same one history
    client = Client()
    client.force_login(get_user_model().objects.get(pk=actors["clerk"].user_id))
    api = client.get(f"/api/v1/documents/outgoing/{doc.pk}/").json()
    assert [e["action"] for e in api["events"]][issue:] == [a for a, _n in acts[issue:]]
    assert not ExchangeEvent.objects.exclude(action="peer_set").exists()


def test_the_recipients_document_shows_receipt_statuses_and_recall_in_order(province, actors, key):  # noqa: F811
    _peer(code=province.sxd.code)
    env = _envelope_from_sxd(province, actors, key)
    assert _post(edxml.build(env), province.sxd.code).json()["accepted"]
    incoming = IncomingDocument.objects.get()
    services.assign(actors["other"], incoming.pk, lead_unit_code=province.stp.code, working_days=2)
    exchange_flow.start_processing(actors["other"], incoming.pk)
    rf = {"OrganId": province.sxd.code, "Code": f"{env.code_number}/{env.code_notation}",
          "DocumentId": env.document_id, "PromulgationDate": f"{env.promulgation_date:%Y/%m/%d}"}
    _post(edxml.build_status(edxml.StatusMessage(edxml.Organ(province.sxd.code), "13", rf, "Sai sót")),
          province.sxd.code)
    exchange_flow.answer_recall(actors["other"], incoming.pk, accept=True, reason="Đồng ý")

    history = _history(actors["other"], incoming_id=incoming.pk)
    assert [a for a, _d in history] == ["register", "assign", "in_progress", "recall_requested", "recall_accepted"]
    register, assign, in_progress, requested, accepted = (d for _a, d in history)
    assert (register["via"], register["status_sent"], register["document_id"]) == \
        ("direct", ["01", "03"], env.document_id)
    assert assign["status_sent"] == "04" and in_progress["status_sent"] == "05"
    assert requested["reason"] == "Sai sót" and accepted["status_sent"] == "15"
    assert DocumentEvent.objects.filter(incoming=incoming, action="recall_requested").get().actor_name == \
        province.sxd.code
    assert not ExchangeEvent.objects.exists()


def test_a_refused_envelope_is_no_document_act_and_stays_an_exchange_fact(province, actors, key):  # noqa: F811
    _peer()
    body = edxml.build(_envelope_from_sxd(province, actors, key))
    assert _post(body, PEER).json() == {"accepted": False, "code": "sender_mismatch", "document": None}
    assert not IncomingDocument.objects.exists()
    assert list(ExchangeEvent.objects.values_list("action", flat=True)) == ["refused"]
