"""`motcua signing extend`: archived signed results whose last timestamp expires within the window get a
new document timestamp (B-LTA), incrementally, recorded per file; a B-B file cannot be extended; a TSA
whose own certificate expires inside the window is reported instead of being used again and again."""
import hashlib

import pytest
from django.core.management import call_command

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Attachment
from motcua.signing import results, services
from motcua.signing.archive import ArchiveTimestamp, extend_archive

from ..conftest import at
from .conftest import p12_config
from .samples import make_pdf


def _finished(actors, intake_data, keys, level, phone):
    d, _ = dossiers.intake(actors["receiver"], dict(intake_data, applicant_phone=phone), now=at("2026-06-01 08:00"))
    dossiers.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    dossiers.forward(actors["specialist"], d.code, now=at("2026-06-02 10:00"))
    dossiers.approve(actors["leader"], d.code, now=at("2026-06-03 09:00"))
    leader_key, seal_key = keys
    results.sign_result(actors["leader"], d.code, leader_key.pk, step="person", pdf_bytes=make_pdf(1, "GIAY PHEP"),
                        level=level)
    results.sign_result(actors["clerk"], d.code, seal_key.pk, step="seal", level=level)
    return Attachment.objects.get(dossier=d, kind="result")


def _keys(actors, province, pki):
    seal = services.register_key(actors["admin"], "000.00.17.H13", label="Con dấu", kind="organisation",
                                 source="pkcs12", config=p12_config(pki.agency))
    leader = services.register_key(actors["admin"], "000.00.17.H13", label="Giám đốc", kind="personal",
                                   holder=province.leader, source="pkcs12", config=p12_config(pki.leader))
    return leader, seal


def test_extend_job(province, actors, intake_data, pki, capsys):
    key = _keys(actors, province, pki)
    blt = _finished(actors, intake_data, key, "B-LT", "0900000001")
    bb = _finished(actors, intake_data, key, "B-B", "0900000002")
    original = blt.file.read()
    blt.file.close()

    # the TSA's certificate has about a year left: nothing to do within 30 days
    call_command("signing", "extend", "--before-days", "30")
    assert "gia hạn 0" in capsys.readouterr().out and not ArchiveTimestamp.objects.exists()

    result = extend_archive(before_days=400)
    assert [r["attachment"] for r in result["extended"]] == [blt.pk]
    assert result["no_timestamp"] == [bb.pk] and result["failed"] == []
    blt.refresh_from_db()
    content = blt.file.read()
    rec = ArchiveTimestamp.objects.get()
    assert content.startswith(original) and rec.input_size == len(original)
    assert rec.input_sha256 == hashlib.sha256(original).hexdigest() == hashlib.sha256(content[:rec.input_size]).hexdigest()
    assert blt.sha256 == rec.output_sha256 == hashlib.sha256(content).hexdigest() and blt.size == len(content)
    assert "Motcua Test TSA" in rec.authority and rec.protected_until == pki.tsa.cert.not_valid_after_utc
    report = services.verify(content)
    assert report["valid"] and report["issued_by_motcua"]
    assert report["signatures"][0]["level"] == "B-LTA"

    # the same TSA certificate cannot protect the file any longer: reported, not re-timestamped every run
    assert result["tsa_expiring"] == [blt.pk]
    again = extend_archive(before_days=400)
    assert again["extended"] == [] and again["tsa_expiring"] == [blt.pk]
    assert ArchiveTimestamp.objects.count() == 1
    with pytest.raises(SystemExit) as exit_:
        call_command("signing", "extend", "--before-days", "400")
    assert exit_.value.code == 1 and "sắp hết hạn" in capsys.readouterr().out


def test_a_file_changed_on_disk_is_not_extended(province, actors, intake_data, pki):
    key = _keys(actors, province, pki)
    att = _finished(actors, intake_data, key, "B-T", "0900000003")
    with open(att.file.path, "ab") as fh:
        fh.write(b"\n% appended\n")
    result = extend_archive(before_days=400)
    assert result["failed"] == [{"attachment": att.pk, "code": "file_changed"}]
    assert not ArchiveTimestamp.objects.exists()
