"""The public look-up page (/tra-cuu/): the form comes with its CSRF token (the page is rendered for the
request, so it can be posted), the right code and secret show the dossier with the applicant's name masked,
and past the rate limit the page says so, keeps the code typed and tells when to retry."""
import html
import re

import pytest
from django.test import Client

from motcua.dossiers import services

from ..conftest import at

pytestmark = pytest.mark.django_db


def test_the_form_is_postable_and_the_right_secret_shows_the_dossier_masked(province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    c = Client(enforce_csrf_checks=True)
    page = c.get(f"/tra-cuu/?code={d.code}").content.decode()
    assert f'name="code" value="{d.code}"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    resp = c.post("/tra-cuu/", {"code": d.code, "secret": "5678", "csrfmiddlewaretoken": token})
    text = html.unescape(resp.content.decode())
    assert resp.status_code == 200 and f"Hồ sơ {d.code}" in text
    assert "Nguyễn Văn An" not in text                         # the applicant's name is masked
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', text)     # and the next look-up is postable


def test_past_the_rate_limit_the_page_says_so_keeps_the_code_and_tells_when_to_retry(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public_lookup": "3/min"}}
    answers = [client.post("/tra-cuu/", {"code": "KHONG-CO-123", "secret": "0000"}) for _ in range(4)]
    assert [r.status_code for r in answers] == [404, 404, 404, 429]
    text = html.unescape(answers[-1].content.decode())
    assert '<p class="msg error" role="alert">Bạn đã gửi quá nhiều yêu cầu, vui lòng thử lại sau.</p>' in text
    assert 'name="code" value="KHONG-CO-123"' in text
    assert 0 < int(answers[-1]["Retry-After"]) <= 60


def test_an_overlong_code_is_cut_to_64_characters_before_anything_reads_it(client, province):
    page = client.get("/tra-cuu/?code=" + "A" * 70).content.decode()
    assert f'name="code" value="{"A" * 64}"' in page
