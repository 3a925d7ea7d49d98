"""Motcua's own data scored with the dvcqg-2026 set (report, API, dashboard, drill-down); numbers written with
one decimal separator per language; a month without dossiers is "no data"; both public on-time pages give
one number."""
import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command

from motcua.agencies import tokens
from motcua.dossiers import services as S
from motcua.indicators import drilldown, dvcqg2026, own2026
from motcua.indicators.periods import parse
from tests.conftest import at

NO_DATA = "Không có dữ liệu"


@pytest.fixture
def june(province, make):
    """Sở Xây dựng in June 2026: one dossier finished on time and paid online, one finished late and paid at the
    counter, one received on 06-29 still open and within its deadline at the end of June."""
    ok = make.finished("2026-06-01 08:00", "2026-06-02 08:00")
    late = make.finished("2026-06-01 08:00", "2026-06-10 08:00")
    S.record_payment(make.a["receiver"], ok, amount=150000, channel=2, reference="PG-1", now=at("2026-06-01 09:00"))
    S.record_payment(make.a["receiver"], late, amount=150000, channel=3, now=at("2026-06-01 09:00"))
    still_open = make.received("2026-06-29 08:00")
    return {"ok": ok, "late": late, "open": still_open}


def _sxd(rep, province):
    return next(a for a in rep["agencies"] if a["code"] == province.sxd.code)


def test_motcuas_own_data_scored_with_the_2026_set(province, june):
    rep = own2026.report(parse("2026-06"))
    a = _sxd(rep, province)
    m = a["metrics"]
    # counted from the database...
    assert (m["TDGQ"]["numerator"], m["TDGQ"]["denominator"]) == (2, 3)           # on time: ok and open in time
    assert (m["ONLINE_PAYMENT_DOSSIER"]["numerator"], m["ONLINE_PAYMENT_DOSSIER"]["denominator"]) == (1, 2)
    assert (m["ONLINE_PAYMENT_FORMALITY"]["numerator"], m["ONLINE_PAYMENT_FORMALITY"]["denominator"]) == (1, 1)
    assert (m["ONLINE_PAYMENT_FEE_DOSSIER"]["numerator"], m["ONLINE_PAYMENT_FEE_DOSSIER"]["denominator"]) == (1, 1)
    assert (m["ORIGINAL_RESULT_AVAILABLE"]["numerator"], m["ORIGINAL_RESULT_AVAILABLE"]["denominator"]) == (0, 2)
    assert (m["ONLINE_SERVICE_PROVIDED"]["numerator"], m["ONLINE_SERVICE_PROVIDED"]["denominator"]) == (1, 1)
    assert (m["DOSSIER_SYNC"]["numerator"], m["DOSSIER_SYNC"]["denominator"]) == (0, 3)
    # 1 - (late 1/3 + dissatisfied 0/3) = 2/3 of the dossiers
    sat = m["DOSSIER_RECEIVING_SATISFACTION"]
    assert (sat["numerator"], sat["denominator"]) == (2, 3)
    # ...and scored by the portal's rules: 20 x 2/3 = 13.33; TTTT 6 x 50% + 2 x min(100/80, 1) + 2 = 7
    assert (m["TDGQ"]["ratio"], m["TDGQ"]["points"]) == (66.67, 13.33)
    assert a["groups"]["TTTT"]["points"] == 7
    assert sat["points"] == 4.44                                               # 6 x (66.67 / 90)
    # no petition in June: the portal's rule gives the full points, the ratio is "no data" (not 0, not 100)
    pet = m["PETITION_PROCESSING_ON_TIME"]
    assert (pet["points"], pet["ratio"], pet["no_data"]) == (6, None, True)
    # what Motcua does not hold is marked so, with the reason, and earns nothing
    not_held = {x["code"] for x in rep["not_held"]}
    assert not_held == {"PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "CITIZEN_DATA_CONNECTED_FORMALITY"}
    cdc = m["CITIZEN_DATA_CONNECTED_DOSSIER"]
    assert (cdc["numerator"], cdc["denominator"]) == (0, 3)                   # nobody's identity verified
    for code in not_held:
        assert m[code]["held"] is False and m[code]["points"] is None and m[code]["reason"]
    assert a["available"] == 100 - sum(dvcqg2026.RULES[c].max_points for c in not_held)
    # the same pure function the command uses gives the same groups and total
    held = {c: {"numerator": x["numerator"], "denominator": x["denominator"]} for c, x in m.items() if x["held"]}
    scored = dvcqg2026.score_unit(held)
    assert {g: v["points"] for g, v in a["groups"].items()} == scored["groups"]
    assert a["total"] == scored["total"]


def test_change_since_the_previous_period_and_ranking(province, june, make):
    may = own2026.report(parse("2026-05"))
    rep = own2026.report(parse("2026-06"))
    a, before = _sxd(rep, province), _sxd(may, province)
    assert rep["previous_period"]["code"] == "2026-05"
    assert a["previous_total"] == before["total"]
    assert a["change"] == round(a["total"] - before["total"], 2)
    assert a["groups"]["TDGQ"]["previous"] == 0 and a["groups"]["TDGQ"]["change"] == 13.33
    assert [r["code"] for r in rep["ranking"]] == [r["code"] for r in sorted(
        rep["agencies"], key=lambda r: (-r["total"], r["code"]))]
    assert [r["rank"] for r in rep["ranking"]] == [1, 2]


def test_drill_down_from_a_metric_to_its_dossiers(province, june):
    june_ = parse("2026-06")
    assert {d.code for d in drilldown.dossiers(june_, province.sxd, "TDGQ", "late")} == {june["late"]}
    assert {d.code for d in drilldown.dossiers(june_, province.sxd, "ONLINE_PAYMENT_DOSSIER", "paid_offline")} \
        == {june["late"]}
    assert {d.code for d in drilldown.dossiers(june_, province.sxd, "DOSSIER_SYNC", "not_synced")} \
        == set(june.values())


def test_cli_prints_the_2026_scoring_of_motcuas_data(province, june):
    out = io.StringIO()
    call_command("indicators", "--period", "2026-06", "--set", "dvcqg-2026", stdout=out)
    rep = json.loads(out.getvalue())
    assert rep["set"] == "dvcqg-2026"
    assert _sxd(rep, province)["metrics"]["TDGQ"]["points"] == 13.33


@pytest.fixture
def api(client, province):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {tokens.issue(province.leader)}"
    return client


def test_api_endpoint(api, client, province, june):
    r = api.get("/api/v1/indicators/dvcqg-2026/?period=2026-06")
    assert r.status_code == 200
    body = r.json()
    a = _sxd(body, province)
    assert a["metrics"]["TDGQ"]["ratio"] == 66.67 and a["metrics"]["TDGQ"]["points"] == 13.33   # JSON numbers
    assert set(a["groups"]) == set(dvcqg2026.GROUPS) and body["set"] == "dvcqg-2026"
    assert api.get("/api/v1/indicators/dvcqg-2026/?period=2026-13").json()["code"] == "invalid_period"
    page = api.get(f"/api/v1/indicators/dossiers/?period=2026-06&agency={province.sxd.code}&indicator=TDGQ"
                   f"&subset=late").json()
    assert [x["code"] for x in page["results"]] == [june["late"]]
    del client.defaults["HTTP_AUTHORIZATION"]
    assert client.get("/api/v1/indicators/dvcqg-2026/?period=2026-06").status_code == 401


def test_dashboard_shows_the_six_groups_ranking_change_and_drill_down(client, province, june):
    client.force_login(province.leader)
    body = client.get("/chi-so/?period=2026-06").content.decode()
    assert re.findall(r'data-group="(\w+)"', body) == list(dvcqg2026.GROUPS)
    assert body.count("<svg") >= 6 + 2
    row = re.search(rf'<tr data-agency="{re.escape(province.sxd.code)}">(.*?)</tr>', body, re.S).group(1)
    assert "13,33" in row and 'class="change">+' in row
    body = client.get(f"/chi-so/co-quan/{province.sxd.code}/?period=2026-06").content.decode()
    tdgq = re.search(r'<tr data-metric="TDGQ">(.*?)</tr>', body, re.S).group(1)
    assert "2 / 3" in tdgq and "66,67" in tdgq and "13,33/20" in tdgq
    link = re.search(r'href="([^"]*indicator=TDGQ&(?:amp;)?subset=late)"', tdgq).group(1).replace("&amp;", "&")
    listed = client.get(link).content.decode()
    assert june["late"] in listed and june["ok"] not in listed
    held_not = re.search(r'<tr data-metric="PUBLISH_ON_TIME">(.*?)</tr>', body, re.S).group(1)
    assert "Motcua không có dữ liệu" in held_not


# ---------------------------------------------------------------- decimal separator per language

def _public_rate(body, code):
    row = re.search(rf'<tr data-agency="{re.escape(code)}">(.*?)</tr>', body, re.S).group(1)
    return re.search(r'<td class="rate">(.*?)</td>', row).group(1)


def test_one_decimal_separator_per_language(client, province, june):
    vi = client.get("/chi-so/cong-khai/?period=2026-06").content.decode()
    assert _public_rate(vi, province.sxd.code) == "66,7%"
    svg = vi[vi.index("<svg"):vi.index("</svg>")]
    assert "66,7%" in svg and "66.7" not in svg
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get("/chi-so/cong-khai/?period=2026-06").content.decode()
    assert _public_rate(en, province.sxd.code) == "66.7%"
    svg = en[en.index("<svg"):en.index("</svg>")]
    assert "66.7%" in svg and "66,7" not in svg
    # the officer pages too: the ranking chart and the tables
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(province.leader)
    body = client.get("/chi-so/?period=2026-06").content.decode()
    numbers = re.findall(r">\s*[+−]?(\d+[.,]\d\d)\b", body)     # points and rates (indicator codes are 2.1)
    assert numbers and all("," in n for n in numbers), [n for n in numbers if "." in n]


# ---------------------------------------------------------------- a month without dossiers

def test_a_month_without_dossiers_is_no_data(client, province, june):
    # April 2026: no dossier received, none open
    pub = client.get("/chi-so/cong-khai/?period=2026-04").content.decode()
    assert _public_rate(pub, province.sxd.code) == NO_DATA
    portal = client.get("/ty-le-dung-han/?period=2026-04").content.decode()
    assert _public_rate(portal, province.sxd.code) == NO_DATA
    rep = own2026.report(parse("2026-04"))
    tdgq = _sxd(rep, province)["metrics"]["TDGQ"]
    assert tdgq["no_data"] is True and tdgq["ratio"] is None
    client.force_login(province.leader)
    body = client.get("/chi-so/?period=2026-Q2").content.decode()
    trend = body[body.index('id="h-trend"'):]
    svg = trend[trend.index("<svg"):trend.index("</svg>")]
    # April and May have no dossier: "no data" under their labels, no point and no line through them
    assert svg.count('class="no-data"') == 2 and NO_DATA in svg
    assert svg.count("<circle") == 3 and "<polyline" not in svg       # June only: 3 series, one point each
    table = trend[trend.index("<table"):]
    for month in (4, 5):
        row = re.search(rf"<tr><td>Tháng {month}/2026</td>(.*?)</tr>", table, re.S).group(1)
        assert row.count(NO_DATA) == 3


# ---------------------------------------------------------------- one definition for both public pages

def test_both_public_on_time_pages_show_the_same_figure(client, province, june, make):
    # an open dossier already overdue at the end of June: late in June on both pages
    make.received("2026-06-01 08:00")
    rates = {}
    for period in ("2026-06", "2026-Q2", "2026"):
        a = client.get(f"/ty-le-dung-han/?period={period}").content.decode()
        b = client.get(f"/chi-so/cong-khai/?period={period}").content.decode()
        ra = re.search(rf'<tr data-agency="{re.escape(province.sxd.code)}">(.*?)</tr>', a, re.S).group(1)
        rb = re.search(rf'<tr data-agency="{re.escape(province.sxd.code)}">(.*?)</tr>', b, re.S).group(1)
        assert ra == rb, period
        rates[period] = _public_rate(a, province.sxd.code)
    # June: 2 on time (finished in time; open and in time on 06-30) of 4; the year in progress judges the open
    # ones as of now (both overdue by now): 1 of 4
    assert rates == {"2026-06": "50,0%", "2026-Q2": "50,0%", "2026": "25,0%"}
    # the default period is the same on both too
    assert client.get("/ty-le-dung-han/").status_code == 200
    a, b = client.get("/ty-le-dung-han/").content.decode(), client.get("/chi-so/cong-khai/").content.decode()
    assert _public_rate(a, province.sxd.code) == _public_rate(b, province.sxd.code)


def test_dossiers_using_population_data_are_those_filed_by_a_verified_identity(province, june, django_user_model):
    """CITIZEN_DATA_CONNECTED_DOSSIER counts a dossier when its filing account was verified by the identity provider
    for the very ID number the dossier names; a verified account filing for another number does not count."""
    from django.utils import timezone

    from motcua.citizens.models import Profile
    from motcua.dossiers.models import Dossier
    alice = django_user_model.objects.create_user(username="alice", password="x")
    Profile.objects.create(user=alice, id_number="001090000001", verified_by="VNeID", verified_at=timezone.now())
    Dossier.objects.filter(code=june["ok"]).update(owner=alice, applicant_id_number="001090000001")
    Dossier.objects.filter(code=june["late"]).update(owner=alice, applicant_id_number="001090000002")
    m = _sxd(own2026.report(parse("2026-06")), province)["metrics"]["CITIZEN_DATA_CONNECTED_DOSSIER"]
    assert (m["numerator"], m["denominator"], m["held"]) == (1, 3, True)
    assert m["points"] == round(2 * 1 / 3, 2)
