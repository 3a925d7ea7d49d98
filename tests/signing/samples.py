"""Small PDFs and images made on the spot (no fixtures on disk)."""
import io

# The seal and signature images are the demo's own: one drawing serves the demo and the tests.
from motcua.signing.demopki import seal_png, signature_png  # noqa: F401 (re-exported)


def make_pdf(pages=2, title="QUYET DINH", marker=""):
    """A plain A4 PDF with `pages` pages of Helvetica text, classic xref table."""
    objs = []
    kids = []
    n_fixed = 3  # 1 catalog, 2 pages, 3 font
    for i in range(pages):
        text = f"BT /F1 14 Tf 72 770 Td ({title} - trang {i + 1}) Tj ET BT /F1 10 Tf 72 740 Td ({marker}) Tj ET"
        content_id = n_fixed + 1 + 2 * i
        page_id = content_id + 1
        objs.append((content_id, b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode())))
        objs.append((page_id, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                              b"/Resources << /Font << /F1 3 0 R >> >> >>" % content_id))
        kids.append(page_id)
    objs = [(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
            (2, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(b"%d 0 R" % k for k in kids))),
            (3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")] + objs
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num, body in sorted(objs):
        offsets[num] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (num, body))
    xref = out.tell()
    size = len(objs) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for num in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[num])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()




def tamper(pdf: bytes, old: bytes, new: bytes) -> bytes:
    """Change bytes inside the signed part of the file, same length (the file still parses)."""
    assert len(old) == len(new)
    i = pdf.index(old)
    return pdf[:i] + new + pdf[i + len(old):]
