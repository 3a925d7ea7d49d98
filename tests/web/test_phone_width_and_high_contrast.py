"""On a 375 px phone no page scrolls sideways (wide tables scroll inside a keyboard-reachable, named region),
and danger buttons keep at least 4.5:1 contrast in the default and the high-contrast modes (computed in
Chromium from the styles the page applies)."""
import pytest

from motcua.dossiers import services

from .conftest import login, submit

pytestmark = pytest.mark.django_db(transaction=True)

CONTRAST = """(sel) => {
  const lum = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)); return 0.2126*r + 0.7152*g + 0.0722*b; };
  return [...document.querySelectorAll(sel)].map(el => { const s = getComputedStyle(el);
    const a = lum(s.color), b = lum(s.backgroundColor);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); });
}"""

REGIONS = """() => [...document.querySelectorAll('main table')].map(t => { const r = t.closest('.scroll-x');
  return r ? [r.getAttribute('tabindex'), r.getAttribute('role'),
              (r.getAttribute('aria-label') || (r.getAttribute('aria-labelledby') &&
               document.getElementById(r.getAttribute('aria-labelledby')).textContent) || '').trim()] : null; })"""


def narrow(new_page):
    page = new_page()
    page.set_viewport_size({"width": 375, "height": 800})
    return page


def check_page(page, url):
    page.goto(url)
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert width <= 375, f"{url} is {width} px wide at 375 px: {wide}"
    for region in page.evaluate(REGIONS):
        assert region is not None and region[0] == "0" and region[1] == "region" and region[2], (url, region)


def test_officer_pages_fit_375_px_and_danger_buttons_keep_contrast(new_page, province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data)
    page = narrow(new_page)
    login(page, "tiepnhan", "pw-tiepnhan")
    for url in ("/can-bo/", f"/can-bo/ho-so/{d.code}/", "/can-bo/tiep-nhan/", "/chi-so/", "/thu-tuc/",
                f"/thu-tuc/{province.proc.code}/", "/can-bo/so-theo-doi/"):
        check_page(page, url)
    page.goto(f"/can-bo/ho-so/{d.code}/")
    ratios = page.evaluate(CONTRAST, "button.danger")
    assert ratios and min(ratios) >= 4.5, ratios
    submit(page, "button[name=contrast]")        # the site's own high-contrast switch
    assert "high-contrast" in page.evaluate("document.documentElement.className")
    ratios = page.evaluate(CONTRAST, "button.danger")
    assert ratios and min(ratios) >= 4.5, ratios
    check_page(page, f"/can-bo/ho-so/{d.code}/")


def test_citizen_pages_fit_375_px(new_page, province, actors, intake_data):
    services.intake(actors["receiver"], intake_data, owner=province.citizen)
    page = narrow(new_page)
    login(page, "congdan", "pw-congdan")
    for url in ("/ho-so-cua-toi/", "/thu-tuc/", f"/thu-tuc/{province.proc.code}/"):
        check_page(page, url)
