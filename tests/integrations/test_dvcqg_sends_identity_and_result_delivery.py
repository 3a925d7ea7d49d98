"""The DVCQG sync carries the citizen side: TaiKhoanDuocXacThucVoiVNeID from the filing account's verified
identity (only when the dossier is about that very CCCD), DinhDanhCHS from the identity, and how the result
goes back (HinhThuc 1 = by post, ThongTinTra with the delivery address). Over real HTTP to the simulator,
which checks every field against the rules."""
from datetime import date

import pytest

from motcua.citizens import services as citizens
from motcua.core.errors import ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Channel
from motcua.integrations.portal.contrib.dvcqg import spec

from ..conftest import at
from .conftest import drain

CCCD = "001203004567"
ADDRESS = "12 Trần Phú, Phường Hà Đông, Thành phố Hà Nội"


def _online(actors, intake_data, **extra):
    data = dict(intake_data, channel=Channel.ONLINE, **extra)
    return services.intake(actors["citizen"], data, now=at("2026-06-01 08:00"))[0]


def test_a_verified_account_filing_for_itself_is_sent_as_verified_with_postal_delivery(dvcqg, province, actors,
                                                                                      intake_data):
    citizens.mark_verified(province.citizen, citizens.verified_identity(
        "VNeID", id_number=CCCD, full_name="Nguyễn Văn An", birth_date=date(2003, 4, 5)))
    d = _online(actors, intake_data, result_delivery="postal", delivery_address=ADDRESS)
    drain()
    item = dvcqg.state.dossiers[d.code]["item"]
    assert item["TaiKhoanDuocXacThucVoiVNeID"] == "1"
    assert item["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": CCCD}]
    assert item["HinhThuc"] == "1" and item["ThongTinTra"] == f"Qua dịch vụ bưu chính công ích: {ADDRESS}"
    assert not spec.check(item, spec.DOSSIER_FIELDS)


def test_not_verified_or_filed_for_someone_else_is_sent_as_not_verified(dvcqg, province, actors, intake_data):
    d1 = _online(actors, intake_data, result_delivery="electronic")          # account not verified
    citizens.mark_verified(province.citizen, citizens.verified_identity(
        "VNeID", id_number="001090012345", full_name="Nguyễn Văn Bố"))
    d2 = _online(actors, intake_data)                                         # verified, but another person's CCCD
    d3 = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 09:00"))[0]   # at the counter
    drain()
    items = {code: dvcqg.state.dossiers[code]["item"] for code in (d1.code, d2.code, d3.code)}
    assert [i["TaiKhoanDuocXacThucVoiVNeID"] for i in items.values()] == ["0", "0", "0"]
    assert items[d1.code]["HinhThuc"] == "0" and items[d1.code]["ThongTinTra"] == "Bản điện tử (tệp ký số)"
    assert items[d3.code]["ThongTinTra"].startswith("Nhận trực tiếp tại bộ phận một cửa: ")
    for item in items.values():
        assert not spec.check(item, spec.DOSSIER_FIELDS)


@pytest.mark.parametrize("extra, code", [({"result_delivery": "postal"}, "delivery_address_required"),
                                         ({"result_delivery": "drone"}, "result_delivery_invalid")])
def test_intake_refuses_a_bad_result_delivery(province, actors, intake_data, extra, code):
    with pytest.raises(ValidationFailed) as e:
        _online(actors, intake_data, **extra)
    assert e.value.code == code
