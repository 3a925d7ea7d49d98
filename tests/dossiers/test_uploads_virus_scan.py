"""ClamAV through a real clamd started with the project's own set-up (config, socket and signature database
under a temporary var/; motcua.dossiers.clamav.start, the code behind `motcua clamd start`). The EICAR test
file inside otherwise valid files is refused; when the scanner is unavailable the file is kept in quarantine
(stored, not served, officers see "đang chờ quét") until `motcua scan-uploads` clears or removes it."""
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import CommandError, call_command

from motcua.core.errors import ValidationFailed
from motcua.dossiers import clamav, services
from motcua.dossiers.models import Attachment, Channel

from ..conftest import at
from . import upload_samples as samples


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    if clamav.clamd_binary() is None:
        pytest.skip("clamd is not installed (apt-get install clamav-daemon; .ci/run does)")
    folder = tmp_path_factory.mktemp("clamav")
    sock = folder / "clamd.sock"
    proc = clamav.start(folder, sock, foreground=True, official=False)
    yield str(sock)
    if proc is not None:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def scanning(settings, clamd, tmp_path):
    settings.MOTCUA_VIRUS_SCAN = "required"
    settings.MOTCUA_CLAMD_SOCKET = clamd
    settings.MEDIA_ROOT = tmp_path / "media"
    return clamd


@pytest.fixture
def scanner_down(settings, tmp_path):
    settings.MOTCUA_VIRUS_SCAN = "required"
    settings.MOTCUA_CLAMD_SOCKET = str(tmp_path / "no-clamd.sock")
    settings.MEDIA_ROOT = tmp_path / "media"


def _online(actors, intake_data):
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), now=at("2026-06-01 08:00"))
    return d


def test_client_speaks_instream(scanning):
    assert clamav.ping(scanning)
    assert clamav.instream(b"plain text", scanning, 10) == "stream: OK"
    assert "FOUND" in clamav.instream(b"head " + samples.EICAR + b" tail", scanning, 10)


@pytest.mark.parametrize("maker,filename", [(samples.png_with_eicar, "anh.png"), (samples.docx_with_eicar, "a.docx")])
def test_eicar_inside_a_valid_file_is_refused(province, actors, intake_data, scanning, maker, filename):
    d = _online(actors, intake_data)
    with pytest.raises(ValidationFailed) as err:
        services.attach(actors["citizen"], d.code, kind="component", filename=filename, content=maker(),
                        version=d.version)
    assert err.value.code == "file_infected" and "EICAR" in err.value.details["signature"]
    assert not Attachment.objects.exists() and d.history.count() == 1


def test_clean_file_is_marked_scanned(province, actors, intake_data, scanning):
    d = _online(actors, intake_data)
    a = services.attach(actors["citizen"], d.code, kind="component", filename="a.png", content=samples.png(),
                        version=d.version)
    assert a.scan == "clean" and a.available and a.scanned_at is not None


def test_scanner_unavailable_keeps_the_file_in_quarantine_until_scanned(
        client, province, actors, intake_data, scanner_down, settings, clamd):
    d = _online(actors, intake_data)
    ok = services.attach(actors["citizen"], d.code, kind="component", filename="don.png", content=samples.png(),
                         version=d.version)
    bad = services.attach(actors["citizen"], d.code, kind="component", filename="anh.png",
                          content=samples.png_with_eicar(), version=d.version + 1)
    assert ok.scan == bad.scan == "pending" and not ok.available
    assert d.history.order_by("-seq").first().data["scan"] == "pending"
    client.force_login(province.citizen)
    assert client.get(f"/tep/{ok.pk}/").status_code == 404           # never served unscanned
    client.force_login(province.receiver)
    services.receive(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    page = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert "đang chờ quét" in page and f"/tep/{ok.pk}/" not in page

    with pytest.raises(CommandError):                                 # still no scanner: exit code 1
        call_command("scan_uploads")
    settings.MOTCUA_CLAMD_SOCKET = clamd
    call_command("scan_uploads")
    ok.refresh_from_db()
    bad.refresh_from_db()
    assert ok.scan == "clean" and client.get(f"/tep/{ok.pk}/").status_code == 200
    assert bad.scan == "infected" and "EICAR" in bad.scan_signature and not bad.file
    assert client.get(f"/tep/{bad.pk}/").status_code == 404
    assert not list((Path(settings.MEDIA_ROOT)).rglob("*anh*"))
    events = [e.data for e in d.history.filter(action="attachment_scanned").order_by("seq")]
    assert [(e["attachment"], e["scan"]) for e in events] == [(ok.pk, "clean"), (bad.pk, "infected")]
    from motcua.dossiers.history import verify_chain
    assert verify_chain(d) == []


def test_scanning_off_is_explicit_and_warned(settings):
    settings.MOTCUA_VIRUS_SCAN = "off"
    assert "motcua.W001" in [m.id for m in checks.run_checks()]
    settings.MOTCUA_VIRUS_SCAN = "required"
    assert "motcua.W001" not in [m.id for m in checks.run_checks()]


def test_default_is_fail_closed():
    from motcua import settings as defaults
    assert defaults.MOTCUA_VIRUS_SCAN == "required" and defaults.MOTCUA_CLAMD_SOCKET.endswith("clamd.sock")


def test_project_set_up_loads_its_signatures_beside_official_databases(tmp_path, monkeypatch):
    official = tmp_path / "official"
    official.mkdir()
    (official / "main.cvd").write_bytes(b"x")
    monkeypatch.setattr(clamav, "OFFICIAL_DB", official)
    conf = clamav.write_config(tmp_path / "clamav", tmp_path / "clamav" / "clamd.sock", foreground=True)
    text = conf.read_text()
    db = tmp_path / "clamav" / "db"
    assert f"DatabaseDirectory {db}" in text and "StreamMaxLength" in text
    assert (db / "motcua.ndb").read_text().startswith("Motcua.Test.EICAR:0:*:")
    assert (db / "main.cvd").is_symlink()


def test_officers_see_that_scanning_is_off(client, province, actors, intake_data, settings):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    client.force_login(province.receiver)
    settings.MOTCUA_VIRUS_SCAN = "off"
    assert "quét virus đang tắt" in client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    settings.MOTCUA_VIRUS_SCAN = "required"
    assert "quét virus đang tắt" not in client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
