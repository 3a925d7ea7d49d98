"""Mapping tables (local procedure -> DVCQG procedure code, agency -> identifier code): lookups for the
plugins, the "cannot map" errors, edits and the Excel import for administrators."""
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Role
from motcua.catalog.models import Procedure
from motcua.core.errors import NotAllowed, ValidationFailed

from .models import AgencyMapping, ProcedureMapping
from .portal.base import CannotMap


def require_admin(actor):
    if not any(role == Role.ADMINISTRATOR for role, _p in actor.roles):
        raise NotAllowed(_("Chỉ quản trị hệ thống mới được thực hiện thao tác này."), code="role_required",
                         details={"roles": [Role.ADMINISTRATOR]})


def _related(obj, name, model, **lookup):
    """The mapping row, from select_related when the caller loaded it (saves a query per message)."""
    try:
        return getattr(obj, name)
    except model.DoesNotExist:
        return None


def procedure_code(procedure):
    m = _related(procedure, "dvcqg_mapping", ProcedureMapping)
    if m is None or not m.remote_code:
        raise CannotMap(_("Thủ tục %(code)s chưa được ánh xạ sang mã TTHC của Cổng DVCQG.") % {"code": procedure.code},
                        code="procedure_not_mapped")
    return m.remote_code


def agency_code(agency):
    m = _related(agency, "dvcqg_mapping", AgencyMapping)
    if m is None or not m.remote_code:
        raise CannotMap(_("Cơ quan %(code)s chưa được ánh xạ sang mã định danh trên Cổng DVCQG.") % {"code": agency.code},
                        code="agency_not_mapped")
    return m.remote_code


def local_procedure(remote_code):
    m = ProcedureMapping.objects.select_related("procedure").filter(remote_code=remote_code).first()
    return m.procedure if m else None


def local_agency(remote_code):
    m = AgencyMapping.objects.select_related("agency").filter(remote_code=remote_code).first()
    return m.agency if m else None


@transaction.atomic
def set_procedure(actor, local_code, remote_code, name=""):
    require_admin(actor)
    proc = Procedure.objects.filter(code=local_code).first()
    if proc is None:
        raise ValidationFailed(_("Không có thủ tục mã %(code)s.") % {"code": local_code}, code="unknown_procedure",
                               details={"procedure": local_code})
    remote_code = (remote_code or "").strip()
    if not remote_code or len(remote_code) > 60:
        raise ValidationFailed(_("Mã TTHC trên Cổng DVCQG không hợp lệ."), code="invalid_remote_code",
                               details={"remote_code": remote_code})
    m, _c = ProcedureMapping.objects.update_or_create(procedure=proc, defaults={"remote_code": remote_code,
                                                                               "remote_name": name or ""})
    return m


@transaction.atomic
def set_agency(actor, local_code, remote_code):
    require_admin(actor)
    agency = Agency.objects.filter(code=local_code).first()
    if agency is None:
        raise ValidationFailed(_("Không có cơ quan mã %(code)s.") % {"code": local_code}, code="unknown_agency",
                               details={"agency": local_code})
    remote_code = (remote_code or "").strip()
    if not remote_code or len(remote_code) > 40:
        raise ValidationFailed(_("Mã định danh trên Cổng DVCQG không hợp lệ."), code="invalid_remote_code",
                               details={"remote_code": remote_code})
    m, _c = AgencyMapping.objects.update_or_create(agency=agency, defaults={"remote_code": remote_code})
    return m


def import_excel(actor, content):
    """Two sheets: 'thu_tuc' (local code | DVCQG code | name) and 'co_quan' (local code | identifier code).
    All rows or none: the first bad row is reported with its sheet and row number."""
    from openpyxl import load_workbook

    require_admin(actor)
    try:
        wb = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception:   # noqa: BLE001 - any unreadable upload is the same user error
        raise ValidationFailed(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ."), code="invalid_excel") from None
    counts = {"procedures": 0, "agencies": 0}
    with transaction.atomic():
        for sheet, setter, key in (("thu_tuc", set_procedure, "procedures"), ("co_quan", set_agency, "agencies")):
            if sheet not in wb.sheetnames:
                continue
            for n, row in enumerate(wb[sheet].iter_rows(min_row=2, values_only=True), start=2):
                if not row or not any(row):
                    continue
                cells = [str(c).strip() if c is not None else "" for c in row]
                try:
                    if setter is set_procedure:
                        setter(actor, cells[0], cells[1] if len(cells) > 1 else "", cells[2] if len(cells) > 2 else "")
                    else:
                        setter(actor, cells[0], cells[1] if len(cells) > 1 else "")
                except ValidationFailed as exc:
                    exc.details = {**exc.details, "sheet": sheet, "row": n}
                    raise
                counts[key] += 1
    if not any(counts.values()):
        raise ValidationFailed(_("Không tìm thấy trang tính 'thu_tuc' hoặc 'co_quan' có dữ liệu."), code="empty_excel")
    return counts


def template_excel():
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "thu_tuc"
    ws.append(["ma_thu_tuc", "ma_tthc_dvcqg", "ten"])
    for m in ProcedureMapping.objects.select_related("procedure").order_by("procedure__code"):
        ws.append([m.procedure.code, m.remote_code, m.remote_name])
    ws2 = wb.create_sheet("co_quan")
    ws2.append(["ma_co_quan", "ma_dinh_danh_dvcqg"])
    for m in AgencyMapping.objects.select_related("agency").order_by("agency__code"):
        ws2.append([m.agency.code, m.remote_code])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
