"""The national store adapter `kho-dvcqg` against a local HTTP server that checks the request fields:
read by owner and result code (GetKetQuaGiayTo), fetch the file (GetGiayToByUrl), link it to the component
with DuocLayTuKhoDMQG; writing is refused as not supported (no known contract)."""
import json
import urllib.error
import urllib.request

import pytest

from motcua.core.errors import DomainError, NotFound, ValidationFailed
from motcua.datastore import national
from motcua.datastore import services as store
from motcua.datastore.contrib.kho_dvcqg.sim import Simulator, problems_of
from motcua.datastore.models import Reuse, Source
from motcua.dossiers import services as dossiers

from ..conftest import at
from ..signing.samples import make_pdf
from .conftest import AN, BINH
from .test_reuse_offers_and_links_only_the_owners_documents import RENEW

TOKEN = "kho-token"


@pytest.fixture
def kho(settings):
    sim = Simulator(token=TOKEN).start()
    settings.MOTCUA_DATASTORE_NATIONAL = {"plugin": "kho-dvcqg", "url": sim.url, "token": TOKEN, "timeout": 2}
    sim.state.add(AN, "KQ.GPXD", "Giấy phép xây dựng", "45/GPXD", "Sở Xây dựng tỉnh Demo", "gpxd.pdf",
                  make_pdf(1, "GIAY PHEP QUOC GIA"))
    sim.state.add(BINH, "KQ.GPXD", "Giấy phép xây dựng", "46/GPXD", "Sở Xây dựng tỉnh Demo", "gpxd-b.pdf",
                  make_pdf(1, "CUA NGUOI KHAC"))
    yield sim
    sim.stop()


def test_the_citizen_takes_the_permit_from_the_national_store(kho, store_province, actors):
    p = store_province
    d, _ = dossiers.intake(actors["citizen"], dict(RENEW), source=dossiers.Source.PORTAL, now=at("2026-07-01 08:00"))
    permit = d.components.get(component=p.renew_permit)
    r = store.reuse_from_national_store(actors["citizen"], d.code, permit.pk)
    asked = [q for q in kho.state.requests if q["path"] == "/GetKetQuaGiayTo"][0]["body"]
    assert asked == {"SoDinhDanhChuSoHuu": AN, "HoTenNguoiYeuCau": "Nguyễn Văn An", "KenhThucHien": "2",
                     "SoDinhDanhNguoiYeuCau": AN, "MaThuTuc": "1.009975",
                     "DanhSachDanhMucKetQua": [{"MaKetQua": "KQ.GPXD", "SoKyHieu": ""}]}
    fetched = [q for q in kho.state.requests if q["path"] == "/GetGiayToByUrl"][0]["body"]
    assert fetched["CoQuanChuQuan"] == "Sở Xây dựng tỉnh Demo" and fetched["DuongDan"].endswith("/gpxd.pdf")
    assert (r.from_national_store, r.replaces_result_code, r.reuse_flag) == (True, "KQ.GPXD", "2")
    doc = r.document
    assert (doc.source, doc.owner_id_number, doc.number_symbol, doc.national_code) == (
        Source.NATIONAL_STORE, AN, "45/GPXD", fetched["DuongDan"])
    with r.attachment.file.open("rb") as fh:
        assert b"GIAY PHEP QUOC GIA" in fh.read()
    assert store.component_flags(d)[r.attachment_id]["DuocLayTuKhoDMQG"] == "1"


def test_the_counter_asks_as_channel_1_and_a_wrong_account_asks_nothing(kho, store_province, store_actors):
    p = store_province
    d, _ = dossiers.intake(store_actors["receiver"], dict(RENEW, channel=1), now=at("2026-07-01 08:00"))
    store.reuse_from_national_store(store_actors["receiver"], d.code, d.components.get(component=p.renew_permit).pk)
    assert kho.state.requests[0]["body"]["KenhThucHien"] == "1"
    # Bình's account filing under An's CCCD: refused before anything is asked
    before = len(kho.state.requests)
    mine, _ = dossiers.intake(store_actors["citizen_b"], dict(RENEW), source=dossiers.Source.PORTAL,
                              now=at("2026-07-01 08:00"))
    with pytest.raises(NotFound):
        store.reuse_from_national_store(store_actors["citizen_b"], mine.code,
                                        mine.components.get(component=p.renew_permit).pk)
    assert len(kho.state.requests) == before and not Reuse.objects.filter(dossier=mine).exists()


def test_nothing_held_a_component_without_result_code_or_no_connection(kho, store_province, actors, settings):
    p = store_province
    d, _ = dossiers.intake(actors["receiver"], dict(RENEW, channel=1, applicant_id_number="001203009999"),
                           now=at("2026-07-01 08:00"))
    with pytest.raises(NotFound):
        store.reuse_from_national_store(actors["receiver"], d.code, d.components.get(component=p.renew_permit).pk)
    with pytest.raises(ValidationFailed) as e:
        store.reuse_from_national_store(actors["receiver"], d.code, d.components.get(component=p.renew_form).pk)
    assert e.value.code == "no_result_code"
    settings.MOTCUA_DATASTORE_NATIONAL = {"plugin": "kho-dvcqg", "url": "http://127.0.0.1:9", "timeout": 1}
    with pytest.raises(DomainError) as e:
        store.reuse_from_national_store(actors["receiver"], d.code, d.components.get(component=p.renew_permit).pk)
    assert (e.value.code, e.value.status_code) == ("national_store_unavailable", 502)
    settings.MOTCUA_DATASTORE_NATIONAL = {}
    with pytest.raises(ValidationFailed) as e:
        store.reuse_from_national_store(actors["receiver"], d.code, d.components.get(component=p.renew_permit).pk)
    assert e.value.code == "national_store_not_connected"


def test_the_simulator_checks_the_request_fields_and_the_token(kho):
    assert problems_of({"SoDinhDanhChuSoHuu": "123", "HoTenNguoiYeuCau": "", "KenhThucHien": "3",
                        "SoDinhDanhNguoiYeuCau": AN, "MaThuTuc": "", "DanhSachDanhMucKetQua": []}) == [
        "SoDinhDanhChuSoHuu: twelve_digits", "HoTenNguoiYeuCau: required", "KenhThucHien: invalid_code",
        "MaThuTuc: required", "DanhSachDanhMucKetQua: non_empty_list"]
    req = urllib.request.Request(f"{kho.url}/GetKetQuaGiayTo", data=json.dumps({}).encode(), method="POST")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=2)
    assert e.value.code == 401


def test_the_plugin_reads_by_owner_and_code_and_refuses_to_write(kho, settings):
    plugin = national.enabled()
    assert plugin.identifier == "kho-dvcqg"
    found = plugin.results(national.Request(BINH, "Trần Thị Bình", BINH, "2", "1.009975", [("KQ.GPXD", "46/GPXD")]))
    assert [(r.number_symbol, r.files[0].name) for r in found] == [("46/GPXD", "gpxd-b.pdf")]
    assert plugin.results(national.Request(BINH, "Trần Thị Bình", BINH, "2", "1.009975", [("KQ.GPXD", "45/GPXD")])) == []
    assert b"CUA NGUOI KHAC" in plugin.file(found[0], found[0].files[0])
    with pytest.raises(national.NationalStoreError) as e:     # the simulator refuses a bad request
        plugin.results(national.Request("12", "", BINH, "9", "x", [("KQ.GPXD", "")]))
    assert e.value.code == "national_store_refused"
    with pytest.raises(national.NotSupported) as e:
        plugin.write(object())
    assert e.value.code == "national_store_write_not_supported"
