"""Browser fixtures: Playwright (Python) driving Debian's /usr/bin/chromium against pytest-django's
live server. Browser tests skip with a clear reason where chromium or playwright is missing, so a fresh
machine still passes ./run test; CI installs chromium (.ci/run) and runs them."""
import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
# One generous timeout for every wait (navigation, element, expect): on a loaded two-core machine a page with
# a PDF or axe-core can take many seconds. Waits end as soon as their condition holds, so a long limit
# costs nothing when the machine is idle.
TIMEOUT_MS = int(os.environ.get("MOTCUA_BROWSER_TIMEOUT_MS", "60000"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _skip_reason():
    if not Path(CHROMIUM).exists():
        return f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need the playwright Python package (requirements-test.txt)"
    return None


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def browser():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; Django's ORM (used by fixtures here) refuses
    # to run while one is active unless told it is safe, which it is: the live server has its own thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def new_page(browser, live):
    contexts = []

    def make(locale="vi-VN"):
        ctx = browser.new_context(base_url=live.url, locale=locale, viewport={"width": 1280, "height": 900})
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        return ctx.new_page()
    yield make
    for ctx in contexts:
        ctx.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core in the page; return the violations of the given impacts (as readable strings)."""
    # evaluated through the DevTools protocol, not as an inline <script>: the pages' Content-Security-Policy
    # (which these tests keep on) would block an injected script tag
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                                                                     else str(n["target"]) for n in v["nodes"][:3])
            for v in result["violations"] if v["impact"] in impacts]


def submit(page, target):
    """Click something that loads a new page (a link, a form's button) and wait until that page has loaded.

    Never `click(); wait_for_load_state()`: right after the click the old page is still the loaded one, so
    that wait can return at once and the next step reads (or clicks on, or navigates away from) the old
    page while the request is still on its way. Under load that is a flaky test."""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation(wait_until="load"):
        locator.click()


def login(page, username, password):
    page.goto("/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page, "main button[type=submit]")
    assert "/dang-nhap/" not in page.url, f"login as {username} failed"


@pytest.fixture
def live(live_server):
    """The live server, and after the test the history rows are removed on SQLite so the transactional
    flush (DELETE, refused by the append-only trigger) can run; PostgreSQL flushes with TRUNCATE."""
    yield live_server
    from django.db import connection
    if connection.vendor == "sqlite":
        from importlib import import_module
        m = import_module("motcua.dossiers.migrations.0002_history_append_only")
        with connection.cursor() as cur:
            cur.execute("DROP TRIGGER IF EXISTS history_no_delete")
            cur.execute(f"DELETE FROM {m.TABLE}")
            cur.execute(m.SQLITE[1])
