"""OCR throughput and accuracy on a realistic Vietnamese scan (motcua.ocr.engine: OCRmyPDF + Tesseract vie+eng,
one job, OMP_THREAD_LIMIT=1, i.e. one core).

A two-page Vietnamese application form is rendered with WeasyPrint, rasterised at --dpi (pdftoppm), then
"scanned": Gaussian noise, a slight skew (--skew degrees) and page 2 upside down. The scan is OCRed as a
JPEG-in-PDF like a scanner's output; the text is compared with the form's own text (pdftotext of the clean
PDF): character error rate = Levenshtein distance / reference length, both NFC-normalised with whitespace
collapsed.

    .venv/bin/python bench/bench_ocr.py [--dpi 300] [--runs 1]
"""
import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import unicodedata

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

FORM = """<html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm }} body {{ font-family: 'DejaVu Serif'; font-size: 12pt; line-height: 1.5 }}
h1, h2 {{ text-align: center; font-size: 13pt }} .c {{ text-align: center }} td {{ padding: 2pt 6pt; vertical-align: top }}
</style></head><body>
<p class="c"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b></p>
<h1>ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG</h1>
<p>Kính gửi: Sở Xây dựng tỉnh Hòa Bình</p>
<table>
<tr><td>1. Tên chủ đầu tư:</td><td>Nguyễn Văn An</td></tr>
<tr><td>Số định danh cá nhân:</td><td>001203004567</td></tr>
<tr><td>Địa chỉ liên hệ:</td><td>Số 12 đường Trần Phú, phường Hà Đông, thành phố Hà Nội</td></tr>
<tr><td>Số điện thoại:</td><td>0912 345 678</td></tr>
<tr><td>2. Địa điểm xây dựng:</td><td>Lô đất số 45, tờ bản đồ số 7, xã Hòa Sơn, huyện Lương Sơn</td></tr>
<tr><td>3. Loại công trình:</td><td>Nhà ở riêng lẻ, cấp III, ba tầng</td></tr>
<tr><td>Diện tích xây dựng:</td><td>120 mét vuông; tổng diện tích sàn 360 mét vuông</td></tr>
<tr><td>Chiều cao công trình:</td><td>11,5 mét</td></tr>
</table>
<p>4. Dự kiến thời gian hoàn thành công trình: tháng 12 năm 2027.</p>
<p>5. Cam kết: Tôi xin cam đoan làm theo đúng giấy phép được cấp, nếu sai tôi xin hoàn toàn chịu trách nhiệm
và bị xử lý theo quy định của pháp luật.</p>
<h2 style="page-break-before: always">DANH MỤC GIẤY TỜ KÈM THEO</h2>
<p>1. Bản sao giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất.</p>
<p>2. Hai bộ bản vẽ thiết kế xây dựng gồm mặt bằng, mặt cắt, mặt đứng chính của công trình.</p>
<p>3. Bản kê khai năng lực, kinh nghiệm của tổ chức, cá nhân thiết kế.</p>
<p>4. Văn bản thỏa thuận về phòng cháy, chữa cháy đối với công trình có yêu cầu.</p>
<p class="c">Lương Sơn, ngày 15 tháng 6 năm 2026<br><b>NGƯỜI LÀM ĐƠN</b><br>(Ký, ghi rõ họ tên)<br><br>Nguyễn Văn An</p>
</body></html>"""


def norm(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def make_scan(dpi, skew, seed=7):
    import numpy as np
    from PIL import Image
    from weasyprint import HTML

    clean = HTML(string=FORM).write_pdf()
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "form.pdf")
        with open(src, "wb") as fh:
            fh.write(clean)
        reference = subprocess.run(["pdftotext", "-layout", src, "-"], capture_output=True, text=True,
                                   check=True).stdout
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", src, os.path.join(tmp, "p")], check=True)
        pages = sorted(f for f in os.listdir(tmp) if f.startswith("p") and f.endswith(".png"))
        rng = np.random.default_rng(seed)
        scanned = []
        for i, name in enumerate(pages):
            im = Image.open(os.path.join(tmp, name)).convert("L")
            im = im.rotate(skew if i % 2 == 0 else -skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
            arr = np.asarray(im, dtype=np.float32) + rng.normal(0, 18, (im.height, im.width))
            im = Image.fromarray(np.clip(arr, 0, 255).astype("uint8"))
            if i == 1:
                im = im.rotate(180)
            scanned.append(im)
    buf = io.BytesIO()
    scanned[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=scanned[1:], quality=85)
    return buf.getvalue(), reference, len(scanned)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--skew", type=float, default=1.5)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    random.seed(7)
    import django
    django.setup()
    from motcua.ocr import engine

    data, reference, pages = make_scan(args.dpi, args.skew)
    print(f"scan: {pages} pages at {args.dpi} dpi, {len(data) / 1e6:.1f} MB, skew ±{args.skew}°, page 2 upside down")
    for run in range(args.runs):
        prepared = engine.prepare(data)
        t0 = time.monotonic()
        outcome = engine.run(prepared)
        seconds = time.monotonic() - t0
        ref, got = norm(reference), norm(outcome.text)
        cer = levenshtein(ref, got) / max(1, len(ref))
        print(f"run {run + 1}: state {outcome.state}, {seconds:.1f} s, {pages / seconds * 60:.1f} pages/min/core, "
              f"CER {cer:.2%} ({len(ref)} reference chars), mean word confidence {outcome.confidence}, "
              f"rotations {outcome.rotations}, warnings {outcome.warnings}")
    print("load:", open("/proc/loadavg").read().strip())


if __name__ == "__main__":
    main()
