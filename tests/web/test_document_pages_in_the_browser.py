"""In headless Chromium: the clerk registers an incoming document twice (the duplicate warning is shown), the
leader assigns it with a deadline in working days, a specialist drafts an outgoing document; axe-core finds
no serious or critical violation on the document pages."""
import pytest

from motcua.documents.defaults import ensure_types
from motcua.documents.models import IncomingDocument, OutgoingDocument

from .conftest import axe_violations, login, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_assign_and_draft_in_the_browser(new_page, province):
    ensure_types()
    c = new_page()
    login(c, "vanthu", "pw-vanthu")
    c.goto("/can-bo/van-ban/den/")
    assert not axe_violations(c), axe_violations(c)
    for _ in range(2):
        c.fill("#i-sender", "Sở Tư pháp")
        c.fill("#i-number", "120/STP-VP")
        c.fill("#i-date", "2026-02-27")
        c.fill("#i-subject", "Góp ý dự thảo")
        c.select_option("#i-secrecy", "thuong")
        submit(c, "main form[aria-labelledby=h-register] button[type=submit]")
        if _ == 0:
            c.goto("/can-bo/van-ban/den/")
    assert "Có thể trùng với văn bản đến số 1" in c.locator("main").inner_text()
    assert not axe_violations(c), axe_violations(c)
    first = IncomingDocument.objects.get(arrival_number=1)
    leader = new_page()
    login(leader, "giamdoc", "pw-giamdoc")
    leader.goto(f"/can-bo/van-ban/den/{first.pk}/")
    assert not axe_violations(leader), axe_violations(leader)
    leader.select_option("#g-lead", province.sxd_unit.code)
    leader.fill("#g-days", "2")
    submit(leader, "main form[aria-labelledby=h-assign] button[type=submit]")
    first.refresh_from_db()
    assert first.status == "assigned" and first.lead_unit == province.sxd_unit
    s = new_page()
    login(s, "chuyenvien", "pw-chuyenvien")
    s.goto("/can-bo/van-ban/di/")
    assert not axe_violations(s), axe_violations(s)
    s.select_option("#o-type", "Công văn")
    s.fill("#o-subject", "Về việc góp ý")
    s.select_option("#o-secrecy", "thuong")
    submit(s, "main form[aria-labelledby=h-draft] button[type=submit]")
    doc = OutgoingDocument.objects.get()
    assert s.url.endswith(f"/can-bo/van-ban/di/{doc.pk}/")
    assert not axe_violations(s), axe_violations(s)
