"""What OCR reads is found: once a counter scan's job is done, a search without accents finds the component by
a word that is only in the scan, and the scan's record in the citizen's data store holds the text (filed
before the job ended, or after)."""
import unicodedata

from motcua.datastore.models import DigitisedDocument, Source
from motcua.datastore.services import file_document
from motcua.integrations.worker import run_jobs
from motcua.ocr import services
from motcua.ocr.models import OcrJob, State
from motcua.search import services as search

from . import samples


def test_a_word_read_from_the_scan_is_searchable_and_kept_in_the_store(scan_of, actors,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        original = scan_of(samples.png(samples.page()))
    assert not [h for h in search.search(actors["receiver"], "Da Nang").hits if h.kind == "component"]
    before = file_document(actors["receiver"], original, source=Source.SCANNED,
                           dossier_component=original.component)
    assert before.ocr_text == ""

    job = services.enqueue_attachment(actors["receiver"], original.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs()
    job = OcrJob.objects.get(pk=job.pk)
    assert job.state == State.DONE, job.reason

    hits = [h for h in search.search(actors["receiver"], "Da Nang").hits if h.kind == "component"]
    assert [h.object_id for h in hits] == [original.component_id]
    assert search.search(actors["other"], "Da Nang").hits == []            # another agency: nothing

    before.refresh_from_db()
    assert "Đà Nẵng" in unicodedata.normalize("NFC", before.ocr_text)
    later = file_document(actors["receiver"], job.result_attachment, source=Source.SCANNED,
                          dossier_component=original.component)
    assert later.ocr_text == job.text and DigitisedDocument.objects.filter(ocr_text="").count() == 0
