"""Quarantine: files stored while the virus scanner was unavailable (Attachment.scan = "pending") are
scanned again here. Each outcome is one transaction with one history event on the dossier
("attachment_scanned"), recorded by the system."""
from django.db import transaction
from django.utils import timezone

from . import clamav, history
from .models import Attachment, Dossier, ScanState

SYSTEM_NAME = "Hệ thống (quét virus)"


def _record(att, verdict, now):
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=att.dossier_id)
        att = Attachment.objects.select_for_update().get(pk=att.pk)
        if att.scan != ScanState.PENDING:
            return att
        att.scan = ScanState.CLEAN if verdict.state == "clean" else ScanState.INFECTED
        att.scan_signature = verdict.signature[:200]
        att.scanned_at = now
        if att.scan == ScanState.INFECTED:
            att.file.delete(save=False)
            att.file = ""
        att.save(update_fields=["scan", "scan_signature", "scanned_at", "file"])
        history.append(dossier, at=now, actor_id=None, actor_name=SYSTEM_NAME, action="attachment_scanned",
                       status_before=dossier.status, status_after=dossier.status,
                       data={"attachment": att.pk, "scan": att.scan, "signature": att.scan_signature,
                             "sha256": att.sha256})
    return att


def rescan_pending(now=None):
    """Scan every quarantined file. Returns counts {"clean", "infected", "pending"}."""
    counts = {"clean": 0, "infected": 0, "pending": 0}
    for att in Attachment.objects.filter(scan=ScanState.PENDING).order_by("pk"):
        with att.file.open("rb") as fh:
            data = fh.read()
        verdict = clamav.scan(data)
        if verdict.state not in ("clean", "infected"):
            counts["pending"] += 1
            continue
        _record(att, verdict, now or timezone.now())
        counts[verdict.state] += 1
    return counts
