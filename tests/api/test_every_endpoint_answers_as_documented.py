"""Every endpoint's answers, success and error, match docs/openapi.yaml (strict: no undocumented fields)."""
import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status

from motcua.agencies.scope import actor_for

from ..conftest import INTAKE, at, attach_result
from .schema_check import check


def act(client, code, action, **body):
    return client.post(f"/api/v1/dossiers/{code}/actions/{action}/", body, format="json")


def test_dossier_lifecycle_through_the_api_matches_the_schema(province, client_for):
    receiver, specialist = client_for(province.receiver), client_for(province.specialist)
    leader, clerk = client_for(province.leader), client_for(province.clerk)

    resp = receiver.post("/api/v1/dossiers/", INTAKE, format="json")
    assert resp.status_code == 201
    d = check(resp)
    code = d["code"]

    for client in (receiver, specialist, leader, clerk):
        listed = check(client.get("/api/v1/dossiers/"))
        assert [x["code"] for x in listed["results"]] == [code]
    body = check(receiver.get(f"/api/v1/dossiers/{code}/"))
    assert body["status"] == Status.RECEIVED and "forward" in body["allowed_actions"]

    d = check(act(receiver, code, "forward", version=d["version"]))
    d = check(act(specialist, code, "request_supplement", version=d["version"], reason="Thiếu bản vẽ",
                  components=["Bản vẽ mặt bằng"]))
    assert d["status"] == Status.SUPPLEMENT_REQUESTED and d["pauses"][0]["components"] == ["Bản vẽ mặt bằng"]
    d = check(act(specialist, code, "supplement_received", version=d["version"], note="Đã nhận"))
    d = check(act(leader, code, "extend", version=d["version"], reason="Cần xác minh thực địa",
                  new_appointment="2099-01-05T10:00:00+07:00"))
    assert d["extensions"][0]["reason"] == "Cần xác minh thực địa"
    d = check(act(specialist, code, "forward", version=d["version"]))
    d = check(act(leader, code, "approve", version=d["version"]))
    refused = clerk.post(f"/api/v1/dossiers/{code}/actions/mark_result_ready/", {"version": d["version"]},
                         format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "result_file_required"
    attach_result(actor_for(province.clerk), code)
    d = check(clerk.get(f"/api/v1/dossiers/{code}/"))
    d = check(act(clerk, code, "mark_result_ready", version=d["version"]))
    unpaid = receiver.post(f"/api/v1/dossiers/{code}/actions/return_result/", {"version": d["version"]},
                           format="json")
    assert unpaid.status_code == 422 and unpaid.json()["code"] == "fee_unpaid"
    d = check(act(receiver, code, "return_result", version=d["version"], unpaid_fee_confirmed=True))
    assert d["status"] == Status.RETURNED and d["allowed_actions"] == []

    history = check(receiver.get(f"/api/v1/dossiers/{code}/history/"))
    assert [h["action"] for h in history] == [
        "submit", "receive", "forward", "request_supplement", "supplement_received", "extend", "forward",
        "approve", "attach_result", "mark_result_ready", "return_result"]


def test_lists_with_filters_match_the_schema(province, actors, intake_data, client_for, dossier):
    # `dossier` was received today, at the receiving officer's step; `late` in June, now overdue at the
    # specialist's step: every filter must tell them apart
    late, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    services.forward(actors["receiver"], late.code, version=late.version, now=at("2026-06-01 09:00"))
    receiver = client_for(province.receiver)
    both = sorted([dossier.code, late.code])
    for query, codes in (("list=to_process", [dossier.code]), ("list=overdue", [late.code]),
                         ("status=2", [dossier.code]), ("status=4", [late.code]), (f"q={dossier.code}", [dossier.code]),
                         ("ordering=-code", both[::-1]), ("ordering=code", both),
                         ("agency=000.00.17.H13", None), ("procedure=1.009974", None), ("agency=000.00.18.H13", [])):
        body = check(receiver.get(f"/api/v1/dossiers/?{query}"))
        got = [row["code"] for row in body["results"]]
        if codes is None:
            assert sorted(got) == both, query
        else:
            assert got == codes and body["count"] == len(codes), query
    body = check(receiver.get("/api/v1/dossiers/?page_size=1"))
    assert body["count"] == 2 and len(body["results"]) == 1
    assert check(receiver.get("/api/v1/dossiers/?page=9"))["code"] == "not_found"
    for bad in ("list=everything", "status=abc", "ordering=applicant_phone"):
        resp = receiver.get(f"/api/v1/dossiers/?{bad}")
        assert resp.status_code == 422
        check(resp)


def test_catalogue_agencies_calendar_and_me_match_the_schema(province, client_for):
    anon = client_for(None)
    procs = check(anon.get("/api/v1/procedures/"))
    assert {p["code"] for p in procs["results"]} == {"1.009974", "2.000908"}
    check(anon.get("/api/v1/procedures/?q=phép&online_level=full&agency=000.00.17.H13&field=XD"))
    detail = check(anon.get("/api/v1/procedures/1.009974/"))
    assert [s["order"] for s in detail["steps"]] == [1, 2, 3] and detail["fees"][0]["amount"] == 150000
    assert check(anon.get("/api/v1/procedures/9.999999/"))["code"] == "not_found"

    agencies = check(anon.get("/api/v1/agencies/"))
    assert agencies["count"] == 5 and agencies["results"][0]["parent"] is None

    due = check(anon.get("/api/v1/calendar/due/?start=2026-06-01T08:00:00%2B07:00&working_days=3"))
    assert due["due"] == "2026-06-04T08:00:00+07:00"
    assert check(anon.get("/api/v1/calendar/due/?start=2026-06-01T08:00:00%2B07:00"))["code"] == "duration_required"
    assert check(anon.get("/api/v1/calendar/due/?start=x&working_days=1&agency=nope"))["code"] == "unknown_agency"

    me = check(client_for(province.other).get("/api/v1/me/"))
    assert me["username"] == "tiepnhan_stp"
    assert sorted(r["role"] for r in me["roles"]) == ["agency_leader", "clerk", "receiving_officer", "specialist"]
    assert check(anon.get("/api/v1/me/"))["code"] == "not_authenticated"


def test_bad_token_is_401_with_the_error_shape_even_on_public_endpoints(province):
    from rest_framework.test import APIClient
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    for url in ("/api/v1/procedures/", "/api/v1/agencies/", "/api/v1/me/", "/api/v1/dossiers/"):
        resp = client.get(url)
        assert resp.status_code == 401, url
        assert check(resp)["code"] == "authentication_failed"
        assert resp["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("status, make", [
    (400, lambda c, d: c.post(f"/api/v1/dossiers/{d.code}/actions/forward/", "{not json",
                              content_type="application/json")),
    (401, lambda c, d: c.__class__().get(f"/api/v1/dossiers/{d.code}/history/")),
    (403, lambda c, d: c.post(f"/api/v1/dossiers/{d.code}/actions/approve/", {"version": d.version}, format="json")),
    (404, lambda c, d: c.get("/api/v1/dossiers/000.00.17.H13-000101-9999/history/")),
    (404, lambda c, d: c.post(f"/api/v1/dossiers/{d.code}/actions/fly_away/", {"version": 1}, format="json")),
    (409, lambda c, d: c.post(f"/api/v1/dossiers/{d.code}/actions/receive/", {"version": d.version}, format="json")),
    (415, lambda c, d: c.post(f"/api/v1/dossiers/{d.code}/actions/forward/", "version=1", content_type="text/plain")),
    (422, lambda c, d: c.post(f"/api/v1/dossiers/{d.code}/actions/forward/", {}, format="json")),
])
def test_error_answers_have_the_documented_shape(province, client_for, dossier, status, make):
    resp = make(client_for(province.receiver), dossier)
    assert resp.status_code == status
    body = check(resp)
    assert set(body) == {"code", "message", "details"} and body["message"]
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version
