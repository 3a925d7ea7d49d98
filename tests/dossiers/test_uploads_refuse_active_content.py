"""Every path that stores a file goes through the upload inspection: a corpus of dangerous files made here
(PDF JavaScript/OpenAction/Launch/AA/embedded files/RichMedia/XFA, hex-escaped names, object streams, PDF+ZIP
polyglots, pixel bombs, zip bombs, macros, XXE) is refused with nothing stored; a corpus of benign files
(WeasyPrint PDF, Pillow JPEG/PNG, a real DOCX) is still accepted. The code before this module stored all
of the dangerous ones."""
import functools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import ValidationFailed
from motcua.dossiers import services, uploads
from motcua.dossiers.models import Attachment, Channel, Dossier

from ..conftest import at
from . import upload_samples as samples

dangerous = functools.lru_cache(maxsize=1)(samples.dangerous)
benign = functools.lru_cache(maxsize=1)(samples.benign)
DANGEROUS = [
    "pdf-openaction-javascript", "pdf-names-javascript", "pdf-javascript-in-object-stream", "pdf-launch-action",
    "pdf-additional-actions", "pdf-embedded-file", "pdf-richmedia", "pdf-xfa", "pdf-hex-escaped-names",
    "pdf-unparseable-objstm", "pdf-zip-polyglot-appended", "pdf-zip-polyglot-inside", "jpeg-pdf-polyglot",
    "png-zip-polyglot",
    "png-decompression-bomb", "jpeg-decompression-bomb", "docm-renamed-docx", "docx-hidden-vba", "docx-zip-bomb",
    "docx-xxe", "docx-billion-laughs", "docx-external-template"]
BENIGN = ["weasyprint-pdf", "pikepdf-pdf-object-streams", "pdf-open-at-page-1", "pillow-png", "pillow-jpeg",
          "docx-with-hyperlink"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _online(actors, intake_data):
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), now=at("2026-06-01 08:00"))
    return d


def test_the_corpora_are_complete():
    assert sorted(dangerous()) == sorted(DANGEROUS) and sorted(benign()) == sorted(BENIGN)


@pytest.mark.parametrize("name", DANGEROUS)
def test_dangerous_upload_is_refused_and_nothing_is_stored(province, actors, intake_data, media, tmp_path, name):
    filename, content, code = dangerous()[name]
    d = _online(actors, intake_data)
    with pytest.raises(ValidationFailed) as err:
        services.attach(actors["citizen"], d.code, kind="component", filename=filename, content=content,
                        version=d.version)
    assert err.value.code == code, err.value.details
    assert err.value.message and err.value.details["filename"] == filename
    assert not Attachment.objects.exists() and d.history.count() == 1
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.parametrize("name", BENIGN)
def test_benign_upload_is_accepted(province, actors, intake_data, media, name):
    filename, content, content_type = benign()[name]
    d = _online(actors, intake_data)
    a = services.attach(actors["citizen"], d.code, kind="component", filename=filename, content=content,
                        version=d.version)
    assert a.content_type == content_type and a.size == len(content) and a.file.read() == content
    assert a.scan == "unscanned" and a.available   # scanning is off in this test set-up (see conftest)


@pytest.mark.parametrize("name", [n for n in DANGEROUS if n.startswith("pdf-")])
def test_pdf_active_content_names_what_it_found(name):
    found = uploads.pdf_active_content(dangerous()[name][1])
    assert found and all(isinstance(f, str) for f in found)


@pytest.mark.parametrize("name", ["weasyprint-pdf", "pikepdf-pdf-object-streams", "pdf-open-at-page-1"])
def test_plain_pdfs_have_no_active_content(name):
    assert uploads.pdf_active_content(benign()[name][1]) == []


def test_raw_scan_inflates_object_streams_and_decodes_hex_names():
    """Without the parser: the JavaScript action compressed inside an object stream, and /J#61vaScript."""
    hidden = samples.pdf_js_in_object_stream()
    assert b"JavaScript" not in hidden
    assert "JavaScript" in uploads._raw_pdf_findings(hidden)
    assert {"JavaScript"} <= uploads._raw_pdf_findings(samples.pdf_hex_escaped_names())


def test_the_old_minimal_samples_still_pass():
    """Tiny hand-made files other tests use (no pages, qpdf cannot read them) are judged by the raw scan."""
    from tests.web.helpers import PDF
    assert uploads.inspect("a.pdf", PDF, scan=False).content_type == "application/pdf"


def test_zip_bomb_total_size_limit(settings):
    settings.MOTCUA_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    import os
    big = samples.docx(parts={f"word/media/image{i}.bin": os.urandom(600 * 1024) for i in range(5)})
    with pytest.raises(ValidationFailed) as err:
        uploads.inspect("a.docx", big, scan=False)
    assert err.value.code == "zip_bomb"


@pytest.mark.parametrize("given,kind,stored", [
    ("hoa-don.pdf.exe", "pdf", "hoa-don.pdf"),
    ("trang.html", "png", "trang.png"),
    ("anh.svg.html.js", "jpeg", "anh.jpg"),
    ("..\\..\\windows\\system32\\don.pdf", "pdf", "don.pdf"),
    ("/etc/passwd", "docx", "passwd.docx"),
    ("đơn\x00đề\x1bnghị\u202egpj.exe", "pdf", "đơn đề nghị gpj.pdf"),
    ("bản vẽ số 12.2026.docx", "docx", "bản vẽ số 12.2026.docx"),
    ("....pdf", "pdf", "tep.pdf"),
    ("", "png", "tep.png"),
])
def test_stored_names_are_normalised_and_take_the_detected_extension(given, kind, stored):
    assert uploads.safe_name(given, kind) == stored


def test_very_long_names_are_cut(province, actors, intake_data, media):
    d = _online(actors, intake_data)
    a = services.attach(actors["citizen"], d.code, kind="component", filename="đ" * 400 + ".pdf.exe",
                        content=samples.plain_pdf(), version=d.version)
    assert a.filename.endswith(".pdf") and len(a.filename) <= 125 and len(a.filename.encode()) <= 200
    assert a.file.name.endswith(".pdf")


def test_a_page_named_html_is_stored_under_its_real_type(province, actors, intake_data, media):
    d = _online(actors, intake_data)
    a = services.attach(actors["citizen"], d.code, kind="component", filename="x.pdf.html", content=samples.png(),
                        version=d.version)
    assert a.filename == "x.png" and a.content_type == "image/png"


def test_counter_intake_refuses_a_pdf_with_javascript(client, province, media):
    """The office's own upload path (read_uploads before any row is written) uses the same inspection."""
    from tests.web.test_office_pages import intake_post
    client.force_login(province.receiver)
    comps = list(province.proc.components.all())
    resp = intake_post(client, province, **{f"c{comps[0].id}_file": SimpleUploadedFile(
        "don.pdf", samples.pdf_openaction_js(), "application/pdf")})
    assert resp.status_code == 200 and "nội dung chủ động" in resp.content.decode()
    assert not Dossier.objects.exists() and not Attachment.objects.exists()


def test_encrypted_pdf_is_judged_by_the_parser():
    """A PDF with only an owner password (common for "secured" forms): its object streams are encrypted, so
    the raw scan cannot read them, but qpdf can; a plain one is accepted, one with JavaScript is not."""
    import io

    import pikepdf

    def encrypt(data):
        out = io.BytesIO()
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pdf.save(out, encryption=pikepdf.Encryption(owner="chu-so-huu", user="", R=6),
                     object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()

    assert uploads.pdf_active_content(encrypt(samples.weasy_pdf())) == []
    assert "JavaScript" in uploads.pdf_active_content(encrypt(samples.pdf_openaction_js()))
