"""`ocr_done(sender=OcrJob, job=job)`: sent after the commit of a job that ended "done", so the citizen data
store and the search index can pick up `job.text` (wired by their apps)."""
from django.dispatch import Signal

ocr_done = Signal()
