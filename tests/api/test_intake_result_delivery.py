"""The API takes and shows how the result goes back (counter / postal with an address / electronic); a postal
delivery without an address is a 422 with a code, and nothing is created."""
import pytest

from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_postal_delivery_through_the_api(province, client_for, intake_data):
    client = client_for(province.receiver)
    body = dict(intake_data, channel=3, result_delivery="postal", delivery_address="5 Lê Lợi, Phường Hà Đông, Hà Nội")
    resp = client.post("/api/v1/dossiers/", body, format="json")
    assert resp.status_code == 201, resp.content
    shown = client.get(f"/api/v1/dossiers/{resp.json()['code']}/").json()
    assert (shown["result_delivery"], shown["delivery_address"]) == ("postal", "5 Lê Lợi, Phường Hà Đông, Hà Nội")


@pytest.mark.parametrize("extra, code", [({"result_delivery": "postal"}, "delivery_address_required"),
                                         ({"result_delivery": "fax"}, "validation_error")])
def test_bad_result_delivery_is_a_422(province, client_for, intake_data, extra, code):
    resp = client_for(province.receiver).post("/api/v1/dossiers/", dict(intake_data, **extra), format="json")
    assert resp.status_code == 422 and resp.json()["code"] == code, resp.content
    assert not Dossier.objects.exists()


def test_counter_intake_page_records_the_delivery(client, province):
    from motcua.catalog.models import Component
    client.force_login(province.receiver)
    form = {"procedure": province.proc.code, "applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678", "channel": "1", "sets_count": "1",
            "result_delivery": "postal", "delivery_address": "1 Trần Phú, Hà Nội"}
    for c in Component.objects.filter(procedure=province.proc):
        form[f"c{c.id}_provided"] = "on"
    resp = client.post("/can-bo/tiep-nhan/", form)
    d = Dossier.objects.get()
    assert (d.result_delivery, d.delivery_address) == ("postal", "1 Trần Phú, Hà Nội"), resp.status_code
