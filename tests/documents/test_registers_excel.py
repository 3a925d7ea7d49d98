"""The registers as Excel: one row per number in order, dates as real dates, text never a formula, secret
series not in the normal register, other agencies refused."""
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from motcua.core.errors import NotAllowed
from motcua.documents import registers, services
from motcua.signing.models import SecrecyLevel

from ..conftest import at


def test_registers_workbook(province, actors):
    for subject, secrecy in [("=HYPERLINK(\"http://x\")", SecrecyLevel.NORMAL), ("Mật", SecrecyLevel.SECRET),
                             ("Thứ hai", SecrecyLevel.NORMAL)]:
        doc = services.create_draft(actors["specialist"], province.sxd.code, type_name="Quyết định", subject=subject,
                                    secrecy=secrecy, recipients=[{"OrganId": "", "OrganName": "Sở Tư pháp"}])
        services.review(actors["leader"], doc.pk)
        services.approve(actors["leader"], doc.pk)
        services.issue(actors["clerk"], doc.pk, now=at("2026-03-02 23:30"))
    inc, _w = services.register_incoming(actors["clerk"], province.sxd.code, sender_name="=SUM(1,1)",
                                         number_symbol="5/STP", issued_date=date(2026, 2, 27), subject="Góp ý",
                                         secrecy=SecrecyLevel.NORMAL, now=at("2026-03-03 08:00"))
    services.assign(actors["leader"], inc.pk, lead_unit_code=province.sxd_unit.code, working_days=1,
                    now=at("2026-03-03 08:00"))
    wb = load_workbook(io.BytesIO(registers.registers_xlsx(actors["clerk"], province.sxd.code, 2026)))
    out, inc_ws = wb.worksheets
    rows = list(out.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["01/QĐ-SXD", "02/QĐ-SXD"]
    assert rows[0][1] == datetime(2026, 3, 2) and out.cell(row=3, column=2).is_date
    assert rows[0][2] == 'Quyết định: =HYPERLINK("http://x")' and out.cell(row=3, column=3).data_type == "s"
    assert rows[0][4] == "Sở Tư pháp"
    (row,) = list(inc_ws.iter_rows(min_row=3, values_only=True))
    assert inc_ws.cell(row=3, column=3).data_type == "s"
    assert row[:5] == (datetime(2026, 3, 3), 1, "=SUM(1,1)", "5/STP", datetime(2026, 2, 27))
    assert row[6] == "Phòng Quản lý xây dựng" and row[7] == datetime(2026, 3, 4, 8, 0)
    with pytest.raises(NotAllowed):
        registers.registers_xlsx(actors["other"], province.sxd.code, 2026)


def test_registers_pdf_landscape_with_the_appendix_vi_fields(province, actors, tmp_path):
    import subprocess

    import pikepdf
    doc = services.create_draft(actors["specialist"], province.sxd.code, type_name="Quyết định",
                                subject="Về việc cấp phép <b>xây dựng</b>", secrecy=SecrecyLevel.NORMAL,
                                signer_authority="KT. Giám đốc", signer_position="Phó Giám đốc", signer_name="Trần Bình",
                                recipients=[{"OrganId": "", "OrganName": "Sở Tư pháp"}])
    services.review(actors["head"], doc.pk)
    services.approve(actors["leader"], doc.pk)
    services.issue(actors["clerk"], doc.pk, now=at("2026-03-02 09:00"))
    services.register_incoming(actors["clerk"], province.sxd.code, sender_name="Sở Tư pháp", number_symbol="5/STP",
                               issued_date=date(2026, 2, 27), subject="Góp ý dự thảo", secrecy=SecrecyLevel.NORMAL,
                               now=at("2026-03-03 08:00"))
    data = registers.registers_pdf(actors["clerk"], province.sxd.code, 2026)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
    assert box[2] - box[0] > box[3] - box[1]                                # landscape
    f = tmp_path / "so.pdf"
    f.write_bytes(data)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True, text=True,
                                   timeout=60).stdout.split())
    for expected in ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "Sở Xây dựng", "01/QĐ-SXD", "02/03/2026",
                     "<b>xây dựng</b>", "KT. GIÁM ĐỐC", "Trần Bình", "Sở Tư pháp", "5/STP", "03/03/2026",
                     "CodeNumber/CodeNotation", "ArrivalNumber", "IssuedAmount", "ToPlaces"):
        assert expected in text, expected
    with pytest.raises(NotAllowed):
        registers.registers_pdf(actors["other"], province.sxd.code, 2026)
