"""Upload inspection cost per file (motcua.dossiers.uploads.inspect, without and with ClamAV).

    .venv/bin/python bench/bench_uploads.py [--repeat 5] [--clamd /path/to/clamd.sock]

Files are made here: a 3-page A4 300 dpi scan as PDF (Pillow), the same page as JPEG, a DOCX carrying three
such images, a WeasyPrint PDF. With --clamd (e.g. var/clamav/clamd.sock after `./run clamd start`) the
INSTREAM scan time is measured too. Bounded: repeat x 4 files."""
import argparse
import io
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--clamd", default="")
    args = ap.parse_args()
    import django
    django.setup()
    from PIL import Image

    from motcua.dossiers import clamav, uploads
    from tests.dossiers import upload_samples as s

    pages = [Image.effect_noise((2480, 3508), 30).convert("RGB") for _ in range(3)]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], quality=85)
    jbuf = io.BytesIO()
    pages[0].save(jbuf, "JPEG", quality=90)
    files = [("scan-3-pages.pdf", buf.getvalue()), ("weasyprint.pdf", s.weasy_pdf()),
             ("a4-300dpi.jpg", jbuf.getvalue()),
             ("docx-3-images.docx", s.docx(parts={f"word/media/image{i}.jpeg": jbuf.getvalue() for i in range(3)}))]
    for name, data in files:
        t = time.perf_counter()
        for _i in range(args.repeat):
            uploads.inspect(name, data, scan=False)
        line = f"{name:22} {len(data) / 1e6:5.1f} MB  inspect {1000 * (time.perf_counter() - t) / args.repeat:6.0f} ms"
        if args.clamd:
            t = time.perf_counter()
            for _i in range(args.repeat):
                clamav.instream(data, args.clamd, 60)
            line += f"  clamd {1000 * (time.perf_counter() - t) / args.repeat:6.0f} ms"
        print(line)


if __name__ == "__main__":
    main()
