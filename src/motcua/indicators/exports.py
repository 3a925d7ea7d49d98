"""The periodic report as Excel (openpyxl) and PDF (WeasyPrint, fonts embedded)."""
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEAD = Font(bold=True)
FILL = PatternFill("solid", fgColor="DDE6F0")


def _sheet(ws, title, header, rows, widths=None):
    ws.title = title
    ws.append(header)
    for c in ws[1]:
        c.font, c.fill = HEAD, FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for r in rows:
        ws.append(list(r))
    for i, w in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"


def xlsx_bytes(rep):
    wb = Workbook()
    groups = rep["groups"]
    by_code = {a["code"]: a for a in rep["agencies"]}
    rows = []
    for r in rep["ranking"]:
        a = by_code[r["code"]]
        rows.append([r["rank"], a["code"], a["name"], a["score"], a["available"], a["score_100"],
                     *[g["points"] for g in a["groups"]]])
    _sheet(wb.active, _("Xếp hạng"), [_("Hạng"), _("Mã cơ quan"), _("Cơ quan"), _("Điểm đạt"), _("Điểm tối đa có dữ liệu"),
                                     _("Điểm quy đổi 100"), *[f"{g['code']}. {g['name']} ({g['weight']:g})" for g in groups]],
           rows, [6, 18, 45, 10, 12, 12] + [14] * len(groups))
    rows = []
    for a in rep["agencies"]:
        for i in a["indicators"]:
            rows.append([a["code"], a["name"], i["code"], i["name"], i["numerator"], i["denominator"], i["percent"],
                         i["points"], i["max_points"], i["threshold"],
                         None if i["target"] is None else round(100 * i["target"], 2),
                         None if i["gap"] is None else round(100 * i["gap"], 2),
                         _("Có") if i["supported"] else _("Chưa hỗ trợ")])
    _sheet(wb.create_sheet(), _("Chỉ số"), [_("Mã cơ quan"), _("Cơ quan"), _("Mã chỉ số"), _("Chỉ số"), _("Tử số"),
                                           _("Mẫu số"), _("Tỷ lệ (%)"), _("Điểm"), _("Điểm tối đa"), _("Ngưỡng đạt tối đa"),
                                           _("Chỉ tiêu (%)"), _("Chênh lệch (%)"), _("Dữ liệu")],
           rows, [18, 40, 8, 60, 10, 10, 10, 8, 10, 10, 10, 12, 12])
    _sheet(wb.create_sheet(), _("Chưa hỗ trợ"), [_("Mã chỉ số"), _("Chỉ số"), _("Lý do")],
           [[i["code"], i["name"], i["reason"]] for i in rep["not_supported"]], [8, 60, 90])
    info = wb.create_sheet(_("Thông tin"))
    for k, v in ((_("Kỳ báo cáo"), rep["period"]["label"]), (_("Từ ngày"), rep["period"]["start"]),
                 (_("Đến trước ngày"), rep["period"]["end"]), (_("Bộ chỉ số"), rep["indicator_set"]["code"]),
                 (_("Căn cứ"), rep["indicator_set"]["legal_basis"])):
        info.append([k, v])
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 20, 60
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pdf_bytes(rep, trend=None):
    from weasyprint import HTML

    html = render_to_string("indicators/report_pdf.html", {"rep": rep, "trend": trend or []})
    return HTML(string=html, base_url=".").write_pdf()
