"""The data migrations of the issue 13 leftovers, on rows as the earlier code wrote them: the exchange events of
a document move into its history (0007); a peer's secret in clear text is encrypted (0008)."""
from importlib import import_module

from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from motcua.documents.models import (DocumentEvent, DocumentType, ExchangeEvent, ExchangePeer, IncomingDocument,
                                     IncomingExchange, OutgoingDocument, OutgoingExchange, RegisterKind)
from motcua.documents.services import _org, allocate_number

m0007 = import_module("motcua.documents.migrations.0007_exchange_events_into_document_history")
m0008 = import_module("motcua.documents.migrations.0008_exchange_peer_secret_encrypted")


def _docs(province):
    now = timezone.now()
    org = _org(province.sxd.code)
    out = OutgoingDocument.objects.create(agency=org, doc_type=DocumentType.objects.first(), subject="A",
                                          secrecy="thuong", status="issued", created_at=now, issued_at=now)
    OutgoingExchange.objects.create(outgoing=out, document_id="X,2026/01/02,1/SXD")
    register, number = allocate_number(org, RegisterKind.INCOMING, 2026)
    inc = IncomingDocument.objects.create(agency=org, register=register, arrival_number=number,
                                          arrival_date=now.date(), received_at=now, sender_name="B",
                                          number_symbol="2/B", issued_date=now.date(), subject="B", secrecy="thuong",
                                          document_id="Y,2026/01/02,2/B")
    IncomingExchange.objects.create(incoming=inc, sender_code="000.00.99.H14", document_id=inc.document_id,
                                    envelope_sha256="0" * 64)
    return org, out, inc


def test_0007_moves_the_document_acts_into_the_documents_history_and_keeps_the_rest(province, actors):
    org, out, inc = _docs(province)
    t = timezone.now()
    rows = [("sent", "X,2026/01/02,1/SXD", "vanthu", {"recipients": ["000.00.99.H14"], "replaces": None}),
            ("status", "X,2026/01/02,1/SXD", "000.00.99.H14", {"status": "03"}),
            ("received", "Y,2026/01/02,2/B", "lien-thong", {"via": "direct", "arrival_number": 1}),
            ("recall_requested", "Y,2026/01/02,2/B", "000.00.99.H14", {"reason": "Sai"}),
            ("refused", "Z", "lien-thong", {"code": "unsigned"}), ("peer_set", "000.00.99.H14", "quantri", {}),
            ("status", "unknown,1", "000.00.99.H14", {"status": "01"})]
    for i, (action, doc_id, actor, details) in enumerate(rows):
        ExchangeEvent.objects.create(agency=org, action=action, document_id=doc_id, actor=actor, details=details,
                                     at=t + timezone.timedelta(seconds=i))
    m0007.forwards(apps, connection.schema_editor())
    assert [(e.action, e.actor_name, e.data) for e in DocumentEvent.objects.filter(outgoing=out)] == [
        ("sent", "vanthu", {"document_id": "X,2026/01/02,1/SXD", "recipients": ["000.00.99.H14"], "replaces": None}),
        ("status_received", "000.00.99.H14", {"document_id": "X,2026/01/02,1/SXD", "status": "03",
                                              "recipient": "000.00.99.H14"})]
    assert DocumentEvent.objects.get(outgoing=out, action="sent").actor_id == actors["clerk"].user_id
    assert [e.action for e in DocumentEvent.objects.filter(incoming=inc)] == ["received", "recall_requested"]
    assert sorted(ExchangeEvent.objects.values_list("action", flat=True)) == ["peer_set", "refused", "status"]


def test_0008_encrypts_the_secrets_written_in_clear_text(province):
    ExchangePeer.objects.create(code="000.00.99.H14", name="A", plugin="direct", endpoint="http://x/")
    ExchangePeer.objects.create(code="000.00.98.H14", name="B", plugin="platform")
    with connection.cursor() as cur:                # what the earlier code stored
        cur.execute("UPDATE documents_exchangepeer SET secret = %s WHERE code = %s",
                    ["a-shared-secret-in-clear-text", "000.00.99.H14"])
    before = MigrationLoader(connection).project_state(("documents", "0007_exchange_events_into_document_history"))
    m0008.encrypt_existing(before.apps, connection.schema_editor())
    m0008.encrypt_existing(before.apps, connection.schema_editor())          # idempotent
    with connection.cursor() as cur:
        cur.execute("SELECT code, secret FROM documents_exchangepeer ORDER BY code")
        stored = dict(cur.fetchall())
    assert stored["000.00.98.H14"] == "" and stored["000.00.99.H14"].startswith("fernet:")
    assert "clear-text" not in stored["000.00.99.H14"]
    assert ExchangePeer.objects.get(code="000.00.99.H14").secret == "a-shared-secret-in-clear-text"
    m0008.decrypt_existing(before.apps, connection.schema_editor())          # the way back
    with connection.cursor() as cur:
        cur.execute("SELECT secret FROM documents_exchangepeer WHERE code = %s", ["000.00.99.H14"])
        assert cur.fetchone()[0] == "a-shared-secret-in-clear-text"
