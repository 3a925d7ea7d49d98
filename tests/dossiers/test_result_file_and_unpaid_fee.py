"""A result is marked ready only with a result file (procedures without a signing plan too), and returning a
result while the fee is unpaid needs the officer's explicit confirmation, recorded in the history."""
import pytest

from motcua.core.errors import Conflict, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import HistoryEvent, PaymentChannel, Status

from ..conftest import at
from ..web.helpers import PDF

pytestmark = pytest.mark.django_db


def _approved(actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    services.forward(actors["receiver"], d.code, now=at("2026-06-01 09:00"))
    services.forward(actors["specialist"], d.code, now=at("2026-06-02 10:00"))
    services.approve(actors["leader"], d.code, now=at("2026-06-03 09:00"))
    return d


def test_no_result_file_no_result_ready(province, actors, intake_data):
    d = _approved(actors, intake_data)
    with pytest.raises(Conflict) as exc:
        services.mark_result_ready(actors["leader"], d.code, now=at("2026-06-03 10:00"))
    assert exc.value.code == "result_file_required" and "tệp kết quả" in exc.value.message
    d.refresh_from_db()
    assert d.status == Status.PROCESSING
    services.attach(actors["leader"], d.code, kind="result", filename="ket-qua.pdf", content=PDF,
                    now=at("2026-06-03 10:00"))
    services.mark_result_ready(actors["leader"], d.code, now=at("2026-06-03 10:05"))
    d.refresh_from_db()
    assert d.status == Status.FINISHED


def test_a_procedure_requiring_a_signed_result_refuses_an_unsigned_or_incompletely_signed_one(
        province, actors, intake_data):
    province.proc.signed_result_required = True
    province.proc.save()
    d = _approved(actors, intake_data)
    services.attach(actors["leader"], d.code, kind="result", filename="ket-qua.pdf", content=PDF)   # unsigned
    with pytest.raises(Conflict) as exc:
        services.mark_result_ready(actors["leader"], d.code, now=at("2026-06-03 10:05"))
    assert (exc.value.code, exc.value.message) == (
        "signed_result_required",
        "Thủ tục này yêu cầu kết quả được ký số: hãy ký số kết quả trước khi chuyển “Đã xử lý xong”.")
    # a file that claims to be signed but carries no signature at all
    services.attach(actors["leader"], d.code, kind="result", filename="ket-qua-ky.pdf", content=PDF, signed=True)
    with pytest.raises(Conflict) as exc:
        services.mark_result_ready(actors["leader"], d.code, now=at("2026-06-03 10:06"))
    assert (exc.value.code, exc.value.message) == (
        "result_signing_incomplete",
        "Kết quả chưa được ký đủ theo quy định (lãnh đạo ký, văn thư đóng dấu) hoặc có chữ ký không hợp lệ: chưa "
        "thể chuyển “Đã xử lý xong”.")
    assert exc.value.details
    d.refresh_from_db()
    assert d.status == Status.PROCESSING


def test_unpaid_fee_asks_for_confirmation(province, actors, intake_data):
    d = _approved(actors, intake_data)
    services.attach(actors["leader"], d.code, kind="result", filename="ket-qua.pdf", content=PDF,
                    now=at("2026-06-03 10:00"))
    services.mark_result_ready(actors["leader"], d.code, now=at("2026-06-03 10:05"))
    assert services.unpaid_fee(d) == 150000
    with pytest.raises(ValidationFailed) as exc:
        services.return_result(actors["receiver"], d.code, now=at("2026-06-03 11:00"))
    assert exc.value.code == "fee_unpaid" and exc.value.details["outstanding"] == 150000
    assert "150.000" in exc.value.message
    d.refresh_from_db()
    assert d.status == Status.FINISHED
    services.return_result(actors["receiver"], d.code, unpaid_fee_confirmed=True, now=at("2026-06-03 11:00"))
    d.refresh_from_db()
    assert d.status == Status.RETURNED
    assert HistoryEvent.objects.filter(dossier=d).order_by("-seq").first().data == {"unpaid_fee": 150000}


def test_a_paid_fee_needs_no_confirmation(province, actors, intake_data):
    d = _approved(actors, intake_data)
    services.record_payment(actors["receiver"], d.code, amount=150000, channel=PaymentChannel.COUNTER,
                            now=at("2026-06-03 09:30"))
    services.attach(actors["leader"], d.code, kind="result", filename="ket-qua.pdf", content=PDF,
                    now=at("2026-06-03 10:00"))
    services.mark_result_ready(actors["leader"], d.code, now=at("2026-06-03 10:05"))
    services.return_result(actors["receiver"], d.code, now=at("2026-06-03 11:00"))
    d.refresh_from_db()
    assert d.status == Status.RETURNED
