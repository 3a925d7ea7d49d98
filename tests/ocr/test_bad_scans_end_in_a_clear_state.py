"""Every bad scan ends in a clear state on its job, never a stuck queue: blank page, wrong language,
300 pages, a password, an image bomb, too few dpi, a DOCX, a run over the time limit, a dead worker."""
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.integrations.worker import run_jobs
from motcua.ocr import engine, services
from motcua.ocr.models import OcrJob, State

from . import samples
from ..dossiers.test_files_payments_ratings import _docx


@pytest.fixture
def bulk(province, actors, media):
    def upload(content, filename="scan.png", who="receiver"):
        return services.enqueue_upload(actors[who], province.sxd.pk, filename, content)
    return upload


def _ran(job):
    run_jobs()
    return OcrJob.objects.get(pk=job.pk)


def test_a_blank_page_is_blank_with_no_text(bulk):
    job = _ran(bulk(samples.png(samples.page([]))))
    assert job.state == State.BLANK and job.reason == "blank" and job.text == ""
    assert {"code": "blank", "pages": 1} in job.warnings and not job.output_file


def test_a_scan_in_another_language_is_read_with_a_low_confidence_warning(bulk):
    job = _ran(bulk(samples.png(samples.page(samples.RUSSIAN))))
    assert job.state == State.DONE and job.text.strip()
    low = [w for w in job.warnings if w["code"] == "low_confidence"]
    assert low and low[0]["confidence"] < 70 and job.confidence < 70
    assert job.output_file


def test_a_300_page_pdf_is_too_large_before_any_page_is_read(bulk, settings):
    job = _ran(bulk(samples.blank_pdf(300), "ho-so-day.pdf"))
    assert job.state == State.TOO_LARGE and job.reason == "too_many_pages"
    assert job.warnings == [{"code": "too_many_pages", "pages": 300, "max_pages": 200}]
    settings.MOTCUA_OCR = dict(settings.MOTCUA_OCR, max_pages=400)   # configurable
    assert engine.prepare(samples.blank_pdf(300)).pages == 300


def test_an_encrypted_pdf_needs_the_password_once(bulk, actors):
    data = samples.encrypted(samples.pdf_of(samples.page()))
    job = _ran(bulk(data, "giay-to.pdf"))
    assert job.state == State.NEEDS_PASSWORD and job.reason == "pdf_encrypted"
    with pytest.raises(ValidationFailed) as err:
        services.supply_password(actors["receiver"], job.pk, "sai-mat-khau")
    assert err.value.code == "wrong_password"
    assert OcrJob.objects.get(pk=job.pk).state == State.NEEDS_PASSWORD
    with pytest.raises(NotFound):       # another officer's bulk job: as if it did not exist
        services.supply_password(actors["other"], job.pk, "mat-khau")
    assert services.supply_password(actors["receiver"], job.pk, "mat-khau").state == State.QUEUED
    job = _ran(job)
    assert job.state == State.DONE and "Nguyễn Văn An" in job.text
    with pytest.raises(Conflict):
        services.supply_password(actors["receiver"], job.pk, "mat-khau")


def test_an_image_bomb_is_refused_from_its_header(bulk, settings):
    bomb = samples.png_bomb()
    with pytest.raises(ValidationFailed) as err:
        bulk(bomb, "bom.png")
    assert err.value.code == "image_too_many_pixels" and not OcrJob.objects.exists()
    with pytest.raises(engine.Stop) as stop:      # the worker asks again (the limit may have been lowered)
        engine.prepare(bomb)
    assert (stop.value.outcome.state, stop.value.outcome.reason) == ("too_large", "image_too_many_pixels")


def test_resolution_is_read_or_estimated_and_under_150_dpi_refused(bulk):
    job = _ran(bulk(samples.png(samples.page(), dpi=100)))
    assert job.state == State.FAILED and job.reason == "low_resolution"
    assert job.warnings == [{"code": "low_resolution", "dpi": 100, "min_dpi": 150}]
    assert engine.prepare(samples.png(samples.page(), dpi=170)).warnings == [{"code": "below_200_dpi", "dpi": 170}]
    guessed = engine.prepare(samples.png(samples.page(width=2480), dpi=None))   # A4 wide at 212 dpi, no dpi in file
    assert (guessed.dpi, guessed.set_dpi) == (212, True)
    with pytest.raises(engine.Stop) as stop:
        engine.prepare(samples.png(samples.page(width=1000), dpi=None))
    assert stop.value.outcome.reason == "low_resolution"


def test_a_docx_is_listed_as_unsupported(bulk):
    job = bulk(_docx(), "to-khai.docx")
    assert job.state == State.UNSUPPORTED and job.reason == "file_type_not_supported" and job.final
    assert run_jobs() == 0


def test_a_pdf_that_already_has_text_is_not_read_again(bulk):
    from weasyprint import HTML
    job = _ran(bulk(HTML(string="<p>Giấy phép xây dựng số 12/GPXD</p>").write_pdf(), "giay-phep.pdf"))
    assert (job.state, job.reason) == (State.UNSUPPORTED, "pdf_has_text") and not job.output_file


def test_over_the_time_limit_the_run_is_stopped(bulk, settings):
    settings.MOTCUA_OCR = dict(settings.MOTCUA_OCR, time_limit_seconds=0.2)
    job = _ran(bulk(samples.png(samples.page())))
    assert job.state == State.FAILED and job.reason == "timeout" and job.text == ""


def test_a_job_of_a_dead_worker_ends_failed(bulk, actors):
    job = bulk(samples.png(samples.page()))
    assert services.start(job.pk).state == State.RUNNING
    assert services.start(job.pk) is None                 # never claimed twice
    assert services.sweep() == 0
    assert services.sweep(now=timezone.now() + timedelta(hours=2)) == 1
    job = OcrJob.objects.get(pk=job.pk)
    assert job.state == State.FAILED and job.reason == "worker_lost"
    assert services.get_for(actors["receiver"], job.pk).pk == job.pk
    for who in ("other", "specialist", "citizen"):
        with pytest.raises(NotFound):
            services.get_for(actors[who], job.pk)
