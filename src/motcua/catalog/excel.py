"""The catalogue as an Excel workbook, the format agencies already keep.

Sheets (Vietnamese headers in row 1): "Thủ tục", "Thành phần hồ sơ", "Phí lệ phí", "Quy trình".
Import is all-or-nothing: every row is checked first; any error aborts the whole import with a list of
(sheet, row, column, message), and nothing stored is touched.
"""
import io
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from motcua.agencies.models import Agency, Role
from motcua.core.errors import NotAllowed, ValidationFailed

from .models import Component, ComponentForm, Fee, Field, OnlineLevel, PausePolicy, Procedure, ProcessStep, TimeUnit

PROC_COLS = [("code", "Mã thủ tục"), ("name", "Tên thủ tục"), ("field_code", "Mã lĩnh vực"),
             ("field_name", "Tên lĩnh vực"), ("agencies", "Cơ quan giải quyết (mã, cách nhau dấu ;)"),
             ("online_level", "Mức độ trực tuyến (toàn trình/một phần/không)"), ("time_value", "Thời hạn"),
             ("time_unit", "Đơn vị (ngày/giờ)"), ("cutoff", "Giờ tiếp nhận cuối (HH:MM)"),
             ("result_type", "Kết quả"), ("legal_basis", "Căn cứ pháp lý"), ("requirements", "Yêu cầu, điều kiện"),
             # Added after the first version: older workbooks without it still import (value kept as it is).
             ("pause_policy", "Khi yêu cầu bổ sung (tạm dừng/tính lại)"),
             ("result_code", "Mã kết quả chính (MaKetQua)")]
COMP_COLS = [("procedure", "Mã thủ tục"), ("order", "STT"), ("name", "Tên giấy tờ"),
             ("form", "Loại bản (bản chính/bản sao/bản sao chứng thực/bản chính hoặc bản sao)"),
             ("count", "Số lượng"), ("required", "Bắt buộc (có/không)"),
             # Added for the data store (reuse): older workbooks without them still import.
             ("paper_code", "Mã giấy tờ"), ("result_code", "Mã kết quả thay thế")]
FEE_COLS = [("procedure", "Mã thủ tục"), ("name", "Tên phí, lệ phí"), ("amount", "Mức thu (đồng)"), ("note", "Ghi chú")]
STEP_COLS = [("procedure", "Mã thủ tục"), ("order", "Bước"), ("name", "Tên bước"), ("unit_name", "Đơn vị thực hiện"),
             ("role", "Vai trò"), ("allowance_hours", "Thời gian (giờ làm việc)")]
SHEETS = {"Thủ tục": PROC_COLS, "Thành phần hồ sơ": COMP_COLS, "Phí lệ phí": FEE_COLS, "Quy trình": STEP_COLS}

POLICIES = {"tạm dừng": PausePolicy.PAUSE, "tính lại": PausePolicy.RESTART}
LEVELS = {"toàn trình": OnlineLevel.FULL, "một phần": OnlineLevel.PARTIAL, "không": OnlineLevel.NONE}
UNITS = {"ngày": TimeUnit.DAYS, "giờ": TimeUnit.HOURS}
FORMS = {"bản chính": ComponentForm.ORIGINAL, "bản sao": ComponentForm.COPY,
         "bản sao chứng thực": ComponentForm.CERTIFIED_COPY, "bản chính hoặc bản sao": ComponentForm.ORIGINAL_OR_COPY}
ROLES = {str(label).lower(): value for value, label in Role.choices} | {v: v for v in Role.values}
YES = {"có": True, "x": True, "1": True, "true": True, "không": False, "0": False, "false": False, "": False}


def _inverse(mapping):
    return {v: k for k, v in mapping.items()}


def export_catalog(queryset=None):
    qs = queryset if queryset is not None else Procedure.objects.all()
    qs = qs.select_related("field").prefetch_related("agencies", "components", "fees", "steps").order_by("code")
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {}
    for title, cols in SHEETS.items():
        ws = wb.create_sheet(title)
        ws.append([label for _k, label in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        sheets[title] = ws
    levels, units, forms, policies = _inverse(LEVELS), _inverse(UNITS), _inverse(FORMS), _inverse(POLICIES)
    for p in qs:
        sheets["Thủ tục"].append([
            p.code, p.name, p.field.code, p.field.name, ";".join(a.code for a in p.agencies.all()),
            levels[p.online_level], float(p.time_value), units[p.time_unit],
            p.cutoff.strftime("%H:%M") if p.cutoff else "", p.result_type, p.legal_basis, p.requirements,
            policies[p.pause_policy], p.result_code])
        for c in sorted(p.components.all(), key=lambda c: (c.order, c.id)):
            sheets["Thành phần hồ sơ"].append([p.code, c.order, c.name, forms[c.form], c.count,
                                               "có" if c.required else "không", c.paper_code, c.result_code])
        for f in sorted(p.fees.all(), key=lambda f: f.id):
            sheets["Phí lệ phí"].append([p.code, f.name, f.amount, f.note])
        for s in sorted(p.steps.all(), key=lambda s: s.order):
            sheets["Quy trình"].append([p.code, s.order, s.name, s.unit_name, s.role, float(s.allowance_hours)])
    for ws in wb.worksheets:
        for col in ws.columns:
            ws.column_dimensions[col[0].column_letter].width = min(60, max(10, *(len(str(c.value or "")) for c in col)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _Rows:
    """Reads a sheet into dicts and collects errors with sheet/row/column."""

    def __init__(self, wb, title, cols, errors):
        self.title, self.cols, self.errors = title, cols, errors
        self.rows = []
        if title not in wb.sheetnames:
            if title == "Thủ tục":
                errors.append({"sheet": title, "row": None, "column": None, "message": _("Thiếu trang tính.")})
            return
        ws = wb[title]
        header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        for i, (key, label) in enumerate(cols):
            found = header[i] if i < len(header) else None
            if found not in (None, "") and str(found).strip() != label:
                # Columns are read by position: a moved or renamed column would silently import garbage.
                errors.append({"sheet": title, "row": 1, "column": label,
                               "message": _("Cột %(n)d phải là “%(label)s”, tệp có “%(found)s”.")
                               % {"n": i + 1, "label": label, "found": found}})
        for idx, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if values is None or all(v in (None, "") for v in values):
                continue
            row = {key: (values[i] if i < len(values) else None) for i, (key, _l) in enumerate(cols)}
            row = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
            self.rows.append((idx, row))

    def error(self, row, column, message):
        label = dict(self.cols).get(column, column)
        self.errors.append({"sheet": self.title, "row": row, "column": label, "message": message})


def _decimal(value, maximum=Decimal("99999.99")):
    """A non-negative number with at most 2 decimals that fits the DecimalField(7, 2) columns."""
    if value is None or isinstance(value, bool) or str(value).strip() == "":
        return None
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite() or d < 0 or d > maximum or d != d.quantize(Decimal("0.01")):
        return None
    return d.quantize(Decimal("0.01"))


def _int(value, minimum=0, maximum=32767):
    if value is None or isinstance(value, bool):
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite() or d != d.to_integral_value():
        return None       # 1.5 copies is an error, not 1
    n = int(d)
    return n if minimum <= n <= maximum else None


def _code(value):
    """A code cell as text. A code typed as a number loses its trailing zeros in Excel (1.009970 becomes
    1.00997), so a decimal number is refused instead of being guessed."""
    if value is None:
        return "", True
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        return str(value), False
    if isinstance(value, (int, float)):
        return str(int(value)), True
    return str(value).strip(), True


def _too_long(sheet, row_no, r, limits):
    for column, limit in limits.items():
        if r.get(column) is not None and len(str(r[column])) > limit:
            sheet.error(row_no, column, _("Dài quá %(n)d ký tự.") % {"n": limit})


def _time(value):
    from datetime import datetime, time
    if value in (None, ""):
        return "", True
    if isinstance(value, time):
        return value, True
    if isinstance(value, datetime):
        return value.time(), True
    try:
        h, m = str(value).split(":")[:2]
        return time(int(h), int(m)), True
    except (ValueError, TypeError):
        return None, False


def require_admin(actor):
    if not any(role == Role.ADMINISTRATOR for role, _p in actor.roles):
        raise NotAllowed(_("Chỉ quản trị mới được nhập danh mục thủ tục."), code="role_required",
                         details={"roles": [Role.ADMINISTRATOR]})


def import_catalog(actor, upload):
    """Create or update procedures from a workbook. Procedures in the file replace their components,
    fees and steps; procedures not in the file are left as they are."""
    require_admin(actor)
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a non-xlsx file
        raise ValidationFailed(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ."), code="invalid_workbook",
                               details={"error": type(exc).__name__}) from exc
    errors = []
    try:
        procs = _Rows(wb, "Thủ tục", PROC_COLS, errors)
        comps = _Rows(wb, "Thành phần hồ sơ", COMP_COLS, errors)
        fees = _Rows(wb, "Phí lệ phí", FEE_COLS, errors)
        steps = _Rows(wb, "Quy trình", STEP_COLS, errors)
    except Exception as exc:  # a damaged sheet inside a readable zip
        raise ValidationFailed(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ."), code="invalid_workbook",
                               details={"error": type(exc).__name__}) from exc
    finally:
        wb.close()   # read-only workbooks keep the file open until closed
    agencies = {a.code: a for a in Agency.objects.all()}
    parsed, seen = {}, set()
    for row_no, r in procs.rows:
        code, ok = _code(r["code"])
        if not ok:
            procs.error(row_no, "code", _("Mã thủ tục phải nhập dạng văn bản, không phải số."))
            continue
        if not code:
            procs.error(row_no, "code", _("Thiếu mã thủ tục."))
            continue
        field_code, ok = _code(r["field_code"])
        if not ok:
            procs.error(row_no, "field_code", _("Mã lĩnh vực phải nhập dạng văn bản, không phải số."))
        r["field_code"] = field_code
        _too_long(procs, row_no, r, {"code": 40, "name": 500, "field_code": 40, "field_name": 255, "result_type": 500,
                                        "result_code": 64})
        if code in seen:
            procs.error(row_no, "code", _("Mã thủ tục bị trùng trong tệp."))
        seen.add(code)
        if not r["name"]:
            procs.error(row_no, "name", _("Thiếu tên thủ tục."))
        if not r["field_code"] or not r["field_name"]:
            procs.error(row_no, "field_code", _("Thiếu mã hoặc tên lĩnh vực."))
        agency_codes = [c.strip() for c in str(r["agencies"] or "").split(";") if c.strip()]
        missing = [c for c in agency_codes if c not in agencies]
        if not agency_codes or missing:
            procs.error(row_no, "agencies", _("Cơ quan không tồn tại: %(codes)s") % {"codes": ", ".join(missing) or "-"})
        level = LEVELS.get(str(r["online_level"] or "").lower())
        if level is None:
            procs.error(row_no, "online_level", _("Mức độ phải là: toàn trình, một phần, không."))
        value = _decimal(r["time_value"])
        if value is None:
            procs.error(row_no, "time_value", _("Thời hạn phải là số không âm."))
        unit = UNITS.get(str(r["time_unit"] or "").lower())
        if unit is None:
            procs.error(row_no, "time_unit", _("Đơn vị phải là: ngày, giờ."))
        cutoff, ok = _time(r["cutoff"])
        if not ok:
            procs.error(row_no, "cutoff", _("Giờ tiếp nhận cuối phải có dạng HH:MM."))
        policy = None
        if r.get("pause_policy") not in (None, ""):
            policy = POLICIES.get(str(r["pause_policy"]).lower())
            if policy is None:
                procs.error(row_no, "pause_policy", _("Phải là: tạm dừng, tính lại."))
        parsed[code] = {"row": r, "agencies": agency_codes, "level": level, "value": value, "unit": unit,
                        "cutoff": cutoff or None, "policy": policy, "components": [], "fees": [], "steps": []}
    for sheet, key in ((comps, "components"), (fees, "fees"), (steps, "steps")):
        for row_no, r in sheet.rows:
            code, _ok = _code(r["procedure"])
            if code not in parsed:
                sheet.error(row_no, "procedure", _("Mã thủ tục không có trong trang “Thủ tục”."))
                continue
            parsed[code][key].append((row_no, r))
    objects = {}
    for code, p in parsed.items():
        comp_objs, fee_objs, step_objs = [], [], []
        for row_no, r in p["components"]:
            form = FORMS.get(str(r["form"] or "bản chính").lower())
            count = _int(r["count"] if r["count"] not in (None, "") else 1, 1)
            required = YES.get(str(r["required"] if r["required"] is not None else "có").lower())
            if not r["name"]:
                comps.error(row_no, "name", _("Thiếu tên giấy tờ."))
            if form is None:
                comps.error(row_no, "form", _("Loại bản không hợp lệ."))
            if count is None:
                comps.error(row_no, "count", _("Số lượng phải là số nguyên dương."))
            if required is None:
                comps.error(row_no, "required", _("Bắt buộc phải là có/không."))
            if r["order"] not in (None, "") and _int(r["order"], 0) is None:
                comps.error(row_no, "order", _("STT phải là số nguyên không âm."))
            _too_long(comps, row_no, r, {"name": 500, "paper_code": 64, "result_code": 64})
            comp_objs.append(dict(order=_int(r["order"], 0) or len(comp_objs) + 1, name=r["name"] or "", form=form,
                                  count=count or 1, required=bool(required),
                                  paper_code=str(r["paper_code"] or ""), result_code=str(r["result_code"] or "")))
        for row_no, r in p["fees"]:
            amount = _int(r["amount"], 0, 10**15)
            if amount is None:
                fees.error(row_no, "amount", _("Mức thu phải là số nguyên không âm (đồng)."))
            if not r["name"]:
                fees.error(row_no, "name", _("Thiếu tên phí, lệ phí."))
            _too_long(fees, row_no, r, {"name": 255, "note": 255})
            fee_objs.append(dict(name=r["name"] or "", amount=amount or 0, note=r["note"] or ""))
        orders = set()
        for row_no, r in p["steps"]:
            order = _int(r["order"], 1)
            role = ROLES.get(str(r["role"] or "").lower())
            hours = _decimal(r["allowance_hours"])
            if order is None or order in orders:
                steps.error(row_no, "order", _("Số bước phải là số nguyên dương, không trùng."))
            orders.add(order)
            if role is None:
                steps.error(row_no, "role", _("Vai trò không hợp lệ."))
            if hours is None:
                steps.error(row_no, "allowance_hours", _("Thời gian phải là số không âm."))
            if not r["name"]:
                steps.error(row_no, "name", _("Thiếu tên bước."))
            _too_long(steps, row_no, r, {"name": 255, "unit_name": 255})
            step_objs.append(dict(order=order or 0, name=r["name"] or "", unit_name=r["unit_name"] or "",
                                  role=role or "", allowance_hours=hours or 0))
        objects[code] = (comp_objs, fee_objs, step_objs)
    if errors:
        raise ValidationFailed(_("Tệp có %(n)d lỗi; chưa nhập dữ liệu nào.") % {"n": len(errors)},
                               code="catalog_import_invalid", details={"errors": errors[:500]})
    created = updated = 0
    with transaction.atomic():
        for code, p in parsed.items():
            r = p["row"]
            field, _c = Field.objects.update_or_create(code=str(r["field_code"]), defaults={"name": r["field_name"]})
            values = dict(
                name=r["name"], field=field, online_level=p["level"], time_value=p["value"], time_unit=p["unit"],
                cutoff=p["cutoff"], result_type=r["result_type"] or "", legal_basis=r["legal_basis"] or "",
                requirements=r["requirements"] or "")
            if p["policy"]:
                values["pause_policy"] = p["policy"]
            if r.get("result_code") not in (None, ""):
                values["result_code"] = str(r["result_code"])
            proc, was_created = Procedure.objects.update_or_create(code=code, defaults=values)
            created += was_created
            updated += not was_created
            proc.agencies.set([agencies[c] for c in p["agencies"]])
            comp_objs, fee_objs, step_objs = objects[code]
            _replace_components(proc, comp_objs)
            proc.fees.all().delete()
            proc.steps.all().delete()
            Fee.objects.bulk_create([Fee(procedure=proc, **f) for f in fee_objs])
            ProcessStep.objects.bulk_create([ProcessStep(procedure=proc, **s) for s in step_objs])
    from .cache import invalidate
    invalidate()
    return {"created": created, "updated": updated}


def _replace_components(proc, comp_objs):
    """Update the procedure's components in place, position by position, so that dossiers received
    earlier keep their link to the catalogue component (deleting and recreating would set it to NULL)."""
    existing = sorted(proc.components.all(), key=lambda c: (c.order, c.id))
    keep = []
    for obj, values in zip(existing, comp_objs):
        for k, v in values.items():
            setattr(obj, k, v)
        keep.append(obj)
    if keep:
        Component.objects.bulk_update(keep, ["order", "name", "form", "count", "required", "paper_code",
                                              "result_code"])
    Component.objects.filter(pk__in=[c.pk for c in existing[len(comp_objs):]]).delete()
    Component.objects.bulk_create([Component(procedure=proc, **c) for c in comp_objs[len(existing):]])
