"""API, pages, CLI and exports of the indicators; reform plans and inspections."""
import io
import json
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from motcua.agencies import tokens
from motcua.core.errors import NotAllowed
from motcua.indicators import services
from motcua.indicators.models import ReformPlan


@pytest.fixture
def api(client, province):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {tokens.issue(province.leader)}"
    return client


@pytest.fixture
def data(province, make):
    late = make.finished("2026-06-01 08:00", "2026-06-10 08:00")
    ok = make.finished("2026-06-01 08:00", "2026-06-02 08:00")
    return {"late": late, "ok": ok}


def test_report_and_drilldown_api(api, province, data):
    rep = api.get("/api/v1/indicators/report/?period=2026-06").json()
    assert [a["code"] for a in rep["agencies"]] == [province.sxd.code, province.stp.code]
    assert {i["code"] for i in rep["not_supported"]} >= {"1.1", "4.5"}
    page = api.get(f"/api/v1/indicators/dossiers/?period=2026-06&agency={province.sxd.code}&indicator=2.1"
                   f"&subset=late").json()
    assert [r["code"] for r in page["results"]] == [data["late"]]
    # another department's dossiers are out of the caller's scope: 404
    resp = api.get(f"/api/v1/indicators/dossiers/?period=2026-06&agency={province.stp.code}&indicator=2.1"
                   f"&subset=late")
    assert resp.status_code == 404
    bad = api.get("/api/v1/indicators/report/?period=2026-13")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_period"
    trend = api.get("/api/v1/indicators/trend/?period=2026-Q2").json()
    assert [t["period"] for t in trend] == ["2026-04", "2026-05", "2026-06"] and trend[2]["on_time"] == 0.5


def test_citizens_and_anonymous_get_the_public_rates_only(client, province, data):
    pub = client.get("/api/v1/indicators/public/?period=2026-06").json()
    row = next(r for r in pub["agencies"] if r["code"] == province.sxd.code)
    assert (row["on_time"], row["dossiers"], row["percent"]) == (1, 2, 50.0)
    assert client.get("/api/v1/indicators/report/?period=2026-06").status_code == 401
    client.force_login(province.citizen)
    assert client.get("/api/v1/indicators/report/?period=2026-06").status_code == 403
    page = client.get("/chi-so/cong-khai/?period=2026-06")
    assert page.status_code == 200 and "Sở Xây dựng" in page.content.decode() and "<svg" in page.content.decode()


def test_pages(client, province, data):
    client.force_login(province.leader)
    body = client.get("/chi-so/?period=2026-06").content.decode()
    assert "Sở Xây dựng" in body and "<svg" in body and "Dữ liệu hệ thống chưa hỗ trợ" in body
    body = client.get(f"/chi-so/co-quan/{province.sxd.code}/?period=2026-06").content.decode()
    assert "Xem hồ sơ" in body and "2.1" in body
    body = client.get(f"/chi-so/ho-so/?period=2026-06&agency={province.sxd.code}&indicator=2.1&subset=late")
    assert data["late"] in body.content.decode() and data["ok"] not in body.content.decode()
    assert client.get(f"/chi-so/ho-so/?period=2026-06&agency={province.stp.code}&indicator=2.1&subset=late") \
        .status_code == 404
    xlsx = client.get("/chi-so/bao-cao.xlsx?period=2026-H1")
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[:3] == ["Xếp hạng", "Chỉ số", "Chưa hỗ trợ"]
    assert client.get("/chi-so/ke-hoach/").status_code == 200


def test_cli_json_and_xlsx(province, data, tmp_path):
    out = io.StringIO()
    call_command("indicators", "--period", "2026-06", stdout=out)
    rep = json.loads(out.getvalue())
    sxd = next(a for a in rep["agencies"] if a["code"] == province.sxd.code)
    assert {i["code"]: i for i in sxd["indicators"]}["2.1"]["percent"] == 50.0
    path = tmp_path / "r.xlsx"
    call_command("indicators", "--period", "2026", "--format", "xlsx", "--output", str(path), stderr=io.StringIO())
    ws = load_workbook(path)["Chỉ số"]
    assert any(row[2] == "2.1" for row in ws.iter_rows(values_only=True))


def test_pdf_report_has_vietnamese_text(province, data, tmp_path):
    pytest.importorskip("weasyprint")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed: cannot check the PDF text")
    path = tmp_path / "r.pdf"
    call_command("indicators", "--period", "2026-H1", "--format", "pdf", "--output", str(path), stderr=io.StringIO())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert "BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP" in text
    assert "6 tháng đầu năm 2026" in text and "Sở Xây dựng" in text and "Tỷ lệ hồ sơ giải quyết đúng hạn" in text


def test_reform_plan_completion_and_inspection_follow_up(actors, province):
    leader = actors["leader"]
    plan = services.create_plan(leader, agency_code=province.sxd.code, year=2026, title="Kế hoạch CCHC năm 2026",
                                number="15/KH-SXD")
    tasks = [services.add_task(leader, plan.pk, title=f"Nhiệm vụ {k}", deadline=date(2026, 12, 31),
                               owner_name="Văn phòng Sở") for k in range(42)]
    for t in tasks[:39]:
        services.complete_task(leader, t.pk, done_on=date(2026, 11, 30))
    p = services.progress(ReformPlan.objects.get(pk=plan.pk), today=date(2026, 12, 1))
    assert (p["done"], p["total"], p["percent"]) == (39, 42, 92.86)
    with pytest.raises(NotAllowed):
        services.create_plan(actors["specialist"], agency_code=province.sxd.code, year=2026, title="x")
    ins = services.record_inspection(leader, agency_code=province.sxd.code, inspected_on=date(2026, 5, 20),
                                     inspector="Đoàn kiểm tra CCHC tỉnh")
    f = services.add_finding(leader, ins.pk, description="Chưa số hóa kết quả", follow_up="Số hóa 100 % kết quả",
                             due=date(2026, 6, 30))
    services.resolve_finding(leader, f.pk, resolved_on=date(2026, 6, 20), resolution="Đã số hóa")
    f.refresh_from_db()
    assert f.resolved_on == date(2026, 6, 20)


def test_plan_and_target_api(api, province):
    r = api.post("/api/v1/indicators/plans/", {"agency": province.sxd.code, "year": 2026, "title": "Kế hoạch"},
                 content_type="application/json")
    assert r.status_code == 201
    pid = r.json()["id"]
    r = api.post(f"/api/v1/indicators/plans/{pid}/tasks/", {"title": "Rà soát thủ tục", "deadline": "2026-09-30"},
                 content_type="application/json")
    tid = r.json()["tasks"][0]["id"]
    r = api.post(f"/api/v1/indicators/tasks/{tid}/complete/", {"done_on": "2026-09-01"}, content_type="application/json")
    assert r.json()["progress"]["percent"] == 100.0
    r = api.post("/api/v1/indicators/targets/", {"agency": province.sxd.code, "indicator": "3.3", "value": "0.9",
                                                 "valid_from": "2026-01-01"}, content_type="application/json")
    assert r.status_code == 201
    rep = api.get(f"/api/v1/indicators/report/?period=2026&agency={province.sxd.code}").json()
    assert {i["code"]: i for i in rep["agencies"][0]["indicators"]}["3.3"]["target"] == 0.9


@pytest.mark.parametrize("fmt, ctype, magic", [("xlsx", "spreadsheetml", b"PK"), ("pdf", "application/pdf", b"%PDF")])
def test_export_through_the_api_in_both_formats(api, data, fmt, ctype, magic):
    # ?format= used to be taken by the REST framework's format override: 404 before the view ran
    r = api.get(f"/api/v1/indicators/export/?period=2026-06&format={fmt}")
    assert r.status_code == 200, r.content[:200]
    assert ctype in r["Content-Type"] and r.content.startswith(magic)
    assert r["Content-Disposition"] == f'attachment; filename="chi-so-2026-06.{fmt}"'


def test_export_refuses_an_unknown_format(api, data):
    r = api.get("/api/v1/indicators/export/?period=2026-06&format=docx")
    assert r.status_code == 422 and r.json()["code"] == "invalid_format"
