"""Demo data of the back office: a demo dossier's result is a small PDF attached before it is marked ready
(mark_result_ready refuses a dossier without a result file)."""
from motcua.dossiers import services

RESULT_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
              b"trailer<</Root 1 0 R>>\n%%EOF\n")


def result_ready(actor, code, *, now, note=""):
    """Attach the demo result file, then mark the result ready (two acts, as an officer does them)."""
    services.attach(actor, code, kind="result", filename="ket-qua-giai-quyet.pdf", content=RESULT_PDF, now=now)
    return services.mark_result_ready(actor, code, now=now, note=note)
