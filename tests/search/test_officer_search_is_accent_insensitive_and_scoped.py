"""Full-text search as an officer uses it: Vietnamese without accents, codes, ID numbers, components,
result files and documents; and never a row outside the officer's scope (counts included)."""
from datetime import date

import pytest
from django.core.management import call_command

from motcua.agencies.scope import actor_for
from motcua.documents import services as documents
from motcua.dossiers import services as dossiers
from motcua.search import services
from motcua.search.models import SearchEntry
from motcua.signing.models import SecrecyLevel
from tests.conftest import INTAKE, at


def _intake(actor, indexed, **kw):
    with indexed():
        d, _ = dossiers.intake(actor, dict(INTAKE, **kw))
    return d


def _titles(actor, q, **kw):
    return sorted(h.title for h in services.search(actor, q, **kw).hits)


@pytest.fixture
def two(province, actors, indexed):
    """A dossier of Sở Xây dựng and one of Sở Tư pháp, both filed by "Nguyễn Văn An"."""
    sxd = _intake(actors["receiver"], indexed, request="Xin cấp phép xây nhà ba tầng đường Trần Phú")
    stp = _intake(actors["other"], indexed, procedure="2.000908", request="Chứng thực bản sao giấy khai sinh",
                  components=None)
    return sxd, stp


def test_words_without_accents_find_the_accented_text(two, actors):
    sxd, _stp = two
    officer = actors["specialist"]
    for q in ("nguyen van an", "NGUYEN VĂN an", "giay phep xay dung", "tran phu", "ba tang"):
        res = services.search(officer, q, kind="dossier")
        assert [h.object_id for h in res.hits] == [sxd.pk], q
    # the snippet keeps the accents and marks the matched words
    hit = services.search(officer, "giay phep").hits[0]
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert "giấy" in marked and "phép" in marked
    # a word must match whole: a prefix is no match, an absent word no match
    assert services.search(officer, "nguye").total == 0
    assert services.search(officer, "nguyen van binh").total == 0


def test_d_stroke_folds_to_d(province, actors, indexed):
    d = _intake(actors["receiver"], indexed, applicant_name="Đỗ Thị Đào")
    assert [h.object_id for h in services.search(actors["leader"], "do thi dao", kind="dossier").hits] == [d.pk]
    assert services.search(actors["leader"], "ĐỖ ĐÀO", kind="dossier").counts == {"dossier": 1}


def test_code_and_id_number_match_exactly(two, actors, province, indexed):
    sxd, _stp = two
    other = _intake(actors["receiver"], indexed, applicant_id_number="001203004568")
    officer = actors["receiver"]
    assert [h.object_id for h in services.search(officer, sxd.code, kind="dossier").hits] == [sxd.pk]
    assert [h.object_id for h in services.search(officer, other.code, kind="dossier").hits] == [other.pk]
    assert [h.object_id for h in services.search(officer, "001203004567", kind="dossier").hits] == [sxd.pk]
    assert services.search(officer, "0012030", kind="dossier").total == 0      # no partial ID numbers
    # the last part of a code alone: the day and sequence as a phrase
    tail = "-".join(sxd.code.split("-")[-2:])
    assert sxd.pk in [h.object_id for h in services.search(officer, tail, kind="dossier").hits]


def test_components_results_and_documents_are_found(two, province, actors, indexed):
    sxd, _stp = two
    officer = actors["leader"]
    comp = services.search(officer, "ban ve thiet ke", kind="component")
    assert [h.title for h in comp.hits] == [f"Bản vẽ thiết kế · {sxd.code}"]
    assert comp.hits[0].url == f"/can-bo/ho-so/{sxd.code}/"
    # a result file: its name and the text inside it (a real PDF, read back with pdftotext)
    weasyprint = pytest.importorskip("weasyprint")
    pdf = weasyprint.HTML(string="<p>QUYẾT ĐỊNH cấp giấy phép xây dựng số 77/GPXD cho ông Nguyễn Văn An, "
                                 "thửa đất số 215 tờ bản đồ 9.</p>").write_pdf()
    dossiers.forward(actors["receiver"], sxd.code)          # in processing: a result may be attached
    with indexed():
        dossiers.attach(actors["leader"], sxd.code, kind="result", filename="giay-phep-77.pdf", content=pdf)
    res = services.search(officer, "thua dat so 215 to ban do", kind="result")
    assert [h.title for h in res.hits] == [f"giay-phep-77.pdf · {sxd.code}"]
    assert "thửa đất số 215" in res.hits[0].snippet
    # an incoming document: subject, number/symbol and sender
    with indexed():
        documents.register_incoming(actors["clerk"], province.sxd.code, sender_name="Sở Tài nguyên và Môi trường",
                                    number_symbol="120/STNMT-VP", issued_date=date(2026, 2, 27),
                                    subject="Về việc thẩm định hồ sơ đất đai", secrecy=SecrecyLevel.NORMAL,
                                    now=at("2026-03-02 15:00"))
    for q in ("tham dinh ho so dat dai", "120/STNMT-VP", "so tai nguyen va moi truong"):
        assert _titles(officer, q, kind="incoming") == ["120/STNMT-VP · Về việc thẩm định hồ sơ đất đai"], q


def test_another_agency_sees_nothing_of_ours_counts_included(two, actors):
    sxd, stp = two
    for q in ("nguyen van an", "an", sxd.code, "001203004567", "ban ve thiet ke"):
        ours = services.search(actors["receiver"], q)
        theirs = services.search(actors["other"], q)
        assert all(h.url.endswith(f"/{sxd.code}/") for h in ours.hits), q
        assert all(h.url.endswith(f"/{stp.code}/") for h in theirs.hits), q
    assert services.search(actors["specialist"], "nguyen van an").counts == {"dossier": 1}
    assert services.search(actors["other"], "nguyen van an").counts == {"dossier": 1}
    assert services.search(actors["specialist"], "giay phep").counts == {"dossier": 1, "component": 1}
    assert services.search(actors["other"], "giay phep").total == 0
    assert services.search(actors["other"], "giay").counts == {"dossier": 1}
    assert services.search(actors["other"], sxd.code).total == 0
    assert services.search(actors["other"], "ban ve thiet ke").total == 0


def test_the_intake_centre_and_the_province_see_what_they_cover(province, actors, indexed, django_user_model):
    from motcua.agencies.models import Membership, Role
    d = _intake(actors["centre_receiver"], indexed, applicant_name="Lê Thị Hoa")
    assert d.agency_path == province.sxd.path and d.intake_path == province.centre.path
    assert services.search(actors["centre_receiver"], "le thi hoa").counts == {"dossier": 1}
    assert services.search(actors["receiver"], "le thi hoa").counts == {"dossier": 1}
    assert services.search(actors["other"], "le thi hoa").total == 0
    governor = django_user_model.objects.create_user(username="ubnd", password="x")
    Membership.objects.create(user=governor, agency=province.root, role=Role.AGENCY_LEADER)
    assert services.search(actor_for(governor), "le thi hoa").counts == {"dossier": 1}


def test_secret_documents_only_for_the_leader_and_the_clerk(province, actors, indexed):
    with indexed():
        for secrecy, number in ((SecrecyLevel.CONFIDENTIAL, "5/M-STC"), (SecrecyLevel.NORMAL, "6/STC-VP")):
            documents.register_incoming(actors["clerk"], province.sxd.code, sender_name="Sở Tài chính",
                                        number_symbol=number, issued_date=date(2026, 2, 27),
                                        subject="Kế hoạch ngân sách", secrecy=secrecy, now=at("2026-03-02 15:00"))
    assert services.search(actors["leader"], "ke hoach ngan sach").counts == {"incoming": 2}
    assert services.search(actors["clerk"], "ke hoach ngan sach").counts == {"incoming": 2}
    for who in ("specialist", "receiver", "head", "admin"):
        res = services.search(actors[who], "ke hoach ngan sach")
        assert res.counts == {"incoming": 1} and [h.title[:8] for h in res.hits] == ["6/STC-VP"], who
    assert services.search(actors["other"], "ke hoach ngan sach").total == 0    # a leader, of another agency


def test_paging_within_a_kind(province, actors, indexed):
    made = [_intake(actors["receiver"], indexed, applicant_name=f"Trần Văn Bình {i}") for i in range(7)]
    first = services.search(actors["receiver"], "tran van binh", kind="dossier", page_size=3)
    assert first.counts["dossier"] == 7 and first.pages == 3
    seen = [h.object_id for p in (1, 2, 3) for h in services.search(actors["receiver"], "tran van binh",
                                                                    kind="dossier", page=p, page_size=3).hits]
    assert seen == [d.pk for d in reversed(made)]       # newest first, each once


def test_reindex_rebuilds_the_same_rows(two, actors):
    def rows():
        return sorted(SearchEntry.objects.values_list("kind", "object_id", "agency_path", "intake_path", "body"))
    before = rows()
    assert {k for k, *_ in before} == {"dossier", "component"}
    SearchEntry.objects.all().delete()
    assert services.search(actors["receiver"], "nguyen").total == 0
    call_command("search_reindex", "--quiet", stdout=open("/dev/null", "w"))
    assert rows() == before
    assert services.search(actors["receiver"], "nguyen thiet ke").total == 0
    assert services.search(actors["receiver"], "nguyen").counts == {"dossier": 1}
    assert services.search(actors["receiver"], "thiet ke").counts == {"component": 1}


def test_a_citizen_may_not_search(province, actors):
    from motcua.core.errors import NotAllowed
    with pytest.raises(NotAllowed):
        services.search(actors["citizen"], "nguyen")
