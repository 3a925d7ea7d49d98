"""PAKN feedback: the services are the only writers, transitions are checked, reasons are required."""
import pytest

from motcua.core.errors import Conflict, ValidationFailed
from motcua.feedback import services as F
from motcua.feedback.models import FeedbackStatus
from tests.conftest import at


def submit(province, **kw):
    data = dict(agency_code=province.sxd.code, category="delay", sender_name="Lê Văn D", content="Chậm trả kết quả",
                now=at("2026-06-01 08:00"))
    data.update(kw)
    return F.submit(**data)


def test_full_handling_records_every_moment(province):
    fb = submit(province)
    F.request_supplement(fb.pk, reason="Đề nghị cung cấp mã hồ sơ", now=at("2026-06-02 08:00"))
    F.supplement_received(fb.pk, now=at("2026-06-03 08:00"))
    F.process(fb.pk, answer="Đã trả lời công dân", by="sxd.lanhdao", now=at("2026-06-05 08:00"))
    F.publish(fb.pk, now=at("2026-06-05 09:00"))
    F.rate_handling(fb.pk, score=4)
    fb.refresh_from_db()
    assert fb.status == FeedbackStatus.PUBLISHED and fb.satisfaction == 4
    assert fb.supplement_requested_at and fb.supplement_received_at and fb.processed_at and fb.published_at


def test_rules(province):
    fb = submit(province)
    with pytest.raises(ValidationFailed) as err:
        F.reject(fb.pk, reason="  ")
    assert err.value.code == "reason_required"
    with pytest.raises(Conflict):
        F.publish(fb.pk)
    with pytest.raises(Conflict):
        F.rate_handling(fb.pk, score=5)
    F.reject(fb.pk, reason="Không thuộc thẩm quyền")
    with pytest.raises(ValidationFailed):
        F.rate_handling(fb.pk, score=9)
    F.rate_handling(fb.pk, score=1)
    with pytest.raises(Conflict) as err:
        F.rate_handling(fb.pk, score=2)
    assert err.value.code == "already_rated"


def test_submit_checks_agency_category_and_dossier(province, actors, intake_data):
    with pytest.raises(ValidationFailed) as err:
        submit(province, agency_code="nope")
    assert err.value.code == "unknown_agency"
    with pytest.raises(ValidationFailed) as err:
        submit(province, category="bogus")
    assert err.value.code == "invalid_category"
    from motcua.dossiers import services
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    with pytest.raises(ValidationFailed) as err:
        submit(province, agency_code=province.stp.code, dossier_code=d.code)
    assert err.value.code == "dossier_agency_mismatch"
    assert submit(province, dossier_code=d.code).dossier_id == d.pk
