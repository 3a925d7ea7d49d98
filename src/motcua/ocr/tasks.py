"""The OCR job of the background worker (django-tasks, django-tasks-db: enqueued in the act's transaction)."""
from django_tasks import task


@task()
def read_scan(job_id):
    """OCR one job (motcua.ocr.services.run)."""
    from .services import run
    return run(job_id)
