"""The citizen's "Kho dữ liệu của tôi" page, and reuse on the two filing forms: the portal offers the
verified account's own documents for each component; the counter offers them after the officer looks up
the applicant's ID number and name. A guessed document id is refused and nothing is stored."""
import re

import pytest

from motcua.datastore.models import DigitisedDocument, Reuse, Source
from motcua.dossiers.models import Dossier

from .test_reuse_offers_and_links_only_the_owners_documents import held  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_the_page_lists_the_owners_documents_only(client, store_province, held):  # noqa: F811
    p = store_province
    client.force_login(p.citizen)
    html = client.get("/kho-du-lieu/").content.decode()
    assert "Kho dữ liệu của tôi" in html and "12/BV" in html and "đến 31/12/2030" in html
    assert "Giấy phép xây dựng" in html and "Vĩnh viễn" in html
    doc = held[Source.SIGNED_RESULT]
    resp = client.get(f"/kho-du-lieu/{doc.pk}/tep/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    client.force_login(p.citizen_b)
    html = client.get("/kho-du-lieu/").content.decode()
    assert "12/BV" not in html and "chưa có giấy tờ nào" in html
    assert client.get(f"/kho-du-lieu/{doc.pk}/tep/").status_code == 404


def _review(client, code, **fields):
    form = {"step": "review", "applicant_name": "Nguyễn Văn An", "applicant_phone": "0912 345 678",
            "applicant_id_number": "001203004567", "applicant_kind": "citizen", **fields}
    return client.post(f"/thu-tuc/{code}/nop/", form)


def test_the_portal_offers_held_documents_and_files_with_them(client, store_province, held):  # noqa: F811
    p = store_province
    client.force_login(p.citizen)
    form = client.get("/thu-tuc/1.009975/nop/").content.decode()
    assert "đã có trong kho, hiệu lực vĩnh viễn" in form and "đã có trong kho, còn hiệu lực đến 31/12/2030" in form
    resp = _review(client, "1.009975", **{f"c{p.renew_permit.pk}_store": str(held[Source.SIGNED_RESULT].pk),
                                          f"c{p.renew_drawings.pk}_store": str(held[Source.CERTIFIED_COPY].pk)})
    assert resp.status_code == 200, resp.content.decode()[:2000]
    token = re.search(r'name="token" value="([0-9a-f]+)"', resp.content.decode()).group(1)
    resp = client.post("/thu-tuc/1.009975/nop/", {"step": "confirm", "token": token})
    assert resp.status_code == 302
    d = Dossier.objects.get(procedure=p.renew)
    assert {r.document.source for r in Reuse.objects.filter(dossier=d)} == {Source.SIGNED_RESULT,
                                                                          Source.CERTIFIED_COPY}
    assert all(c.provided for c in d.components.filter(component__in=[p.renew_permit, p.renew_drawings]))


def test_the_portal_refuses_a_guessed_document_id(client, store_province, held):  # noqa: F811
    p = store_province
    client.force_login(p.citizen_b)
    assert "đã có trong kho" not in client.get("/thu-tuc/1.009975/nop/").content.decode()
    resp = _review(client, "1.009975", **{f"c{p.renew_permit.pk}_store": str(held[Source.SIGNED_RESULT].pk),
                                          f"c{p.renew_drawings.pk}_store": str(held[Source.CERTIFIED_COPY].pk)})
    assert resp.status_code == 422
    assert not Dossier.objects.filter(procedure=p.renew).exists() and not Reuse.objects.exists()


def _counter(client, proc, **extra):
    data = {"procedure": proc.code, "channel": "1", "sets_count": "1", "applicant_name": "Nguyễn Văn An",
            "applicant_id_number": "001203004567", "applicant_phone": "0912345678", "result_delivery": "counter",
            **extra}
    return client.post(f"/can-bo/tiep-nhan/?procedure={proc.code}", data)


def test_the_counter_looks_up_then_receives_with_the_held_documents(client, store_province, held):  # noqa: F811
    p = store_province
    client.force_login(p.receiver)
    html = _counter(client, p.renew, lookup_store="1").content.decode()
    assert f'name="c{p.renew_permit.pk}_store"' in html and "đã có trong kho, hiệu lực vĩnh viễn" in html
    html = _counter(client, p.renew, lookup_store="1", applicant_name="Trần Thị Bình").content.decode()
    assert f'name="c{p.renew_permit.pk}_store"' not in html
    resp = _counter(client, p.renew, **{f"c{p.renew_permit.pk}_store": str(held[Source.SIGNED_RESULT].pk),
                                        f"c{p.renew_drawings.pk}_provided": "on"})
    assert resp.status_code == 302
    d = Dossier.objects.get(procedure=p.renew)
    assert Reuse.objects.get(dossier=d).document == held[Source.SIGNED_RESULT]


def test_the_counter_cannot_link_another_persons_document(client, store_province, held):  # noqa: F811
    p = store_province
    client.force_login(p.receiver)
    resp = _counter(client, p.renew, applicant_name="Trần Thị Bình", applicant_id_number="001090000001",
                    **{f"c{p.renew_permit.pk}_store": str(held[Source.SIGNED_RESULT].pk),
                       f"c{p.renew_drawings.pk}_provided": "on"})
    assert resp.status_code != 302
    assert not Dossier.objects.filter(procedure=p.renew).exists() and not Reuse.objects.exists()
    assert DigitisedDocument.objects.count() == 2
