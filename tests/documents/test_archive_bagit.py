"""The archive: a closed dossier or a closed document file exported as a BagIt package (PDF/A copies, the
record's and each document's metadata as XML, SHA-256 manifests), validated on re-import (a changed, added
or missing file is refused); retention per procedure and per document type; the 30-day warning before a
record is due for transfer, given once by the periodic job; `motcua archive-export`."""
import shutil
import subprocess
from datetime import date

import pikepdf
import pytest
from django.core.management import call_command

from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.documents import archive, services
from motcua.documents.models import ArchiveNotice, DocumentEvent, RetentionRule
from motcua.dossiers import services as dossiers
from motcua.integrations import worker
from motcua.signing.models import SecrecyLevel

from ..conftest import at
from ..signing.samples import make_pdf


@pytest.fixture
def closed(province, actors, intake_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_ARCHIVE_DIR = tmp_path / "archive"
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    dossiers.attach(actors["receiver"], d.code, kind="component", filename="don-de-nghi.pdf",
                    content=make_pdf(1, "DON DE NGHI"), now=at("2026-06-01 08:10"))
    dossiers.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    dossiers.forward(actors["specialist"], d.code, now=at("2026-06-02 10:00"))
    dossiers.approve(actors["leader"], d.code, now=at("2026-06-03 09:00"))
    dossiers.attach(actors["clerk"], d.code, kind="result", filename="giay-phep.pdf",
                    content=make_pdf(1, "GIAY PHEP"), now=at("2026-06-03 10:00"))
    dossiers.mark_result_ready(actors["clerk"], d.code, now=at("2026-06-03 10:30"))
    dossiers.return_result(actors["receiver"], d.code, now=at("2026-06-04 09:00"), unpaid_fee_confirmed=True)
    d.refresh_from_db()
    return d


def test_export_a_closed_dossier_and_validate_it_again(province, actors, closed, tmp_path):
    with pytest.raises(NotFound):
        archive.export_dossier(actors["other"], closed.code)
    with pytest.raises(NotAllowed):
        archive.export_dossier(actors["specialist"], closed.code)
    RetentionRule.objects.create(procedure=province.proc, years=20)
    package = archive.export_dossier(actors["clerk"], closed.code, now=at("2026-07-01 08:00"))
    assert package.retention_years == 20 and package.dossier == closed
    meta = archive.validate_package(package.path)
    rec = meta["record"]
    assert rec["FileNotation"] == closed.code and rec["Maintenance"] == "20 năm" and rec["DocTotal"] == "2"
    assert rec["EndDate"].endswith("+07:00") and rec["OrganId"] == province.sxd.code
    assert [d["OriginalName"] for d in meta["documents"]] == ["don-de-nghi.pdf", "giay-phep.pdf"]
    root = tmp_path / "archive"
    bag = next(root.iterdir())
    assert (bag / "manifest-sha256.txt").exists() and (bag / "bagit.txt").exists()
    first = meta["documents"][0]
    stored = bag / "data" / first["FileName"]
    if first["PdfA"] == "true":      # converted by ocrmypdf: PDF/A-2 in its XMP metadata
        with pikepdf.open(stored) as pdf:
            assert pdf.open_metadata().pdfa_status.startswith("2")
    else:
        assert first["PdfANote"] in ("converter_missing", "conversion_failed")
    text = subprocess.run(["pdftotext", str(stored), "-"], capture_output=True, text=True, timeout=60).stdout
    assert "DON DE NGHI" in text
    # a tampered copy is refused with a clear code
    copy = tmp_path / "copy"
    shutil.copytree(bag, copy)
    (copy / "data" / first["FileName"]).write_bytes(b"%PDF-1.4 changed")
    with pytest.raises(ValidationFailed) as err:
        archive.validate_package(copy)
    assert err.value.code == "archive_package_invalid"
    shutil.rmtree(copy)
    shutil.copytree(bag, copy)
    (copy / "data" / "files" / "extra.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(ValidationFailed):
        archive.validate_package(copy)
    shutil.rmtree(copy)
    shutil.copytree(bag, copy)
    (copy / "data" / "metadata" / "record.xml").write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')
    with pytest.raises(ValidationFailed) as err:          # rewritten metadata: the manifest catches it first
        archive.validate_package(copy)
    assert err.value.code == "archive_package_invalid"
    call_command("archive_export", "--validate", str(bag))


def test_an_open_dossier_is_not_exported(province, actors, intake_data, settings, tmp_path):
    settings.MOTCUA_ARCHIVE_DIR = tmp_path / "archive"
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    with pytest.raises(Conflict) as err:
        archive.export_dossier(actors["clerk"], d.code)
    assert err.value.code == "record_not_closed"


def test_due_for_transfer_warned_once_thirty_days_before(province, actors, closed, settings):
    assert closed.closed_at == at("2026-06-04 09:00")
    assert archive.due(actors["clerk"], now=at("2027-05-04 09:00")) == []          # 31 days before
    rows = archive.due(actors["clerk"], now=at("2027-05-05 09:00"))               # 30 days before
    assert [(r["code"], r["due_on"], r["retention_years"], r["overdue"]) for r in rows] == \
        [(closed.code, date(2027, 6, 4), 10, False)]
    assert archive.due(actors["other"], now=at("2027-05-05 09:00")) == []          # another agency's scope
    assert len(archive.notify_due(now=at("2027-05-05 09:00"))) == 1
    assert archive.notify_due(now=at("2027-05-06 09:00")) == []                    # once
    assert ArchiveNotice.objects.get().due_on == date(2027, 6, 4)
    jobs = {name: seconds for name, seconds, _job in worker.periodic_jobs()}
    assert jobs["archive_due"] == 86400
    archive.export_dossier(actors["clerk"], closed.code, now=at("2027-05-06 10:00"))
    assert archive.due(actors["clerk"], now=at("2027-06-10 09:00")) == []          # exported: no longer due


def test_a_document_file_with_retention_from_its_document_types(province, actors, settings, tmp_path):
    settings.MOTCUA_ARCHIVE_DIR = tmp_path / "archive"
    doc = services.create_draft(actors["specialist"], province.sxd.code, type_name="Quyết định", subject="Ban hành",
                                secrecy=SecrecyLevel.NORMAL, pdf_bytes=make_pdf(1, "QUYET DINH BAN HANH"))
    services.review(actors["head"], doc.pk)
    services.approve(actors["leader"], doc.pk)
    services.issue(actors["clerk"], doc.pk, now=at("2026-03-02 09:00"))
    inc, _w = services.register_incoming(actors["clerk"], province.sxd.code, sender_name="Sở Tư pháp",
                                         number_symbol="5/STP", issued_date=date(2026, 2, 27), subject="Góp ý",
                                         type_name="Công văn", secrecy=SecrecyLevel.NORMAL,
                                         scan_pdf=make_pdf(1, "CONG VAN DEN"), now=at("2026-03-03 08:00"))
    f = services.create_file(actors["clerk"], province.sxd.code, notation="01.QĐ", title="Hồ sơ ban hành quyết định",
                             year=2026)
    with pytest.raises(NotFound):
        services.file_documents(actors["other"], f.pk, outgoing_ids=[doc.pk])
    services.file_documents(actors["clerk"], f.pk, outgoing_ids=[doc.pk], incoming_ids=[inc.pk])
    with pytest.raises(Conflict):
        archive.export_file(actors["clerk"], f.pk)                     # still open
    services.close_file(actors["clerk"], f.pk, now=at("2026-12-31 16:00"))
    package = archive.export_file(actors["clerk"], f.pk, now=at("2027-01-05 08:00"))
    assert package.retention_years == 0                                # a decision is kept permanently
    meta = archive.validate_package(package.path)
    assert meta["record"]["Maintenance"] == "Vĩnh viễn" and meta["record"]["FileCode"] == f"{province.sxd.code}.2026.01.QĐ"
    assert [(d["Direction"], d["CodeNotation"]) for d in meta["documents"]] == [("outgoing", "01/QĐ-SXD"),
                                                                               ("incoming", "5/STP")]
    assert [e.action for e in DocumentEvent.objects.filter(file=f)] == ["file_open", "file_add", "file_close",
                                                                       "archive_export"]
