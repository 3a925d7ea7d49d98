"""Procedures imported from DVCQG's procedure cards (LayThuTuc) over real HTTP against the simulator:
what a card becomes in the catalogue, idempotence by the DVCQG code, the local-edits rule, bad cards
reported and skipped whole, a portal that is down / answers HTML / 500, both ways of authenticating,
and the entry points (CLI, back-office button, the API's and pages' mapping state)."""
import copy
import json
import urllib.request
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from motcua.agencies.models import Role
from motcua.agencies.scope import Actor
from motcua.catalog.models import Component, Fee, Field, Procedure
from motcua.core.errors import NotAllowed, ValidationFailed
from motcua.integrations.models import ProcedureMapping
from motcua.integrations.portal.contrib.dvcqg.sim_cards import CARDS
from motcua.integrations.procedure_import import import_procedures

from ..api.schema_check import check
from .conftest import point_at

ADMIN = Actor(user_id=None, username="t", roles=frozenset({(Role.ADMINISTRATOR, "/")}), org_paths=("/",))
GPXD, CT, HKD, LLTP = (c["MATTHC"] for c in CARDS)


def codes(entries):
    return sorted(e["remote_code"] for e in entries)


def card(code):
    return copy.deepcopy(next(c for c in CARDS if c["MATTHC"] == code))


@pytest.fixture
def portal(settings, sim, province):
    point_at(settings, sim)
    settings.MOTCUA_NATIONAL_PORTAL = "dvcqg"
    return sim


def test_import_makes_the_catalogue_procedure_with_components_fees_time_level_and_mapping(portal, province):
    report = import_procedures(ADMIN)
    # 1.009974 and 2.000908 exist locally with their own codes but are not mapped: the cards create new
    # procedures under the DVCQG code (the local ones are different rows, untouched).
    assert codes(report["created"]) == sorted([GPXD, CT, HKD, LLTP]) and not report["errors"]
    p = Procedure.objects.get(code=GPXD)
    assert p.name.startswith("Cấp giấy phép xây dựng mới") and p.field.code == "G09-XD04"
    assert (p.time_value, p.time_unit, p.online_level) == (Decimal("20.00"), "days", "partial")
    assert [(c.order, c.form, c.count, c.required) for c in p.components.all()] == [
        (1, "original", 1, True), (2, "copy", 1, True), (3, "original", 2, True)]
    assert [(f.name, f.amount) for f in p.fees.all()] == [("Lệ phí cấp giấy phép xây dựng", 150000)]
    assert p.result_type == "Giấy phép xây dựng" and "50/2014/QH13 Luật Xây dựng" in p.legal_basis
    assert list(p.agencies.all()) == [province.sxd] and p.is_active
    assert ProcedureMapping.objects.get(procedure=p).remote_code == GPXD
    ct = Procedure.objects.get(code=CT)
    assert ct.online_level == "full" and ct.fees.get().amount == 2000          # "2.000" Đồng, MUCDO 4
    assert Procedure.objects.get(code=LLTP).online_level == "none"              # no level field, no online channel
    hkd = Procedure.objects.get(code=HKD)
    assert [c.required for c in hkd.components.all()] == [False, False, False]  # two cases: none required for all
    assert "trường hợp" in hkd.components.first().name
    warn = next(e for e in report["created"] if e["remote_code"] == HKD)["warnings"]
    assert {w["code"] for w in warn} == {"agency_not_mapped", "no_agency"}


def test_second_import_updates_never_duplicates_and_local_edits_are_kept_unless_forced(portal, province):
    import_procedures(ADMIN)
    n_proc, n_map, n_comp = Procedure.objects.count(), ProcedureMapping.objects.count(), Component.objects.count()
    again = import_procedures(ADMIN)
    assert codes(again["unchanged"]) == sorted([GPXD, CT, HKD, LLTP]) and not again["created"]
    assert (Procedure.objects.count(), ProcedureMapping.objects.count(), Component.objects.count()) == \
        (n_proc, n_map, n_comp)
    comp_ids = list(Procedure.objects.get(code=GPXD).components.values_list("id", flat=True))

    changed = card(GPXD)
    changed["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["THOIGIANGIAIQUYET"] = 15
    changed["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = 120000
    portal.state.cards[GPXD] = changed
    r = import_procedures(ADMIN, [GPXD])
    assert codes(r["updated"]) == [GPXD]
    p = Procedure.objects.get(code=GPXD)
    assert p.time_value == 15 and p.fees.get().amount == 120000 and Procedure.objects.count() == n_proc
    assert list(p.components.values_list("id", flat=True)) == comp_ids           # updated in place

    p.name = "Cấp giấy phép xây dựng (tên do Sở sửa)"                             # a local edit
    p.save()
    assert codes(import_procedures(ADMIN, [GPXD])["unchanged"]) == [GPXD]       # card unchanged: nothing to apply
    assert Procedure.objects.get(code=GPXD).name == "Cấp giấy phép xây dựng (tên do Sở sửa)"
    changed["TENTTHC"] = "Tên mới trên Cổng"
    r = import_procedures(ADMIN, [GPXD])
    assert r["kept_local"][0]["code"] == "local_edits" and not r["updated"]
    assert Procedure.objects.get(code=GPXD).name == "Cấp giấy phép xây dựng (tên do Sở sửa)"
    r = import_procedures(ADMIN, [GPXD], force=True)
    assert codes(r["updated"]) == [GPXD] and Procedure.objects.get(code=GPXD).name == "Tên mới trên Cổng"
    assert codes(import_procedures(ADMIN, [GPXD])["unchanged"]) == [GPXD]       # forced import is the new base


def test_a_mapped_local_procedure_is_updated_through_its_mapping_and_kept_when_never_imported(portal, province):
    ProcedureMapping.objects.create(procedure=province.proc, remote_code=GPXD)
    before = (province.proc.name, list(province.proc.components.values_list("name", flat=True)))
    r = import_procedures(ADMIN, [GPXD])
    assert r["kept_local"][0]["code"] == "local_procedure" and r["kept_local"][0]["procedure"] == "1.009974"
    province.proc.refresh_from_db()
    assert (province.proc.name, list(province.proc.components.values_list("name", flat=True))) == before
    assert not Procedure.objects.filter(code=GPXD).exists()                       # no duplicate under the DVCQG code
    r = import_procedures(ADMIN, [GPXD], force=True)
    assert codes(r["updated"]) == [GPXD]
    province.proc.refresh_from_db()
    assert province.proc.name.startswith("Cấp giấy phép xây dựng mới") and province.proc.steps.count() == 3
    assert province.proc.code == "1.009974"                                       # local code and process stay


def test_bad_cards_are_reported_with_a_code_and_skipped_whole(portal, province):
    bad_unit = card(GPXD)
    bad_unit["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["DONVITINH"] = "Tháng"
    no_code = {**card(CT), "MATTHC": ""}
    garbage = {**card(HKD), "CACHTHUCTHUCHIEN": "không có"}
    pct = card(LLTP)
    pct["LINHVUCTHUCHIEN"] = [{"MALINHVUC": "NEW-FIELD", "TENLINHVUC": "Lĩnh vực mới"}]
    pct["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"].append({"MAPHILEPHI": "LEPHI", "SOTIEN": "0,5", "DONVI": "%"})
    good = {**card(LLTP), "MATTHC": "1.000894.000.00.00.H13", "TENTTHC": "Đăng ký khai sinh"}
    portal.state.cards = {GPXD: bad_unit, "x": no_code, HKD: garbage, LLTP: pct, good["MATTHC"]: good,
                          "1.2": {"MATTHC": "1.2", "TENTTHC": "Thiếu lĩnh vực"}, "1.3": ["not", "a", "card"]}
    r = import_procedures(ADMIN)
    errors = {e["remote_code"]: e["code"] for e in r["errors"]}
    assert errors == {GPXD: "bad_time_unit", "": "missing_code", HKD: "garbage", LLTP: "bad_fee",
                      "1.2": "missing_field", "1.3": "not_a_card"}
    assert all(e["message"] for e in r["errors"])
    assert codes(r["created"]) == ["1.000894.000.00.00.H13"]
    assert not Procedure.objects.filter(code__in=[GPXD, HKD, LLTP, "1.2"]).exists()
    assert not Field.objects.filter(code="NEW-FIELD").exists()                    # nothing half-written
    assert ProcedureMapping.objects.count() == 1


def test_portal_down_html_500_and_refusals(portal, province):
    for mode in ("down", "html", "500", "garbage"):
        portal.mode(mode, times=1)
        with pytest.raises(ValidationFailed) as exc:
            import_procedures(ADMIN)                   # the list itself could not be read: nothing tried
        assert exc.value.code == "portal_unavailable"
    assert Procedure.objects.count() == 2
    assert codes(import_procedures(ADMIN, [CT])["created"]) == [CT]   # back up (and a token cached)
    portal.mode("html", times=1)                       # one card fails, the others go in
    r = import_procedures(ADMIN, [GPXD, LLTP])
    assert [(e["remote_code"], e["code"]) for e in r["errors"]] == [(GPXD, "html_answer")]
    assert codes(r["created"]) == [LLTP]
    assert codes(import_procedures(ADMIN, [GPXD])["created"]) == [GPXD]   # the next run picks it up
    r = import_procedures(ADMIN, ["9.999999.000.00.00.H13"])
    assert r["errors"][0]["code"] == "remote_refused" and "Không tìm thấy" in r["errors"][0]["message"]
    receptionist = Actor(user_id=None, username="r", roles=frozenset({(Role.RECEIVING_OFFICER, "/")}), org_paths=("/",))
    with pytest.raises(NotAllowed):
        import_procedures(receptionist, [GPXD])


def test_session_login_and_the_request_the_simulator_checks(settings, portal, province):
    point_at(settings, portal, auth="session")
    r = import_procedures(ADMIN, [GPXD])
    assert codes(r["created"]) == [GPXD]
    asked = [x for x in portal.state.received if x["service"] == "LayThuTuc"]
    assert asked[-1]["data"] == {"maTTHC": GPXD}
    settings.MOTCUA_DVCQG_CARD = {"code_arg": "MaThuTuc"}   # a wrong argument name: the portal refuses it
    r = import_procedures(ADMIN, [CT])
    assert r["errors"][0]["code"] == "remote_refused" and "maTTHC" in r["errors"][0]["message"]
    portal.expire_tokens()                                 # expired session: one re-login, then the card
    settings.MOTCUA_DVCQG_CARD = {}
    assert codes(import_procedures(ADMIN, [CT])["created"]) == [CT]
    one = {**card(LLTP), "MATTHC": "1.000894.000.00.00.H13", "TENTTHC": "Đăng ký khai sinh"}
    req = urllib.request.Request(f"{portal.url}/_sim/cards", data=json.dumps({"cards": [one], "replace": True}).encode(),
                                 method="POST")
    with urllib.request.urlopen(req, timeout=5) as resp:   # the simulator's control endpoint, as the demo uses it
        assert resp.status == 200
    assert codes(import_procedures(ADMIN)["created"]) == ["1.000894.000.00.00.H13"]


def test_cli_button_page_and_api_show_the_mapping_state(portal, province, client):
    out = StringIO()
    with pytest.raises(SystemExit):                        # exit 2: the unknown code is an error
        call_command("dvcqg_import_procedures", GPXD, "9.9", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert codes(report["created"]) == [GPXD] and report["errors"][0]["remote_code"] == "9.9"

    client.force_login(province.receiver)
    assert client.post("/can-bo/dong-bo/thu-tuc-dvcqg/", {"codes": CT}).status_code == 403
    client.force_login(province.admin)
    r = client.post("/can-bo/dong-bo/thu-tuc-dvcqg/", {"codes": f"{CT} {LLTP}"}, follow=True)
    text = r.content.decode()
    assert "tạo mới 2" in text
    assert f"Đã ánh xạ DVCQG: mã {CT}" in text and "Chưa ánh xạ" in text     # 1.009974 is not mapped
    assert Procedure.objects.filter(code__in=[CT, LLTP]).count() == 2
    page = client.get(f"/thu-tuc/{GPXD}/").content.decode()
    assert f"Đã ánh xạ DVCQG: mã {GPXD}" in page
    assert "Chưa ánh xạ" in client.get("/thu-tuc/1.009974/").content.decode()
    client.logout()
    assert "ánh xạ" not in client.get(f"/thu-tuc/{GPXD}/").content.decode()  # citizens do not see it

    api = APIClient()
    assert check(api.get(f"/api/v1/procedures/{GPXD}/"))["dvcqg_code"] == GPXD
    assert check(api.get("/api/v1/procedures/1.009974/"))["dvcqg_code"] is None
    body = check(api.get("/api/v1/procedures/?page_size=100"))
    listed = {p["code"]: p["dvcqg_code"] for p in body.get("results", body)}
    assert listed[CT] == CT and listed["1.009974"] is None
