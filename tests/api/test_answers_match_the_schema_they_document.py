"""Schema truth: what the API answers is what docs/openapi.yaml says, for the cases found by generated input
(issue 8): plans and inspections are lists (the schema said object), a procedure's cut-off hour "15:00:00"
(the schema said `format: time`, which needs an offset), a body that is not JSON (400, undocumented), an
unknown path under /api/v1/ (an HTML page instead of the error shape), and `year=abc` (a 500)."""
import re
from datetime import date, time

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from motcua.catalog.models import Procedure
from motcua.indicators import services

from .schema_check import SCHEMA_FILE, check, spec

# RFC 3339 full-time, as JSON Schema's `format: time` requires it: the offset is mandatory.
RFC3339_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$")
strict_formats = FormatChecker()
strict_formats.checks("time")(lambda value: not isinstance(value, str) or bool(RFC3339_TIME.match(value)))


@pytest.fixture
def plan_and_inspection(actors, province):
    leader = actors["leader"]
    plan = services.create_plan(leader, agency_code=province.sxd.code, year=2026, title="Kế hoạch CCHC 2026",
                                number="15/KH-SXD")
    services.add_task(leader, plan.pk, title="Rà soát thủ tục", deadline=date(2026, 9, 30), owner_name="Văn phòng")
    ins = services.record_inspection(leader, agency_code=province.sxd.code, inspected_on=date(2026, 5, 20),
                                     inspector="Đoàn kiểm tra CCHC tỉnh")
    services.add_finding(leader, ins.pk, description="Chưa số hóa", follow_up="Số hóa kết quả", due=date(2026, 6, 30))
    return plan, ins


def test_plans_and_inspections_are_documented_lists(province, client_for, plan_and_inspection):
    leader = client_for(province.leader)
    plans = check(leader.get("/api/v1/indicators/plans/"))
    assert [p["title"] for p in plans] == ["Kế hoạch CCHC 2026"] and plans[0]["tasks"][0]["owner_agency"] is None
    assert check(leader.get("/api/v1/indicators/plans/?year=2026")) == plans
    assert check(leader.get("/api/v1/indicators/plans/?year=2025")) == []
    inspections = check(leader.get("/api/v1/indicators/inspections/"))
    assert inspections[0]["findings"][0]["resolved_on"] is None
    created = leader.post("/api/v1/indicators/plans/", {"agency": province.sxd.code, "year": 2027, "title": "KH 2027"},
                          format="json")
    assert created.status_code == 201 and check(created)["progress"]["percent"] is None


@pytest.mark.parametrize("year", ["abc", "null", "1e3", "99999999999999999999", "1999", "2101", "-1", "2026.5"])
def test_plans_year_must_be_a_year(province, client_for, year):
    resp = client_for(province.leader).get(f"/api/v1/indicators/plans/?year={year}")
    assert resp.status_code == 422, (year, resp.status_code)
    body = check(resp)
    assert body["code"] == "validation_error" and "year" in body["details"]


@pytest.mark.parametrize("field,value", [("title", "x" * 501), ("number", "9" * 61), ("agency", "a" * 41)])
def test_plan_texts_are_bounded_like_their_columns(province, client_for, field, value):
    data = {"agency": province.sxd.code, "year": 2026, "title": "Kế hoạch", field: value}
    resp = client_for(province.leader).post("/api/v1/indicators/plans/", data, format="json")
    assert resp.status_code == 422 and field in check(resp)["details"]


def test_cutoff_hour_matches_its_schema(province, client_for):
    Procedure.objects.filter(code="1.009974").update(cutoff=time(15, 0))
    body = check(client_for(None).get("/api/v1/procedures/1.009974/"))
    assert body["cutoff"] == "15:00:00"
    schema = spec()["components"]["schemas"]["Procedure"]["properties"]["cutoff"]
    errors = [e.message for e in Draft202012Validator(schema, format_checker=strict_formats).iter_errors("15:00:00")]
    assert errors == []


def test_no_schema_says_format_time_for_a_local_time():
    assert "format: time" not in SCHEMA_FILE.read_text(encoding="utf-8"), (
        "a local HH:MM:SS has no offset: describe it with a pattern, not `format: time`")


@pytest.mark.parametrize("url", ["/api/v1/indicators/plans/", "/api/v1/indicators/targets/",
                                 "/api/v1/indicators/inspections/", "/api/v1/dossiers/"])
def test_a_body_that_is_not_json_is_a_documented_400(province, client_for, url):
    resp = client_for(province.leader).post(url, '{"title": ', content_type="application/json")
    assert resp.status_code == 400
    assert check(resp)["code"] == "parse_error"


@pytest.mark.parametrize("url", ["/api/v1/nope/", "/api/v1/indicators/tasks/abc/complete/",
                                 "/api/v1/indicators/plans/null,null/tasks/", "/api/v1/dossiers/x/actions/"])
def test_unknown_paths_under_the_api_answer_the_error_shape(province, client_for, url):
    resp = client_for(province.leader).post(url, {}, format="json")
    assert resp.status_code == 404
    assert resp["Content-Type"] == "application/json"
    body = resp.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "not_found"


def test_unknown_pages_outside_the_api_stay_html(client):
    resp = client.get("/khong-co-trang-nay/")
    assert resp.status_code == 404 and resp["Content-Type"].startswith("text/html")
