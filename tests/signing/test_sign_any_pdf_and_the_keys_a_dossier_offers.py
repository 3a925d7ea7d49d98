"""Signing any PDF with one of the agency's keys, and the keys a dossier's page offers to each officer."""
from motcua.dossiers import services as dossiers
from motcua.signing import services

from ..conftest import at
from .conftest import p12_config
from .samples import make_pdf


def _keys(province, actors, pki):
    seal = services.register_key(actors["admin"], "000.00.17.H13", label="Con dấu", kind="organisation",
                                 source="pkcs12", config=p12_config(pki.agency))
    leader = services.register_key(actors["leader"], "000.00.17.H13", label="Giám đốc", kind="personal",
                                   holder=province.leader, holder_name="Nguyễn Văn Giám", source="pkcs12",
                                   config=p12_config(pki.leader))
    return seal, leader


def test_a_clerk_signs_any_pdf_with_the_agency_seal(province, actors, pki):
    seal, _leader = _keys(province, actors, pki)
    signed, warnings = services.sign_pdf_as(actors["clerk"], seal.pk, make_pdf(1, "THONG BAO"))
    report = services.verify(signed)
    assert report["valid"] and report["count"] == 1 and report["issued_by_motcua"]
    assert report["signatures"][0]["signer"] == "SỞ XÂY DỰNG"
    assert warnings == []


def test_the_keys_a_dossier_offers_follow_the_officers_roles(province, actors, pki, intake_data):
    seal, leader = _keys(province, actors, pki)
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    def offered(name):
        got = services.keys_for_dossier(actors[name], d)
        return sorted(k.label for k in got["result"]), sorted(k.label for k in got["copy"])
    assert offered("leader") == (["Con dấu", "Giám đốc"], ["Con dấu"])
    assert offered("clerk") == (["Con dấu"], ["Con dấu"])
    assert offered("receiver") == ([], ["Con dấu"])        # certifies copies, signs no result
    assert offered("specialist") == ([], ["Con dấu"])
    assert offered("head") == ([], [])
    assert offered("other") == ([], [])                    # another agency
