"""Uploads over HTTP: the size limit is enforced while the request streams in (the bytes past it are never
kept), stored files are served with a script-blocking Content-Security-Policy, nosniff, and as downloads
unless PDF or image; unsubmitted online filings are capped per account and cleaned up."""
import io
import os
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory

from motcua.core.errors import ValidationFailed
from motcua.dossiers import services, uploads
from motcua.dossiers.models import Channel, Dossier

from ..conftest import at
from ..dossiers import upload_samples as samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# ---------------------------------------------------------------- size limit while streaming

def test_oversize_file_is_dropped_while_the_request_streams(settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024 * 1024
    body = samples.plain_pdf() + b"%" + os.urandom(8 * 1024 * 1024)
    request = RequestFactory().post("/x/", {"file": SimpleUploadedFile("big.pdf", body, "application/pdf"),
                                            "small": SimpleUploadedFile("ok.png", samples.png(), "image/png")})
    tracemalloc.start()
    files = request.FILES
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    big = files["file"]
    assert getattr(big, "oversize", False) and big.size > settings.MOTCUA_MAX_UPLOAD_BYTES
    assert files["small"].read() == samples.png()   # other files of the request are untouched
    assert peak < 4 * 1024 * 1024, peak             # parsing held at most a few chunks, not 8 MB
    with pytest.raises(ValidationFailed) as err:
        big.read()
    assert err.value.code == "file_too_large"


def test_read_limited_stops_at_the_limit():
    class Endless(io.RawIOBase):
        name = "endless.pdf"
        reads = 0

        def read(self, n=-1):
            Endless.reads += 1
            return b"x" * 65536

    with pytest.raises(ValidationFailed) as err:
        uploads.read_limited(Endless(), limit=1024 * 1024)
    assert err.value.code == "file_too_large" and Endless.reads <= 17


def test_counter_intake_refuses_an_oversize_file_with_a_clear_message(client, province, settings, media):
    from .test_office_pages import intake_post
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(province.receiver)
    comps = list(province.proc.components.all())
    big = samples.plain_pdf() + b"%" + b"0" * (3 * 1024 * 1024)
    resp = intake_post(client, province, **{f"c{comps[0].id}_file": SimpleUploadedFile("big.pdf", big)})
    assert resp.status_code == 200 and "vượt quá dung lượng" in resp.content.decode()
    assert not Dossier.objects.exists()


def test_form_fields_stay_small(settings):
    from motcua import settings as defaults
    assert defaults.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert defaults.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2621440
    assert defaults.FILE_UPLOAD_HANDLERS[0] == "motcua.dossiers.uploads.LimitedUploadHandler"


# ---------------------------------------------------------------- serving

@pytest.mark.parametrize("name,content,inline", [
    ("don.pdf", samples.plain_pdf(), True),
    ("anh.png", samples.png(), True),
    ("anh.jpg", samples.jpeg(), True),
    ("thuyet-minh.docx", samples.docx(), False),
])
def test_stored_files_are_served_with_csp_nosniff_and_disposition(client, province, actors, intake_data, media,
                                                                  name, content, inline):
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), now=at("2026-06-01 08:00"))
    a = services.attach(actors["citizen"], d.code, kind="component", filename=name, content=content,
                        version=d.version)
    client.force_login(province.citizen)
    resp = client.get(f"/tep/{a.pk}/")
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == content
    csp = resp["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Type"] == a.content_type
    disposition = resp["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment")
    if a.content_type != "application/pdf":   # Chromium's PDF viewer will not run in a sandboxed document
        assert csp.endswith("sandbox")


# ---------------------------------------------------------------- unsubmitted filings: cap and cleanup

def _png():
    return SimpleUploadedFile("a.png", samples.png(), "image/png")


def _review(client, province, n):
    """The review step of online filing with n files for the first component and one for the second."""
    comps = list(province.proc.components.all())
    data = {"step": "review", "applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678",
            f"c{comps[0].id}_file": [_png() for _i in range(n)], f"c{comps[1].id}_file": [_png()]}
    return client.post(f"/thu-tuc/{province.proc.code}/nop/", data)


def test_unsubmitted_uploads_are_capped_per_account_and_cleaned_up(client, province, settings, media):
    settings.MOTCUA_PENDING_UPLOAD_MAX_FILES = 5
    client.force_login(province.citizen)
    assert _review(client, province, 2).status_code == 200         # 3 files
    assert _review(client, province, 1).status_code == 200         # 5 files
    resp = _review(client, province, 1)                             # would make 7 unsubmitted files
    assert resp.status_code == 422 and "quá nhiều tệp chưa nộp" in resp.content.decode()
    account = uploads.pending_root() / str(province.citizen.pk)
    assert len([p for p in account.rglob("*") if p.is_file()]) == 5

    call_command("cleanup_uploads")                                 # nothing is old yet
    assert len(list(account.iterdir())) == 2
    old = time.time() - 25 * 3600
    for filing in account.iterdir():
        os.utime(filing, (old, old))
    out = io.StringIO()
    call_command("cleanup_uploads", stdout=out)
    assert "removed 2 unsubmitted filing(s): 5 file(s)" in out.getvalue()
    assert not account.exists()
    assert _review(client, province, 1).status_code == 200         # room again


def test_byte_cap(client, province, settings, media):
    settings.MOTCUA_PENDING_UPLOAD_MAX_BYTES = len(samples.png()) * 3
    client.force_login(province.citizen)
    assert _review(client, province, 2).status_code == 200
    assert _review(client, province, 1).status_code == 422


def test_motcua_cleanup_uploads_command(media, capsys):
    from motcua import cli
    cli.main(["cleanup-uploads"])
    assert "removed 0 unsubmitted filing(s)" in capsys.readouterr().out
