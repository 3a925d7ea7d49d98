"""`motcua worker`: django-tasks-db's worker loop (it claims each job with SELECT ... FOR UPDATE SKIP
LOCKED on PostgreSQL, an exclusive transaction on SQLite), plus a housekeeping thread that sweeps lost
work, when configured polls DVCQG for new dossiers, and runs the periodic jobs: the signed history
checkpoint (every MOTCUA_HISTORY_CHECKPOINT_MINUTES), the cleanup of abandoned online filings (hourly), the
polling of unanswered payment orders (every MOTCUA_PAYMENTS_POLL_EVERY_MINUTES, 33) and the daily
reconciliation of yesterday's payments, and the daily archive warning
(records due for transfer within 30 days, documents/archive.py)."""
import logging
import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from . import delivery, outbox

log = logging.getLogger("motcua.worker")


def make_worker(*, batch=False, interval=0.5, worker_id=None, max_tasks=None):
    return Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default",
                  startup_delay=not batch, max_tasks=max_tasks, worker_id=worker_id or outbox.WORKER_ID,
                  excluded_queue_names=[])


def run_jobs(worker_id=None):
    """Run every job that is ready now, in this process, then return (tests, `motcua worker --batch`).
    The same claim as the worker loop, without its connection recycling (safe inside a transaction)."""
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = make_worker(batch=True, interval=0, worker_id=worker_id)
    ran = 0
    while True:
        tasks = DBTaskResult.objects.ready().filter(backend_name="default")
        with exclusive_transaction(tasks.db):
            job = tasks.get_locked()
            if job is not None:
                job.claim(worker.worker_id)
        if job is None:
            return ran
        worker.run_task(job)
        ran += 1


def periodic_jobs():
    """(name, seconds between runs, function) of the jobs the worker runs on a schedule; 0 seconds: off."""
    from django.conf import settings

    def checkpoint():
        from motcua.dossiers.checkpoints import make_checkpoint
        path = make_checkpoint()
        if path:
            log.info("history checkpoint written: %s", path)

    def cleanup_uploads():
        from motcua.dossiers.uploads import cleanup_pending
        cleanup_pending()

    def payments_poll():
        from .payments import registry as gateways
        if gateways.enabled_identifiers():
            from .payments.services import poll_pending
            from .payments.services import fetch_receipts
            counts = poll_pending()
            if counts:
                log.info("payment orders polled: %s", counts)
            fetch_receipts()

    def payments_receipts():
        from .payments.receipts import render_pending
        done = render_pending()
        if done:
            log.info("payment receipts rendered: %d", done)

    def payments_reconcile():
        from datetime import timedelta

        from django.utils import timezone

        from .payments import registry as gateways
        from .payments.services import reconcile
        yesterday = timezone.localdate() - timedelta(days=1)
        for ident in gateways.enabled_identifiers():
            found = reconcile(ident, yesterday)
            if found:
                log.warning("reconciliation %s %s: %d differences", ident, yesterday, len(found))

    def archive_due():
        from motcua.documents.archive import notify_due
        notify_due()

    def ocr_sweep():
        from motcua.ocr.services import sweep
        sweep()

    def exchange():
        from django.conf import settings as s

        from motcua.documents import transport
        transport.sweep()
        if s.MOTCUA_EXCHANGE["platform_url"]:
            from motcua.documents.contrib.platform import poll_once
            poll_once()

    return [("ocr_sweep", 60, ocr_sweep),
            ("exchange", settings.MOTCUA_EXCHANGE["poll_every_seconds"], exchange),
            ("history_checkpoint", 60 * settings.MOTCUA_HISTORY_CHECKPOINT_MINUTES, checkpoint),
            ("archive_due", 86400, archive_due),
            ("cleanup_uploads", 3600, cleanup_uploads),
            ("payments_poll", 60 * settings.MOTCUA_PAYMENTS["poll_every_minutes"], payments_poll),
            ("payments_receipts", 60, payments_receipts),
            ("payments_reconcile", 86400, payments_reconcile)]


def run_due(jobs, last, now):
    """Run the jobs whose interval has passed since `last[name]`; each failure is logged, never raised."""
    for name, seconds, job in jobs:
        if seconds <= 0 or now - last.get(name, float("-inf")) < seconds:
            continue
        last[name] = now
        try:
            job()
        except Exception:   # noqa: BLE001 - one failing job (a TSA down...) must not stop the others
            log.exception("periodic job %s failed", name)


def housekeeping(stop, every=5.0, poll_every=30.0):
    import time

    from django.conf import settings
    waited = poll_every
    jobs, last = periodic_jobs(), {}
    while not stop.wait(every):
        try:
            close_old_connections()
            delivery.sweep()
            waited += every
            if settings.MOTCUA_DVCQG.get("poll") and waited >= poll_every:
                waited = 0
                from .inbound import poll_once
                poll_once()
            run_due(jobs, last, time.monotonic())
        except Exception:   # noqa: BLE001 - housekeeping must never stop the worker
            log.exception("housekeeping failed")
        finally:
            connection.close()


def serve(interval=0.5, sweep_every=5.0):
    stop = threading.Event()
    helper = threading.Thread(target=housekeeping, args=(stop, sweep_every), daemon=True, name="housekeeping")
    helper.start()
    worker = make_worker(interval=interval)
    worker.configure_signals()
    try:
        worker.run()
    finally:
        stop.set()
