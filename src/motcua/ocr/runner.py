"""The OCR child process (`python -m motcua.ocr.runner`): reads its order as JSON on stdin, runs
`ocrmypdf.ocr(...)` and writes JSON lines on stdout ({"pages_done": n} while it works, then {"result": ...}).
A separate process so the worker can stop it at the time limit (motcua.ocr.engine kills its process group)."""
import glob
import json
import logging
import os
import re
import sys

WCONF = re.compile(r"x_wconf (\d+)")
FACING = {"⇧": 0, "⇨": 90, "⇩": 180, "⇦": 270}


class Rotations(logging.Handler):
    """OCRmyPDF logs each page it turns ("page is facing ⇩, confidence 4.70 - will rotate ↻")."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.found = []

    def emit(self, record):
        message = record.getMessage()
        if "will rotate" in message:
            m = re.search(r"page is facing (\S)", message)
            self.found.append({"page": int(getattr(record, "pageno", 0) or 0),
                               "degrees": FACING.get(m.group(1), 0) if m else 0})


def mean_confidence(tmp_root):
    """Mean Tesseract word confidence over the hOCR pages OCRmyPDF kept in its temporary folder."""
    total = count = 0
    for path in glob.glob(os.path.join(tmp_root, "ocrmypdf.io.*", "*_ocr_hocr.hocr")):
        with open(path, encoding="utf-8", errors="replace") as fh:
            for m in WCONF.finditer(fh.read()):
                total += int(m.group(1))
                count += 1
    return (total / count if count else None), count


def main():
    order = json.load(sys.stdin)
    import ocrmypdf
    from ocrmypdf import exceptions as ex

    kwargs = dict(language=order["languages"], rotate_pages=True, rotate_pages_threshold=order["rotate_threshold"],
                  deskew=True, output_type="pdfa-2", sidecar=order["sidecar"], jobs=1, use_threads=True,
                  progress_bar=True, plugins=["motcua.ocr.progress"], keep_temporary_files=True,
                  max_image_mpixels=order["max_mpixels"], tesseract_timeout=order["page_timeout"])
    if order.get("image_dpi"):
        kwargs["image_dpi"] = order["image_dpi"]
    rotations = Rotations()
    logger = logging.getLogger("ocrmypdf")
    logger.addHandler(rotations)
    logger.setLevel(logging.INFO)
    result = {"exit": 0}
    try:
        result["exit"] = int(ocrmypdf.ocr(order["input"], order["output"], **kwargs))
    except ex.EncryptedPdfError:
        result = {"error": "needs_password"}
    except ex.PriorOcrFoundError:
        result = {"error": "pdf_has_text"}
    except ex.DpiError:
        result = {"error": "low_resolution"}
    except (ex.InputFileError, ex.UnsupportedImageFormatError):
        result = {"error": "unreadable"}
    except Exception as exc:   # noqa: BLE001 - reported to the worker as a failed job, never a crash
        name = type(exc).__name__
        result = {"error": "image_too_many_pixels" if "DecompressionBomb" in name else "ocr_error",
                  "detail": f"{name}: {exc}"[:500]}
    result["rotations"] = rotations.found
    result["confidence"], result["words"] = mean_confidence(order["tmp"])
    sys.stdout.write(json.dumps({"result": result}) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
