"""Where the text read by OCR goes (connected when the app is ready):
- the search index: a component's row carries the OCR text of its attachments, a result's row its own; when
  a job ends "done", the rows of the scan and of the searchable PDF it became are rebuilt after the commit;
- the citizen's data store: the digitised-document records of those files get the text (`ocr_text`), and a
  record filed later reads it through `text_of` (datastore.services.file_document)."""
from motcua.search.kinds import text_source

from .services import text_of
from .signals import ocr_done


@text_source("component")
def component_text(component):
    return "\n".join(t for t in (text_of(a) for a in component.attachments.all()) if t)


@text_source("result")
def result_text(attachment):
    return text_of(attachment)


def _job_done(sender, job, **kwargs):
    from motcua.datastore.services import record_ocr_text
    from motcua.dossiers.models import Attachment
    from motcua.search.services import index_later
    ids = [pk for pk in (job.attachment_id, job.result_attachment_id) if pk]
    if not ids:
        return
    record_ocr_text(ids, job.text)
    for att in Attachment.objects.filter(pk__in=ids).select_related("component"):
        index_later(att.component if att.component_id else att)


def connect():
    ocr_done.connect(_job_done, dispatch_uid="motcua.ocr.feeds")
