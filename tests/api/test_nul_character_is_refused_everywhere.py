"""A NUL character (U+0000) in any text input answers 400 `null_character`, before any view runs.

PostgreSQL text cannot hold a NUL: today each of these answered 500 there (and 200/404 on SQLite, as if the
value were ordinary). Every case below fails on the old code on both databases: it expects 400 with the
error code. The API answers its JSON error shape; pages answer the site's error page.
"""
import json

import pytest

from .schema_check import check

API_GETS = [
    "/api/v1/procedures/?q=%00",
    "/api/v1/procedures/?agency=%00&field=x",
    "/api/v1/procedures/%00/",
    "/api/v1/procedures/1.009974%00/",
    "/api/v1/dossiers/?q=%00",
    "/api/v1/dossiers/?procedure=%00",
    "/api/v1/dossiers/?agency=%00",
    "/api/v1/dossiers/%00/",
    "/api/v1/dossiers/%00/history/",
    "/api/v1/calendar/due/?start=2026-06-01&working_days=1&agency=%00",
    "/api/v1/indicators/report/?period=2026-06&agency=%00",
    "/api/v1/indicators/dossiers/?period=2026-06&agency=%00&indicator=x",
    "/api/v1/indicators/trend/?agency=%00",
    "/api/v1/indicators/plans/?agency=%00",
    "/api/v1/agencies/?%00=1",
]

PAGES = [
    "/tra-cuu/?code=%00&secret=1234",
    "/thu-tuc/%00/",
    "/thu-tuc/?q=%00",
    "/thu-tuc/?field=%00&agency=%00",
    "/can-bo/?q=%00",
    "/can-bo/?procedure=%00",
    "/can-bo/ho-so/%00/",
    "/can-bo/tiep-nhan/?procedure=%00",
    "/chi-so/?agency=%00",
    "/chi-so/co-quan/%00/",
    "/chi-so/ho-so/?agency=%00&indicator=x",
    "/ho-so-cua-toi/%00/",
]


@pytest.mark.parametrize("url", API_GETS)
def test_api_answers_400_null_character_in_the_error_shape(province, client_for, dossier, url):
    resp = client_for(province.receiver).get(url)
    assert resp.status_code == 400, (url, resp.status_code, resp.content[:300])
    body = resp.json()
    assert body["code"] == "null_character"
    assert "NUL" in body["message"] and set(body) == {"code", "message", "details"}
    if resp.resolver_match:        # resolved paths: the answer is the documented 400 of the operation
        check(resp)


@pytest.mark.parametrize("url", PAGES)
def test_pages_answer_a_400_error_page(province, client, dossier, url):
    client.force_login(province.receiver)
    resp = client.get(url)
    assert resp.status_code == 400, (url, resp.status_code)
    assert resp["Content-Type"].startswith("text/html")
    assert "ký tự NUL" in resp.content.decode()


def test_a_nul_in_the_public_lookup_is_refused(client, dossier):
    for body in ({"code": "\u0000", "secret": "1234"}, {"code": dossier.code, "secret": "12\u000034"}):
        resp = client.post("/api/v1/public/lookup/", json.dumps(body), content_type="application/json")
        assert resp.status_code == 400 and resp.json()["code"] == "null_character"
        check(resp)


def test_a_nul_in_a_json_body_is_refused(province, client_for, dossier):
    receiver = client_for(province.receiver)
    resp = receiver.post("/api/v1/dossiers/", json.dumps({"procedure": "1.009974\u0000", "applicant_name": "A"}),
                         content_type="application/json")
    assert resp.status_code == 400 and resp.json()["code"] == "null_character"
    assert resp.json()["details"] == {"where": "body", "field": "body.procedure"}
    check(resp)
    resp = receiver.post(f"/api/v1/dossiers/{dossier.code}/actions/forward/",
                         json.dumps({"version": 1, "note": ["x", {"a\u0000": 1}]}), content_type="application/json")
    assert resp.status_code == 400 and resp.json()["code"] == "null_character"
    # an escaped backslash followed by "u0000" is ordinary text, not a NUL
    resp = receiver.post(f"/api/v1/dossiers/{dossier.code}/actions/forward/",
                         json.dumps({"version": dossier.version, "note": "\\u0000"}), content_type="application/json")
    assert resp.status_code == 200, resp.content


def test_a_nul_in_a_posted_form_is_refused(province, client, dossier):
    client.force_login(province.receiver)
    resp = client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/forward/", {"version": "1", "note": "a\x00b"})
    assert resp.status_code == 400 and "ký tự NUL" in resp.content.decode()
    resp = client.post("/can-bo/tiep-nhan/?procedure=1.009974", {"procedure": "1.009974", "applicant_name": "\x00"})
    assert resp.status_code == 400
    resp = client.post("/tra-cuu/", {"code": "\x00", "secret": "1234"})
    assert resp.status_code == 400


def test_a_nul_in_a_cookie_is_refused(province, client):
    # a quoted cookie value: \000 is an octal escape for NUL (Django unquotes it)
    resp = client.get("/thu-tuc/", HTTP_COOKIE='sessionid="\\000abcdefghij"')
    assert resp.status_code == 400


def test_ordinary_input_still_passes(province, client_for, client, dossier):
    assert client_for(province.receiver).get("/api/v1/procedures/?q=ph%C3%A9p").status_code == 200
    assert client.get("/thu-tuc/?q=c%E1%BA%A5p").status_code == 200


@pytest.mark.postgres_only
def test_a_nul_in_a_multipart_field_of_the_api_is_400_on_postgresql(province, client_for, db):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL refuses NUL itself; SQLite stores it")
    resp = client_for(province.leader).post("/api/v1/signing/documents/", {
        "agency": "000.00.17\x00", "key_id": "1", "secrecy": "thuong",
        "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")},
        format="multipart")
    assert resp.status_code == 400 and resp.json()["code"] == "null_character"
