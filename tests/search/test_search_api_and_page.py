"""The search API against its OpenAPI schema, the officer's page, and hostile queries: never a server error,
on SQLite and PostgreSQL alike."""
import pytest

from motcua.dossiers import services as dossiers
from tests.api.schema_check import check
from tests.conftest import INTAKE

HOSTILE = ['"', '""', '"giay phep', "*", "giay*", "NEAR", "NEAR(giay phep)", "giay NEAR/2 phep", "-", "-giay",
           "giay -phep", "giay OR phep", "NOT giay", "AND", "(", ")", "()", "giay:phep", "body:giay", "^giay",
           "'", "''", "giay' & 'phep", "!", "a & b | !c", "<->", "giay <-> phep", "\\", "%", "_", "%_%",
           "{giay}", "[", "]", ":*", "giay:*", "'; DROP TABLE search_searchentry; --", "ǅ İ ß ﬁ", "𝔤𝔦𝔞𝔶",
           "\u200b", "\ufeffgiay", "e\u0301", "\t\n", " ", "x" * 200, "a " * 24, "NEAR" * 50]
TOO_LONG = ["x" * 201, "a " * 25, "giấy " * 60]


@pytest.fixture
def sxd_dossier(province, actors, indexed):
    with indexed():
        d, _ = dossiers.intake(actors["receiver"], dict(INTAKE))
    return d


def test_api_answers_the_officer_in_the_documented_shape(sxd_dossier, province, client_for):
    client = client_for(province.specialist)
    body = check(client.get("/api/v1/search/", {"q": "nguyen van an"}))
    assert body["count"] == 1 and body["counts"] == {"dossier": 1}
    hit = body["results"][0]
    assert (hit["kind"], hit["url"]) == ("dossier", f"/can-bo/ho-so/{sxd_dossier.code}/")
    assert [hit["snippet"][a:b] for a, b in hit["highlights"]] == ["Nguyễn", "Văn", "An"]
    body = check(client.get("/api/v1/search/", {"q": "giay phep", "kind": "component", "page_size": 1}))
    assert body["count"] == 1 and body["kind"] == "component" and len(body["results"]) == 1
    assert check(client.get("/api/v1/search/"))["count"] == 0           # no query, no results
    other = client_for(province.other)
    for q in ("nguyen van an", sxd_dossier.code, "giay phep", "001203004567"):
        body = check(other.get("/api/v1/search/", {"q": q}))
        assert body["count"] == 0 and body["counts"] == {} and sxd_dossier.applicant_name not in str(body), q


def test_api_refuses_bad_parameters_with_a_code(sxd_dossier, province, client_for):
    client = client_for(province.specialist)
    for params, code in (({"q": "x" * 201}, "query_too_long"), ({"q": "a", "kind": "nope"}, "invalid_parameter"),
                         ({"q": "a", "page": "0"}, "invalid_parameter"), ({"q": "a", "page": "x"}, "invalid_parameter"),
                         ({"q": "a", "page_size": "101"}, "invalid_parameter")):
        resp = client.get("/api/v1/search/", params)
        assert resp.status_code == 422, params
        assert check(resp)["code"] == code
    citizen = client_for(province.citizen)
    resp = citizen.get("/api/v1/search/", {"q": "nguyen"})
    assert resp.status_code == 403 and check(resp)["code"] == "role_required"
    assert client_for(None).get("/api/v1/search/", {"q": "nguyen"}).status_code == 401


@pytest.mark.django_db
def test_hostile_queries_never_a_server_error(sxd_dossier, province, client_for):
    client = client_for(province.specialist)
    for q in HOSTILE:
        resp = client.get("/api/v1/search/", {"q": q})
        assert resp.status_code == 200, (q, resp.status_code, resp.content[:300])
        check(resp)
    for q in TOO_LONG:
        resp = client.get("/api/v1/search/", {"q": q})
        assert resp.status_code == 422 and check(resp)["code"] == "query_too_long", q
    # the quotes and operators are separators: the words still match
    for q in ('"giay phep', "giay* -phep", "giay' & 'phep", "(giay) [phep]"):
        assert check(client.get("/api/v1/search/", {"q": q}))["counts"] == {"dossier": 1, "component": 1}, q
    # NEAR, AND, OR, NOT are only words
    assert check(client.get("/api/v1/search/", {"q": "giay NEAR phep"}))["count"] == 0


def test_page_groups_marks_and_pages(sxd_dossier, province, actors, indexed, client):
    client.force_login(province.specialist)
    page = client.get("/can-bo/tim-kiem/", {"q": "giay phep"}).content.decode()
    assert '<h2 id="h-dossier">Hồ sơ (1)</h2>' in page and '<h2 id="h-component">Thành phần hồ sơ (1)</h2>' in page
    assert "<mark>giấy</mark> <mark>phép</mark>" in page and f'href="/can-bo/ho-so/{sxd_dossier.code}/"' in page
    # a snippet is escaped text: markup in the data stays text
    with indexed():
        dossiers.intake(actors["receiver"], dict(INTAKE, applicant_name="<script>alert(1)</script> Phạm Thu"))
    page = client.get("/can-bo/tim-kiem/", {"q": "pham thu"}).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Phạm</mark>" in page
    # paging inside one kind
    with indexed():
        for i in range(22):
            dossiers.intake(actors["receiver"], dict(INTAKE, applicant_name=f"Hoàng Văn Nam {i}"))
    page = client.get("/can-bo/tim-kiem/", {"q": "hoang van nam"}).content.decode()
    assert "?q=hoang%20van%20nam&amp;loai=dossier" in page           # "see all" of the group
    page = client.get("/can-bo/tim-kiem/", {"q": "hoang van nam", "loai": "dossier", "trang": 2}).content.decode()
    assert "Trang 2/2" in page and page.count("<li><a href=\"/can-bo/ho-so/") == 2
    # a bad query is an inline message with its status, not an error page
    resp = client.get("/can-bo/tim-kiem/", {"q": "x" * 201})
    assert resp.status_code == 422 and 'role="alert"' in resp.content.decode()
    client.force_login(province.citizen)
    assert client.get("/can-bo/tim-kiem/", {"q": "giay"}).status_code == 403
