"""Pages are Vietnamese unless the person picks English, whatever the browser's Accept-Language says."""
import pytest

pytestmark = pytest.mark.django_db


def test_english_browser_still_gets_vietnamese_until_the_switch(client, province):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200 and 'lang="vi"' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="vi")
    assert 'lang="en"' in page.content.decode()
