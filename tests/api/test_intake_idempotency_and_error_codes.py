"""Intake through the API, Idempotency-Key replay, and the error codes of the lifecycle rules."""
from django.utils.dateparse import parse_datetime

from motcua.dossiers.models import Dossier, IdempotentRequest, Status

from ..conftest import INTAKE
from .schema_check import check


def post_intake(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/dossiers/", body, format="json", **headers)


def test_counter_intake_creates_a_received_dossier(province, client_for):
    resp = post_intake(client_for(province.receiver), INTAKE)
    assert resp.status_code == 201
    assert "Location" not in resp
    body = check(resp)
    assert body["code"].startswith("000.00.17.H13-") and body["status"] == Status.RECEIVED == 2
    assert parse_datetime(body["due_at"]) > parse_datetime(body["received_at"])
    assert body["appointment_at"] == body["due_at"]
    assert body["applicant_phone"] == "0912345678"      # officers see the full record
    assert Dossier.objects.filter(code=body["code"]).count() == 1


def test_same_key_and_same_body_replays_the_first_dossier(province, client_for):
    client = client_for(province.receiver)
    first = post_intake(client, INTAKE, key="may-1-lan-0001")
    again = post_intake(client, INTAKE, key="may-1-lan-0001")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert check(again)["code"] == check(first)["code"]
    assert Dossier.objects.count() == 1 and IdempotentRequest.objects.count() == 1


def test_same_key_with_another_body_is_409(province, client_for):
    client = client_for(province.receiver)
    assert post_intake(client, INTAKE, key="k-0002").status_code == 201
    resp = post_intake(client, dict(INTAKE, applicant_name="Trần Thị Bình"), key="k-0002")
    assert resp.status_code == 409
    assert check(resp)["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1


def test_keys_belong_to_one_caller(province, client_for):
    assert post_intake(client_for(province.receiver), INTAKE, key="k-0003").status_code == 201
    resp = post_intake(client_for(province.centre_receiver), INTAKE, key="k-0003")
    assert resp.status_code == 201          # another officer's key space: a new dossier
    assert Dossier.objects.count() == 2


def test_invalid_input_is_422_with_details_per_field_in_vietnamese(province, client_for):
    resp = post_intake(client_for(province.receiver), {"applicant_phone": "gọi tôi", "sets_count": 0,
                                                       "channel": 9})
    assert resp.status_code == 422
    body = check(resp)
    assert body["code"] == "validation_error" and body["message"] == "Dữ liệu không hợp lệ."
    assert set(body["details"]) == {"procedure", "applicant_name", "applicant_phone", "sets_count", "channel"}
    assert body["details"]["procedure"] == ["Trường này là bắt buộc."]
    assert body["details"]["sets_count"] == ["Giá trị phải lớn hơn hoặc bằng 1."]
    assert body["details"]["applicant_phone"] == ["Giá trị không đúng định dạng."]
    assert body["details"]["channel"] == ["“9” không phải là lựa chọn hợp lệ."]
    assert Dossier.objects.count() == 0


def test_action_input_errors_are_in_vietnamese(province, client_for, dossier):
    resp = act(client_for(province.leader), dossier.code, "extend", version=0, new_appointment="mai",
               components="x")
    assert resp.status_code == 422
    details = check(resp)["details"]
    assert details["version"] == ["Giá trị phải lớn hơn hoặc bằng 1."]
    assert details["new_appointment"][0].startswith("Ngày giờ không đúng định dạng")
    assert details["components"] == ["Phải là một danh sách."]


def test_domain_validation_is_422_too(province, client_for):
    resp = post_intake(client_for(province.receiver), dict(INTAKE, procedure="9.999999"))
    assert resp.status_code == 422
    assert check(resp)["code"] == "unknown_procedure"


def test_only_receiving_officers_receive(province, client_for):
    resp = post_intake(client_for(province.specialist), INTAKE)
    assert resp.status_code == 403
    assert check(resp)["code"] == "role_required"


def act(client, code, action, **body):
    return client.post(f"/api/v1/dossiers/{code}/actions/{action}/", body, format="json")


def test_invalid_transition_is_409(province, client_for, dossier):
    resp = act(client_for(province.receiver), dossier.code, "receive", version=dossier.version)
    assert resp.status_code == 409
    body = check(resp)
    assert body["code"] == "invalid_transition" and body["details"]["status"] == Status.RECEIVED
    assert "Tiếp nhận" in body["message"]


def test_missing_reason_is_422(province, client_for, dossier):
    for reason in (None, "", "   "):
        body = {"version": dossier.version} | ({"reason": reason} if reason is not None else {})
        resp = act(client_for(province.receiver), dossier.code, "refuse", **body)
        assert resp.status_code == 422
        assert check(resp)["code"] == "reason_required"
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED


def test_stale_version_is_409(province, client_for, dossier):
    client = client_for(province.receiver)
    resp = act(client, dossier.code, "forward", version=dossier.version + 1)
    assert resp.status_code == 409
    assert check(resp)["code"] == "stale_version"
    ok = act(client, dossier.code, "forward", version=dossier.version)
    assert ok.status_code == 200 and check(ok)["version"] == dossier.version + 1
    again = act(client_for(province.specialist), dossier.code, "forward", version=dossier.version)  # used up
    assert again.status_code == 409 and check(again)["code"] == "stale_version"


def test_wrong_role_is_403(province, client_for, dossier):
    resp = act(client_for(province.clerk), dossier.code, "refuse", version=dossier.version, reason="x")
    assert resp.status_code == 403
    body = check(resp)
    assert body["code"] == "role_required" and body["details"]["action"] == "refuse"
