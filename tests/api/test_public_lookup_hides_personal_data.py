"""Public status lookup: code + phone suffix, POSTed (never in the query string); masked name, no personal
data; no way to tell a wrong secret from a missing dossier; throttled per client address with the error shape;
a dossier's lookup locks after too many wrong secrets."""
import json

from .schema_check import check


def lookup(client, code, secret, **extra):
    return client.post("/api/v1/public/lookup/", {"code": code, "secret": secret}, content_type="application/json",
                       **extra)


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
    # a form post works too
    form = client.post("/api/v1/public/lookup/", {"code": dossier.code, "secret": "5678"})
    assert form.status_code == 200 and check(form)["code"] == dossier.code


def test_the_secret_is_never_taken_from_the_query_string(client, dossier):
    resp = client.get("/api/v1/public/lookup/", {"code": dossier.code, "secret": "5678"})
    assert resp.status_code == 405
    assert resp.json()["code"] == "method_not_allowed"
    assert dossier.code not in resp.content.decode()


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


def test_lookup_is_throttled_with_the_error_shape(client, dossier, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"public_lookup": "3/min"}}
    answers = [lookup(client, dossier.code, secret).status_code for secret in ("0000", "0001", "5678")]
    assert answers == [404, 404, 200]
    resp = lookup(client, dossier.code, "5678")     # even the right secret, once over the limit
    assert resp.status_code == 429
    body = check(resp)
    assert body["code"] == "throttled" and body["message"].startswith("Bạn đã gửi quá nhiều yêu cầu")
    assert 0 < int(resp["Retry-After"]) <= 61


def test_a_forged_x_forwarded_for_does_not_escape_the_limit(client, dossier, settings):
    """Without configured proxies, X-Forwarded-For is the client's own claim: ignored."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"public_lookup": "3/min"}}
    answers = [lookup(client, "X-1", "0000", HTTP_X_FORWARDED_FOR=f"10.9.8.{i}").status_code for i in range(5)]
    assert answers == [404, 404, 404, 429, 429]


def test_after_five_wrong_secrets_the_dossier_is_locked_even_from_other_addresses(client, dossier, settings):
    settings.MOTCUA_LOOKUP_MAX_FAILURES = 5
    settings.MOTCUA_LOOKUP_LOCKOUT_MINUTES = 15
    for i in range(5):
        resp = lookup(client, dossier.code, f"000{i}", REMOTE_ADDR=f"192.0.2.{i}")
        assert resp.status_code == 404
    # the right secret, from yet another address: locked for 15 minutes
    resp = lookup(client, dossier.code, "5678", REMOTE_ADDR="198.51.100.7")
    assert resp.status_code == 429
    body = check(resp)
    assert body["code"] == "lookup_locked" and "15 phút" in body["message"]
    assert 14 * 60 < int(resp["Retry-After"]) <= 15 * 60 + 1
    # other dossiers are not affected; an unknown code locks the same way (a lock tells nothing)
    assert lookup(client, "000.00.17.H13-990101-0001", "5678", REMOTE_ADDR="198.51.100.8").status_code == 404


def test_a_right_secret_clears_the_failures(client, dossier, settings):
    settings.MOTCUA_LOOKUP_MAX_FAILURES = 3
    for _round in range(3):
        for secret in ("0000", "0001"):
            assert lookup(client, dossier.code, secret).status_code == 404
        assert lookup(client, dossier.code, "5678").status_code == 200
