"""/api/v1/docs/ works with no internet: Swagger UI's files come from this site (drf-spectacular-sidecar), the
page renders the operations in headless Chromium with every request to another host cut, under the site's own
Content-Security-Policy."""
from urllib.parse import urlsplit

from .test_content_security_policy import watched


def test_swagger_ui_renders_every_operation_without_leaving_the_site(new_page, live):
    page, console = watched(new_page)
    host = urlsplit(live.url).netloc
    outside = []

    def only_here(route):
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    page.route("**/*", only_here)
    page.goto("/api/v1/docs/")
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/dossiers/" in p for p in paths), paths[:5]
    assert "Motcua API" in page.locator(".info .title").inner_text()
    assert outside == []
    assert page.evaluate("() => window.__csp") == [] and console == []
