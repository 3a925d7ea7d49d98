"""The citizen's feedback (phản ánh, kiến nghị) form, on the feedback services."""
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
    assert resp.status_code in (404, 422)
    assert not Feedback.objects.exists()
