"""The DVCQG sync sends, per component, DuocSoHoa, DuocTaiSuDung, DuocLayTuKhoDMQG and MaKetQuaThayThe from
the data store's reuse records, HoSoCoThanhPhanSoHoa per dossier and MaGiayToKetQua (the procedure's main
result code) on results; over real HTTP to the simulator, which checks the flags agree with each other."""
import pytest

from motcua.datastore import services as store
from motcua.datastore.models import Source
from motcua.dossiers import services as dossiers
from motcua.integrations.models import ProcedureMapping
from motcua.integrations.portal.contrib.dvcqg import spec

from ..conftest import at
from ..integrations.conftest import dvcqg, drain, point_at, sim  # noqa: F401  (fixtures)
from .test_reuse_offers_and_links_only_the_owners_documents import RENEW, held  # noqa: F401


def test_the_reused_components_and_the_result_code_reach_the_simulator(dvcqg, store_province, actors,  # noqa: F811
                                                                       held):  # noqa: F811
    p = store_province
    ProcedureMapping.objects.create(procedure=p.renew, remote_code="1.009975.000.00.00.H13")
    d, _ = dossiers.intake(actors["citizen"], dict(RENEW), source=dossiers.Source.PORTAL, now=at("2026-07-01 08:00"))
    permit = d.components.get(component=p.renew_permit)
    drawings = d.components.get(component=p.renew_drawings)
    store.reuse_all(actors["citizen"], d.code, [(permit.pk, held[Source.SIGNED_RESULT].pk),
                                                (drawings.pk, held[Source.CERTIFIED_COPY].pk)])
    drain()
    item = dvcqg.state.dossiers[d.code]["item"]
    by_component = {t["MaThanhPhanHoSo"]: t for t in item["TaiLieuNop"]}
    assert {k: by_component[str(p.renew_permit.pk)][k] for k in ("DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG",
                                                                 "MaKetQuaThayThe")} == {
        "DuocSoHoa": "1", "DuocTaiSuDung": "2", "DuocLayTuKhoDMQG": "0", "MaKetQuaThayThe": "KQ.GPXD"}
    assert by_component[str(p.renew_drawings.pk)]["DuocTaiSuDung"] == "1"
    assert by_component[str(p.renew_drawings.pk)]["MaKetQuaThayThe"] == ""
    assert item["HoSoCoThanhPhanSoHoa"] == "1"
    first = dvcqg.state.dossiers[held[Source.SIGNED_RESULT].dossier.code]["item"]
    assert [r["MaGiayToKetQua"] for r in first["DanhSachGiayToKetQua"]] == ["KQ.GPXD"]
    assert first["HoSoCoThanhPhanSoHoa"] == "1"


@pytest.mark.parametrize("doc, item_flag, problem", [
    ({"DuocSoHoa": "0", "DuocTaiSuDung": "1", "DuocLayTuKhoDMQG": "0", "MaKetQuaThayThe": ""}, "1",
     "reused_but_not_digitised"),
    ({"DuocSoHoa": "1", "DuocTaiSuDung": "0", "DuocLayTuKhoDMQG": "1", "MaKetQuaThayThe": ""}, "1",
     "national_store_but_not_reused"),
    ({"DuocSoHoa": "1", "DuocTaiSuDung": "1", "DuocLayTuKhoDMQG": "0", "MaKetQuaThayThe": "KQ.GPXD"}, "1",
     "replacing_result_code_mismatch"),
    ({"DuocSoHoa": "1", "DuocTaiSuDung": "2", "DuocLayTuKhoDMQG": "0", "MaKetQuaThayThe": ""}, "1",
     "replacing_result_code_mismatch"),
    ({"DuocSoHoa": "1", "DuocTaiSuDung": "0", "DuocLayTuKhoDMQG": "0", "MaKetQuaThayThe": ""}, "0",
     "digitised_flag_mismatch"),
])
def test_the_simulator_refuses_flags_that_contradict_each_other(doc, item_flag, problem):
    item = {"HoSoCoThanhPhanSoHoa": item_flag, "TaiLieuNop": [{"TepDinhKemId": "1", "TenTepDinhKem": "a.pdf",
                                                               "IsDeleted": "False", **doc}]}
    assert problem in [why for _p, why in spec.cross_check(item)]
