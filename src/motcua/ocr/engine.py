"""Reading a scan: the checks before any pixel is decoded (type, password, page count, pixel count, dpi),
then OCRmyPDF in a child process (motcua.ocr.runner) under a time limit. No database here: the worker
(motcua.ocr.services.run) records what this returns.

Every bad input ends as an `Outcome` with a state and a reason code, never as a stuck job:
- DOCX or anything not PDF/JPEG/PNG: unsupported; a PDF that already has text (born digital): unsupported
  (pdf_has_text), it is searchable as it is;
- a PDF with a user password: needs_password (an owner-only password is removed, the file is read);
- more pages than MOTCUA_OCR["max_pages"] (200): too_large;
- an image over MOTCUA_MAX_IMAGE_PIXELS (read from its header, motcua.dossiers.uploads): too_large;
- an image under MOTCUA_OCR["min_dpi"] (150) dpi, read from the file or, without one, estimated for A4: failed
  (low_resolution); 150-199 dpi: read, with a warning;
- no text on any page: blank (a warning lists blank pages of an otherwise read document);
- a mean word confidence under MOTCUA_OCR["low_confidence"] (wrong language, bad scan): done with a warning;
- over MOTCUA_OCR["time_limit_seconds"]: the child's process group is killed, failed (timeout).
"""
import io
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings

A4_LONG_INCHES = 11.69


def conf(name):
    return settings.MOTCUA_OCR[name]


@dataclass
class Outcome:
    state: str
    reason: str = ""
    text: str = ""
    pages_total: int = 0
    rotations: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    confidence: float | None = None
    dpi: int | None = None
    output: bytes | None = None
    duration_ms: int = 0
    detail: str = ""


@dataclass
class Prepared:
    kind: str
    data: bytes
    pages: int
    dpi: int | None = None
    set_dpi: bool = False
    warnings: list = field(default_factory=list)


class Stop(Exception):
    """The input cannot be read: `outcome` says why."""

    def __init__(self, state, reason, **details):
        super().__init__(reason)
        self.outcome = Outcome(state=state, reason=reason, warnings=[{"code": reason, **details}] if details else [])


def sniff(data):
    from motcua.dossiers.uploads import sniff as sniff_upload
    return sniff_upload(data)


def prepare(data: bytes, password: str | None = None) -> Prepared:
    kind = sniff(data)
    if kind == "pdf":
        return _prepare_pdf(data, password)
    if kind in ("jpeg", "png"):
        return _prepare_image(data, kind)
    raise Stop("unsupported", "file_type_not_supported", type=kind or "unknown")


def _prepare_pdf(data, password):
    import pikepdf
    try:
        pdf = pikepdf.open(io.BytesIO(data), password=password or "")
    except pikepdf.PasswordError:
        raise Stop("needs_password", "wrong_password" if password else "pdf_encrypted") from None
    except Exception as exc:   # noqa: BLE001 - qpdf cannot read it
        raise Stop("failed", "unreadable", detail=type(exc).__name__) from None
    with pdf:
        pages = len(pdf.pages)
        if pages > conf("max_pages"):
            raise Stop("too_large", "too_many_pages", pages=pages, max_pages=conf("max_pages"))
        if pages == 0:
            raise Stop("blank", "no_pages")
        if pdf.is_encrypted:   # opened with the password (or with none: an owner password only): read a copy
            out = io.BytesIO()
            pdf.save(out)
            data = out.getvalue()
    return Prepared(kind="pdf", data=data, pages=pages)


def _prepare_image(data, kind):
    from PIL import Image

    from motcua.core.errors import ValidationFailed
    from motcua.dossiers.uploads import _check_image
    try:
        _check_image("scan", data, kind)   # the pixel count from the header, before anything is decoded
    except ValidationFailed as exc:
        state = "too_large" if exc.code == "image_too_many_pixels" else "failed"
        raise Stop(state, exc.code, **{k: v for k, v in exc.details.items() if k != "filename"}) from None
    with Image.open(io.BytesIO(data)) as im:
        width, height = im.size
        dpi = im.info.get("dpi")
    warnings = []
    file_dpi = round(min(dpi)) if dpi and min(dpi) > 1 else None
    set_dpi = file_dpi is None
    if set_dpi:   # no resolution in the file: as if it were an A4 page
        file_dpi = round(max(width, height) / A4_LONG_INCHES)
    if file_dpi < conf("min_dpi"):
        raise Stop("failed", "low_resolution", dpi=file_dpi, min_dpi=conf("min_dpi"))
    if file_dpi < 200:
        warnings.append({"code": "below_200_dpi", "dpi": file_dpi})
    return Prepared(kind=kind, data=data, pages=1, dpi=file_dpi, set_dpi=set_dpi, warnings=warnings)


def _read_lines(stream, lines):
    for raw in stream:
        lines.put(raw)
    lines.put(None)


def run(prepared: Prepared, on_progress=None) -> Outcome:
    """OCR one prepared input. `on_progress(pages_done)` is called as pages are read."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as work:
        src = os.path.join(work, "input." + {"jpeg": "jpg"}.get(prepared.kind, prepared.kind))
        with open(src, "wb") as fh:
            fh.write(prepared.data)
        out, sidecar, tmp = (os.path.join(work, n) for n in ("output.pdf", "text.txt", "tmp"))
        os.mkdir(tmp)
        order = {"input": src, "output": out, "sidecar": sidecar, "tmp": tmp, "languages": conf("languages"),
                 "rotate_threshold": conf("rotate_threshold"), "page_timeout": conf("page_timeout_seconds"),
                 "max_mpixels": settings.MOTCUA_MAX_IMAGE_PIXELS / 1_000_000,
                 "image_dpi": prepared.dpi if prepared.set_dpi else None}
        result = _child(order, tmp, on_progress)
        elapsed = int((time.monotonic() - started) * 1000)
        if "error" in result:
            state = {"needs_password": "needs_password", "image_too_many_pixels": "too_large",
                     "pdf_has_text": "unsupported"}.get(
                result["error"], "failed")
            return Outcome(state=state, reason=result["error"], detail=result.get("detail", ""),
                           pages_total=prepared.pages, duration_ms=elapsed, dpi=prepared.dpi)
        if result.get("exit") != 0 or not os.path.exists(out):
            return Outcome(state="failed", reason="ocr_error", detail=f"exit {result.get('exit')}",
                           pages_total=prepared.pages, duration_ms=elapsed, dpi=prepared.dpi)
        with open(sidecar, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        with open(out, "rb") as fh:
            output = fh.read()
    return judge(prepared, text, output, result.get("rotations", []), result.get("confidence"), elapsed)


def judge(prepared, text, output, rotations, confidence, elapsed):
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1] if len(pages) > prepared.pages else pages
    blank = [i + 1 for i, t in enumerate(pages) if not t.strip()]
    warnings = list(prepared.warnings)
    state = "done"
    if not text.strip():
        state = "blank"
        warnings.append({"code": "blank", "pages": prepared.pages})
        text = ""
    elif blank:
        warnings.append({"code": "blank_pages", "pages": blank})
    if state == "done" and confidence is not None and confidence < conf("low_confidence"):
        warnings.append({"code": "low_confidence", "confidence": round(confidence, 1),
                         "languages": conf("languages")})
    return Outcome(state=state, reason="blank" if state == "blank" else "", text=text,
                   pages_total=prepared.pages, rotations=rotations, warnings=warnings,
                   confidence=round(confidence, 1) if confidence is not None else None, dpi=prepared.dpi,
                   output=output, duration_ms=elapsed)


def _child(order, tmp, on_progress):
    env = dict(os.environ, TMPDIR=tmp, OMP_THREAD_LIMIT="1")
    proc = subprocess.Popen([sys.executable, "-m", "motcua.ocr.runner"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    proc.stdin.write(json.dumps(order).encode())
    proc.stdin.close()
    lines = queue.Queue()
    threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True).start()
    deadline = time.monotonic() + conf("time_limit_seconds")
    result = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return {"error": "timeout", "detail": f"over {conf('time_limit_seconds')} s"}
            try:
                raw = lines.get(timeout=left)
            except queue.Empty:
                continue
            if raw is None:
                break
            try:
                msg = json.loads(raw)
            except ValueError:
                continue
            if "pages_done" in msg and on_progress:
                on_progress(int(msg["pages_done"]))
            if "result" in msg:
                result = msg["result"]
        proc.wait(timeout=max(1, deadline - time.monotonic()))
        return result or {"error": "ocr_error", "detail": f"runner exit {proc.returncode}"}
    except subprocess.TimeoutExpired:
        return {"error": "timeout", "detail": f"over {conf('time_limit_seconds')} s"}
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
