"""Two Motcua instances exchange a signed document over HTTP (issue 13): A (Sở Xây dựng, its own SQLite file,
web server and worker) issues a signed công văn to B (Sở Tư pháp, another file, server and worker); B's
endpoint checks the HMAC, the envelope, the checksums and A's signature, registers it and answers 01/03; B
assigns, starts and completes it (04/05/06); A sees every status of B, in order. Then A recalls it (13) and B
accepts the recall (15), which A sees. Real processes on free loopback ports."""
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from .pair import ISSUE, make_pair

# the two instances keep their own SQLite files whatever the suite's database: run once, in the SQLite pass
pytestmark = pytest.mark.skipif(connection.vendor == "postgresql",
                                reason="two instances with their own SQLite files: run once, in the SQLite pass")

B_FLOW = '''
doc = wait(lambda: IncomingDocument.objects.filter(document_id__endswith=E["NUMBER"]).first())
ex = doc.exchange
services.assign(actor("giamdoc"), doc.pk, lead_unit_code=E["ME_CODE"], working_days=2)
exchange_flow.start_processing(actor("giamdoc"), doc.pk)
services.complete(actor("giamdoc"), doc.pk)
def asked():
    "the recall request on B"
    return IncomingExchange.objects.filter(pk=ex.pk, recall_state="requested").first()
reason = wait(asked).recall_reason
exchange_flow.answer_recall(actor("vanthu"), doc.pk, accept=True, reason="Đồng ý thu hồi")
print("IN=" + json.dumps({"id": doc.pk, "arrival": doc.arrival_number, "sender": doc.sender_code,
                          "number_symbol": doc.number_symbol, "signature": ex.signature, "files": ex.attachments,
                          "recall_reason": reason}, ensure_ascii=False))
'''

A_FLOW = '''
doc = OutgoingDocument.objects.get(pk=int(E["DOC"]))
def seen(last):
    def check():
        "B's statuses on A"
        st = exchange_flow.recipient_statuses(actor("vanthu"), doc.pk)[E["PEER_CODE"]]
        return st if st["history"][-1:] == [last] else None
    return wait(check)
done = seen("06")
exchange_flow.recall(actor("giamdoc"), doc.pk, reason="Sai sót số liệu tại mục 2")
print("SEEN=" + json.dumps([done, seen("15")], default=str, ensure_ascii=False))
'''


def test_a_signed_document_goes_from_a_to_b_and_every_status_comes_back(tmp_path):
    a, b = make_pair(tmp_path)
    try:
        a.start(), b.start()
        a.wait_up(), b.wait_up()
        doc_id = int(a.run(ISSUE).split("IDS=")[1].strip())
        number = "01/SXD"                                 # A's first công văn of the year
        with ThreadPoolExecutor(2) as pool:               # both sides act as the messages arrive
            b_side = pool.submit(b.run, B_FLOW, NUMBER=number)
            a_side = pool.submit(a.run, A_FLOW, DOC=doc_id)
            got, seen = json.loads(b_side.result().split("IN=")[1]), json.loads(a_side.result().split("SEEN=")[1])
        assert (got["sender"], got["number_symbol"], got["arrival"]) == ("000.00.17.H13", number, 1)
        assert got["signature"] and all(v["count"] == 2 for v in got["signature"].values())   # the leader, then the seal
        assert got["files"][0]["name"].endswith(".pdf") and len(got["files"][0]["sha256"]) == 64
        assert got["recall_reason"] == "Sai sót số liệu tại mục 2"
        assert seen[0]["history"] == ["01", "03", "04", "05", "06"] and seen[0]["label"] == "Hoàn thành"
        assert seen[1]["history"] == ["01", "03", "04", "05", "06", "15"]
        outbox = [json.loads(i.cli("exchange", "outbox").stdout) for i in (a, b)]
        assert outbox == [{"delivered": 2}, {"delivered": 6}], outbox     # A: document + recall; B: 6 statuses
    finally:
        a.stop(), b.stop()
