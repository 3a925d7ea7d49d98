"""The API takes in dossiers by the same routing rules as the counter form: the deciding agency is the one
the officer may receive for, a department receives only its own procedures, and an officer cannot record
an online (channel 2) dossier."""
from motcua.dossiers.models import Dossier

from ..conftest import INTAKE
from .schema_check import check


def post(client, body):
    return client.post("/api/v1/dossiers/", body, format="json")


def test_district_officer_takes_in_a_procedure_every_district_decides(districts, client_for):
    body = {**INTAKE, "procedure": "2.000386"}
    resp = post(client_for(districts.district_ro), body)
    assert resp.status_code == 201, resp.content
    assert check(resp)["agency"] == districts.luongson.code
    resp = post(client_for(districts.centre_receiver), body)
    assert resp.status_code == 422 and check(resp)["code"] == "agency_required"
    assert set(resp.json()["details"]["agencies"]) == {districts.luongson.code, districts.kimboi.code}


def test_department_officer_cannot_take_in_another_departments_procedure(province, client_for):
    resp = post(client_for(province.receiver), {**INTAKE, "procedure": "2.000908"})
    assert resp.status_code == 403 and check(resp)["code"] == "receipt_out_of_scope"
    assert not Dossier.objects.exists()


def test_officer_cannot_record_an_online_dossier(province, client_for):
    resp = post(client_for(province.receiver), {**INTAKE, "channel": 2})
    assert resp.status_code == 422 and check(resp)["code"] == "channel_not_allowed"
    assert not Dossier.objects.exists()
    resp = post(client_for(province.citizen), {**INTAKE, "channel": 2})
    assert resp.status_code == 201 and check(resp)["status"] == 1
