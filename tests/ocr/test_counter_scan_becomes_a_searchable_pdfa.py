"""At the counter: an upside-down Vietnamese scan of a component is read in the background worker into a
searchable PDF/A-2b that becomes the component's attachment (the original kept), with the text, the
orientation fix, progress, two history events and the ocr_done signal after the commit."""
import subprocess
import unicodedata

import pikepdf
import pytest

from motcua.core.errors import NotFound
from motcua.dossiers.models import Attachment, HistoryEvent
from motcua.integrations.worker import run_jobs
from motcua.ocr import services
from motcua.ocr.models import OcrJob, State
from motcua.ocr.signals import ocr_done

from . import samples


def nfc(s):
    return unicodedata.normalize("NFC", s)


def test_upside_down_scan_is_read_turned_and_attached(scan_of, counter_dossier, actors, province, tmp_path,
                                                      monkeypatch, django_capture_on_commit_callbacks):
    original = scan_of(samples.png(samples.page().rotate(180)))
    received, seen_progress = [], []
    ocr_done.connect(lambda sender, job, **kw: received.append(job.pk), weak=False, dispatch_uid="t-ocr")
    real_progress = services.progress
    monkeypatch.setattr(services, "progress", lambda job_id, n: (seen_progress.append(n), real_progress(job_id, n)))
    try:
        job = services.enqueue_attachment(actors["receiver"], original.pk)
        assert job.state == State.QUEUED and job.agency_id == province.sxd.pk
        assert services.enqueue_attachment(actors["receiver"], original.pk).pk == job.pk   # no second job
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            run_jobs()
            assert received == []          # sent after the commit, not before
        assert callbacks
    finally:
        ocr_done.disconnect(dispatch_uid="t-ocr")
    job = OcrJob.objects.get(pk=job.pk)
    assert job.state == State.DONE, (job.reason, job.warnings)
    assert job.pages_total == job.pages_done == 1 and seen_progress == [1]
    assert job.rotations == [{"page": 1, "degrees": 180}]
    assert job.dpi == 200 and job.confidence > 70 and job.duration_ms > 0
    assert not [w for w in job.warnings if w["code"] == "low_confidence"]
    text = nfc(job.text)
    for expected in ("GIẤY TIẾP NHẬN HỒ SƠ", "Nguyễn Văn An", "Đà Nẵng"):
        assert expected in text
    assert received == [job.pk]
    assert services.text_of(original) == job.text

    result = job.result_attachment
    assert result.component_id == original.component_id and result.kind == "component"
    assert result.content_type == "application/pdf" and result.filename.endswith("-ocr.pdf")
    assert Attachment.objects.filter(pk=original.pk).exists()        # the original is kept
    out = tmp_path / "out.pdf"
    out.write_bytes(result.file.read())
    read_back = nfc(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout)
    assert "Nguyễn Văn An" in read_back
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2B"
    actions = list(HistoryEvent.objects.filter(dossier=counter_dossier).values_list("action", flat=True))
    assert actions[-2:] == ["ocr_requested", "ocr_finished"]

    # another agency's officer and the citizen: as if it did not exist
    for who in ("other", "citizen"):
        with pytest.raises(NotFound):
            services.enqueue_attachment(actors[who], original.pk)
        with pytest.raises(NotFound):
            services.get_for(actors[who], job.pk)
    assert services.get_for(actors["specialist"], job.pk).pk == job.pk
