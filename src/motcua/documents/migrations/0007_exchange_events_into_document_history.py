"""The exchange acts on a document (sent, status received, recall, answers, processing, receipt) now write the
document's own history (DocumentEvent). The rows written before into ExchangeEvent are copied there and removed
from ExchangeEvent, which keeps what is no act on one of our documents (peer_set, refused, refused_by_peer)."""
from django.conf import settings
from django.db import migrations

OUTGOING = {"sent": "sent", "replaced": "sent", "status": "status_received", "recalled": "recalled"}
INCOMING = {"received": "received", "recall_requested": "recall_requested", "recall_accepted": "recall_accepted",
            "recall_refused": "recall_refused", "in_progress": "in_progress"}


def forwards(apps, schema_editor):
    ExchangeEvent = apps.get_model("documents", "ExchangeEvent")
    DocumentEvent = apps.get_model("documents", "DocumentEvent")
    OutgoingExchange = apps.get_model("documents", "OutgoingExchange")
    IncomingExchange = apps.get_model("documents", "IncomingExchange")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    users = {}
    copied, rows = [], []
    for ev in ExchangeEvent.objects.filter(action__in=[*OUTGOING, *INCOMING]).order_by("id").iterator():
        target = {}
        if ev.action in OUTGOING:
            ex = OutgoingExchange.objects.filter(document_id=ev.document_id, outgoing__agency_id=ev.agency_id).first()
            if ex is not None:
                target = {"outgoing_id": ex.outgoing_id}
        else:
            ex = IncomingExchange.objects.filter(document_id=ev.document_id, incoming__agency_id=ev.agency_id).first()
            if ex is not None:
                target = {"incoming_id": ex.incoming_id}
        if not target:
            continue                      # no such document here: the row stays an exchange fact
        action = (OUTGOING if ev.action in OUTGOING else INCOMING)[ev.action]
        data = {"document_id": ev.document_id, **(ev.details or {})}
        if ev.action == "status":
            data["recipient"] = ev.actor
        if ev.actor not in users:
            users[ev.actor] = User.objects.filter(username=ev.actor).values_list("pk", flat=True).first()
        rows.append(DocumentEvent(action=action, actor_id=users[ev.actor], actor_name=ev.actor, at=ev.at, data=data,
                                  **target))
        copied.append(ev.pk)
    DocumentEvent.objects.bulk_create(rows, batch_size=500)
    ExchangeEvent.objects.filter(pk__in=copied).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_retention_defaults")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
