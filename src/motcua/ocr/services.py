"""The only module that changes OCR jobs. Each change is one transaction: enqueue (with the worker's job
row), start, progress, finish/fail, the password retry, and the sweep of jobs whose worker died. A counter
scan's request and outcome are each one event in the dossier's history; the searchable PDF/A becomes a new
attachment of the same component (the original is kept).

Who may see a job: for a counter scan, the staff whose scope covers the dossier (its agency or the intake
point); for a bulk upload, only the officer who uploaded it. Anyone else gets 404."""
import hashlib
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed

from . import engine
from .models import OcrJob, State
from .signals import ocr_done

log = logging.getLogger("motcua.ocr")
SYSTEM_NAME = "Hệ thống (số hóa OCR)"
OCR_TYPES = ("application/pdf", "image/jpeg", "image/png")


# ---------------------------------------------------------------- reading

def visible_jobs(actor, qs=None):
    qs = OcrJob.objects.all() if qs is None else qs
    if actor.user_id is None or not actor.is_staff_member:
        return qs.none()
    mine = Q(attachment__isnull=True, uploaded_by_id=actor.user_id)
    return qs.filter(mine | (Q(attachment__isnull=False)
                             & actor.scope_q("attachment__dossier__agency_path", "attachment__dossier__intake_path")))


def get_for(actor, job_id):
    job = visible_jobs(actor).select_related("agency", "attachment", "result_attachment").filter(pk=job_id).first() \
        if str(job_id).isdigit() else None
    if job is None:
        raise NotFound(_("Không tìm thấy yêu cầu số hóa."), code="ocr_job_not_found", details={"id": str(job_id)})
    return job


def text_of(attachment) -> str:
    """The OCR text of the latest finished ("done") job of this attachment (the scan read, or the searchable
    PDF it became); '' when there is none."""
    pk = getattr(attachment, "pk", attachment)
    job = (OcrJob.objects.filter(Q(attachment_id=pk) | Q(result_attachment_id=pk), state=State.DONE)
           .order_by("-finished_at", "-id").first())
    return job.text if job else ""


def jobs_of_dossier(dossier):
    return OcrJob.objects.filter(attachment__dossier=dossier).order_by("-created_at", "-id")


# ---------------------------------------------------------------- enqueue

def _enqueue(job):
    from .tasks import read_scan
    read_scan.enqueue(job.pk)


@transaction.atomic
def enqueue_attachment(actor, attachment_id, now=None):
    """Counter scan: OCR a component's scanned attachment. Same rule as attaching a component (role, scope,
    open dossier); an open job of the same attachment is returned instead of a second one."""
    from motcua.dossiers import history
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.models import Attachment, AttachmentKind, Dossier

    now = now or timezone.now()
    att = Attachment.objects.filter(pk=attachment_id).first() if str(attachment_id).isdigit() else None
    d = Dossier.objects.select_for_update().select_related("agency").filter(pk=att.dossier_id).first() if att else None
    if d is None or not (actor.covers(d.agency_path) or actor.covers(d.intake_path)):
        raise NotFound(_("Không tìm thấy tệp."), code="attachment_not_found", details={"id": str(attachment_id)})
    if dossiers._permission_problem(actor, d, "attach_component") is not None:
        raise NotAllowed(_("Bạn không có vai trò phù hợp để số hóa thành phần hồ sơ này."), code="not_allowed")
    if d.status not in dossiers.EXTRA_RULES["attach_component"].from_statuses:
        raise Conflict(_("Hồ sơ đã đóng; không số hóa thêm."), code="invalid_transition", details={"status": d.status})
    if att.kind != AttachmentKind.COMPONENT or att.component_id is None:
        raise ValidationFailed(_("Chỉ số hóa tệp quét của một thành phần hồ sơ."), code="ocr_not_a_component_scan")
    if att.content_type not in OCR_TYPES:
        raise ValidationFailed(_("Chỉ số hóa tệp PDF, JPEG hoặc PNG."), code="ocr_type_not_supported",
                               details={"type": att.content_type})
    if not att.available:
        raise Conflict(_("Tệp đang chờ quét virus."), code="attachment_not_available")
    if OcrJob.objects.filter(result_attachment=att).exists():
        raise ValidationFailed(_("Tệp này đã là bản số hóa (PDF/A có lớp chữ)."), code="ocr_already_searchable")
    open_job = OcrJob.objects.filter(attachment=att, state__in=(State.QUEUED, State.RUNNING)).first()
    if open_job:
        return open_job
    job = OcrJob.objects.create(agency=d.agency, attachment=att, uploaded_by_id=actor.user_id,
                                input_name=att.filename, input_type=att.content_type, input_size=att.size,
                                input_sha256=att.sha256, language="+".join(engine.conf("languages")),
                                created_at=now)
    history.append(d, at=now, actor_id=actor.user_id, actor_name=actor.username, action="ocr_requested",
                   status_before=d.status, status_after=d.status,
                   data={"ocr_job": job.pk, "attachment": att.pk, "sha256": att.sha256})
    _enqueue(job)
    return job


def bulk_agencies(actor):
    """The agencies an officer may file bulk scans under: where they hold a staff role."""
    from motcua.agencies.models import Agency
    return Agency.objects.filter(memberships__user_id=actor.user_id).distinct().order_by("name") \
        if actor.user_id else Agency.objects.none()


def enqueue_upload(actor, agency_id, filename, content, now=None):
    """Bulk scanning: one file (image or PDF) becomes one job of the officer and the agency. The file goes
    through the full upload inspection (motcua.dossiers.uploads, ClamAV included) before anything is stored."""
    from motcua.dossiers.uploads import inspect

    agency = bulk_agencies(actor).filter(pk=agency_id).first() if str(agency_id).isdigit() else None
    if agency is None:
        raise NotFound(_("Không tìm thấy cơ quan."), code="agency_not_found", details={"id": str(agency_id)})
    checked = inspect(filename, content)
    now = now or timezone.now()
    fields = dict(agency=agency, uploaded_by_id=actor.user_id, input_name=checked.filename,
                  input_type=checked.content_type, input_size=checked.size, input_sha256=checked.sha256,
                  language="+".join(engine.conf("languages")), created_at=now)
    if checked.content_type not in OCR_TYPES:   # a DOCX: listed with its state, nothing stored, nothing run
        return OcrJob.objects.create(state=State.UNSUPPORTED, reason="file_type_not_supported", finished_at=now,
                                     warnings=[{"code": "file_type_not_supported", "type": checked.kind}], **fields)
    if checked.scan == "pending":
        raise Conflict(_("Chưa quét virus được (máy quét không sẵn sàng); hãy thử lại sau."),
                       code="scanner_unavailable", details={"filename": checked.filename})
    with transaction.atomic():
        job = OcrJob(**fields)
        job.input_file.save(checked.filename, ContentFile(content), save=False)
        try:
            job.save(force_insert=True)
            _enqueue(job)
        except Exception:
            job.input_file.delete(save=False)
            raise
    return job


@transaction.atomic
def supply_password(actor, job_id, password, now=None):
    """A job that stopped at "needs_password" is retried once with the officer's password. The password is
    never stored: the file is decrypted here and the decrypted copy becomes the job's input."""
    job = get_for(actor, job_id)
    job = OcrJob.objects.select_for_update().get(pk=job.pk)
    if job.state != State.NEEDS_PASSWORD:
        raise Conflict(_("Yêu cầu này không chờ mật khẩu."), code="ocr_not_waiting_for_password",
                       details={"state": job.state})
    if not password:
        raise ValidationFailed(_("Hãy nhập mật khẩu của tệp PDF."), code="password_required",
                               details={"field": "password"})
    try:
        prepared = engine.prepare(read_input(job), password)
    except engine.Stop as stop:
        if stop.outcome.reason == "wrong_password":
            raise ValidationFailed(_("Mật khẩu không đúng."), code="wrong_password", details={"field": "password"}) \
                from None
        raise ValidationFailed(_("Không đọc được tệp."), code=stop.outcome.reason) from None
    old = job.input_file.name if job.input_file else ""
    job.input_sha256 = hashlib.sha256(prepared.data).hexdigest()
    job.input_file.save(job.input_name, ContentFile(prepared.data), save=False)
    job.input_size = len(prepared.data)
    job.state, job.reason, job.warnings, job.pages_done = State.QUEUED, "", [], 0
    job.save()
    if old and old != job.input_file.name:
        transaction.on_commit(lambda: job.input_file.storage.delete(old))
    _enqueue(job)
    return job


# ---------------------------------------------------------------- the worker's side

def read_input(job):
    f = job.input_file if job.input_file else job.attachment.file
    with f.open("rb") as fh:
        return fh.read()


@transaction.atomic
def start(job_id, now=None):
    """Claim a queued job for this run; None when it is not queued any more (never read twice)."""
    job = OcrJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state != State.QUEUED:
        return None
    job.state, job.started_at, job.pages_done = State.RUNNING, now or timezone.now(), 0
    job.attempts += 1
    job.save(update_fields=["state", "started_at", "pages_done", "attempts"])
    return job


def progress(job_id, pages_done):
    with transaction.atomic():
        OcrJob.objects.filter(pk=job_id, state=State.RUNNING).update(pages_done=pages_done)


@transaction.atomic
def finish(job_id, outcome, now=None):
    """Record an outcome (engine.Outcome) of a running job: its state, text, PDF/A, warnings and timings; a
    counter scan's PDF/A becomes the component's attachment, with one event in the dossier's history."""
    now = now or timezone.now()
    job = OcrJob.objects.select_for_update().select_related("agency").filter(pk=job_id).first()
    if job is None or job.state != State.RUNNING:
        return job
    job.state, job.reason = outcome.state, outcome.reason
    job.text = outcome.text if outcome.state == State.DONE else ""
    job.pages_total = outcome.pages_total or job.pages_total
    if outcome.state in (State.DONE, State.BLANK):
        job.pages_done = job.pages_total
    job.rotations, job.warnings = outcome.rotations, outcome.warnings
    job.confidence, job.dpi, job.duration_ms, job.finished_at = outcome.confidence, outcome.dpi, outcome.duration_ms, now
    if outcome.detail:
        log.warning("ocr job %s: %s %s", job.pk, outcome.reason, outcome.detail)
    stored = []
    if outcome.state == State.DONE and outcome.output:
        job.output_file.save(_output_name(job), ContentFile(outcome.output), save=False)
        stored.append(job.output_file.name)
    try:
        if job.attachment_id:
            _record_on_dossier(job, outcome, now)
        job.save()
    except Exception:
        for name in stored:
            job.output_file.storage.delete(name)
        raise
    if job.state == State.DONE:
        transaction.on_commit(lambda: ocr_done.send(sender=OcrJob, job=job))
    return job


def _output_name(job):
    base = job.input_name.rsplit(".", 1)[0] or "ban-so-hoa"
    return f"{base[:100]}-ocr.pdf"


def _record_on_dossier(job, outcome, now):
    from motcua.dossiers import history
    from motcua.dossiers.models import Attachment, Dossier
    from motcua.dossiers.uploads import inspect

    src = job.attachment
    d = Dossier.objects.select_for_update().get(pk=src.dossier_id)
    data = {"ocr_job": job.pk, "attachment": src.pk, "state": job.state, "reason": job.reason,
            "pages": job.pages_total}
    if job.state == State.DONE and outcome.output:
        checked = inspect(_output_name(job), outcome.output)
        att = Attachment(dossier=d, component_id=src.component_id, kind=src.kind, filename=checked.filename,
                         content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                         uploaded_by_id=job.uploaded_by_id, uploaded_at=now, scan=checked.scan,
                         scanned_at=now if checked.scan == "clean" else None)
        att.file.save(checked.filename, ContentFile(outcome.output), save=False)
        att.save(force_insert=True)
        job.result_attachment = att
        data.update(result_attachment=att.pk, sha256=att.sha256)
    history.append(d, at=now, actor_id=None, actor_name=SYSTEM_NAME, action="ocr_finished",
                   status_before=d.status, status_after=d.status, data=data)


def fail(job_id, reason, detail=""):
    return finish(job_id, engine.Outcome(state=State.FAILED, reason=reason, detail=detail))


def run(job_id):
    """The worker's task: start, read, finish. Whatever happens the job ends in a final state."""
    job = start(job_id)
    if job is None:
        return None
    try:
        prepared = engine.prepare(read_input(job))
        OcrJob.objects.filter(pk=job_id).update(pages_total=prepared.pages)
        outcome = engine.run(prepared, on_progress=lambda n: progress(job_id, min(n, prepared.pages)))
    except engine.Stop as stop:
        outcome = stop.outcome
    except Exception as exc:   # noqa: BLE001 - the job must end, whatever broke
        log.exception("ocr job %s failed", job_id)
        outcome = engine.Outcome(state=State.FAILED, reason="ocr_error", detail=type(exc).__name__)
    try:
        job = finish(job_id, outcome)
    except Exception:   # noqa: BLE001 - e.g. the PDF/A refused by the upload inspection
        log.exception("ocr job %s: recording the result failed", job_id)
        job = fail(job_id, "result_not_stored")
    return job.state if job else None


def sweep(now=None):
    """Jobs left "running" by a worker that died (kill -9, power loss) end as failed (worker_lost) once the
    time limit has passed twice over; the officer can upload again. Returns how many."""
    now = now or timezone.now()
    limit = timedelta(seconds=2 * engine.conf("time_limit_seconds") + 60)
    lost = list(OcrJob.objects.filter(state=State.RUNNING, started_at__lt=now - limit).values_list("pk", flat=True))
    for pk in lost:
        fail(pk, "worker_lost")
    return len(lost)
