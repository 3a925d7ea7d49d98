"""Register 7 (sổ theo dõi hồ sơ) as an officer prints and files it: on A4 landscape with columns wide enough
that a long procedure name takes a few lines (not one word a line), and in Excel with real dates."""
import io
import re
import shutil
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook

from motcua.dossiers import services
from motcua.slips import render as R

from tests.web.helpers import weasyprint_problem

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(weasyprint_problem() is not None, reason=str(weasyprint_problem())),
              pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                                 reason="needs pdftotext and pdfinfo (Debian package poppler-utils)")]

# a real procedure name of the national catalogue, 95 characters
LONG_NAME = "Cấp giấy phép xây dựng mới đối với công trình không theo tuyến, công trình tín ngưỡng, tôn giáo"


def words(pdf: bytes):
    """(text, xMin, yMin, page) of every word, read back with pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    out = []
    for page, body in enumerate(html.split("<page ")[1:], start=1):
        for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', body):
            out.append((text, float(x), float(y), page))
    return out


def test_register_pdf_is_landscape_and_a_long_procedure_name_takes_at_most_3_lines(client, province, actors,
                                                                                   intake_data):
    province.proc.name = LONG_NAME
    province.proc.save()
    province.sxd.name = "Sở Xây dựng tỉnh Hòa Bình"
    province.sxd.save()
    # an ordinary company and address: long cells in the columns next to the procedure's
    intake_data.update(applicant_name="Công ty trách nhiệm hữu hạn Xây dựng và Thương mại Phương Lâm",
                       applicant_address="Số 12, ngõ 34, đường Trần Hưng Đạo, phường Phương Lâm, thành phố Hòa Bình")
    services.intake(actors["receiver"], intake_data)
    client.force_login(province.receiver)
    pdf = client.get("/can-bo/so-theo-doi.pdf").content
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert w > h                                  # landscape
    found = words(pdf)
    # the procedure's cell: the words of its name in reading order (other cells' words of the same line may
    # come between them), from its first word on; the heading has no "Cấp"
    name_words = LONG_NAME.split()
    start = next(i for i, wd in enumerate(found) if wd[0] == "Cấp")
    lines = {}
    i, k = start, 0
    while k < len(name_words):
        text, x, y, page = found[i]
        if text == name_words[k]:
            lines.setdefault((page, round(y)), []).append(text)
            k += 1
        i += 1
    assert len(lines) <= 3, lines
    assert all(len(ws) >= 4 for ws in list(lines.values())[:-1]), lines     # not one word a line


def test_register_excel_stores_dates_as_dates(client, province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data)
    client.force_login(province.receiver)
    wb = load_workbook(io.BytesIO(client.get("/can-bo/so-theo-doi.xlsx").content))
    ws = wb.active
    received, appointment = ws.cell(row=4, column=8), ws.cell(row=4, column=9)
    assert received.is_date and appointment.is_date
    assert isinstance(received.value, datetime)
    assert received.value == R.local(d.received_at).replace(tzinfo=None, microsecond=received.value.microsecond)
    assert "dd" in received.number_format and "yy" in received.number_format
    assert ws.cell(row=4, column=12).value is None       # not returned yet: empty, not ""
