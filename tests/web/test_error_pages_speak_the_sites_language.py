"""Error pages (400, 403, 404, 500 and a CSRF failure) are the site's own: in its layout, in Vietnamese first
and in English when chosen, never Django's technical pages; the API keeps its JSON error shape. An officer's
menu carries no citizen links."""
import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

import motcua.urls

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("boom")


def forbidden(request):
    from django.core.exceptions import PermissionDenied
    raise PermissionDenied


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("_boom/", boom), path("_forbidden/", forbidden), path("api/v1/_boom/", boom),
               *motcua.urls.urlpatterns]
handler400, handler403 = motcua.urls.handler400, motcua.urls.handler403
handler404, handler500 = motcua.urls.handler404, motcua.urls.handler500


@pytest.fixture
def site(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def in_layout(resp):
    html = resp.content.decode()
    return 'class="site-header"' in html and 'class="site-footer"' in html and "<main" in html


@pytest.mark.parametrize("url, status, vi, en", [
    ("/khong-co-trang-nay/", 404, "Không tìm thấy trang", "Page not found"),
    ("/_forbidden/", 403, "Không có quyền truy cập", "Access denied"),
    ("/_boom/", 500, "Hệ thống gặp lỗi", "The system hit an error"),
])
def test_error_pages_in_the_layout_in_both_languages(site, url, status, vi, en):
    c = Client(raise_request_exception=False)
    resp = c.get(url)
    assert resp.status_code == status and in_layout(resp)
    assert vi in resp.content.decode() and 'lang="vi"' in resp.content.decode()
    resp = english(c).get(url)
    assert resp.status_code == status and in_layout(resp)
    assert en in resp.content.decode() and 'lang="en"' in resp.content.decode()


def test_a_form_posted_without_its_csrf_token_gets_a_plain_vietnamese_page(site):
    c = Client(enforce_csrf_checks=True)
    resp = c.post("/dang-nhap/", {"username": "x", "password": "y"})
    assert resp.status_code == 403 and in_layout(resp)
    body = resp.content.decode()
    assert "Hãy tải lại trang rồi gửi lại" in body
    assert "CSRF verification failed" not in body and "Forbidden" not in body


def test_the_api_keeps_its_json_error_shape(site):
    resp = Client(raise_request_exception=False).get("/api/v1/_boom/")
    assert resp.status_code == 500
    assert resp.json()["code"] == "server_error"


def test_an_officers_menu_has_no_citizen_links(client, province):
    client.force_login(province.receiver)
    html = client.get("/thu-tuc/").content.decode()
    assert "/can-bo/" in html
    assert "Hồ sơ của tôi" not in html and "Phản ánh, kiến nghị" not in html.split("<main")[0]
    client.force_login(province.citizen)
    assert "Hồ sơ của tôi" in client.get("/thu-tuc/").content.decode()
