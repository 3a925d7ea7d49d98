"""Catalogue Excel: export -> import restores the catalogue; import is admin-only and all-or-nothing."""
import io
from datetime import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from motcua.catalog import excel
from motcua.catalog.models import Component, Fee, Procedure, ProcessStep
from motcua.core.errors import ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import DossierComponent

from ..conftest import INTAKE
from .schema_check import check

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def snapshot():
    """Everything the catalogue says, as plain data."""
    out = {}
    for p in Procedure.objects.order_by("code"):
        out[p.code] = dict(
            name=p.name, field=(p.field.code, p.field.name), agencies=sorted(a.code for a in p.agencies.all()),
            online_level=p.online_level, time=(Decimal(p.time_value), p.time_unit), cutoff=p.cutoff,
            pause_policy=p.pause_policy, result_type=p.result_type, legal_basis=p.legal_basis,
            requirements=p.requirements,
            components=[(c.order, c.name, c.form, c.count, c.required) for c in p.components.order_by("order", "id")],
            fees=[(f.name, f.amount, f.note) for f in p.fees.order_by("id")],
            steps=[(s.order, s.name, s.unit_name, s.role, Decimal(s.allowance_hours)) for s in p.steps.order_by("order")])
    return out


def counts():
    return tuple(m.objects.count() for m in (Procedure, Component, Fee, ProcessStep))


def upload(data, name="danh-muc.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


@pytest.fixture
def rich_catalogue(province):
    p = province.proc
    p.cutoff, p.pause_policy, p.requirements = time(15, 0), "restart", "Có quyền sử dụng đất"
    p.time_value = Decimal("2.5")
    p.save()
    Fee.objects.create(procedure=province.proc_stp, name="Phí chứng thực", amount=2000, note="mỗi trang")
    Component.objects.create(procedure=p, order=3, name="Giấy tờ đất", form="certified_copy", count=1, required=False)
    return province


def test_export_then_import_restores_the_catalogue(rich_catalogue, actors):
    before = snapshot()
    data = excel.export_catalog()
    # damage the stored catalogue, then import the export
    p = Procedure.objects.get(code="1.009974")
    p.name, p.cutoff, p.pause_policy = "Tên sai", None, "pause"
    p.save()
    p.components.filter(order=2).delete()
    p.fees.all().delete()
    p.steps.filter(order=3).delete()
    Component.objects.create(procedure=p, order=9, name="Thừa", count=1)
    assert snapshot() != before
    result = excel.import_catalog(actors["admin"], upload(data))
    assert result == {"created": 0, "updated": 2}
    assert snapshot() == before
    # and a second export is the same workbook content
    again = load_workbook(io.BytesIO(excel.export_catalog()))
    first = load_workbook(io.BytesIO(data))
    for ws in first.worksheets:
        assert list(ws.values) == list(again[ws.title].values), ws.title


def test_import_into_an_empty_catalogue_creates_everything(rich_catalogue, actors):
    before = snapshot()
    data = excel.export_catalog()
    Procedure.objects.all().delete()
    assert excel.import_catalog(actors["admin"], upload(data)) == {"created": 2, "updated": 0}
    assert snapshot() == before


def test_reimport_keeps_received_dossiers_linked_to_their_components(province, actors):
    d, _r = services.intake(actors["receiver"], INTAKE)
    linked = set(DossierComponent.objects.filter(dossier=d).values_list("component_id", flat=True))
    assert None not in linked and len(linked) == 2
    excel.import_catalog(actors["admin"], upload(excel.export_catalog()))
    assert set(DossierComponent.objects.filter(dossier=d).values_list("component_id", flat=True)) == linked


def test_administrator_imports_through_the_api(rich_catalogue, client_for):
    data = excel.export_catalog()
    Procedure.objects.filter(code="2.000908").delete()
    resp = client_for(rich_catalogue.admin).post("/api/v1/procedures/excel/", {"file": upload(data)},
                                                 format="multipart")
    assert resp.status_code == 200
    assert check(resp) == {"created": 1, "updated": 1}
    assert Procedure.objects.filter(code="2.000908").exists()


def test_export_through_the_api_is_a_workbook(province, client_for):
    resp = client_for(province.specialist).get("/api/v1/procedures/excel/")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX
    assert load_workbook(io.BytesIO(resp.content)).sheetnames == list(excel.SHEETS)


@pytest.mark.parametrize("who", ["receiver", "leader", "other", "citizen"])
def test_non_administrator_gets_403_and_nothing_changes(province, client_for, who):
    before, n = snapshot(), counts()
    data = excel.export_catalog()
    Procedure.objects.filter(code="1.009974").update(name="Đổi tên")
    before["1.009974"]["name"] = "Đổi tên"
    resp = client_for(getattr(province, who)).post("/api/v1/procedures/excel/", {"file": upload(data)},
                                                   format="multipart")
    assert resp.status_code == 403
    assert check(resp)["code"] == "role_required"
    assert snapshot() == before and counts() == n


def test_anonymous_import_is_401(province, client_for):
    resp = client_for(None).post("/api/v1/procedures/excel/", {"file": upload(excel.export_catalog())},
                                 format="multipart")
    assert resp.status_code == 401
    check(resp)


def broken_workbook():
    wb = load_workbook(io.BytesIO(excel.export_catalog()))
    procs = wb["Thủ tục"]
    procs["E2"] = "000.00.17.H13;999.99.99.H13"      # unknown agency (row 2 = 1.009974)
    procs["H3"] = "tuần"                              # bad time unit (row 3 = 2.000908)
    procs["B2"] = "Tên mới không được lưu"
    procs.append([c.value for c in procs[3]])         # duplicate code 2.000908 at row 4
    wb["Thành phần hồ sơ"].append(["9.999999", 1, "Giấy tờ lạc", "bản chính", 1, "có"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), wb["Thành phần hồ sơ"].max_row


def test_workbook_with_errors_is_rejected_whole_with_sheet_row_column(rich_catalogue, client_for):
    before, n = snapshot(), counts()
    data, comp_row = broken_workbook()
    resp = client_for(rich_catalogue.admin).post("/api/v1/procedures/excel/", {"file": upload(data)},
                                                 format="multipart")
    assert resp.status_code == 422
    body = check(resp)
    assert body["code"] == "catalog_import_invalid"
    found = {(e["sheet"], e["row"], e["column"]) for e in body["details"]["errors"]}
    cols = dict(excel.PROC_COLS)
    assert found == {
        ("Thủ tục", 2, cols["agencies"]),
        ("Thủ tục", 3, cols["time_unit"]),
        ("Thủ tục", 4, cols["code"]),
        ("Thủ tục", 4, cols["time_unit"]),                      # the duplicate row copies the bad unit
        ("Thành phần hồ sơ", comp_row, dict(excel.COMP_COLS)["procedure"]),
    }
    assert all(e["message"] for e in body["details"]["errors"])
    assert "999.99.99.H13" in next(e["message"] for e in body["details"]["errors"] if e["row"] == 2)
    assert snapshot() == before and counts() == n


def test_moved_columns_are_reported_not_imported(rich_catalogue, actors):
    wb = load_workbook(io.BytesIO(excel.export_catalog()))
    ws = wb["Phí lệ phí"]
    ws["B1"], ws["C1"] = ws["C1"].value, ws["B1"].value
    out = io.BytesIO()
    wb.save(out)
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        excel.import_catalog(actors["admin"], upload(out.getvalue()))
    assert err.value.code == "catalog_import_invalid"
    assert {(e["sheet"], e["row"]) for e in err.value.details["errors"]} == {("Phí lệ phí", 1)}
    assert snapshot() == before


def test_numeric_codes_and_fractional_counts_are_errors(rich_catalogue, actors):
    wb = load_workbook(io.BytesIO(excel.export_catalog()))
    wb["Thủ tục"]["A3"] = 1.00997                     # a code typed as a number lost its trailing zero
    wb["Thành phần hồ sơ"]["E2"] = 1.5
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ValidationFailed) as err:
        excel.import_catalog(actors["admin"], upload(out.getvalue()))
    assert err.value.code == "catalog_import_invalid"
    found = {(e["sheet"], e["row"], e["column"]) for e in err.value.details["errors"]}
    assert ("Thủ tục", 3, dict(excel.PROC_COLS)["code"]) in found
    assert ("Thành phần hồ sơ", 2, dict(excel.COMP_COLS)["count"]) in found


@pytest.mark.parametrize("content", [b"code,name\n1.009974,x\n", b"PK\x03\x04 not really a zip", b""])
def test_non_xlsx_file_is_422_invalid_workbook(province, client_for, content):
    n = counts()
    resp = client_for(province.admin).post("/api/v1/procedures/excel/", {"file": upload(content, "danh-muc.csv")},
                                           format="multipart")
    assert resp.status_code == 422
    assert check(resp)["code"] == "invalid_workbook"
    assert counts() == n


def test_missing_file_is_422(province, client_for):
    resp = client_for(province.admin).post("/api/v1/procedures/excel/", {}, format="multipart")
    assert resp.status_code == 422
    assert check(resp)["code"] == "file_required"
