"""In headless Chromium: an officer goes from the worklist to the search page, types words without accents,
sees the dossier and its component grouped by kind with the words marked, follows a result to the dossier;
an officer of another department finds nothing. axe-core finds no serious or critical violation."""
import pytest

from motcua.agencies.scope import actor_for
from motcua.dossiers import services
from tests.conftest import INTAKE

from .conftest import axe_violations, login, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_searches_without_accents(new_page, province):
    d, _ = services.intake(actor_for(province.receiver), dict(INTAKE))   # indexed after its commit
    c = new_page()
    login(c, "chuyenvien", "pw-chuyenvien")
    c.goto("/can-bo/")
    submit(c, "a[href='/can-bo/tim-kiem/']")
    assert not axe_violations(c), axe_violations(c)
    c.fill("#s-q", "giay phep")
    submit(c, "form[role=search] button[type=submit]")
    assert c.locator("#h-dossier").inner_text() == "Hồ sơ (1)"
    assert c.locator("#h-component").inner_text() == "Thành phần hồ sơ (1)"
    assert c.locator("mark").first.inner_text() == "giấy"
    assert not axe_violations(c), axe_violations(c)
    submit(c, f"section[aria-labelledby=h-dossier] a[href='/can-bo/ho-so/{d.code}/']")
    assert c.url.endswith(f"/can-bo/ho-so/{d.code}/")

    other = new_page()
    login(other, "tiepnhan_stp", "pw-tiepnhan_stp")
    other.goto("/can-bo/tim-kiem/?q=giay+phep")
    assert other.locator("[role=status]").inner_text() == "0 kết quả."
    assert other.locator("mark").count() == 0
