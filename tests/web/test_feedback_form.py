"""The citizen's feedback (phản ánh, kiến nghị) form, on the feedback services."""
import re

import pytest

from motcua.dossiers import services
from motcua.feedback.models import Category, Feedback

from ..conftest import at

pytestmark = pytest.mark.django_db


def _form(**extra):
    data = {"agency": "000.00.17.H13", "category": Category.values[0], "sender_name": "Nguyễn Văn An",
            "sender_contact": "0912345678", "content": "Cán bộ hướng dẫn chưa rõ thành phần hồ sơ."}
    data.update(extra)
    return data


def test_citizen_sends_feedback(client, province):
    assert client.get("/phan-anh/").status_code == 302          # login first
    client.force_login(province.citizen)
    assert client.get("/phan-anh/").status_code == 200
    resp = client.post("/phan-anh/", _form())
    assert resp.status_code == 302
    fb = Feedback.objects.get()
    assert fb.agency == province.sxd and fb.content.startswith("Cán bộ")


def test_bad_feedback_is_refused_with_a_vietnamese_message_and_nothing_stored(client, province):
    client.force_login(province.citizen)
    resp = client.post("/phan-anh/", _form(category="khong-co"))
    assert resp.status_code == 422
    assert "Nhóm phản ánh không hợp lệ" in resp.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_about_someone_elses_dossier_is_not_found(client, province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    client.force_login(province.citizen)
    resp = client.post("/phan-anh/", _form(dossier=d.code))
    # the form comes back with its error (422), worded exactly as for a code that does not exist: the
    # answer does not tell that someone else's dossier exists
    missing = client.post("/phan-anh/", _form(dossier="000.00.17.H13-260601-9999"))
    assert resp.status_code == missing.status_code == 422
    page = resp.content.decode()
    assert f"Không tìm thấy hồ sơ {d.code}." in page

    def same(html, code):   # the page without the code asked about and the per-request CSRF tokens
        return re.sub(r"[A-Za-z0-9]{64}", "T", html.replace(code, "X"))
    assert same(page, d.code) == same(missing.content.decode(), "000.00.17.H13-260601-9999")
    assert not Feedback.objects.exists()
