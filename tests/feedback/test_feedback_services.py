"""PAKN feedback: the services are the only writers, transitions are checked, reasons are required."""
import pytest

from motcua.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from motcua.feedback import services as F
from motcua.feedback.models import FeedbackStatus
from tests.conftest import at


def submit(province, **kw):
    data = dict(agency_code=province.sxd.code, category="delay", sender_name="Lê Văn D", content="Chậm trả kết quả",
                now=at("2026-06-01 08:00"), owner=province.citizen)
    data.update(kw)
    return F.submit(**data)


def test_full_handling_records_every_moment(province, actors):
    fb = submit(province)
    F.request_supplement(actors["receiver"], fb.pk, reason="Đề nghị cung cấp mã hồ sơ", now=at("2026-06-02 08:00"))
    F.supplement_received(actors["receiver"], fb.pk, now=at("2026-06-03 08:00"))
    F.process(actors["leader"], fb.pk, answer="Đã trả lời công dân", now=at("2026-06-05 08:00"))
    F.publish(actors["leader"], fb.pk, now=at("2026-06-05 09:00"))
    F.rate_handling(actors["citizen"], fb.pk, score=4)
    fb.refresh_from_db()
    assert fb.status == FeedbackStatus.PUBLISHED and fb.satisfaction == 4 and fb.handled_by == "giamdoc"
    assert fb.supplement_requested_at and fb.supplement_received_at and fb.processed_at and fb.published_at


def test_rules(province, actors):
    fb = submit(province)
    with pytest.raises(ValidationFailed) as err:
        F.reject(actors["specialist"], fb.pk, reason="  ")
    assert err.value.code == "reason_required"
    with pytest.raises(Conflict):
        F.publish(actors["leader"], fb.pk)
    with pytest.raises(Conflict):
        F.rate_handling(actors["citizen"], fb.pk, score=5)
    F.reject(actors["specialist"], fb.pk, reason="Không thuộc thẩm quyền")
    with pytest.raises(ValidationFailed):
        F.rate_handling(actors["citizen"], fb.pk, score=9)
    F.rate_handling(actors["citizen"], fb.pk, score=1)
    with pytest.raises(Conflict) as err:
        F.rate_handling(actors["citizen"], fb.pk, score=2)
    assert err.value.code == "already_rated"


def test_only_the_agency_handles_and_only_the_sender_rates(province, actors):
    fb = submit(province)
    with pytest.raises(NotFound):                        # another agency's officer: not even visible
        F.process(actors["other"], fb.pk, answer="Đã xử lý")
    with pytest.raises(NotAllowed):                      # the agency's clerk has no handling role
        F.process(actors["clerk"], fb.pk, answer="Đã xử lý")
    with pytest.raises(NotFound):                        # nor can a citizen (outside every agency's scope)
        F.reject(actors["citizen"], fb.pk, reason="x")
    F.process(actors["specialist"], fb.pk, answer="Đã xử lý")
    with pytest.raises(NotAllowed) as err:               # an officer cannot rate on the sender's behalf
        F.rate_handling(actors["leader"], fb.pk, score=5)
    assert err.value.code == "not_owner"
    fb.refresh_from_db()
    assert fb.status == FeedbackStatus.PROCESSED and fb.satisfaction is None


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
