"""The registers of outgoing and incoming documents of one agency and year as Excel (Decree 30, Appendix IV
columns; the Appendix VI field names in a second header row). Dates are Excel dates, not text; cell text is
never taken as a formula."""
import io
from datetime import datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from motcua.core.errors import ValidationFailed
from motcua.worktime import TZ

from . import services
from .models import IncomingDocument, OutgoingDocument, RegisterKind

OUTGOING_COLUMNS = [
    ("Số, ký hiệu văn bản", "CodeNumber/CodeNotation", 18), ("Ngày tháng văn bản", "IssuedDate", 14),
    ("Tên loại và trích yếu nội dung", "TypeName/Subject", 60), ("Người ký", "SignerInfo", 28),
    ("Nơi nhận", "To", 40), ("Số lượng bản", "IssuedAmount", 8), ("Độ mật", "Secrecy", 10),
    ("Ghi chú", "Description", 20),
]
INCOMING_COLUMNS = [
    ("Ngày đến", "ArrivalDate", 12), ("Số đến", "ArrivalNumber", 8), ("Tác giả (nơi gửi)", "OrganName", 30),
    ("Số, ký hiệu", "CodeNumber/CodeNotation", 18), ("Ngày tháng văn bản", "IssuedDate", 14),
    ("Tên loại và trích yếu nội dung", "TypeName/Subject", 60), ("Đơn vị hoặc người nhận", "ToPlaces", 28),
    ("Hạn xử lý", "DueDate", 16), ("Độ mật", "Secrecy", 10), ("Ghi chú", "Description", 20),
]


def _write(ws, title, columns, rows):
    ws.title = title
    ws.append([c[0] for c in columns])
    ws.append([c[1] for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, (_label, _field, width) in enumerate(columns, 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"          # "=HYPERLINK(...)" in a subject stays text
            elif isinstance(cell.value, datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif cell.value is not None and hasattr(cell.value, "year"):
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A3"


def _local(moment):
    return moment.astimezone(TZ).replace(tzinfo=None) if moment else None


def _cell_text(value):
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if hasattr(value, "year"):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def register_rows(actor, agency_code, year):
    """(organisation, year, outgoing rows, incoming rows) of one agency's normal-series registers, in the
    columns above; shared by the Excel and the PDF registers. Out of scope: refused."""
    org = services._org(agency_code)
    if not actor.covers(org.path):
        services._require(actor, org, (), _("xem sổ đăng ký văn bản"))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Năm không hợp lệ."), code="invalid_year", details={"year": year})
    out = OutgoingDocument.objects.filter(agency=org, register__year=year, register__kind=RegisterKind.OUTGOING) \
        .select_related("doc_type").order_by("number")
    out_rows = [
        [d.number_symbol, _local(d.issued_at).date(), f"{d.doc_type.name}: {d.subject}",
         " ".join(x for x in (d.signer_authority, d.signer_position, d.signer_name) if x),
         "; ".join(r["OrganName"] or r["OrganId"] for r in d.recipients), d.issued_amount, d.get_secrecy_display(), ""]
        for d in out]
    inc = IncomingDocument.objects.filter(agency=org, register__year=year, register__kind=RegisterKind.INCOMING) \
        .select_related("lead_unit").order_by("arrival_number")
    in_rows = [
        [d.arrival_date, d.arrival_number, d.sender_name, d.number_symbol, d.issued_date,
         f"{d.type_name}: {d.subject}" if d.type_name else d.subject, d.lead_unit.name if d.lead_unit else "",
         _local(d.deadline), d.get_secrecy_display(),
         _("Trùng với số đến %(n)d") % {"n": d.duplicate_of.arrival_number} if d.duplicate_of_id else ""]
        for d in inc]
    return org, year, out_rows, in_rows


def registers_xlsx(actor, agency_code, year) -> bytes:
    _org, year, out_rows, in_rows = register_rows(actor, agency_code, year)
    wb = Workbook()
    _write(wb.active, _("Văn bản đi %(y)d") % {"y": year}, OUTGOING_COLUMNS, out_rows)
    _write(wb.create_sheet(), _("Văn bản đến %(y)d") % {"y": year}, INCOMING_COLUMNS, in_rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def registers_pdf(actor, agency_code, year) -> bytes:
    """Both registers as one landscape PDF (WeasyPrint, the bundled font), the same columns as the Excel."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    org, year, out_rows, in_rows = register_rows(actor, agency_code, year)
    out_rows, in_rows = ([[_cell_text(c) for c in row] for row in rows] for rows in (out_rows, in_rows))
    html = render_to_string("documents/registers_pdf.html", {
        "org": org, "year": year, "registers": [
            (_("SỔ ĐĂNG KÝ VĂN BẢN ĐI"), OUTGOING_COLUMNS, out_rows),
            (_("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"), INCOMING_COLUMNS, in_rows)]})
    return HTML(string=html, base_url=".").write_pdf()
