"""OCRmyPDF plugin loaded by motcua.ocr.runner: reports each page read ("OCR" step) as one JSON line on
the runner's stdout, which the worker turns into OcrJob.pages_done."""
import json
import sys

from ocrmypdf import hookimpl


class PageProgress:
    def __init__(self, *, total=None, desc=None, unit=None, disable=False, **kwargs):
        self.ocr_step = (desc or "").startswith("OCR")
        self.done = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1, *, completed=None):
        if not self.ocr_step:
            return
        before = int(self.done)
        self.done = float(completed) if completed is not None else self.done + float(n or 0)
        if int(self.done) > before:   # OCRmyPDF reports half pages (image processing, then OCR)
            sys.stdout.write(json.dumps({"pages_done": int(self.done)}) + "\n")
            sys.stdout.flush()


@hookimpl
def get_progressbar_class():
    return PageProgress
