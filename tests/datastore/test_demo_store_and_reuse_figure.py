"""The demo seed fills the data store through the services, and the closing note's figure files twice for
the same people: of the second filings' components (1.009977: application, permit, drawings; 1.012885:
request, land-use paper), the permit and the land-use paper come from the store: 2 of 5."""
import io

import pytest
from django.core.management import call_command

from motcua.datastore.models import DigitisedDocument, Reuse, Source
from motcua.dossiers.models import Status

pytestmark = pytest.mark.django_db


def test_seed_then_the_reuse_figure():
    out = io.StringIO()
    call_command("seed", "--lifecycle", "0", "--quiet", stdout=out)
    assert "datastore: 5 công dân có giấy tờ số hóa" in out.getvalue()
    docs = DigitisedDocument.objects.all()
    assert docs.count() == 15 and set(docs.values_list("source", flat=True)) == {Source.SCANNED}
    assert docs.filter(result_code="KQ.1.009974", dossier__status=Status.FINISHED).count() == 5
    out = io.StringIO()
    call_command("datastore_reuse_figure", "--people", "1", stdout=out)
    assert "1.009977: 1/3" in out.getvalue() and "1.012885: 1/2" in out.getvalue()
    assert "2/5 = 40.0%" in out.getvalue()
    assert {(r.dossier.procedure.code, r.replaces_result_code) for r in Reuse.objects.all()} == {
        ("1.009977", "KQ.1.009974"), ("1.012885", "")}
