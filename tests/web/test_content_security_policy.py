"""Every page is served with a Content-Security-Policy (scripts and styles from the site only, no inline code
without the page's nonce, no eval), and headless Chromium reports no violation on the pages people use,
htmx searches and filters included."""
import pytest

from motcua.dossiers import services

from .conftest import login

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
"""


def watched(new_page):
    page = new_page()
    page.add_init_script(WATCH)
    console = []
    page.on("console", lambda m: "Content Security Policy" in m.text and console.append(m.text))
    return page, console


def visit(page, path, seen):
    resp = page.goto(path)
    policy = resp.headers.get("content-security-policy", "")
    assert "script-src 'self' 'nonce-" in policy and "unsafe" not in policy, (path, policy)
    page.wait_for_load_state("networkidle")
    seen.extend(f"{path}: {v}" for v in page.evaluate("() => window.__csp"))


def test_citizen_and_officer_pages_report_no_violation(new_page, province, actors, intake_data):
    d, _r = services.intake(actors["receiver"], intake_data)
    seen = []
    p, console = watched(new_page)
    for path in ["/", "/thu-tuc/", f"/thu-tuc/{province.proc.code}/", "/ty-le-dung-han/", "/dang-ky/",
                 "/xac-thuc-chu-ky/", "/chi-so/cong-khai/", "/khong-co-trang-nay/"]:
        visit(p, path, seen)
    # htmx: the catalogue search swaps results in place
    visit(p, "/thu-tuc/", seen)
    p.fill("#cat-q", "giay phep")
    p.wait_for_load_state("networkidle")
    p.wait_for_timeout(600)
    seen.extend(p.evaluate("() => window.__csp"))
    # the display switches and the lookup form (POST)
    p.click("button[value=l]")
    visit(p, f"/tra-cuu/?code={d.code}", seen)
    p.fill("#lk-secret", "5678")
    p.click("main form button[type=submit]")
    p.wait_for_load_state("networkidle")
    assert p.locator("#status").count() == 1
    seen.extend(p.evaluate("() => window.__csp"))

    o, console_o = watched(new_page)
    login(o, "tiepnhan", "pw-tiepnhan")
    for path in ["/can-bo/", "/can-bo/tiep-nhan/", f"/can-bo/tiep-nhan/?procedure={province.proc.code}",
                 f"/can-bo/ho-so/{d.code}/", "/can-bo/so-theo-doi/", "/chi-so/"]:
        visit(o, path, seen)
    visit(o, "/can-bo/?list=to_receive", seen)
    selects = o.locator("main form select")
    if selects.count():
        selects.first.select_option(index=0)          # htmx filter of the worklist
        o.wait_for_load_state("networkidle")
        o.wait_for_timeout(600)
        seen.extend(o.evaluate("() => window.__csp"))
    assert seen == [] and console == [] and console_o == [], seen + console + console_o


@pytest.mark.parametrize("snippet", ["<script>window.__ran = 1</script>"])
def test_an_injected_inline_script_would_be_blocked(new_page, province, snippet):
    """The policy really bites: an inline script without the nonce does not run (what an XSS would inject)."""
    p, console = watched(new_page)
    p.goto("/")
    p.evaluate("s => document.body.insertAdjacentHTML('beforeend', s)", snippet)
    p.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                          document.body.appendChild(s); }""")
    p.wait_for_timeout(200)
    assert p.evaluate("() => window.__ran") is None
    assert any("script-src" in v for v in p.evaluate("() => window.__csp"))
