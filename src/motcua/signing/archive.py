"""Long-term archive of signed files: before the certificate of a file's last timestamp expires, add a new
document timestamp (PAdES B-LTA) with fresh validation data, and record it.

    extend_archive(before_days=N)   (motcua signing extend [--before-days N])

Each signed PDF attachment whose last timestamp (its newest document timestamp, else its newest signature
timestamp) is protected by a TSA certificate that expires within N days gets:
1. the validation data of every signature (first time only) and of the previous timestamp, fetched now;
2. a new document timestamp over the whole file.

The update is incremental, so the file as it was is the first `input_size` bytes of the new one, and every
earlier signature still verifies. The attachment row keeps pointing at the current file (size and sha256
updated); each extension is an `ArchiveTimestamp` row. Files with no timestamp at all (B-B) cannot be
extended and are reported. Rows already protected beyond the window are not read again.
"""
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .models import ArchiveTimestamp

RETRY_AFTER = timedelta(days=7)


def _protected_until(pdf_bytes):
    from . import pdf
    last = pdf.last_timestamp(pdf_bytes)
    if last is None:
        return None, None
    when, cert = last
    return when, cert["tbs_certificate"]["validity"]["not_after"].native


def extend_archive(*, before_days=None, now=None, limit=None):
    """Re-timestamp the signed PDF attachments whose last timestamp expires within `before_days`
    (MOTCUA_SIGNING_ARCHIVE_BEFORE_DAYS). Returns {"checked", "extended": [...], "no_timestamp": [...],
    "tsa_expiring": [...], "failed": [...]} with attachment ids. `tsa_expiring`: the new timestamp's own
    certificate expires within the window too (the TSA needs a newer certificate); such a file is tried
    again after RETRY_AFTER, not on every run."""
    from django.core.files.base import ContentFile
    from django.db.models import Max

    from motcua.dossiers.models import Attachment

    from . import pdf, services

    now = now or timezone.now()
    days = settings.MOTCUA_SIGNING_ARCHIVE_BEFORE_DAYS if before_days is None else before_days
    horizon = now + timedelta(days=days)
    qs = (Attachment.objects.filter(signed=True, content_type="application/pdf")
          .annotate(until=Max("archive_timestamps__protected_until"))
          .filter(models.Q(until__isnull=True) | models.Q(until__lte=horizon)).order_by("id"))
    if limit:
        qs = qs[:limit]
    result = {"checked": 0, "extended": [], "no_timestamp": [], "tsa_expiring": [], "failed": []}
    for att in qs:
        result["checked"] += 1
        last_rec = att.archive_timestamps.first()
        if (last_rec is not None and last_rec.previous_until and last_rec.protected_until <= last_rec.previous_until
                and last_rec.created_at > now - RETRY_AFTER):
            # the last extension gained nothing: the TSA's own certificate expires too soon. An operator must
            # configure a TSA with a newer certificate; until then re-timestamping again would not help, so
            # it is tried again only after RETRY_AFTER
            result["tsa_expiring"].append(att.pk)
            continue
        with att.file.open("rb") as fh:
            content = fh.read()
        if hashlib.sha256(content).hexdigest() != att.sha256:
            result["failed"].append({"attachment": att.pk, "code": "file_changed"})
            continue
        _, previous = _protected_until(content)
        if previous is None:
            result["no_timestamp"].append(att.pk)
            continue
        if previous > horizon:
            continue
        try:
            extended = pdf.extend_pdf(content, tsa_url=settings.MOTCUA_SIGNING_TSA_URL,
                                      trust_roots=services.trust_roots())
        except pdf.SigningFailed as e:
            result["failed"].append({"attachment": att.pk, "code": e.code, "message": str(e)})
            continue
        if not extended.startswith(content):   # never lose a byte of what was signed
            result["failed"].append({"attachment": att.pk, "code": "not_incremental"})
            continue
        when, until = _protected_until(extended)
        last = pdf.last_timestamp(extended)
        digest = hashlib.sha256(extended).hexdigest()
        with transaction.atomic():
            locked = Attachment.objects.select_for_update().get(pk=att.pk)
            if locked.sha256 != att.sha256:      # changed meanwhile: next run
                continue
            locked.file.save(locked.filename, ContentFile(extended), save=False)
            locked.size, locked.sha256 = len(extended), digest
            locked.save(update_fields=["file", "size", "sha256"])
            ArchiveTimestamp.objects.create(
                attachment=locked, input_sha256=att.sha256, input_size=len(content), output_sha256=digest,
                timestamp_at=when, authority=last[1].subject.human_friendly[:300], protected_until=until,
                previous_until=previous, created_at=now)
        result["extended"].append({"attachment": att.pk, "timestamp": when, "protected_until": until,
                                   "previous_until": previous})
        if until <= horizon:
            result["tsa_expiring"].append(att.pk)
    return result
