"""Public status lookup: code + phone suffix; masked name, no personal data; no way to tell a wrong
secret from a missing dossier; throttled with the error shape."""
import json

from rest_framework.throttling import ScopedRateThrottle

from .schema_check import check


def lookup(client, code, secret):
    return client.get("/api/v1/public/lookup/", {"code": code, "secret": secret})


def test_code_and_phone_suffix_show_the_status_without_personal_data(client, dossier):
    resp = lookup(client, dossier.code, "5678")
    assert resp.status_code == 200
    body = check(resp)            # strict: a field the schema does not list would fail here
    assert body["code"] == dossier.code and body["status"] == 2
    assert body["applicant"] == "N***** V** An"
    text = json.dumps(body, ensure_ascii=False)
    for private in ("0912345678", "5678", "001203004567", "Trần Phú", "Nguyễn Văn An", "Cấp phép nhà ở"):
        assert private not in text, private
    assert body["current_step"] == "Tiếp nhận hồ sơ"


def test_wrong_secret_and_unknown_code_give_identical_answers(client, dossier):
    wrong = lookup(client, dossier.code, "0000")
    unknown = lookup(client, "000.00.17.H13-990101-0001", "5678")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content
    assert check(wrong)["code"] == "lookup_not_found"


def test_missing_fields_are_422(client, dossier):
    resp = lookup(client, dossier.code, "")
    assert resp.status_code == 422
    assert check(resp)["code"] == "lookup_fields_required"


def test_lookup_is_throttled_with_the_error_shape(client, dossier, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public_lookup": "3/min"})
    answers = [lookup(client, dossier.code, secret).status_code for secret in ("0000", "0001", "5678")]
    assert answers == [404, 404, 200]
    resp = lookup(client, dossier.code, "5678")     # even the right secret, once over the limit
    assert resp.status_code == 429
    body = check(resp)
    assert body["code"] == "throttled" and body["message"].startswith("Bạn đã gửi quá nhiều yêu cầu")
    assert 0 < int(resp["Retry-After"]) <= 60
