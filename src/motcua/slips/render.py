"""The official forms of Circular 03/2025/TT-VPCP (1-6 per dossier, 7 the register) as PDF through
WeasyPrint (HTML/CSS to PDF, fonts embedded), and register 7 as Excel."""
import io
from datetime import datetime

import segno
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from motcua.agencies.models import Role
from motcua.agencies.people import official, official_by_id
from motcua.dossiers.models import Dossier, HistoryEvent, PauseKind, Status

from .numbering import NUMBERED_ACTS
from .numbering import latest as latest_number

NUMBERED_FORMS = set(NUMBERED_ACTS.values())

SLIP_TITLES = {
    1: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    2: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    3: "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
    4: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    5: "Thông báo dừng giải quyết hồ sơ",
    6: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    7: "Sổ theo dõi hồ sơ",
}


# The forms addressed to the applicant; Form 6 (the process control sheet, with officers' notes) is internal.
FOR_APPLICANT = (1, 2, 3, 4, 5)


def available(d):
    """The forms that make sense for this dossier now."""
    out = []
    if d.received_at:
        out.append(1)
    if d.pauses.filter(kind=PauseKind.SUPPLEMENT).exists():
        out.append(2)
    if d.status == Status.NOT_RECEIVED:
        out.append(3)
    if d.extensions.exists():
        out.append(4)
    if d.status == Status.STOPPED:
        out.append(5)
    if d.received_at:
        out.append(6)
    return out


def local(value):
    return timezone.localtime(value) if value else None


def lookup_url(base, d):
    """The public lookup page with the dossier code filled in; the citizen types the lookup code (it is printed
    on the slip, never put in a URL that would land in access logs)."""
    from urllib.parse import quote
    return f"{base.rstrip('/')}/tra-cuu/?code={quote(d.code)}"


def qr_data_uri(text):
    return segno.make(text, error="m").svg_data_uri(scale=3, border=2)


def register_position(d):
    """(book, sequence): book = the intake place's year; sequence = order of valid receipt in that year."""
    at = local(d.received_at)
    if at is None:
        return None, None
    start = at.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    seq = Dossier.objects.filter(intake_agency_id=d.intake_agency_id, received_at__gte=start,
                                 received_at__lte=d.received_at).count()
    return at.year, seq


def _event(d, *actions):
    return HistoryEvent.objects.filter(dossier=d, action__in=actions).order_by("-seq").first()


def _official(event, agency, role=None):
    """The person who did the act, as printed: full name and title, never the user name."""
    return official_by_id(event.actor_id if event else None, agency, role)


def context(d, number, base_url):
    issuer = d.agency if number in (4, 5) else d.intake_agency
    ctx = {"d": d, "number": number, "title": SLIP_TITLES[number], "now": timezone.localtime(),
           "issuer": issuer, "dated": timezone.localtime(),
           "components": list(d.components.all()), "received": local(d.received_at),
           "provided": [c for c in d.components.all() if c.provided],
           "appointment": local(d.appointment_at), "due": local(d.due_at), "submitted": local(d.submitted_at),
           "fees": list(d.procedure.fees.all()), "payments": list(d.payments.all())}
    if number in NUMBERED_FORMS:
        numbered = latest_number(d, number)
        if numbered:
            ctx.update(issuer=numbered.agency, docno=numbered.number_symbol, dated=local(numbered.issued_at))
    if number == 1:
        ctx["dated"] = ctx["received"] or ctx["dated"]
        ctx["receiver"] = _official(_event(d, "receive"), d.intake_agency, Role.RECEIVING_OFFICER)
        url = lookup_url(base_url, d)
        ctx.update(lookup_url=url, qr=qr_data_uri(url))
        ctx["book"], ctx["seq"] = register_position(d)
        from motcua.portal.originals import originals_for
        ctx["originals"] = originals_for(d.procedure, ctx["components"], d.result_delivery)
    elif number == 2:
        pauses = list(d.pauses.filter(kind=PauseKind.SUPPLEMENT).order_by("started_at"))
        ev = _event(d, "request_supplement")
        ctx.update(pause=pauses[-1] if pauses else None, pause_no=len(pauses), officer=_official(ev, issuer),
                   dated=local(ev.at) if ev else ctx["dated"])
    elif number == 3:
        ev = _event(d, "refuse")
        ctx.update(reason=ev.reason if ev else "", signer=_official(ev, ctx["issuer"]),
                   at_counter=bool(ev) and ev.status_before in (Status.NEW, Status.RECEIVED))
    elif number == 4:
        ctx.update(extension=d.extensions.order_by("-at").first(),
                   signer=_official(_event(d, "extend"), ctx["issuer"], Role.AGENCY_LEADER))
    elif number == 5:
        ev = _event(d, "stop")
        ctx.update(reason=ev.reason if ev else "", stopped=local(d.closed_at),
                   signer=_official(ev, ctx["issuer"], Role.AGENCY_LEADER))
    elif number == 6:
        steps = list(d.steps.select_related("handled_by"))
        rows = []
        for i, s in enumerate(steps):
            nxt = steps[i + 1] if i + 1 < len(steps) else None
            rows.append({"step": s, "started": local(s.started_at), "finished": local(s.finished_at),
                         "handed_by": official(s.handled_by, d.agency, s.role) if s.handled_by_id else None,
                         "next": nxt, "next_started": local(nxt.started_at) if nxt else None})
        ctx.update(rows=rows)
    ctx["place"] = ctx["issuer"].place()
    ctx["date_line"] = date_line(ctx["place"], ctx["dated"])
    return ctx


def date_line(place, moment):
    """Decree 30 place and date: "Hòa Bình, ngày 05 tháng 6 năm 2026" (a zero before days below 10 and the
    months January and February)."""
    if moment is None:
        return f"{place}, ngày … tháng … năm …" if place else "ngày … tháng … năm …"
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    text = f"ngày {moment.day:02d} tháng {month} năm {moment.year}"
    return f"{place}, {text}" if place else text


def pdf_bytes(html, base_url="."):
    from weasyprint import HTML
    return HTML(string=html, base_url=base_url).write_pdf()


def slip_pdf(d, number, base_url):
    html = render_to_string(f"slips/form{number}.html", context(d, number, base_url))
    return pdf_bytes(html)


# ---------------------------------------------------------------- register 7

REGISTER_HEADERS = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức",
                    "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Ngày nhận hồ sơ", "Ngày hẹn trả kết quả",
                    "Chuyển hồ sơ đến cơ quan giải quyết", "Nhận kết quả từ cơ quan giải quyết", "Ngày trả kết quả",
                    "Ghi chú"]


def register_rows(qs, limit=None):
    """Rows of register 7 for a queryset of dossiers (ordered by receipt)."""
    qs = qs.filter(received_at__isnull=False).select_related("procedure", "agency").order_by("received_at", "id")
    if limit:
        qs = Dossier.objects.filter(pk__in=list(qs.values_list("pk", flat=True)[:limit])).select_related(
            "procedure", "agency").order_by("received_at", "id")
    forwards = {}
    for dossier_id, at in (HistoryEvent.objects.filter(dossier__in=qs.values("pk"), action="forward",
                                                       data__from_step=1).values_list("dossier_id", "at")):
        forwards.setdefault(dossier_id, at)
    rows = []
    for i, d in enumerate(qs, start=1):
        notes = []
        if d.status in (Status.NOT_RECEIVED, Status.STOPPED, Status.WITHDRAWN):
            notes.append(d.get_status_display())
        if d.timing == "late":
            notes.append("Trễ hạn")
        rows.append([i, d.code, d.procedure.name, d.sets_count, d.applicant_name,
                     ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x), d.agency.name,
                     local(d.received_at), local(d.appointment_at), local(forwards.get(d.pk)),
                     local(d.finished_at), local(d.returned_at), "; ".join(notes)])
    return rows


# Column widths of register 7 on A4 landscape (% of the 273 mm between the margins): the procedure's and the
# applicant's names get room, so a long procedure name takes two or three lines, not one word a line.
REGISTER_WIDTHS = (3, 12.5, 19.5, 3.5, 9, 9.5, 8, 6, 6, 6, 6, 6, 5)
DATE_COLUMNS = range(7, 12)     # received, appointment, forwarded, result back, returned


def register_pdf(rows, title_agency, period):
    now = timezone.localtime()
    html = render_to_string("slips/form7.html", {
        "title": SLIP_TITLES[7], "rows": rows, "headers": REGISTER_HEADERS, "agency": title_agency,
        "period": period, "now": now, "date_line": date_line("", now), "widths": REGISTER_WIDTHS})
    return pdf_bytes(html)


def register_xlsx(rows, title_agency, period):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "So theo doi ho so"
    ws.append(["SỔ THEO DÕI HỒ SƠ"])
    ws.append([f"{title_agency} — {period}"])
    ws.append(REGISTER_HEADERS)
    for row in rows:
        # dates as Excel dates (local time, as printed; Excel has no time zones), shown as on paper
        ws.append([timezone.localtime(v).replace(tzinfo=None) if isinstance(v, datetime) else v for v in row])
        for i in DATE_COLUMNS:
            ws.cell(row=ws.max_row, column=i + 1).number_format = "hh:mm dd/mm/yyyy"
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJKLM", (5, 26, 40, 8, 24, 30, 28, 17, 17, 17, 17, 17, 20)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
